//! Server functions of the Abstimmung (plan change proposals): each hands
//! its request to the use case in [`super::service`].

use super::{AbstimmungData, ProposalForm, ReleaseView};
use crate::error::AppError;
use leptos::prelude::*;

/// Proposals and what the user may do with them.
#[server(prefix = "/api", endpoint = "load_abstimmung", output = crate::server_json::Json)]
pub async fn load_abstimmung() -> Result<AbstimmungData, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            super::service::overview(&state, &user).await
        }
        .await,
    )
}

/// Proposes one change with a justification.
#[server(prefix = "/api", endpoint = "propose_change", output = crate::server_json::Json)]
pub async fn propose_change(proposal: ProposalForm) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            super::service::propose(&state, &user, &proposal).await
        }
        .await,
    )
}

/// Adds a comment to a proposal (anyone who may propose or decide).
#[server(prefix = "/api", endpoint = "comment_proposal", output = crate::server_json::Json)]
pub async fn comment_proposal(proposal_id: i64, text: String) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            super::service::comment(&state, &user, proposal_id, &text).await
        }
        .await,
    )
}

/// Approves or rejects a proposal (project team only).
#[server(prefix = "/api", endpoint = "decide_proposal", output = crate::server_json::Json)]
pub async fn decide_proposal(
    proposal_id: i64,
    approve: bool,
    note: String,
) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            super::service::decide(&state, &user, proposal_id, approve, &note).await
        }
        .await,
    )
}

/// Publishes all approved proposals as the next plan version.
#[server(prefix = "/api", endpoint = "publish_plan", output = crate::server_json::Json)]
pub async fn publish_plan(title: String, notes: String) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            super::service::publish(&state, &user, &title, &notes).await
        }
        .await,
    )
}

/// All published versions with their changelog; visible to everyone who
/// uses the plan.
#[server(prefix = "/api", endpoint = "list_releases", output = crate::server_json::Json)]
pub async fn list_releases() -> Result<Vec<ReleaseView>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            super::service::releases(&state, &user).await
        }
        .await,
    )
}
