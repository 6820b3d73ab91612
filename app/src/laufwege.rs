//! Laufwege: a document goes to colleagues in stages, each step „zur
//! Kenntnis", „zur Mitzeichnung" or „zur Freigabe". Steps of one stage run
//! side by side; the next stage starts when all of them have answered
//! positively; a refusal sends the Laufweg back to the one who started it.
//! Everyone is asked about one version, named by its hash, and a Freigabe
//! keeps the hash it approved: a later version needs a new Freigabe.
//!
//! This file holds the types and the one rule of how a Laufweg moves on
//! ([`advance`]); the use cases apply it inside their transaction.

pub mod panel;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// What a step asks of its person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepKind {
    Kenntnis,
    Mitzeichnung,
    Freigabe,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Kenntnis => "kenntnis",
            StepKind::Mitzeichnung => "mitzeichnung",
            StepKind::Freigabe => "freigabe",
        }
    }

    pub fn parse(value: &str) -> Option<StepKind> {
        match value {
            "kenntnis" => Some(StepKind::Kenntnis),
            "mitzeichnung" => Some(StepKind::Mitzeichnung),
            "freigabe" => Some(StepKind::Freigabe),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StepKind::Kenntnis => "zur Kenntnis",
            StepKind::Mitzeichnung => "zur Mitzeichnung",
            StepKind::Freigabe => "zur Freigabe",
        }
    }
}

/// Where a step stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepState {
    /// Its stage has not come yet.
    Waiting,
    /// Its person is asked now.
    Active,
    Agreed,
    AgreedWithRemark,
    Refused,
    Noted,
    /// Never asked: the Laufweg came back or was withdrawn first.
    Skipped,
}

impl StepState {
    pub fn as_str(self) -> &'static str {
        match self {
            StepState::Waiting => "waiting",
            StepState::Active => "active",
            StepState::Agreed => "agreed",
            StepState::AgreedWithRemark => "agreed_remark",
            StepState::Refused => "refused",
            StepState::Noted => "noted",
            StepState::Skipped => "skipped",
        }
    }

    pub fn parse(value: &str) -> Option<StepState> {
        Some(match value {
            "waiting" => StepState::Waiting,
            "active" => StepState::Active,
            "agreed" => StepState::Agreed,
            "agreed_remark" => StepState::AgreedWithRemark,
            "refused" => StepState::Refused,
            "noted" => StepState::Noted,
            "skipped" => StepState::Skipped,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            StepState::Waiting => "wartet",
            StepState::Active => "ist gefragt",
            StepState::Agreed => "zugestimmt",
            StepState::AgreedWithRemark => "mit Anmerkung zugestimmt",
            StepState::Refused => "abgelehnt",
            StepState::Noted => "zur Kenntnis genommen",
            StepState::Skipped => "entfallen",
        }
    }

    /// Answered, and not against it.
    fn passed(self) -> bool {
        matches!(
            self,
            StepState::Agreed | StepState::AgreedWithRemark | StepState::Noted
        )
    }
}

/// Where a Laufweg stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LaufwegStatus {
    Open,
    Completed,
    Returned,
    Cancelled,
}

impl LaufwegStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LaufwegStatus::Open => "open",
            LaufwegStatus::Completed => "completed",
            LaufwegStatus::Returned => "returned",
            LaufwegStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<LaufwegStatus> {
        Some(match value {
            "open" => LaufwegStatus::Open,
            "completed" => LaufwegStatus::Completed,
            "returned" => LaufwegStatus::Returned,
            "cancelled" => LaufwegStatus::Cancelled,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            LaufwegStatus::Open => "läuft",
            LaufwegStatus::Completed => "abgeschlossen",
            LaufwegStatus::Returned => "zurückgegeben",
            LaufwegStatus::Cancelled => "zurückgezogen",
        }
    }
}

/// A step as the form sends it, as typed: who (a user id; empty rows are
/// left out), what, and in which stage (steps with the same stage run
/// side by side; empty: after the one before).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepInput {
    #[serde(default)]
    pub user_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub stage: String,
}

/// Who a step asks: a person, or a Funktion of the municipality (whoever
/// holds it answers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asked {
    Person(i64),
    Funktion(i64),
}

impl Asked {
    /// The form's value: `12` for a person, `f3` for a Funktion.
    pub fn parse(value: &str) -> Option<Asked> {
        match value.strip_prefix('f') {
            Some(id) => id.parse().ok().map(Asked::Funktion),
            None => value.parse().ok().map(Asked::Person),
        }
    }

    /// The person's id, or `None` for a Funktion.
    pub fn person(self) -> Option<i64> {
        match self {
            Asked::Person(id) => Some(id),
            Asked::Funktion(_) => None,
        }
    }

