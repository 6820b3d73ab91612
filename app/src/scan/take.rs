//! Taking files from the Scan-Ordner. A sweep looks into every folder in
//! use; a file is taken when its size and modification time are the same
//! as at the sweep before (a scanner still writing it changes them) and
//! its name is not a temporary one. It then goes through the upload use
//! case a browser upload goes through, in the name of the folder's
//! responsible clerk, and is removed; a refused file moves into the
//! quarantine beside the folder with a text file giving the reason.

use super::service::{directory, quarantine};
use super::storage::{self, Folder};
use crate::audit::storage::{record, NewEntry};
use crate::documents::service::{upload, Target, UploadError};
use crate::error::AppError;
use crate::state::AppState;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use tokio::io::AsyncReadExt;

/// What the sweeps remember between them: each file's size and time as
/// last seen.
#[derive(Default)]
pub struct Watch {
    seen: HashMap<PathBuf, (u64, Option<SystemTime>)>,
}

/// What one sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sweep {
    /// New documents.
    pub stored: usize,
    /// Files moved into quarantine.
    pub refused: usize,
    /// Files already stored before a crash, now only removed.
    pub removed: usize,
    /// Files seen for the first time or still changing: taken later.
    pub waiting: usize,
}

/// One look into every folder in use.
pub async fn sweep(state: &AppState, watch: &mut Watch) -> Result<Sweep, AppError> {
    let mut sweep = Sweep::default();
    let mut present = HashSet::new();
    for folder in storage::active(&state.pool).await? {
        let dir = directory(state, &folder.municipality_code, &folder.name);
        let files = match files_in(&dir).await {
            Ok(files) => files,
            Err(error) => {
                tracing::warn!(%error, path = %dir.display(), "scan folder unreadable");
                continue;
            }
        };
        for (path, name, stamp) in files {
            present.insert(path.clone());
            if watch.seen.get(&path) != Some(&stamp) {
                watch.seen.insert(path, stamp);
                sweep.waiting += 1;
                continue;
            }
            watch.seen.remove(&path);
            match take_file(state, &folder, &path, &name, stamp.0).await? {
                Taken::Stored => sweep.stored += 1,
                Taken::Refused => sweep.refused += 1,
                Taken::Removed => sweep.removed += 1,
                Taken::Left => {}
            }
        }
    }
    watch.seen.retain(|path, _| present.contains(path));
    Ok(sweep)
}

/// The regular files of a folder that are not being written under a
/// temporary name, by name: path, name, (size, modified).
async fn files_in(
    dir: &Path,
) -> std::io::Result<Vec<(PathBuf, String, (u64, Option<SystemTime>))>> {
    let mut entries = tokio::fs::read_dir(dir).await?;
    let mut files = Vec::new();
    while let Some(entry) = entries.next_entry().await? {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if super::is_temporary(&name) {
            continue;
        }
        let metadata = entry.metadata().await?;
        if metadata.is_file() {
            files.push((
                entry.path(),
                name,
                (metadata.len(), metadata.modified().ok()),
            ));
        }
    }
    files.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(files)
}

enum Taken {
    Stored,
    Refused,
    Removed,
    /// Left where it is, to be tried again (the responsible clerk is
    /// gone, or storage failed).
    Left,
}

