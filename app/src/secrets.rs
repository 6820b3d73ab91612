//! Keys kept in files outside the database, and the sealing of secrets
//! Aktenwerk must use again in clear (a Postfach's password for its IMAP
//! login). A sealed secret is ChaCha20-Poly1305 under the seal key, so a
//! copy of the database alone (a backup, a support case) reveals no
//! password; the key file belongs on another volume than the backups.

use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The text of the key file at `path`, generated on first use: 32 random
/// bytes as URL-safe base64 (43 characters), owner read-only. A file with
/// fewer than 32 characters is refused rather than replaced, since what it
/// protects (checkpoints, sealed passwords) would be lost with it.
pub fn load_or_create_key(path: &Path) -> std::io::Result<Vec<u8>> {
    match std::fs::read_to_string(path) {
        Ok(text) if text.trim().len() >= 32 => return Ok(text.trim().as_bytes().to_vec()),
        Ok(_) => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "zu kurz (mindestens 32 Zeichen); die Datei nicht ersetzen, solange \
                 mit dem alten Schlüssel Geschütztes besteht",
            ))
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(error),
    }
    use std::io::Write;
    let key = {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    };
    let mut options = std::fs::OpenOptions::new();
    // create_new: two processes starting at once must not each write a
    // different key.
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(key.as_bytes())?;
            file.sync_all()?;
            Ok(key.into_bytes())
        }
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => load_or_create_key(path),
        Err(error) => Err(error),
    }
}

/// The key secrets are sealed with.
#[derive(Clone)]
pub struct SealKey(Key);

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey(..)")
    }
}

/// What sealed text carries in front, so a later scheme can be told apart.
const VERSION: &str = "v1:";

/// A sealed secret that does not open: another key file, or altered text.
#[derive(Debug, thiserror::Error)]
#[error("Das gespeicherte Kennwort lässt sich mit dem Schlüssel dieses Servers nicht öffnen (anderer Schlüssel oder veränderte Daten). Bitte geben Sie es neu ein.")]
pub struct Unsealable;

impl SealKey {
    /// From a key file's text (any length of at least 32 characters).
    pub fn from_text(text: &[u8]) -> SealKey {
        let mut hash = Sha256::new();
        hash.update(b"aktenwerk seal key v1\0");
        hash.update(text);
        SealKey(hash.finalize())
    }

    /// `secret` sealed for `purpose` (e.g. "postfach-passwort"): opening it
    /// under another purpose fails, so sealed text cannot be moved to
    /// another column and opened there.
    pub fn seal(&self, purpose: &str, secret: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = ChaCha20Poly1305::new(&self.0)
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: secret.as_bytes(),
                    aad: purpose.as_bytes(),
                },
            )
            .unwrap_or_else(|_| unreachable!("ChaCha20-Poly1305 seals any length we store"));
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!(
            "{VERSION}{}",
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
        )
    }

    pub fn open(&self, purpose: &str, sealed: &str) -> Result<String, Unsealable> {
        let bytes = sealed
            .strip_prefix(VERSION)
            .and_then(|text| {
                base64::engine::general_purpose::STANDARD_NO_PAD
                    .decode(text)
                    .ok()
            })
            .filter(|bytes| bytes.len() > 12)
            .ok_or(Unsealable)?;
        let (nonce, sealed) = bytes.split_at(12);
        let plain = ChaCha20Poly1305::new(&self.0)
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: purpose.as_bytes(),
                },
            )
            .map_err(|_| Unsealable)?;
        String::from_utf8(plain).map_err(|_| Unsealable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> SealKey {
        SealKey::from_text(text.as_bytes())
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_purpose() {
        let k = key("a key file text that is long enough");
        let sealed = k.seal("postfach-passwort", "Brief-2026!");
        assert!(!sealed.contains("Brief"));
        assert_ne!(
            sealed,
            k.seal("postfach-passwort", "Brief-2026!"),
            "fresh nonce"
        );
        assert_eq!(
            k.open("postfach-passwort", &sealed).ok().as_deref(),
            Some("Brief-2026!")
        );
        assert!(k.open("anderes", &sealed).is_err());
        assert!(key("another key file text, also long enough")
            .open("postfach-passwort", &sealed)
            .is_err());
        let mut altered = sealed.clone().into_bytes();
        let last = altered.len() - 2;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).expect("ascii");
        assert!(k.open("postfach-passwort", &altered).is_err());
        assert!(k.open("postfach-passwort", "Brief-2026!").is_err());
    }

    #[test]
    fn the_key_file_is_made_once_and_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("seal-key");
        let first = load_or_create_key(&path).expect("created");
        assert_eq!(first.len(), 43);
        assert_eq!(load_or_create_key(&path).expect("read"), first);
        std::fs::write(&path, "short").expect("write");
        assert!(
            load_or_create_key(&path).is_err(),
            "a short key is not replaced"
        );
    }
}
