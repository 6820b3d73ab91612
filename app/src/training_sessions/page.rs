//! Pages: `/schulungstermine` (list, registration, my registrations),
//! `/schulungstermine/:id` (details; for the project team participants,
//! attendance, CSV), `/schulungstermine/neu` and `/schulungstermine/:id/bearbeiten`.

use super::server_fns::{
    get_training_session, list_training_sessions, moved_up_notices, my_attended_sessions,
    training_attendance_summary, CancelTrainingSession, CreateTrainingSession,
    DismissMovedUpNotices, MarkAttendance, RegisterForSession, UnregisterFromSession,
    UpdateTrainingSession,
};
use super::{
    Attendance, MyStatus, Participant, SessionCard, SessionDetail, SessionForm, SessionList,
    SessionState,
};
use crate::auth::Role;
use crate::error::AppError;
use crate::form_post::{FormAction, PostForm};
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// Register and unregister actions shared by list and detail page, with the
/// status message they produce.
#[derive(Clone, Copy)]
struct Registration {
    register: ServerAction<RegisterForSession>,
    unregister: ServerAction<UnregisterFromSession>,
}

impl Registration {
    fn new() -> Self {
        Registration {
            register: ServerAction::new(),
            unregister: ServerAction::new(),
        }
    }

    fn version(&self) -> (usize, usize) {
        (
            self.register.version().get(),
            self.unregister.version().get(),
        )
    }
}

