//! Postfächer against a real IMAP server (Dovecot on loopback, started by
//! `scripts/imap-server.sh`): each new message becomes one document with
//! its attachments linked, exactly once, across a new UIDVALIDITY, a
//! dropped connection and a stop between storing and noting; broken
//! messages are taken as far as they can be read, refused ones reported
//! and left alone.

use crate::common::imap::{mail, mail_with_pdf, ImapServer, Relay, PASSWORD, USER};
use crate::common::{samples, TestApp};
use app::postfach::fetch::fetch_all;
use app::postfach::Round;
use axum::http::StatusCode;

/// The create form for Erbach's Poststelle on `port` (plain IMAP).
fn form(port: u16, folder: &str, after: &str, move_to: &str, responsible: i64) -> String {
    serde_urlencoded::to_string([
        ("form[name]", "Poststelle"),
        ("form[host]", "127.0.0.1"),
        ("form[port]", &port.to_string()),
        ("form[encryption]", "keine"),
        ("form[login]", USER),
        ("form[password]", PASSWORD),
        ("form[folder]", folder),
        ("form[after_import]", after),
        ("form[move_to]", move_to),
        ("form[responsible_id]", &responsible.to_string()),
        ("form[aktenzeichen]", ""),
    ])
    .expect("form")
}

async fn connect(app: &TestApp, port: u16, folder: &str, after: &str, move_to: &str) -> i64 {
    let admin = app.login_demo("admin.erb").await;
    let clerk = app.user_id("sachbearbeitung.erb").await;
    app.call_ok(
        &admin,
        "create_postfach",
        &form(port, folder, after, move_to, clerk),
    )
    .await
    .as_i64()
    .expect("id")
}

async fn fetch(app: &TestApp) -> Round {
    fetch_all(&app.state).await.expect("fetch")
}

async fn mails(app: &TestApp) -> i64 {
    app.count(
        "SELECT COUNT(*) FROM documents d JOIN document_versions v ON v.document_id = d.id
         WHERE d.municipality_id = 2 AND v.kind = 'eml'",
    )
    .await
}

async fn documents(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM documents WHERE municipality_id = 2")
        .await
}

async fn last_error(app: &TestApp, id: i64) -> Option<String> {
    sqlx::query_scalar("SELECT last_error FROM postfaecher WHERE id = ?")
        .bind(id)
        .fetch_one(&app.state.pool)
        .await
        .expect("error")
}

