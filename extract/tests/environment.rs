//! The extraction child gets a clean environment: the server's secrets
//! (session key, database settings) must not reach a process that parses
//! hostile files. Its own test binary, since it changes the environment of
//! the test process.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use extract::{run_in_child, Kind, Limits};

fn child_environment() -> Vec<String> {
    let r = run_in_child(
        Path::new(env!("CARGO_BIN_EXE_extract-child")),
        &["env"],
        Path::new("/dev/null"),
        Kind::Txt,
        &Limits::default(),
    )
    .unwrap();
    r.text.lines().map(str::to_owned).collect()
}

#[test]
fn the_child_sees_no_secrets_only_what_it_needs() {
    // Edition 2021: `set_var` is safe; this binary has no other test
    // that could read the environment meanwhile.
    std::env::set_var("AKTENWERK_SESSION_SECRET", "geheim");
    std::env::set_var("AKTENWERK_DATABASE_URL", "sqlite:///geheim.db");
    std::env::set_var("TESSDATA_PREFIX", "/usr/share/tesseract-ocr/5/tessdata");
    std::env::set_var("LANG", "de_DE.UTF-8");
    let names = child_environment();
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with("AKTENWERK_") && n != extract::LIMITS_ENV),
        "{names:?}"
    );
    for needed in [
        "PATH",
        "LANG",
        "TESSDATA_PREFIX",
        "OMP_THREAD_LIMIT",
        "TMPDIR",
        extract::LIMITS_ENV,
    ] {
        assert!(names.iter().any(|n| n == needed), "{needed}: {names:?}");
    }
    assert!(!names.iter().any(|n| n == "HOME"), "{names:?}");
}
