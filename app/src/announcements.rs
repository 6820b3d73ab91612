//! Neuigkeiten: announcements the project team writes (Markdown, shown
//! through [`crate::markdown`]), aimed at all or chosen municipalities and
//! roles, pinned, scheduled, and optionally to be acknowledged
//! ("Kenntnisnahme erforderlich"). Every reader's first reading and their
//! acknowledgement are stored with their time.

pub mod editor_page;
pub mod header;
pub mod page;
pub mod server_fns;
pub mod stats_page;

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod status;
#[cfg(feature = "ssr")]
pub mod storage;

use crate::auth::{Role, SessionUser};
use serde::{Deserialize, Serialize};

/// Whom an announcement addresses. An empty list means "all".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Targeting {
    pub municipalities: Vec<i64>,
    pub roles: Vec<Role>,
}

impl Targeting {
    /// Does the announcement address this person? People are addressed where
    /// they work: their home municipality counts, also for the few accounts
    /// responsible for all municipalities (central IT, project team). That
    /// keeps "Erbach only" meaning Erbach's staff, and the statistics per
    /// municipality clean; the project team sees every announcement in its
    /// overview anyway.
    pub fn addresses(&self, municipality_id: i64, role: Role) -> bool {
        (self.municipalities.is_empty() || self.municipalities.contains(&municipality_id))
            && (self.roles.is_empty() || self.roles.contains(&role))
    }

    pub fn addresses_user(&self, user: &SessionUser) -> bool {
        // The home municipality: practising staff still get their news.
        self.addresses(user.home_municipality().id, user.role)
    }

    /// "alle Gemeinden · nur Sachbearbeitung", for lists.
    pub fn label(&self, municipality_names: &[(i64, String)]) -> String {
        let places = if self.municipalities.is_empty() {
            "alle Gemeinden".to_string()
        } else {
            let names: Vec<&str> = municipality_names
                .iter()
                .filter(|(id, _)| self.municipalities.contains(id))
                .map(|(_, name)| name.as_str())
                .collect();
            names.join(", ")
        };
        let roles = if self.roles.is_empty() {
            "alle Rollen".to_string()
        } else {
            self.roles
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!("{places} · {roles}")
    }
}

/// Where an announcement stands in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Scheduled,
    Current,
    Expired,
}

impl Phase {
    pub fn at(now: i64, publish_at: i64, expire_at: Option<i64>) -> Phase {
        if publish_at > now {
            Phase::Scheduled
        } else if expire_at.is_some_and(|end| end <= now) {
            Phase::Expired
        } else {
            Phase::Current
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Phase::Scheduled => "geplant",
            Phase::Current => "veröffentlicht",
            Phase::Expired => "abgelaufen",
        }
    }
}

/// One announcement as a reader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementView {
    pub id: i64,
    pub title: String,
    /// Sanitised HTML from [`crate::markdown::render`].
    pub body_html: String,
    pub published: String,
    pub expires: Option<String>,
    pub author_name: String,
    pub pinned: bool,
    pub requires_ack: bool,
    /// Not read before this page was opened.
    pub unread: bool,
    pub acknowledged_at: Option<String>,
}

/// `/neuigkeiten`: current announcements first (pinned on top), the
/// expired ones in the archive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsList {
    pub current: Vec<AnnouncementView>,
    pub archive: Vec<AnnouncementView>,
    pub may_publish: bool,
}

/// What the editor sends. Times are local (Europe/Berlin) as a
/// `datetime-local` input gives them, e.g. `2026-12-01T08:00`; an empty
/// publishing time means "now", an empty expiry "never".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementDraft {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub municipalities: Vec<i64>,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub pinned: bool,
    #[serde(default)]
    pub requires_ack: bool,
    #[serde(default)]
    pub publish_at: String,
    #[serde(default)]
    pub expire_at: String,
}

/// The checked draft, ready for storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidAnnouncement {
    pub title: String,
    pub body: String,
    pub targeting: Targeting,
    pub pinned: bool,
    pub requires_ack: bool,
    pub publish_at: i64,
    pub expire_at: Option<i64>,
}

