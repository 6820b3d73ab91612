//! Login, sessions, throttling and CSRF against the real router and a real
//! SQLite file.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{TestApp, DEMO_PASSWORD};

#[tokio::test]
async fn login_succeeds_redirects_to_target_and_sets_a_hardened_cookie() {
    let app = TestApp::demo().await;
    let reply = app
        .post_form(
            "/anmelden",
            None,
            &format!("benutzername=Sachbearbeitung.MIC&passwort={DEMO_PASSWORD}&weiter=/suche"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), "/suche");
    let cookie = reply
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let pair = cookie.split(';').next().expect("pair");
    let page = app.get("/", Some(pair)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains("Guten Tag, Sachbearbeitung Michelstadt!"));
    assert!(page.body.contains("lang=\"de\""));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'login'")
            .await,
        1
    );
}

#[tokio::test]
async fn login_never_redirects_off_site() {
    let app = TestApp::demo().await;
    let reply = app
        .post_form(
            "/anmelden",
            None,
            &format!("benutzername=admin.mic&passwort={DEMO_PASSWORD}&weiter=//evil.example/x"),
        )
        .await;
    assert_eq!(reply.location(), "/");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let app = TestApp::demo().await;
    let wrong = app
        .post_form("/anmelden", None, "benutzername=admin.mic&passwort=falsch")
        .await;
    let unknown = app
        .post_form("/anmelden", None, "benutzername=niemand&passwort=falsch")
        .await;
    assert_eq!(wrong.status, StatusCode::SEE_OTHER);
    assert_eq!(wrong.location(), "/anmelden?fehler=ungueltig");
    assert_eq!(unknown.location(), wrong.location());
    assert!(wrong.headers.get(header::SET_COOKIE).is_none());
    let page = app.get(wrong.location(), None).await;
    assert!(page
        .body
        .contains("Benutzername oder Passwort ist nicht korrekt."));
}

#[tokio::test]
async fn api_clients_get_json_and_status_codes() {
    let app = TestApp::demo().await;
    let request = Request::post("/anmelden")
        .header(header::HOST, "aktenwerk.test")
        .header(header::ORIGIN, common::ORIGIN)
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("benutzername=admin.mic&passwort=falsch"))
        .expect("request");
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.json()["fehler"]
        .as_str()
        .is_some_and(|m| m.contains("nicht korrekt")));
}

#[tokio::test]
async fn repeated_failures_lock_the_name_even_for_the_right_password() {
    let app = TestApp::demo().await;
    for _ in 0..5 {
        let reply = app
            .post_form("/anmelden", None, "benutzername=admin.erb&passwort=falsch")
            .await;
        assert_eq!(reply.location(), "/anmelden?fehler=ungueltig");
    }
    let locked = app
        .post_form(
            "/anmelden",
            None,
            &format!("benutzername=admin.erb&passwort={DEMO_PASSWORD}"),
        )
        .await;
    assert!(
        locked
            .location()
            .starts_with("/anmelden?fehler=gesperrt&minuten="),
        "{}",
        locked.location()
    );
    assert!(locked.headers.get(header::SET_COOKIE).is_none());
    // Unknown names are throttled the same way: no account enumeration.
    for _ in 0..5 {
        app.post_form("/anmelden", None, "benutzername=gibtsnicht&passwort=x")
            .await;
    }
    let unknown = app
        .post_form("/anmelden", None, "benutzername=gibtsnicht&passwort=x")
        .await;
    assert!(unknown.location().starts_with("/anmelden?fehler=gesperrt"));
    // Other accounts are unaffected.
    assert!(app.login("admin.mic", DEMO_PASSWORD).await.is_some());
    let page = app.get(locked.location(), None).await;
    assert!(page
        .body
        .contains("Zu viele fehlgeschlagene Anmeldeversuche"));
}

#[tokio::test]
async fn idle_and_absolute_expiry_end_the_session() {
    let app = TestApp::demo().await;
    let cookie = app.login_demo("sachbearbeitung.erb").await;
    assert_eq!(app.get("/", Some(&cookie)).await.status, StatusCode::OK);

    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 2 * 3600")
        .execute(&app.state.pool)
        .await
        .expect("age session");
    let reply = app.get("/posteingang", Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.location(),
        "/anmelden?weiter=/posteingang&abgelaufen=1"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);

    let cookie = app.login_demo("sachbearbeitung.erb").await;
    sqlx::query("UPDATE sessions SET created_at = created_at - 13 * 3600")
        .execute(&app.state.pool)
        .await
        .expect("age session");
    let reply = app.call(&cookie, "current_user", "").await;
    assert_eq!(reply.json(), serde_json::Value::Null, "{}", reply.body);
}

