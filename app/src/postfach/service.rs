//! The use cases of the Postfächer for the Administration of a
//! municipality: see them, connect one (the login is tried before it is
//! saved), take one out of use, fetch now. Every change is audited under
//! the municipality; the password is sealed before it is stored and never
//! shown or logged. Fetching is [`super::fetch`].

use super::storage::{self, NewPostfach};
use super::{imap, PostfachForm, PostfachOverview};
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::ui::{ArrivalRefusal, ArrivalRow};

/// The Postfächer of the Administration's own municipality and the latest
/// refused messages.
pub async fn overview(state: &AppState, admin: &SessionUser) -> Result<PostfachOverview, AppError> {
    guard::check(admin, Rule::Administration)?;
    let municipality = admin.municipality.id;
    let rows = storage::facts_of(&state.pool, municipality)
        .await?
        .into_iter()
        .map(|facts| ArrivalRow {
            id: facts.id,
            name: facts.name,
            source: format!(
                "{}:{} ({}) als {}, Ordner „{}“; danach {}",
                facts.host,
                facts.port,
                if facts.encryption == "tls" {
                    "TLS"
                } else {
                    "unverschlüsselt, nur lokal"
                },
                facts.login,
                facts.folder,
                super::after_import_text(&facts.after_import, facts.move_to.as_deref()),
            ),
            responsible: facts.responsible,
            responsible_inactive: !facts.responsible_active,
            target: facts.akte.unwrap_or_else(|| "Posteingang".into()),
            stored: facts.stored,
            refused: facts.refused,
            last: facts
                .last_checked_at
                .map_or_else(|| "noch nie".into(), crate::time::display),
            last_error: facts.last_error,
        })
        .collect();
    let refusals = storage::recent_refusals(&state.pool, municipality, 20)
        .await?
        .into_iter()
        .map(|(postfach, subject, sender, reason, at)| ArrivalRefusal {
            what: subject,
            context: format!(" · {sender} · {postfach} · {}", crate::time::display(at)),
            why: reason,
        })
        .collect();
    Ok(PostfachOverview {
        intro: "Das Zertifikat eines Servers mit TLS wird gegen die Zertifizierungsstellen des \
                Servers geprüft; das Zertifikat einer eigenen Zertifizierungsstelle der Gemeinde \
                hinterlegt die IT (AKTENWERK_MAIL_CA_FILE)."
            .into(),
        rows,
        clerks: crate::users::storage::clerk_options(&state.pool, municipality).await?,
        refusals,
    })
}