#[tokio::test]
async fn a_message_becomes_one_document_with_its_attachment_linked_and_is_marked_read() {
    let imap = ImapServer::start();
    let app = TestApp::demo().await;
    connect(&app, imap.port, "", "markieren", "").await;
    let pdf = samples::pdf("Antrag auf Baugenehmigung Flurstück 12");
    imap.append("INBOX", &mail_with_pdf("Bauantrag Flurstück 12/3", &pdf))
        .await;
    let before = documents(&app).await;

    assert_eq!(
        fetch(&app).await,
        Round {
            stored: 1,
            ..Round::default()
        }
    );
    assert_eq!(documents(&app).await, before + 2, "the message and its PDF");
    assert_eq!(fetch(&app).await, Round::default(), "taken once");
    assert_eq!(documents(&app).await, before + 2);
    assert_eq!(imap.messages("INBOX").await, vec![(1, true)], "marked read");

    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let inbox = app.call_ok(&clerk, "load_inbox", "").await;
    let message = inbox
        .as_array()
        .and_then(|all| all.iter().find(|d| d["kind_label"] == "E-Mail (EML)"))
        .unwrap_or_else(|| panic!("in the Posteingang: {inbox}"));
    assert_eq!(message["title"], "Bauantrag Flurstück 12/3");
    assert_eq!(
        message["correspondent"],
        "Bauamt Beerfelden <bauamt@example.de>"
    );
    assert_eq!(message["document_date"], "2026-12-01");
    assert_eq!(
        message["uploaded_by"],
        "Sachbearbeitung Erbach über Postfach „Poststelle“"
    );
    let id = message["id"].as_i64().expect("id");
    let detail = app
        .call_ok(&clerk, "get_document", &format!("id={id}"))
        .await;
    let linked = detail["linked"].as_array().expect("linked");
    assert_eq!(
        linked.len(),
        1,
        "one attachment, the inline logo is none: {detail}"
    );
    assert_eq!(linked[0]["is_message"], false);
    assert_eq!(linked[0]["name"], "Antrag");
    let attachment = linked[0]["document_id"].as_i64().expect("opens");
    let back = app
        .call_ok(&clerk, "get_document", &format!("id={attachment}"))
        .await;
    assert_eq!(back["linked"][0]["is_message"], true);
    assert_eq!(back["linked"][0]["document_id"], id);
    assert_eq!(
        back["summary"]["uploaded_by"],
        "Sachbearbeitung Erbach über Postfach „Poststelle“, Anhang"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'mail_stored' AND object_id = '{id}'
               AND actor_name = 'Postfach „Poststelle“ (für Sachbearbeitung Erbach)'"
        ))
        .await,
        1
    );
    // Another municipality reads nothing of it.
    let foreign = app.login_demo("sachbearbeitung.mic").await;
    let reply = app
        .call(&foreign, "get_document", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn html_only_and_broken_messages_are_taken_once_and_oversized_ones_reported_and_left() {
    let imap = ImapServer::start();
    let app = TestApp::with(&[("AKTENWERK_DEMO", "true"), ("AKTENWERK_MAX_UPLOAD_MB", "1")]).await;
    connect(&app, imap.port, "", "loeschen", "").await;
    let html = "From: presse@example.de\r\nSubject: Einladung Bürgerversammlung\r\n\
                MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
                <html><body><p>Einladung zur <b>Bürgerversammlung</b></p><script>x()</script></body></html>\r\n";
    let broken = "From: kaputt@example.de\r\nSubject: Abgebrochen\r\nMIME-Version: 1.0\r\n\
                  Content-Type: multipart/mixed; boundary=\"nie\"\r\n\r\n--nie\r\n\
                  Content-Type: application/pdf; name=\"halb.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
                  JVBERi0xLjcK!!!kein base64";
    let big = mail("Großer Plan", &"Zeile mit Text\n".repeat(80_000));
    imap.append("INBOX", html.as_bytes()).await;
    imap.append("INBOX", broken.as_bytes()).await;
    imap.append("INBOX", &big).await;

    let round = fetch(&app).await;
    assert_eq!((round.stored, round.refused), (2, 1), "{round:?}");
    assert_eq!(mails(&app).await, 2);
    assert_eq!(
        imap.messages("INBOX").await,
        vec![(3, false)],
        "taken ones deleted, the refused one left as it was"
    );
    assert_eq!(fetch(&app).await, Round::default(), "nothing retried");
    assert_eq!(mails(&app).await, 2);

    let admin = app.login_demo("admin.erb").await;
    let overview = app.call_ok(&admin, "load_postfaecher", "").await;
    assert_eq!(overview["rows"][0]["stored"], 2);
    assert_eq!(overview["rows"][0]["refused"], 1);
    assert_eq!(overview["refusals"][0]["what"], "Großer Plan");
    let reason = overview["refusals"][0]["why"].as_str().expect("reason");
    assert!(reason.contains("größer als die erlaubten 1 MB"), "{reason}");
    assert!(reason.contains("unverändert im Postfach"), "{reason}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM documents WHERE title IN ('Einladung Bürgerversammlung', 'Abgebrochen')")
            .await,
        2
    );
}

#[tokio::test]
async fn a_new_uidvalidity_takes_only_messages_not_taken_before() {
    let imap = ImapServer::start();
    let app = TestApp::demo().await;
    imap.create("Poststelle").await;
    connect(&app, imap.port, "Poststelle", "markieren", "").await;
    let first = mail("Antrag Kita-Platz", "Bitte um einen Platz ab März.");
    let second = mail("Widerspruch Gebührenbescheid", "Hiermit widerspreche ich.");
    imap.append("Poststelle", &first).await;
    imap.append("Poststelle", &second).await;
    assert_eq!(fetch(&app).await.stored, 2);

    // The server renumbers the folder (a migration, a rebuilt index).
    imap.recreate("Poststelle").await;
    imap.append("Poststelle", &first).await;
    imap.append("Poststelle", &second).await;
    imap.append(
        "Poststelle",
        &mail("Anfrage Straßenbeleuchtung", "Die Lampe ist aus."),
    )
    .await;
    assert_eq!(
        fetch(&app).await,
        Round {
            stored: 1,
            duplicates: 2,
            ..Round::default()
        }
    );
    assert_eq!(mails(&app).await, 3);
    assert_eq!(
        imap.messages("Poststelle").await,
        vec![(1, true), (2, true), (3, true)]
    );
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT uidvalidity) FROM postfach_nachrichten")
            .await,
        2
    );
}