#[component]
fn RegistrationStatus(registration: Registration) -> impl IntoView {
    view! {
        <div role="status" aria-live="polite" class="status-region">
            {move || registration.register.value().get().map(|result| match result {
                Ok(MyStatus::Confirmed) => view! { <p class="notice success">"Sie sind angemeldet. Ihr Platz ist sicher."</p> }.into_any(),
                Ok(MyStatus::Waiting(position)) => view! {
                    <p class="notice">{format!("Der Termin ist ausgebucht. Sie stehen auf der Warteliste (Platz {position}) und rücken automatisch nach, wenn ein Platz frei wird.")}</p>
                }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || registration.unregister.value().get().map(|result| match result {
                Ok(()) => view! { <p class="notice success">"Sie sind abgemeldet."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </div>
    }
}

/// The register or unregister button for one session.
#[component]
fn RegisterButton(card: SessionCard, registration: Registration) -> impl IntoView {
    let id = card.id;
    let title = card.title.clone();
    match (card.mine, card.state) {
        (Some(status), SessionState::Upcoming) => {
            let label = match status {
                MyStatus::Confirmed => "Abmelden",
                MyStatus::Waiting(_) => "Von der Warteliste abmelden",
            };
            view! {
                <button type="button" class="button secondary small" aria-label=format!("{label}: {title}")
                    on:click=move |_| { registration.unregister.dispatch(UnregisterFromSession { id }); }>
                    {label}
                </button>
            }
            .into_any()
        }
        (None, SessionState::Upcoming) => {
            let label = if card.free_places() > 0 {
                "Anmelden"
            } else {
                "Auf die Warteliste"
            };
            view! {
                <button type="button" class="button primary small" aria-label=format!("{label}: {title}")
                    on:click=move |_| { registration.register.dispatch(RegisterForSession { id }); }>
                    {label}
                </button>
            }
            .into_any()
        }
        _ => ().into_any(),
    }
}

fn state_badge(state: SessionState) -> impl IntoView {
    let class = match state {
        SessionState::Cancelled => "badge warning",
        SessionState::Past => "badge muted",
        _ => "badge",
    };
    view! { <span class=class>{state.label()}</span> }
}

#[component]
fn SessionItem(card: SessionCard, registration: Registration) -> impl IntoView {
    let place = if card.place.is_empty() {
        "Online (Videokonferenz)".to_string()
    } else if card.video_url.is_empty() {
        card.place.clone()
    } else {
        format!("{} oder online", card.place)
    };
    view! {
        <li class="panel session-card">
            <h3><a href=format!("/schulungstermine/{}", card.id)>{card.title.clone()}</a></h3>
            <p class="session-meta">
                {state_badge(card.state)}
                " "
                {card.when.clone()}
            </p>
            <dl class="facts compact">
                <dt>"Ort"</dt><dd>{place}</dd>
                <dt>"Für"</dt><dd>{card.audience.clone()}</dd>
                <dt>"Plätze"</dt><dd>{card.places_label()}</dd>
                {card.mine.map(|status| view! { <dt>"Ihr Status"</dt><dd><strong>{status.label()}</strong></dd> })}
            </dl>
            <RegisterButton card registration/>
        </li>
    }
}

#[component]
fn SessionItems(
    cards: Vec<SessionCard>,
    registration: Registration,
    empty: &'static str,
) -> impl IntoView {
    if cards.is_empty() {
        view! { <p>{empty}</p> }.into_any()
    } else {
        view! {
            <ul class="session-list">
                {cards.into_iter().map(|card| view! { <SessionItem card registration/> }).collect_view()}
            </ul>
        }
        .into_any()
    }
}

/// "You moved up": shown on every page until the person confirms it.
#[component]
pub fn MovedUpNotice() -> impl IntoView {
    let dismiss = ServerAction::<DismissMovedUpNotices>::new();
    let notices =
        crate::server_json::resource(move || dismiss.version().get(), |_| moved_up_notices());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match notices.await {
                    Ok(list) if !list.is_empty() => view! {
                        <section class="notice success moved-up" aria-labelledby="moved-up-heading">
                            <h2 id="moved-up-heading">"Sie sind von der Warteliste nachgerückt"</h2>
                            <ul>
                                {list.into_iter().map(|(id, title, when)| view! {
                                    <li><a href=format!("/schulungstermine/{id}")>{title}</a>{format!(" – {when}")}</li>
                                }).collect_view()}
                            </ul>
                            <p>"Ihr Platz ist sicher. Bitte melden Sie sich ab, falls Sie doch nicht teilnehmen können."</p>
                            <button type="button" class="button secondary small"
                                on:click=move |_| { dismiss.dispatch(DismissMovedUpNotices {}); }>
                                "Verstanden"
                            </button>
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn TrainingSessionsPage() -> impl IntoView {
    let query = use_query_map();
    let registration = Registration::new();
    let list = crate::server_json::resource(
        move || {
            (
                query
                    .read()
                    .get("gemeinde")
                    .and_then(|m| m.parse::<i64>().ok()),
                registration.version(),
            )
        },
        |(municipality, _)| list_training_sessions(municipality),
    );
    let attended = crate::server_json::resource(|| (), |_| my_attended_sessions());
    let manager = crate::auth::use_current_user()
        .is_some_and(|user| crate::auth::guard::Rule::ProjectTeam.allows(&user));
    let summary = crate::server_json::resource(
        || (),
        move |_| async move {
            if manager {
                training_attendance_summary().await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    view! {
        <PageHeading title="Schulungstermine"/>
        <p class="lead">"Melden Sie sich zu Schulungen für Aktenwerk an. Ist ein Termin ausgebucht, kommen Sie auf die Warteliste und rücken automatisch nach."</p>
        <RegistrationStatus registration/>
        <Transition fallback=|| view! { <p>"Termine werden geladen …"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <SessionListView list registration/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
        <section class="panel" aria-labelledby="attended-heading">
            <h2 id="attended-heading">"Meine besuchten Schulungen"</h2>
            <Transition fallback=|| view! { <p>"Wird geladen …"</p> }>
                {move || Suspend::new(async move {
                    match attended.await {
                        Ok(sessions) if sessions.is_empty() => view! { <p>"Noch keine – die Teilnahme trägt die Schulungsleitung nach dem Termin ein."</p> }.into_any(),
                        Ok(sessions) => view! {
                            <ul>
                                {sessions.into_iter().map(|s| view! {
                                    <li><a href=format!("/schulungstermine/{}", s.session_id)>{s.title}</a>{format!(" – {}", s.when)}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <AttendanceSummary summary/>
    }
}

#[component]
fn SessionListView(list: SessionList, registration: Registration) -> impl IntoView {
    let filter = list.filter_municipality;
    view! {
        {list.may_manage.then(|| view! {
            <div class="toolbar">
                <a class="button primary" href="/schulungstermine/neu">"Neuen Termin anlegen"</a>
                <form method="get" action="/schulungstermine" class="inline-form">
                    <label for="filter-gemeinde">"Gemeinde"</label>
                    <select id="filter-gemeinde" name="gemeinde">
                        <option value="" selected=filter.is_none()>"Alle Gemeinden"</option>
                        {list.municipalities.iter().map(|m| view! {
                            <option value=m.id selected=filter == Some(m.id)>{m.name.clone()}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button secondary small">"Filtern"</button>
                </form>
            </div>
        })}
        <section aria-labelledby="mine-heading">
            <h2 id="mine-heading">"Meine Anmeldungen"</h2>
            <SessionItems cards=list.mine registration empty="Sie sind zu keinem kommenden Termin angemeldet."/>
        </section>
        <section aria-labelledby="upcoming-heading">
            <h2 id="upcoming-heading">"Kommende Termine"</h2>
            <SessionItems cards=list.upcoming registration empty="Zurzeit sind keine Termine für Sie geplant."/>
        </section>
        <section aria-labelledby="past-heading">
            <h2 id="past-heading">"Vergangene und abgesagte Termine"</h2>
            <SessionItems cards=list.past registration empty="Keine in den letzten Monaten."/>
        </section>
    }
}

/// Attendance per municipality and role; `None` for everyone but the
/// project team.
type Summary = Result<Option<Vec<super::AttendanceSummaryRow>>, AppError>;

#[component]
fn AttendanceSummary(summary: crate::server_json::Loaded<Summary>) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(Some(rows)) => view! {
                        <section class="panel" aria-labelledby="summary-heading">
                            <h2 id="summary-heading">"Schulungsstand nach Gemeinde und Rolle"</h2>
                            <table class="data-table">
                                <caption class="visually-hidden">"Teilnahme an Schulungsterminen"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Gemeinde"</th>
                                        <th scope="col">"Rolle"</th>
                                        <th scope="col">"Personen"</th>
                                        <th scope="col">"davon geschult"</th>
                                        <th scope="col">"Teilnahmen"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <tr>
                                            <td>{row.municipality}</td>
                                            <td>{row.role.label()}</td>
                                            <td>{row.people}</td>
                                            <td>{row.trained}</td>
                                            <td>{row.attendances}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn param_id(params: Memo<leptos_router::params::ParamsMap>) -> Option<i64> {
    params
        .read()
        .get("id")
        .and_then(|id| id.parse::<i64>().ok())
}

async fn load_session(id: Option<i64>) -> Result<SessionDetail, AppError> {
    match id {
        Some(id) => get_training_session(id).await,
        None => Err(AppError::NotFound("Der Schulungstermin".into())),
    }
}

#[component]
pub fn TrainingSessionPage() -> impl IntoView {
    let params = use_params_map();
    let registration = Registration::new();
    let cancel = FormAction::<()>::of::<CancelTrainingSession>();
    let attendance = ServerAction::<MarkAttendance>::new();
    let detail = crate::server_json::resource(
        move || {
            (
                param_id(params),
                registration.version(),
                cancel.version().get(),
                attendance.version().get(),
            )
        },
        |(id, ..)| load_session(id),
    );
    view! {
        <p class="breadcrumb"><a href="/schulungstermine">"Alle Schulungstermine"</a></p>
        <RegistrationStatus registration/>
        <div role="status" aria-live="polite">
            {move || cancel.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice success">"Der Termin ist abgesagt."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || attendance.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice success">"Die Anwesenheit ist gespeichert."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </div>
        <Transition fallback=|| view! { <p>"Termin wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <SessionView detail registration cancel attendance/> }.into_any(),
                    Err(error) => view! { <Title text="Schulungstermin"/><h1>"Schulungstermin"</h1><ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SessionView(
    detail: SessionDetail,
    registration: Registration,
    cancel: FormAction<()>,
    attendance: ServerAction<MarkAttendance>,
) -> impl IntoView {
    let card = detail.card.clone();
    let id = card.id;
    let state = card.state;
    let cancellable = matches!(state, SessionState::Upcoming | SessionState::Running);
    view! {
        <Title text=card.title.clone()/>
        <p class="eyebrow">"Schulungstermin"</p>
        <h1>{card.title.clone()}</h1>
        {detail.cancel_reason.clone().filter(|_| state == SessionState::Cancelled).map(|reason| view! {
            <div class="notice warning"><p><strong>"Dieser Termin wurde abgesagt. "</strong>{format!("Grund: {reason}")}</p></div>
        })}
        <dl class="facts panel">
            <dt>"Wann"</dt><dd>{card.when.clone()}</dd>
            <dt>"Status"</dt><dd>{state_badge(state)}</dd>
            {(!card.place.is_empty()).then(|| view! { <dt>"Ort"</dt><dd>{card.place.clone()}</dd> })}
            {(!card.video_url.is_empty()).then(|| view! {
                <dt>"Videokonferenz"</dt>
                <dd><a href=card.video_url.clone() rel="noopener noreferrer" target="_blank">{card.video_url.clone()}</a></dd>
            })}
            {(!card.trainer.is_empty()).then(|| view! { <dt>"Leitung"</dt><dd>{card.trainer.clone()}</dd> })}
            <dt>"Für"</dt><dd>{card.audience.clone()}</dd>
            <dt>"Plätze"</dt><dd>{card.places_label()}</dd>
            {card.mine.map(|status| view! { <dt>"Ihr Status"</dt><dd><strong>{status.label()}</strong></dd> })}
        </dl>
        {(!detail.description.is_empty()).then(|| view! {
            <section aria-labelledby="description-heading">
                <h2 id="description-heading">"Worum es geht"</h2>
                {detail.description.split("\n\n").map(|p| view! { <p class="preserve-lines">{p.to_string()}</p> }).collect_view()}
            </section>
        })}
        <div class="toolbar">
            <RegisterButton card=card.clone() registration/>
            <a class="button secondary small" href=format!("/schulungstermine/{id}/kalender.ics") download="" rel="external">
                "In meinen Kalender (.ics)"
            </a>
        </div>
        {detail.may_manage.then(|| view! {
            <section class="panel" aria-labelledby="manage-heading">
                <h2 id="manage-heading">"Termin verwalten"</h2>
                <div class="toolbar">
                    {(state != SessionState::Cancelled).then(|| view! {
                        <a class="button secondary small" href=format!("/schulungstermine/{id}/bearbeiten")>"Termin bearbeiten"</a>
                    })}
                    <a class="button secondary small" href=format!("/schulungstermine/{id}/teilnehmende.csv") download="" rel="external">
                        "Teilnehmerliste herunterladen (CSV)"
                    </a>
                </div>
                {cancellable.then(|| view! {
                    <PostForm action=cancel class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <label for="cancel-reason">"Grund der Absage"</label>
                        <input id="cancel-reason" name="reason" type="text" required maxlength="500"/>
                        <button type="submit" class="button danger small">"Termin absagen"</button>
                    </PostForm>
                })}
            </section>
            <Participants session_id=id state participants=detail.participants.clone() attendance/>
        })}
    }
}

#[component]
fn Participants(
    session_id: i64,
    state: SessionState,
    participants: Vec<Participant>,
    attendance: ServerAction<MarkAttendance>,
) -> impl IntoView {
    let can_mark = matches!(state, SessionState::Running | SessionState::Past);
    let attended = participants
        .iter()
        .filter(|p| p.attendance == Some(Attendance::Attended))
        .count();
    view! {
        <section class="panel" aria-labelledby="participants-heading">
            <h2 id="participants-heading">"Teilnehmende"</h2>
            <p>{if can_mark {
                format!("{attended} als anwesend erfasst.")
            } else {
                "Die Anwesenheit erfassen Sie ab Beginn des Termins.".to_string()
            }}</p>
            {if participants.is_empty() {
                view! { <p>"Noch niemand angemeldet."</p> }.into_any()
            } else {
                view! {
                    <table class="data-table">
                        <caption class="visually-hidden">"Angemeldete Personen und Warteliste"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Gemeinde"</th>
                                <th scope="col">"Rolle"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Angemeldet am"</th>
                                <th scope="col">"Anwesenheit"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {participants.into_iter().map(|p| view! {
                                <ParticipantRow session_id p can_mark attendance/>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ParticipantRow(
    session_id: i64,
    p: Participant,
    can_mark: bool,
    attendance: ServerAction<MarkAttendance>,
) -> impl IntoView {
    let status = match p.status {
        MyStatus::Confirmed => "angemeldet".to_string(),
        MyStatus::Waiting(position) => format!("Warteliste, Platz {position}"),
    };
    let confirmed = p.status == MyStatus::Confirmed;
    let current = p.attendance.map(|a| a.label()).unwrap_or("offen");
    let name = p.name.clone();
    let user_id = p.user_id;
    let marked = p.attendance;
    let button = move |attended: bool| {
        let name = name.clone();
        let (label, pressed) = if attended {
            ("anwesend", marked == Some(Attendance::Attended))
        } else {
            ("nicht anwesend", marked == Some(Attendance::Absent))
        };
        view! {
            <button
                type="button"
                class="button secondary small"
                aria-pressed=pressed.to_string()
                aria-label=format!("{}: {label}", name)
                on:click=move |_| {
                    attendance.dispatch(MarkAttendance { session_id, user_id, attended });
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <tr>
            <td>{p.name.clone()}</td>
            <td>{p.municipality.clone()}</td>
            <td>{p.role.label()}</td>
            <td>{status}</td>
            <td>{p.registered_at.clone()}</td>
            <td>
                {if confirmed && can_mark {
                    view! {
                        <span class="attendance-state">{current}</span>
                        {button(true)}
                        {button(false)}
                    }.into_any()
                } else if confirmed {
                    view! { <span>{current}</span> }.into_any()
                } else {
                    view! { <span>"–"</span> }.into_any()
                }}
            </td>
        </tr>
    }
}

/// The fields of the scheduling form; names travel as `session[...]`.
#[component]
fn SessionFields(
    form: SessionForm,
    municipalities: Vec<crate::municipalities::Municipality>,
) -> impl IntoView {
    let chosen_places = form.municipality_ids.clone();
    let chosen_roles = form.roles.clone();
    view! {
        <label for="s-title">"Titel"</label>
        <input id="s-title" name="session[title]" type="text" required maxlength="200" value=form.title.clone()/>
        <label for="s-description">"Beschreibung"</label>
        <textarea id="s-description" name="session[description]" rows="4" maxlength="4000">{form.description.clone()}</textarea>
        <label for="s-trainer">"Leitung"</label>
        <input id="s-trainer" name="session[trainer]" type="text" maxlength="200" value=form.trainer.clone()/>
        <label for="s-starts">"Beginn"</label>
        <input id="s-starts" name="session[starts]" type="datetime-local" required value=form.starts.clone()/>
        <label for="s-ends">"Ende"</label>
        <input id="s-ends" name="session[ends]" type="datetime-local" required value=form.ends.clone()/>
        <label for="s-place">"Ort"</label>
        <input id="s-place" name="session[place]" type="text" maxlength="300" value=form.place.clone() aria-describedby="s-place-hint"/>
        <p id="s-place-hint" class="hint">"z. B. Rathaus Erbach, Sitzungssaal. Ort oder Videolink (oder beides)."</p>
        <label for="s-video">"Videolink"</label>
        <input id="s-video" name="session[video_url]" type="url" maxlength="500" value=form.video_url.clone() placeholder="https://"/>
        <label for="s-capacity">"Plätze"</label>
        <input id="s-capacity" name="session[capacity]" type="number" min="1" max=super::MAX_CAPACITY required value=form.capacity.clone()/>
        <fieldset>
            <legend>"Für welche Gemeinden? (keine Auswahl: alle)"</legend>
            {municipalities.into_iter().map(|m| {
                let id = format!("s-m-{}", m.id);
                view! {
                    <div class="checkbox">
                        <input id=id.clone() type="checkbox" name="session[municipality_ids][]" value=m.id checked=chosen_places.contains(&m.id)/>
                        <label for=id>{m.name}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <fieldset>
            <legend>"Für welche Rollen? (keine Auswahl: alle)"</legend>
            {Role::ALL.into_iter().map(|role| {
                let id = format!("s-r-{}", role.as_str());
                view! {
                    <div class="checkbox">
                        <input id=id.clone() type="checkbox" name="session[roles][]" value=role.as_str() checked=chosen_roles.iter().any(|r| r == role.as_str())/>
                        <label for=id>{role.label()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// After saving, go to the session's page.
fn go_to_session_on_success(
    value: impl Get<Value = Option<Result<i64, AppError>>> + Send + Sync + 'static,
) {
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = value.get() {
            navigate(&format!("/schulungstermine/{id}"), Default::default());
        }
    });
}

#[component]
pub fn NewTrainingSessionPage() -> impl IntoView {
    let create = FormAction::<i64>::of::<CreateTrainingSession>();
    go_to_session_on_success(create.value());
    let municipalities = crate::server_json::resource(|| (), |_| list_training_sessions(None));
    let trainer = crate::auth::use_current_user()
        .map(|u| u.display_name)
        .unwrap_or_default();
    view! {
        <p class="breadcrumb"><a href="/schulungstermine">"Alle Schulungstermine"</a></p>
        <PageHeading title="Neuer Schulungstermin"/>
        <div role="status" aria-live="polite">
            {move || create.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
        </div>
        <Transition fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || {
                let trainer = trainer.clone();
                Suspend::new(async move {
                    match municipalities.await {
                        Ok(list) if list.may_manage => view! {
                            <PostForm action=create class="stacked-form narrow">
                                <SessionFields
                                    form=SessionForm { trainer, capacity: "12".into(), ..Default::default() }
                                    municipalities=list.municipalities
                                />
                                <button type="submit" class="button primary">"Termin anlegen"</button>
                            </PostForm>
                        }.into_any(),
                        Ok(_) => view! { <ErrorNotice error=AppError::Forbidden/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
pub fn EditTrainingSessionPage() -> impl IntoView {
    let params = use_params_map();
    let update = FormAction::<i64>::of::<UpdateTrainingSession>();
    go_to_session_on_success(update.value());
    let detail = crate::server_json::resource(move || param_id(params), load_session);
    let municipalities = crate::server_json::resource(|| (), |_| list_training_sessions(None));
    view! {
        <p class="breadcrumb"><a href="/schulungstermine">"Alle Schulungstermine"</a></p>
        <PageHeading title="Schulungstermin bearbeiten"/>
        <div role="status" aria-live="polite">
            {move || update.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
        </div>
        <Transition fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match (detail.await, municipalities.await) {
                    (Ok(detail), Ok(list)) if detail.may_manage => {
                        let id = detail.card.id;
                        view! {
                            <p>"Angemeldete behalten ihren Platz. Wird die Zahl der Plätze erhöht, rücken Personen von der Warteliste nach."</p>
                            <PostForm action=update class="stacked-form narrow">
                                <input type="hidden" name="id" value=id/>
                                <SessionFields form=detail.form municipalities=list.municipalities/>
                                <button type="submit" class="button primary">"Änderungen speichern"</button>
                            </PostForm>
                        }.into_any()
                    }
                    (Ok(_), Ok(_)) => view! { <ErrorNotice error=AppError::Forbidden/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
