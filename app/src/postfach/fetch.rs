//! Fetching from the Postfächer. One round looks into every Postfach in
//! use: it logs in, opens the folder, finishes the after-import step of
//! messages already taken, then takes each new message in UID order. A
//! message is noted ('taking') before it is stored and goes through the
//! upload use case a browser upload goes through, in the name of the
//! Postfach's responsible clerk; its attachments follow as documents of
//! their own, linked to it. Only then does the server mark, move or delete
//! it. A crash or a dropped connection anywhere leaves a row that the next
//! round completes: the message is fetched again, recognised as the
//! document the earlier try stored, and never stored twice.

use super::imap::{self, AfterImport, ImapError};
use super::storage::{self, Account, Taking};
use super::Round;
use crate::audit::storage::{record, NewEntry};
use crate::auth::SessionUser;
use crate::documents::mail::{self, Unpacked};
use crate::documents::service::{upload, Target, UploadError};
use crate::error::AppError;
use crate::state::AppState;
use sha2::{Digest, Sha256};

/// How many messages one round takes from one Postfach at most, so a full
/// mailbox does not hold up the others.
const PER_ROUND: usize = 200;
/// Tries before a message that cannot be stored is refused for good.
const MAX_ATTEMPTS: i64 = 3;

/// One round at a time: the background loop and „Jetzt abrufen“ must not
/// take the same message at once.
static ROUNDS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// One round through every Postfach in use. A Postfach that fails (server
/// down, wrong password) is noted on it and does not stop the others.
pub async fn fetch_all(state: &AppState) -> Result<Round, AppError> {
    let _round = ROUNDS.lock().await;
    let mut total = Round::default();
    for account in storage::active(&state.pool).await? {
        let round = fetch_one(state, &account).await?;
        total.stored += round.stored;
        total.duplicates += round.duplicates;
        total.refused += round.refused;
        total.left += round.left;
    }
    Ok(total)
}

/// The error a round ran into, noted on the Postfach for its page.
enum Stop {
    Noted(String),
    App(AppError),
}

impl From<ImapError> for Stop {
    fn from(error: ImapError) -> Self {
        Stop::Noted(error.0)
    }
}

impl From<AppError> for Stop {
    fn from(error: AppError) -> Self {
        Stop::App(error)
    }
}

impl From<sqlx::Error> for Stop {
    fn from(error: sqlx::Error) -> Self {
        Stop::App(error.into())
    }
}

/// One round in the Postfach `id` alone (`None`: not one in use).
pub async fn fetch_postfach(state: &AppState, id: i64) -> Result<Option<Round>, AppError> {
    let _round = ROUNDS.lock().await;
    let account = storage::active(&state.pool)
        .await?
        .into_iter()
        .find(|account| account.id == id);
    match account {
        Some(account) => fetch_one(state, &account).await.map(Some),
        None => Ok(None),
    }
}

async fn fetch_one(state: &AppState, account: &Account) -> Result<Round, AppError> {
    let mut round = Round::default();
    let outcome = take_new(state, account, &mut round).await;
    match outcome {
        Ok(()) => storage::checked(&state.pool, account.id, None).await?,
        Err(Stop::Noted(reason)) => {
            tracing::warn!(postfach = account.id, %reason, "postfach fetch failed");
            storage::checked(&state.pool, account.id, Some(&reason)).await?;
        }
        Err(Stop::App(error)) => return Err(error),
    }
    Ok(round)
}

fn after_import(account: &Account) -> AfterImport {
    match (account.after_import.as_str(), &account.move_to) {
        ("verschieben", Some(target)) => AfterImport::Verschieben(target.clone()),
        ("loeschen", _) => AfterImport::Loeschen,
        _ => AfterImport::Markieren,
    }
}

async fn take_new(state: &AppState, account: &Account, round: &mut Round) -> Result<(), Stop> {
    let pool = &state.pool;
    let Some(user) =
        crate::users::storage::acting_as(pool, account.responsible_id, account.municipality_id)
            .await?
    else {
        return Err(Stop::Noted(
            "Das Konto der zuständigen Person ist deaktiviert; Nachrichten bleiben auf dem Server, \
             bis es wieder aktiv ist oder das Postfach eine andere Person erhält."
                .into(),
        ));
    };
    let password = state
        .settings
        .seal_key
        .open(super::PASSWORD_PURPOSE, &account.password_sealed)
        .map_err(|error| Stop::Noted(error.to_string()))?;
    let server = imap::Account {
        host: &account.host,
        port: u16::try_from(account.port).unwrap_or(993),
        tls: account.encryption == "tls",
        login: &account.login,
        password: &password,
    };
    let (mut session, opened) =
        imap::open(&server, &state.settings.mail_tls, &account.folder).await?;
    let result = take_from(state, account, &user, &mut session, opened, round).await;
    session.close().await;
    result
}

