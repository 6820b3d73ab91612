//! A real server router on a fresh SQLite file in a temporary directory,
//! driven through `tower::ServiceExt::oneshot`.

pub mod imap;
pub mod samples;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use server::config::Config;
use tower::ServiceExt;

pub const DEMO_PASSWORD: &str = app::users::bootstrap::DEMO_PASSWORD;
pub const ORIGIN: &str = "http://aktenwerk.test";

/// Extraction as in production, through the real binary's `extract` command.
pub fn test_extractor() -> server::background::Extractor {
    server::background::Extractor {
        program: env!("CARGO_BIN_EXE_aktenwerk").into(),
        args: vec!["extract".into()],
        limits: extract::Limits {
            wall: std::time::Duration::from_secs(60),
            ..extract::Limits::default()
        },
    }
}

pub struct TestApp {
    pub router: Router,
    pub state: app::state::AppState,
    pub dir: tempfile::TempDir,
    background: std::sync::Mutex<Vec<server::background::Background>>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// Sends one request through `router` and reads the whole answer. A
/// request that does not finish within [`REQUEST_LIMIT`] fails the test
/// with its method and path instead of hanging the whole suite.
pub async fn send_to(router: Router, request: Request<Body>) -> Reply {
    let what = format!("{} {}", request.method(), request.uri());
    let answer = async {
        let response = router.oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (status, headers, bytes)
    };
    let (status, headers, bytes) = tokio::time::timeout(REQUEST_LIMIT, answer)
        .await
        .unwrap_or_else(|_| panic!("{what} got no complete answer within {REQUEST_LIMIT:?}"));
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes: bytes.to_vec(),
    }
}

/// How long one request may take in these tests before it counts as hung.
pub const REQUEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(45);

impl TestApp {
    /// A server in demo mode (one account per role and municipality).
    pub async fn demo() -> TestApp {
        TestApp::with(&[("AKTENWERK_DEMO", "true")]).await
    }

    pub async fn with(settings: &[(&str, &str)]) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut vars = vec![(
            "AKTENWERK_DATA_DIR".to_string(),
            dir.path().display().to_string(),
        )];
        vars.extend(settings.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let config = Config::from_vars(vars).expect("config");
        let state = server::startup::prepare(&config).await.expect("startup");
        let router = server::router(&config, state.clone());
        TestApp {
            router,
            state,
            dir,
            background: Default::default(),
        }
    }

    /// A demo server that also runs its background work: extraction
    /// workers (the real `aktenwerk extract` child) and the indexer.
    pub async fn demo_with_background() -> TestApp {
        let app = TestApp::demo().await;
        app.start_background();
        app
    }

    /// Another server on the same data directory, as after a restart.
    pub async fn restart(self) -> TestApp {
        let dir = self.shut_down().await;
        let config = Config::from_vars([
            (
                "AKTENWERK_DATA_DIR".to_string(),
                dir.path().display().to_string(),
            ),
            ("AKTENWERK_DEMO".to_string(), "true".to_string()),
        ])
        .expect("config");
        let state = server::startup::prepare(&config).await.expect("startup");
        let router = server::router(&config, state.clone());
        TestApp {
            router,
            state,
            dir,
            background: Default::default(),
        }
    }

    /// Stops the background work and lets go of database and index, as a
    /// stopped server would; the data directory stays.
    pub async fn shut_down(self) -> tempfile::TempDir {
        let TestApp {
            dir,
            router,
            state,
            background,
        } = self;
        for tasks in background.into_inner().unwrap_or_default() {
            tasks.stop();
        }
        drop(router);
        state.pool.close().await;
        drop(state);
        // Aborted tasks let go of the index writer at their next await.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        dir
    }

    pub fn start_background(&self) {
        // The Scan-Ordner and Postfach tests look by hand; the background
        // waits.
        let started = server::background::start(
            &self.state,
            test_extractor(),
            2,
            server::background::Intervals::BY_HAND,
        );
        if let Ok(mut running) = self.background.lock() {
            running.push(started);
        }
    }

