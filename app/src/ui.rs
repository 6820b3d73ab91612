//! Small building blocks every page uses (heading, error notice); below every
//! feature, so features share them without importing the shell.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// The page's `<h1>` and document title in one.
#[component]
pub fn PageHeading(title: &'static str) -> impl IntoView {
    view! {
        <Title text=title/>
        <h1>{title}</h1>
    }
}

/// An error in words a clerk understands, announced to screen readers.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let login_hint = matches!(error, AppError::NotLoggedIn);
    let password_hint = matches!(error, AppError::PasswordChangeRequired);
    view! {
        <div class="notice error" role="alert">
            <p>{error.to_string()}</p>
            {login_hint.then(|| view! { <p><a href="/anmelden" rel="external">"Zur Anmeldung"</a></p> })}
            {password_hint.then(|| view! { <p><a href="/konto/passwort" rel="external">"Passwort ändern"</a></p> })}
        </div>
    }
}
