//! The child process: `run_in_child` against the test-support binary
//! `extract-child` (production uses `aktenwerk extract`).
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::Page;
use extract::{run_in_child, ExtractError, Kind, Limits, Method};

fn child() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_extract-child"))
}

#[test]
fn result_comes_back_from_the_child() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.txt");
    std::fs::write(&p, b"Anliegerstra\xDFe \x80").unwrap();
    let r = run_in_child(child(), &[], &p, Kind::Txt, &Limits::default()).unwrap();
    assert_eq!(r.text, "Anliegerstraße €");
    assert_eq!((r.pages, r.method), (1, Method::Text));
}

#[test]
fn limits_reach_the_child() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.txt");
    std::fs::write(&p, "x".repeat(5000)).unwrap();
    let limits = Limits {
        max_text_bytes: 100,
        ..Limits::default()
    };
    let r = run_in_child(child(), &[], &p, Kind::Txt, &limits).unwrap();
    assert_eq!(r.text.len(), 100);
    assert_eq!(r.notes.len(), 1, "{r:?}");
}

#[test]
fn errors_come_back_typed_and_in_german() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("kaputt.docx");
    std::fs::write(&p, b"kein zip").unwrap();
    let e = run_in_child(child(), &[], &p, Kind::Docx, &Limits::default()).unwrap_err();
    assert!(matches!(e, ExtractError::Malformed(_)), "{e:?}");
    assert!(e.to_string().starts_with("Die Datei ist beschädigt"), "{e}");
    let missing = dir.path().join("gibt-es-nicht.txt");
    let e = run_in_child(child(), &[], &missing, Kind::Txt, &Limits::default()).unwrap_err();
    assert_eq!(e.code(), "io", "{e:?}");
}

#[test]
fn wall_limit_kills_the_whole_process_group() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pgid");
    let limits = Limits {
        wall: Duration::from_secs(1),
        ..Limits::default()
    };
    let t = Instant::now();
    let e = run_in_child(
        child(),
        &["sleep", pid_file.to_str().unwrap()],
        Path::new("/dev/null"),
        Kind::Txt,
        &limits,
    )
    .unwrap_err();
    let took = t.elapsed();
    assert!(matches!(e, ExtractError::Timeout { seconds: 1 }), "{e:?}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    let pids = std::fs::read_to_string(&pid_file).unwrap();
    let pgid: i32 = pids.split(' ').next().unwrap().parse().unwrap();
    // The child and its `sleep 60` grandchild are both gone.
    assert_eq!(common::group_alive(pgid), Vec::<String>::new());
}

#[test]
fn slow_ocr_times_out_and_leaves_no_tesseract_behind() {
    let dir = tempfile::tempdir().unwrap();
    // A dense A4 page at 200 dpi takes Tesseract several seconds.
    let lines: Vec<String> = (1..=55)
        .map(|i| format!("Zeile {i}: Die Gemeinde erhebt Beiträge für den Ausbau der Straßen"))
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let pdf = dir.path().join("dicht.pdf");
    std::fs::write(&pdf, common::build_pdf(&[Page::Text(&lines, 10)], 595, 842)).unwrap();
    let png = common::rasterise_png(&pdf, 200, &dir.path().join("dicht-scan.png"));
    let limits = Limits {
        wall: Duration::from_secs(1),
        ..Limits::default()
    };
    let t = Instant::now();
    let e = run_in_child(child(), &[], &png, Kind::Png, &limits).unwrap_err();
    let took = t.elapsed();
    assert!(matches!(e, ExtractError::Timeout { .. }), "{e:?}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    let needle = png.to_str().unwrap();
    assert_eq!(common::processes_mentioning(needle), Vec::<String>::new());
}

#[test]
fn memory_hog_is_stopped_by_rlimit_as() {
    let limits = Limits {
        memory_bytes: 256 * 1024 * 1024,
        ..Limits::default()
    };
    let t = Instant::now();
    let e = run_in_child(
        child(),
        &["hog"],
        Path::new("/dev/null"),
        Kind::Txt,
        &limits,
    )
    .unwrap_err();
    assert!(matches!(e, ExtractError::MemoryLimit), "{e:?}");
    assert_eq!(e.code(), "memory");
    assert!(t.elapsed() < Duration::from_secs(10));
}

#[test]
fn pixel_flood_pdf_in_a_small_child() {
    // Under a 512 MiB address space the flood page must be skipped, not
    // rendered: rendering would die of the limit instead.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("flut.pdf");
    std::fs::write(&p, common::build_pdf(&[Page::Blank], 200_000, 200_000)).unwrap();
    let limits = Limits {
        memory_bytes: 512 * 1024 * 1024,
        ..Limits::default()
    };
    let r = run_in_child(child(), &[], &p, Kind::Pdf, &limits).unwrap();
    assert_eq!((r.ocr_pages, r.method), (0, Method::None), "{r:?}");
}

#[test]
fn garbage_and_signals_become_errors() {
    let limits = Limits::default();
    let null = Path::new("/dev/null");
    // Not JSON.
    let e = run_in_child(Path::new("/bin/echo"), &[], null, Kind::Txt, &limits).unwrap_err();
    assert!(matches!(e, ExtractError::ToolFailed(_)), "{e:?}");
    // Killed by the kernel (as at the hard RLIMIT_AS/CPU limits).
    let sh = Path::new("/bin/sh");
    let e = run_in_child(sh, &["-c", "kill -KILL $$", "sh"], null, Kind::Txt, &limits).unwrap_err();
    assert!(matches!(e, ExtractError::MemoryLimit), "{e:?}");
    // Any other signal is a crash.
    let e = run_in_child(sh, &["-c", "kill -USR1 $$", "sh"], null, Kind::Txt, &limits).unwrap_err();
    assert!(
        matches!(&e, ExtractError::ToolFailed(m) if m.contains("Signal 10")),
        "{e:?}"
    );
    // A missing program.
    let e = run_in_child(
        Path::new("/nonexistent/aktenwerk"),
        &[],
        null,
        Kind::Txt,
        &limits,
    )
    .unwrap_err();
    assert_eq!(e.code(), "tool_failed", "{e:?}");
}

#[test]
fn escaped_grandchild_cannot_block_the_parent() {
    // `setsid` leaves the process group, so the group kill misses it, and
    // it keeps stdout open; the parent must still return soon.
    let sh = Path::new("/bin/sh");
    let t = Instant::now();
    let e = run_in_child(
        sh,
        &["-c", "setsid sleep 4 & exit 0", "sh"],
        Path::new("/dev/null"),
        Kind::Txt,
        &Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(e, ExtractError::ToolFailed(_)), "{e:?}");
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
}

#[test]
fn child_and_grandchild_die_with_their_parent() {
    // The parent here is a shell that starts the child and exits after
    // half a second without waiting, as a crashing server would.
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pids");
    let st = std::process::Command::new("/bin/sh")
        .args(["-c", "\"$0\" sleep \"$1\" txt /dev/null & sleep 0.5"])
        .arg(child())
        .arg(&pid_file)
        .status()
        .unwrap();
    assert!(st.success());
    let pids: Vec<i32> = std::fs::read_to_string(&pid_file)
        .unwrap()
        .split(' ')
        .map(|p| p.parse().unwrap())
        .collect();
    assert!(pids.len() == 2 && pids.iter().all(|&p| p > 0), "{pids:?}");
    let deadline = Instant::now() + Duration::from_secs(3);
    while pids.iter().any(|&p| common::alive(p)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    for p in pids {
        assert!(!common::alive(p), "pid {p} outlived its parent");
    }
}
