//! Guided walkthroughs ("Rundgänge"): tours are data – stored in the
//! database, edited by the project team – made of steps that each point at
//! an element marked with a stable `data-tour` attribute. The engine in the
//! browser ([`engine`]) highlights the element and shows a popover; the
//! training record keeps who started, finished or skipped which tour.
//!
//! This file holds the shared types, the one registry of pages and anchors
//! a tour may use, and the plain rules (validation, step navigation).

pub mod editor_page;
pub mod engine;
pub mod record_page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use crate::auth::Role;
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// A page a tour step can live on. `path` may contain `:name` segments
/// that stand for any value (e.g. the selected plan position).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TourPage {
    pub path: &'static str,
    pub label: &'static str,
    /// Where "Zur Seite …" leads when `path` has a variable part.
    pub entry: &'static str,
    /// A concrete address of the page (for the anchor check).
    pub example: &'static str,
}

pub const PAGES: &[TourPage] = &[
    TourPage {
        path: "/",
        label: "Startseite",
        entry: "/",
        example: "/",
    },
    TourPage {
        path: "/postkorb",
        label: "Postkorb",
        entry: "/postkorb",
        example: "/postkorb",
    },
    TourPage {
        path: "/dokumente/:id",
        label: "Dokument (über den Posteingang)",
        entry: "/posteingang",
        // The anchor check opens a document of its own at this address.
        example: "/dokumente/:id",
    },
    TourPage {
        path: "/posteingang",
        label: "Posteingang",
        entry: "/posteingang",
        example: "/posteingang",
    },
    TourPage {
        path: "/aktenplan",
        label: "Aktenplan",
        entry: "/aktenplan",
        example: "/aktenplan",
    },
    TourPage {
        path: "/aktenplan/:code",
        label: "Aktenplan mit gewählter Position",
        entry: "/aktenplan",
        example: "/aktenplan/621",
    },
    TourPage {
        path: "/aktenplan/abstimmung",
        label: "Aktenplan: Änderungen vorschlagen und abstimmen",
        entry: "/aktenplan/abstimmung",
        example: "/aktenplan/abstimmung",
    },
    TourPage {
        path: "/suche",
        label: "Suche",
        entry: "/suche",
        example: "/suche",
    },
    TourPage {
        path: "/schulung",
        label: "Schulung",
        entry: "/schulung",
        example: "/schulung",
    },
];

/// Stands for "on every page" in [`Anchor::pages`] (header and navigation).
pub const EVERY_PAGE: &str = "*";

/// An element the app marks with `data-tour="<id>"` for tours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub id: &'static str,
    /// The page paths (from [`PAGES`]) it is on, or [`EVERY_PAGE`].
    pub pages: &'static [&'static str],
    pub description: &'static str,
    /// Where it can be seen for sure (some anchors need a search or a
    /// selected position); the anchor check in the browser tests visits it.
    pub probe: &'static str,
    /// Who sees it at all (the header search only exists for clerks).
    pub roles: &'static [Role],
}

const ALL_ROLES: &[Role] = &Role::ALL;
// Trainees practise as clerks of their practice area (see
// `auth::permissions::acting_role`), so they see what clerks see.
const CLERKS: &[Role] = &[Role::Sachbearbeitung, Role::Schulung];
const PLAN_READERS: &[Role] = &[
    Role::Sachbearbeitung,
    Role::Projektteam,
    Role::Administration,
    Role::Schulung,
];
const PROPOSERS: &[Role] = &[Role::Sachbearbeitung, Role::Projektteam, Role::Schulung];