    /// The Funktion's id, or `None` for a person.
    pub fn funktion(self) -> Option<i64> {
        match self {
            Asked::Person(_) => None,
            Asked::Funktion(id) => Some(id),
        }
    }
}

/// A checked step: stages numbered 1, 2, 3 … without gaps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlannedStep {
    pub stage: i64,
    pub asked: Asked,
    pub kind: StepKind,
}

/// The most steps one Laufweg has.
pub const MAX_STEPS: usize = 12;

/// Checks a Laufweg's title and steps: at least one, at most
/// [`MAX_STEPS`], each with a person and a kind; stages (default: one
/// after the other) are renumbered in order without gaps.
pub fn validate(title: &str, steps: &[StepInput]) -> Result<(String, Vec<PlannedStep>), AppError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 300 || title.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "Bitte geben Sie dem Laufweg einen Betreff (höchstens 300 Zeichen).",
        ));
    }
    let mut rows: Vec<(i64, usize, Asked, StepKind)> = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        let asked = step.user_id.trim();
        if asked.is_empty() {
            continue;
        }
        let asked = Asked::parse(asked).ok_or_else(|| {
            AppError::invalid("Bitte wählen Sie die Personen oder Funktionen aus der Liste.")
        })?;
        let kind = StepKind::parse(step.kind.trim()).ok_or_else(|| {
            AppError::invalid(
                "Bitte wählen Sie für jeden Schritt Kenntnis, Mitzeichnung oder Freigabe.",
            )
        })?;
        let stage = match step.stage.trim() {
            "" => index as i64 + 1,
            typed => typed.parse().unwrap_or(0),
        };
        if !(1..=100).contains(&stage) {
            return Err(AppError::invalid(
                "Die Stufe eines Schritts ist eine Zahl von 1 bis 100.",
            ));
        }
        rows.push((stage, index, asked, kind));
    }
    if rows.is_empty() {
        return Err(AppError::invalid(
            "Bitte nennen Sie mindestens eine Person oder Funktion.",
        ));
    }
    if rows.len() > MAX_STEPS {
        return Err(AppError::invalid(format!(
            "Ein Laufweg hat höchstens {MAX_STEPS} Schritte."
        )));
    }
    rows.sort_by_key(|(stage, index, ..)| (*stage, *index));
    let mut planned = Vec::with_capacity(rows.len());
    let (mut last, mut number) = (None, 0);
    for (stage, _, asked, kind) in rows {
        if last != Some(stage) {
            number += 1;
            last = Some(stage);
        }
        if planned
            .iter()
            .any(|p: &PlannedStep| p.stage == number && p.asked == asked)
        {
            return Err(AppError::invalid(
                "Eine Person oder Funktion steht zweimal in derselben Stufe.",
            ));
        }
        planned.push(PlannedStep {
            stage: number,
            asked,
            kind,
        });
    }
    Ok((title.to_string(), planned))
}

/// How a person answers a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Agree,
    AgreeWithRemark(String),
    Refuse(String),
    Noted,
}

impl Answer {
    /// `zustimmen`, `anmerkung` (with the remark), `ablehnen` (with the
    /// reason) or `kenntnis`, checked against what the step asks.
    pub fn parse(action: &str, remark: &str, kind: StepKind) -> Result<Answer, AppError> {
        let remark = remark.trim();
        if remark.chars().count() > 2000 {
            return Err(AppError::invalid(
                "Die Anmerkung ist zu lang (höchstens 2000 Zeichen).",
            ));
        }
        let answer = match action {
            "zustimmen" => Answer::Agree,
            "anmerkung" if remark.is_empty() => {
                return Err(AppError::invalid("Bitte schreiben Sie Ihre Anmerkung."))
            }
            "anmerkung" => Answer::AgreeWithRemark(remark.to_string()),
            "ablehnen" if remark.is_empty() => {
                return Err(AppError::invalid(
                    "Bitte begründen Sie die Ablehnung; sie geht an die Person zurück, die den Laufweg begonnen hat.",
                ))
            }
            "ablehnen" => Answer::Refuse(remark.to_string()),
            "kenntnis" => Answer::Noted,
            _ => return Err(AppError::invalid("Diese Antwort gibt es nicht.")),
        };
        let fits = match kind {
            StepKind::Kenntnis => answer == Answer::Noted,
            StepKind::Mitzeichnung | StepKind::Freigabe => answer != Answer::Noted,
        };
        if !fits {
            return Err(AppError::invalid(match kind {
                StepKind::Kenntnis => "Ein Schritt zur Kenntnis wird zur Kenntnis genommen.",
                _ => "Bitte stimmen Sie zu, mit Anmerkung zu, oder lehnen Sie ab.",
            }));
        }
        Ok(answer)
    }

