//! Aktenwerk's user interface, server functions and server-side use cases,
//! shared by the server (feature `ssr`) and the browser (feature `hydrate`).
//!
//! One folder per feature (`aktenplan/`, `akten/`, `documents/`, …), each
//! with its types in `<feature>.rs`, pages, `server_fns.rs`, and behind `ssr`
//! its use cases (`service.rs`: guard, transaction, storage, audit, commit)
//! and `storage.rs` (SQL only). Below the features: `error` (one error type,
//! mapped once to HTTP and German), `db`, `time` (the one clock and Berlin
//! calendar), `ui` (page building blocks), `state` (the handles a running
//! server holds). Above them: `shell` (layout, navigation, start page) and
//! [`App`], which compose the features. ARCHITECTURE.md gives the order in
//! which features may depend on each other.

// The lazy pages' views are laid out in this crate (before, only the
// frontend crate built them, with the same limit); their types nest deeply.
#![recursion_limit = "256"]

pub mod ablage;
pub mod akten;
pub mod aktenplan;
pub mod announcements;
#[cfg(test)]
mod architecture;
pub mod audit;
pub mod auth;
pub mod documents;
pub mod error;
pub mod fold;
pub mod form_post;
pub mod funktionen;
pub mod guides;
pub mod laufwege;
pub mod markdown;
pub mod markdown_preview;
pub mod municipalities;
pub mod postfach;
pub mod postkorb;
pub mod practice;
pub mod processing;
pub mod questions;
pub mod rollout;
#[cfg(feature = "ssr")]
pub mod rollout_days;
pub mod scan;
pub mod search;
pub mod server_json;
pub mod shell;
pub mod tours;
pub mod training_sessions;
pub mod ui;
pub mod users;
pub mod vertretung;
pub mod vorgaenge;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod spreadsheet;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod time;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, Lazy, SsrMode,
};
use shell::lazy;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    shell::security::send_content_security_policy();
    #[cfg(feature = "ssr")]
    shell::lazy::preload::init(&options);
    view! {
        <!DOCTYPE html>
        <html lang="de">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: router and routes. Every page except the login page sits
/// inside the [`shell::layout::Layout`] with header, navigation and footer.
///
/// Only the login page, the layout and the start page are in the main WASM
/// module; every other page's code is loaded when it is first shown
/// ([`shell::lazy`]).
///
/// Pages render in `SsrMode::Async`: the server waits for their data and
/// sends complete HTML, so every page is readable without JavaScript (the
/// default out-of-order streaming needs a script to place late content).
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="aktenwerk-css" href="/pkg/aktenwerk.css"/>
        // The empty text keeps a title while a lazy page's module is still
        // loading: hydration would otherwise clear the server's title until
        // the page sets its own (screen readers and axe see no title).
        <Title text="" formatter=|text: String| {
            if text.is_empty() { "Aktenwerk".to_string() } else { format!("{text} – Aktenwerk") }
        }/>
        <Router>
            <Routes fallback=shell::pages::NotFoundPage>
                <Route ssr=SsrMode::Async path=path!("/anmelden") view=auth::login_page::LoginPage/>
                <Route ssr=SsrMode::Async path=path!("/barrierefreiheit") view={Lazy::<lazy::AccessibilityRoute>::new()}/>
                <ParentRoute ssr=SsrMode::Async path=path!("") view=shell::layout::Layout>
                    <Route ssr=SsrMode::Async path=path!("") view=shell::pages::HomePage/>
                    <Route ssr=SsrMode::Async path=path!("/postkorb") view={Lazy::<lazy::PostkorbRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/abwesenheit") view={Lazy::<lazy::AbwesenheitRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/verwaltung/funktionen") view={Lazy::<lazy::FunktionenRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/verwaltung/scan-ordner") view={Lazy::<lazy::ScanOrdnerRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/verwaltung/postfaecher") view={Lazy::<lazy::PostfaecherRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/posteingang") view={Lazy::<lazy::PosteingangRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/dokumente/:id") view={Lazy::<lazy::DocumentRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/papierkorb") view={Lazy::<lazy::TrashRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/aktenplan") view={Lazy::<lazy::ExplorerRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/aktenplan/abstimmung") view={Lazy::<lazy::AbstimmungRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/aktenplan/versionen") view={Lazy::<lazy::ReleasesRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/aktenplan/import") view={Lazy::<lazy::CsvImportRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/aktenplan/:code") view={Lazy::<lazy::ExplorerRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/akten/:id") view={Lazy::<lazy::AkteRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/vorgaenge/:id") view={Lazy::<lazy::VorgangRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/suche") view={Lazy::<lazy::SearchRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/schulung") view={Lazy::<lazy::SchulungRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/schulung/nachweis") view={Lazy::<lazy::RecordOverviewRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/schulung/rundgaenge") view={Lazy::<lazy::TourListRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/schulung/rundgaenge/:id") view={Lazy::<lazy::TourEditRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/uebung") view={Lazy::<lazy::PracticeRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/neuigkeiten") view={Lazy::<lazy::NeuigkeitenRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/neuigkeiten/neu") view={Lazy::<lazy::AnnouncementEditorRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/neuigkeiten/verwalten") view={Lazy::<lazy::ManageAnnouncementsRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/neuigkeiten/:id/bearbeiten") view={Lazy::<lazy::AnnouncementEditorRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/neuigkeiten/:id/statistik") view={Lazy::<lazy::AnnouncementStatsRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/dienstanweisungen") view={Lazy::<lazy::LibraryRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/dienstanweisungen/bereich/:screen") view={Lazy::<lazy::ScreenGuideRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/dienstanweisungen/:id") view={Lazy::<lazy::GuideRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/fragen") view={Lazy::<lazy::QuestionsRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/fragen/faq") view={Lazy::<lazy::FaqRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/fragen/:id") view={Lazy::<lazy::QuestionRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/schulungstermine") view={Lazy::<lazy::TrainingSessionsRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/schulungstermine/neu") view={Lazy::<lazy::NewTrainingSessionRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/schulungstermine/:id") view={Lazy::<lazy::TrainingSessionRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/schulungstermine/:id/bearbeiten") view={Lazy::<lazy::EditTrainingSessionRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/einfuehrung") view={Lazy::<lazy::RolloutRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/konto/passwort") view={Lazy::<lazy::ChangePasswordRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/verwaltung") view={Lazy::<lazy::UserAdminRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/verwaltung/protokoll") view={Lazy::<lazy::AuditRoute>::new()}/>
                    <Route ssr=SsrMode::Async path=path!("/verwaltung/verarbeitung") view={Lazy::<lazy::QueueRoute>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
