//! `/verwaltung/postfaecher`: the Administration connects the mailboxes
//! whose messages Aktenwerk takes by itself (usually the Poststelle's),
//! sees when each was last looked into and why that failed, fetches now,
//! and sees which messages were not taken.

use super::server_fns::{load_postfaecher, CreatePostfach, FetchPostfachNow, RemovePostfach};
use super::PostfachOverview;
use crate::form_post::{FormAction, PostForm};
use crate::ui::{ArrivalTable, ErrorNotice, Fields, Input, Refusals, ResultNotice};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PostfaecherPage() -> impl IntoView {
    let create = FormAction::<i64>::of::<CreatePostfach>();
    let remove = ServerAction::<RemovePostfach>::new();
    let fetch = ServerAction::<FetchPostfachNow>::new();
    let data = crate::server_json::resource(
        move || {
            (
                create.version().get(),
                remove.version().get(),
                fetch.version().get(),
            )
        },
        |_| load_postfaecher(),
    );
    view! {
        <Title text="Postfächer"/>
        <h1>"Verwaltung: Postfächer"</h1>
        <p class="lead">
            "Neue Nachrichten eines verbundenen Postfachs übernimmt Aktenwerk von selbst: jede als E-Mail-Dokument im Posteingang, "
            "ihre Anhänge als eigene, verknüpfte Dokumente, Absender, Datum und Betreff als Angaben. Jede Nachricht genau einmal. "
            <a href="/verwaltung">"Zurück zu den Benutzerkonten"</a>
        </p>
        <div role="status" aria-live="polite">
            <ResultNotice result=Signal::derive(move || create.value().get().map(|r| r.map(|_| ())))
                success="Die Anmeldung hat geklappt; das Postfach ist verbunden."/>
            <ResultNotice result=Signal::derive(move || remove.value().get())
                success="Aus dem Postfach wird nichts mehr abgerufen."/>
            {move || fetch.value().get().map(|result| match result {
                Ok(text) => view! { <p class="notice success">{text}</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </div>
        <Transition fallback=|| view! { <p>"Postfächer werden geladen …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <Overview data create remove fetch/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Overview(
    data: PostfachOverview,
    create: FormAction<i64>,
    remove: ServerAction<RemovePostfach>,
    fetch: ServerAction<FetchPostfachNow>,
) -> impl IntoView {
    let options = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(v, l)| (v.to_string(), l.to_string()))
            .collect::<Vec<_>>()
    };
    let rows = data
        .rows
        .into_iter()
        .map(|row| {
            let id = row.id;
            let fetch_label = format!("Postfach {} jetzt abrufen", row.name);
            let remove_label = format!("Postfach {} nicht mehr abrufen", row.name);
            let actions = view! {
                <button type="button" class="button secondary small" aria-label=fetch_label
                    disabled=move || fetch.pending().get()
                    on:click=move |_| { fetch.dispatch(FetchPostfachNow { id }); }>
                    "Jetzt abrufen"
                </button>
                <button type="button" class="button secondary small" aria-label=remove_label
                    on:click=move |_| { remove.dispatch(RemovePostfach { id }); }>
                    "Nicht mehr abrufen"
                </button>
            }
            .into_any();
            (row, actions)
        })
        .collect();
    view! {
        <p>{data.intro}</p>
        <section class="panel" aria-labelledby="postfach-neu">
            <h2 id="postfach-neu">"Postfach verbinden"</h2>
            <p class="field-hint">"Beim Speichern meldet sich Aktenwerk einmal an und prüft die Ordner. Das Kennwort wird verschlüsselt gespeichert und nie wieder angezeigt."</p>
            <PostForm action=create class="stacked-form narrow">
                <Fields fields=vec![
                    Input::text("pf-name", "form[name]", "Name", "Poststelle"),
                    Input::text("pf-host", "form[host]", "IMAP-Server", ""),
                    Input::text("pf-port", "form[port]", "Port", "993"),
                    Input::choice("pf-tls", "form[encryption]", "Verschlüsselung",
                        options(&[("tls", "TLS (Port 993)"), ("keine", "keine (nur Server auf diesem Rechner)")])),
                    Input::text("pf-login", "form[login]", "Benutzername", ""),
                    Input { kind: "password", ..Input::text("pf-pw", "form[password]", "Kennwort", "") },
                    Input::text("pf-ordner", "form[folder]", "Ordner", "INBOX"),
                    Input::choice("pf-nach", "form[after_import]", "Nach der Übernahme auf dem Server",
                        options(&[("markieren", "als gelesen markieren"), ("verschieben", "in einen Ordner verschieben"), ("loeschen", "löschen")])),
                    Input::text("pf-ziel", "form[move_to]", "Zielordner (nur beim Verschieben)", ""),
                    Input::choice("pf-person", "form[responsible_id]", "Dokumente werden abgelegt im Namen von", data.clerks),
                    Input::text("pf-akte", "form[aktenzeichen]", "In die Akte (Aktenzeichen; leer: Posteingang)", ""),
                ]/>
                <button type="submit" class="button primary" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Anmeldung wird geprüft …" } else { "Postfach verbinden" }}
                </button>
            </PostForm>
        </section>
        <ArrivalTable heading_id="postfach-liste" heading="Verbundene Postfächer" empty="Noch kein Postfach verbunden." rows/>
        <Refusals id="postfach-abgelehnt" empty="Keine abgelehnten Nachrichten." items=data.refusals/>
    }
}