/// Every anchor the app provides. Adding a `data-tour` attribute to a page
/// means adding it here; the browser test checks that each one used by a
/// tour really is on its page.
pub const ANCHORS: &[Anchor] = &[
    Anchor {
        id: "hauptnavigation",
        pages: &[EVERY_PAGE],
        description: "Hauptnavigation (Menü mit allen Bereichen)",
        probe: "/",
        roles: ALL_ROLES,
    },
    Anchor {
        id: "nav-posteingang",
        pages: &[EVERY_PAGE],
        description: "Navigation: Eintrag „Posteingang“",
        probe: "/",
        roles: ALL_ROLES,
    },
    Anchor {
        id: "nav-aktenplan",
        pages: &[EVERY_PAGE],
        description: "Navigation: Eintrag „Aktenplan“",
        probe: "/",
        roles: ALL_ROLES,
    },
    Anchor {
        id: "nav-suche",
        pages: &[EVERY_PAGE],
        description: "Navigation: Eintrag „Suche“",
        probe: "/",
        roles: ALL_ROLES,
    },
    Anchor {
        id: "nav-schulung",
        pages: &[EVERY_PAGE],
        description: "Navigation: Eintrag „Schulung“",
        probe: "/",
        roles: ALL_ROLES,
    },
    Anchor {
        id: "gemeinde",
        pages: &[EVERY_PAGE],
        description: "Kopfzeile: die eigene Gemeinde",
        probe: "/",
        roles: ALL_ROLES,
    },
    Anchor {
        id: "benutzer",
        pages: &[EVERY_PAGE],
        description: "Kopfzeile: Name, Rolle, Passwort ändern, Abmelden",
        probe: "/",
        roles: ALL_ROLES,
    },
    Anchor {
        id: "hilfe",
        pages: &[EVERY_PAGE],
        description: "Kopfzeile: Hilfe-Menü mit allen Rundgängen",
        probe: "/",
        roles: ALL_ROLES,
    },
    Anchor {
        id: "suche",
        pages: &[EVERY_PAGE],
        description: "Kopfzeile: Suchfeld (nur Sachbearbeitung)",
        probe: "/",
        roles: CLERKS,
    },
    Anchor {
        id: "startseite-bereiche",
        pages: &["/"],
        description: "Startseite: Kacheln der Bereiche (Projektteam und Administration)",
        probe: "/",
        roles: &[Role::Projektteam, Role::Administration],
    },
    Anchor {
        id: "postkorb-heute",
        pages: &["/"],
        description: "Startseite: was heute wartet (Postkorb der Sachbearbeitung)",
        probe: "/",
        roles: CLERKS,
    },
    Anchor {
        id: "nav-postkorb",
        pages: &[EVERY_PAGE],
        description: "Navigation: Eintrag „Postkorb“",
        probe: "/",
        roles: CLERKS,
    },
    Anchor {
        id: "postkorb-faellig",
        pages: &["/postkorb"],
        description: "Postkorb: heute fällige Wiedervorlagen",
        probe: "/postkorb",
        roles: CLERKS,
    },
    Anchor {
        id: "wiedervorlage",
        pages: &["/dokumente/:id"],
        description: "Dokument: Wiedervorlage setzen und zuweisen",
        probe: "/dokumente/:id",
        roles: CLERKS,
    },
    Anchor {
        id: "laufweg",
        pages: &["/dokumente/:id"],
        description: "Dokument: Mitzeichnung und Freigabe (Laufwege)",
        probe: "/dokumente/:id",
        roles: CLERKS,
    },
    Anchor {
        id: "laufweg-starten",
        pages: &["/dokumente/:id"],
        description: "Dokument: Formular „Laufweg starten“ (eigene Dokumente)",
        probe: "/dokumente/:id",
        roles: CLERKS,
    },
    Anchor {
        id: "upload-bereich",
        pages: &["/posteingang"],
        description: "Posteingang: Feld zum Hochladen (Ziehen oder Auswählen)",
        probe: "/posteingang",
        roles: CLERKS,
    },
    Anchor {
        id: "posteingang-liste",
        pages: &["/posteingang"],
        description: "Posteingang: Liste der noch nicht abgelegten Dokumente",
        probe: "/posteingang",
        roles: CLERKS,
    },
    Anchor {
        id: "akte-ablegen",
        pages: &["/posteingang"],
        description: "Posteingang: Akte suchen und Dokumente ablegen",
        probe: "/posteingang",
        roles: CLERKS,
    },
    Anchor {
        id: "aktenplan-suche",
        pages: &["/aktenplan", "/aktenplan/:code"],
        description: "Aktenplan: Suchfeld",
        probe: "/aktenplan",
        roles: PLAN_READERS,
    },
    Anchor {
        id: "aktenplan-baum",
        pages: &["/aktenplan", "/aktenplan/:code"],
        description: "Aktenplan: der Baum mit allen Positionen",
        probe: "/aktenplan",
        roles: PLAN_READERS,
    },
    Anchor {
        id: "aktenplan-treffer",
        pages: &["/aktenplan", "/aktenplan/:code"],
        description: "Aktenplan: Trefferliste der Suche (erscheint nach dem Tippen)",
        probe: "/aktenplan?suche=Bau",
        roles: PLAN_READERS,
    },
    Anchor {
        id: "abstimmung-link",
        pages: &["/aktenplan", "/aktenplan/:code"],
        description: "Aktenplan: Link „Änderungen vorschlagen und abstimmen“",
        probe: "/aktenplan",
        roles: PLAN_READERS,
    },
    Anchor {
        id: "position-details",
        pages: &["/aktenplan/:code"],
        description: "Aktenplan: Beschreibung, Aufbewahrung und Archivwert der gewählten Position",
        probe: "/aktenplan/621",
        roles: PLAN_READERS,
    },
    Anchor {
        id: "neue-akte",
        pages: &["/aktenplan/:code"],
        description: "Aktenplan: „Neue Akte anlegen“ (ab dreistelligem Kennzeichen)",
        probe: "/aktenplan/621",
        roles: PROPOSERS,
    },
    Anchor {
        id: "aenderung-vorschlagen",
        pages: &["/aktenplan/abstimmung"],
        description: "Abstimmung: Formular „Änderung vorschlagen“",
        probe: "/aktenplan/abstimmung",
        roles: PROPOSERS,
    },
    Anchor {
        id: "vorschlaege",
        pages: &["/aktenplan/abstimmung"],
        description: "Abstimmung: Liste der Vorschläge mit Kommentaren",
        probe: "/aktenplan/abstimmung",
        roles: PLAN_READERS,
    },
    Anchor {
        id: "suche-formular",
        pages: &["/suche"],
        description: "Suche: Suchfeld und Sortierung der Suchseite",
        probe: "/suche",
        roles: CLERKS,
    },
    Anchor {
        id: "suchergebnisse",
        pages: &["/suche"],
        description: "Suche: Zahl der Treffer und Trefferliste (nach einer Suche)",
        probe: "/suche?q=Antrag",
        roles: CLERKS,
    },
    Anchor {
        id: "suche-filter",
        pages: &["/suche"],
        description: "Suche: Filter nach Dokumentart, Jahr, Akte … (nach einer Suche)",
        probe: "/suche?q=Antrag",
        roles: CLERKS,
    },
    Anchor {
        id: "schulung-rundgaenge",
        pages: &["/schulung"],
        description: "Schulung: Liste aller Rundgänge mit Ihrem Stand",
        probe: "/schulung",
        roles: ALL_ROLES,
    },
    Anchor {
        id: "schulung-nachweis",
        pages: &["/schulung"],
        description: "Schulung: Ihr Schulungsnachweis",
        probe: "/schulung",
        roles: ALL_ROLES,
    },
];

