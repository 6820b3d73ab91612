//! The tour engine in the browser: rendered once in the layout, it loads
//! the running tour from the server on every page load (so tours cross
//! pages and survive a reload), marks the current step's element, shows the
//! popover, listens for the happenings a step waits for, and offers tours
//! to people who have not done one yet. The help menu in the header lists
//! the tours of the person's role.
//!
//! The element is marked by naming it on `<html data-tour-ziel="…">`; the
//! stylesheet has one rule per registered anchor, so the mark survives the
//! page re-rendering the element.

use super::server_fns::{answer_tour_offer, end_tour, load_tour_state, move_tour, start_tour};
use super::{progress_label, step_visible_on, ActiveTour, Step, TourState, WaitFor};
use leptos::prelude::*;

/// Where the current step's element is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// The step belongs to another page.
    Elsewhere,
    Looking,
    /// `right`: the element sits on the right half of the screen.
    Found {
        right: bool,
    },
    /// On the right page, but the element did not appear.
    Missing,
}

/// The engine's state, shared with the help menu and the Schulung page.
#[derive(Clone, Copy)]
pub struct Tours {
    /// `None` until the browser has asked the server.
    pub state: RwSignal<Option<TourState>>,
    pub active: RwSignal<Option<ActiveTour>>,
    /// The title of a tour just finished (shows a short "Geschafft").
    finished: RwSignal<Option<String>>,
    message: RwSignal<Option<String>>,
    announce: RwSignal<String>,
    /// A page to open (the host navigates).
    go_to: RwSignal<Option<String>>,
    /// Happenings seen before the state arrived.
    early: StoredValue<Vec<WaitFor>>,
}

/// Creates the engine's state for the layout and puts it into context.
pub fn provide_tours() -> Tours {
    let tours = Tours {
        state: RwSignal::new(None),
        active: RwSignal::new(None),
        finished: RwSignal::new(None),
        message: RwSignal::new(None),
        announce: RwSignal::new(String::new()),
        go_to: RwSignal::new(None),
        early: StoredValue::new(Vec::new()),
    };
    provide_context(tours);
    tours
}

pub fn use_tours() -> Option<Tours> {
    use_context::<Tours>()
}

fn step_page_label(step: &Step) -> &'static str {
    super::page(&step.page).map_or("Startseite", |p| p.label)
}

fn step_page_entry(step: &Step) -> &'static str {
    super::page(&step.page).map_or("/", |p| p.entry)
}

fn current_path() -> String {
    #[cfg(feature = "hydrate")]
    return window().location().pathname().unwrap_or_default();
    #[cfg(not(feature = "hydrate"))]
    String::new()
}

impl Tours {
    fn say(self, active: &ActiveTour) {
        if let Some(step) = active.tour.steps.get(active.step) {
            self.announce.set(format!(
                "Rundgang „{}“, {}: {}",
                active.tour.title,
                progress_label(active.step, active.tour.steps.len()),
                step.title
            ));
        }
    }

    /// Opens the page of the current step if the browser is elsewhere.
    fn follow(self, active: &ActiveTour) {
        if let Some(step) = active.tour.steps.get(active.step) {
            if !step_visible_on(step, &current_path()) {
                self.go_to.set(Some(step_page_entry(step).to_string()));
            }
        }
    }

    /// Starts a tour (from the offer, the help menu or the Schulung page).
    pub fn start(self, tour_id: i64) {
        self.message.set(None);
        self.finished.set(None);
        leptos::task::spawn_local(async move {
            match start_tour(tour_id).await {
                Ok(active) => {
                    self.state.update(|s| {
                        if let Some(s) = s {
                            s.offer.clear();
                        }
                    });
                    self.say(&active);
                    self.follow(&active);
                    self.active.set(Some(active));
                }
                Err(error) => self.message.set(Some(error.to_string())),
            }
        });
    }

    /// Brings the running tour's page and popover back into view.
    pub fn resume(self) {
        if let Some(active) = self.active.get_untracked() {
            self.follow(&active);
            focus_by_id("tour-schritt-titel");
        }
    }

