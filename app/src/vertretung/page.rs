//! `/abwesenheit`: enter an absence and who stands in, see one's own and
//! those one stands in for; the Administration enters and cancels them
//! for the clerks of its municipality.

use super::server_fns::{load_abwesenheiten, CancelAbwesenheit, SetAbwesenheit};
use super::{Abwesenheit, Abwesenheiten};
use crate::documents::list::german_date;
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AbwesenheitPage() -> impl IntoView {
    let set = ServerAction::<SetAbwesenheit>::new();
    let cancel = ServerAction::<CancelAbwesenheit>::new();
    let data = crate::server_json::resource(
        move || (set.version().get(), cancel.version().get()),
        |_| load_abwesenheiten(),
    );
    view! {
        <Title text="Abwesenheit und Vertretung"/>
        <h1>"Abwesenheit und Vertretung"</h1>
        <p class="lead">
            "Während einer Abwesenheit sieht die Vertretung den Postkorb der abwesenden Person und kann für sie handeln. "
            "Alles, was sie dort erledigt, wird mit „i. V.“ und beiden Namen vermerkt."
        </p>
        <div role="status" aria-live="polite">
            {move || set.value().get().map(|r| match r {
                Ok(_) => view! { <p class="notice success">"Die Abwesenheit ist eingetragen."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || cancel.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice success">"Die Abwesenheit ist aufgehoben."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </div>
        <Transition fallback=|| view! { <p>"Abwesenheiten werden geladen …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <Body data set cancel/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Body(
    data: Abwesenheiten,
    set: ServerAction<SetAbwesenheit>,
    cancel: ServerAction<CancelAbwesenheit>,
) -> impl IntoView {
    // A clerk is away themselves; the Administration chooses whom.
    let for_self = data.own;
    let first = |list: &[super::Colleague]| list.first().map_or(0, |c| c.id);
    let (absent, deputy) = (
        RwSignal::new(first(&data.absentees)),
        RwSignal::new(first(&data.deputies)),
    );
    let (starts, ends, note) = (
        RwSignal::new(data.today.clone()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set.dispatch(SetAbwesenheit {
            absent_id: absent.get_untracked(),
            deputy_id: deputy.get_untracked(),
            starts_on: starts.get_untracked(),
            ends_on: ends.get_untracked(),
            note: note.get_untracked(),
        });
    };
    let number = |ev| event_target_value(&ev).parse().unwrap_or(0);
    let options = |list: &[super::Colleague]| {
        list.iter()
            .map(|c| view! { <option value=c.id>{c.name.clone()}</option> })
            .collect_view()
    };
    let no_deputy = data.deputies.is_empty();
    view! {
        <section class="panel" aria-labelledby="abw-new">
            <h2 id="abw-new">"Abwesenheit eintragen"</h2>
            <form class="stacked-form narrow" on:submit=on_submit>
                {(!for_self).then(|| view! {
                    <label for="abw-absent">"Wer ist abwesend?"</label>
                    <select id="abw-absent" on:change=move |ev| absent.set(number(ev))>{options(&data.absentees)}</select>
                })}
                <label for="abw-from">"Erster Tag"</label>
                <input id="abw-from" type="date" required min=data.today.clone()
                    prop:value=starts on:input=move |ev| starts.set(event_target_value(&ev))/>
                <label for="abw-to">"Letzter Tag"</label>
                <input id="abw-to" type="date" required min=data.today.clone()
                    prop:value=ends on:input=move |ev| ends.set(event_target_value(&ev))/>
                <label for="abw-deputy">"Vertretung"</label>
                <select id="abw-deputy" on:change=move |ev| deputy.set(number(ev))>{options(&data.deputies)}</select>
                {no_deputy.then(|| view! { <p class="field-hint">"In Ihrer Gemeinde gibt es keine weitere Sachbearbeitung, die vertreten kann."</p> })}
                <label for="abw-note">"Hinweis für die Vertretung (freiwillig)"</label>
                <input id="abw-note" type="text" maxlength="500" placeholder="z. B. Urlaub; dringende Bauanträge bitte an das Bauamt"
                    prop:value=note on:input=move |ev| note.set(event_target_value(&ev))/>
                <button type="submit" class="button primary" disabled=no_deputy>"Abwesenheit eintragen"</button>
            </form>
        </section>
        {for_self.then(|| view! {
            <AbsenceTable id="abw-mine" heading="Meine Abwesenheiten" empty="Sie haben keine Abwesenheit eingetragen."
                rows=data.mine.clone() cancel show_absent=false/>
            <AbsenceTable id="abw-deputising" heading="Ich vertrete" empty="Sie vertreten zurzeit niemanden."
                rows=data.deputising.clone() show_absent=true/>
        })}
        {(!for_self).then(|| view! {
            <AbsenceTable id="abw-managed" heading="Abwesenheiten der Gemeinde" empty="Niemand ist abwesend gemeldet."
                rows=data.managed.clone() cancel show_absent=true/>
        })}
    }
}

/// Absences as a table; with `cancel` each can be lifted.
#[component]
fn AbsenceTable(
    id: &'static str,
    heading: &'static str,
    empty: &'static str,
    rows: Vec<Abwesenheit>,
    #[prop(optional)] cancel: Option<ServerAction<CancelAbwesenheit>>,
    show_absent: bool,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby=id>
            <h2 id=id>{heading}</h2>
            {if rows.is_empty() {
                view! { <p class="empty">{empty}</p> }.into_any()
            } else {
                view! {
                    <table class="data-table">
                        <caption class="visually-hidden">{heading}</caption>
                        <thead><tr>
                            {show_absent.then(|| view! { <th scope="col">"Abwesend"</th> })}
                            <th scope="col">"Zeitraum"</th><th scope="col">"Vertretung"</th>
                            <th scope="col">"Hinweis"</th><th scope="col">"Eingetragen von"</th>
                            {cancel.map(|_| view! { <th scope="col"><span class="visually-hidden">"Aktion"</span></th> })}
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|a| {
                                let span = format!("{} – {}", german_date(&a.starts_on), german_date(&a.ends_on));
                                let label = format!("Abwesenheit von {} aufheben ({span})", a.absent);
                                let absence = a.id;
                                view! {
                                    <tr>
                                        {show_absent.then(|| view! { <td>{a.absent.clone()}</td> })}
                                        <td>{span}{a.current.then(|| view! { <strong class="badge">" läuft"</strong> })}</td>
                                        <td>{a.deputy}</td>
                                        <td>{a.note}</td>
                                        <td>{a.created_by}</td>
                                        {cancel.map(|cancel| view! {
                                            <td><button type="button" class="button secondary small" aria-label=label
                                                on:click=move |_| { cancel.dispatch(CancelAbwesenheit { id: absence }); }>"Aufheben"</button></td>
                                        })}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