/// Checks everything but the times, which need the time zone (server).
pub fn validate_text(
    draft: &AnnouncementDraft,
    known_municipalities: &[i64],
) -> Result<(String, String, Targeting), crate::error::AppError> {
    use crate::error::AppError;
    let title = draft.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(AppError::invalid(
            "Bitte geben Sie der Mitteilung einen Titel (höchstens 200 Zeichen).",
        ));
    }
    if title.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "Der Titel darf keine Steuerzeichen enthalten.",
        ));
    }
    let body = draft.body.trim();
    if body.is_empty() {
        return Err(AppError::invalid(
            "Bitte schreiben Sie einen Text für die Mitteilung.",
        ));
    }
    crate::markdown::check_length(body, "Der Text")?;
    let mut municipalities = draft.municipalities.clone();
    municipalities.sort_unstable();
    municipalities.dedup();
    if municipalities
        .iter()
        .any(|id| !known_municipalities.contains(id))
    {
        return Err(AppError::invalid(
            "Eine der gewählten Gemeinden gibt es nicht.",
        ));
    }
    let mut roles = Vec::new();
    for role in &draft.roles {
        let role = Role::parse(role.trim())
            .ok_or_else(|| AppError::invalid("Eine der gewählten Rollen gibt es nicht."))?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    Ok((
        title.to_string(),
        body.to_string(),
        Targeting {
            municipalities,
            roles,
        },
    ))
}

/// An announcement in the project team's overview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedAnnouncement {
    pub id: i64,
    pub title: String,
    pub phase: Phase,
    pub publish_at: String,
    pub expire_at: Option<String>,
    pub pinned: bool,
    pub requires_ack: bool,
    pub audience: String,
    pub counts: Counts,
}

/// The editor's form, filled for editing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorData {
    pub draft: AnnouncementDraft,
    pub municipalities: Vec<crate::municipalities::Municipality>,
    /// Whether readers already read it (editing then changes what they read).
    pub already_read: i64,
}

/// Numbers for one group of addressed people.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub addressed: i64,
    pub read: i64,
    pub acknowledged: i64,
}

/// One addressed person and what they did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub name: String,
    pub municipality_id: i64,
    pub municipality: String,
    pub role: String,
    pub read_at: Option<String>,
    pub acknowledged_at: Option<String>,
}

/// One municipality's row in the statistics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityStats {
    pub municipality_id: i64,
    pub municipality: String,
    pub counts: Counts,
    pub people: Vec<Receipt>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementStats {
    pub id: i64,
    pub title: String,
    pub requires_ack: bool,
    pub audience: String,
    pub per_municipality: Vec<MunicipalityStats>,
    pub total: Counts,
}

