//! The permission matrix (issue 14): every server function and plain route
//! × every kind of principal × an object of another municipality.
//!
//! The list of endpoints comes from the server's own registries (the
//! server functions Leptos registers, `server::http::routes::plain_routes`),
//! so a new endpoint without a line in `permissions/matrix.rs` fails here.
//! Foreign ids must answer exactly like ids that do not exist.

// The matrix shares the test app of `tests/api` but not its process: run
// there, beside a hundred tests with their own runtimes and servers, it
// waited forever on a wake-up that never came (seen twice in a full run,
// never alone). Its own binary keeps it as reliable as before the merge.
#[path = "../api/common/mod.rs"]
#[allow(dead_code)] // the matrix uses only part of the shared test app
mod common;
mod matrix;

use axum::body::Body;
use axum::http::{header, Request};
use common::{Reply, TestApp, ORIGIN};
use matrix::{Call, Entry, Who, MATRIX};
use std::collections::{BTreeSet, HashMap};

/// What every fixture of Michelstadt carries in its title or text, so that
/// a leak shows up in any answer.
const MARKER: &str = "GEHEIMMIC";
/// An id that no table reaches.
const UNKNOWN: i64 = 987_654;

/// Placeholders of objects that belong to one municipality.
const SCOPED: [&str; 18] = [
    "document",
    "vertretung",
    "funktion",
    "scan_ordner",
    "postfach",
    "laufweg",
    "laufweg_step",
    "akte",
    "vorgang",
    "wiedervorlage",
    "zuweisung",
    "trashed",
    "user",
    "question",
    "announcement",
    "session",
    "run",
    "municipality",
];
/// Placeholders of objects every municipality shares.
const SHARED: [&str; 6] = [
    "guide",
    "guide_version",
    "faq",
    "tour",
    "proposal",
    "position",
];

fn registered_endpoints() -> BTreeSet<String> {
    let mut endpoints: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| format!("{method} {path}"))
        .collect();
    // The Leptos pages: rendered on the server with the caller's data.
    endpoints.extend(
        server::page_routes()
            .iter()
            .map(|route| format!("GET {}", route.path())),
    );
    endpoints.extend(
        server::http::routes::plain_routes(None, std::path::PathBuf::new())
            .iter()
            .map(|route| format!("{} {}", route.method, route.path)),
    );
    endpoints
}

#[test]
fn every_registered_endpoint_has_a_line_in_the_matrix_and_back() {
    let registered = registered_endpoints();
    let listed: BTreeSet<String> = MATRIX.iter().map(Entry::endpoint).collect();
    assert!(
        registered.len() > 90,
        "the server function registry looks empty: {registered:?}"
    );
    let missing: Vec<_> = registered.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "endpoints without a line in the permission matrix: {missing:?}\n\
         Add one line per endpoint to server/tests/permissions/matrix.rs \
         (MATRIX): the call with its arguments (ids as placeholders such as \
         {{document}}), who may use it, and who sees all municipalities there."
    );
    let stale: Vec<_> = listed.difference(&registered).collect();
    assert!(
        stale.is_empty(),
        "lines in server/tests/permissions/matrix.rs for endpoints the server \
         does not have: {stale:?}"
    );
}

#[test]
fn the_must_change_password_refusal_is_part_of_the_contract() {
    // Guards the matrix's own expectations: only these let a session with a
    // one-time password through.
    let through: Vec<String> = MATRIX
        .iter()
        .filter(|entry| entry.allowed & matrix::MUST_CHANGE != 0)
        .map(Entry::endpoint)
        .collect();
    assert_eq!(
        through,
        [
            "POST /api/current_user",
            "POST /api/change_password",
            "POST /anmelden",
            "GET /healthz",
            "GET /pkg/{*file}",
            "GET /anmelden",
            "GET /barrierefreiheit",
            "GET /konto/passwort",
            "POST /abmelden",
        ]
    );
}

struct Principal {
    name: &'static str,
    who: Who,
    cookie: Option<String>,
}

/// Which ids go into a call.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ids {
    /// Objects of Michelstadt; shared objects real only when the caller is
    /// refused anyway.
    Foreign,
    Unknown,
}