    /// One step on (`forward`) or back; after the last step the tour is
    /// finished. The screen changes at once; the server records it.
    fn step(self, forward: bool, follow: bool) {
        let Some(mut active) = self.active.get_untracked() else {
            return;
        };
        let from = active.step;
        let steps = active.tour.steps.len();
        let to = if forward {
            from + 1
        } else if from > 0 {
            from - 1
        } else {
            return;
        };
        let run_id = active.run_id;
        if to >= steps {
            self.announce
                .set(format!("Rundgang „{}“ abgeschlossen.", active.tour.title));
            self.finished.set(Some(active.tour.title.clone()));
            self.active.set(None);
        } else {
            active.step = to;
            self.say(&active);
            if follow {
                self.follow(&active);
            }
            self.active.set(Some(active));
        }
        leptos::task::spawn_local(async move {
            if let Err(error) = move_tour(run_id, from as u32, to as u32).await {
                self.message.set(Some(error.to_string()));
            }
        });
    }

    /// "Beenden": recorded as skipped at the current step.
    fn end(self) {
        let Some(active) = self.active.get_untracked() else {
            return;
        };
        self.active.set(None);
        self.announce.set(format!(
            "Rundgang „{}“ beendet. Sie finden ihn jederzeit im Menü „Hilfe“.",
            active.tour.title
        ));
        leptos::task::spawn_local(async move {
            if let Err(error) = end_tour(active.run_id).await {
                self.message.set(Some(error.to_string()));
            }
        });
    }

    /// Something happened that a step may be waiting for.
    fn happened(self, what: WaitFor) {
        if self.state.get_untracked().is_none() {
            self.early.update_value(|early| early.push(what));
            return;
        }
        let waiting = self.active.with_untracked(|a| {
            a.as_ref()
                .and_then(|a| a.tour.steps.get(a.step))
                .map(|s| s.wait_for)
        });
        if waiting == Some(what) && what != WaitFor::Nothing {
            self.step(true, false);
        }
    }

    fn answer_offer(self, never: bool) {
        self.state.update(|s| {
            if let Some(s) = s {
                s.offer.clear();
            }
        });
        self.announce.set(if never {
            "Rundgänge werden nicht mehr angeboten. Sie finden sie jederzeit im Menü „Hilfe“."
                .into()
        } else {
            "Gern später. Sie finden die Rundgänge jederzeit im Menü „Hilfe“.".into()
        });
        leptos::task::spawn_local(async move {
            if let Err(error) = answer_tour_offer(never).await {
                self.message.set(Some(error.to_string()));
            }
        });
    }
}

/// Focuses an element by id once it is on the screen.
fn focus_by_id(id: &'static str) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(element) = document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

#[cfg(feature = "hydrate")]
fn selector(anchor: &str) -> String {
    format!("[data-tour=\"{anchor}\"]")
}

/// Names the element to mark on `<html>` (or none).
fn mark(anchor: Option<&str>) {
    #[cfg(feature = "hydrate")]
    if let Some(root) = document().document_element() {
        let _ = match anchor {
            Some(anchor) => root.set_attribute("data-tour-ziel", anchor),
            None => root.remove_attribute("data-tour-ziel"),
        };
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = anchor;
}

/// Is the element there? Scrolls it into the middle of the screen if so,
/// and says whether it sits on the right (the popover then docks left, so
/// it never covers what it explains).
fn reveal(anchor: &str) -> Option<bool> {
    #[cfg(feature = "hydrate")]
    {
        let element = document()
            .query_selector(&selector(anchor))
            .ok()
            .flatten()?;
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        element.scroll_into_view_with_scroll_into_view_options(&options);
        let rect = element.get_bounding_client_rect();
        let width = window()
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .unwrap_or(1024.0);
        Some(rect.left() + rect.width() / 2.0 > width * 0.55 || rect.right() > width * 0.6)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = anchor;
        None
    }
}

/// Moves the keyboard focus to the marked element (or the first control
/// inside it), for "Zum markierten Element".
fn focus_anchor(anchor: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Ok(Some(element)) = document().query_selector(&selector(anchor)) else {
            return;
        };
        const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])";
        let target = if element.matches(FOCUSABLE).unwrap_or(false) {
            Some(element)
        } else {
            element
                .query_selector(FOCUSABLE)
                .ok()
                .flatten()
                .or_else(|| {
                    let _ = element.set_attribute("tabindex", "-1");
                    Some(element)
                })
        };
        if let Some(target) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = target.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = anchor;
}

