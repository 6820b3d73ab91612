//! `/aktenplan/abstimmung` (propose, discuss, decide, publish) and
//! `/aktenplan/versionen` (every published version with its changelog).

use super::server_fns::{
    list_releases, load_abstimmung, CommentProposal, DecideProposal, ProposeChange, PublishPlan,
};
use super::{ProposalStatus, ProposalView};
use crate::form_post::{FormAction, PostForm};
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AbstimmungPage() -> impl IntoView {
    let propose = FormAction::<i64>::of::<ProposeChange>();
    let comment = FormAction::<()>::of::<CommentProposal>();
    let decide = FormAction::<()>::of::<DecideProposal>();
    let publish = FormAction::<i64>::of::<PublishPlan>();
    let data = crate::server_json::resource(
        move || {
            (
                propose.version().get(),
                comment.version().get(),
                decide.version().get(),
                publish.version().get(),
            )
        },
        |_| load_abstimmung(),
    );
    let query = use_query_map();
    let position = move || query.read().get("position").unwrap_or_default();
    view! {
        <PageHeading title="Änderungen am Aktenplan"/>
        <crate::guides::link::GuideLink screen="abstimmung"/>
        <p class="lead">
            "Der Aktenplan gehört allen vier Gemeinden. Änderungen schlägt jede und jeder vor; "
            "das Projektteam stimmt sie ab und veröffentlicht sie gemeinsam als neue Version. "
            <a href="/aktenplan/versionen">"Alle Versionen und Änderungen ansehen"</a>
        </p>
        <div role="status" aria-live="polite">
            {move || propose.value().get().map(|r| match r {
                Ok(id) => view! { <p class="notice success">{format!("Ihr Vorschlag Nr. {id} ist eingereicht. Das Projektteam stimmt ihn ab.")}</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || decide.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice success">"Die Entscheidung ist gespeichert."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || comment.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
            {move || publish.value().get().map(|r| match r {
                Ok(version) => view! {
                    <p class="notice success">
                        {format!("Version {version} des Aktenplans ist veröffentlicht. ")}
                        <a href="/aktenplan/versionen">"Zum Änderungsprotokoll"</a>
                    </p>
                }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </div>
        <Transition fallback=|| view! { <p>"Vorschläge werden geladen …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => {
                        let approved = data.proposals.iter().filter(|p| p.status == ProposalStatus::Approved).count();
                        let may_decide = data.may_decide;
                        view! {
                            <p>{format!("Gültig ist Version {} des Aktenplans.", data.current_version)}</p>
                            {data.may_propose.then(|| view! { <ProposeForm action=propose position=position()/> })}
                            {(may_decide && approved > 0).then(|| view! { <PublishForm action=publish approved/> })}
                            <section aria-labelledby="proposals-heading" data-tour="vorschlaege">
                                <h2 id="proposals-heading">{format!("Vorschläge ({})", data.proposals.len())}</h2>
                                {if data.proposals.is_empty() {
                                    view! { <p>"Noch keine Vorschläge."</p> }.into_any()
                                } else {
                                    data.proposals
                                        .into_iter()
                                        .map(|p| view! { <Proposal proposal=p may_decide comment decide/> })
                                        .collect_view()
                                        .into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProposeForm(action: FormAction<i64>, position: String) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="propose-heading" data-tour="aenderung-vorschlagen">
            <h2 id="propose-heading">"Änderung vorschlagen"</h2>
            <PostForm action class="stacked-form narrow">
                <label for="p-kind">"Was soll sich ändern?"</label>
                <select id="p-kind" name="proposal[kind]" required>
                    <option value="rename">"Position umbenennen"</option>
                    <option value="describe">"Beschreibung und Stichwörter ändern"</option>
                    <option value="new">"Neue Position anlegen"</option>
                    <option value="move">"Position verschieben (neues Kennzeichen)"</option>
                    <option value="retention">"Aufbewahrung oder Archivwert ändern"</option>
                    <option value="deactivate">"Position deaktivieren"</option>
                </select>
                <label for="p-position">"Betroffene Position (Kennzeichen)"</label>
                <input id="p-position" name="proposal[position_code]" type="text" value=position aria-describedby="p-position-hint"/>
                <p id="p-position-hint" class="hint">"Nicht nötig bei einer neuen Position."</p>
                <label for="p-code">"Neues Kennzeichen"</label>
                <input id="p-code" name="proposal[new_code]" type="text" aria-describedby="p-code-hint"/>
                <p id="p-code-hint" class="hint">"Bei „Neue Position“ und „Verschieben“, z. B. 621.4."</p>
                <label for="p-title">"Titel"</label>
                <input id="p-title" name="proposal[title]" type="text" maxlength="200" aria-describedby="p-title-hint"/>
                <p id="p-title-hint" class="hint">"Bei „Neue Position“ und „Umbenennen“."</p>
                <label for="p-description">"Beschreibung: was gehört hierher?"</label>
                <textarea id="p-description" name="proposal[description]" rows="3"></textarea>
                <label for="p-keywords">"Stichwörter (mit Komma getrennt)"</label>
                <input id="p-keywords" name="proposal[keywords]" type="text"/>
                <label for="p-retention">"Aufbewahrung (Jahre oder „dauernd“)"</label>
                <input id="p-retention" name="proposal[retention]" type="text" value="10"/>
                <label for="p-trigger">"Fristbeginn"</label>
                <select id="p-trigger" name="proposal[trigger]">
                    <option value="Aktenschluss">"Schließung der Akte"</option>
                    <option value="Jahresende">"Ende des Jahres der Schließung"</option>
                </select>
                <label for="p-appraisal">"Archivwert"</label>
                <select id="p-appraisal" name="proposal[appraisal]">
                    <option value="B">"B – vom Archiv bewerten"</option>
                    <option value="A">"A – archivieren"</option>
                    <option value="V">"V – vernichten"</option>
                </select>
                <label for="p-justification">"Begründung"</label>
                <textarea id="p-justification" name="proposal[justification]" rows="3" required minlength="10"></textarea>
                <button type="submit" class="button primary">"Vorschlag einreichen"</button>
            </PostForm>
        </section>
    }
}

#[component]
fn PublishForm(action: FormAction<i64>, approved: usize) -> impl IntoView {
    view! {
        <section class="panel highlight" aria-labelledby="publish-heading">
            <h2 id="publish-heading">"Neue Version veröffentlichen"</h2>
            <p>{format!("{approved} angenommene Änderung(en) warten auf die Veröffentlichung. Sie werden gemeinsam zu einer neuen Version.")}</p>
            <PostForm action class="stacked-form narrow">
                <label for="r-title">"Titel der Version"</label>
                <input id="r-title" name="title" type="text" required maxlength="200" placeholder="z. B. Aktenplan 2027"/>
                <label for="r-notes">"Hinweise für alle"</label>
                <textarea id="r-notes" name="notes" rows="3"></textarea>
                <button type="submit" class="button primary">"Version veröffentlichen"</button>
            </PostForm>
        </section>
    }
}

#[component]
fn Proposal(
    proposal: ProposalView,
    may_decide: bool,
    comment: FormAction<()>,
    decide: FormAction<()>,
) -> impl IntoView {
    let id = proposal.id;
    let heading_id = format!("proposal-{id}");
    let labelled_by = heading_id.clone();
    let open = proposal.status == ProposalStatus::Open;
    view! {
        <article class="panel proposal" aria-labelledby=labelled_by>
            <h3 id=heading_id>{format!("Nr. {id}: {}", proposal.summary)}</h3>
            <p class="proposal-meta">
                <span class="badge">{proposal.status.label()}</span>
                {format!(" vorgeschlagen von {} am {}", proposal.proposed_by, proposal.proposed_at)}
                {proposal.release_version.map(|v| format!(" · in Version {v}"))}
            </p>
            <p><strong>"Begründung: "</strong>{proposal.justification}</p>
            {proposal.decided_by.map(|by| view! {
                <p>{format!("Entschieden von {by}")}{proposal.decision_note.filter(|n| !n.is_empty()).map(|n| format!(": {n}"))}</p>
            })}
            {(!proposal.comments.is_empty()).then(|| view! {
                <ul class="comments" aria-label="Kommentare">
                    {proposal.comments.into_iter().map(|c| view! {
                        <li><strong>{c.author}</strong>{format!(" ({}): ", c.at)}{c.text}</li>
                    }).collect_view()}
                </ul>
            })}
            {open.then(|| view! {
                <PostForm action=comment class="inline-form">
                    <input type="hidden" name="proposal_id" value=id/>
                    <label for=format!("c-{id}")>"Kommentar"</label>
                    <input id=format!("c-{id}") name="text" type="text" required maxlength="4000"/>
                    <button type="submit" class="button secondary small">"Kommentieren"</button>
                </PostForm>
            })}
            {(open && may_decide).then(|| view! {
                <PostForm action=decide class="inline-form">
                    <input type="hidden" name="proposal_id" value=id/>
                    <label for=format!("d-{id}")>"Entscheidung"</label>
                    <select id=format!("d-{id}") name="approve">
                        <option value="true">"Annehmen"</option>
                        <option value="false">"Ablehnen"</option>
                    </select>
                    <label for=format!("n-{id}")>"Anmerkung"</label>
                    <input id=format!("n-{id}") name="note" type="text" maxlength="2000"/>
                    <button type="submit" class="button primary small">"Entscheidung speichern"</button>
                </PostForm>
            })}
        </article>
    }
}

#[component]
pub fn ReleasesPage() -> impl IntoView {
    let releases = crate::server_json::resource(|| (), |_| list_releases());
    view! {
        <PageHeading title="Versionen des Aktenplans"/>
        <p class="lead">
            "Jede Änderung am gemeinsamen Aktenplan wird als Version veröffentlicht. Alte Kennzeichen bleiben nachvollziehbar. "
            <a href="/aktenplan/abstimmung">"Zu den Änderungsvorschlägen"</a>
        </p>
        <Transition fallback=|| view! { <p>"Versionen werden geladen …"</p> }>
            {move || Suspend::new(async move {
                match releases.await {
                    Ok(releases) => releases.into_iter().map(|r| {
                        let heading = format!("Version {}: {}", r.version, r.title);
                        view! {
                            <section class="panel release">
                                <h2>{heading}</h2>
                                <p class="proposal-meta">
                                    {format!("veröffentlicht am {}", r.published_at)}
                                    {r.published_by.map(|by| format!(" von {by}"))}
                                </p>
                                {(!r.notes.is_empty()).then(|| view! { <p>{r.notes.clone()}</p> })}
                                {if r.changes.is_empty() {
                                    view! { <p>"Erstfassung des gemeinsamen Aktenplans."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="changelog">
                                            {r.changes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                        }
                    }).collect_view().into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
