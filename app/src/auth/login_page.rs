//! `/anmelden`: a plain HTML form that posts to the server's `/anmelden`
//! handler, so it works the same with and without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The German message for the `?fehler=` code the login handler redirects with.
pub fn error_message(code: &str, minutes: Option<&str>) -> Option<String> {
    match code {
        "ungueltig" => Some("Benutzername oder Passwort ist nicht korrekt.".into()),
        "gesperrt" => Some(format!(
            "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie {} Minute(n) und versuchen Sie es dann erneut.",
            minutes.and_then(|m| m.parse::<u32>().ok()).unwrap_or(15)
        )),
        "intern" => Some(
            "Die Anmeldung ist gerade nicht möglich. Bitte versuchen Sie es gleich noch einmal.".into(),
        ),
        "leer" => Some("Bitte geben Sie Benutzername und Passwort ein.".into()),
        "ausgelastet" => Some(
            "Der Server ist gerade ausgelastet. Bitte versuchen Sie es in einigen Sekunden erneut."
                .into(),
        ),
        _ => None,
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || {
        let q = query.read();
        q.get("fehler")
            .and_then(|code| error_message(&code, q.get("minuten").as_deref()))
    };
    let info = move || {
        let q = query.read();
        if q.get("abgemeldet").is_some() {
            Some("Sie haben sich abgemeldet. Bis bald!")
        } else if q.get("abgelaufen").is_some() {
            Some("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.")
        } else {
            None
        }
    };
    let next = move || query.read().get("weiter").unwrap_or_default();
    let username = move || query.read().get("name").unwrap_or_default();
    let (show_password, set_show_password) = signal(false);

    view! {
        <Title text="Anmelden"/>
        <a class="skip-link" href="#inhalt">"Zum Inhalt springen"</a>
        <main id="inhalt" class="login-page" tabindex="-1">
            <div class="login-card">
                <p class="brand brand-large" aria-hidden="true">
                    <span class="brand-mark">"A"</span>
                    "Aktenwerk"
                </p>
                <h1>"Anmelden"</h1>
                <p class="login-intro">
                    "Das Dokumentenmanagement von Michelstadt, Erbach, Oberzent und Brombachtal."
                </p>
                {move || info().map(|text| view! { <p class="notice info" role="status">{text}</p> })}
                {move || {
                    error()
                        .map(|text| {
                            view! {
                                <p class="notice error" role="alert" id="login-error">
                                    {text}
                                </p>
                            }
                        })
                }}
                <form method="post" action="/anmelden" class="stacked-form">
                    <input type="hidden" name="weiter" value=next/>
                    <label for="benutzername">"Benutzername"</label>
                    <input
                        id="benutzername"
                        name="benutzername"
                        type="text"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required
                        autofocus
                        value=username
                        aria-describedby=move || error().map(|_| "login-error")
                    />
                    <label for="passwort">"Passwort"</label>
                    <div class="password-field">
                        <input
                            id="passwort"
                            name="passwort"
                            type=move || if show_password.get() { "text" } else { "password" }
                            autocomplete="current-password"
                            required
                        />
                        <button
                            type="button"
                            class="button secondary small"
                            aria-controls="passwort"
                            aria-pressed=move || show_password.get().to_string()
                            on:click=move |_| set_show_password.update(|shown| *shown = !*shown)
                        >
                            {move || if show_password.get() { "Passwort verbergen" } else { "Passwort anzeigen" }}
                        </button>
                    </div>
                    <button type="submit" class="button primary">"Anmelden"</button>
                </form>
                <p class="login-help">
                    "Passwort vergessen oder Konto gesperrt? Die IT-Administration Ihrer Gemeinde setzt es zurück."
                </p>
            </div>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_have_german_messages() {
        assert!(error_message("ungueltig", None).is_some_and(|m| m.contains("nicht korrekt")));
        assert!(error_message("gesperrt", Some("3")).is_some_and(|m| m.contains("3 Minute")));
        assert!(error_message("gesperrt", Some("<script>")).is_some_and(|m| m.contains("15")));
        assert!(error_message("ausgelastet", None).is_some_and(|m| m.contains("ausgelastet")));
        assert_eq!(error_message("<b>", None), None);
    }
}