    pub fn state(&self) -> StepState {
        match self {
            Answer::Agree => StepState::Agreed,
            Answer::AgreeWithRemark(_) => StepState::AgreedWithRemark,
            Answer::Refuse(_) => StepState::Refused,
            Answer::Noted => StepState::Noted,
        }
    }

    pub fn remark(&self) -> &str {
        match self {
            Answer::AgreeWithRemark(text) | Answer::Refuse(text) => text,
            Answer::Agree | Answer::Noted => "",
        }
    }
}

/// What became of a Laufweg after an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Others of the stage are still asked.
    Waiting,
    /// The next stage is asked now.
    NextStage(i64),
    Completed,
    Returned,
}

/// Moves a Laufweg on after an answer: a refusal returns it (the steps
/// not yet answered are skipped); a stage all of whose steps passed
/// activates the next one; after the last stage it is complete. `steps`
/// are (stage, state) pairs, changed in place.
pub fn advance(steps: &mut [(i64, StepState)]) -> Outcome {
    if steps.iter().any(|(_, s)| *s == StepState::Refused) {
        for (_, state) in steps.iter_mut() {
            if matches!(state, StepState::Waiting | StepState::Active) {
                *state = StepState::Skipped;
            }
        }
        return Outcome::Returned;
    }
    if steps.iter().any(|(_, s)| *s == StepState::Active) {
        return Outcome::Waiting;
    }
    let next = steps
        .iter()
        .filter(|(_, s)| *s == StepState::Waiting)
        .map(|(stage, _)| *stage)
        .min();
    match next {
        Some(stage) => {
            for (s, state) in steps.iter_mut() {
                if *s == stage {
                    *state = StepState::Active;
                }
            }
            Outcome::NextStage(stage)
        }
        None if steps.iter().all(|(_, s)| s.passed()) => Outcome::Completed,
        None => Outcome::Returned,
    }
}

/// One step as the document page and the record show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub id: i64,
    pub stage: i64,
    pub person: String,
    pub kind: StepKind,
    pub state: StepState,
    pub remark: String,
    /// When answered, for people.
    pub answered_at: Option<String>,
    pub approved_sha256: Option<String>,
    /// The signed-in person is asked now, themselves or as the deputy of
    /// the person asked.
    pub mine: bool,
    /// Mine as the deputy of the person asked (answered "i. V.").
    pub as_deputy: bool,
    /// Who answered, when it was not the person asked: "Name i. V.".
    pub answered_by: Option<String>,
}

/// One Laufweg of a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaufwegView {
    pub id: i64,
    pub title: String,
    pub status: LaufwegStatus,
    pub version_number: i64,
    pub sha256: String,
    pub started_by: String,
    pub started_at: String,
    pub steps: Vec<StepView>,
    /// The signed-in person started it and may withdraw it while it runs.
    pub may_withdraw: bool,
}

/// The Laufwege of a document, newest first, and what a new one needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLaufwege {
    pub laufwege: Vec<LaufwegView>,
    /// The last approved version: number and hash.
    pub approved: Option<(i64, String)>,
    pub newest_version: i64,
    /// Who can be asked (the own municipality's clerks).
    pub colleagues: Vec<crate::users::Colleague>,
    /// The Funktionen that can be asked (held by someone).
    pub funktionen: Vec<crate::users::Colleague>,
    pub may_start: bool,
}

/// A step waiting for the signed-in person (the Postkorb).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskedStep {
    pub step_id: i64,
    pub document_id: i64,
    pub document_title: String,
    pub laufweg_title: String,
    pub kind: StepKind,
    pub version_number: i64,
    pub started_by: String,
    /// Asked of a Funktion the person holds: its name.
    pub funktion: Option<String>,
}

