//! `/fragen` (my questions; for the project team all of them),
//! `/fragen/<id>` (the thread) and `/fragen/faq` (the shared FAQ).

use super::server_fns::{
    get_question, list_faq, list_questions, CloseQuestion, DeleteFaq, QuestionToFaq, ReplyQuestion,
    SaveFaq,
};
use super::{FaqEntry, QuestionStatus, QuestionSummary, QuestionThread};
use crate::announcements::header::CommsRefresh;
use crate::form_post::{FormAction, PostForm};
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn QuestionsPage() -> impl IntoView {
    let list = crate::server_json::resource(|| (), |_| list_questions());
    view! {
        <PageHeading title="Fragen an das Projektteam"/>
        <p class="lead">
            "Fragen stellen Sie auf jeder Seite über „Frage an das Projektteam“ oben rechts. Antworten, die allen helfen, stehen in den "
            <a href="/fragen/faq">"häufigen Fragen (FAQ)"</a>"."
        </p>
        <Transition fallback=|| view! { <p>"Fragen werden geladen …"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok((mine, all)) => view! {
                        {all.map(|all| view! {
                            <section aria-labelledby="alle-fragen">
                                <h2 id="alle-fragen">"Alle Fragen (Projektteam)"</h2>
                                <QuestionTable items=all show_asker=true label="Alle Fragen, wartende zuerst"/>
                            </section>
                        })}
                        <section aria-labelledby="meine-fragen">
                            <h2 id="meine-fragen">"Meine Fragen"</h2>
                            {if mine.is_empty() {
                                view! { <p class="empty">"Sie haben noch keine Frage gestellt."</p> }.into_any()
                            } else {
                                view! { <QuestionTable items=mine show_asker=false label="Meine Fragen"/> }.into_any()
                            }}
                        </section>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn QuestionTable(
    items: Vec<QuestionSummary>,
    show_asker: bool,
    label: &'static str,
) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="empty">"Keine Fragen."</p> }.into_any();
    }
    view! {
        <table class="data-table">
            <caption class="visually-hidden">{label}</caption>
            <thead>
                <tr>
                    <th scope="col">"Frage"</th>
                    {show_asker.then(|| view! { <th scope="col">"Von"</th> })}
                    <th scope="col">"Gestellt am"</th>
                    <th scope="col">"Seite"</th>
                    <th scope="col">"Stand"</th>
                </tr>
            </thead>
            <tbody>
                {items.into_iter().map(|q| view! {
                    <tr class:unseen=q.unseen_answer>
                        <td>
                            <a href=format!("/fragen/{}", q.id)>{q.excerpt.clone()}</a>
                            {q.unseen_answer.then(|| view! { " "<span class="tag new">"neue Antwort"</span> })}
                        </td>
                        {show_asker.then(|| view! { <td>{format!("{} ({})", q.asker_name, q.municipality)}</td> })}
                        <td>{q.asked.clone()}</td>
                        <td><code>{q.page_path.clone()}</code></td>
                        <td>{format!("{} · {} Nachricht(en)", q.status.label(), q.messages)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn QuestionPage() -> impl IntoView {
    let params = use_params_map();
    let reply = ServerAction::<ReplyQuestion>::new();
    let close = ServerAction::<CloseQuestion>::new();
    let to_faq = ServerAction::<QuestionToFaq>::new();
    let thread = crate::server_json::resource(
        move || {
            (
                params
                    .read()
                    .get("id")
                    .and_then(|id| id.parse::<i64>().ok()),
                reply.version().get(),
                close.version().get(),
                to_faq.version().get(),
            )
        },
        |(id, _, _, _)| async move {
            match id {
                Some(id) => get_question(id).await,
                None => Err(crate::error::AppError::NotFound("Die Frage".into())),
            }
        },
    );
    // Opening the thread saw its answers: the header count follows.
    Effect::new(move |_| {
        if thread.get().is_some() {
            CommsRefresh::bump();
        }
    });
    view! {
        <div role="status" aria-live="polite">
            {move || reply.value().get().map(|r| match r {
                Ok(_) => view! { <p class="notice success">"Ihre Nachricht wurde gesendet."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || close.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice success">"Die Frage ist als erledigt markiert."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || to_faq.value().get().map(|r| match r {
                Ok(id) => view! { <p class="notice success">"In die FAQ übernommen. "<a href=format!("/fragen/faq#faq-{id}")>"Eintrag ansehen und bearbeiten"</a></p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </div>
        <Transition fallback=|| view! { <p>"Frage wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match thread.await {
                    Ok(thread) => view! { <Thread thread reply close to_faq/> }.into_any(),
                    Err(error) => view! { <h1>"Frage"</h1><ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Thread(
    thread: QuestionThread,
    reply: ServerAction<ReplyQuestion>,
    close: ServerAction<CloseQuestion>,
    to_faq: ServerAction<QuestionToFaq>,
) -> impl IntoView {
    let id = thread.id;
    let has_answer = thread.messages.iter().any(|m| m.from_team);
    let text = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = reply.value().get() {
            text.set(String::new());
        }
    });
    let send = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        reply.dispatch(ReplyQuestion {
            id,
            text: text.get_untracked(),
        });
    };
    let title = format!("Frage vom {}", thread.asked);
    view! {
        <Title text=title.clone()/>
        <p class="eyebrow"><a href="/fragen">"Fragen an das Projektteam"</a></p>
        <h1>{title}</h1>
        <dl class="facts panel">
            <dt>"Gestellt von"</dt><dd>{format!("{} ({})", thread.asker_name, thread.municipality)}</dd>
            <dt>"Gestellt auf der Seite"</dt><dd><code>{thread.page_path.clone()}</code></dd>
            <dt>"Stand"</dt><dd>{thread.status.label()}</dd>
        </dl>
        <ol class="thread" aria-label="Verlauf">
            {thread.messages.into_iter().map(|m| view! {
                <li class="message" class:from-team=m.from_team>
                    <p class="meta">
                        <strong>{m.author_name.clone()}</strong>
                        {if m.from_team { " (Projektteam)" } else { "" }}
                        {format!(" · {}", m.at)}
                    </p>
                    <div class="markdown" inner_html=m.body_html.clone()></div>
                </li>
            }).collect_view()}
        </ol>
        <form class="panel" on:submit=send>
            <div class="field">
                <label for="reply-text">{if thread.as_team { "Antwort des Projektteams" } else { "Nachfrage oder Ergänzung" }}</label>
                <textarea id="reply-text" rows="5" required maxlength="4000"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </div>
            <button type="submit" class="button primary" disabled=move || reply.pending().get()>"Senden"</button>
        </form>
        <div class="actions">
            {(thread.status != QuestionStatus::Closed).then(|| view! {
                <button type="button" class="button secondary" on:click=move |_| { close.dispatch(CloseQuestion { id }); }>
                    "Als erledigt markieren"
                </button>
            })}
            {(thread.as_team && has_answer).then(|| match thread.faq_id {
                Some(faq) => view! { <a href=format!("/fragen/faq#faq-{faq}")>"In der FAQ"</a> }.into_any(),
                None => view! {
                    <button type="button" class="button secondary" on:click=move |_| { to_faq.dispatch(QuestionToFaq { id }); }>
                        "Als FAQ übernehmen"
                    </button>
                }.into_any(),
            })}
        </div>
    }
}

#[component]
pub fn FaqPage() -> impl IntoView {
    let save = FormAction::<i64>::of::<SaveFaq>();
    let delete = ServerAction::<DeleteFaq>::new();
    let faq = crate::server_json::resource(
        move || (save.version().get(), delete.version().get()),
        |_| list_faq(),
    );
    view! {
        <PageHeading title="Häufige Fragen (FAQ)"/>
        <p class="lead">"Antworten des Projektteams auf Fragen, die viele betreffen. Ihre eigene Frage stellen Sie über „Frage an das Projektteam“."</p>
        <div role="status" aria-live="polite">
            {move || save.value().get().map(|r| match r {
                Ok(_) => view! { <p class="notice success">"Der FAQ-Eintrag ist gespeichert."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || delete.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
        </div>
        <Transition fallback=|| view! { <p>"FAQ wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match faq.await {
                    Ok(list) => {
                        let may_edit = list.may_edit;
                        view! {
                            {list.entries.is_empty().then(|| view! { <p class="empty">"Noch keine Einträge."</p> })}
                            <div class="faq-list">
                                {list.entries.into_iter().map(|entry| view! { <Faq entry may_edit save delete/> }).collect_view()}
                            </div>
                            {may_edit.then(|| view! { <NewFaq save/> })}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Faq(
    entry: FaqEntry,
    may_edit: bool,
    save: FormAction<i64>,
    delete: ServerAction<DeleteFaq>,
) -> impl IntoView {
    let id = entry.id;
    view! {
        <article class="faq panel" id=format!("faq-{id}") aria-labelledby=format!("faq-{id}-frage")>
            <h2 id=format!("faq-{id}-frage")>{entry.question.clone()}</h2>
            <div class="markdown" inner_html=entry.answer_html.clone()></div>
            <p class="meta">{format!("Stand: {}", entry.updated)}</p>
            {may_edit.then(|| view! {
                <details>
                    <summary>"Bearbeiten"<span class="visually-hidden">{format!(": {}", entry.question)}</span></summary>
                    <PostForm action=save>
                        <input type="hidden" name="id" value=id/>
                        <div class="field">
                            <label for=format!("faq-{id}-q")>"Frage"</label>
                            <input id=format!("faq-{id}-q") name="question" type="text" required value=entry.question.clone()/>
                        </div>
                        <div class="field">
                            <label for=format!("faq-{id}-a")>"Antwort (Markdown)"</label>
                            <textarea id=format!("faq-{id}-a") name="answer" rows="6" required>{entry.answer.clone()}</textarea>
                        </div>
                        <button type="submit" class="button primary small">"Speichern"</button>
                    </PostForm>
                    <button type="button" class="button danger small" on:click=move |_| { delete.dispatch(DeleteFaq { id }); }>
                        "Eintrag löschen"
                    </button>
                </details>
            })}
        </article>
    }
}

#[component]
fn NewFaq(save: FormAction<i64>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="faq-neu">
            <h2 id="faq-neu">"Neuer FAQ-Eintrag"</h2>
            <PostForm action=save>
                <div class="field">
                    <label for="faq-new-q">"Frage"</label>
                    <input id="faq-new-q" name="question" type="text" required/>
                </div>
                <div class="field">
                    <label for="faq-new-a">"Antwort (Markdown)"</label>
                    <textarea id="faq-new-a" name="answer" rows="6" required></textarea>
                </div>
                <button type="submit" class="button primary small">"Eintrag anlegen"</button>
            </PostForm>
        </section>
    }
}