/// Groups receipts per municipality (in the given order) and sums them:
/// the rows add up to the total by construction, and nobody is read
/// without being addressed or acknowledged without having read.
pub fn summarize(
    municipalities: &[(i64, String)],
    receipts: Vec<Receipt>,
) -> (Vec<MunicipalityStats>, Counts) {
    let mut rows: Vec<MunicipalityStats> = municipalities
        .iter()
        .map(|(id, name)| MunicipalityStats {
            municipality_id: *id,
            municipality: name.clone(),
            counts: Counts::default(),
            people: Vec::new(),
        })
        .collect();
    let mut total = Counts::default();
    for receipt in receipts {
        let Some(row) = rows
            .iter_mut()
            .find(|r| r.municipality_id == receipt.municipality_id)
        else {
            continue;
        };
        let read = receipt.read_at.is_some() || receipt.acknowledged_at.is_some();
        let acknowledged = receipt.acknowledged_at.is_some();
        for counts in [&mut row.counts, &mut total] {
            counts.addressed += 1;
            counts.read += i64::from(read);
            counts.acknowledged += i64::from(acknowledged);
        }
        row.people.push(receipt);
    }
    rows.retain(|r| r.counts.addressed > 0);
    (rows, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIC: i64 = 1;
    const ERB: i64 = 2;

    #[test]
    fn empty_targeting_addresses_everyone() {
        let all = Targeting::default();
        for role in Role::ALL {
            for municipality in 1..=4 {
                assert!(all.addresses(municipality, role));
            }
        }
    }

    #[test]
    fn erbach_only_does_not_reach_michelstadt() {
        let erbach = Targeting {
            municipalities: vec![ERB],
            roles: vec![],
        };
        assert!(erbach.addresses(ERB, Role::Sachbearbeitung));
        assert!(!erbach.addresses(MIC, Role::Sachbearbeitung));
        // Also not the Michelstadt project team or central IT: the home
        // municipality decides.
        assert!(!erbach.addresses(MIC, Role::Projektteam));
    }

    #[test]
    fn municipality_and_role_must_both_match() {
        let clerks_in_erbach = Targeting {
            municipalities: vec![ERB],
            roles: vec![Role::Sachbearbeitung, Role::Schulung],
        };
        assert!(clerks_in_erbach.addresses(ERB, Role::Schulung));
        assert!(!clerks_in_erbach.addresses(ERB, Role::Administration));
        assert!(!clerks_in_erbach.addresses(MIC, Role::Schulung));
        let admins = Targeting {
            municipalities: vec![],
            roles: vec![Role::Administration],
        };
        assert!(admins.addresses(MIC, Role::Administration));
        assert!(!admins.addresses(MIC, Role::Sachbearbeitung));
    }

    #[test]
    fn label_names_places_and_roles() {
        let names = vec![(1, "Michelstadt".to_string()), (2, "Erbach".to_string())];
        let t = Targeting {
            municipalities: vec![2],
            roles: vec![Role::Sachbearbeitung],
        };
        assert_eq!(t.label(&names), "Erbach · Sachbearbeitung");
        assert_eq!(
            Targeting::default().label(&names),
            "alle Gemeinden · alle Rollen"
        );
    }

    #[test]
    fn phases_follow_the_schedule() {
        assert_eq!(Phase::at(100, 200, None), Phase::Scheduled);
        assert_eq!(Phase::at(200, 200, None), Phase::Current);
        assert_eq!(Phase::at(250, 200, Some(300)), Phase::Current);
        assert_eq!(Phase::at(300, 200, Some(300)), Phase::Expired);
    }

    fn receipt(municipality_id: i64, read: bool, acknowledged: bool) -> Receipt {
        Receipt {
            name: "N".into(),
            municipality_id,
            municipality: String::new(),
            role: "Sachbearbeitung".into(),
            read_at: read.then(|| "1".into()),
            acknowledged_at: acknowledged.then(|| "2".into()),
        }
    }

    #[test]
    fn statistics_add_up() {
        let names = vec![
            (1, "Michelstadt".to_string()),
            (2, "Erbach".to_string()),
            (3, "Oberzent".to_string()),
        ];
        let receipts = vec![
            receipt(1, true, true),
            receipt(1, false, false),
            receipt(2, true, false),
            receipt(2, true, true),
            receipt(2, false, false),
            // Unknown municipality: not counted anywhere.
            receipt(9, true, true),
        ];
        let (rows, total) = summarize(&names, receipts);
        assert_eq!(rows.len(), 2, "Oberzent has nobody addressed");
        assert_eq!(
            rows[1].counts,
            Counts {
                addressed: 3,
                read: 2,
                acknowledged: 1
            }
        );
        assert_eq!(
            total,
            Counts {
                addressed: 5,
                read: 3,
                acknowledged: 2
            }
        );
        let sum = |f: fn(&Counts) -> i64| rows.iter().map(|r| f(&r.counts)).sum::<i64>();
        assert_eq!(sum(|c| c.addressed), total.addressed);
        assert_eq!(sum(|c| c.read), total.read);
        assert_eq!(sum(|c| c.acknowledged), total.acknowledged);
        for row in &rows {
            assert_eq!(row.people.len() as i64, row.counts.addressed);
            assert!(row.counts.acknowledged <= row.counts.read);
            assert!(row.counts.read <= row.counts.addressed);
        }
    }

    #[test]
    fn acknowledged_counts_as_read() {
        let (_, total) = summarize(&[(1, "M".into())], vec![receipt(1, false, true)]);
        assert_eq!(total.read, 1);
        assert_eq!(total.acknowledged, 1);
    }

    #[test]
    fn drafts_are_checked() {
        let ok = AnnouncementDraft {
            title: " Neue Scanner ".into(),
            body: "Ab **Montag**".into(),
            municipalities: vec![2, 2],
            roles: vec!["sachbearbeitung".into()],
            ..AnnouncementDraft::default()
        };
        let (title, _, targeting) = validate_text(&ok, &[1, 2, 3, 4]).expect("valid");
        assert_eq!(title, "Neue Scanner");
        assert_eq!(targeting.municipalities, vec![2]);
        assert_eq!(targeting.roles, vec![Role::Sachbearbeitung]);
        let no_title = AnnouncementDraft {
            title: "  ".into(),
            ..ok.clone()
        };
        assert!(validate_text(&no_title, &[1, 2]).is_err());
        let bad_place = AnnouncementDraft {
            municipalities: vec![7],
            ..ok.clone()
        };
        assert!(validate_text(&bad_place, &[1, 2]).is_err());
        let bad_role = AnnouncementDraft {
            roles: vec!["chef".into()],
            ..ok.clone()
        };
        assert!(validate_text(&bad_role, &[1, 2]).is_err());
        let empty = AnnouncementDraft {
            body: "\n".into(),
            ..ok
        };
        assert!(validate_text(&empty, &[1, 2]).is_err());
    }
}
