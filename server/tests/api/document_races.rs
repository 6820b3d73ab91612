//! Uploads that race a change of their Akte, and previews under load:
//! the holes of issue 14, point 8 that need the real router.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{samples, TestApp, ORIGIN};
use std::time::{Duration, Instant};

/// Whether an upload has started writing its temporary file, i.e. the
/// handler has checked its target and is reading the body.
fn upload_in_flight(app: &TestApp) -> bool {
    app.blob_files()
        .iter()
        .any(|p| p.parent().is_some_and(|d| d.ends_with("tmp")))
}

/// Uploads `bytes` in two parts and runs `meanwhile` after the handler
/// checked the target and before the body is complete.
async fn upload_with_pause(
    app: &TestApp,
    cookie: &str,
    name: &str,
    extra: &str,
    bytes: &[u8],
    meanwhile: impl std::future::Future<Output = ()>,
) -> (StatusCode, serde_json::Value) {
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|chunk| (Ok::<_, std::io::Error>(chunk), rx))
    });
    let query = serde_urlencoded::to_string([("name", name)]).expect("encode");
    let request = Request::post(format!("/dokumente/hochladen?{query}{extra}"))
        .header(header::HOST, "aktenwerk.test")
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, cookie)
        .body(Body::from_stream(body))
        .expect("request");
    let router = app.router.clone();
    let answer = tokio::spawn(async move {
        let reply = common::send_to(router, request).await;
        (reply.status, reply.json())
    });
    let (first, rest) = bytes.split_at(bytes.len() / 2);
    tx.send(first.to_vec()).await.expect("first part");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !upload_in_flight(app) {
        assert!(Instant::now() < deadline, "the upload never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    meanwhile.await;
    tx.send(rest.to_vec()).await.expect("second part");
    drop(tx);
    answer.await.expect("upload task")
}

async fn documents(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM documents").await
}

/// Content files in the store (neither temporary files nor previews).
fn stored_blobs(app: &TestApp) -> usize {
    app.blob_files()
        .iter()
        .filter(|p| {
            !p.components()
                .any(|c| c.as_os_str() == "tmp" || c.as_os_str() == "thumbs")
        })
        .count()
}

#[tokio::test]
async fn an_akte_closed_during_the_upload_receives_nothing() {
    let app = TestApp::demo().await;
    let mic = app.login_demo("sachbearbeitung.mic").await;
    let akte = app
        .open_akte(&mic, "621.1", "Bauantrag Lindenweg 3", "2026-11-02")
        .await;
    let (status, answer) = upload_with_pause(
        &app,
        &mic,
        "Nachtrag.pdf",
        &format!("&akte={akte}"),
        &samples::pdf("Nachtrag zum Bauantrag"),
        async {
            let reply = app
                .call(
                    &mic,
                    "close_akte",
                    &format!("id={akte}&closed_on=2026-11-20"),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        },
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(answer["code"], "akte_closed", "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .is_some_and(|m| m.contains("geschlossen")),
        "{answer}"
    );
    assert_eq!(documents(&app).await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM jobs").await,
        0,
        "no extraction job for a refused upload"
    );
    // The file that was already in place has no row: the orphan sweep at
    // the next start removes it.
    let recovery = app
        .state
        .blobs
        .recover(&app.state.pool)
        .await
        .expect("recover");
    assert!(recovery.orphans_removed <= 1, "{recovery:?}");
    assert_eq!(stored_blobs(&app), 0);
}

#[tokio::test]
async fn an_akte_unshared_during_the_upload_receives_nothing() {
    let app = TestApp::demo().await;
    let mic = app.login_demo("sachbearbeitung.mic").await;
    let erb = app.login_demo("sachbearbeitung.erb").await;
    let akte = app
        .open_akte(&mic, "621.2", "Gemeinsames Gewerbegebiet", "2026-11-02")
        .await;
    let share = |shared: bool| {
        let mic = mic.clone();
        let app = &app;
        async move {
            let reply = app
                .call(
                    &mic,
                    "share_akte",
                    &format!("id={akte}&municipality_id=2&shared={shared}"),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        }
    };
    share(true).await;
    // While shared, Erbach may file into it.
    let reply = app
        .upload(
            &erb,
            "Stellungnahme.pdf",
            &format!("&akte={akte}"),
            &samples::pdf("Stellungnahme Erbach"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let before = documents(&app).await;

    let (status, answer) = upload_with_pause(
        &app,
        &erb,
        "Nachtrag.pdf",
        &format!("&akte={akte}"),
        &samples::pdf("Nachtrag aus Erbach"),
        share(false),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(answer["code"], "akte_unavailable", "{answer}");
    assert_eq!(documents(&app).await, before);
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encode");
    out.into_inner()
}

/// A PNG whose header is fine (so the upload accepts it) but whose
/// picture data is missing.
fn broken_png() -> Vec<u8> {
    let mut bytes = png(64, 64);
    bytes.truncate(60);
    bytes
}

/// Remembered preview failures (beside the cached previews).
fn failure_markers(app: &TestApp) -> usize {
    app.blob_files()
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "fehler"))
        .count()
}

#[tokio::test]
async fn previews_wait_for_a_free_rendering_slot_then_give_up_with_503() {
    let app = TestApp::demo().await;
    let mic = app.login_demo("sachbearbeitung.mic").await;
    let photo = app.upload_ok(&mic, "Ortstermin.png", &png(900, 600)).await;
    let other = app.upload_ok(&mic, "Lageplan.png", &png(600, 900)).await;
    let slots = &app.state.previews;
    slots.set_wait(Duration::from_millis(300));
    // Every rendering slot is taken (as by large pictures being rendered).
    let mut held = Vec::new();
    for _ in 0..app::documents::thumbnail::RENDERINGS {
        held.push(slots.acquire().await.expect("free slot"));
    }
    let started = Instant::now();
    let reply = app
        .get(&format!("/dokumente/{photo}/vorschaubild"), Some(&mic))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(reply.headers.contains_key(header::RETRY_AFTER));
    assert_eq!(reply.json()["code"], "busy", "{}", reply.body);
    assert!(reply.body.contains("Vorschau"), "{}", reply.body);

    // A slot freed while waiting is taken.
    slots.set_wait(Duration::from_secs(10));
    let freed = held.pop();
    let release = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        drop(freed);
    };
    let path = format!("/dokumente/{other}/vorschaubild");
    let (reply, ()) = tokio::join!(app.get(&path, Some(&mic)), release);
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    drop(held);
    let reply = app
        .get(&format!("/dokumente/{photo}/vorschaubild"), Some(&mic))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn a_broken_picture_is_decoded_once_and_its_failure_remembered() {
    let app = TestApp::demo().await;
    let mic = app.login_demo("sachbearbeitung.mic").await;
    let broken = app.upload_ok(&mic, "Kaputt.png", &broken_png()).await;
    let reply = app
        .get(&format!("/dokumente/{broken}/vorschaubild"), Some(&mic))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let first = reply.json()["message"].clone();
    assert!(
        first.as_str().is_some_and(|m| m.contains("beschädigt")),
        "{first}"
    );
    assert_eq!(failure_markers(&app), 1);

    // Asked again while no slot is free: answered from the remembered
    // failure at once, without rendering (which would need a slot).
    let slots = &app.state.previews;
    slots.set_wait(Duration::from_millis(300));
    let mut held = Vec::new();
    for _ in 0..app::documents::thumbnail::RENDERINGS {
        held.push(slots.acquire().await.expect("free slot"));
    }
    for _ in 0..3 {
        let reply = app
            .get(&format!("/dokumente/{broken}/vorschaubild"), Some(&mic))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        assert_eq!(reply.json()["message"], first);
    }
    // A picture over the pixel limit is remembered the same way; its
    // header alone says so, nothing is decoded.
    drop(held);
    let bomb = app
        .upload_ok(&mic, "Riesig.png", &huge_png_header(100_000, 100_000))
        .await;
    let reply = app
        .get(&format!("/dokumente/{bomb}/vorschaubild"), Some(&mic))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("Megapixel"), "{}", reply.body);
    assert_eq!(failure_markers(&app), 2);
    // Remembered failures are no orphans for the start-up recovery.
    let recovery = app
        .state
        .blobs
        .recover(&app.state.pool)
        .await
        .expect("recover");
    assert_eq!(recovery.orphans_removed, 0);
}

/// A PNG that claims `width` × `height` pixels in a few bytes (a
/// decompression bomb as far as any decoder is concerned).
fn huge_png_header(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&u32::try_from(data.len()).expect("len").to_be_bytes());
        let checked: Vec<u8> = kind.iter().chain(data).copied().collect();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc32(&checked).to_be_bytes());
    }
    /// PNG's CRC-32 (bitwise; a few bytes only).
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}