    /// Waits until the newest version of a document has a settled text
    /// state (searchable or failed) and returns it.
    pub async fn settled_text_state(&self, document_id: i64) -> app::processing::TextState {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
        loop {
            let state = app::processing::storage::text_state(&self.state.pool, document_id)
                .await
                .expect("text state");
            if state.is_settled() {
                return state;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "document {document_id} still {state:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// Sends one request through the real router (see [`send_to`]).
    pub async fn send(&self, request: Request<Body>) -> Reply {
        send_to(self.router.clone(), request).await
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut builder = Request::get(path).header(header::HOST, "aktenwerk.test");
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        self.send(builder.body(Body::empty()).expect("request"))
            .await
    }

    /// A same-origin form post, as a browser would send it.
    pub async fn post_form(&self, path: &str, cookie: Option<&str>, form: &str) -> Reply {
        let mut builder = Request::post(path)
            .header(header::HOST, "aktenwerk.test")
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        self.send(builder.body(Body::from(form.to_string())).expect("request"))
            .await
    }

    /// Logs in through the real form handler; returns the `Cookie` header value.
    pub async fn login(&self, username: &str, password: &str) -> Option<String> {
        let reply = self
            .post_form(
                "/anmelden",
                None,
                &format!("benutzername={username}&passwort={password}"),
            )
            .await;
        let set_cookie = reply.headers.get(header::SET_COOKIE)?.to_str().ok()?;
        let pair = set_cookie.split(';').next()?.to_string();
        (!pair.ends_with('=')).then_some(pair)
    }

    pub async fn login_demo(&self, username: &str) -> String {
        self.login(username, DEMO_PASSWORD)
            .await
            .unwrap_or_else(|| panic!("demo login {username} failed"))
    }

    /// Uploads `bytes` as file `name`; `extra` is appended to the query
    /// (e.g. `&akte=3` or `&dokument=5`).
    pub async fn upload(&self, cookie: &str, name: &str, extra: &str, bytes: &[u8]) -> Reply {
        let query = serde_urlencoded::to_string([("name", name)]).expect("encode");
        let request = Request::post(format!("/dokumente/hochladen?{query}{extra}"))
            .header(header::HOST, "aktenwerk.test")
            .header(header::ORIGIN, ORIGIN)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_LENGTH, bytes.len())
            .body(Body::from(bytes.to_vec()))
            .expect("request");
        self.send(request).await
    }

    /// Uploads into the Posteingang and returns the new document's id.
    pub async fn upload_ok(&self, cookie: &str, name: &str, bytes: &[u8]) -> i64 {
        let reply = self.upload(cookie, name, "", bytes).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{name}: {}", reply.body);
        reply.json()["id"].as_i64().expect("id")
    }

    /// Every file in the blob store (temporary files included).
    pub fn blob_files(&self) -> Vec<std::path::PathBuf> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        walk(&self.dir.path().join("blobs"), &mut files);
        files
    }

    /// Calls a server function with form-encoded arguments.
    pub async fn call(&self, cookie: &str, function: &str, form: &str) -> Reply {
        self.post_form(&format!("/api/{function}"), Some(cookie), form)
            .await
    }

    /// Opens an Akte under the active position `code`; returns its id.
    pub async fn open_akte(&self, cookie: &str, code: &str, title: &str, opened_on: &str) -> i64 {
        let position: i64 =
            sqlx::query_scalar("SELECT id FROM plan_positions WHERE code = ? AND active = 1")
                .bind(code)
                .fetch_one(&self.state.pool)
                .await
                .expect("position");
        let reply = self
            .call(
                cookie,
                "create_akte",
                &format!(
                    "position_id={position}&title={title}&responsible=Bauamt&opened_on={opened_on}"
                ),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.json()["id"].as_i64().expect("id")
    }

    pub async fn user_id(&self, username: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM users WHERE username = ?")
            .bind(username)
            .fetch_one(&self.state.pool)
            .await
            .expect("user exists")
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.state.pool)
            .await
            .expect("count")
    }

    /// Calls a server function that must succeed; its JSON answer.
    pub async fn call_ok(&self, cookie: &str, function: &str, form: &str) -> serde_json::Value {
        let reply = self.call(cookie, function, form).await;
        assert_eq!(reply.status, StatusCode::OK, "{function}: {}", reply.body);
        reply.json()
    }

    /// A second clerk like `like` (same municipality and role), signed in
    /// with the demo password: cookie and id.
    pub async fn colleague(&self, username: &str, like: &str) -> (String, i64) {
        sqlx::query(
            "INSERT INTO users (username, display_name, email, municipality_id, role, password_hash,
                                created_at, updated_at)
             SELECT ?, ?, NULL, municipality_id, role, password_hash, created_at, updated_at
             FROM users WHERE username = ?",
        )
        .bind(username)
        .bind(format!("Kollegin {username}"))
        .bind(like)
        .execute(&self.state.pool)
        .await
        .expect("colleague");
        (
            self.login_demo(username).await,
            self.user_id(username).await,
        )
    }

    /// Creates a clerk account of Erbach through the user administration
    /// (`admin` must be an Erbach admin); returns its one-time password.
    #[allow(dead_code)] // only the permission matrix (its own binary) calls it
    pub async fn new_account(&self, admin: &str, username: &str) -> String {
        let reply = self
            .call(
                admin,
                "create_user",
                &format!(
                    "username={username}&display_name={username}&email=&municipality_id=2&role=sachbearbeitung"
                ),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.json()["password"]
            .as_str()
            .expect("one-time password")
            .to_string()
    }
}

impl TestApp {
    /// Another server on the same data directory with other settings
    /// (e.g. `&[]` for a start without demo mode), as after a restart.
    pub async fn restart_with(self, settings: &[(&str, &str)]) -> TestApp {
        let dir = self.shut_down().await;
        let mut vars = vec![(
            "AKTENWERK_DATA_DIR".to_string(),
            dir.path().display().to_string(),
        )];
        vars.extend(settings.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let config = Config::from_vars(vars).expect("config");
        let state = server::startup::prepare(&config).await.expect("startup");
        let router = server::router(&config, state.clone());
        TestApp {
            router,
            state,
            dir,
            background: Default::default(),
        }
    }
}
