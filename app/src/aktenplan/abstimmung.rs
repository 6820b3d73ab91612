//! Abstimmung: proposals to change the plan, their review by the project
//! team, and the publication of approved changes as a new plan version.

pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProposalStatus {
    Open,
    Approved,
    Rejected,
    Published,
}

impl ProposalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Open => "open",
            ProposalStatus::Approved => "approved",
            ProposalStatus::Rejected => "rejected",
            ProposalStatus::Published => "published",
        }
    }

    pub fn parse(value: &str) -> Option<ProposalStatus> {
        [
            ProposalStatus::Open,
            ProposalStatus::Approved,
            ProposalStatus::Rejected,
            ProposalStatus::Published,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            ProposalStatus::Open => "in Abstimmung",
            ProposalStatus::Approved => "angenommen, noch nicht veröffentlicht",
            ProposalStatus::Rejected => "abgelehnt",
            ProposalStatus::Published => "veröffentlicht",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub author: String,
    pub at: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalView {
    pub id: i64,
    /// One German line: what would change.
    pub summary: String,
    pub justification: String,
    pub status: ProposalStatus,
    pub proposed_by: String,
    pub proposed_at: String,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub release_version: Option<i64>,
    pub comments: Vec<CommentView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseView {
    pub version: i64,
    pub title: String,
    pub notes: String,
    pub published_at: String,
    pub published_by: Option<String>,
    /// The changelog, one line per change.
    pub changes: Vec<String>,
}

/// What the Abstimmung page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbstimmungData {
    pub proposals: Vec<ProposalView>,
    pub may_propose: bool,
    pub may_decide: bool,
    pub current_version: i64,
}

/// The proposal form: one form for every kind of change; fields a kind does
/// not use are ignored.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ProposalForm {
    pub kind: String,
    #[serde(default)]
    pub position_code: String,
    #[serde(default)]
    pub new_code: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub keywords: String,
    #[serde(default)]
    pub retention: String,
    #[serde(default)]
    pub trigger: String,
    #[serde(default)]
    pub appraisal: String,
    #[serde(default)]
    pub justification: String,
}
