//! Coordinated plan changes: what a proposal may ask for, and applying a
//! set of approved changes to the current plan as one new version. Pure
//! functions over an in-memory plan, so every rule is unit-tested.
//!
//! Nothing filed is ever lost: positions are never deleted. A position that
//! still holds open Akten or active sub-positions cannot be deactivated; it
//! can be moved, and a move takes its sub-positions along and records every
//! old code, so old references still resolve.

use super::code::Kennzeichen;
use super::retention::{Archivwert, Retention, RetentionTrigger};
use super::PositionRecord;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// One change a proposal asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    New {
        code: Kennzeichen,
        title: String,
        description: String,
        keywords: Vec<String>,
        retention: Retention,
        trigger: RetentionTrigger,
        appraisal: Archivwert,
    },
    Rename {
        position_id: i64,
        title: String,
    },
    Describe {
        position_id: i64,
        description: String,
        keywords: Vec<String>,
    },
    /// Gives the position (and with it its sub-positions) a new code; the
    /// new parent follows from the code.
    Move {
        position_id: i64,
        new_code: Kennzeichen,
    },
    Retention {
        position_id: i64,
        retention: Retention,
        trigger: RetentionTrigger,
        appraisal: Archivwert,
    },
    Deactivate {
        position_id: i64,
    },
}

impl Change {
    /// The stored kind (see the `plan_proposals.kind` constraint).
    pub fn kind(&self) -> &'static str {
        match self {
            Change::New { .. } => "new",
            Change::Rename { .. } => "rename",
            Change::Describe { .. } => "describe",
            Change::Move { .. } => "move",
            Change::Retention { .. } => "retention",
            Change::Deactivate { .. } => "deactivate",
        }
    }

    pub fn position_id(&self) -> Option<i64> {
        match self {
            Change::New { .. } => None,
            Change::Rename { position_id, .. }
            | Change::Describe { position_id, .. }
            | Change::Move { position_id, .. }
            | Change::Retention { position_id, .. }
            | Change::Deactivate { position_id } => Some(*position_id),
        }
    }
}

/// A position as the rules see it: its record plus what the rules need to
/// know about its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanEntry {
    pub id: i64,
    pub record: PositionRecord,
    /// Open Akten of all municipalities directly under this position.
    pub open_akten: i64,
}

/// The result of applying changes: the new state of every touched position,
/// new positions (negative temporary ids), code history and a changelog.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Existing positions whose fields changed, by id, in their new state.
    pub updated: BTreeMap<i64, PlanEntry>,
    /// New positions in plan order (parents first), with temporary ids < 0.
    pub created: Vec<PlanEntry>,
    /// (position id, old code, new code) for every code that changed.
    pub code_history: Vec<(i64, Kennzeichen, Kennzeichen)>,
    /// One German line per change, for the release notes.
    pub changelog: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("Die Position (Nr. {0}) gibt es nicht.")]
    UnknownPosition(i64),
    #[error("Das Kennzeichen {0} ist bereits vergeben.")]
    CodeTaken(String),
    #[error("Die übergeordnete Position {0} gibt es nicht oder sie ist deaktiviert.")]
    MissingParent(String),
    #[error("{0} kann nicht deaktiviert werden: Dort liegen noch {1} offene Akten. Verschieben oder schließen Sie sie zuerst.")]
    HoldsOpenAkten(String, i64),
    #[error("{0} kann nicht deaktiviert werden: Es gibt noch aktive Unterpositionen. Verschieben oder deaktivieren Sie diese zuerst.")]
    HasActiveChildren(String),
    #[error("{0} kann nicht unter sich selbst verschoben werden.")]
    MoveIntoOwnSubtree(String),
    #[error("Eine Hauptgruppe ({0}) kann nicht verschoben werden.")]
    MoveMainGroup(String),
    #[error("{0} ist bereits deaktiviert.")]
    AlreadyInactive(String),
    #[error("{0}")]
    Invalid(String),
}

fn non_empty(text: &str, what: &str, max: usize) -> Result<String, ChangeError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > max {
        return Err(ChangeError::Invalid(format!(
            "{what} darf nicht leer und höchstens {max} Zeichen lang sein."
        )));
    }
    Ok(text.to_string())
}