pub fn anchor(id: &str) -> Option<&'static Anchor> {
    ANCHORS.iter().find(|a| a.id == id)
}

pub fn page(path: &str) -> Option<&'static TourPage> {
    PAGES.iter().find(|p| p.path == path)
}

/// Anchors that can be used on a page.
pub fn anchors_for_page(path: &str) -> impl Iterator<Item = &'static Anchor> + '_ {
    ANCHORS
        .iter()
        .filter(move |a| a.pages.iter().any(|p| *p == EVERY_PAGE || *p == path))
}

/// Does the browser's `pathname` show the tour page `pattern`? A pattern's
/// `:name` segment matches any one segment, unless the pathname is itself
/// a page of its own (`/aktenplan/abstimmung` is not a plan position).
pub fn page_matches(pattern: &str, pathname: &str) -> bool {
    let pathname = match pathname.trim_end_matches('/') {
        "" => "/",
        trimmed => trimmed,
    };
    if pattern == pathname {
        return true;
    }
    if !pattern.contains(':') || PAGES.iter().any(|p| p.path == pathname) {
        return false;
    }
    let wanted: Vec<&str> = pattern.split('/').collect();
    let given: Vec<&str> = pathname.split('/').collect();
    wanted.len() == given.len()
        && wanted
            .iter()
            .zip(&given)
            .all(|(w, g)| w.starts_with(':') && !g.is_empty() || w == g)
}