async fn take_file(
    state: &AppState,
    folder: &Folder,
    path: &Path,
    name: &str,
    size: u64,
) -> Result<Taken, AppError> {
    let pool = &state.pool;
    let Some(user) = storage::responsible(pool, folder).await? else {
        tracing::warn!(
            folder = folder.id,
            "scan folder's responsible clerk is inactive; files wait"
        );
        return Ok(Taken::Left);
    };
    if size > state.settings.max_upload_bytes {
        let reason = format!(
            "Die Datei ist größer als die erlaubten {} MB.",
            state.settings.max_upload_bytes / (1024 * 1024)
        );
        storage::insert_refused(pool, folder.id, name, size, &reason).await?;
        move_to_quarantine(state, folder, path, name, &reason).await;
        return Ok(Taken::Refused);
    }
    let pending = match read(state, path).await {
        Ok(pending) => pending,
        Err(error) => {
            tracing::warn!(%error, path = %path.display(), "scan file could not be read; tried again later");
            return Ok(Taken::Left);
        }
    };
    let sha256 = pending.sha256.clone();
    let row = storage::note_taking(pool, folder.id, name, &sha256, pending.size).await?;
    let target = match folder.akte_id {
        Some(akte) => Target::Akte {
            akte,
            vorgang: None,
        },
        None => Target::Inbox,
    };
    let via = format!("Scan-Ordner „{}“", folder.name);
    match upload(state, &user, None, target, (name, Some(&via)), pending).await {
        Ok(answer) => {
            storage::mark_stored(pool, row, answer.id).await?;
            // Attempts that failed before this one changed nothing.
            storage::forget_attempts(pool, folder.id, &sha256).await?;
            let mut tx = crate::db::begin_write(pool).await?;
            record(
                &mut tx,
                NewEntry {
                    actor_user_id: Some(user.id),
                    actor_name: format!(
                        "Scan-Ordner „{}“ (für {})",
                        folder.name, user.display_name
                    ),
                    municipality_id: Some(folder.municipality_id),
                    action: "scan_file_stored",
                    object_type: "document",
                    object_id: Some(answer.id.to_string()),
                    details: serde_json::json!({
                        "scan_ordner": folder.name, "file_name": name, "sha256": sha256,
                    }),
                    ip: None,
                },
            )
            .await?;
            tx.commit().await?;
            remove(path).await;
            Ok(Taken::Stored)
        }
        // Stored before, and the process stopped before the file was
        // removed: only remove it now.
        Err(UploadError::Duplicate { existing_id, .. })
            if storage::taken_before(pool, folder.id, &sha256, row).await? =>
        {
            storage::forget(pool, row).await?;
            storage::settle_taking(pool, folder.id, &sha256, existing_id).await?;
            remove(path).await;
            Ok(Taken::Removed)
        }
        // The row stays 'taking': if the document was committed after all,
        // the next attempt finds its duplicate and knows it as this one.
        Err(UploadError::Internal) => {
            tracing::error!(path = %path.display(), "scan file could not be stored; tried again later");
            Ok(Taken::Left)
        }
        Err(refusal) => {
            let reason = refusal.to_string();
            storage::mark_refused(pool, row, &reason).await?;
            move_to_quarantine(state, folder, path, name, &reason).await;
            Ok(Taken::Refused)
        }
    }
}

/// The file as a pending upload, read in chunks like a browser upload.
async fn read(
    state: &AppState,
    path: &Path,
) -> Result<crate::documents::blobs::PendingBlob, crate::documents::blobs::BlobError> {
    let mut file = tokio::fs::File::open(path).await?;
    let mut writer = state.blobs.create(state.settings.max_upload_bytes).await?;
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let read = file.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        writer.write(&buffer[..read]).await?;
    }
    writer.finish().await
}

async fn remove(path: &Path) {
    if let Err(error) = tokio::fs::remove_file(path).await {
        tracing::error!(%error, path = %path.display(), "taken scan file could not be removed");
    }
}

/// Moves a refused file into the quarantine beside its folder (never
/// over another file there) and writes the reason next to it.
async fn move_to_quarantine(
    state: &AppState,
    folder: &Folder,
    path: &Path,
    name: &str,
    reason: &str,
) {
    let dir = quarantine(state, &folder.municipality_code, &folder.name);
    if let Err(error) = tokio::fs::create_dir_all(&dir).await {
        tracing::error!(%error, path = %dir.display(), "quarantine could not be made");
        return;
    }
    let mut target = dir.join(name);
    let mut n = 2;
    while tokio::fs::try_exists(&target).await.unwrap_or(false) {
        target = dir.join(format!("{n} {name}"));
        n += 1;
    }
    let moved = match tokio::fs::rename(path, &target).await {
        Ok(()) => Ok(()),
        // Another file system: copy, then remove.
        Err(_) => match tokio::fs::copy(path, &target).await {
            Ok(_) => tokio::fs::remove_file(path).await,
            Err(error) => Err(error),
        },
    };
    if let Err(error) = moved {
        tracing::error!(%error, path = %path.display(), "refused scan file could not be moved");
        return;
    }
    let stored_as = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = format!(
        "Die Datei „{name}“ aus dem Scan-Ordner „{}“ wurde am {} nicht übernommen.\r\n\r\n\
         Grund: {reason}\r\n\r\n\
         Sie liegt hier als „{stored_as}“. Eine korrigierte Datei legen Sie wieder in den \
         Scan-Ordner; diese Datei und diesen Hinweis können Sie danach löschen.\r\n",
        folder.name,
        crate::time::display(crate::time::now()),
    );
    let note = dir.join(format!("{stored_as}.grund.txt"));
    if let Err(error) = tokio::fs::write(&note, text).await {
        tracing::error!(%error, path = %note.display(), "quarantine reason could not be written");
    }
}
