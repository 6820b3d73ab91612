//! Password hashing (argon2id) and the password rules.

use crate::error::AppError;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use rand::Rng;

pub const MIN_LENGTH: usize = 10;

/// Hashes with argon2id and the crate's current defaults (19 MiB, 2 passes),
/// which match OWASP's recommendation.
pub fn hash(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| {
            tracing::error!(%error, "password hashing failed");
            AppError::Internal
        })
}

/// True if `password` matches the stored PHC string. A malformed stored hash
/// counts as a mismatch, never as a crash.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spends the same time as a real verification, so that a login for an
/// unknown user name cannot be told apart by its response time.
pub fn verify_against_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash("aktenwerk-dummy-password").unwrap_or_default());
    let _ = verify(password, stored);
}

/// How many argon2 computations run at once. Each takes 19 MiB and a core
/// for a noticeable moment; unbounded, a burst of logins would queue
/// hundreds on the blocking pool and exhaust memory.
pub const HASHING_PERMITS: usize = 4;

/// How long a request waits for a hashing slot before it is turned away.
pub const HASHING_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// All hashing slots were taken for [`HASHING_WAIT`].
#[derive(Debug, PartialEq, Eq)]
pub struct Busy;

/// The slots shared by login, password changes and the administration.
pub fn hashing_gate() -> std::sync::Arc<tokio::sync::Semaphore> {
    std::sync::Arc::new(tokio::sync::Semaphore::new(HASHING_PERMITS))
}

/// Runs an argon2 job off the async workers, holding one of the gate's
/// slots; waits at most [`HASHING_WAIT`] for one.
pub async fn run_bounded<T: Send + 'static>(
    gate: &tokio::sync::Semaphore,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Busy> {
    let permit = tokio::time::timeout(HASHING_WAIT, gate.acquire())
        .await
        .map_err(|_| Busy)?
        .map_err(|_| Busy)?;
    let result = tokio::task::spawn_blocking(job).await.map_err(|_| Busy);
    drop(permit);
    result
}

/// The German answer for [`Busy`] in server functions.
pub fn busy_error() -> AppError {
    AppError::TooManyRequests(
        "Der Server ist gerade ausgelastet. Bitte versuchen Sie es in einigen Sekunden erneut."
            .into(),
    )
}

/// Rules for a password a person chooses.
pub fn check_new(password: &str, username: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_LENGTH {
        return Err(AppError::invalid(format!(
            "Das Passwort muss mindestens {MIN_LENGTH} Zeichen lang sein."
        )));
    }
    if password.chars().count() > 256 {
        return Err(AppError::invalid(
            "Das Passwort darf höchstens 256 Zeichen lang sein.",
        ));
    }
    if password.to_lowercase().contains(&username.to_lowercase()) && !username.is_empty() {
        return Err(AppError::invalid(
            "Das Passwort darf den Benutzernamen nicht enthalten.",
        ));
    }
    Ok(())
}

/// A one-time password an administrator hands over, e.g. `kd7m-x2pq-9trs-4hwa`:
/// 16 characters from 31 unambiguous ones (about 79 bits), grouped for reading aloud.
pub fn generate_temporary() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    let mut out = String::with_capacity(19);
    for group in 0..4 {
        if group > 0 {
            out.push('-');
        }
        for _ in 0..4 {
            let index = rng.gen_range(0..ALPHABET.len());
            out.push(char::from(ALPHABET[index]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies_and_is_argon2id_and_salted() {
        let first = hash("Rathaus-Michelstadt-1").expect("hash");
        let second = hash("Rathaus-Michelstadt-1").expect("hash");
        assert!(first.starts_with("$argon2id$"));
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify("Rathaus-Michelstadt-1", &first));
        assert!(!verify("Rathaus-Michelstadt-2", &first));
    }

    #[test]
    fn malformed_stored_hash_is_a_mismatch() {
        assert!(!verify("anything", "not-a-phc-string"));
        assert!(!verify("anything", ""));
    }

    #[test]
    fn new_passwords_follow_the_rules() {
        assert!(check_new("kurz", "anna").is_err());
        assert!(check_new("anna.schmidt-2026", "anna.schmidt").is_err());
        assert!(check_new("Odenwald-Rathaus", "anna").is_ok());
        assert!(check_new(&"x".repeat(300), "anna").is_err());
    }

    #[test]
    fn temporary_passwords_are_long_and_distinct() {
        let a = generate_temporary();
        let b = generate_temporary();
        assert_eq!(a.len(), 19);
        assert_ne!(a, b);
        assert!(check_new(&a, "anna").is_ok());
    }
}