/// Can the step be shown on the page at `pathname`? On its own page, and
/// anywhere if its element is in the header or navigation (a "click on
/// Posteingang" step works wherever the person happens to be).
pub fn step_visible_on(step: &Step, pathname: &str) -> bool {
    page_matches(&step.page, pathname)
        || anchor(&step.anchor).is_some_and(|a| a.pages.contains(&EVERY_PAGE))
}

/// What a step waits for before it goes on by itself. A closed set: the
/// app's components announce these happenings (see [`emit`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WaitFor {
    /// Nothing: the person reads and presses "Weiter".
    Nothing,
    /// A click on the highlighted element.
    Click,
    /// A file finished uploading.
    Upload,
    /// Documents were filed into an Akte.
    Filed,
    /// A full-text search showed its results.
    Search,
    /// Something was typed into the Aktenplan search.
    PlanSearch,
    /// A Wiedervorlage was set.
    FollowUpSet,
    /// A Laufweg was started.
    LaufwegStarted,
}

impl WaitFor {
    pub const ALL: [WaitFor; 8] = [
        WaitFor::Nothing,
        WaitFor::Click,
        WaitFor::Upload,
        WaitFor::Filed,
        WaitFor::Search,
        WaitFor::PlanSearch,
        WaitFor::FollowUpSet,
        WaitFor::LaufwegStarted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WaitFor::Nothing => "",
            WaitFor::Click => "klick",
            WaitFor::Upload => "hochgeladen",
            WaitFor::Filed => "abgelegt",
            WaitFor::Search => "gesucht",
            WaitFor::PlanSearch => "aktenplan-gesucht",
            WaitFor::FollowUpSet => "wiedervorlage-gesetzt",
            WaitFor::LaufwegStarted => "laufweg-gestartet",
        }
    }

    pub fn parse(value: &str) -> Option<WaitFor> {
        WaitFor::ALL.into_iter().find(|w| w.as_str() == value)
    }

    /// For the editor's choice.
    pub fn label(self) -> &'static str {
        match self {
            WaitFor::Nothing => "Nichts – weiter mit „Weiter“",
            WaitFor::Click => "Klick auf das markierte Element",
            WaitFor::Upload => "Datei hochgeladen",
            WaitFor::Filed => "Dokument in Akte abgelegt",
            WaitFor::Search => "Suche ausgeführt",
            WaitFor::PlanSearch => "Im Aktenplan gesucht",
            WaitFor::FollowUpSet => "Wiedervorlage gesetzt",
            WaitFor::LaufwegStarted => "Laufweg gestartet",
        }
    }

    /// Shown in the popover while waiting.
    pub fn hint(self) -> Option<&'static str> {
        match self {
            WaitFor::Nothing => None,
            WaitFor::Click => Some("Es geht weiter, sobald Sie auf das markierte Element klicken."),
            WaitFor::Upload => Some("Es geht weiter, sobald eine Datei hochgeladen ist."),
            WaitFor::Filed => Some("Es geht weiter, sobald ein Dokument in einer Akte liegt."),
            WaitFor::Search => Some("Es geht weiter, sobald die Suche Ergebnisse zeigt."),
            WaitFor::PlanSearch => Some("Es geht weiter, sobald Sie im Aktenplan suchen."),
            WaitFor::FollowUpSet => Some("Es geht weiter, sobald die Wiedervorlage gesetzt ist."),
            WaitFor::LaufwegStarted => Some("Es geht weiter, sobald der Laufweg gestartet ist."),
        }
    }
}

/// The happenings components announce; the engine compares them with the
/// current step's [`WaitFor`].
pub const EVENT_NAME: &str = "aktenwerk:tour";

