//! The project team's voice: announcements with targeting and
//! acknowledgement statistics, Dienstanweisungen/Leitfäden with versions,
//! and questions whose threads only the asker and the team see.

use crate::common;

use axum::http::StatusCode;
use common::{samples, TestApp};

const ERBACH: i64 = 2;

fn encode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)])
        .expect("encode")
        .trim_start_matches('=')
        .to_string()
}

/// The editor's struct argument: `draft[field]=value`.
fn draft(title: &str, body: &str, municipalities: &[i64], extra: &[(&str, &str)]) -> String {
    let mut parts = vec![
        format!("draft%5Btitle%5D={}", encode(title)),
        format!("draft%5Bbody%5D={}", encode(body)),
    ];
    for (i, m) in municipalities.iter().enumerate() {
        parts.push(format!("draft%5Bmunicipalities%5D%5B{i}%5D={m}"));
    }
    for (field, value) in extra {
        parts.push(format!("draft%5B{field}%5D={}", encode(value)));
    }
    parts.join("&")
}

async fn publish(app: &TestApp, team: &str, form: &str) -> i64 {
    let reply = app.call(team, "save_announcement", form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json().as_i64().expect("id")
}

fn titles(news: &serde_json::Value, list: &str) -> Vec<String> {
    news[list]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["title"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn an_erbach_only_announcement_is_invisible_to_michelstadt() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let erbach = app.login_demo("sachbearbeitung.erb").await;
    let michelstadt = app.login_demo("sachbearbeitung.mic").await;
    let id = publish(
        &app,
        &team,
        &draft(
            "Scanner in Erbach",
            "Ab Montag **nur noch** scannen.",
            &[ERBACH],
            &[("requires_ack", "true")],
        ),
    )
    .await;

    // Erbach: count, banner, list.
    let status = app.call(&erbach, "comms_status", "").await.json();
    assert_eq!(status["unread_news"], 1, "{status}");
    assert_eq!(status["banner"][0]["id"], id);
    assert_eq!(status["banner"][0]["requires_ack"], true);
    let news = app.call(&erbach, "list_news", "").await.json();
    assert_eq!(titles(&news, "current"), vec!["Scanner in Erbach"]);
    assert_eq!(news["current"][0]["unread"], true);
    let page = app.get("/neuigkeiten", Some(&erbach)).await;
    assert!(page.body.contains("Scanner in Erbach"));
    // Opening the list read it: the count drops, the banner stays until acknowledged.
    let status = app.call(&erbach, "comms_status", "").await.json();
    assert_eq!(status["unread_news"], 0);
    assert_eq!(status["banner"].as_array().map(Vec::len), Some(1));

    // Michelstadt: not in the count, page, API, and cannot acknowledge it.
    let status = app.call(&michelstadt, "comms_status", "").await.json();
    assert_eq!(status["unread_news"], 0, "{status}");
    assert_eq!(status["banner"].as_array().map(Vec::len), Some(0));
    let page = app.get("/neuigkeiten", Some(&michelstadt)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Scanner in Erbach"));
    let news = app.call(&michelstadt, "list_news", "").await.json();
    assert!(titles(&news, "current").is_empty(), "{news}");
    assert!(titles(&news, "archive").is_empty());
    let reply = app
        .call(
            &michelstadt,
            "acknowledge_announcement",
            &format!("id={id}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // The Michelstadt project team is addressed by home municipality too.
    let news = app.call(&team, "list_news", "").await.json();
    assert!(titles(&news, "current").is_empty());

    // Erbach acknowledges with one click; the banner is gone.
    let reply = app
        .call(&erbach, "acknowledge_announcement", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let status = app.call(&erbach, "comms_status", "").await.json();
    assert_eq!(status["banner"].as_array().map(Vec::len), Some(0));
    let acknowledged = app
        .count("SELECT COUNT(*) FROM announcement_receipts WHERE acknowledged_at IS NOT NULL")
        .await;
    assert_eq!(acknowledged, 1);
}

#[tokio::test]
async fn roles_scheduling_and_expiry_are_respected() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let clerk = app.login_demo("sachbearbeitung.obz").await;
    let admin = app.login_demo("admin.obz").await;
    publish(
        &app,
        &team,
        &draft(
            "Nur für Administration",
            "Text",
            &[],
            &[("roles%5D%5B0", "administration")],
        ),
    )
    .await;
    publish(
        &app,
        &team,
        &draft(
            "Kommt später",
            "Text",
            &[],
            &[("publish_at", "2099-01-01T08:00")],
        ),
    )
    .await;
    let clerk_news = app.call(&clerk, "list_news", "").await.json();
    assert!(titles(&clerk_news, "current").is_empty(), "{clerk_news}");
    let admin_news = app.call(&admin, "list_news", "").await.json();
    assert_eq!(
        titles(&admin_news, "current"),
        vec!["Nur für Administration"]
    );
    // The team's overview shows the scheduled one as such.
    let managed = app
        .call(&team, "list_managed_announcements", "")
        .await
        .json();
    let scheduled = managed
        .as_array()
        .and_then(|list| list.iter().find(|a| a["title"] == "Kommt später"))
        .expect("listed");
    assert_eq!(scheduled["phase"], "Scheduled");
    // Expiry moves it into the archive (set directly: no waiting in tests).
    sqlx::query("UPDATE announcements SET publish_at = publish_at - 200, expire_at = publish_at - 100 WHERE title = 'Nur für Administration'")
        .execute(&app.state.pool)
        .await
        .expect("expire");
    let admin_news = app.call(&admin, "list_news", "").await.json();
    assert!(titles(&admin_news, "current").is_empty());
    assert_eq!(
        titles(&admin_news, "archive"),
        vec!["Nur für Administration"]
    );
}

#[tokio::test]
async fn acknowledgement_statistics_add_up() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let id = publish(
        &app,
        &team,
        &draft(
            "Neue Dienstzeiten",
            "Bitte lesen.",
            &[],
            &[("requires_ack", "true")],
        ),
    )
    .await;
    for user in ["sachbearbeitung.erb", "schulung.erb", "sachbearbeitung.bro"] {
        let cookie = app.login_demo(user).await;
        assert_eq!(
            app.call(&cookie, "list_news", "").await.status,
            StatusCode::OK
        );
    }
    for user in ["sachbearbeitung.erb", "admin.mic"] {
        let cookie = app.login_demo(user).await;
        let reply = app
            .call(&cookie, "acknowledge_announcement", &format!("id={id}"))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        // A second click changes nothing.
        app.call(&cookie, "acknowledge_announcement", &format!("id={id}"))
            .await;
    }
    let stats = app
        .call(&team, "announcement_stats", &format!("id={id}"))
        .await;
    assert_eq!(stats.status, StatusCode::OK, "{}", stats.body);
    let stats = stats.json();
    let active = app
        .count("SELECT COUNT(*) FROM users WHERE active = 1")
        .await;
    assert_eq!(stats["total"]["addressed"], active);
    assert_eq!(
        stats["total"]["read"], 4,
        "three readers, one acknowledged without reading first"
    );
    assert_eq!(stats["total"]["acknowledged"], 2);
    let rows = stats["per_municipality"].as_array().expect("rows");
    for field in ["addressed", "read", "acknowledged"] {
        let sum: i64 = rows
            .iter()
            .map(|r| r["counts"][field].as_i64().unwrap_or(0))
            .sum();
        assert_eq!(sum, stats["total"][field].as_i64().unwrap_or(-1), "{field}");
    }
    let erbach = rows
        .iter()
        .find(|r| r["municipality"] == "Erbach")
        .expect("Erbach row");
    assert_eq!(erbach["counts"]["read"], 2);
    assert_eq!(erbach["counts"]["acknowledged"], 1);
    let people = erbach["people"].as_array().expect("people");
    assert_eq!(
        people.len() as i64,
        erbach["counts"]["addressed"].as_i64().unwrap_or(0)
    );
    // Staff do not see statistics.
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let reply = app
        .call(&clerk, "announcement_stats", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .call(&clerk, "save_announcement", &draft("X", "Y", &[], &[]))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn markdown_in_announcements_renders_harmless() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let body = "Hallo <script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n[Klick](javascript:alert(1)) [Gut](https://hessen.de)\n\n<div onclick=\"alert(2)\">Block</div>\n";
    publish(&app, &team, &draft("Sicherheit", body, &[], &[])).await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let page = app.get("/neuigkeiten", Some(&clerk)).await;
    assert!(page.body.contains("Sicherheit"));
    for forbidden in ["<script>alert", "<img", "javascript:", "<div onclick"] {
        assert!(!page.body.contains(forbidden), "{forbidden} in the page");
    }
    assert!(page.body.contains("&lt;script&gt;"));
    assert!(page.body.contains("href=\"https://hessen.de\""));
}

#[tokio::test]
async fn bad_input_is_refused_with_german_messages() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let cases = [
        (draft("", "Text", &[], &[]), "Titel"),
        (draft("Titel", "  ", &[], &[]), "Text"),
        (draft("Titel", "Text", &[9], &[]), "Gemeinden"),
        (
            draft("Titel", "Text", &[], &[("publish_at", "morgen früh")]),
            "ungültig",
        ),
        (
            draft(
                "Titel",
                "Text",
                &[],
                &[
                    ("publish_at", "2099-01-02T08:00"),
                    ("expire_at", "2099-01-01T08:00"),
                ],
            ),
            "Ablauf",
        ),
    ];
    for (form, expected) in cases {
        let reply = app.call(&team, "save_announcement", &form).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form}: {}",
            reply.body
        );
        let message = reply.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(message.contains(expected), "{form}: {message}");
    }
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let reply = app
        .call(&clerk, "ask_question", "text=%20&page_path=/suche")
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.json()["message"]
        .as_str()
        .unwrap_or_default()
        .contains("Frage"));
    let reply = app
        .call(
            &team,
            "save_guide",
            "draft%5Bkind%5D=handbuch&draft%5Btitle%5D=X",
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_question_thread_is_visible_only_to_asker_and_project_team() {
    let app = TestApp::demo().await;
    let asker = app.login_demo("sachbearbeitung.erb").await;
    let colleague = app.login_demo("sachbearbeitung.mic").await;
    let erbach_admin = app.login_demo("admin.erb").await;
    let team = app.login_demo("projekt.obz").await;
    let reply = app
        .call(
            &asker,
            "ask_question",
            "text=Wie+lege+ich+eine+Akte+an%3F&page_path=/aktenplan/621",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let id = reply.json().as_i64().expect("id");
    let stored: String = sqlx::query_scalar("SELECT page_path FROM questions WHERE id = ?")
        .bind(id)
        .fetch_one(&app.state.pool)
        .await
        .expect("question");
    assert_eq!(stored, "/aktenplan/621");

    for outsider in [&colleague, &erbach_admin] {
        let reply = app
            .call(outsider, "get_question", &format!("id={id}"))
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let reply = app
            .call(
                outsider,
                "reply_question",
                &format!("id={id}&text=Ich+weiß+es"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let list = app.call(outsider, "list_questions", "").await.json();
        assert_eq!(list[0].as_array().map(Vec::len), Some(0), "{list}");
        assert!(
            list[1].is_null(),
            "only the team lists everyone's questions"
        );
        let page = app.get(&format!("/fragen/{id}"), Some(outsider)).await;
        assert!(!page.body.contains("Wie lege ich eine Akte an"));
    }

    // The team sees it waiting and answers.
    let status = app.call(&team, "comms_status", "").await.json();
    assert_eq!(status["waiting_questions"], 1);
    let reply = app
        .call(
            &team,
            "reply_question",
            &format!("id={id}&text=Im+Aktenplan+auf+%E2%80%9EAkte+anlegen%E2%80%9C."),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answered: Option<i64> =
        sqlx::query_scalar("SELECT first_answered_at FROM questions WHERE id = ?")
            .bind(id)
            .fetch_one(&app.state.pool)
            .await
            .expect("question");
    assert!(answered.is_some());

    // The asker is told in the header, reads the thread, the hint goes.
    let status = app.call(&asker, "comms_status", "").await.json();
    assert_eq!(status["unseen_answers"], 1);
    let thread = app.call(&asker, "get_question", &format!("id={id}")).await;
    assert_eq!(thread.status, StatusCode::OK);
    let thread = thread.json();
    assert_eq!(thread["messages"].as_array().map(Vec::len), Some(2));
    assert_eq!(thread["messages"][1]["from_team"], true);
    let status = app.call(&asker, "comms_status", "").await.json();
    assert_eq!(status["unseen_answers"], 0);

    // A good answer becomes a FAQ entry everyone reads; staff cannot do that.
    let reply = app
        .call(&asker, "question_to_faq", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .call(&team, "question_to_faq", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let faq = app.call(&colleague, "list_faq", "").await.json();
    assert_eq!(faq["entries"][0]["question"], "Wie lege ich eine Akte an?");
    assert!(faq["entries"][0]["answer"]
        .as_str()
        .unwrap_or_default()
        .contains("Akte anlegen"));
    let audited = app
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'faq_created'")
        .await;
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn guide_versions_and_acknowledgement() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let reply = app
        .call(
            &team,
            "save_guide",
            "draft%5Bkind%5D=dienstanweisung&draft%5Btitle%5D=Scannen+im+Posteingang&draft%5Bsummary%5D=&draft%5Bscreens%5D%5B0%5D=posteingang",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let id = reply.json().as_i64().expect("id");
    // Without content staff do not see it; the "?" says there is nothing yet.
    let library = app.call(&clerk, "guide_library", "").await.json();
    assert_eq!(library["guides"].as_array().map(Vec::len), Some(0));
    let help = app
        .call(&clerk, "get_guide", "screen=posteingang")
        .await
        .json();
    assert!(help.is_null(), "{help}");

    let reply = app
        .call(
            &team,
            "add_guide_text",
            &format!("id={id}&body=%23+Regeln%0A%0AAlles+scannen.&change_note=Erste+Fassung&requires_ack=true"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json(), 1);
    let library = app.call(&clerk, "guide_library", "").await.json();
    assert_eq!(library["guides"][0]["open_ack"], true);
    let status = app.call(&clerk, "comms_status", "").await.json();
    assert_eq!(status["banner"][0]["kind"], "Guide");
    let help = app
        .call(&clerk, "get_guide", "screen=posteingang")
        .await
        .json();
    assert_eq!(help["id"], id);
    assert!(help["versions"][0]["body_html"]
        .as_str()
        .unwrap_or_default()
        .contains("<h3>Regeln</h3>"));

    let reply = app
        .call(&clerk, "acknowledge_guide", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let status = app.call(&clerk, "comms_status", "").await.json();
    assert_eq!(status["banner"].as_array().map(Vec::len), Some(0));

    // A typo fix asks nobody again; a new binding version does.
    app.call(
        &team,
        "add_guide_text",
        &format!("id={id}&body=Alles+scannen%2C+bitte.&change_note=Tippfehler"),
    )
    .await;
    let guide = app
        .call(&clerk, "get_guide", &format!("id={id}"))
        .await
        .json();
    assert_eq!(guide["versions"].as_array().map(Vec::len), Some(2));
    assert!(guide["my_ack"].is_string(), "{guide}");
    let pdf = samples::pdf("Dienstanweisung Version 3");
    let request = axum::http::Request::post(format!(
        "/dienstanweisungen/{id}/pdf?name=DA-Scannen.pdf&hinweis=Neu+geregelt&kenntnisnahme=1"
    ))
    .header("host", "aktenwerk.test")
    .header("origin", common::ORIGIN)
    .header("cookie", &team)
    .body(axum::body::Body::from(pdf.clone()))
    .expect("request");
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.json()["version"], 3);
    let guide = app
        .call(&clerk, "get_guide", &format!("id={id}"))
        .await
        .json();
    assert_eq!(
        guide["versions"].as_array().map(Vec::len),
        Some(3),
        "{guide}"
    );
    assert!(
        guide["my_ack"].is_null(),
        "version 3 must be acknowledged again"
    );
    let version_id = guide["versions"][0]["id"].as_i64().expect("version id");
    let file = app
        .get(
            &format!("/dienstanweisungen/versionen/{version_id}/datei?ansicht=1"),
            Some(&clerk),
        )
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers["content-type"], "application/pdf");
    assert_eq!(file.bytes, pdf);
    // The team sees who acknowledged, per municipality.
    let guide = app
        .call(&team, "get_guide", &format!("id={id}"))
        .await
        .json();
    assert!(guide["ack_stats"].is_array());

    // Only the team uploads, and only PDFs.
    let upload = |cookie: &str, bytes: Vec<u8>, name: &str| {
        axum::http::Request::post(format!("/dienstanweisungen/{id}/pdf?name={name}"))
            .header("host", "aktenwerk.test")
            .header("origin", common::ORIGIN)
            .header("cookie", cookie)
            .body(axum::body::Body::from(bytes))
            .expect("request")
    };
    let reply = app.send(upload(&clerk, samples::pdf("x"), "a.pdf")).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .send(upload(&team, b"Nur Text, kein PDF".to_vec(), "a.pdf"))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        reply.body
    );
    let audited = app
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'guide_version_published'")
        .await;
    assert_eq!(audited, 3);
}

/// The editors' live preview is the published rendering: Markdown becomes
/// the allowed markup, HTML stays text, and a text over the limit gets the
/// message saving it would give. Only the project team may ask.
#[tokio::test]
async fn the_markdown_preview_renders_like_the_published_text() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let text = "# Neu\n\nBitte **nur noch** hier scannen.\n\n<script>alert(1)</script>";
    let reply = app
        .call(&team, "preview_markdown", &format!("text={}", encode(text)))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let html = reply.json().as_str().unwrap_or_default().to_string();
    assert!(html.contains("<h3>Neu</h3>"), "{html}");
    assert!(html.contains("<strong>nur noch</strong>"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(!html.contains("<script>"), "{html}");

    let long = "a".repeat(100_001);
    let reply = app
        .call(&team, "preview_markdown", &format!("text={long}"))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.json()["message"]
        .as_str()
        .unwrap_or_default()
        .contains("zu lang"));

    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let reply = app.call(&clerk, "preview_markdown", "text=x").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
}