/// Applies `changes` in order to `plan`. Either all apply or none.
pub fn apply(plan: &[PlanEntry], changes: &[Change]) -> Result<Applied, ChangeError> {
    let mut state: HashMap<i64, PlanEntry> = plan.iter().map(|e| (e.id, e.clone())).collect();
    let mut next_temp_id = -1;
    let mut changelog = Vec::new();
    let mut code_history = Vec::new();
    let original: HashMap<i64, PlanEntry> = state.clone();

    let active_code_taken =
        |state: &HashMap<i64, PlanEntry>, code: &Kennzeichen, except: &HashSet<i64>| {
            state
                .values()
                .any(|e| e.record.active && &e.record.code == code && !except.contains(&e.id))
        };
    let active_parent_exists =
        |state: &HashMap<i64, PlanEntry>, code: &Kennzeichen| match code.parent() {
            None => true,
            Some(parent) => state
                .values()
                .any(|e| e.record.active && e.record.code == parent),
        };

    for change in changes {
        match change {
            Change::New {
                code,
                title,
                description,
                keywords,
                retention,
                trigger,
                appraisal,
            } => {
                let title = non_empty(title, "Der Titel", 200)?;
                if active_code_taken(&state, code, &HashSet::new()) {
                    return Err(ChangeError::CodeTaken(code.to_string()));
                }
                if !active_parent_exists(&state, code) {
                    return Err(ChangeError::MissingParent(
                        code.parent().map(|p| p.to_string()).unwrap_or_default(),
                    ));
                }
                changelog.push(format!("Neu: {code} {title}"));
                state.insert(
                    next_temp_id,
                    PlanEntry {
                        id: next_temp_id,
                        record: PositionRecord {
                            code: code.clone(),
                            title,
                            description: description.trim().to_string(),
                            keywords: keywords.clone(),
                            retention: *retention,
                            trigger: *trigger,
                            appraisal: *appraisal,
                            active: true,
                        },
                        open_akten: 0,
                    },
                );
                next_temp_id -= 1;
            }
            Change::Rename { position_id, title } => {
                let title = non_empty(title, "Der Titel", 200)?;
                let entry = state
                    .get_mut(position_id)
                    .ok_or(ChangeError::UnknownPosition(*position_id))?;
                changelog.push(format!(
                    "Umbenannt: {} „{}“ → „{title}“",
                    entry.record.code, entry.record.title
                ));
                entry.record.title = title;
            }
            Change::Describe {
                position_id,
                description,
                keywords,
            } => {
                let entry = state
                    .get_mut(position_id)
                    .ok_or(ChangeError::UnknownPosition(*position_id))?;
                entry.record.description = description.trim().to_string();
                entry.record.keywords = keywords.clone();
                changelog.push(format!(
                    "Neue Beschreibung: {} {}",
                    entry.record.code, entry.record.title
                ));
            }
            Change::Retention {
                position_id,
                retention,
                trigger,
                appraisal,
            } => {
                let entry = state
                    .get_mut(position_id)
                    .ok_or(ChangeError::UnknownPosition(*position_id))?;
                changelog.push(format!(
                    "Aufbewahrung: {} {}: {} ({}) → {} ({}), Archivwert {} → {}",
                    entry.record.code,
                    entry.record.title,
                    entry.record.retention.label(),
                    entry.record.trigger.to_field(),
                    retention.label(),
                    trigger.to_field(),
                    entry.record.appraisal.letter(),
                    appraisal.letter()
                ));
                entry.record.retention = *retention;
                entry.record.trigger = *trigger;
                entry.record.appraisal = *appraisal;
            }
            Change::Deactivate { position_id } => {
                let entry = state
                    .get(position_id)
                    .ok_or(ChangeError::UnknownPosition(*position_id))?;
                if !entry.record.active {
                    return Err(ChangeError::AlreadyInactive(entry.record.code.to_string()));
                }
                if entry.open_akten > 0 {
                    return Err(ChangeError::HoldsOpenAkten(
                        entry.record.code.to_string(),
                        entry.open_akten,
                    ));
                }
                let code = entry.record.code.clone();
                if state
                    .values()
                    .any(|e| e.record.active && e.record.code.is_below(&code))
                {
                    return Err(ChangeError::HasActiveChildren(code.to_string()));
                }
                changelog.push(format!("Deaktiviert: {code} {}", entry.record.title));
                if let Some(entry) = state.get_mut(position_id) {
                    entry.record.active = false;
                }
            }
            Change::Move {
                position_id,
                new_code,
            } => {
                let entry = state
                    .get(position_id)
                    .ok_or(ChangeError::UnknownPosition(*position_id))?;
                let old_code = entry.record.code.clone();
                if old_code.level() == 1 {
                    return Err(ChangeError::MoveMainGroup(old_code.to_string()));
                }
                if new_code == &old_code {
                    continue;
                }
                if new_code.is_below(&old_code) {
                    return Err(ChangeError::MoveIntoOwnSubtree(old_code.to_string()));
                }
                // The moving subtree: the position and everything below it,
                // inactive positions included, so codes and parents agree.
                let moving: Vec<(i64, Kennzeichen, bool)> = state
                    .values()
                    .filter(|e| e.id == *position_id || e.record.code.is_below(&old_code))
                    .map(|e| (e.id, e.record.code.clone(), e.record.active))
                    .collect();
                let moving_ids: HashSet<i64> = moving.iter().map(|(id, ..)| *id).collect();
                let mut renamed = Vec::new();
                for (id, code, active) in &moving {
                    let target = code.rebase(&old_code, new_code).ok_or_else(|| {
                        ChangeError::Invalid(format!(
                            "{code} lässt sich nicht nach {new_code} verschieben (zu viele Ebenen)."
                        ))
                    })?;
                    if *active && active_code_taken(&state, &target, &moving_ids) {
                        return Err(ChangeError::CodeTaken(target.to_string()));
                    }
                    renamed.push((*id, code.clone(), target));
                }
                if !active_parent_exists(&state, new_code)
                    || new_code
                        .parent()
                        .is_some_and(|p| moving.iter().any(|(_, c, _)| c == &p))
                {
                    return Err(ChangeError::MissingParent(
                        new_code.parent().map(|p| p.to_string()).unwrap_or_default(),
                    ));
                }
                changelog.push(format!(
                    "Verschoben: {old_code} {} → {new_code}{}",
                    entry.record.title,
                    if renamed.len() > 1 {
                        format!(" (mit {} Unterpositionen)", renamed.len() - 1)
                    } else {
                        String::new()
                    }
                ));
                for (id, old, new) in renamed {
                    if let Some(e) = state.get_mut(&id) {
                        e.record.code = new.clone();
                    }
                    if id > 0 {
                        code_history.push((id, old, new));
                    }
                }
            }
        }
    }

    let mut applied = Applied {
        changelog,
        code_history,
        ..Applied::default()
    };
    for (id, entry) in state {
        if id < 0 {
            applied.created.push(entry);
        } else if original.get(&id) != Some(&entry) {
            applied.updated.insert(id, entry);
        }
    }
    applied.created.sort_by_key(|e| e.record.code.sort_key());
    Ok(applied)
}