/// Tells a running tour that something happened (a window `CustomEvent`
/// named [`EVENT_NAME`] whose detail is [`WaitFor::as_str`]). Does nothing
/// on the server.
pub fn emit(what: WaitFor) {
    #[cfg(feature = "hydrate")]
    {
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&wasm_bindgen::JsValue::from_str(what.as_str()));
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(EVENT_NAME, &init) {
            let _ = leptos::prelude::window().dispatch_event(&event);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = what;
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub page: String,
    pub anchor: String,
    pub title: String,
    pub text: String,
    pub wait_for: WaitFor,
}

/// A tour as stored and as the engine plays it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tour {
    /// 0 for a tour not yet saved.
    pub id: i64,
    pub title: String,
    pub description: String,
    pub roles: Vec<Role>,
    /// Offered by itself to people who have not done it yet.
    pub auto_offer: bool,
    /// Order in lists (smaller first).
    pub position: i64,
    pub steps: Vec<Step>,
}

pub const MAX_STEPS: usize = 30;

fn check_text(value: &str, what: &str, max: usize) -> Result<String, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::invalid(format!("Bitte geben Sie {what} an.")));
    }
    if value.chars().count() > max {
        return Err(AppError::invalid(format!(
            "{what} ist zu lang (höchstens {max} Zeichen).",
            what = capitalise(what)
        )));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(AppError::invalid(format!(
            "{} darf keine Steuerzeichen enthalten.",
            capitalise(what)
        )));
    }
    Ok(value.to_string())
}

fn capitalise(what: &str) -> String {
    let mut chars = what.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Checks a tour from the editor and returns it tidied (trimmed texts,
/// roles without repeats). Messages are German and name the step.
pub fn validate(tour: &Tour) -> Result<Tour, AppError> {
    let title = check_text(&tour.title, "einen Titel für den Rundgang", 120)?;
    let description = tour.description.trim().to_string();
    if description.chars().count() > 500 {
        return Err(AppError::invalid(
            "Die Beschreibung ist zu lang (höchstens 500 Zeichen).",
        ));
    }
    let mut roles = Vec::new();
    for role in Role::ALL {
        if tour.roles.contains(&role) {
            roles.push(role);
        }
    }
    if roles.is_empty() {
        return Err(AppError::invalid(
            "Bitte wählen Sie mindestens eine Rolle, der der Rundgang angeboten wird.",
        ));
    }
    if tour.steps.is_empty() {
        return Err(AppError::invalid(
            "Ein Rundgang braucht mindestens einen Schritt.",
        ));
    }
    if tour.steps.len() > MAX_STEPS {
        return Err(AppError::invalid(format!(
            "Ein Rundgang hat höchstens {MAX_STEPS} Schritte."
        )));
    }
    let mut steps = Vec::new();
    for (i, step) in tour.steps.iter().enumerate() {
        let n = i + 1;
        let in_step = |error: AppError| AppError::invalid(format!("Schritt {n}: {error}"));
        let page = page(step.page.trim()).ok_or_else(|| {
            in_step(AppError::invalid(
                "Bitte wählen Sie eine Seite aus der Liste.",
            ))
        })?;
        let anchor = anchor(step.anchor.trim()).ok_or_else(|| {
            in_step(AppError::invalid(format!(
                "Das Element „{}“ kennt Aktenwerk nicht. Bitte wählen Sie ein Element aus der Liste.",
                step.anchor.trim()
            )))
        })?;
        if !anchors_for_page(page.path).any(|a| a.id == anchor.id) {
            return Err(in_step(AppError::invalid(format!(
                "Das Element „{}“ gibt es nicht auf der Seite „{}“.",
                anchor.description, page.label
            ))));
        }
        let blind: Vec<&str> = roles
            .iter()
            .filter(|r| !anchor.roles.contains(r))
            .map(|r| r.label())
            .collect();
        if !blind.is_empty() {
            return Err(in_step(AppError::invalid(format!(
                "Das Element „{}“ sehen nicht alle gewählten Rollen (nicht: {}).",
                anchor.description,
                blind.join(", ")
            ))));
        }
        steps.push(Step {
            page: page.path.to_string(),
            anchor: anchor.id.to_string(),
            title: check_text(&step.title, "einen Titel", 120).map_err(in_step)?,
            text: check_text(&step.text, "einen Text", 1000).map_err(in_step)?,
            wait_for: step.wait_for,
        });
    }
    Ok(Tour {
        id: tour.id,
        title,
        description,
        roles,
        auto_offer: tour.auto_offer,
        position: tour.position.clamp(0, 9999),
        steps,
    })
}

/// Where a person is in a tour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunStatus {
    Running,
    Finished,
    /// Ended early with "Beenden".
    Skipped,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Finished => "finished",
            RunStatus::Skipped => "skipped",
        }
    }

    pub fn parse(value: &str) -> Option<RunStatus> {
        [RunStatus::Running, RunStatus::Finished, RunStatus::Skipped]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// The outcome of moving from one step to another (`to` counts from 0;
/// `to == steps` finishes the tour).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    To(usize),
    Finish,
}

