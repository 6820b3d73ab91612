//! Content-addressed file storage that survives a crash at any moment.
//!
//! An upload streams into `tmp/` on the same file system while it is
//! hashed, is fsynced, renamed to `<aa>/<bb>/<sha256>` and the directory is
//! fsynced; only then does the caller commit the database rows. A crash
//! before the rename leaves a temporary file, a crash after it a file
//! without a row: [`BlobStore::recover`] removes both at start-up, before
//! any request is served. The same content is kept once.

use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufWriter};

/// The moments a crash test can stop an upload at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Bytes written to the temporary file, not yet fsynced.
    TempWritten,
    /// Temporary file fsynced, not yet renamed.
    TempSynced,
    /// Renamed into place, directory not yet fsynced.
    Renamed,
    /// Directory fsynced, database rows not yet committed.
    DirSynced,
    /// Database committed, answer not yet sent.
    Committed,
}

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("file too large")]
    TooLarge,
    #[error("storage i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("simulated crash after {0:?}")]
    Injected(Step),
}

/// Where content lives on disk.
#[derive(Clone, Debug)]
pub struct BlobStore {
    root: PathBuf,
    /// Set only by crash tests: the step after which work stops as if the
    /// process had died.
    failpoint: Arc<Mutex<Option<Step>>>,
    /// Uploads hold it shared from the commit until their rows are in the
    /// database; removing unused blobs holds it exclusively, so a blob an
    /// upload just found "already stored" cannot vanish under it.
    gate: Arc<tokio::sync::RwLock<()>>,
    /// Held while the whole store is re-hashed: one run reads every file,
    /// a second one at the same time would only double the load.
    verifying: Arc<tokio::sync::Mutex<()>>,
}

/// A fully written, fsynced temporary file with its hash.
#[derive(Debug)]
pub struct PendingBlob {
    pub sha256: String,
    pub size: u64,
    temp_path: PathBuf,
}

/// One upload in progress.
pub struct BlobWriter {
    file: BufWriter<tokio::fs::File>,
    temp_path: PathBuf,
    hasher: Sha256,
    size: u64,
    limit: u64,
    store: BlobStore,
}

/// What start-up recovery cleaned up or found missing.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recovery {
    pub temp_files_removed: usize,
    pub orphans_removed: usize,
    /// Rows whose file is gone: reported, never silently dropped.
    pub missing: Vec<String>,
}

/// A blob whose content no longer matches its name.
#[derive(Debug, PartialEq, Eq)]
pub enum BlobProblem {
    Missing { sha256: String },
    Changed { sha256: String, actual: String },
}

const WRITE_BUFFER: usize = 64 * 1024;
/// Cached previews: derived data, rebuilt on demand, never verified.
const THUMBNAILS: &str = "thumbs";
const READ_CHUNK: usize = 64 * 1024;

impl BlobStore {
    pub fn new(root: impl Into<PathBuf>) -> BlobStore {
        BlobStore {
            root: root.into(),
            failpoint: Arc::default(),
            gate: Arc::default(),
            verifying: Arc::default(),
        }
    }

