//! "Wiedervorlage und Zuweisung" on a document's or Vorgang's page: the
//! open Wiedervorlagen of it, "Wiedervorlage am …" for oneself or a
//! colleague, and handing it to a colleague with a note.

use super::page::WiedervorlageItem;
use super::server_fns::{load_follow_ups, AssignTo, SetWiedervorlage, SettleWiedervorlage};
use super::{FollowUps, Subject};
use crate::error::AppError;
use crate::ui::ErrorNotice;
use leptos::prelude::*;

/// What the panel needs from its page; created at the top of the page,
/// outside its loading boundary, or hydration breaks.
#[derive(Clone, Copy)]
pub struct FollowUpState {
    pub follow_ups: crate::server_json::Loaded<Result<FollowUps, AppError>>,
    pub set: ServerAction<SetWiedervorlage>,
    pub settle: ServerAction<SettleWiedervorlage>,
    pub assign: ServerAction<AssignTo>,
}

impl FollowUpState {
    /// `subject` is read reactively (the page's route parameter).
    pub fn new(subject: impl Fn() -> Option<Subject> + Send + Sync + 'static) -> FollowUpState {
        let set = ServerAction::<SetWiedervorlage>::new();
        let settle = ServerAction::<SettleWiedervorlage>::new();
        let assign = ServerAction::<AssignTo>::new();
        let clerk = crate::auth::use_current_user()
            .is_some_and(|user| crate::auth::guard::Rule::Clerk.allows(&user));
        let follow_ups = crate::server_json::resource(
            move || {
                (
                    subject(),
                    set.version().get(),
                    settle.version().get(),
                    assign.version().get(),
                )
            },
            move |(subject, ..)| async move {
                match subject {
                    // Answered here as load_follow_ups would, without asking.
                    Some(_) if !clerk => Err(AppError::Forbidden),
                    Some(s) => load_follow_ups(s.kind().to_string(), s.id()).await,
                    None => Err(AppError::NotFound("Das Dokument".into())),
                }
            },
        );
        FollowUpState {
            follow_ups,
            set,
            settle,
            assign,
        }
    }
}

/// The panel; shows nothing where the person has no follow-ups to give
/// (another municipality's document, a Vorgang zdA, no casework role).
#[component]
pub fn FollowUpPanel(subject: Subject, state: FollowUpState) -> impl IntoView {
    let FollowUpState {
        follow_ups,
        set,
        settle,
        assign,
    } = state;
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                follow_ups.await.ok().map(|data| view! { <Panel subject data set settle assign/> })
            })}
        </Transition>
    }
}

#[component]
fn Panel(
    subject: Subject,
    data: FollowUps,
    set: ServerAction<SetWiedervorlage>,
    settle: ServerAction<SettleWiedervorlage>,
    assign: ServerAction<AssignTo>,
) -> impl IntoView {
    let kind = subject.kind();
    let id = subject.id();
    let today = data.today.clone();
    let first = data.colleagues.first().map_or(0, |c| c.id);
    let options = move || {
        data.colleagues
            .iter()
            .map(|c| view! { <option value=c.id>{c.name.clone()}</option> })
            .collect_view()
    };
    let (wv_options, assign_options) = (options(), options());
    // The forms dispatch their actions from these fields (no form data to
    // parse in the browser).
    let (due_on, for_user, reason) = (
        RwSignal::new(String::new()),
        RwSignal::new(first),
        RwSignal::new(String::new()),
    );
    let (to_user, note) = (RwSignal::new(first), RwSignal::new(String::new()));
    let on_set = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set.dispatch(SetWiedervorlage {
            kind: kind.to_string(),
            id,
            for_user_id: for_user.get_untracked(),
            due_on: due_on.get_untracked(),
            reason: reason.get_untracked(),
        });
    };
    let on_assign = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        assign.dispatch(AssignTo {
            kind: kind.to_string(),
            id,
            to_user_id: to_user.get_untracked(),
            note: note.get_untracked(),
        });
    };
    let number = |ev| event_target_value(&ev).parse().unwrap_or(0);
    // A running tour may wait for it.
    Effect::new(move |_| {
        if matches!(set.value().get(), Some(Ok(_))) {
            crate::tours::emit(crate::tours::WaitFor::FollowUpSet);
        }
    });
    view! {
        <section class="panel follow-ups" aria-labelledby="follow-up-heading" data-tour="wiedervorlage">
            <h2 id="follow-up-heading">"Wiedervorlage und Zuweisung"</h2>
            <div role="status" aria-live="polite">
                {move || set.value().get().map(|r| match r {
                    Ok(_) => view! { <p class="notice success">"Die Wiedervorlage ist gesetzt."</p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                })}
                {move || settle.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
                {move || assign.value().get().map(|r| match r {
                    Ok(_) => view! { <p class="notice success">"Zugewiesen: Es liegt jetzt im Postkorb."</p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                })}
            </div>
            {(!data.wiedervorlagen.is_empty()).then(|| view! {
                <h3>"Offene Wiedervorlagen"</h3>
                <ul class="postkorb-list">
                    {data.wiedervorlagen.into_iter().map(|w| view! { <WiedervorlageItem w today=today.clone() settle show_for=true/> }).collect_view()}
                </ul>
            })}
            <form class="stacked-form narrow" on:submit=on_set>
                <h3>"Wiedervorlage setzen"</h3>
                <label for="wv-date">"Wiedervorlage am"</label>
                <input id="wv-date" type="date" required min=data.today.clone()
                    prop:value=due_on on:input=move |ev| due_on.set(event_target_value(&ev))/>
                <label for="wv-for">"Für"</label>
                <select id="wv-for" on:change=move |ev| for_user.set(number(ev))>{wv_options}</select>
                <label for="wv-reason">"Grund"</label>
                <input id="wv-reason" type="text" required maxlength="500"
                    placeholder="z. B. Frist für die Nachreichung prüfen"
                    prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                <button type="submit" class="button primary">"Wiedervorlage setzen"</button>
            </form>
            <form class="stacked-form narrow" on:submit=on_assign>
                <h3>"Zuweisen"</h3>
                <label for="assign-to">"An"</label>
                <select id="assign-to" on:change=move |ev| to_user.set(number(ev))>{assign_options}</select>
                <label for="assign-note">"Notiz"</label>
                <textarea id="assign-note" rows="2" maxlength="1000"
                    prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                <button type="submit" class="button secondary">"Zuweisen"</button>
            </form>
        </section>
    }
}
