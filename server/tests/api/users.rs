//! User administration through its server functions: who may do what, and
//! that every change lands in the audit log.

use crate::common;

use axum::http::StatusCode;
use common::TestApp;

const ADMIN_FUNCTIONS: [(&str, &str); 7] = [
    ("list_users", ""),
    (
        "create_user",
        "username=neu.person&display_name=Neu&email=&municipality_id=1&role=sachbearbeitung",
    ),
    (
        "update_user",
        "id=1&display_name=X&email=&municipality_id=1&role=schulung",
    ),
    ("set_user_active", "id=1&active=false"),
    ("reset_password", "id=1"),
    ("list_audit", ""),
    ("verify_audit", ""),
];

#[tokio::test]
async fn staff_project_team_and_trainees_are_denied_every_admin_function() {
    let app = TestApp::demo().await;
    let before = app.count("SELECT COUNT(*) FROM audit_log").await;
    for username in ["sachbearbeitung.mic", "projekt.mic", "schulung.erb"] {
        let cookie = app.login_demo(username).await;
        for (function, form) in ADMIN_FUNCTIONS {
            let reply = app.call(&cookie, function, form).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{username} {function}");
            assert!(
                reply.body.contains("Berechtigung"),
                "{username} {function}: {}",
                reply.body
            );
        }
        // The page itself shows the refusal, not the data.
        let page = app.get("/verwaltung", Some(&cookie)).await;
        assert!(page.body.contains("Dafür fehlt Ihnen die Berechtigung."));
        assert!(!page.body.contains("admin.mic"));
    }
    let after = app.count("SELECT COUNT(*) FROM audit_log").await;
    assert_eq!(after - before, 3, "only the three logins were recorded");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE active = 0")
            .await,
        0
    );
}

#[tokio::test]
async fn anonymous_callers_get_401() {
    let app = TestApp::demo().await;
    let reply = app.post_form("/api/list_users", None, "").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.body.contains("nicht angemeldet"));
}