/// The changes that turn `plan` into the plan a CSV file describes.
///
/// Positions are matched by their active code, so an import can rename,
/// re-describe, re-appraise, add and deactivate, but not move (a CSV has no
/// stable ids; moves go through proposals). An active position missing from
/// the file is deactivated: the file is the whole plan, as the export writes
/// it. Deactivations come last and children first, so `apply` sees a plan in
/// which their sub-positions are already gone.
pub fn from_import(plan: &[PlanEntry], records: &[PositionRecord]) -> Vec<Change> {
    let active: HashMap<&Kennzeichen, &PlanEntry> = plan
        .iter()
        .filter(|e| e.record.active)
        .map(|e| (&e.record.code, e))
        .collect();
    let mut listed: HashSet<&Kennzeichen> = HashSet::new();
    let mut created = Vec::new();
    let mut updated = Vec::new();
    let mut deactivated: Vec<&PlanEntry> = Vec::new();
    for record in records {
        listed.insert(&record.code);
        let Some(current) = active.get(&record.code) else {
            if record.active {
                created.push(Change::New {
                    code: record.code.clone(),
                    title: record.title.clone(),
                    description: record.description.clone(),
                    keywords: record.keywords.clone(),
                    retention: record.retention,
                    trigger: record.trigger,
                    appraisal: record.appraisal,
                });
            }
            continue;
        };
        if !record.active {
            deactivated.push(current);
            continue;
        }
        let was = &current.record;
        let position_id = current.id;
        if was.title != record.title {
            updated.push(Change::Rename {
                position_id,
                title: record.title.clone(),
            });
        }
        if was.description != record.description || was.keywords != record.keywords {
            updated.push(Change::Describe {
                position_id,
                description: record.description.clone(),
                keywords: record.keywords.clone(),
            });
        }
        if (was.retention, was.trigger, was.appraisal)
            != (record.retention, record.trigger, record.appraisal)
        {
            updated.push(Change::Retention {
                position_id,
                retention: record.retention,
                trigger: record.trigger,
                appraisal: record.appraisal,
            });
        }
    }
    deactivated.extend(
        plan.iter()
            .filter(|e| e.record.active && !listed.contains(&e.record.code)),
    );
    deactivated.sort_by_key(|e| std::cmp::Reverse(e.record.code.level()));
    created
        .into_iter()
        .chain(updated)
        .chain(
            deactivated
                .into_iter()
                .map(|e| Change::Deactivate { position_id: e.id }),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: &str) -> Kennzeichen {
        Kennzeichen::parse(code).expect("code")
    }

    fn entry(id: i64, code: &str, title: &str, open_akten: i64) -> PlanEntry {
        PlanEntry {
            id,
            record: PositionRecord {
                code: k(code),
                title: title.into(),
                description: String::new(),
                keywords: Vec::new(),
                retention: Retention::Years(10),
                trigger: RetentionTrigger::Aktenschluss,
                appraisal: Archivwert::Bewerten,
                active: true,
            },
            open_akten,
        }
    }

    fn plan() -> Vec<PlanEntry> {
        vec![
            entry(1, "6", "Bau", 0),
            entry(2, "62", "Bauaufsicht", 0),
            entry(3, "621", "Genehmigungen", 0),
            entry(4, "621.1", "Bauanträge", 5),
            entry(5, "621.2", "Vorbescheide", 0),
            entry(6, "63", "Bauverwaltung", 0),
            entry(7, "631", "Allgemeines", 0),
        ]
    }

    #[test]
    fn move_takes_children_along_and_records_old_codes() {
        let applied = apply(
            &plan(),
            &[Change::Move {
                position_id: 3,
                new_code: k("632"),
            }],
        )
        .expect("move");
        let codes: BTreeMap<i64, &str> = applied
            .updated
            .iter()
            .map(|(id, e)| (*id, e.record.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            BTreeMap::from([(3, "632"), (4, "632.1"), (5, "632.2")])
        );
        assert_eq!(applied.code_history.len(), 3);
        assert!(applied.code_history.contains(&(4, k("621.1"), k("632.1"))));
        assert!(applied.changelog[0].contains("mit 2 Unterpositionen"));
    }

    #[test]
    fn moves_onto_taken_codes_into_itself_or_without_parent_are_refused() {
        let plan = plan();
        assert_eq!(
            apply(
                &plan,
                &[Change::Move {
                    position_id: 3,
                    new_code: k("631")
                }]
            ),
            Err(ChangeError::CodeTaken("631".into()))
        );
        assert!(matches!(
            apply(
                &plan,
                &[Change::Move {
                    position_id: 3,
                    new_code: k("621.5")
                }]
            ),
            Err(ChangeError::MoveIntoOwnSubtree(_))
        ));
        assert!(matches!(
            apply(
                &plan,
                &[Change::Move {
                    position_id: 3,
                    new_code: k("641")
                }]
            ),
            Err(ChangeError::MissingParent(_))
        ));
        assert!(matches!(
            apply(
                &plan,
                &[Change::Move {
                    position_id: 1,
                    new_code: k("7")
                }]
            ),
            Err(ChangeError::MoveMainGroup(_))
        ));
    }

    #[test]
    fn deactivation_with_content_is_refused() {
        let plan = plan();
        assert_eq!(
            apply(&plan, &[Change::Deactivate { position_id: 4 }]),
            Err(ChangeError::HoldsOpenAkten("621.1".into(), 5))
        );
        assert!(matches!(
            apply(&plan, &[Change::Deactivate { position_id: 3 }]),
            Err(ChangeError::HasActiveChildren(_))
        ));
        let applied = apply(&plan, &[Change::Deactivate { position_id: 5 }]).expect("empty leaf");
        assert!(!applied.updated[&5].record.active);
        // After the Akten's position moves away, the old parent can go.
        let applied = apply(
            &plan,
            &[
                Change::Move {
                    position_id: 4,
                    new_code: k("631.1"),
                },
                Change::Deactivate { position_id: 5 },
                Change::Deactivate { position_id: 3 },
            ],
        )
        .expect("move then deactivate");
        assert!(!applied.updated[&3].record.active);
        assert_eq!(applied.updated[&4].record.code, k("631.1"));
    }

    #[test]
    fn new_positions_need_a_free_code_and_an_active_parent() {
        let new = |code: &str| Change::New {
            code: k(code),
            title: "Neu".into(),
            description: String::new(),
            keywords: Vec::new(),
            retention: Retention::Years(5),
            trigger: RetentionTrigger::Aktenschluss,
            appraisal: Archivwert::Vernichten,
        };
        let applied = apply(&plan(), &[new("621.3"), new("621.31")]).expect("new");
        let codes: Vec<&str> = applied
            .created
            .iter()
            .map(|e| e.record.code.as_str())
            .collect();
        assert_eq!(codes, ["621.3", "621.31"]);
        assert_eq!(
            apply(&plan(), &[new("621.1")]),
            Err(ChangeError::CodeTaken("621.1".into()))
        );
        assert!(matches!(
            apply(&plan(), &[new("649")]),
            Err(ChangeError::MissingParent(_))
        ));
    }

    #[test]
    fn one_failing_change_applies_nothing_and_unknown_ids_are_named() {
        let result = apply(
            &plan(),
            &[
                Change::Rename {
                    position_id: 7,
                    title: "Neu".into(),
                },
                Change::Deactivate { position_id: 4 },
            ],
        );
        assert!(result.is_err());
        assert_eq!(
            apply(
                &plan(),
                &[Change::Rename {
                    position_id: 99,
                    title: "X".into()
                }]
            ),
            Err(ChangeError::UnknownPosition(99))
        );
        assert!(apply(
            &plan(),
            &[Change::Rename {
                position_id: 7,
                title: "  ".into()
            }]
        )
        .is_err());
    }

    #[test]
    fn rename_and_retention_are_in_the_changelog() {
        let applied = apply(
            &plan(),
            &[
                Change::Rename {
                    position_id: 7,
                    title: "Allgemeine Bauverwaltung".into(),
                },
                Change::Retention {
                    position_id: 7,
                    retention: Retention::Permanent,
                    trigger: RetentionTrigger::Aktenschluss,
                    appraisal: Archivwert::Archivieren,
                },
            ],
        )
        .expect("apply");
        assert_eq!(applied.updated[&7].record.title, "Allgemeine Bauverwaltung");
        assert_eq!(applied.updated[&7].record.retention, Retention::Permanent);
        assert!(applied.changelog[0].starts_with("Umbenannt: 631"));
        assert!(applied.changelog[1].contains("10 Jahre"));
    }

    fn records(plan: &[PlanEntry]) -> Vec<PositionRecord> {
        plan.iter().map(|e| e.record.clone()).collect()
    }

    #[test]
    fn importing_the_current_plan_changes_nothing() {
        let plan = plan();
        assert_eq!(from_import(&plan, &records(&plan)), Vec::new());
    }

    #[test]
    fn import_adds_renames_reappraises_and_deactivates_children_first() {
        let plan = plan();
        let mut file = records(&plan);
        file[1].title = "Bauaufsicht und Denkmalschutz".into();
        file[2].retention = Retention::Years(30);
        file.retain(|r| !r.code.as_str().starts_with("63"));
        let mut new = file[4].clone();
        new.code = k("621.3");
        new.title = "Abbruchanzeigen".into();
        file.push(new);

        let changes = from_import(&plan, &file);
        assert_eq!(
            changes.iter().map(Change::kind).collect::<Vec<_>>(),
            ["new", "rename", "retention", "deactivate", "deactivate"]
        );
        assert_eq!(
            changes[3].position_id(),
            Some(7),
            "631 before its parent 63"
        );
        let applied = apply(&plan, &changes).expect("applies");
        assert_eq!(applied.created.len(), 1);
        assert!(!applied.updated[&6].record.active);
    }

    #[test]
    fn import_cannot_drop_a_position_holding_open_akten() {
        let plan = plan();
        let mut file = records(&plan);
        file.retain(|r| r.code.as_str() != "621.1");
        let changes = from_import(&plan, &file);
        assert!(matches!(
            apply(&plan, &changes),
            Err(ChangeError::HoldsOpenAkten(code, 5)) if code == "621.1"
        ));
    }
}