fn fill(template: &str, fixtures: &HashMap<&'static str, i64>, ids: Ids, allowed: bool) -> String {
    let mut text = template.to_string();
    for name in SCOPED {
        let value = match ids {
            Ids::Foreign => fixtures[name],
            Ids::Unknown => UNKNOWN,
        };
        text = text.replace(&format!("{{{name}}}"), &value.to_string());
    }
    for name in SHARED {
        let value = match ids {
            Ids::Foreign if !allowed => fixtures[name],
            _ => UNKNOWN,
        };
        text = text.replace(&format!("{{{name}}}"), &value.to_string());
    }
    text
}

fn has_scoped_placeholder(entry: &Entry) -> bool {
    let template = match entry.call {
        Call::Api(_, form) | Call::ApiJson(_, form) => form.to_string(),
        Call::Route { path, body, .. } => format!("{path} {body}"),
        Call::Page(_, path) => path.to_string(),
    };
    SCOPED
        .iter()
        .any(|name| template.contains(&format!("{{{name}}}")))
}

async fn make_call(
    app: &TestApp,
    entry: &Entry,
    cookie: Option<&str>,
    fixtures: &HashMap<&'static str, i64>,
    ids: Ids,
    allowed: bool,
) -> Reply {
    let (method, path, content_type, body) = match entry.call {
        Call::Api(name, form) => (
            "POST",
            format!("/api/{name}"),
            "application/x-www-form-urlencoded",
            fill(form, fixtures, ids, allowed).into_bytes(),
        ),
        Call::ApiJson(name, json) => (
            "POST",
            format!("/api/{name}"),
            "application/json",
            fill(json, fixtures, ids, allowed).into_bytes(),
        ),
        Call::Route {
            method,
            path,
            body,
            upload,
            ..
        } => {
            let path = fill(path, fixtures, ids, allowed);
            let bytes = if upload && path.contains(".pdf") {
                common::samples::pdf("Matrix")
            } else {
                body.as_bytes().to_vec()
            };
            let content_type = if upload {
                "application/octet-stream"
            } else {
                "application/x-www-form-urlencoded"
            };
            (method, path, content_type, bytes)
        }
        Call::Page(_, path) => (
            "GET",
            fill(path, fixtures, ids, allowed),
            "text/html",
            Vec::new(),
        ),
    };
    let mut builder = Request::builder()
        .method(method)
        .uri(&path)
        .header(header::HOST, "aktenwerk.test")
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    app.send(builder.body(Body::from(body)).expect("request"))
        .await
}

fn code(reply: &Reply) -> String {
    reply.json()["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn summary(reply: &Reply) -> String {
    let body: String = reply.body.chars().take(160).collect();
    let location = reply.location();
    if location.is_empty() {
        format!("{} {body}", reply.status.as_u16())
    } else {
        format!("{} -> {location}", reply.status.as_u16())
    }
}

fn is_route(entry: &Entry) -> bool {
    matches!(entry.call, Call::Route { .. } | Call::Page(..))
}

/// Is this the refusal `principal` must get from an endpoint it may not use?
fn expected_refusal(entry: &Entry, principal: &Principal, reply: &Reply) -> Result<(), String> {
    let status = reply.status.as_u16();
    let redirect_to =
        |prefix: &str| (300..400).contains(&status) && reply.location().starts_with(prefix);
    let ok = match principal.who {
        matrix::ANONYMOUS | matrix::DEACTIVATED => {
            status == 401 || (is_route(entry) && redirect_to("/anmelden"))
        }
        matrix::MUST_CHANGE => {
            (status == 403 && code(reply) == "password_change_required")
                || (is_route(entry) && redirect_to("/konto/passwort"))
        }
        _ => entry.refusal.contains(&status),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("not refused as expected: {}", summary(reply)))
    }
}