    /// Held by an upload from [`BlobStore::commit`] to its database commit.
    pub async fn upload_guard(&self) -> tokio::sync::RwLockReadGuard<'_, ()> {
        self.gate.read().await
    }

    /// Held while blobs are removed for good.
    pub async fn removal_guard(&self) -> tokio::sync::RwLockWriteGuard<'_, ()> {
        self.gate.write().await
    }

    /// Claims the one verification run; `None` while another one runs.
    pub fn try_start_verification(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        self.verifying.clone().try_lock_owned().ok()
    }

    /// Crash tests only: stop after `step` from now on.
    pub fn fail_after(&self, step: Option<Step>) {
        if let Ok(mut failpoint) = self.failpoint.lock() {
            *failpoint = step;
        }
    }

    /// Returns the injected failure if a crash test asked for one here.
    pub fn checkpoint(&self, step: Step) -> Result<(), BlobError> {
        match self.failpoint.lock() {
            Ok(failpoint) if *failpoint == Some(step) => Err(BlobError::Injected(step)),
            _ => Ok(()),
        }
    }

    fn temp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// `<root>/<aa>/<bb>/<sha256>`; two levels keep directories small.
    pub fn path_of(&self, sha256: &str) -> PathBuf {
        let (a, b) = (
            sha256.get(0..2).unwrap_or("__"),
            sha256.get(2..4).unwrap_or("__"),
        );
        self.root.join(a).join(b).join(sha256)
    }

    /// Starts an upload of at most `limit` bytes.
    pub async fn create(&self, limit: u64) -> Result<BlobWriter, BlobError> {
        let dir = self.temp_dir();
        tokio::fs::create_dir_all(&dir).await?;
        let name = format!("{:032x}.part", rand::random::<u128>());
        let temp_path = dir.join(name);
        let file = new_private_file(&temp_path).await?;
        Ok(BlobWriter {
            file: BufWriter::with_capacity(WRITE_BUFFER, file),
            temp_path,
            hasher: Sha256::new(),
            size: 0,
            limit,
            store: self.clone(),
        })
    }

    /// Moves a finished upload to its content address. Content that is
    /// already stored is kept once; the new copy is dropped.
    pub async fn commit(&self, pending: PendingBlob) -> Result<PathBuf, BlobError> {
        let target = self.path_of(&pending.sha256);
        let dir = target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.root.clone());
        if !tokio::fs::try_exists(&dir).await? {
            tokio::fs::create_dir_all(&dir).await?;
            // New directories must survive a crash too.
            if let Some(parent) = dir.parent() {
                sync_dir(parent).await?;
                if let Some(grand) = parent.parent() {
                    sync_dir(grand).await?;
                }
            }
        }
        if tokio::fs::try_exists(&target).await? {
            tokio::fs::remove_file(&pending.temp_path).await?;
            return Ok(target);
        }
        tokio::fs::rename(&pending.temp_path, &target).await?;
        self.checkpoint(Step::Renamed)?;
        sync_dir(&dir).await?;
        self.checkpoint(Step::DirSynced)?;
        Ok(target)
    }

    /// Where the preview picture of an image blob is cached.
    pub fn thumbnail_path(&self, sha256: &str) -> PathBuf {
        self.root
            .join(THUMBNAILS)
            .join(sha256.get(0..2).unwrap_or("__"))
            .join(format!("{sha256}.png"))
    }

    /// Caches a preview picture; written aside and renamed, so a reader
    /// never sees half a file.
    pub async fn store_thumbnail(&self, sha256: &str, bytes: &[u8]) -> std::io::Result<()> {
        // Shared with uploads: a blob destroyed while its preview was being
        // rendered is gone by now or stays until the preview is written
        // (and then removed with it); no preview outlives its file.
        let _shared = self.gate.read().await;
        if !tokio::fs::try_exists(self.path_of(sha256)).await? {
            return Ok(());
        }
        let target = self.thumbnail_path(sha256);
        if let Some(dir) = target.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let temp = self
            .temp_dir()
            .join(format!("{:032x}.thumb", rand::random::<u128>()));
        tokio::fs::create_dir_all(self.temp_dir()).await?;
        let mut file = new_private_file(&temp).await?;
        file.write_all(bytes).await?;
        // tokio finishes writes in the background; wait before renaming.
        file.flush().await?;
        tokio::fs::rename(&temp, &target).await
    }

    /// Removes the files (and cached previews) of blobs whose rows were
    /// just deleted; called after the commit, under [`Self::removal_guard`].
    /// A file that cannot be removed is only logged: its row is gone, so
    /// the next start-up removes it as an orphan.
    pub async fn remove_files(&self, hashes: &[String]) {
        for sha in hashes {
            match tokio::fs::remove_file(self.path_of(sha)).await {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => tracing::warn!(%error, %sha, "an unused blob could not be removed"),
            }
            // Previews exist only for images; a missing one is normal.
            let _ = tokio::fs::remove_file(self.thumbnail_path(sha)).await;
        }
    }

    /// Opens a stored blob for reading.
    pub async fn open(&self, sha256: &str) -> std::io::Result<tokio::fs::File> {
        tokio::fs::File::open(self.path_of(sha256)).await
    }

    /// Start-up clean-up; must run before requests are served, since an
    /// upload in flight looks exactly like a leftover.
    pub async fn recover(&self, pool: &SqlitePool) -> Result<Recovery, BlobError> {
        let mut recovery = Recovery::default();
        let known: HashSet<String> = sqlx::query_scalar::<_, String>("SELECT sha256 FROM blobs")
            .fetch_all(pool)
            .await
            .map_err(std::io::Error::other)?
            .into_iter()
            .collect();
        let temp = self.temp_dir();
        if tokio::fs::try_exists(&temp).await? {
            let mut entries = tokio::fs::read_dir(&temp).await?;
            while let Some(entry) = entries.next_entry().await? {
                tokio::fs::remove_file(entry.path()).await?;
                recovery.temp_files_removed += 1;
            }
        }
        let mut on_disk = HashSet::new();
        for path in self.blob_files().await? {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if known.contains(name) {
                on_disk.insert(name.to_string());
            } else {
                tokio::fs::remove_file(&path).await?;
                recovery.orphans_removed += 1;
            }
        }
        recovery.missing = known.difference(&on_disk).cloned().collect();
        recovery.missing.sort();
        Ok(recovery)
    }

    /// Every file under `<aa>/<bb>/`.
    async fn blob_files(&self) -> std::io::Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        if !tokio::fs::try_exists(&self.root).await? {
            return Ok(files);
        }
        let mut level1 = tokio::fs::read_dir(&self.root).await?;
        while let Some(a) = level1.next_entry().await? {
            if a.file_name() == "tmp"
                || a.file_name() == THUMBNAILS
                || !a.file_type().await?.is_dir()
            {
                continue;
            }
            let mut level2 = tokio::fs::read_dir(a.path()).await?;
            while let Some(b) = level2.next_entry().await? {
                if !b.file_type().await?.is_dir() {
                    continue;
                }
                let mut level3 = tokio::fs::read_dir(b.path()).await?;
                while let Some(file) = level3.next_entry().await? {
                    if file.file_type().await?.is_file() {
                        files.push(file.path());
                    }
                }
            }
        }
        Ok(files)
    }

    /// Re-hashes one blob.
    pub async fn check(&self, sha256: &str) -> Result<Option<BlobProblem>, BlobError> {
        let mut file = match self.open(sha256).await {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Some(BlobProblem::Missing {
                    sha256: sha256.to_string(),
                }))
            }
            Err(error) => return Err(error.into()),
        };
        let mut hasher = Sha256::new();
        let mut buffer = vec![0; READ_CHUNK];
        loop {
            let read = file.read(&mut buffer).await?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
        }
        let actual = hex::encode(hasher.finalize());
        Ok((actual != sha256).then(|| BlobProblem::Changed {
            sha256: sha256.to_string(),
            actual,
        }))
    }

    /// Re-hashes every blob the database knows.
    pub async fn verify_all(&self, pool: &SqlitePool) -> Result<VerifyReport, BlobError> {
        let hashes: Vec<String> =
            sqlx::query_scalar("SELECT sha256 FROM blobs ORDER BY created_at, sha256")
                .fetch_all(pool)
                .await
                .map_err(std::io::Error::other)?;
        let mut report = VerifyReport {
            checked: hashes.len(),
            ..VerifyReport::default()
        };
        for sha in &hashes {
            match self.check(sha).await? {
                // Destroyed (trash emptied, practice reset) since the list
                // was read: not a loss.
                Some(BlobProblem::Missing { .. }) if !still_known(pool, sha).await? => {}
                Some(problem) => report.problems.push(problem),
                None => {}
            }
        }
        Ok(report)
    }
}

