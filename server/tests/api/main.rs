//! The server's integration tests, one module per feature, in one binary:
//! each test builds the real router on a fresh SQLite file in its own
//! temporary directory (`common::TestApp`) and talks to it over HTTP.
//!
//! One binary instead of one per file: every integration binary links the
//! whole server, so sixteen of them cost sixteen links and as many copies on
//! disk. The permission matrix (`tests/permissions`) is the one other binary.

mod common;

mod ablage;
mod abstimmung;
mod aktenplan;
mod audit;
mod auth;
mod bundle;
mod communication;
mod destruction;
mod document_races;
mod documents;
mod funktionen;
mod laufwege;
mod postfach;
mod postkorb;
mod practice;
mod rollout;
mod scan;
mod search;
mod tours;
mod training_sessions;
mod users;
mod vertretung;
mod vorgaenge;
