//! Server functions of the Postkorb: each asks the guard for the
//! signed-in person and hands over to [`super::service`].

use super::{FollowUps, Postkorb};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{Settle, Subject};
#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

/// The signed-in person's Postkorb or, with `fuer`, that of a colleague
/// they stand in for today; each list in full with `alle`, else the first
/// [`super::SHOWN`].
#[server(prefix = "/api", endpoint = "load_postkorb", output = crate::server_json::Json)]
pub async fn load_postkorb(fuer: Option<i64>, alle: Option<bool>) -> Result<Postkorb, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            super::service::postkorb(&state, &user, fuer, alle.unwrap_or(false)).await
        }
        .await,
    )
}

/// The open Wiedervorlagen of a document or Vorgang (`kind`: `dokument`
/// or `vorgang`) and the colleagues who could get one.
#[server(prefix = "/api", endpoint = "load_follow_ups", output = crate::server_json::Json)]
pub async fn load_follow_ups(kind: String, id: i64) -> Result<FollowUps, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            super::service::follow_ups(&state, &user, Subject::parse(&kind, id)?).await
        }
        .await,
    )
}

/// "Wiedervorlage am …" on a document or Vorgang, for oneself or a
/// colleague.
#[server(prefix = "/api", endpoint = "set_wiedervorlage", output = crate::server_json::Json)]
pub async fn set_wiedervorlage(
    kind: String,
    id: i64,
    for_user_id: i64,
    due_on: String,
    reason: String,
) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            let subject = Subject::parse(&kind, id)?;
            super::service::set_wiedervorlage(&state, &user, subject, for_user_id, &due_on, &reason)
                .await
        }
        .await,
    )
}

/// Settles a Wiedervorlage: `erledigt`, `abbrechen`, or `verschieben`
/// to `due_on`.
#[server(prefix = "/api", endpoint = "settle_wiedervorlage", output = crate::server_json::Json)]
pub async fn settle_wiedervorlage(id: i64, action: String, due_on: String) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            super::service::settle_wiedervorlage(
                &state,
                &user,
                id,
                Settle::parse(&action, &due_on)?,
            )
            .await
        }
        .await,
    )
}

/// Puts a document or Vorgang into a colleague's Postkorb with a note.
#[server(prefix = "/api", endpoint = "assign_to", output = crate::server_json::Json)]
pub async fn assign_to(
    kind: String,
    id: i64,
    to_user_id: i64,
    note: String,
) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            let subject = Subject::parse(&kind, id)?;
            super::service::assign(&state, &user, subject, to_user_id, &note).await
        }
        .await,
    )
}

/// Marks a Zuweisung in the own Postkorb done.
#[server(prefix = "/api", endpoint = "finish_assignment", output = crate::server_json::Json)]
pub async fn finish_assignment(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            super::service::finish_assignment(&state, &user, id).await
        }
        .await,
    )
}
