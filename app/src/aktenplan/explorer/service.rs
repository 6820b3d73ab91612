//! The use cases of the Aktenplan explorer: the tree with the number of
//! Akten under each position, a position's details with its Akten, and
//! search-as-you-type. The explorer sits above both the plan and the Akten
//! (ARCHITECTURE.md): it reads the plan from the shared index and the Akten
//! of the user's municipality from [`crate::akten::storage`].

use super::{ExplorerData, PositionDetail, TreeNode};
use crate::aktenplan::index::{MatchedIn, PlanIndex};
use crate::aktenplan::storage::StoredPosition;
use crate::aktenplan::SearchHit;
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;
use std::collections::HashMap;

/// The explorer's first render, opened to the position with `code`; an old
/// code from before a move still leads to its position.
pub async fn explorer(
    state: &AppState,
    user: &SessionUser,
    code: Option<&str>,
) -> Result<ExplorerData, AppError> {
    guard::check(user, Rule::OpenAkten)?;
    let index = state.plan.snapshot();
    let counts =
        crate::akten::storage::counts_by_position(&state.pool, user.municipality.id).await?;
    let code = code.filter(|c| !c.trim().is_empty());
    let mut moved_from = None;
    let selected = match code {
        None => None,
        Some(code) => match index.by_code(code.trim()) {
            Some(position) => Some(position),
            None => {
                moved_from = Some(code.to_string());
                match crate::aktenplan::abstimmung::storage::resolve_old_code(
                    &state.pool,
                    code.trim(),
                )
                .await?
                {
                    Some(id) => index.get(id),
                    None => None,
                }
            }
        },
    };
    let detail = match selected {
        Some(position) => Some(detail(state, &index, user, position).await?),
        None => None,
    };
    Ok(ExplorerData {
        roots: tree_open_to(&index, selected.map(|p| p.id), &counts),
        selected: detail,
        moved_from,
    })
}

/// Children of one position, loaded when a node is opened.
pub async fn children_of(
    state: &AppState,
    user: &SessionUser,
    parent_id: i64,
) -> Result<Vec<TreeNode>, AppError> {
    guard::check(user, Rule::OpenAkten)?;
    let index = state.plan.snapshot();
    if index.get(parent_id).is_none() {
        return Err(AppError::NotFound("Die Position".into()));
    }
    let counts =
        crate::akten::storage::counts_by_position(&state.pool, user.municipality.id).await?;
    Ok(children(&index, Some(parent_id), &counts))
}

/// Search-as-you-type over codes, titles, keywords and descriptions.
pub fn search(
    state: &AppState,
    user: &SessionUser,
    query: &str,
) -> Result<Vec<SearchHit>, AppError> {
    guard::check(user, Rule::OpenAkten)?;
    if query.chars().count() > 200 {
        return Err(AppError::invalid(
            "Der Suchbegriff ist zu lang (höchstens 200 Zeichen).",
        ));
    }
    let index = state.plan.snapshot();
    Ok(index
        .search(query, 30)
        .into_iter()
        .map(|found| hit(&index, found))
        .collect())
}

fn node(index: &PlanIndex, position: &StoredPosition, counts: &HashMap<i64, i64>) -> TreeNode {
    TreeNode {
        id: position.id,
        code: position.record.code.as_str().to_string(),
        title: position.record.title.clone(),
        active: position.record.active,
        has_children: index.has_children(position.id),
        akten_count: counts.get(&position.id).copied().unwrap_or(0),
        children: None,
    }
}

/// Deactivated positions stay in the tree while Akten still hang there.
fn children(index: &PlanIndex, parent: Option<i64>, counts: &HashMap<i64, i64>) -> Vec<TreeNode> {
    index
        .children(parent)
        .filter(|p| p.record.active || counts.get(&p.id).copied().unwrap_or(0) > 0)
        .map(|p| node(index, p, counts))
        .collect()
}

/// The main groups with the branch down to `open` filled in.
fn tree_open_to(index: &PlanIndex, open: Option<i64>, counts: &HashMap<i64, i64>) -> Vec<TreeNode> {
    let path: Vec<i64> = open
        .map(|id| index.path(id).iter().map(|c| c.id).collect())
        .unwrap_or_default();
    fn fill(index: &PlanIndex, nodes: &mut [TreeNode], path: &[i64], counts: &HashMap<i64, i64>) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        if let Some(node) = nodes.iter_mut().find(|n| n.id == *first) {
            if !rest.is_empty() || node.has_children {
                let mut kids = children(index, Some(node.id), counts);
                fill(index, &mut kids, rest, counts);
                node.children = Some(kids);
            }
        }
    }
    let mut roots = children(index, None, counts);
    fill(index, &mut roots, &path, counts);
    roots
}

async fn detail(
    state: &AppState,
    index: &PlanIndex,
    user: &SessionUser,
    position: &StoredPosition,
) -> Result<PositionDetail, AppError> {
    let record = &position.record;
    Ok(PositionDetail {
        id: position.id,
        code: record.code.as_str().to_string(),
        title: record.title.clone(),
        description: record.description.clone(),
        keywords: record.keywords.clone(),
        retention: record.retention.label(),
        retention_trigger: record.trigger.label().to_string(),
        appraisal: record.appraisal.letter().to_string(),
        appraisal_label: record.appraisal.label().to_string(),
        active: record.active,
        path: index.path(position.id),
        akten: crate::akten::storage::list_for_position(
            &state.pool,
            position.id,
            user.municipality.id,
        )
        .await?,
        may_open_akte: record.active
            && record.code.level() >= crate::akten::MIN_AKTE_LEVEL
            && Rule::OpenAkten.allows(user),
        // The browser's clock may be off.
        today: crate::time::iso_date(crate::time::today()),
    })
}

fn hit(index: &PlanIndex, hit: crate::aktenplan::index::Hit<'_>) -> SearchHit {
    let mut path = index.path(hit.position.id);
    path.pop();
    SearchHit {
        id: hit.position.id,
        code: hit.position.record.code.as_str().to_string(),
        title: hit.title,
        path,
        matched: match hit.matched_in {
            MatchedIn::Keyword => hit.matched_keyword.map(|k| format!("Stichwort: {k}")),
            MatchedIn::Description => Some("in der Beschreibung".to_string()),
            MatchedIn::Code | MatchedIn::Title => None,
        },
    }
}