#[tokio::test]
async fn login_rotates_the_session_and_logout_ends_it() {
    let app = TestApp::demo().await;
    let first = app.login_demo("projekt.mic").await;
    // Logging in again from the same browser replaces the old session.
    let reply = app
        .post_form(
            "/anmelden",
            Some(&first),
            &format!("benutzername=projekt.mic&passwort={DEMO_PASSWORD}"),
        )
        .await;
    let second = reply
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .expect("new cookie")
        .to_string();
    assert_ne!(first, second);
    assert_eq!(
        app.get("/", Some(&first)).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.get("/", Some(&second)).await.status, StatusCode::OK);

    let reply = app.post_form("/abmelden", Some(&second), "").await;
    assert_eq!(reply.location(), "/anmelden?abgemeldet=1");
    assert!(reply
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.contains("Max-Age=0")));
    assert_eq!(
        app.get("/", Some(&second)).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'logout'")
            .await,
        1
    );
}

#[tokio::test]
async fn state_changing_requests_from_other_sites_are_refused() {
    let app = TestApp::demo().await;
    let cookie = app.login_demo("admin.mic").await;
    let target = app.user_id("sachbearbeitung.mic").await;
    let form = format!("id={target}&active=false");

    for (origin, referer) in [
        (Some("http://evil.example"), None),
        (None, Some("http://evil.example/page")),
        (None, None),
        (Some("null"), None),
    ] {
        let mut builder = Request::post("/api/set_user_active")
            .header(header::HOST, "aktenwerk.test")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            builder = builder.header(header::ORIGIN, origin);
        }
        if let Some(referer) = referer {
            builder = builder.header(header::REFERER, referer);
        }
        let reply = app
            .send(builder.body(Body::from(form.clone())).expect("request"))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{origin:?} {referer:?}"
        );
        assert!(reply.body.contains("aus Sicherheitsgründen abgelehnt"));
    }
    let active: bool = sqlx::query_scalar("SELECT active FROM users WHERE id = ?")
        .bind(target)
        .fetch_one(&app.state.pool)
        .await
        .expect("user");
    assert!(active, "nothing changed");

    // A forged login (login CSRF) is refused too.
    let request = Request::post("/anmelden")
        .header(header::HOST, "aktenwerk.test")
        .header(header::ORIGIN, "http://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "benutzername=admin.mic&passwort={DEMO_PASSWORD}"
        )))
        .expect("request");
    assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);

    // The same call from our own origin works.
    let reply = app.call(&cookie, "set_user_active", &form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_nonce_csp() {
    let app = TestApp::demo().await;
    let reply = app.get("/anmelden", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let header = |name: &str| {
        reply
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("x-frame-options"), "DENY");
    assert_eq!(header("cache-control"), "no-store");
    let csp = header("content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("nonce in CSP");
    assert!(!csp.contains("unsafe-inline"));
    // Every inline script carries the nonce.
    let scripts = reply.body.matches("<script").count();
    let with_nonce = reply.body.matches(&format!("nonce=\"{nonce}\"")).count();
    assert!(
        scripts > 0 && with_nonce >= scripts,
        "{scripts} scripts, {with_nonce} with nonce"
    );
}

#[tokio::test]
async fn health_check_and_german_404() {
    let app = TestApp::demo().await;
    let health = app.get("/healthz", None).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json()["status"], "ok");

    let cookie = app.login_demo("sachbearbeitung.bro").await;
    let missing = app.get("/gibt/es/nicht", Some(&cookie)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Seite nicht gefunden"));
}

#[tokio::test]
async fn first_start_without_demo_creates_only_an_admin_with_a_generated_password() {
    let app = TestApp::with(&[]).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    let must_change: bool =
        sqlx::query_scalar("SELECT must_change_password FROM users WHERE username = 'admin'")
            .fetch_one(&app.state.pool)
            .await
            .expect("admin");
    assert!(must_change);
    // No fixed default password works.
    assert!(app.login("admin", DEMO_PASSWORD).await.is_none());
    assert!(app.login("admin", "admin").await.is_none());
}

#[tokio::test]
async fn configured_admin_password_works_and_forced_change_redirects() {
    let app = TestApp::with(&[("AKTENWERK_ADMIN_PASSWORD", "Odenwald-Rathaus-2026")]).await;
    let cookie = app
        .login("admin", "Odenwald-Rathaus-2026")
        .await
        .expect("login");
    assert_eq!(app.get("/", Some(&cookie)).await.status, StatusCode::OK);

    // After an admin reset the user is sent to change the password first.
    sqlx::query("UPDATE users SET must_change_password = 1 WHERE username = 'admin'")
        .execute(&app.state.pool)
        .await
        .expect("flag");
    let reply = app.get("/verwaltung", Some(&cookie)).await;
    assert_eq!(reply.location(), "/konto/passwort");
    let reply = app
        .call(
            &cookie,
            "change_password",
            "current=Odenwald-Rathaus-2026&new_password=Neues-Passwort-fuer-2027&repeat=Neues-Passwort-fuer-2027",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        app.get("/verwaltung", Some(&cookie)).await.status,
        StatusCode::OK
    );
    assert!(app
        .login("admin", "Neues-Passwort-fuer-2027")
        .await
        .is_some());
}

/// A form post to `/anmelden` as if from `address` (the client-address
/// layer reads the connection's address).
fn login_request(username: &str, password: &str, address: [u8; 4]) -> Request<Body> {
    let mut request = Request::post("/anmelden")
        .header(header::HOST, "aktenwerk.test")
        .header(header::ORIGIN, common::ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "benutzername={username}&passwort={password}"
        )))
        .expect("request");
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            address, 40000,
        ))));
    request
}