/// A Laufweg that came back to the one who started it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnedLaufweg {
    pub id: i64,
    pub document_id: i64,
    pub title: String,
    pub refused_by: String,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use StepState::*;

    fn input(user: i64, kind: &str, stage: Option<i64>) -> StepInput {
        StepInput {
            user_id: user.to_string(),
            kind: kind.into(),
            stage: stage.map(|s| s.to_string()).unwrap_or_default(),
        }
    }

    #[test]
    fn steps_are_checked_and_stages_numbered_without_gaps() {
        let (title, steps) = validate(
            " Antwort an Familie Brenner ",
            &[
                input(3, "mitzeichnung", Some(2)),
                input(4, "mitzeichnung", Some(2)),
                StepInput::default(),
                input(5, "freigabe", Some(7)),
                input(6, "kenntnis", Some(1)),
            ],
        )
        .expect("valid");
        assert_eq!(title, "Antwort an Familie Brenner");
        let plan: Vec<(i64, Asked, StepKind)> =
            steps.iter().map(|s| (s.stage, s.asked, s.kind)).collect();
        assert_eq!(
            plan,
            [
                (1, Asked::Person(6), StepKind::Kenntnis),
                (2, Asked::Person(3), StepKind::Mitzeichnung),
                (2, Asked::Person(4), StepKind::Mitzeichnung),
                (3, Asked::Person(5), StepKind::Freigabe),
            ]
        );
        // A Funktion beside a person in one stage.
        let mut bauamt = input(0, "freigabe", Some(1));
        bauamt.user_id = "f2".into();
        let (_, steps) =
            validate("x", &[input(3, "kenntnis", Some(1)), bauamt.clone()]).expect("valid");
        assert_eq!(steps[1].asked, Asked::Funktion(2));
        assert!(validate("x", &[bauamt.clone(), bauamt]).is_err());
        let mut broken = input(0, "freigabe", None);
        broken.user_id = "fx".into();
        assert!(validate("x", &[broken]).is_err());
        // Without stages: one after the other.
        let (_, steps) = validate(
            "x",
            &[input(3, "mitzeichnung", None), input(4, "freigabe", None)],
        )
        .expect("valid");
        assert_eq!((steps[0].stage, steps[1].stage), (1, 2));
        assert!(validate("x", &[StepInput::default()]).is_err());
        assert!(validate(" ", &[input(3, "freigabe", None)]).is_err());
        assert!(validate("x", &[input(3, "unterschrift", None)]).is_err());
        assert!(validate("x", &[input(3, "freigabe", Some(0))]).is_err());
        assert!(validate(
            "x",
            &[input(3, "freigabe", Some(1)), input(3, "kenntnis", Some(1))]
        )
        .is_err());
        let many: Vec<StepInput> = (0..13).map(|i| input(i, "kenntnis", None)).collect();
        assert!(validate("x", &many).is_err());
    }

    #[test]
    fn a_sequential_and_a_parallel_stage_run_in_order() {
        // Stage 1: one Mitzeichnung; stage 2: two side by side; stage 3: Freigabe.
        let mut steps = vec![(1, Agreed), (2, Waiting), (2, Waiting), (3, Waiting)];
        assert_eq!(advance(&mut steps), Outcome::NextStage(2));
        assert_eq!(steps, [(1, Agreed), (2, Active), (2, Active), (3, Waiting)]);
        steps[1].1 = AgreedWithRemark;
        assert_eq!(advance(&mut steps), Outcome::Waiting);
        steps[2].1 = Noted;
        assert_eq!(advance(&mut steps), Outcome::NextStage(3));
        steps[3].1 = Agreed;
        assert_eq!(advance(&mut steps), Outcome::Completed);
    }

    #[test]
    fn a_refusal_sends_it_back_and_skips_the_rest() {
        let mut steps = vec![(1, Agreed), (2, Refused), (2, Active), (3, Waiting)];
        assert_eq!(advance(&mut steps), Outcome::Returned);
        assert_eq!(
            steps,
            [(1, Agreed), (2, Refused), (2, Skipped), (3, Skipped)]
        );
    }

    #[test]
    fn answers_fit_what_the_step_asks() {
        assert_eq!(
            Answer::parse("zustimmen", "", StepKind::Freigabe).ok(),
            Some(Answer::Agree)
        );
        assert_eq!(
            Answer::parse("anmerkung", " Bitte Frist nennen ", StepKind::Mitzeichnung).ok(),
            Some(Answer::AgreeWithRemark("Bitte Frist nennen".into()))
        );
        assert!(Answer::parse("anmerkung", " ", StepKind::Mitzeichnung).is_err());
        assert!(Answer::parse("ablehnen", "", StepKind::Freigabe).is_err());
        assert!(Answer::parse("kenntnis", "", StepKind::Freigabe).is_err());
        assert!(Answer::parse("zustimmen", "", StepKind::Kenntnis).is_err());
        assert_eq!(
            Answer::parse("kenntnis", "", StepKind::Kenntnis).ok(),
            Some(Answer::Noted)
        );
        assert!(Answer::parse("zustimmen", &"x".repeat(2001), StepKind::Freigabe).is_err());
    }

    #[test]
    fn states_round_trip() {
        for s in [
            Waiting,
            Active,
            Agreed,
            AgreedWithRemark,
            Refused,
            Noted,
            Skipped,
        ] {
            assert_eq!(StepState::parse(s.as_str()), Some(s));
        }
        for k in [
            StepKind::Kenntnis,
            StepKind::Mitzeichnung,
            StepKind::Freigabe,
        ] {
            assert_eq!(StepKind::parse(k.as_str()), Some(k));
        }
        for l in [
            LaufwegStatus::Open,
            LaufwegStatus::Completed,
            LaufwegStatus::Returned,
            LaufwegStatus::Cancelled,
        ] {
            assert_eq!(LaufwegStatus::parse(l.as_str()), Some(l));
        }
    }
}