async fn still_known(pool: &SqlitePool, sha256: &str) -> Result<bool, BlobError> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = ?)")
        .bind(sha256)
        .fetch_one(pool)
        .await
        .map_err(|error| BlobError::Io(std::io::Error::other(error)))
}

impl BlobProblem {
    /// One German line for the report.
    pub fn describe(&self) -> String {
        match self {
            BlobProblem::Missing { sha256 } => format!("Datei {sha256} fehlt."),
            BlobProblem::Changed { sha256, actual } => {
                format!("Datei {sha256} wurde verändert (Inhalt ergibt jetzt {actual}).")
            }
        }
    }
}

/// The result of re-hashing the whole store.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub checked: usize,
    pub problems: Vec<BlobProblem>,
}

impl BlobWriter {
    /// Appends a chunk; refuses to grow past the limit.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), BlobError> {
        let size = self.size + chunk.len() as u64;
        if size > self.limit {
            return Err(BlobError::TooLarge);
        }
        self.hasher.update(chunk);
        self.file.write_all(chunk).await?;
        self.size = size;
        Ok(())
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// The temporary file, for content checks before the commit.
    pub fn temp_path(&self) -> &Path {
        &self.temp_path
    }

    /// Flushes and fsyncs; the file is complete on disk afterwards.
    pub async fn finish(mut self) -> Result<PendingBlob, BlobError> {
        self.file.flush().await?;
        self.store.checkpoint(Step::TempWritten)?;
        self.file.get_ref().sync_all().await?;
        self.store.checkpoint(Step::TempSynced)?;
        Ok(PendingBlob {
            sha256: hex::encode(self.hasher.clone().finalize()),
            size: self.size,
            temp_path: std::mem::take(&mut self.temp_path),
        })
    }
}