async fn wrong_password_failures(app: &TestApp) -> i64 {
    app.count(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed'
         AND json_extract(details, '$.reason') = 'wrong_password'",
    )
    .await
}

#[tokio::test]
async fn a_burst_of_parallel_guesses_reaches_the_password_check_at_most_five_times() {
    let app = TestApp::demo().await;
    let attacker = [198, 51, 100, 7];
    let mut burst = tokio::task::JoinSet::new();
    for i in 0..20 {
        let router = app.router.clone();
        let request = login_request("admin.erb", &format!("falsch-{i}"), attacker);
        burst.spawn(async move {
            use tower::ServiceExt;
            router.oneshot(request).await.expect("infallible").status()
        });
    }
    let mut answered = 0;
    while let Some(status) = burst.join_next().await {
        assert_eq!(status.expect("task"), StatusCode::SEE_OTHER);
        answered += 1;
    }
    assert_eq!(answered, 20);
    let checked = wrong_password_failures(&app).await;
    assert!(
        (1..=5).contains(&checked),
        "{checked} guesses reached the password check"
    );

    // Carrying on only makes the delay grow (a few more tries, so a slow
    // test machine cannot outlast the first short delays) …
    for i in 0..3 {
        app.send(login_request("admin.erb", &format!("weiter-{i}"), attacker))
            .await;
    }
    // … and the attacker's address waits, even with the right password …
    let reply = app
        .send(login_request("admin.erb", DEMO_PASSWORD, attacker))
        .await;
    assert!(
        reply.location().starts_with("/anmelden?fehler=gesperrt"),
        "{}",
        reply.location()
    );
    // … but the account's owner at another address is not locked out.
    let reply = app
        .send(login_request("admin.erb", DEMO_PASSWORD, [203, 0, 113, 9]))
        .await;
    assert!(
        reply.headers.get(header::SET_COOKIE).is_some(),
        "{}",
        reply.location()
    );
    assert_eq!(reply.location(), "/");
}

#[tokio::test]
async fn one_address_spraying_many_accounts_is_slowed_down_too() {
    let app = TestApp::demo().await;
    let sprayer = [198, 51, 100, 8];
    let mut throttled = false;
    // Fewer than five per account, but many accounts from one address.
    'spray: for round in 0..4 {
        for n in 0..20 {
            let reply = app
                .send(login_request(
                    &format!("gibt.es.nicht.{n}"),
                    &format!("x{round}"),
                    sprayer,
                ))
                .await;
            if reply.location().starts_with("/anmelden?fehler=gesperrt") {
                throttled = true;
                break 'spray;
            }
        }
    }
    assert!(throttled, "the per-address budget never ran out");
    assert!(app.login("admin.erb", DEMO_PASSWORD).await.is_some());
}

