//! E-mails among the documents. A stored message (EML, or an Outlook MSG
//! dragged out of Outlook) takes its subject, sender and sending day as
//! metadata, and each attachment becomes a document of its own in the same
//! place, linked to the message both ways; the message keeps them too.
//! The browser upload and the Postfächer both go through [`unpack`].

use super::filetype::FileKind;
use super::service::{upload, Target, UploadError};
use super::storage;
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;
use extract::mail::MailFacts;

/// Messages larger than this keep their attachments inside (as extraction
/// does, which refuses them too).
const MAX_MESSAGE_BYTES: i64 = 100 * 1024 * 1024;

/// What [`unpack`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unpacked {
    /// The document is no e-mail (or too large to open).
    NotAMessage,
    Done,
    /// An attachment could not be stored now; calling again completes it.
    Incomplete,
}

/// The facts of a message of `kind`, read off the async threads.
pub async fn read(kind: FileKind, raw: Vec<u8>) -> Option<MailFacts> {
    let read = tokio::task::spawn_blocking(move || match kind {
        FileKind::Eml => Some(extract::mail::read_eml(&raw)),
        FileKind::Msg => extract::mail::read_msg(&raw).ok(),
        _ => None,
    });
    match read.await {
        Ok(facts) => facts,
        Err(error) => {
            tracing::error!(%error, "reading a message panicked");
            None
        }
    }
}

/// A file name from a subject or an attachment's name: slashes are no
/// directories here („Flurstück 12/3“ stays whole).
pub fn file_name(name: &str) -> String {
    super::filename::clean_file_name(&name.replace(['/', '\\'], "-"))
}

/// Gives the stored message `message_id` its metadata and stores its
/// attachments not linked yet (an earlier call may have linked some) at
/// `target`, each recorded as arrived `via` („Postfach „Poststelle““) as
/// an attachment.
pub async fn unpack(
    state: &AppState,
    user: &SessionUser,
    message_id: i64,
    target: Target,
    via: Option<&str>,
) -> Result<Unpacked, AppError> {
    let pool = &state.pool;
    let Some(file) = storage::version_file(pool, message_id, None, user.municipality.id).await?
    else {
        return Ok(Unpacked::NotAMessage);
    };
    let Some(kind) = file
        .kind
        .filter(|k| matches!(k, FileKind::Eml | FileKind::Msg))
    else {
        return Ok(Unpacked::NotAMessage);
    };
    if file.size > MAX_MESSAGE_BYTES {
        return Ok(Unpacked::NotAMessage);
    }
    let raw = match tokio::fs::read(state.blobs.path_of(&file.sha256)).await {
        Ok(raw) => raw,
        Err(error) => {
            tracing::error!(%error, message_id, "stored message unreadable");
            return Ok(Unpacked::Incomplete);
        }
    };
    let Some(facts) = read(kind, raw).await else {
        return Ok(Unpacked::NotAMessage);
    };
    let date = facts
        .sent_at
        .map(|at| crate::time::iso_date(crate::time::local_day(at)));
    let mut tx = crate::db::begin_write(pool).await?;
    storage::describe_arrival(
        &mut tx,
        message_id,
        &facts.subject,
        &facts.sender,
        date.as_deref(),
    )
    .await?;
    tx.commit().await?;

    let done = storage::linked_positions(pool, message_id).await?;
    let via = match via {
        Some(via) => format!("{via}, Anhang"),
        None => "Anhang einer E-Mail".to_string(),
    };
    for (n, attachment) in facts.attachments.into_iter().enumerate() {
        let position = i64::try_from(n).unwrap_or(i64::MAX);
        if done.contains(&position) {
            continue;
        }
        let name = file_name(&attachment.file_name);
        let outcome = if attachment.content.len() as u64 > state.settings.max_upload_bytes {
            Err(format!(
                "größer als die erlaubten {} MB",
                state.settings.max_upload_bytes / (1024 * 1024)
            ))
        } else {
            let Some(pending) = pending(state, &attachment.content).await else {
                return Ok(Unpacked::Incomplete);
            };
            match upload(state, user, None, target, (&name, Some(&via)), pending).await {
                Ok(answer) => Ok(answer.id),
                Err(UploadError::Duplicate { existing_id, .. }) => Ok(existing_id),
                Err(UploadError::Internal) => return Ok(Unpacked::Incomplete),
                Err(refusal) => Err(refusal.to_string()),
            }
        };
        storage::link_attachment(
            pool,
            message_id,
            position,
            &name,
            outcome.as_ref().map(|id| *id).map_err(String::as_str),
        )
        .await?;
    }
    Ok(Unpacked::Done)
}

/// A browser upload: stored like any upload, and when it is a new
/// document that is an e-mail, unpacked at once. An attachment that could
/// not be stored leaves the message stored; the log says so.
pub async fn upload_unpacked(
    state: &AppState,
    user: &SessionUser,
    ip: Option<String>,
    target: Target,
    name: &str,
    pending: super::blobs::PendingBlob,
) -> Result<super::UploadAnswer, UploadError> {
    let mut answer = upload(state, user, ip, target, (name, None), pending).await?;
    if matches!(target, Target::NewVersion(_)) {
        return Ok(answer);
    }
    match unpack(state, user, answer.id, target, None).await {
        Ok(Unpacked::NotAMessage) => {}
        Ok(unpacked) => {
            if unpacked == Unpacked::Incomplete {
                tracing::error!(
                    document = answer.id,
                    "attachments of an uploaded e-mail not all stored"
                );
            }
            // The subject is its title now.
            if let Ok(mut conn) = state.pool.acquire().await {
                if let Ok(title) = storage::title(&mut conn, answer.id).await {
                    answer.title = title;
                }
            }
        }
        Err(error) => tracing::error!(%error, document = answer.id, "uploaded e-mail not unpacked"),
    }
    Ok(answer)
}

/// Bytes as a pending upload; `None` (logged) when they cannot be written.
pub async fn pending(state: &AppState, bytes: &[u8]) -> Option<super::blobs::PendingBlob> {
    let written = async {
        let mut writer = state.blobs.create(state.settings.max_upload_bytes).await?;
        for chunk in bytes.chunks(256 * 1024) {
            writer.write(chunk).await?;
        }
        writer.finish().await
    }
    .await;
    match written {
        Ok(pending) => Some(pending),
        Err(error) => {
            tracing::error!(%error, "content could not be written to storage; tried again later");
            None
        }
    }
}
