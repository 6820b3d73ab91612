//! Running poppler and Tesseract. They run inside the extraction child, so
//! its rlimits bind them and the parent's group kill ends them.

use std::ffi::OsStr;
use std::io::ErrorKind;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};

use crate::ExtractError;

/// Run `program` with `args`; stdout on success.
pub(crate) fn run<I, S>(program: &str, args: I) -> Result<Vec<u8>, ExtractError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(program);
    // SAFETY: the hook only calls prctl, which is async-signal-safe.
    unsafe {
        // Dies with the extraction child, even when that is SIGKILLed.
        cmd.pre_exec(crate::die_with_parent);
    }
    let out = cmd
        .args(args)
        // Tesseract's OpenMP would otherwise take every core of a shared box.
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            ErrorKind::NotFound => ExtractError::ToolMissing(program.to_owned()),
            _ => ExtractError::ToolFailed(format!("{program} ließ sich nicht starten ({e}).")),
        })?;
    if out.status.success() {
        return Ok(out.stdout);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    Err(failure(
        program,
        out.status.code(),
        out.status.signal(),
        &stderr,
    ))
}

/// Map a failed tool run to an error the clerk can act on.
fn failure(program: &str, code: Option<i32>, signal: Option<i32>, stderr: &str) -> ExtractError {
    let lower = stderr.to_lowercase();
    if lower.contains("bad_alloc")
        || lower.contains("cannot allocate")
        || lower.contains("out of memory")
        || lower.contains("memory allocation")
    {
        return ExtractError::MemoryLimit;
    }
    if signal == Some(libc::SIGXCPU) {
        return ExtractError::ToolFailed(format!("{program} hat das CPU-Zeitlimit überschritten."));
    }
    if lower.contains("incorrect password") || lower.contains("encrypted") {
        return ExtractError::Malformed("Die PDF-Datei ist verschlüsselt.".to_owned());
    }
    if lower.contains("syntax error") && program == "pdfinfo" || lower.contains("may not be a pdf")
    {
        return ExtractError::Malformed("Die PDF-Datei ist nicht lesbar.".to_owned());
    }
    let last = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let mut last = last.trim().to_owned();
    crate::plain::cap(&mut last, 300);
    let how = match (code, signal) {
        (_, Some(s)) => format!("durch Signal {s} beendet"),
        (Some(c), None) => format!("Fehlercode {c}"),
        (None, None) => "unbekannter Fehler".to_owned(),
    };
    ExtractError::ToolFailed(format!("{program}: {how}. {last}").trim_end().to_owned())
}

/// OCR one image file (Tesseract handles multi-page TIFF itself).
pub(crate) fn tesseract(image: &std::path::Path) -> Result<String, ExtractError> {
    let out = run(
        "tesseract",
        [
            image.as_os_str(),
            OsStr::new("stdout"),
            OsStr::new("-l"),
            OsStr::new("deu"),
        ],
    )?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_tool_is_named() {
        let e = run("aktenwerk-no-such-tool", ["x"]).err();
        assert!(
            matches!(&e, Some(ExtractError::ToolMissing(t)) if t == "aktenwerk-no-such-tool"),
            "{e:?}"
        );
    }

    #[test]
    fn failing_tool_reports_its_stderr() {
        let e = run("sh", ["-c", "echo kaputt >&2; exit 3"]).err();
        match e {
            Some(ExtractError::ToolFailed(m)) => {
                assert!(m.contains("Fehlercode 3") && m.contains("kaputt"), "{m}")
            }
            other => panic!("{other:?}"),
        }
        let e = run("sh", ["-c", "echo 'std::bad_alloc' >&2; kill -ABRT $$"]).err();
        assert!(matches!(e, Some(ExtractError::MemoryLimit)), "{e:?}");
    }
}