/// Checks a step change: only to the neighbouring steps or to the end.
pub fn plan_move(steps: usize, from: usize, to: usize) -> Result<Move, AppError> {
    if steps == 0 {
        return Err(AppError::invalid("Dieser Rundgang hat keine Schritte."));
    }
    if from >= steps || to > steps || from.abs_diff(to) != 1 {
        return Err(AppError::Conflict(
            "Der Rundgang ist inzwischen an anderer Stelle. Bitte laden Sie die Seite neu.".into(),
        ));
    }
    Ok(if to == steps {
        Move::Finish
    } else {
        Move::To(to)
    })
}

/// The tour being played for the signed-in person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveTour {
    pub run_id: i64,
    pub tour: Tour,
    /// 0-based; always a valid index into `tour.steps`.
    pub step: usize,
}

/// "Schritt 3 von 8".
pub fn progress_label(step: usize, steps: usize) -> String {
    format!("Schritt {} von {}", step + 1, steps)
}

/// What the engine needs on every page load.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TourState {
    pub active: Option<ActiveTour>,
    /// All tours for the person's role, in order.
    pub available: Vec<Tour>,
    /// Tours to offer now ("Möchten Sie einen kurzen Rundgang machen?").
    pub offer: Vec<Tour>,
}

/// Is it time to offer tours again? "Nie" is final; "Später" waits for
/// the next sign-in.
pub fn offer_due(answer: Option<(&str, i64)>, last_login_at: Option<i64>) -> bool {
    match answer {
        None => true,
        Some(("never", _)) => false,
        Some((_, answered_at)) => last_login_at.is_some_and(|login| login > answered_at),
    }
}

/// One person's latest run of one tour, for lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunView {
    pub tour_id: i64,
    pub tour_title: String,
    pub status: RunStatus,
    /// 1-based step reached (for running and skipped runs).
    pub step: usize,
    pub steps: usize,
    pub started_at: String,
    pub ended_at: Option<String>,
}

impl RunView {
    pub fn status_label(&self) -> String {
        match self.status {
            RunStatus::Running => format!("begonnen, bei Schritt {} von {}", self.step, self.steps),
            RunStatus::Finished => "abgeschlossen".to_string(),
            RunStatus::Skipped => {
                format!("abgebrochen bei Schritt {} von {}", self.step, self.steps)
            }
        }
    }
}

/// `/schulung` for one person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingPage {
    pub tours: Vec<Tour>,
    /// Every run, newest first.
    pub runs: Vec<RunView>,
    /// Training sessions attended: the other half of the record.
    pub attended: Vec<crate::training_sessions::AttendedSession>,
    pub may_edit: bool,
}

/// Counts for one tour in one municipality and role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TourCounts {
    pub tour_id: i64,
    pub tour_title: String,
    pub started: i64,
    pub finished: i64,
    pub skipped: i64,
}

/// One group of the project team's overview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordGroup {
    pub municipality: String,
    pub role: Role,
    pub people: i64,
    /// Of them, how many attended at least one training session.
    pub trained: i64,
    pub tours: Vec<TourCounts>,
}

