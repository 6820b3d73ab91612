//! The use case behind the header on every page: it reads announcements,
//! guides waiting for acknowledgement and questions, so it sits above all
//! three (ARCHITECTURE.md), while announcements themselves know neither.

use super::header::{BannerItem, BannerKind, CommsStatus};
use super::storage;
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::time::now;
use crate::{guides, questions};

/// The header's numbers and banner. A session that must first replace its
/// one-time password quietly sees nothing (the layout asks on every page,
/// /konto/passwort too, and must not show an error there).
pub async fn comms_status(state: &AppState, user: &SessionUser) -> Result<CommsStatus, AppError> {
    if user.must_change_password {
        return Ok(CommsStatus::default());
    }
    guard::check(user, Rule::SignedIn)?;
    let now = now();
    let receipts = storage::receipts_of(&state.pool, user.id).await?;
    let mut status = CommsStatus::default();
    for stored in storage::current_for(&state.pool, user, now).await? {
        let receipt = receipts.get(&stored.id);
        if receipt.is_none() {
            status.unread_news += 1;
        }
        let open_ack = stored.requires_ack && receipt.is_none_or(|(_, ack)| ack.is_none());
        let unread_pin = stored.pinned && receipt.is_none();
        if open_ack || unread_pin {
            status.banner.push(BannerItem {
                kind: BannerKind::Announcement,
                id: stored.id,
                excerpt: crate::markdown::plain_excerpt(&stored.body, 160),
                title: stored.title,
                requires_ack: stored.requires_ack,
            });
        }
    }
    for guide in guides::storage::open_acknowledgements(&state.pool, user.id).await? {
        status.banner.push(BannerItem {
            kind: BannerKind::Guide,
            id: guide.guide_id,
            title: format!("{}: {}", guide.kind.label(), guide.title),
            excerpt: format!(
                "Version {} – bitte lesen und die Kenntnisnahme bestätigen.",
                guide.number
            ),
            requires_ack: true,
        });
    }
    status.unseen_answers = questions::storage::unseen_answers(&state.pool, user.id).await?;
    if Rule::ProjectTeam.allows(user) {
        status.waiting_questions = Some(questions::storage::waiting_count(&state.pool).await?);
    }
    status.postkorb = crate::postkorb::service::waiting(state, user).await?;
    Ok(status)
}
