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

/// What a page shows someone its guard refuses: the notice, with status 403
/// when rendered on the server, and no request the server would refuse.
#[component]
pub fn Refused() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let _ = crate::error::with_status(Err::<(), _>(AppError::Forbidden));
    view! { <ErrorNotice error=AppError::Forbidden/> }
}

/// An error in words a clerk understands, announced to screen readers.
/// What an action answered: `success` when it went through, the error
/// otherwise, nothing before it ran. One for every result type: callers
/// map theirs to `()`, so the browser holds this view once.
#[component]
pub fn ResultNotice(
    result: Signal<Option<Result<(), AppError>>>,
    success: &'static str,
) -> impl IntoView {
    move || {
        result.get().map(|result| match result {
            Ok(()) => view! { <p class="notice success">{success}</p> }.into_any(),
            Err(error) => view! { <ErrorNotice error/> }.into_any(),
        })
    }
}

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
