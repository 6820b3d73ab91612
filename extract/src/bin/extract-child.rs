//! Test support only: the extraction child for `extract`'s integration
//! tests (`env!("CARGO_BIN_EXE_extract-child")`). Production runs the same
//! [`extract::child_main`] as `aktenwerk extract <kind> <path>`.
//!
//! Two extra modes exercise the sandbox without a real hostile file:
//! `hog <kind> <path>` sets the rlimits and then allocates until it dies
//! (or gives up at 4 GiB);
//! `sleep <pid-file> <kind> <path>` asks to die with its parent, starts
//! `sleep 60` as a grandchild (likewise), writes its own pid (the process
//! group id under `run_in_child`) and the grandchild's to `pid-file`, and
//! sleeps;
//! `env <kind> <path>` answers like an extraction whose text is the names
//! of the variables in its environment, one a line, so a test can see
//! what the parent passed on.

use std::os::unix::process::CommandExt;

use extract::{apply_rlimits, child_main, die_with_parent, Limits, LIMITS_ENV};

fn limits() -> Limits {
    std::env::var(LIMITS_ENV)
        .ok()
        .and_then(|v| Limits::from_env_value(&v))
        .unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("hog") => {
            if apply_rlimits(&limits()).is_err() {
                std::process::exit(4);
            }
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            // Touch every page so the memory is really used. Should the
            // limit not bind, stop at 4 GiB rather than starve the machine;
            // the parent then sees no JSON and the test fails.
            for _ in 0..64 {
                hoard.push(vec![1u8; 64 * 1024 * 1024]);
            }
            std::process::exit(5);
        }
        Some("sleep") => {
            let pid_file = args.get(1).cloned().unwrap_or_default();
            if die_with_parent().is_err() {
                std::process::exit(4);
            }
            let mut cmd = std::process::Command::new("sleep");
            cmd.arg("60");
            // SAFETY: the hook only calls prctl, which is async-signal-safe.
            unsafe {
                cmd.pre_exec(die_with_parent);
            }
            let grandchild = cmd.spawn();
            let grandchild_pid = grandchild.as_ref().map(|c| c.id()).unwrap_or(0);
            let _ = std::fs::write(
                &pid_file,
                format!("{} {grandchild_pid}", std::process::id()),
            );
            std::thread::sleep(std::time::Duration::from_secs(60));
            drop(grandchild);
        }
        Some("env") => {
            let mut names: Vec<String> = std::env::vars_os()
                .map(|(name, _)| name.to_string_lossy().into_owned())
                .collect();
            names.sort();
            let answer = extract::Extracted {
                text: names.join("\n"),
                pages: 1,
                ocr_pages: 0,
                method: extract::Method::Text,
                notes: Vec::new(),
            };
            match serde_json::to_string(&answer) {
                Ok(json) => println!("{json}"),
                Err(_) => std::process::exit(4),
            }
        }
        _ => std::process::exit(child_main(&args, &Limits::default())),
    }
}