/// Practice mode is a property of the account, so switching it in a call
/// must be undone for the principal's next calls.
async fn restore_practice(app: &TestApp, entry: &Entry, principal: &Principal) {
    let Some(cookie) = principal.cookie.as_deref() else {
        return;
    };
    let undo = match entry.call {
        Call::Api("enter_practice", _) if principal.who != matrix::PRACTICE => "leave_practice",
        Call::Api("leave_practice", _) if principal.who == matrix::PRACTICE => "enter_practice",
        _ => return,
    };
    app.call(cookie, undo, "").await;
}

#[tokio::test]
async fn every_endpoint_refuses_foreign_objects_and_unauthorised_principals() {
    let app = TestApp::demo().await;
    let fixtures = fixtures(&app).await;
    let principals = principals(&app).await;
    let table = std::env::var_os("MATRIX_TABLE").is_some();

    let mut failures = Vec::new();
    for principal in &principals {
        for entry in MATRIX {
            let allowed = entry.allowed & principal.who != 0;
            let sees_all = entry.sees_all & principal.who != 0;
            let endpoint = entry.endpoint();
            let mut fail = |problem: String| {
                let note = if entry.note.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", entry.note)
                };
                failures.push(format!("{endpoint} as {}: {problem}{note}", principal.name));
            };
            let cookie = principal.cookie.as_deref();
            let first_ids = if sees_all && allowed {
                Ids::Unknown
            } else {
                Ids::Foreign
            };
            let first = make_call(&app, entry, cookie, &fixtures, first_ids, allowed).await;
            restore_practice(&app, entry, principal).await;
            let compare = !sees_all && has_scoped_placeholder(entry);
            let second = if compare {
                let reply = make_call(&app, entry, cookie, &fixtures, Ids::Unknown, allowed).await;
                restore_practice(&app, entry, principal).await;
                Some(reply)
            } else {
                None
            };
            if table {
                println!(
                    "{endpoint:55} {:22} {} | {}",
                    principal.name,
                    summary(&first).replace('\n', " "),
                    second
                        .as_ref()
                        .map(|r| summary(r).replace('\n', " "))
                        .unwrap_or_default()
                );
            }

            for reply in std::iter::once(&first).chain(second.as_ref()) {
                if reply.status.is_server_error() {
                    fail(format!("server error {}", summary(reply)));
                }
                if !sees_all && reply.body.contains(MARKER) {
                    fail(format!(
                        "data of another municipality in the answer: {}",
                        summary(reply)
                    ));
                }
                if allowed {
                    // With an object id a refusal can be the right answer
                    // (equal to the unknown id's, checked below); without
                    // one, who may use the endpoint must get through.
                    if entry.allowed != matrix::PUBLIC
                        && !has_scoped_placeholder(entry)
                        && matches!(reply.status.as_u16(), 401 | 403)
                    {
                        fail(format!("refused although allowed: {}", summary(reply)));
                    }
                } else {
                    if reply.status.is_success() {
                        fail(format!("answered {}", summary(reply)));
                    }
                    if let Err(problem) = expected_refusal(entry, principal, reply) {
                        fail(problem);
                    }
                }
            }
            if let Some(second) = &second {
                if (first.status, code(&first)) != (second.status, code(second)) {
                    fail(format!(
                        "a foreign id answers unlike an unknown one: foreign {} / unknown {}",
                        summary(&first),
                        summary(second)
                    ));
                }
            }
        }
        // The practising account is the clerk's too: switch practice off
        // before the clerk's turn.
        if principal.who == matrix::PRACTICE {
            if let Some(clerk) = principals.iter().find(|p| p.who == matrix::CLERK) {
                let reply = app
                    .call(
                        clerk.cookie.as_deref().unwrap_or_default(),
                        "leave_practice",
                        "",
                    )
                    .await;
                assert!(reply.status.is_success(), "leave: {}", reply.body);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} permission matrix failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Objects of Michelstadt (municipality 1), each marked with [`MARKER`],
/// and shared objects (guide, FAQ, tour, proposal, plan position).
async fn fixtures(app: &TestApp) -> HashMap<&'static str, i64> {
    let clerk = app.login_demo("sachbearbeitung.mic").await;
    let team = app.login_demo("projekt.mic").await;
    let id_of = |reply: Reply, what: &str| -> i64 {
        assert!(reply.status.is_success(), "{what}: {}", reply.body);
        let json = reply.json();
        json.as_i64()
            .or_else(|| json["id"].as_i64())
            .or_else(|| json["run_id"].as_i64())
            .unwrap_or_else(|| panic!("{what}: no id in {json}"))
    };
    let mut ids = HashMap::new();

    let akte = app
        .open_akte(&clerk, "621.1", &format!("{MARKER}-Akte"), "2026-11-02")
        .await;
    ids.insert("akte", akte);
    let reply = app
        .call(
            &clerk,
            "open_vorgang",
            &format!("akte_id={akte}&title={MARKER}-Vorgang&opened_on=2026-11-03"),
        )
        .await;
    ids.insert("vorgang", id_of(reply, "vorgang"));
    let reply = app
        .call(
            &clerk,
            "set_wiedervorlage",
            &format!(
                "kind=vorgang&id={}&for_user_id={}&due_on=2099-01-04&reason={MARKER}-Frist",
                ids["vorgang"],
                app.user_id("sachbearbeitung.mic").await
            ),
        )
        .await;
    ids.insert("wiedervorlage", id_of(reply, "wiedervorlage"));
    let reply = app
        .call(
            &clerk,
            "assign_to",
            &format!(
                "kind=vorgang&id={}&to_user_id={}&note={MARKER}-Notiz",
                ids["vorgang"],
                app.user_id("sachbearbeitung.mic").await
            ),
        )
        .await;
    ids.insert("zuweisung", id_of(reply, "zuweisung"));
    let (_, deputy) = app.colleague("vertretung.mic", "sachbearbeitung.mic").await;
    let reply = app
        .call(
            &clerk,
            "set_abwesenheit",
            &format!(
                "absent_id={}&deputy_id={deputy}&starts_on=2099-01-04&ends_on=2099-01-08&note={MARKER}-Urlaub",
                app.user_id("sachbearbeitung.mic").await
            ),
        )
        .await;
    ids.insert("vertretung", id_of(reply, "vertretung"));
    let mic_admin = app.login_demo("admin.mic").await;
    let reply = app
        .call(
            &mic_admin,
            "save_funktion",
            &format!("name={MARKER}-Bauamtsleitung"),
        )
        .await;
    ids.insert("funktion", id_of(reply, "funktion"));
    let reply = app
        .call(
            &mic_admin,
            "create_scan_ordner",
            &format!(
                "name={MARKER}-Poststelle&responsible_id={}&aktenzeichen=",
                app.user_id("sachbearbeitung.mic").await
            ),
        )
        .await;
    ids.insert("scan_ordner", id_of(reply, "scan_ordner"));
    // Connecting a Postfach logs in to a real server; the matrix needs
    // only one that exists, so it is written directly.
    let postfach: i64 = sqlx::query_scalar(
        "INSERT INTO postfaecher (municipality_id, name, host, port, encryption, login, password_sealed,
                                  folder, after_import, responsible_id, created_by, created_at)
         SELECT u.municipality_id, ?, '127.0.0.1', 9, 'keine', 'x', 'v1:x', 'INBOX', 'markieren', u.id, u.id, 0
         FROM users u WHERE u.username = 'sachbearbeitung.mic' RETURNING id",
    )
    .bind(format!("{MARKER}-Postfach"))
    .fetch_one(&app.state.pool)
    .await
    .expect("postfach");
    ids.insert("postfach", postfach);
    let reply = app
        .upload(
            &clerk,
            &format!("{MARKER}-Bescheid.txt"),
            &format!("&akte={akte}"),
            format!("{MARKER} Bescheid über die Baugenehmigung").as_bytes(),
        )
        .await;
    ids.insert("document", id_of(reply, "document"));
    let reply = app
        .call(
            &clerk,
            "start_laufweg",
            &format!(
                "document_id={}&title={MARKER}-Laufweg&steps[0][user_id]={}&steps[0][kind]=freigabe&steps[0][stage]=1",
                ids["document"],
                app.user_id("sachbearbeitung.mic").await
            ),
        )
        .await;
    ids.insert("laufweg", id_of(reply, "laufweg"));
    ids.insert(
        "laufweg_step",
        app.count(&format!(
            "SELECT id FROM laufweg_schritte WHERE laufweg_id = {}",
            ids["laufweg"]
        ))
        .await,
    );
    let trashed = app
        .upload_ok(
            &clerk,
            &format!("{MARKER}-Papierkorb.txt"),
            format!("{MARKER} weggeworfen").as_bytes(),
        )
        .await;
    let reply = app
        .call(
            &clerk,
            "bulk_documents",
            &format!("ids[0]={trashed}&action=trash&value="),
        )
        .await;
    assert!(reply.status.is_success(), "trash: {}", reply.body);
    ids.insert("trashed", trashed);
    ids.insert("user", app.user_id("sachbearbeitung.mic").await);
    ids.insert("municipality", 1);

    let reply = app
        .call(
            &clerk,
            "ask_question",
            &format!("text={MARKER}+Frage&page_path=/"),
        )
        .await;
    ids.insert("question", id_of(reply, "question"));
    let reply = app
        .call(
            &team,
            "save_announcement",
            &format!(
                "draft[title]={MARKER}+Mitteilung&draft[body]={MARKER}+Text&draft[municipalities][0]=1"
            ),
        )
        .await;
    ids.insert("announcement", id_of(reply, "announcement"));
    let reply = app
        .call(
            &team,
            "create_training_session",
            &format!(
                "session[title]={MARKER}+Termin&session[description]={MARKER}&session[trainer]=Team&session[starts]=2030-01-10T09:00&session[ends]=2030-01-10T11:00&session[place]=Rathaus&session[video_url]=&session[capacity]=5&session[municipality_ids][0]=1"
            ),
        )
        .await;
    let session = id_of(reply, "training session");
    ids.insert("session", session);
    let reply = app
        .call(&clerk, "register_for_session", &format!("id={session}"))
        .await;
    assert!(reply.status.is_success(), "register: {}", reply.body);
    let tour: i64 = app.count("SELECT MIN(id) FROM tours").await;
    ids.insert("tour", tour);
    let reply = app
        .call(&clerk, "start_tour", &format!("tour_id={tour}"))
        .await;
    ids.insert("run", id_of(reply, "tour run"));

    let reply = app
        .call(
            &team,
            "save_guide",
            "draft[kind]=dienstanweisung&draft[title]=Matrix-Dienstanweisung&draft[summary]=&draft[screens][0]=posteingang",
        )
        .await;
    let guide = id_of(reply, "guide");
    ids.insert("guide", guide);
    let pdf = common::samples::pdf("Dienstanweisung der Matrix");
    let request = Request::post(format!("/dienstanweisungen/{guide}/pdf?name=DA.pdf"))
        .header(header::HOST, "aktenwerk.test")
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, &team)
        .header(header::CONTENT_LENGTH, pdf.len())
        .body(Body::from(pdf))
        .expect("request");
    let reply = app.send(request).await;
    assert!(reply.status.is_success(), "guide pdf: {}", reply.body);
    ids.insert(
        "guide_version",
        app.count(&format!(
            "SELECT MAX(id) FROM guide_versions WHERE guide_id = {guide}"
        ))
        .await,
    );
    let reply = app
        .call(
            &team,
            "save_faq",
            "question=Matrix-Frage&answer=Matrix-Antwort",
        )
        .await;
    ids.insert("faq", id_of(reply, "faq"));
    let reply = app
        .call(
            &clerk,
            "propose_change",
            "proposal[kind]=rename&proposal[position_code]=621.3&proposal[new_code]=&proposal[title]=Matrix-Vorschlag&proposal[description]=&proposal[keywords]=&proposal[retention]=10&proposal[trigger]=Aktenschluss&proposal[appraisal]=B&proposal[justification]=Matrix-Begruendung",
        )
        .await;
    ids.insert("proposal", id_of(reply, "proposal"));
    ids.insert(
        "position",
        app.count("SELECT id FROM plan_positions WHERE code = '621.1' AND active = 1")
            .await,
    );

    // The fixtures are real: their owners reach them, so a refusal in the
    // matrix is about the caller, not about a broken fixture.
    for (cookie, function, form) in [
        (&clerk, "get_document", format!("id={}", ids["document"])),
        (&clerk, "get_akte", format!("id={}", ids["akte"])),
        (
            &clerk,
            "set_vorgang_status",
            format!("id={}&status=InProgress", ids["vorgang"]),
        ),
        (&clerk, "get_question", format!("id={}", ids["question"])),
        (
            &clerk,
            "get_training_session",
            format!("id={}", ids["session"]),
        ),
        (
            &clerk,
            "move_tour",
            format!("run_id={}&from=0&to=1", ids["run"]),
        ),
        (
            &team,
            "announcement_stats",
            format!("id={}", ids["announcement"]),
        ),
        (&team, "get_guide", format!("id={}", ids["guide"])),
    ] {
        let reply = app.call(cookie, function, &form).await;
        assert!(
            reply.status.is_success(),
            "fixture check {function}({form}): {}",
            reply.body
        );
    }
    let reply = app
        .get(
            &format!("/dokumente/{}/datei", ids["document"]),
            Some(&clerk),
        )
        .await;
    assert!(reply.status.is_success(), "download: {}", reply.status);
    ids
}