async fn take_from(
    state: &AppState,
    account: &Account,
    user: &SessionUser,
    session: &mut imap::Session,
    opened: imap::Opened,
    round: &mut Round,
) -> Result<(), Stop> {
    let pool = &state.pool;
    let uidvalidity = i64::from(opened.uidvalidity);
    if account.uidvalidity != Some(uidvalidity) {
        tracing::info!(
            postfach = account.id,
            old = ?account.uidvalidity,
            new = uidvalidity,
            "postfach folder has a new UIDVALIDITY; messages are recognised by content"
        );
        storage::set_uidvalidity(pool, account.id, uidvalidity).await?;
    }
    let after = after_import(account);
    // Taken before, but the server was not told yet (a crash or a dropped
    // connection in between).
    for (row, uid) in storage::unsettled(pool, account.id, uidvalidity).await? {
        session.settle(uid_u32(uid), &after).await?;
        storage::mark_settled(pool, row).await?;
    }
    let low = storage::next_uid(pool, account.id, uidvalidity).await?;
    let uids = session.uids_from(uid_u32(low)).await?;
    for uid in uids.into_iter().take(PER_ROUND) {
        if storage::finished(pool, account.id, uidvalidity, i64::from(uid)).await? {
            continue;
        }
        let Some(raw) = session.fetch(uid).await? else {
            continue;
        };
        let taken = take_message(state, account, user, (uidvalidity, uid), raw).await?;
        match taken {
            Taken::Stored(row) | Taken::Duplicate(row) => {
                if matches!(taken, Taken::Stored(_)) {
                    round.stored += 1;
                } else {
                    round.duplicates += 1;
                }
                session.settle(uid, &after).await?;
                storage::mark_settled(pool, row).await?;
            }
            Taken::Refused => round.refused += 1,
            Taken::Left => round.left += 1,
        }
    }
    Ok(())
}

fn uid_u32(uid: i64) -> u32 {
    u32::try_from(uid).unwrap_or(u32::MAX)
}

enum Taken {
    /// Its ledger row.
    Stored(i64),
    Duplicate(i64),
    Refused,
    Left,
}

async fn take_message(
    state: &AppState,
    account: &Account,
    user: &SessionUser,
    (uidvalidity, uid): (i64, u32),
    raw: Vec<u8>,
) -> Result<Taken, AppError> {
    let pool = &state.pool;
    let sha256 = hex::encode(Sha256::digest(&raw));
    let facts = extract::mail::read_eml(&raw);
    let (row, attempts) = storage::note_taking(
        pool,
        Taking {
            postfach_id: account.id,
            uidvalidity,
            uid: i64::from(uid),
            sha256: &sha256,
            size: i64::try_from(raw.len()).unwrap_or(i64::MAX),
            subject: &facts.subject,
            sender: &facts.sender,
        },
    )
    .await?;
    // The same message under another UID (the folder got a new
    // UIDVALIDITY): known, not stored again.
    if let Some(document) = storage::stored_before(pool, account.id, &sha256).await? {
        let mut tx = crate::db::begin_write(pool).await?;
        storage::mark_taken(&mut tx, row, "duplicate", document).await?;
        tx.commit().await?;
        return Ok(Taken::Duplicate(row));
    }
    if attempts > MAX_ATTEMPTS {
        storage::mark_refused(
            pool,
            row,
            "Die Nachricht konnte mehrmals nicht gespeichert werden und wird nicht mehr abgerufen. \
             Sie liegt unverändert im Postfach.",
        )
        .await?;
        return Ok(Taken::Refused);
    }
    if raw.len() as u64 > state.settings.max_upload_bytes {
        let reason = format!(
            "Die Nachricht ist größer als die erlaubten {} MB. Sie liegt unverändert im Postfach.",
            state.settings.max_upload_bytes / (1024 * 1024)
        );
        storage::mark_refused(pool, row, &reason).await?;
        return Ok(Taken::Refused);
    }
    let via = format!("Postfach „{}“", account.name);
    let target = match account.akte_id {
        Some(akte) => Target::Akte {
            akte,
            vorgang: None,
        },
        None => Target::Inbox,
    };
    let name = format!("{}.eml", mail::file_name(&facts.subject));
    let Some(pending) = mail::pending(state, &raw).await else {
        return Ok(Taken::Left);
    };
    let (document_id, outcome) =
        match upload(state, user, None, target, (&name, Some(&via)), pending).await {
            Ok(answer) => (answer.id, "stored"),
            // The earlier try stored it, then stopped before noting so.
            Err(UploadError::Duplicate { existing_id, .. })
                if storage::taken_before(pool, account.id, &sha256, row).await? =>
            {
                (existing_id, "stored")
            }
            // Someone uploaded this very message by hand.
            Err(UploadError::Duplicate { existing_id, .. }) => {
                let mut tx = crate::db::begin_write(pool).await?;
                storage::mark_taken(&mut tx, row, "duplicate", Some(existing_id)).await?;
                tx.commit().await?;
                return Ok(Taken::Duplicate(row));
            }
            Err(UploadError::Internal) => {
                tracing::error!(
                    postfach = account.id,
                    uid,
                    "message could not be stored; tried again later"
                );
                return Ok(Taken::Left);
            }
            Err(refusal) => {
                let reason = format!("{refusal} Sie liegt unverändert im Postfach.");
                storage::mark_refused(pool, row, &reason).await?;
                return Ok(Taken::Refused);
            }
        };
    if mail::unpack(state, user, document_id, target, Some(&via)).await? == Unpacked::Incomplete {
        return Ok(Taken::Left);
    }
    let mut tx = crate::db::begin_write(pool).await?;
    storage::mark_taken(&mut tx, row, outcome, Some(document_id)).await?;
    record(
        &mut tx,
        NewEntry {
            actor_user_id: Some(user.id),
            actor_name: format!("Postfach „{}“ (für {})", account.name, user.display_name),
            municipality_id: Some(account.municipality_id),
            action: "mail_stored",
            object_type: "document",
            object_id: Some(document_id.to_string()),
            details: serde_json::json!({
                "postfach": account.name, "subject": facts.subject, "sender": facts.sender,
                "uidvalidity": uidvalidity, "uid": uid, "sha256": sha256,
                "attachments": facts.attachments.len(),
            }),
            ip: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Taken::Stored(row))
}