/// Connects a Postfach. The login, the folder and (for moving) the target
/// folder are tried first; nothing is saved when they do not work.
/// Returns its id.
pub async fn create(
    state: &AppState,
    admin: &SessionUser,
    form: &PostfachForm,
) -> Result<i64, AppError> {
    guard::check(admin, Rule::Administration)?;
    let clean = super::validate(form)?;
    let municipality = &admin.municipality;
    let akte =
        crate::akten::service::arrival_akte(&state.pool, municipality.id, &form.aktenzeichen)
            .await?;
    {
        let mut conn = state.pool.acquire().await?;
        if !crate::users::storage::is_clerk_of(&mut conn, form.responsible_id, municipality.id)
            .await?
        {
            return Err(AppError::invalid(
                "Bitte wählen Sie eine Sachbearbeiterin oder einen Sachbearbeiter Ihrer Gemeinde aus der Liste.",
            ));
        }
        if storage::name_taken(&mut conn, municipality.id, &clean.name).await? {
            return Err(AppError::invalid(format!(
                "Ein Postfach „{}“ gibt es in Ihrer Gemeinde schon.",
                clean.name
            )));
        }
    }
    // Outside any transaction: the server may take seconds to answer.
    let uidvalidity = try_login(state, &clean).await.map_err(|error| {
        AppError::invalid(format!(
            "Das Postfach wurde nicht gespeichert, weil die Verbindung nicht gelang: {error}"
        ))
    })?;
    let sealed = state
        .settings
        .seal_key
        .seal(super::PASSWORD_PURPOSE, &clean.password);
    let mut tx = crate::db::begin_write(&state.pool).await?;
    if storage::name_taken(&mut tx, municipality.id, &clean.name).await? {
        return Err(AppError::invalid(format!(
            "Ein Postfach „{}“ gibt es in Ihrer Gemeinde schon.",
            clean.name
        )));
    }
    let id = storage::insert(
        &mut tx,
        NewPostfach {
            municipality_id: municipality.id,
            form: &clean,
            password_sealed: &sealed,
            responsible_id: form.responsible_id,
            akte_id: akte.as_ref().map(|a| a.id),
            uidvalidity: i64::from(uidvalidity),
            created_by: admin.id,
        },
    )
    .await?;
    record(
        &mut tx,
        NewEntry::by(
            admin,
            "postfach_created",
            "postfach",
            id,
            serde_json::json!({
                "name": clean.name, "server": format!("{}:{}", clean.host, clean.port),
                "encryption": clean.encryption.as_str(), "login": clean.login,
                "folder": clean.folder, "after_import": clean.after_import,
                "move_to": clean.move_to, "responsible_id": form.responsible_id,
                "akte": akte.as_ref().map(|a| a.aktenzeichen.clone()),
            }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Logs in, opens the folder and checks the target folder; the folder's
/// UIDVALIDITY.
async fn try_login(state: &AppState, clean: &super::CleanForm) -> Result<u32, imap::ImapError> {
    let account = imap::Account {
        host: &clean.host,
        port: clean.port,
        tls: clean.encryption == super::Encryption::Tls,
        login: &clean.login,
        password: &clean.password,
    };
    let (mut session, opened) =
        imap::open(&account, &state.settings.mail_tls, &clean.folder).await?;
    let target = match &clean.move_to {
        Some(target) => session
            .has_folder(target)
            .await
            .map(|found| (target, found)),
        None => Ok((&clean.folder, true)),
    };
    session.close().await;
    match target? {
        (_, true) => Ok(opened.uidvalidity),
        (target, false) => Err(imap::ImapError(format!(
            "Den Ordner „{target}“, in den abgerufene Nachrichten verschoben werden sollen, gibt es \
             in diesem Postfach nicht. Bitte legen Sie ihn zuerst an (z. B. in Outlook)."
        ))),
    }
}

/// Takes a Postfach out of use. Its messages on the server stay as they
/// are; nothing more is fetched.
pub async fn remove(state: &AppState, admin: &SessionUser, id: i64) -> Result<(), AppError> {
    guard::check(admin, Rule::Administration)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let name = storage::deactivate(&mut tx, id, admin.municipality.id)
        .await?
        .ok_or_else(|| AppError::NotFound("Das Postfach".into()))?;
    record(
        &mut tx,
        NewEntry::by(
            admin,
            "postfach_removed",
            "postfach",
            id,
            serde_json::json!({ "name": name }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Fetches from one Postfach of the municipality now, instead of waiting
/// for the next round; what happened, in a German sentence.
pub async fn fetch_now(state: &AppState, admin: &SessionUser, id: i64) -> Result<String, AppError> {
    guard::check(admin, Rule::Administration)?;
    let own = storage::facts_of(&state.pool, admin.municipality.id)
        .await?
        .into_iter()
        .any(|facts| facts.id == id);
    if !own {
        return Err(AppError::NotFound("Das Postfach".into()));
    }
    let round = super::fetch::fetch_postfach(state, id)
        .await?
        .ok_or_else(|| AppError::NotFound("Das Postfach".into()))?;
    let error: Option<String> = storage::facts_of(&state.pool, admin.municipality.id)
        .await?
        .into_iter()
        .find(|facts| facts.id == id)
        .and_then(|facts| facts.last_error);
    if let Some(error) = error {
        return Err(AppError::invalid(format!("Abruf fehlgeschlagen: {error}")));
    }
    Ok(super::round_text(&round))
}