/// The part of a click that matters: the anchor element it landed in.
#[cfg(feature = "hydrate")]
fn clicked_inside(event: &web_sys::Event, anchor: &str) -> bool {
    use wasm_bindgen::JsCast;
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest(&selector(anchor)).ok().flatten())
        .is_some()
}

/// The engine: rendered once in the layout, after the header.
#[component]
pub fn TourHost() -> impl IntoView {
    let Some(tours) = use_tours() else {
        return ().into_any();
    };
    let location = leptos_router::hooks::use_location();
    let navigate = leptos_router::hooks::use_navigate();
    let target = RwSignal::new(Target::Looking);
    let search = StoredValue::new(0u64);
    // The (run, step) whose popover last got the focus.
    let focused = StoredValue::new(None::<(i64, usize)>);

    // Ask the server once per page load.
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            match load_tour_state().await {
                Ok(state) => {
                    if let Some(active) = &state.active {
                        tours.say(active);
                    }
                    tours.active.set(state.active.clone());
                    tours.state.set(Some(state));
                    for what in tours
                        .early
                        .try_update_value(std::mem::take)
                        .unwrap_or_default()
                    {
                        tours.happened(what);
                    }
                }
                Err(error) => tours.message.set(Some(error.to_string())),
            }
        });
    });

    // Happenings announced by the app's components, and clicks on the
    // marked element.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let events = window_event_listener_untyped(super::EVENT_NAME, move |event| {
                let what = event
                    .dyn_into::<web_sys::CustomEvent>()
                    .ok()
                    .and_then(|e| e.detail().as_string())
                    .and_then(|d| WaitFor::parse(&d));
                if let Some(what) = what {
                    tours.happened(what);
                }
            });
            let clicks = window_event_listener_untyped("click", move |event| {
                let anchor = tours.active.with_untracked(|a| {
                    a.as_ref()
                        .and_then(|a| a.tour.steps.get(a.step))
                        .filter(|s| s.wait_for == WaitFor::Click)
                        .map(|s| s.anchor.clone())
                });
                if let Some(anchor) = anchor {
                    // Clicks inside the popover itself do not count.
                    if clicked_inside(&event, &anchor) && !clicked_inside_popover(&event) {
                        tours.happened(WaitFor::Click);
                    }
                }
            });
            on_cleanup(move || {
                events.remove();
                clicks.remove();
            });
        }
    });

    // Open pages the engine asks for.
    Effect::new(move |_| {
        if let Some(path) = tours.go_to.get() {
            tours.go_to.set(None);
            navigate(&path, Default::default());
        }
    });

    // Find and mark the current step's element whenever step or page change.
    Effect::new(move |_| {
        let path = location.pathname.get();
        let current = tours.active.with(|a| {
            a.as_ref().and_then(|a| {
                a.tour
                    .steps
                    .get(a.step)
                    .map(|s| (a.run_id, a.step, s.clone()))
            })
        });
        let ticket = search.get_value() + 1;
        search.set_value(ticket);
        mark(None);
        let Some((run_id, index, step)) = current else {
            return;
        };
        if focused.get_value() != Some((run_id, index)) {
            focused.set_value(Some((run_id, index)));
            focus_by_id("tour-schritt-titel");
        }
        if !step_visible_on(&step, &path) {
            target.set(Target::Elsewhere);
            return;
        }
        target.set(Target::Looking);
        mark(Some(&step.anchor));
        look(step.anchor, ticket, search, target, 0);
    });

    view! {
        <div class="tour-layer">
            <div class="visually-hidden" role="status" aria-live="polite">{move || tours.announce.get()}</div>
            {move || {
                if let Some(active) = tours.active.get() {
                    view! { <Popover tours active target/> }.into_any()
                } else if let Some(title) = tours.finished.get() {
                    view! { <Finished tours title/> }.into_any()
                } else {
                    let offer = tours.state.with(|s| s.as_ref().map(|s| s.offer.clone()).unwrap_or_default());
                    (!offer.is_empty()).then(|| view! { <Offer tours offer/> }).into_any()
                }
            }}
            {move || tours.message.get().map(|message| view! {
                <div class="tour-popover tour-message" role="alert">
                    <p>{message}</p>
                    <button type="button" class="button small" on:click=move |_| tours.message.set(None)>"Hinweis schließen"</button>
                </div>
            })}
        </div>
    }
    .into_any()
}