#[tokio::test]
async fn erbach_admin_manages_erbach_but_not_michelstadt() {
    let app = TestApp::demo().await;
    let cookie = app.login_demo("admin.erb").await;
    let michelstadt_user = app.user_id("sachbearbeitung.mic").await;
    let erbach_user = app.user_id("sachbearbeitung.erb").await;

    let list = app.call(&cookie, "list_users", "").await;
    assert_eq!(list.status, StatusCode::OK);
    let users = list.json()["users"].as_array().cloned().unwrap_or_default();
    assert_eq!(users.len(), 4);
    assert!(users.iter().all(|u| u["municipality_name"] == "Erbach"));
    let offered = list.json()["municipalities"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(offered.len(), 1, "only Erbach can be assigned");

    // Another municipality's accounts answer like unknown ones; moving an
    // own account there or creating one there is refused.
    for (function, form, expected) in [
        (
            "update_user",
            format!("id={michelstadt_user}&display_name=X&email=&municipality_id=1&role=schulung"),
            StatusCode::NOT_FOUND,
        ),
        (
            "set_user_active",
            format!("id={michelstadt_user}&active=false"),
            StatusCode::NOT_FOUND,
        ),
        (
            "reset_password",
            format!("id={michelstadt_user}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "update_user",
            format!("id={erbach_user}&display_name=X&email=&municipality_id=1&role=schulung"),
            StatusCode::FORBIDDEN,
        ),
        (
            "create_user",
            "username=fremd.mic&display_name=Fremd&email=&municipality_id=1&role=sachbearbeitung"
                .to_string(),
            StatusCode::FORBIDDEN,
        ),
    ] {
        let reply = app.call(&cookie, function, &form).await;
        assert_eq!(reply.status, expected, "{function} {form}");
    }
    let unchanged: (String, String, i64) =
        sqlx::query_as("SELECT display_name, role, active FROM users WHERE id = ?")
            .bind(michelstadt_user)
            .fetch_one(&app.state.pool)
            .await
            .expect("user");
    assert_eq!(
        unchanged,
        (
            "Sachbearbeitung Michelstadt".into(),
            "sachbearbeitung".into(),
            1
        )
    );

    // Within Erbach it works, but granting "all municipalities" does not
    // (nor the project team: see
    // `erbach_admin_cannot_create_or_promote_a_project_team_account`).
    let reply = app
        .call(
            &cookie,
            "update_user",
            &format!("id={erbach_user}&display_name=Erika Muster&email=erika@erbach.de&municipality_id=2&role=schulung"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = app
        .call(
            &cookie,
            "update_user",
            &format!("id={erbach_user}&display_name=Erika Muster&email=&municipality_id=2&role=administration&all_municipalities=on"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("alle Gemeinden"));
}

#[tokio::test]
async fn central_admin_manages_all_municipalities() {
    let app = TestApp::demo().await;
    let cookie = app.login_demo("admin.mic").await;
    let list = app.call(&cookie, "list_users", "").await;
    assert_eq!(list.json()["users"].as_array().map(Vec::len), Some(17));
    let erbach_user = app.user_id("sachbearbeitung.erb").await;
    let reply = app
        .call(
            &cookie,
            "update_user",
            &format!("id={erbach_user}&display_name=Umgezogen&email=&municipality_id=3&role=sachbearbeitung"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let municipality: i64 = sqlx::query_scalar("SELECT municipality_id FROM users WHERE id = ?")
        .bind(erbach_user)
        .fetch_one(&app.state.pool)
        .await
        .expect("user");
    assert_eq!(municipality, 3);
}

#[tokio::test]
async fn created_account_logs_in_with_its_one_time_password_and_must_change_it() {
    let app = TestApp::demo().await;
    let admin = app.login_demo("admin.obz").await;
    let reply = app
        .call(
            &admin,
            "create_user",
            "username=Lena.Vogel&display_name=Lena Vogel&email=lena.vogel@oberzent.de&municipality_id=3&role=sachbearbeitung",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let otp = reply.json();
    assert_eq!(otp["username"], "lena.vogel");
    let password = otp["password"].as_str().expect("password").to_string();

    let cookie = app.login("lena.vogel", &password).await.expect("login");
    let reply = app.get("/", Some(&cookie)).await;
    assert_eq!(reply.location(), "/konto/passwort");

    // Same name again: a clear conflict, nothing written.
    let reply = app
        .call(
            &admin,
            "create_user",
            "username=lena.vogel&display_name=Andere&email=&municipality_id=3&role=schulung",
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.body.contains("bereits vergeben"));

    // Invalid input: German message, 422.
    let reply = app
        .call(
            &admin,
            "create_user",
            "username=jürgen&display_name=J&email=&municipality_id=3&role=sachbearbeitung",
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Umlaute"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE municipality_id = 3")
            .await,
        5
    );
}

#[tokio::test]
async fn deactivation_and_reset_end_sessions_at_once() {
    let app = TestApp::demo().await;
    let admin = app.login_demo("admin.bro").await;
    let staff = app.login_demo("sachbearbeitung.bro").await;
    let staff_id = app.user_id("sachbearbeitung.bro").await;
    assert_eq!(app.get("/", Some(&staff)).await.status, StatusCode::OK);

    let reply = app
        .call(
            &admin,
            "set_user_active",
            &format!("id={staff_id}&active=false"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        app.get("/", Some(&staff)).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(app
        .login("sachbearbeitung.bro", common::DEMO_PASSWORD)
        .await
        .is_none());

    let reply = app
        .call(
            &admin,
            "set_user_active",
            &format!("id={staff_id}&active=true"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let staff = app.login_demo("sachbearbeitung.bro").await;
    let reply = app
        .call(&admin, "reset_password", &format!("id={staff_id}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        app.get("/", Some(&staff)).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(app
        .login("sachbearbeitung.bro", common::DEMO_PASSWORD)
        .await
        .is_none());

    // Admins cannot lock themselves out.
    let own_id = app.user_id("admin.bro").await;
    let reply = app
        .call(
            &admin,
            "set_user_active",
            &format!("id={own_id}&active=false"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn every_change_is_in_an_intact_audit_chain() {
    let app = TestApp::demo().await;
    let admin = app.login_demo("admin.mic").await;
    let staff_id = app.user_id("sachbearbeitung.erb").await;
    app.call(&admin, "reset_password", &format!("id={staff_id}"))
        .await;
    app.call(
        &admin,
        "set_user_active",
        &format!("id={staff_id}&active=false"),
    )
    .await;
    let audit = app.call(&admin, "list_audit", "").await;
    let actions: Vec<String> = audit
        .json()
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e["action"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        actions[..3],
        ["user_deactivated", "password_reset", "login"]
    );

    let report = app.call(&admin, "verify_audit", "").await;
    assert_eq!(report.json()["first_broken_id"], serde_json::Value::Null);

    // An Erbach admin sees only Erbach's entries.
    let erbach = app.login_demo("admin.erb").await;
    let audit = app.call(&erbach, "list_audit", "").await;
    let entries = audit.json().as_array().cloned().unwrap_or_default();
    assert!(!entries.is_empty());
    assert!(entries.iter().all(|e| e["municipality"] == "Erbach"));
}

/// A Michelstadt administrator who is *not* responsible for all
/// municipalities, created by the central admin; returns its cookie after
/// the forced password change.
async fn municipal_admin_of_michelstadt(app: &TestApp) -> String {
    let central = app.login_demo("admin.mic").await;
    let reply = app
        .call(
            &central,
            "create_user",
            "username=it.mic&display_name=IT Michelstadt&email=&municipality_id=1&role=administration",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let otp = reply.json()["password"]
        .as_str()
        .expect("password")
        .to_string();
    let cookie = app.login("it.mic", &otp).await.expect("login");
    let reply = app
        .call(
            &cookie,
            "change_password",
            &format!(
                "current={otp}&new_password=Eigenes-Passwort-2026&repeat=Eigenes-Passwort-2026"
            ),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    cookie
}

async fn account_state(app: &TestApp, id: i64) -> (String, String, String, bool, bool) {
    sqlx::query_as(
        "SELECT display_name, role, password_hash, all_municipalities, active FROM users WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&app.state.pool)
    .await
    .expect("user")
}

#[tokio::test]
async fn municipal_admin_cannot_act_on_accounts_with_wider_rights() {
    let app = TestApp::demo().await;
    let cookie = municipal_admin_of_michelstadt(&app).await;
    for target in ["admin", "admin.mic", "projekt.mic"] {
        let id = app.user_id(target).await;
        let before = account_state(&app, id).await;
        for (function, form) in [
            ("reset_password", format!("id={id}")),
            ("set_user_active", format!("id={id}&active=false")),
            (
                "update_user",
                format!(
                    "id={id}&display_name=Geändert&email=&municipality_id=1&role=sachbearbeitung"
                ),
            ),
            (
                "update_user",
                format!(
                    "id={id}&display_name=Geändert&email=&municipality_id=1&role=administration"
                ),
            ),
        ] {
            let reply = app.call(&cookie, function, &form).await;
            assert_eq!(
                reply.status,
                StatusCode::FORBIDDEN,
                "{target} {function}: {}",
                reply.body
            );
            assert!(!reply.body.contains("password\":"), "{}", reply.body);
        }
        assert_eq!(account_state(&app, id).await, before, "{target} unchanged");
        // Still signs in with its own password.
        assert!(app.login(target, common::DEMO_PASSWORD).await.is_some());
    }
    // Deactivating the already deactivated, or reactivating: refused too.
    let projekt = app.user_id("projekt.mic").await;
    let reply = app
        .call(
            &cookie,
            "set_user_active",
            &format!("id={projekt}&active=true"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    // Its own municipality's ordinary accounts it does manage.
    let clerk = app.user_id("sachbearbeitung.mic").await;
    let reply = app
        .call(&cookie, "reset_password", &format!("id={clerk}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    // The list marks what it may not change, and offers no project team.
    let list = app.call(&cookie, "list_users", "").await;
    assert_eq!(list.status, StatusCode::OK);
    let read_only: Vec<i64> = list.json()["read_only"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_i64())
        .collect();
    for target in ["admin", "admin.mic", "projekt.mic"] {
        assert!(read_only.contains(&app.user_id(target).await), "{target}");
    }
    assert!(!read_only.contains(&clerk));
    assert_eq!(list.json()["can_grant_project_team"], false);
    let page = app.get("/verwaltung", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains("Nur die gemeindeübergreifende Administration kann dieses Konto ändern."));
    assert!(!page.body.contains("value=\"projektteam\""));
    // The central admin still sees and offers everything.
    let central = app.login_demo("admin.mic").await;
    let page = app.get("/verwaltung", Some(&central)).await;
    assert!(!page
        .body
        .contains("Nur die gemeindeübergreifende Administration"));
    assert!(page.body.contains("value=\"projektteam\""));
}

#[tokio::test]
async fn erbach_admin_cannot_create_or_promote_a_project_team_account() {
    let app = TestApp::demo().await;
    let cookie = app.login_demo("admin.erb").await;
    let users_before = app.count("SELECT COUNT(*) FROM users").await;
    let reply = app
        .call(
            &cookie,
            "create_user",
            "username=team.erb&display_name=Team&email=&municipality_id=2&role=projektteam",
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users_before);

    let clerk = app.user_id("sachbearbeitung.erb").await;
    let reply = app
        .call(
            &cookie,
            "update_user",
            &format!("id={clerk}&display_name=Sachbearbeitung Erbach&email=&municipality_id=2&role=projektteam"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    let role: String = sqlx::query_scalar("SELECT role FROM users WHERE id = ?")
        .bind(clerk)
        .fetch_one(&app.state.pool)
        .await
        .expect("role");
    assert_eq!(role, "sachbearbeitung");

    // Erbach's existing project team account is out of reach as well:
    // no reset (which would hand the admin its cross-municipality view).
    let team = app.user_id("projekt.erb").await;
    let before = account_state(&app, team).await;
    for (function, form) in [
        ("reset_password", format!("id={team}")),
        ("set_user_active", format!("id={team}&active=false")),
        (
            "update_user",
            format!("id={team}&display_name=X&email=&municipality_id=2&role=schulung"),
        ),
    ] {
        let reply = app.call(&cookie, function, &form).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{function}: {}",
            reply.body
        );
    }
    assert_eq!(account_state(&app, team).await, before);

    // The central admin may grant it.
    let central = app.login_demo("admin.mic").await;
    let reply = app
        .call(
            &central,
            "create_user",
            "username=team.erb&display_name=Team&email=&municipality_id=2&role=projektteam",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}