#[tokio::test]
async fn a_connection_dropped_mid_message_leaves_nothing_and_the_next_round_takes_it_once() {
    let imap = ImapServer::start();
    let relay = Relay::start(imap.port).await;
    let app = TestApp::demo().await;
    imap.create("Erledigt").await;
    let id = connect(&app, relay.port, "", "verschieben", "Erledigt").await;
    let pdf = samples::pdf(&"Lageplan mit vielen Einzelheiten ".repeat(4000));
    imap.append("INBOX", &mail_with_pdf("Lageplan", &pdf)).await;
    let before = documents(&app).await;

    relay.cut_after(40_000);
    assert_eq!(fetch(&app).await, Round::default());
    assert_eq!(documents(&app).await, before, "nothing half-written");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM postfach_nachrichten").await,
        0
    );
    assert!(
        last_error(&app, id).await.is_some(),
        "the page says the fetch failed"
    );

    relay.cut_after(0);
    assert_eq!(fetch(&app).await.stored, 1);
    assert_eq!(documents(&app).await, before + 2);
    assert_eq!(imap.messages("INBOX").await, vec![], "moved away");
    assert_eq!(imap.messages("Erledigt").await.len(), 1);
    assert_eq!(fetch(&app).await, Round::default());
    assert_eq!(
        last_error(&app, id).await,
        None,
        "cleared by the fetch that worked"
    );
}

#[tokio::test]
async fn a_stop_between_storing_and_noting_never_stores_twice() {
    let imap = ImapServer::start();
    let app = TestApp::demo().await;
    connect(&app, imap.port, "", "markieren", "").await;
    let pdf = samples::pdf("Rechnung Winterdienst");
    imap.append("INBOX", &mail_with_pdf("Rechnung Winterdienst", &pdf))
        .await;
    assert_eq!(fetch(&app).await.stored, 1);
    let before = documents(&app).await;

    // As if the server had stopped after the documents were committed but
    // before the message was noted as taken and marked on the server: the
    // row says 'taking', one attachment link is missing, the message is
    // unread.
    sqlx::query(
        "UPDATE postfach_nachrichten SET outcome = 'taking', document_id = NULL, settled = 0",
    )
    .execute(&app.state.pool)
    .await
    .expect("reset");
    sqlx::query("DELETE FROM dokument_anhaenge")
        .execute(&app.state.pool)
        .await
        .expect("reset");
    let mut session = imap.session().await;
    session.select("INBOX").await.expect("select");
    use futures_util::TryStreamExt;
    let _: Vec<_> = session
        .uid_store("1", "-FLAGS.SILENT (\\Seen)")
        .await
        .expect("store")
        .try_collect()
        .await
        .expect("unflag");
    session.logout().await.expect("logout");
    let app = app.restart().await;

    assert_eq!(fetch(&app).await.stored, 1, "completed");
    assert_eq!(documents(&app).await, before, "no second document");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM dokument_anhaenge WHERE anhang_id IS NOT NULL")
            .await,
        1,
        "the attachment linked again"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM postfach_nachrichten WHERE outcome = 'stored' AND settled = 1"
        )
        .await,
        1
    );
    assert_eq!(imap.messages("INBOX").await, vec![(1, true)]);
}

