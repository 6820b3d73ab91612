//! Who is signed in and what they may do: roles, the session user, login,
//! password changes and the permission rules (plain functions, unit-tested).

pub mod guard;
pub mod login_page;
pub mod password_page;
pub mod permissions;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod hooks;
#[cfg(feature = "ssr")]
pub mod login;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod storage;
#[cfg(feature = "ssr")]
pub mod throttle;

use crate::municipalities::Municipality;
use serde::{Deserialize, Serialize};

/// The signed-in user, provided as context by the shell's layout around
/// every signed-in page; features read it here, never from the shell.
pub fn use_current_user() -> Option<SessionUser> {
    leptos::prelude::use_context::<SessionUser>()
}

/// The one role every user has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Municipal IT: manages users, not records.
    Administration,
    /// The central project team; sees all four municipalities for rollout work.
    Projektteam,
    /// Staff doing the daily casework.
    Sachbearbeitung,
    /// Trainees: only ever the practice area.
    Schulung,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Administration,
        Role::Projektteam,
        Role::Sachbearbeitung,
        Role::Schulung,
    ];

    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administration => "administration",
            Role::Projektteam => "projektteam",
            Role::Sachbearbeitung => "sachbearbeitung",
            Role::Schulung => "schulung",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == value)
    }

    /// The name people see.
    pub fn label(self) -> &'static str {
        match self {
            Role::Administration => "Administration",
            Role::Projektteam => "Projektteam",
            Role::Sachbearbeitung => "Sachbearbeitung",
            Role::Schulung => "Schulung",
        }
    }
}

/// The signed-in user as the pages and server functions see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub municipality: Municipality,
    /// Responsible for all four municipalities (e.g. the central IT admin).
    pub all_municipalities: bool,
    pub must_change_password: bool,
    /// Set while the user works in their practice area (always for
    /// trainees): `municipality` is then the practice municipality and
    /// `all_municipalities` is off; `role` stays the real role.
    pub practice: Option<PracticeArea>,
}

/// Where a practising user really belongs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeArea {
    /// The real municipality (for the header and for real audit entries).
    pub home: Municipality,
    /// Responsible for all municipalities outside practice.
    pub home_all_municipalities: bool,
}

impl SessionUser {
    /// The real municipality, in practice mode too.
    pub fn home_municipality(&self) -> &Municipality {
        self.practice
            .as_ref()
            .map_or(&self.municipality, |area| &area.home)
    }

    pub fn in_practice(&self) -> bool {
        self.practice.is_some()
    }
}

/// The signed-in user of the current request, or [`crate::error::AppError::NotLoggedIn`].
/// The session layer in the server puts the user into the request extensions.
/// A session that still has to replace its one-time password gets
/// [`crate::error::AppError::PasswordChangeRequired`]: it may do nothing
/// but change it (the server's session layer refuses the same for HTTP;
/// this covers server functions run while a page renders).
#[cfg(feature = "ssr")]
pub fn require_user() -> Result<SessionUser, crate::error::AppError> {
    let user = require_user_allowing_password_change()?;
    if user.must_change_password {
        return Err(crate::error::AppError::PasswordChangeRequired);
    }
    Ok(user)
}

/// Like [`require_user`], but lets a session with a one-time password
/// through: only for changing the password and for knowing who is signed in.
#[cfg(feature = "ssr")]
pub fn require_user_allowing_password_change() -> Result<SessionUser, crate::error::AppError> {
    current_user().ok_or(crate::error::AppError::NotLoggedIn)
}

#[cfg(feature = "ssr")]
pub fn current_user() -> Option<SessionUser> {
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
    parts.extensions.get::<SessionUser>().cloned()
}

/// The raw session token of the current request, put into the request
/// extensions by the server's session layer next to the [`SessionUser`].
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct SessionToken(pub String);

/// The client's address as the server determined it (see the server's
/// `client_address` layer), for the audit log.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);

#[cfg(feature = "ssr")]
pub fn client_address() -> Option<String> {
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
    parts.extensions.get::<ClientAddress>().map(|a| a.0.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_stored_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("Administrator"), None);
        assert_eq!(Role::parse(""), None);
    }
}