/// One person in the project team's overview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub display_name: String,
    pub username: String,
    pub municipality: String,
    pub role: Role,
    /// Latest run per tour.
    pub runs: Vec<RunView>,
    /// Training sessions attended, oldest first.
    pub sessions: Vec<crate::training_sessions::AttendedSession>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordOverview {
    pub groups: Vec<RecordGroup>,
    pub people: Vec<PersonRecord>,
    /// For the filter.
    pub municipalities: Vec<crate::municipalities::Municipality>,
    pub selected: Option<i64>,
}

/// The editor's choices, from the registry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnchorChoice {
    pub id: String,
    pub pages: Vec<String>,
    pub description: String,
    pub probe: String,
    pub roles: Vec<Role>,
}

/// The editor's page choices, from the registry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageChoice {
    pub path: String,
    pub label: String,
    pub entry: String,
    pub example: String,
}

pub fn page_choices() -> Vec<PageChoice> {
    PAGES
        .iter()
        .map(|p| PageChoice {
            path: p.path.to_string(),
            label: p.label.to_string(),
            entry: p.entry.to_string(),
            example: p.example.to_string(),
        })
        .collect()
}

/// What the tour editor works with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorData {
    pub tours: Vec<Tour>,
    pub anchors: Vec<AnchorChoice>,
    pub pages: Vec<PageChoice>,
}