impl PendingBlob {
    pub fn temp_path(&self) -> &Path {
        &self.temp_path
    }

    /// Drops a finished upload that will not be kept (refused type,
    /// duplicate).
    pub async fn discard(self) {
        if let Err(error) = tokio::fs::remove_file(&self.temp_path).await {
            tracing::warn!(%error, "could not remove a refused upload");
        }
    }
}

impl Drop for BlobWriter {
    /// An upload that ends without `finish` (cut-off connection, size
    /// limit) leaves nothing behind.
    fn drop(&mut self) {
        if !self.temp_path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.temp_path);
        }
    }
}

/// A new file only the service account can read (0600 whatever the umask):
/// document content is personal data. Renaming keeps the mode.
async fn new_private_file(path: &Path) -> std::io::Result<tokio::fs::File> {
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    options.open(path).await
}

async fn sync_dir(dir: &Path) -> std::io::Result<()> {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || std::fs::File::open(dir)?.sync_all())
        .await
        .map_err(std::io::Error::other)?
}

/// The hash of a byte slice, as stored.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> (tempfile::TempDir, BlobStore) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = BlobStore::new(dir.path().join("blobs"));
        (dir, store)
    }

    async fn put(store: &BlobStore, bytes: &[u8]) -> Result<PathBuf, BlobError> {
        let mut writer = store.create(1024).await?;
        for chunk in bytes.chunks(7) {
            writer.write(chunk).await?;
        }
        let pending = writer.finish().await?;
        store.commit(pending).await
    }

    #[tokio::test]
    async fn content_lands_at_its_hash_once() {
        let (_dir, store) = store().await;
        let first = put(&store, b"Bauantrag Musterstr. 1").await.expect("put");
        let second = put(&store, b"Bauantrag Musterstr. 1").await.expect("put");
        assert_eq!(first, second);
        assert_eq!(
            first.file_name().and_then(|n| n.to_str()),
            Some(sha256_hex(b"Bauantrag Musterstr. 1").as_str())
        );
        assert_eq!(
            tokio::fs::read(&first).await.expect("read"),
            b"Bauantrag Musterstr. 1"
        );
        let mut temp = tokio::fs::read_dir(store.temp_dir()).await.expect("tmp");
        assert!(temp.next_entry().await.expect("entry").is_none());
    }

    #[tokio::test]
    async fn the_limit_is_enforced_while_writing_and_leaves_nothing() {
        let (_dir, store) = store().await;
        let mut writer = store.create(10).await.expect("create");
        writer.write(b"0123456789").await.expect("fits");
        assert!(matches!(writer.write(b"x").await, Err(BlobError::TooLarge)));
        drop(writer);
        let mut temp = tokio::fs::read_dir(store.temp_dir()).await.expect("tmp");
        assert!(temp.next_entry().await.expect("entry").is_none());
    }

    #[tokio::test]
    async fn check_notices_a_changed_and_a_missing_file() {
        let (_dir, store) = store().await;
        let path = put(&store, b"Original").await.expect("put");
        let sha = sha256_hex(b"Original");
        assert_eq!(store.check(&sha).await.expect("check"), None);
        tokio::fs::write(&path, b"Faelschung")
            .await
            .expect("tamper");
        assert!(matches!(
            store.check(&sha).await.expect("check"),
            Some(BlobProblem::Changed { .. })
        ));
        tokio::fs::remove_file(&path).await.expect("remove");
        assert!(matches!(
            store.check(&sha).await.expect("check"),
            Some(BlobProblem::Missing { .. })
        ));
    }

    #[tokio::test]
    async fn an_injected_crash_stops_at_the_step() {
        let (_dir, store) = store().await;
        store.fail_after(Some(Step::Renamed));
        assert!(matches!(
            put(&store, b"abc").await,
            Err(BlobError::Injected(Step::Renamed))
        ));
        assert!(store.path_of(&sha256_hex(b"abc")).exists());
    }
}
