//! Server functions of the Abstimmung (plan change proposals).

use super::{AbstimmungData, ReleaseView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::aktenplan::changes::Change;
    use crate::aktenplan::code::Kennzeichen;
    use crate::aktenplan::index::PlanIndex;
    use crate::aktenplan::retention::{Archivwert, Retention, RetentionTrigger};
    use crate::error::AppError;

    fn position(index: &PlanIndex, code: &str) -> Result<i64, AppError> {
        let code = code.trim();
        if code.is_empty() {
            return Err(AppError::invalid(
                "Bitte geben Sie das Kennzeichen der Position an.",
            ));
        }
        index.by_code(code).map(|p| p.id).ok_or_else(|| {
            AppError::invalid(format!("Die Position {code} gibt es im Aktenplan nicht."))
        })
    }

    fn code(raw: &str) -> Result<Kennzeichen, AppError> {
        Kennzeichen::parse(raw).map_err(|e| AppError::invalid(e.to_string()))
    }

    /// Turns the one proposal form into a typed change.
    pub fn change_from(form: &super::ProposalForm, index: &PlanIndex) -> Result<Change, AppError> {
        let retention_fields = || -> Result<(Retention, RetentionTrigger, Archivwert), AppError> {
            Ok((
                Retention::parse(&form.retention).map_err(AppError::Invalid)?,
                RetentionTrigger::parse(&form.trigger).map_err(AppError::Invalid)?,
                Archivwert::parse(&form.appraisal).map_err(AppError::Invalid)?,
            ))
        };
        Ok(match form.kind.as_str() {
            "new" => {
                let (retention, trigger, appraisal) = retention_fields()?;
                Change::New {
                    code: code(&form.new_code)?,
                    title: form.title.trim().to_string(),
                    description: form.description.trim().to_string(),
                    keywords: crate::aktenplan::split_keywords(&form.keywords),
                    retention,
                    trigger,
                    appraisal,
                }
            }
            "rename" => Change::Rename {
                position_id: position(index, &form.position_code)?,
                title: form.title.trim().to_string(),
            },
            "describe" => Change::Describe {
                position_id: position(index, &form.position_code)?,
                description: form.description.trim().to_string(),
                keywords: crate::aktenplan::split_keywords(&form.keywords),
            },
            "move" => Change::Move {
                position_id: position(index, &form.position_code)?,
                new_code: code(&form.new_code)?,
            },
            "retention" => {
                let (retention, trigger, appraisal) = retention_fields()?;
                Change::Retention {
                    position_id: position(index, &form.position_code)?,
                    retention,
                    trigger,
                    appraisal,
                }
            }
            "deactivate" => Change::Deactivate {
                position_id: position(index, &form.position_code)?,
            },
            _ => {
                return Err(AppError::invalid(
                    "Bitte wählen Sie, was geändert werden soll.",
                ))
            }
        })
    }
}

/// Proposals and what the user may do with them.
#[server(prefix = "/api", endpoint = "load_abstimmung")]
pub async fn load_abstimmung() -> Result<AbstimmungData, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            let index = state.plan.snapshot();
            let current_version: i64 =
                sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM plan_releases")
                    .fetch_one(&state.pool)
                    .await?;
            Ok(AbstimmungData {
                proposals: super::storage::list(
                    &state.pool,
                    &index,
                    super::storage::practice_scope(&user),
                )
                .await?,
                may_propose: crate::auth::guard::Rule::ProposePlanChanges.allows(&user),
                may_decide: crate::auth::guard::Rule::ProjectTeam.allows(&user),
                current_version,
            })
        }
        .await,
    )
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

/// Proposes one change with a justification.
#[server(prefix = "/api", endpoint = "propose_change")]
pub async fn propose_change(proposal: ProposalForm) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            if !crate::auth::guard::Rule::ProposePlanChanges.allows(&user) {
                return Err(AppError::Forbidden);
            }
            let justification = proposal.justification.trim();
            if justification.chars().count() < 10 || justification.chars().count() > 4000 {
                return Err(AppError::invalid(
                    "Bitte begründen Sie den Vorschlag in mindestens 10 Zeichen (höchstens 4000).",
                ));
            }
            let index = state.plan.snapshot();
            let change = ssr::change_from(&proposal, &index)?;
            let summary = super::storage::describe(&change, &index);
            super::storage::insert_proposal(&state.pool, &user, &change, justification, &summary)
                .await
        }
        .await,
    )
}

/// Adds a comment to a proposal (anyone who may propose or decide).
#[server(prefix = "/api", endpoint = "comment_proposal")]
pub async fn comment_proposal(proposal_id: i64, text: String) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            if !crate::auth::guard::Rule::ProposePlanChanges.allows(&user)
                && !crate::auth::guard::Rule::ProjectTeam.allows(&user)
            {
                return Err(AppError::Forbidden);
            }
            let text = text.trim();
            if text.is_empty() || text.chars().count() > 4000 {
                return Err(AppError::invalid(
                    "Bitte schreiben Sie einen Kommentar (höchstens 4000 Zeichen).",
                ));
            }
            super::storage::add_comment(&state.pool, &user, proposal_id, text).await
        }
        .await,
    )
}

/// Approves or rejects a proposal (project team only).
#[server(prefix = "/api", endpoint = "decide_proposal")]
pub async fn decide_proposal(
    proposal_id: i64,
    approve: bool,
    note: String,
) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            if !crate::auth::guard::Rule::ProjectTeam.allows(&user) {
                return Err(AppError::Forbidden);
            }
            super::storage::decide(&state.pool, &user, proposal_id, approve, note.trim()).await
        }
        .await,
    )
}

/// Publishes all approved proposals as the next plan version.
#[server(prefix = "/api", endpoint = "publish_plan")]
pub async fn publish_plan(title: String, notes: String) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            if !crate::auth::guard::Rule::ProjectTeam.allows(&user) {
                return Err(AppError::Forbidden);
            }
            let title = title.trim();
            if title.is_empty() || title.chars().count() > 200 {
                return Err(AppError::invalid(
                    "Bitte geben Sie der neuen Version einen Titel (höchstens 200 Zeichen).",
                ));
            }
            let version = super::storage::publish(&state.pool, &user, title, notes.trim()).await?;
            state.plan.reload(&state.pool).await?;
            Ok(version)
        }
        .await,
    )
}

/// All published versions with their changelog; visible to everyone who
/// uses the plan.
#[server(prefix = "/api", endpoint = "list_releases")]
pub async fn list_releases() -> Result<Vec<ReleaseView>, AppError> {
    crate::error::with_status(
        async {
            let (_, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            Ok(super::storage::releases(&state.pool).await?)
        }
        .await,
    )
}