#[cfg(feature = "hydrate")]
fn clicked_inside_popover(event: &web_sys::Event) -> bool {
    use wasm_bindgen::JsCast;
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest(".tour-layer").ok().flatten())
        .is_some()
}

/// Looks for the element for up to ten seconds (pages load their data
/// after the layout); a newer search cancels an older one.
fn look(
    anchor: String,
    ticket: u64,
    search: StoredValue<u64>,
    target: RwSignal<Target>,
    tries: u32,
) {
    if search.get_value() != ticket {
        return;
    }
    if let Some(right) = reveal(&anchor) {
        target.set(Target::Found { right });
        return;
    }
    if tries >= 40 {
        target.set(Target::Missing);
    } else {
        #[cfg(feature = "hydrate")]
        set_timeout(
            move || look(anchor, ticket, search, target, tries + 1),
            std::time::Duration::from_millis(250),
        );
    }
}

/// The popover's text, shared by the engine and the editor's preview (which
/// shows it without heading and ids, as it sits inside the form).
#[component]
pub fn StepCard(
    tour_title: String,
    index: usize,
    steps: usize,
    step: Step,
    #[prop(optional)] preview: bool,
) -> impl IntoView {
    let title = if preview {
        view! { <p class="tour-title">{step.title.clone()}</p> }.into_any()
    } else {
        view! { <h2 id="tour-schritt-titel" class="tour-title" tabindex="-1">{step.title.clone()}</h2> }.into_any()
    };
    view! {
        <p class="tour-progress">
            <span class="tour-name">{format!("Rundgang „{tour_title}“")}</span>
            " · "
            {progress_label(index, steps)}
        </p>
        {title}
        <p id=(!preview).then_some("tour-schritt-text") class="tour-text">{step.text.clone()}</p>
        {step.wait_for.hint().map(|hint| view! { <p class="tour-wait">{hint}</p> })}
    }
}

