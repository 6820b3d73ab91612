//! What signing in and using a session mean to features above auth.
//!
//! Auth sits low in the dependency order: rollout counts days of use and
//! practice keeps each person's practice area, and both build on auth.
//! So auth does not call them; it calls these hooks, which the server
//! fills in at start-up (`server/src/startup.rs`). The field types make the
//! wiring mandatory: an [`crate::state::AppState`] cannot be built without
//! deciding what happens on activity and in practice mode.

use super::SessionUser;
use crate::state::AppState;
use sqlx::SqliteConnection;
use std::future::Future;
use std::pin::Pin;

/// The future a hook returns (fn pointers cannot name `async fn` types).
pub type HookFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, sqlx::Error>> + Send + 'a>>;

/// A person used Aktenwerk: at sign-in, and on the first request of a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Activity {
    pub user_id: i64,
    /// The real municipality (sessions are looked up before practice).
    pub municipality_id: i64,
    pub at: i64,
}

#[derive(Clone, Copy)]
pub struct SessionHooks {
    /// Notes the activity, on the caller's connection (inside the sign-in
    /// transaction at login).
    pub on_activity: for<'c> fn(&'c mut SqliteConnection, Activity) -> HookFuture<'c, ()>,
    /// The user as they work inside their practice area, for trainees and
    /// everyone who switched practice mode on. Must never hand back a user
    /// outside practice: the session layer trusts it for the rights.
    pub practice_area: for<'s> fn(&'s AppState, SessionUser) -> HookFuture<'s, SessionUser>,
}

impl std::fmt::Debug for SessionHooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionHooks { .. }")
    }
}