/// One session per principal, in the order the matrix runs them: the
/// all-municipality admin last, since what it may do reaches Michelstadt's
/// fixtures (emptying every trash).
async fn principals(app: &TestApp) -> Vec<Principal> {
    let admin = app.login_demo("admin.erb").await;
    let must_change = app.new_account(&admin, "matrix.wechsel").await;
    let must_change_cookie = app
        .login("matrix.wechsel", &must_change)
        .await
        .expect("one-time login");

    let former = app.new_account(&admin, "matrix.ehemalig").await;
    let first = app
        .login("matrix.ehemalig", &former)
        .await
        .expect("one-time login");
    let password = "Matrix-Passwort-2026";
    let reply = app
        .call(
            &first,
            "change_password",
            &format!("current={former}&new_password={password}&repeat={password}"),
        )
        .await;
    assert!(reply.status.is_success(), "change: {}", reply.body);
    let deactivated_cookie = app.login("matrix.ehemalig", password).await.expect("login");
    let id = app.user_id("matrix.ehemalig").await;
    let reply = app
        .call(&admin, "set_user_active", &format!("id={id}&active=false"))
        .await;
    assert!(reply.status.is_success(), "deactivate: {}", reply.body);

    let practising = app.login_demo("sachbearbeitung.erb").await;
    let reply = app.call(&practising, "enter_practice", "").await;
    assert!(reply.status.is_success(), "practice: {}", reply.body);
    // The clerk's own session runs first, outside practice mode; practice
    // is a property of the account, so the principals take turns.
    let clerk = app.login_demo("sachbearbeitung.erb").await;

    vec![
        Principal {
            name: "anonymous",
            who: matrix::ANONYMOUS,
            cookie: None,
        },
        Principal {
            name: "must-change-password",
            who: matrix::MUST_CHANGE,
            cookie: Some(must_change_cookie),
        },
        Principal {
            name: "deactivated",
            who: matrix::DEACTIVATED,
            cookie: Some(deactivated_cookie),
        },
        Principal {
            name: "schulung.erb",
            who: matrix::TRAINEE,
            cookie: Some(app.login_demo("schulung.erb").await),
        },
        Principal {
            name: "practice (sachb.erb)",
            who: matrix::PRACTICE,
            cookie: Some(practising),
        },
        Principal {
            name: "sachbearbeitung.erb",
            who: matrix::CLERK,
            cookie: Some(clerk),
        },
        Principal {
            name: "projekt.erb",
            who: matrix::PROJECT,
            cookie: Some(app.login_demo("projekt.erb").await),
        },
        Principal {
            name: "admin.erb",
            who: matrix::ADMIN,
            cookie: Some(admin),
        },
        Principal {
            name: "admin.mic (all)",
            who: matrix::ALL_ADMIN,
            cookie: Some(app.login_demo("admin.mic").await),
        },
    ]
}