#[tokio::test]
async fn changing_the_password_is_throttled_like_the_login() {
    let app = TestApp::demo().await;
    let cookie = app.login_demo("sachbearbeitung.erb").await;
    for _ in 0..5 {
        let reply = app
            .call(
                &cookie,
                "change_password",
                "current=geraten-123&new_password=Neues-Passwort-2026&repeat=Neues-Passwort-2026",
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
    }
    let reply = app
        .call(
            &cookie,
            "change_password",
            &format!("current={DEMO_PASSWORD}&new_password=Neues-Passwort-2026&repeat=Neues-Passwort-2026"),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("Minute"), "{}", reply.body);
    // Nothing changed; the login is counted apart and still works.
    assert!(app
        .login("sachbearbeitung.erb", DEMO_PASSWORD)
        .await
        .is_some());
}

#[tokio::test]
async fn a_one_time_password_session_may_only_change_the_password() {
    let app = TestApp::demo().await;
    let central = app.login_demo("admin.mic").await;
    let target = app.user_id("admin.erb").await;
    let reply = app
        .call(&central, "reset_password", &format!("id={target}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let otp = reply.json()["password"]
        .as_str()
        .expect("password")
        .to_string();
    let cookie = app.login("admin.erb", &otp).await.expect("login");

    let refused = |reply: &common::Reply, what: &str| {
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{what}: {}",
            reply.body
        );
        assert_eq!(reply.json()["code"], "password_change_required", "{what}");
        assert!(
            reply.json()["message"]
                .as_str()
                .is_some_and(|m| m.contains("Einmal-Passwort")),
            "{what}: {}",
            reply.body
        );
    };
    for (function, form) in [
        ("list_users", ""),
        ("load_inbox", ""),
        ("comms_status", ""),
        (
            "reset_password",
            format!("id={}", app.user_id("sachbearbeitung.erb").await).as_str(),
        ),
    ] {
        refused(&app.call(&cookie, function, form).await, function);
    }
    refused(
        &app.upload(&cookie, "brief.txt", "", b"Hallo").await,
        "upload",
    );
    refused(
        &app.get("/export/aktenplan.csv", Some(&cookie)).await,
        "aktenplan.csv",
    );
    refused(
        &app.get("/einfuehrung/zahlen.csv", Some(&cookie)).await,
        "zahlen.csv",
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE must_change_password = 1")
            .await,
        1,
        "the refused reset did nothing"
    );

    // Pages lead to the password page, which renders without error boxes.
    assert_eq!(
        app.get("/", Some(&cookie)).await.location(),
        "/konto/passwort"
    );
    let page = app.get("/konto/passwort", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Passwort ändern"));
    assert!(!page.body.contains("notice error"), "{}", page.body);
    assert!(!page.body.contains("Berechtigung"));
    let who = app.call(&cookie, "current_user", "").await;
    assert_eq!(who.status, StatusCode::OK);
    assert_eq!(who.json()["username"], "admin.erb");

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
    // Now everything works again, in the same session.
    assert_eq!(
        app.call(&cookie, "list_users", "").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/export/aktenplan.csv", Some(&cookie)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/einfuehrung/zahlen.csv", Some(&cookie))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(app.get("/", Some(&cookie)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn demo_credentials_do_not_outlive_demo_mode() {
    let app = TestApp::demo().await;
    let demo_session = app.login_demo("sachbearbeitung.erb").await;
    assert!(app.login("admin", DEMO_PASSWORD).await.is_some());
    let real_admin = app.login_demo("admin.mic").await;
    let reply = app
        .call(
            &real_admin,
            "create_user",
            "username=echt.person&display_name=Echte Person&email=&municipality_id=2&role=sachbearbeitung",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    let app = app.restart_with(&[]).await;
    for name in [
        "admin",
        "admin.mic",
        "admin.erb",
        "projekt.mic",
        "sachbearbeitung.erb",
        "schulung.bro",
    ] {
        assert!(
            app.login(name, DEMO_PASSWORD).await.is_none(),
            "{name} still signs in with the demo password"
        );
    }
    // Sessions from demo mode are gone too.
    assert_eq!(
        app.get("/", Some(&demo_session)).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE demo = 1 AND active = 1")
            .await,
        0
    );
    // Accounts created by an administrator are no demo accounts.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE username = 'echt.person' AND active = 1")
            .await,
        1
    );
    // A fresh administrator with a one-time password took over.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM users WHERE role = 'administration' AND active = 1
             AND all_municipalities = 1 AND must_change_password = 1 AND demo = 0"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'demo_accounts_deactivated'")
            .await,
        1
    );
    // A second start without demo mode changes nothing more.
    let app = app.restart_with(&[]).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'demo_accounts_deactivated'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'administration' AND active = 1")
            .await,
        1
    );

    // Demo mode on again brings the demo accounts back.
    let app = app.restart_with(&[("AKTENWERK_DEMO", "true")]).await;
    assert!(app
        .login("sachbearbeitung.erb", DEMO_PASSWORD)
        .await
        .is_some());
    assert!(app.login("admin", DEMO_PASSWORD).await.is_some());
}
