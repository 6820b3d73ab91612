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

/// One field of a form drawn by [`Fields`]: a text input, or a choice
/// when it has options (value, label). `name` is the server function's
/// argument it fills (the form posts as it stands, [`crate::form_post`]).
pub struct Input {
    pub id: &'static str,
    pub name: &'static str,
    pub label: &'static str,
    /// `text` or `password`.
    pub kind: &'static str,
    /// What it shows at first (the chosen option of a choice).
    pub value: String,
    pub options: Vec<(String, String)>,
}

impl Input {
    pub fn text(id: &'static str, name: &'static str, label: &'static str, value: &str) -> Input {
        Input {
            id,
            name,
            label,
            kind: "text",
            value: value.to_string(),
            options: Vec::new(),
        }
    }

    /// A choice; the first option is chosen.
    pub fn choice(
        id: &'static str,
        name: &'static str,
        label: &'static str,
        options: Vec<(String, String)>,
    ) -> Input {
        Input {
            value: options.first().map(|o| o.0.clone()).unwrap_or_default(),
            options,
            ..Input::text(id, name, label, "")
        }
    }
}

/// Labelled fields, one after another: drawn by one piece of code for
/// every form that uses it, which keeps the browser bundle small.
#[component]
pub fn Fields(fields: Vec<Input>) -> impl IntoView {
    fields
        .into_iter()
        .map(|field| {
            let control = if field.options.is_empty() {
                view! {
                    <input id=field.id name=field.name type=field.kind value=field.value
                        autocomplete=if field.kind == "password" { "new-password" } else { "off" }/>
                }
                .into_any()
            } else {
                let chosen = field.value;
                view! {
                    <select id=field.id name=field.name>
                        {field.options.into_iter().map(|(v, label)| {
                            let selected = v == chosen;
                            view! { <option value=v selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                }
                .into_any()
            };
            view! { <label for=field.id>{field.label}</label>{control} }
        })
        .collect_view()
}

/// What the Administration's pages of the inputs that arrive by themselves
/// (Scan-Ordner, Postfächer) show: one type for both, so the browser holds
/// one reader for them.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ArrivalOverview {
    /// A sentence above the form (where the folders lie on the server).
    pub intro: String,
    pub rows: Vec<ArrivalRow>,
    /// Who documents may be recorded under: (user id, name).
    pub clerks: Vec<(String, String)>,
    /// What was not taken, newest first.
    pub refusals: Vec<ArrivalRefusal>,
}

/// One Scan-Ordner or Postfach in the Administration's table.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ArrivalRow {
    pub id: i64,
    pub name: String,
    /// Where it lies or which server it reads.
    pub source: String,
    pub responsible: String,
    /// The responsible clerk's account is deactivated: what arrives waits.
    pub responsible_inactive: bool,
    /// „MIC 621.1-0007 Bauanträge 2026“, or „Posteingang“.
    pub target: String,
    pub stored: i64,
    pub refused: i64,
    /// When it last took something or was last looked into.
    pub last: String,
    /// Why the last look failed.
    pub last_error: Option<String>,
}

/// A file or message that was not taken.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ArrivalRefusal {
    /// The file name or the subject.
    pub what: String,
    /// „ · Poststelle · 07.12.2026 10:15“
    pub context: String,
    pub why: String,
}

/// The table of a municipality's Scan-Ordner or Postfächer; `actions`
/// draws each row's buttons.
#[component]
pub fn ArrivalTable(
    heading_id: &'static str,
    heading: &'static str,
    empty: &'static str,
    rows: Vec<(ArrivalRow, AnyView)>,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby=heading_id>
            <h2 id=heading_id>{heading}</h2>
            {if rows.is_empty() {
                view! { <p class="empty">{empty}</p> }.into_any()
            } else {
                view! {
                    <table class="documents">
                        <thead><tr>
                            {["Name", "Woher", "Im Namen von", "Ablage", "Übernommen", "Abgelehnt", "Zuletzt", "Aktion"]
                                .map(|h| view! { <th scope="col">{h}</th> })}
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|(row, actions)| view! {
                                <tr>
                                    <td>{row.name}</td><td><code>{row.source}</code></td>
                                    <td>
                                        {row.responsible}
                                        {row.responsible_inactive.then(|| view! {
                                            <p class="notice warning">"Konto deaktiviert: Eingänge warten, bis es wieder aktiv ist."</p>
                                        })}
                                    </td>
                                    <td>{row.target}</td><td>{row.stored}</td><td>{row.refused}</td>
                                    <td>
                                        {row.last}
                                        {row.last_error.map(|e| view! { <p class="notice error">{format!("Fehlgeschlagen: {e}")}</p> })}
                                    </td>
                                    <td>{actions}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// What an input that arrives by itself (a Scan-Ordner, a Postfach) did
/// not take, newest first: each item's name, where and when, and why.
#[component]
pub fn Refusals(
    id: &'static str,
    items: Vec<ArrivalRefusal>,
    empty: &'static str,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby=id>
            <h2 id=id>"Nicht übernommen"</h2>
            {if items.is_empty() {
                view! { <p class="empty">{empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="postkorb-list">
                        {items.into_iter().map(|r| view! {
                            <li class="postkorb-item">
                                <strong>{r.what}</strong>
                                <span class="field-hint">{r.context}</span>
                                <p>{r.why}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
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
