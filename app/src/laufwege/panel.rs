//! „Mitzeichnung und Freigabe" on a document's page: its Laufwege with
//! every step, the answer of the person asked now, and the form to start
//! a new one on the newest version.

use super::server_fns::{load_laufwege, AnswerLaufwegStep, StartLaufweg, WithdrawLaufweg};
use super::{DocumentLaufwege, LaufwegStatus, LaufwegView, StepKind, StepView};
use crate::error::AppError;
use crate::ui::ErrorNotice;
use leptos::prelude::*;

/// Rows of the start form; steps with the same stage run side by side.
const FORM_ROWS: usize = 5;

/// What the panel needs from its page; created at the top of the page.
#[derive(Clone, Copy)]
pub struct LaufwegState {
    pub laufwege: crate::server_json::Loaded<Result<DocumentLaufwege, AppError>>,
    pub start: ServerAction<StartLaufweg>,
    pub answer: ServerAction<AnswerLaufwegStep>,
    pub withdraw: ServerAction<WithdrawLaufweg>,
}

impl LaufwegState {
    /// `document_id` and `changes` (a new version) are read reactively.
    pub fn new(document_id: impl Fn() -> Option<i64> + Send + Sync + 'static) -> LaufwegState {
        let start = ServerAction::<StartLaufweg>::new();
        let answer = ServerAction::<AnswerLaufwegStep>::new();
        let withdraw = ServerAction::<WithdrawLaufweg>::new();
        let clerk = crate::auth::use_current_user()
            .is_some_and(|user| crate::auth::guard::Rule::Clerk.allows(&user));
        let laufwege = crate::server_json::resource(
            move || {
                (
                    document_id(),
                    start.version().get(),
                    answer.version().get(),
                    withdraw.version().get(),
                )
            },
            move |(id, ..)| async move {
                match id {
                    Some(_) if !clerk => Err(AppError::Forbidden),
                    Some(id) => load_laufwege(id).await,
                    None => Err(AppError::NotFound("Das Dokument".into())),
                }
            },
        );
        LaufwegState {
            laufwege,
            start,
            answer,
            withdraw,
        }
    }
}