#[component]
fn Popover(tours: Tours, active: ActiveTour, target: RwSignal<Target>) -> impl IntoView {
    let steps = active.tour.steps.len();
    let index = active.step;
    let Some(step) = active.tour.steps.get(index).cloned() else {
        return ().into_any();
    };
    let last = index + 1 == steps;
    let page_label = step_page_label(&step);
    let entry = step_page_entry(&step);
    let anchor = step.anchor.clone();
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            tours.end();
        }
    };
    view! {
        <section
            class="tour-popover"
            class:tour-left=move || matches!(target.get(), Target::Found { right: true })
            role="dialog"
            aria-labelledby="tour-schritt-titel"
            aria-describedby="tour-schritt-text"
            on:keydown=on_keydown
        >
            <StepCard tour_title=active.tour.title.clone() index steps step=step.clone()/>
            {move || match target.get() {
                Target::Elsewhere => view! {
                    <p class="tour-where">{format!("Dieser Schritt gehört zur Seite „{page_label}“.")}</p>
                    <p>
                        <button type="button" class="button small" on:click=move |_| tours.go_to.set(Some(entry.to_string()))>
                            {format!("Zur Seite „{page_label}“")}
                        </button>
                    </p>
                }.into_any(),
                Target::Missing => view! {
                    <p class="tour-missing notice">
                        "Das Element, um das es hier geht, ist auf dieser Seite gerade nicht zu sehen – vielleicht fehlt dafür eine Berechtigung oder die Seite hat sich geändert. Sie können trotzdem weitergehen; bitte sagen Sie dem Projektteam Bescheid."
                    </p>
                }.into_any(),
                Target::Found { .. } => {
                    let anchor = anchor.clone();
                    view! {
                        <p>
                            <button type="button" class="button small secondary" on:click=move |_| focus_anchor(&anchor)>
                                "Zum markierten Element"
                            </button>
                        </p>
                    }.into_any()
                }
                Target::Looking => ().into_any(),
            }}
            <div class="button-row tour-buttons">
                <button type="button" class="button" disabled={index == 0} on:click=move |_| tours.step(false, true)>"Zurück"</button>
                <button type="button" class="button primary" on:click=move |_| tours.step(true, true)>
                    {if last { "Fertig" } else { "Weiter" }}
                </button>
                <button type="button" class="button secondary" on:click=move |_| tours.end()>"Beenden"</button>
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn Finished(tours: Tours, title: String) -> impl IntoView {
    focus_by_id("tour-fertig-titel");
    view! {
        <section class="tour-popover" role="dialog" aria-labelledby="tour-fertig-titel"
            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { tours.finished.set(None) }>
            <h2 id="tour-fertig-titel" tabindex="-1">"Rundgang abgeschlossen"</h2>
            <p>{format!("Sie haben den Rundgang „{title}“ abgeschlossen. Weitere Rundgänge finden Sie im Menü „Hilfe“ und unter „Schulung“.")}</p>
            <div class="button-row">
                <button type="button" class="button primary" on:click=move |_| tours.finished.set(None)>"Schließen"</button>
            </div>
        </section>
    }
}

#[component]
fn Offer(tours: Tours, offer: Vec<super::Tour>) -> impl IntoView {
    view! {
        // In the flow of the page above the content, not floating: it must
        // never cover what somebody came to do.
        <section class="tour-offer" aria-labelledby="tour-angebot-titel">
            <h2 id="tour-angebot-titel">"Möchten Sie einen kurzen Rundgang machen?"</h2>
            <p>"Aktenwerk zeigt Ihnen Schritt für Schritt, wo Sie was finden. Sie können jederzeit beenden und jeden Rundgang später über das Menü „Hilfe“ wiederholen."</p>
            <ul class="tour-offer-list">
                {offer.into_iter().map(|tour| {
                    let id = tour.id;
                    view! {
                        <li>
                            <strong>{tour.title.clone()}</strong>
                            {format!(" – {} ({} Schritte) ", tour.description, tour.steps.len())}
                            <button type="button" class="button small primary" aria-label=format!("Starten: {}", tour.title) on:click=move |_| tours.start(id)>
                                "Starten"
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="button-row">
                <button type="button" class="button secondary" on:click=move |_| tours.answer_offer(false)>"Später"</button>
                <button type="button" class="button secondary" on:click=move |_| tours.answer_offer(true)>"Nicht mehr anbieten"</button>
            </div>
        </section>
    }
}

/// "Hilfe" in the header: every tour of the person's role, always there.
#[component]
pub fn HelpMenu() -> impl IntoView {
    let tours = use_tours();
    let details = NodeRef::<leptos::html::Details>::new();
    let close = move || {
        if let Some(details) = details.get_untracked() {
            details.set_open(false);
        }
    };
    let available = move || {
        tours
            .and_then(|t| t.state.with(|s| s.as_ref().map(|s| s.available.clone())))
            .unwrap_or_default()
    };
    view! {
        <details class="help-menu" data-tour="hilfe" node_ref=details
            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { close(); }>
            <summary class="button secondary small">"Hilfe"</summary>
            <div class="help-panel">
                <p class="help-heading" id="hilfe-rundgaenge">"Geführte Rundgänge"</p>
                <ul aria-labelledby="hilfe-rundgaenge">
                    {move || available().into_iter().map(|tour| {
                        let id = tour.id;
                        view! {
                            <li>
                                <button type="button" class="link-button" on:click=move |_| {
                                    close();
                                    if let Some(tours) = tours { tours.start(id); }
                                }>{tour.title.clone()}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <p><a href="/schulung" on:click=move |_| close()>"Alle Rundgänge und Ihr Schulungsnachweis"</a></p>
            </div>
        </details>
    }
    .into_any()
}
