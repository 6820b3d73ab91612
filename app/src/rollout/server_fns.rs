//! The dashboard's one server function; the use case is
//! [`super::service::dashboard`], shared with the CSV route.

use super::{Dashboard, DashboardRequest};
use crate::error::AppError;
use leptos::prelude::*;

/// The figures for the chosen range, granularity and municipality.
#[server(prefix = "/api", endpoint = "rollout_dashboard", output = crate::server_json::Json)]
pub async fn rollout_dashboard(request: DashboardRequest) -> Result<Dashboard, AppError> {
    use crate::auth::guard::{require, Rule};
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::dashboard(&state, &user, &request).await
        }
        .await,
    )
}
