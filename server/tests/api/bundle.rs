//! The browser bundle under `/pkg/`: the precompressed copies the release
//! build writes go out with the matching Content-Encoding, the file itself
//! to a client that accepts no encoding, with the security headers of every
//! answer.

use crate::common::TestApp;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::io::Write;

/// A site folder as scripts/build.sh leaves it after a release build: the
/// file, its gzip copy and its brotli copy. The brotli copy is a marker,
/// not real brotli: the server must send it unchanged, never re-encode.
struct Site {
    dir: tempfile::TempDir,
    wasm: Vec<u8>,
    brotli: Vec<u8>,
}

fn site() -> Site {
    let dir = tempfile::tempdir().expect("tempdir");
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg");
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    wasm.extend(std::iter::repeat_n(b"aktenwerk ".as_slice(), 500).flatten());
    std::fs::write(pkg.join("aktenwerk.wasm"), &wasm).expect("wasm");
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&wasm).expect("gzip");
    std::fs::write(pkg.join("aktenwerk.wasm.gz"), gzip.finish().expect("gzip")).expect("gz");
    let brotli = b"brotli copy of aktenwerk.wasm".to_vec();
    std::fs::write(pkg.join("aktenwerk.wasm.br"), &brotli).expect("br");
    std::fs::write(dir.path().join("robots.txt"), "User-agent: *\n").expect("robots");
    Site { dir, wasm, brotli }
}

async fn app(site: &Site) -> TestApp {
    TestApp::with(&[(
        "AKTENWERK_SITE_ROOT",
        site.dir.path().to_str().expect("utf-8 path"),
    )])
    .await
}

async fn fetch(app: &TestApp, path: &str, accept_encoding: Option<&str>) -> crate::common::Reply {
    let mut request = Request::get(path).header(header::HOST, "aktenwerk.test");
    if let Some(encodings) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, encodings);
    }
    app.send(request.body(Body::empty()).expect("request"))
        .await
}

fn header(reply: &crate::common::Reply, name: header::HeaderName) -> &str {
    reply
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

/// What every answer from /pkg carries, whatever the encoding.
fn assert_bundle_headers(reply: &crate::common::Reply) {
    assert_eq!(header(reply, header::CONTENT_TYPE), "application/wasm");
    assert_eq!(header(reply, header::VARY), "accept-encoding");
    // Revalidated on every use (the names carry no hash), but never
    // `no-store` like the pages.
    assert_eq!(header(reply, header::CACHE_CONTROL), "no-cache");
    assert_eq!(header(reply, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(header(reply, header::X_FRAME_OPTIONS), "DENY");
    assert!(header(reply, header::CONTENT_SECURITY_POLICY).contains("default-src 'self'"));
    assert!(!header(reply, header::LAST_MODIFIED).is_empty());
}

#[tokio::test]
async fn the_bundle_goes_out_brotli_compressed_when_the_browser_takes_brotli() {
    let site = site();
    let app = app(&site).await;
    // What Chromium sends; no session needed for the bundle.
    let reply = fetch(&app, "/pkg/aktenwerk.wasm", Some("gzip, deflate, br, zstd")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(header(&reply, header::CONTENT_ENCODING), "br");
    assert_eq!(reply.bytes, site.brotli, "the brotli copy, unchanged");
    assert_eq!(
        header(&reply, header::CONTENT_LENGTH),
        site.brotli.len().to_string()
    );
    assert_bundle_headers(&reply);
}

#[tokio::test]
async fn the_bundle_goes_out_gzip_compressed_to_a_browser_without_brotli() {
    let site = site();
    let app = app(&site).await;
    let reply = fetch(&app, "/pkg/aktenwerk.wasm", Some("gzip")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(header(&reply, header::CONTENT_ENCODING), "gzip");
    let mut unpacked = Vec::new();
    std::io::copy(
        &mut flate2::read::GzDecoder::new(reply.bytes.as_slice()),
        &mut unpacked,
    )
    .expect("valid gzip");
    assert_eq!(unpacked, site.wasm);
    assert_bundle_headers(&reply);
}

#[tokio::test]
async fn without_accept_encoding_the_bundle_goes_out_as_it_is() {
    let site = site();
    let app = app(&site).await;
    for accept in [None, Some("identity")] {
        let reply = fetch(&app, "/pkg/aktenwerk.wasm", accept).await;
        assert_eq!(reply.status, StatusCode::OK, "{accept:?}");
        assert!(
            reply.headers.get(header::CONTENT_ENCODING).is_none(),
            "{accept:?}"
        );
        assert_eq!(reply.bytes, site.wasm, "{accept:?}");
        assert_eq!(
            header(&reply, header::CONTENT_LENGTH),
            site.wasm.len().to_string()
        );
        assert_bundle_headers(&reply);
    }
}

#[tokio::test]
async fn pkg_serves_nothing_outside_the_bundle() {
    let site = site();
    let app = app(&site).await;
    let missing = fetch(&app, "/pkg/gibt-es-nicht.wasm", Some("br")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    // The site's top-level files are not reachable through /pkg/.
    let outside = fetch(&app, "/pkg/../robots.txt", None).await;
    assert_ne!(outside.status, StatusCode::OK, "{}", outside.body);
    assert!(!outside.body.contains("User-agent"));
}