#[tokio::test]
async fn connecting_tries_the_login_first_and_keeps_the_password_sealed() {
    let imap = ImapServer::start();
    let ca = imap.ca.display().to_string();
    let app = TestApp::with(&[("AKTENWERK_DEMO", "true"), ("AKTENWERK_MAIL_CA_FILE", &ca)]).await;
    let admin = app.login_demo("admin.erb").await;
    let clerk = app.user_id("sachbearbeitung.erb").await;
    let refused = |form: String| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let reply = app.call(&admin, "create_postfach", &form).await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                reply.body
            );
            reply.json()["message"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        }
    };
    let wrong = form(imap.port, "", "markieren", "", clerk).replace("Brief-2026%21", "falsch");
    assert!(refused(wrong)
        .await
        .contains("Anmeldung als „poststelle“ wurde abgelehnt"));
    let missing = form(imap.port, "Gibtsnicht", "markieren", "", clerk);
    assert!(refused(missing).await.contains("Ordner „Gibtsnicht“"));
    let no_target = form(imap.port, "", "verschieben", "Erledigt", clerk);
    assert!(refused(no_target).await.contains("„Erledigt“"));
    let untrusted = TestApp::demo().await;
    let untrusted_admin = untrusted.login_demo("admin.erb").await;
    let tls = form(
        imap.tls_port,
        "",
        "markieren",
        "",
        untrusted.user_id("sachbearbeitung.erb").await,
    )
    .replace("127.0.0.1", "localhost")
    .replace("form%5Bencryption%5D=keine", "form%5Bencryption%5D=tls");
    let reply = untrusted
        .call(&untrusted_admin, "create_postfach", &tls)
        .await;
    assert!(
        reply.body.contains("AKTENWERK_MAIL_CA_FILE"),
        "{}",
        reply.body
    );
    let open = form(imap.port, "", "markieren", "", clerk).replace("127.0.0.1", "imap.example.de");
    assert!(refused(open)
        .await
        .contains("nur für einen Server auf diesem Rechner"));
    assert_eq!(app.count("SELECT COUNT(*) FROM postfaecher").await, 0);

    // Over TLS, the certificate checked against IT's CA.
    let tls = form(imap.tls_port, "", "markieren", "", clerk)
        .replace("127.0.0.1", "localhost")
        .replace("form%5Bencryption%5D=keine", "form%5Bencryption%5D=tls");
    let id = app
        .call_ok(&admin, "create_postfach", &tls)
        .await
        .as_i64()
        .expect("id");
    imap.append("INBOX", &mail("Über TLS", "Verschlüsselt abgerufen."))
        .await;
    assert_eq!(
        app.call_ok(&admin, "fetch_postfach_now", &format!("id={id}"))
            .await,
        "Abgerufen: 1 Nachricht übernommen."
    );
    let sealed: String = sqlx::query_scalar("SELECT password_sealed FROM postfaecher")
        .fetch_one(&app.state.pool)
        .await
        .expect("sealed");
    assert!(sealed.starts_with("v1:") && !sealed.contains(PASSWORD));
    let audit: String =
        sqlx::query_scalar("SELECT details FROM audit_log WHERE action = 'postfach_created'")
            .fetch_one(&app.state.pool)
            .await
            .expect("audit");
    assert!(
        !audit.contains(PASSWORD) && !audit.contains("v1:"),
        "{audit}"
    );

    // Another municipality's Administration neither fetches nor removes it.
    let foreign = app.login_demo("admin.mic").await;
    for function in ["fetch_postfach_now", "remove_postfach"] {
        let reply = app.call(&foreign, function, &format!("id={id}")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{function}");
    }
    app.call_ok(&admin, "remove_postfach", &format!("id={id}"))
        .await;
    imap.append("INBOX", &mail("Nach dem Entfernen", "Bleibt liegen."))
        .await;
    assert_eq!(fetch(&app).await, Round::default());
}

#[tokio::test]
async fn a_deactivated_clerk_leaves_the_messages_on_the_server_and_says_so() {
    let imap = ImapServer::start();
    let app = TestApp::demo().await;
    let id = connect(&app, imap.port, "", "loeschen", "").await;
    imap.append("INBOX", &mail("Wartet", "Noch nicht abholen."))
        .await;
    sqlx::query("UPDATE users SET active = 0 WHERE username = 'sachbearbeitung.erb'")
        .execute(&app.state.pool)
        .await
        .expect("deactivate");
    assert_eq!(fetch(&app).await, Round::default());
    assert_eq!(imap.messages("INBOX").await.len(), 1);
    let admin = app.login_demo("admin.erb").await;
    let overview = app.call_ok(&admin, "load_postfaecher", "").await;
    assert_eq!(overview["rows"][0]["id"], id);
    assert_eq!(overview["rows"][0]["responsible_inactive"], true);
    let error = overview["rows"][0]["last_error"]
        .as_str()
        .unwrap_or_default();
    assert!(error.contains("deaktiviert"), "{error}");
}