pub fn anchor_choices() -> Vec<AnchorChoice> {
    ANCHORS
        .iter()
        .map(|a| AnchorChoice {
            id: a.id.to_string(),
            pages: a.pages.iter().map(|p| p.to_string()).collect(),
            description: a.description.to_string(),
            probe: a.probe.to_string(),
            roles: a.roles.to_vec(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(page: &str, anchor: &str) -> Step {
        Step {
            page: page.into(),
            anchor: anchor.into(),
            title: "Titel".into(),
            text: "Text".into(),
            wait_for: WaitFor::Nothing,
        }
    }

    fn tour(steps: Vec<Step>) -> Tour {
        Tour {
            id: 0,
            title: " Probe ".into(),
            description: String::new(),
            roles: vec![Role::Schulung, Role::Sachbearbeitung, Role::Schulung],
            auto_offer: false,
            position: 5,
            steps,
        }
    }

    #[test]
    fn registry_is_consistent() {
        for (i, a) in ANCHORS.iter().enumerate() {
            assert!(ANCHORS[..i].iter().all(|b| b.id != a.id), "{} twice", a.id);
            assert!(!a.pages.is_empty(), "{} has no page", a.id);
            for p in a.pages {
                assert!(*p == EVERY_PAGE || page(p).is_some(), "{}: {p}", a.id);
            }
            let probe_path = a.probe.split('?').next().unwrap_or_default();
            assert!(
                a.pages
                    .iter()
                    .any(|p| *p == EVERY_PAGE || page_matches(p, probe_path)),
                "{}: probe {} is not one of its pages",
                a.id,
                a.probe
            );
        }
        for p in PAGES {
            assert!(page_matches(p.path, p.entry) || p.path.contains(':'));
            assert!(page_matches(p.path, p.example), "{}", p.path);
        }
    }

    #[test]
    fn the_stylesheet_marks_every_registered_anchor() {
        let css = include_str!("../../style/main.css");
        for a in ANCHORS {
            let rule = format!("html[data-tour-ziel=\"{0}\"] [data-tour=\"{0}\"]", a.id);
            assert!(css.contains(&rule), "style/main.css lacks {rule}");
        }
    }

    #[test]
    fn pages_match_paths_and_variable_segments() {
        assert!(page_matches("/", "/"));
        assert!(page_matches("/", ""));
        assert!(page_matches("/posteingang", "/posteingang/"));
        assert!(!page_matches("/posteingang", "/"));
        assert!(page_matches("/aktenplan/:code", "/aktenplan/621.1"));
        assert!(!page_matches("/aktenplan/:code", "/aktenplan"));
        assert!(!page_matches("/aktenplan/:code", "/aktenplan/abstimmung"));
        assert!(page_matches(
            "/aktenplan/abstimmung",
            "/aktenplan/abstimmung"
        ));
        assert!(!page_matches("/aktenplan/:code", "/aktenplan/621/mehr"));
    }

    #[test]
    fn header_steps_show_everywhere_page_steps_only_on_their_page() {
        assert!(step_visible_on(&step("/", "nav-posteingang"), "/suche"));
        assert!(step_visible_on(
            &step("/posteingang", "upload-bereich"),
            "/posteingang"
        ));
        assert!(!step_visible_on(
            &step("/posteingang", "upload-bereich"),
            "/"
        ));
        assert!(step_visible_on(
            &step("/aktenplan/:code", "position-details"),
            "/aktenplan/621"
        ));
    }

    #[test]
    fn a_valid_tour_is_tidied() {
        let mut header = step("/posteingang", "nav-schulung");
        header.title = "  Schulung  ".into();
        let tidy = validate(&tour(vec![step("/", "gemeinde"), header])).expect("valid");
        assert_eq!(tidy.title, "Probe");
        assert_eq!(tidy.roles, vec![Role::Sachbearbeitung, Role::Schulung]);
        assert_eq!(tidy.steps[1].title, "Schulung");
    }

    #[test]
    fn unknown_or_misplaced_anchors_are_refused_in_german() {
        let error = validate(&tour(vec![step("/", "gemeinde"), step("/", "gibtsnicht")]))
            .expect_err("unknown anchor");
        assert!(error.to_string().starts_with("Schritt 2: "), "{error}");
        assert!(error.to_string().contains("„gibtsnicht“"), "{error}");
        let error =
            validate(&tour(vec![step("/suche", "upload-bereich")])).expect_err("wrong page");
        assert!(
            error
                .to_string()
                .contains("gibt es nicht auf der Seite „Suche“"),
            "{error}"
        );
        let error = validate(&tour(vec![step("/nirgends", "gemeinde")])).expect_err("page");
        assert!(error.to_string().contains("Seite"), "{error}");
    }

    #[test]
    fn tours_need_roles_steps_and_texts() {
        let mut no_roles = tour(vec![step("/", "gemeinde")]);
        no_roles.roles.clear();
        assert!(validate(&no_roles).is_err());
        assert!(validate(&tour(Vec::new())).is_err());
        let mut empty = step("/", "gemeinde");
        empty.text = "   ".into();
        assert!(validate(&tour(vec![empty]))
            .expect_err("empty text")
            .to_string()
            .contains("Text"));
        let mut long = step("/", "gemeinde");
        long.title = "x".repeat(121);
        assert!(validate(&tour(vec![long])).is_err());
        assert!(validate(&tour(vec![step("/", "gemeinde"); MAX_STEPS + 1])).is_err());
    }

    #[test]
    fn steps_move_one_at_a_time_and_finish_after_the_last() {
        assert_eq!(plan_move(3, 0, 1).ok(), Some(Move::To(1)));
        assert_eq!(plan_move(3, 1, 0).ok(), Some(Move::To(0)));
        assert_eq!(plan_move(3, 2, 3).ok(), Some(Move::Finish));
        assert!(plan_move(3, 0, 2).is_err());
        assert!(plan_move(3, 1, 1).is_err());
        assert!(plan_move(3, 3, 4).is_err());
        assert!(plan_move(0, 0, 1).is_err());
        assert_eq!(progress_label(2, 8), "Schritt 3 von 8");
    }

    #[test]
    fn the_offer_comes_back_after_later_but_not_after_never() {
        assert!(offer_due(None, None));
        assert!(!offer_due(Some(("never", 10)), Some(20)));
        assert!(!offer_due(Some(("later", 10)), Some(5)));
        assert!(!offer_due(Some(("later", 10)), None));
        assert!(offer_due(Some(("later", 10)), Some(11)));
    }

    #[test]
    fn wait_kinds_round_trip() {
        for w in WaitFor::ALL {
            assert_eq!(WaitFor::parse(w.as_str()), Some(w));
            assert_eq!(w.hint().is_none(), w == WaitFor::Nothing);
        }
        assert_eq!(WaitFor::parse("unbekannt"), None);
    }
}