#[component]
pub fn LaufwegPanel(document_id: i64, title: String, state: LaufwegState) -> impl IntoView {
    let LaufwegState {
        laufwege,
        start,
        answer,
        withdraw,
    } = state;
    // Answers change the Postkorb's count.
    Effect::new(move |_| {
        if answer.version().get() + start.version().get() > 0 {
            crate::announcements::header::CommsRefresh::bump();
        }
    });
    // A running tour may wait for it.
    Effect::new(move |_| {
        if matches!(start.value().get(), Some(Ok(_))) {
            crate::tours::emit(crate::tours::WaitFor::LaufwegStarted);
        }
    });
    view! {
        <section class="panel laufwege" aria-labelledby="laufweg-heading" data-tour="laufweg">
            <h2 id="laufweg-heading">"Mitzeichnung und Freigabe"</h2>
            <div role="status" aria-live="polite">
                {move || start.value().get().map(|r| match r {
                    Ok(_) => view! { <p class="notice success">"Der Laufweg ist gestartet; die ersten Personen sind gefragt."</p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                })}
                {move || answer.value().get().map(|r| match r {
                    Ok(LaufwegStatus::Completed) => view! { <p class="notice success">"Ihre Antwort ist gespeichert. Der Laufweg ist abgeschlossen."</p> }.into_any(),
                    Ok(LaufwegStatus::Returned) => view! { <p class="notice success">"Ihre Antwort ist gespeichert. Der Laufweg geht zurück an die Person, die ihn begonnen hat."</p> }.into_any(),
                    Ok(_) => view! { <p class="notice success">"Ihre Antwort ist gespeichert."</p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                })}
                {move || withdraw.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
            </div>
            <Transition fallback=|| view! { <p>"Laufwege werden geladen …"</p> }>
                {move || {
                    let title = title.clone();
                    Suspend::new(async move {
                        match laufwege.await {
                            Ok(data) => view! { <Laufwege document_id title data start answer withdraw/> }.into_any(),
                            Err(AppError::Forbidden) => ().into_any(),
                            Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

fn short(sha256: &str) -> String {
    sha256.chars().take(12).collect()
}

#[component]
fn Laufwege(
    document_id: i64,
    title: String,
    data: DocumentLaufwege,
    start: ServerAction<StartLaufweg>,
    answer: ServerAction<AnswerLaufwegStep>,
    withdraw: ServerAction<WithdrawLaufweg>,
) -> impl IntoView {
    let approval = match &data.approved {
        Some((number, sha)) if *number == data.newest_version => view! {
            <p class="notice success">{format!("Freigegeben: Version {number} (SHA-256 {}…).", short(sha))}</p>
        }.into_any(),
        Some((number, sha)) => view! {
            <p class="notice">{format!(
                "Freigegeben ist Version {number} (SHA-256 {}…). Die neuere Version {} braucht eine neue Freigabe.",
                short(sha), data.newest_version
            )}</p>
        }.into_any(),
        None => view! { <p>"Noch keine Version dieses Dokuments ist freigegeben."</p> }.into_any(),
    };
    view! {
        {approval}
        {(!data.laufwege.is_empty()).then(|| view! {
            <p><a href=format!("/dokumente/{document_id}/laufwege.csv") download="">"Alle Laufwege als CSV für die Akte herunterladen"</a></p>
        })}
        {data.laufwege.into_iter().map(|l| view! { <Laufweg document_id l answer withdraw/> }).collect_view()}
        {data.may_start.then(|| view! {
            <StartForm document_id title colleagues=data.colleagues funktionen=data.funktionen newest=data.newest_version start/>
        })}
    }
}

#[component]
fn Laufweg(
    document_id: i64,
    l: LaufwegView,
    answer: ServerAction<AnswerLaufwegStep>,
    withdraw: ServerAction<WithdrawLaufweg>,
) -> impl IntoView {
    let mine: Option<StepView> = l.steps.iter().find(|s| s.mine).cloned();
    let id = l.id;
    view! {
        <article class="laufweg" aria-label=format!("Laufweg {}", l.title)>
            <h3>{l.title.clone()}</h3>
            <p>
                {format!("{} · begonnen von {} am {} · ", l.status.label(), l.started_by, l.started_at)}
                <a href=format!("/dokumente/{document_id}/datei?version={}&ansicht=1", l.version_number) target="_blank">
                    {format!("Version {} ansehen", l.version_number)}
                </a>
                <span class="field-hint">{format!(" (SHA-256 {}…)", short(&l.sha256))}</span>
            </p>
            <table class="data-table">
                <caption class="visually-hidden">{format!("Schritte des Laufwegs {}", l.title)}</caption>
                <thead><tr>
                    <th scope="col">"Stufe"</th><th scope="col">"Person"</th><th scope="col">"Art"</th>
                    <th scope="col">"Stand"</th><th scope="col">"Anmerkung"</th><th scope="col">"Zeitpunkt"</th>
                </tr></thead>
                <tbody>
                    {l.steps.iter().map(|s| view! {
                        <tr class:active=s.mine>
                            <td>{s.stage}</td>
                            <td>
                                {s.person.clone()}
                                {s.answered_by.clone().map(|by| view! { <span class="field-hint">{format!(" (beantwortet von {by})")}</span> })}
                            </td>
                            <td>{s.kind.label()}</td>
                            <td>
                                {s.state.label()}
                                {s.approved_sha256.as_deref().map(|sha| view! { <span class="field-hint">{format!(" (SHA-256 {}…)", short(sha))}</span> })}
                            </td>
                            <td>{s.remark.clone()}</td>
                            <td>{s.answered_at.clone().unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {mine.map(|step| view! { <AnswerForm step answer/> })}
            {l.may_withdraw.then(|| view! {
                <button type="button" class="button secondary small"
                    on:click=move |_| { withdraw.dispatch(WithdrawLaufweg { id }); }>"Laufweg zurückziehen"</button>
            })}
        </article>
    }
}

#[component]
fn AnswerForm(step: StepView, answer: ServerAction<AnswerLaufwegStep>) -> impl IntoView {
    let step_id = step.id;
    let remark_id = format!("antwort-{step_id}");
    let choice = RwSignal::new(if step.kind == StepKind::Kenntnis {
        "kenntnis"
    } else {
        "zustimmen"
    });
    let remark = RwSignal::new(String::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        answer.dispatch(AnswerLaufwegStep {
            step_id,
            action: choice.get_untracked().to_string(),
            remark: remark.get_untracked(),
        });
    };
    let option = move |value: &'static str, text: &'static str| {
        view! {
            <label>
                <input type="radio" name=format!("antwort-art-{step_id}") value=value
                    prop:checked=move || choice.get() == value on:change=move |_| choice.set(value)/>
                {text}
            </label>
        }
    };
    view! {
        <form class="stacked-form narrow laufweg-answer" on:submit=on_submit>
            {if step.kind == StepKind::Kenntnis {
                view! { <button type="submit" class="button primary">"Zur Kenntnis genommen"</button> }.into_any()
            } else {
                view! {
                    <fieldset>
                        <legend>{if step.as_deputy {
                            format!("Ihre Antwort {} i. V. für {}", step.kind.label(), step.person)
                        } else {
                            format!("Ihre Antwort {}", step.kind.label())
                        }}</legend>
                        {option("zustimmen", " Zustimmen")}
                        {option("anmerkung", " Mit Anmerkung zustimmen")}
                        {option("ablehnen", " Ablehnen")}
                    </fieldset>
                    <label for=remark_id.clone()>"Anmerkung oder Begründung"</label>
                    <textarea id=remark_id rows="2" maxlength="2000"
                        prop:value=remark on:input=move |ev| remark.set(event_target_value(&ev))></textarea>
                    <button type="submit" class="button primary">"Antwort senden"</button>
                }.into_any()
            }}
        </form>
    }
}

#[component]
fn StartForm(
    document_id: i64,
    title: String,
    colleagues: Vec<crate::users::Colleague>,
    /// Funktionen that can be asked; their option values are `f<id>`.
    funktionen: Vec<crate::users::Colleague>,
    newest: i64,
    start: ServerAction<StartLaufweg>,
) -> impl IntoView {
    let subject = RwSignal::new(title);
    // Each row: person, kind, stage, as typed.
    let rows: Vec<(RwSignal<String>, RwSignal<String>, RwSignal<String>)> = (0..FORM_ROWS)
        .map(|row| {
            (
                RwSignal::new(String::new()),
                RwSignal::new("mitzeichnung".to_string()),
                RwSignal::new((row + 1).to_string()),
            )
        })
        .collect();
    let fields = rows.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        start.dispatch(StartLaufweg {
            document_id,
            title: subject.get_untracked(),
            steps: fields
                .iter()
                .map(|(user, kind, stage)| super::StepInput {
                    user_id: user.get_untracked(),
                    kind: kind.get_untracked(),
                    stage: stage.get_untracked(),
                })
                .collect(),
        });
    };
    view! {
        <details class="laufweg-start" data-tour="laufweg-starten">
            <summary>"Laufweg starten"</summary>
            <form class="stacked-form" on:submit=on_submit>
                <p>{format!("Gefragt wird zu Version {newest}. Schritte mit derselben Stufe laufen gleichzeitig; leere Zeilen entfallen.")}</p>
                <label for="laufweg-title">"Betreff"</label>
                <input id="laufweg-title" type="text" required maxlength="300"
                    prop:value=subject on:input=move |ev| subject.set(event_target_value(&ev))/>
                {rows.into_iter().enumerate().map(|(row, (user, kind, stage))| {
                    let person = format!("laufweg-person-{row}");
                    let art = format!("laufweg-art-{row}");
                    let stufe = format!("laufweg-stufe-{row}");
                    view! {
                        <fieldset class="laufweg-row">
                            <legend>{format!("Schritt {}", row + 1)}</legend>
                            <label for=person.clone()>"Person oder Funktion"</label>
                            <select id=person on:change=move |ev| user.set(event_target_value(&ev))>
                                <option value="">"–"</option>
                                {colleagues.iter().map(|c| view! { <option value=c.id>{c.name.clone()}</option> }).collect_view()}
                                {(!funktionen.is_empty()).then(|| view! {
                                    <optgroup label="Funktionen">
                                        {funktionen.iter().map(|f| view! { <option value=format!("f{}", f.id)>{format!("Funktion {}", f.name)}</option> }).collect_view()}
                                    </optgroup>
                                })}
                            </select>
                            <label for=art.clone()>"Art"</label>
                            <select id=art on:change=move |ev| kind.set(event_target_value(&ev))>
                                <option value="mitzeichnung">"zur Mitzeichnung"</option>
                                <option value="freigabe">"zur Freigabe"</option>
                                <option value="kenntnis">"zur Kenntnis"</option>
                            </select>
                            <label for=stufe.clone()>"Stufe"</label>
                            <input id=stufe type="number" min="1" max="100"
                                prop:value=stage on:input=move |ev| stage.set(event_target_value(&ev))/>
                        </fieldset>
                    }
                }).collect_view()}
                <button type="submit" class="button primary">"Laufweg starten"</button>
            </form>
        </details>
    }
}