/// What a clerk drags out of Outlook: the message is stored with its
/// subject, sender and day, its attachment becomes a linked document, and
/// a Word file named „.msg“ is refused.
#[tokio::test]
async fn an_outlook_message_uploaded_in_the_browser_brings_its_attachment() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let msg = include_bytes!("../../../extract/tests/fixtures/widerspruch.msg");
    let reply = app.upload(&clerk, "Widerspruch.msg", "", msg).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let answer = reply.json();
    assert_eq!(
        answer["title"],
        "Widerspruch Straßenausbaubeitrag – Flurstück 12/3"
    );
    let id = answer["id"].as_i64().expect("id");
    let detail = app
        .call_ok(&clerk, "get_document", &format!("id={id}"))
        .await;
    assert_eq!(detail["summary"]["kind_label"], "Outlook-Nachricht (MSG)");
    assert_eq!(
        detail["summary"]["correspondent"],
        "Jürgen Müller <j.mueller@example.org>"
    );
    assert_eq!(detail["summary"]["document_date"], "2025-03-04");
    let linked = detail["linked"].as_array().expect("linked");
    assert_eq!(
        linked.len(),
        1,
        "the PDF; hidden and inline pictures are none: {detail}"
    );
    assert_eq!(linked[0]["name"], "Antrag Müller");
    let attachment = linked[0]["document_id"].as_i64().expect("opens");
    let back = app
        .call_ok(&clerk, "get_document", &format!("id={attachment}"))
        .await;
    assert_eq!(
        back["summary"]["uploaded_by"],
        "Sachbearbeitung Erbach über Anhang einer E-Mail"
    );
    assert_eq!(back["linked"][0]["document_id"], id);

    // The same message again is a duplicate; nothing is unpacked twice.
    let again = app.upload(&clerk, "Kopie.msg", "", msg).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM dokument_anhaenge").await, 1);

    // A compound file that is no Outlook message (an old Word file).
    let mut word = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    word.extend_from_slice(&[0; 504]);
    let refused = app.upload(&clerk, "Alt.msg", "", &word).await;
    assert_eq!(
        refused.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("älteres"), "{}", refused.body);
}

/// An EML uploaded in the browser is unpacked like one from a Postfach.
#[tokio::test]
async fn an_eml_uploaded_in_the_browser_brings_its_attachment() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let pdf = samples::pdf("Lageplan Flurstück 7");
    let reply = app
        .upload(
            &clerk,
            "Nachricht.eml",
            "",
            &mail_with_pdf("Lageplan", &pdf),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.json()["title"], "Lageplan");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM dokument_anhaenge WHERE anhang_id IS NOT NULL")
            .await,
        1
    );
}

/// An attachment of a kind Aktenwerk does not take stays inside the
/// message; the document page says which and why.
#[tokio::test]
async fn a_refused_attachment_is_listed_with_its_reason() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let raw = "From: verein@example.de\r\nSubject: Satzung\r\nMIME-Version: 1.0\r\n\
               Content-Type: multipart/mixed; boundary=\"g\"\r\n\r\n--g\r\n\
               Content-Type: text/plain\r\n\r\nAnbei das Programm.\r\n--g\r\n\
               Content-Type: application/octet-stream; name=\"setup.exe\"\r\n\
               Content-Disposition: attachment; filename=\"setup.exe\"\r\n\
               Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAA=\r\n--g--\r\n";
    let reply = app.upload(&clerk, "Satzung.eml", "", raw.as_bytes()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let id = reply.json()["id"].as_i64().expect("id");
    let detail = app
        .call_ok(&clerk, "get_document", &format!("id={id}"))
        .await;
    let linked = &detail["linked"][0];
    assert_eq!(linked["name"], "setup.exe", "{detail}");
    assert_eq!(linked["document_id"], serde_json::Value::Null);
    let refusal = linked["refusal"].as_str().unwrap_or_default();
    assert!(refusal.contains("Windows-Programm"), "{refusal}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM documents WHERE title = 'setup'")
            .await,
        0,
        "nothing stored for it"
    );
}

/// A Postfach for one Akte: its messages and their attachments are filed
/// there at once, not in the Posteingang.
#[tokio::test]
async fn a_postfach_with_an_akte_files_messages_and_attachments_there() {
    let imap = ImapServer::start();
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let akte = app
        .open_akte(&clerk, "621.1", "Bauantrag Lindenweg", "2026-11-02")
        .await;
    let zeichen: String = sqlx::query_scalar("SELECT aktenzeichen FROM akten WHERE id = ?")
        .bind(akte)
        .fetch_one(&app.state.pool)
        .await
        .expect("Aktenzeichen");
    let admin = app.login_demo("admin.erb").await;
    let responsible = app.user_id("sachbearbeitung.erb").await;
    let form = form(imap.port, "", "markieren", "", responsible).replace(
        "form%5Baktenzeichen%5D=",
        &format!("form%5Baktenzeichen%5D={}", zeichen.replace(' ', "+")),
    );
    app.call_ok(&admin, "create_postfach", &form).await;
    let pdf = samples::pdf("Statik Lindenweg");
    imap.append("INBOX", &mail_with_pdf("Statik", &pdf)).await;
    assert_eq!(fetch(&app).await.stored, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM documents WHERE akte_id = {akte} AND arrived_via LIKE 'Postfach%'"
        ))
        .await,
        2,
        "the message and its PDF"
    );
}
