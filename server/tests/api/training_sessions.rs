//! Training sessions through the real server: scheduling and targeting,
//! registration with waiting list, capacity under concurrent registrations,
//! attendance, the .ics and CSV downloads and who may do what.

use crate::common;

use axum::http::{header, StatusCode};
use chrono::{Datelike, TimeZone};
use common::TestApp;
use std::sync::Arc;

/// A local Berlin time `days` from now at `time` (`HH:MM`), as the
/// `datetime-local` field sends it.
fn in_days(days: i64, time: &str) -> String {
    let day =
        chrono::Utc::now().with_timezone(&chrono_tz::Europe::Berlin) + chrono::Duration::days(days);
    format!("{}T{time}", day.format("%Y-%m-%d"))
}

/// The form as the browser posts it (`session[field]=value`).
fn session_form(
    title: &str,
    starts: &str,
    ends: &str,
    capacity: u32,
    extra: &[(&str, &str)],
) -> String {
    let mut fields = vec![
        ("session[title]".to_string(), title.to_string()),
        (
            "session[description]".to_string(),
            "Grundlagen, Ablage; Suche\nBitte Laptop mitbringen.".to_string(),
        ),
        ("session[trainer]".to_string(), "Projektteam".to_string()),
        ("session[starts]".to_string(), starts.to_string()),
        ("session[ends]".to_string(), ends.to_string()),
        (
            "session[place]".to_string(),
            "Rathaus Erbach, Sitzungssaal".to_string(),
        ),
        ("session[video_url]".to_string(), String::new()),
        ("session[capacity]".to_string(), capacity.to_string()),
    ];
    fields.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    serde_urlencoded::to_string(fields).expect("encode")
}

async fn schedule(app: &TestApp, cookie: &str, form: &str) -> i64 {
    let reply = app.call(cookie, "create_training_session", form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json().as_i64().expect("id")
}

async fn status_of(app: &TestApp, session: i64, username: &str) -> Option<String> {
    sqlx::query_scalar(
        "SELECT r.status FROM training_registrations r JOIN users u ON u.id = r.user_id
         WHERE r.session_id = ? AND u.username = ?",
    )
    .bind(session)
    .bind(username)
    .fetch_optional(&app.state.pool)
    .await
    .expect("status")
}

/// Moves a session into the past (tests cannot wait for the clock).
async fn started_hours_ago(app: &TestApp, session: i64, hours: i64) {
    let now = app::time::now();
    sqlx::query("UPDATE training_sessions SET starts_at = ?, ends_at = ? WHERE id = ?")
        .bind(now - hours * 3600)
        .bind(now - hours * 3600 + 1800)
        .bind(session)
        .execute(&app.state.pool)
        .await
        .expect("move");
}

#[tokio::test]
async fn targeting_decides_who_sees_and_registers() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let erbach = app.login_demo("sachbearbeitung.erb").await;
    let michelstadt = app.login_demo("sachbearbeitung.mic").await;
    let trainee_erbach = app.login_demo("schulung.erb").await;

    let id = schedule(
        &app,
        &team,
        &session_form(
            "Ablage für Erbach",
            &in_days(10, "09:00"),
            &in_days(10, "11:00"),
            10,
            &[
                ("session[municipality_ids][]", "2"),
                ("session[roles][]", "sachbearbeitung"),
            ],
        ),
    )
    .await;

    let list = app.call(&erbach, "list_training_sessions", "").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains("Ablage für Erbach"));
    assert_eq!(
        list.json()["upcoming"][0]["audience"],
        "Erbach · Sachbearbeitung"
    );
    for other in [&michelstadt, &trainee_erbach] {
        let list = app.call(other, "list_training_sessions", "").await;
        assert!(!list.body.contains("Ablage für Erbach"), "{}", list.body);
        let reply = app
            .call(other, "get_training_session", &format!("id={id}"))
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let reply = app
            .call(other, "register_for_session", &format!("id={id}"))
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let reply = app
            .get(
                &format!("/schulungstermine/{id}/kalender.ics"),
                Some(other.as_str()),
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }

    // The project team sees everything and filters by municipality.
    let all = app.call(&team, "list_training_sessions", "").await;
    assert!(all.body.contains("Ablage für Erbach"));
    let filtered = app
        .call(&team, "list_training_sessions", "municipality=1")
        .await;
    assert!(
        !filtered.body.contains("Ablage für Erbach"),
        "{}",
        filtered.body
    );
    let filtered = app
        .call(&team, "list_training_sessions", "municipality=2")
        .await;
    assert!(filtered.body.contains("Ablage für Erbach"));

    let reply = app
        .call(&erbach, "register_for_session", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json(), "Confirmed");
    let reply = app
        .call(&erbach, "register_for_session", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "only once");
    let list = app.call(&erbach, "list_training_sessions", "").await;
    assert_eq!(list.json()["mine"][0]["mine"], "Confirmed");
    assert_eq!(list.json()["mine"][0]["confirmed"], 1);
}

#[tokio::test]
async fn waiting_list_moves_up_and_the_person_is_told() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.erb").await;
    let id = schedule(
        &app,
        &team,
        &session_form(
            "Suche für Profis",
            &in_days(5, "13:00"),
            &in_days(5, "15:00"),
            2,
            &[],
        ),
    )
    .await;
    let people = [
        "sachbearbeitung.mic",
        "sachbearbeitung.erb",
        "sachbearbeitung.obz",
        "sachbearbeitung.bro",
        "schulung.mic",
    ];
    let mut cookies = Vec::new();
    for (n, person) in people.iter().enumerate() {
        let cookie = app.login_demo(person).await;
        let reply = app
            .call(&cookie, "register_for_session", &format!("id={id}"))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let expected = if n < 2 {
            serde_json::json!("Confirmed")
        } else {
            serde_json::json!({ "Waiting": n - 1 })
        };
        assert_eq!(reply.json(), expected, "{person}");
        cookies.push(cookie);
    }

    // The second on the waiting list leaves: the others close the gap.
    let reply = app
        .call(&cookies[3], "unregister_from_session", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let detail = app
        .call(&cookies[4], "get_training_session", &format!("id={id}"))
        .await;
    assert_eq!(
        detail.json()["card"]["mine"],
        serde_json::json!({ "Waiting": 2 })
    );

    // A confirmed person leaves: the first waiting moves up and is told.
    let reply = app
        .call(&cookies[0], "unregister_from_session", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(status_of(&app, id, "sachbearbeitung.mic").await, None);
    assert_eq!(
        status_of(&app, id, "sachbearbeitung.obz").await.as_deref(),
        Some("confirmed")
    );
    let detail = app
        .call(&cookies[4], "get_training_session", &format!("id={id}"))
        .await;
    assert_eq!(
        detail.json()["card"]["mine"],
        serde_json::json!({ "Waiting": 1 })
    );
    assert_eq!(detail.json()["card"]["confirmed"], 2);

    let notices = app.call(&cookies[2], "moved_up_notices", "").await;
    assert_eq!(notices.status, StatusCode::OK, "{}", notices.body);
    assert_eq!(notices.json()[0][0], id);
    assert_eq!(notices.json()[0][1], "Suche für Profis");
    let others = app.call(&cookies[1], "moved_up_notices", "").await;
    assert_eq!(others.json(), serde_json::json!([]), "only who moved up");
    let reply = app.call(&cookies[2], "dismiss_moved_up_notices", "").await;
    assert_eq!(reply.status, StatusCode::OK);
    let notices = app.call(&cookies[2], "moved_up_notices", "").await;
    assert_eq!(notices.json(), serde_json::json!([]));

    // Raising the capacity moves the next one up.
    let raised = session_form(
        "Suche für Profis",
        &in_days(5, "13:00"),
        &in_days(5, "15:00"),
        3,
        &[],
    );
    let reply = app
        .call(
            &team,
            "update_training_session",
            &format!("id={id}&{raised}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        status_of(&app, id, "schulung.mic").await.as_deref(),
        Some("confirmed")
    );
    // Lowering it below the confirmed places is refused.
    let lowered = session_form(
        "Suche für Profis",
        &in_days(5, "13:00"),
        &in_days(5, "15:00"),
        1,
        &[],
    );
    let reply = app
        .call(
            &team,
            "update_training_session",
            &format!("id={id}&{lowered}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.json()["message"]
        .as_str()
        .is_some_and(|m| m.contains("bereits 3 Personen")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn capacity_holds_under_concurrent_registrations() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.obz").await;
    let id = schedule(
        &app,
        &team,
        &session_form(
            "Andrang",
            &in_days(3, "09:00"),
            &in_days(3, "10:00"),
            5,
            &[],
        ),
    )
    .await;
    // Thirty colleagues with the demo password.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)
         INSERT INTO users (username, display_name, municipality_id, role, password_hash, created_at, updated_at)
         SELECT 'kollegin.' || i, 'Kollegin ' || i, 1 + i % 4, 'sachbearbeitung', u.password_hash, 0, 0
         FROM n, users u WHERE u.username = 'sachbearbeitung.mic'",
    )
    .execute(&app.state.pool)
    .await
    .expect("users");
    let mut cookies = Vec::new();
    for i in 1..=30 {
        cookies.push(app.login_demo(&format!("kollegin.{i}")).await);
    }
    let app = Arc::new(app);
    let mut tasks = tokio::task::JoinSet::new();
    for cookie in cookies {
        let app = app.clone();
        tasks.spawn(async move {
            app.call(&cookie, "register_for_session", &format!("id={id}"))
                .await
        });
    }
    let mut confirmed = 0;
    let mut positions = Vec::new();
    while let Some(reply) = tasks.join_next().await {
        let reply = reply.expect("task");
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        match reply.json() {
            serde_json::Value::String(s) if s == "Confirmed" => confirmed += 1,
            other => positions.push(other["Waiting"].as_i64().expect("waiting position")),
        }
    }
    assert_eq!(confirmed, 5);
    positions.sort_unstable();
    assert_eq!(
        positions,
        (1..=25).collect::<Vec<_>>(),
        "dense waiting list"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM training_registrations WHERE session_id = {id} AND status = 'confirmed'"
        ))
        .await,
        5
    );

    // One confirmed leaves: exactly the first waiting moves up.
    let first_waiting: String = sqlx::query_scalar(
        "SELECT u.username FROM training_registrations r JOIN users u ON u.id = r.user_id
         WHERE r.session_id = ? AND r.status = 'waiting' ORDER BY r.id LIMIT 1",
    )
    .bind(id)
    .fetch_one(&app.state.pool)
    .await
    .expect("first waiting");
    let leaving: String = sqlx::query_scalar(
        "SELECT u.username FROM training_registrations r JOIN users u ON u.id = r.user_id
         WHERE r.session_id = ? AND r.status = 'confirmed' LIMIT 1",
    )
    .bind(id)
    .fetch_one(&app.state.pool)
    .await
    .expect("confirmed");
    let cookie = app.login_demo(&leaving).await;
    let reply = app
        .call(&cookie, "unregister_from_session", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        status_of(&app, id, &first_waiting).await.as_deref(),
        Some("confirmed")
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM training_registrations WHERE session_id = {id} AND status = 'confirmed'"
        ))
        .await,
        5
    );
    let participants = app
        .call(&team, "get_training_session", &format!("id={id}"))
        .await;
    let waiting: Vec<i64> = participants.json()["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .filter_map(|p| p["status"]["Waiting"].as_i64())
        .collect();
    assert_eq!(waiting, (1..=24).collect::<Vec<_>>());
}

fn parse_ics(text: &str) -> icalendar::Calendar {
    text.parse::<icalendar::Calendar>()
        .unwrap_or_else(|e| panic!("ics does not parse: {e}\n{text}"))
}

#[tokio::test]
async fn calendar_file_parses_with_berlin_time_zone_across_dst() {
    use icalendar::{Component, DatePerhapsTime, EventLike};
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let staff = app.login_demo("sachbearbeitung.bro").await;
    let next_year = chrono::Utc::now().year() + 1;
    for (month, utc_hour) in [(7, 7), (1, 8)] {
        let day = format!("{next_year}-{month:02}-14");
        let id = schedule(
            &app,
            &team,
            &session_form(
                "Aktenwerk, Teil 1; Grundlagen",
                &format!("{day}T09:00"),
                &format!("{day}T12:30"),
                8,
                &[],
            ),
        )
        .await;
        let reply = app
            .get(
                &format!("/schulungstermine/{id}/kalender.ics"),
                Some(&staff),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(
            reply.headers[header::CONTENT_TYPE],
            "text/calendar; charset=utf-8"
        );
        assert_eq!(
            reply.headers[header::CONTENT_DISPOSITION],
            format!("attachment; filename=\"schulungstermin-{id}.ics\"").as_str()
        );
        assert!(reply.body.contains("\r\nTZID:Europe/Berlin\r\n"));
        let calendar = parse_ics(&reply.body);
        let event = calendar
            .components
            .iter()
            .find_map(|c| c.as_event())
            .expect("one event");
        assert_eq!(event.get_summary(), Some("Aktenwerk, Teil 1; Grundlagen"));
        assert_eq!(
            event.get_description(),
            Some("Grundlagen, Ablage; Suche\nBitte Laptop mitbringen.\n\nLeitung: Projektteam")
        );
        assert_eq!(event.get_location(), Some("Rathaus Erbach, Sitzungssaal"));
        let Some(DatePerhapsTime::DateTime(icalendar::CalendarDateTime::WithTimezone {
            date_time,
            tzid,
        })) = event.get_start()
        else {
            panic!("start is not a zoned local time: {:?}", event.get_start());
        };
        assert_eq!(tzid, "Europe/Berlin");
        assert_eq!(
            date_time.format("%Y-%m-%d %H:%M").to_string(),
            format!("{day} 09:00")
        );
        // The same instant in UTC differs by season: CEST in July, CET in January.
        let utc = chrono_tz::Europe::Berlin
            .from_local_datetime(&date_time)
            .single()
            .expect("unique")
            .with_timezone(&chrono::Utc);
        assert_eq!(utc.format("%H:%M").to_string(), format!("{utc_hour:02}:00"));
        let Some(DatePerhapsTime::DateTime(icalendar::CalendarDateTime::WithTimezone {
            date_time: end,
            ..
        })) = event.get_end()
        else {
            panic!("end is not a zoned local time");
        };
        assert_eq!(end.format("%H:%M").to_string(), "12:30");
        // A time zone definition with both rules travels along.
        assert!(reply.body.contains("BEGIN:DAYLIGHT") && reply.body.contains("BEGIN:STANDARD"));
        for line in reply.body.split("\r\n") {
            assert!(line.len() <= 75, "line too long: {line}");
        }
    }
}

#[tokio::test]
async fn attendance_csv_and_training_record() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.bro").await;
    let anna = app.login_demo("sachbearbeitung.erb").await;
    let ben = app.login_demo("sachbearbeitung.obz").await;
    let clara = app.login_demo("schulung.bro").await;
    let id = schedule(
        &app,
        &team,
        &session_form(
            "Posteingang",
            &in_days(2, "09:00"),
            &in_days(2, "10:00"),
            2,
            &[],
        ),
    )
    .await;
    for cookie in [&anna, &ben, &clara] {
        let reply = app
            .call(cookie, "register_for_session", &format!("id={id}"))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let anna_id = app.user_id("sachbearbeitung.erb").await;
    let ben_id = app.user_id("sachbearbeitung.obz").await;
    let clara_id = app.user_id("schulung.bro").await;

    // Not before the start.
    let mark =
        |user: i64, attended: bool| format!("session_id={id}&user_id={user}&attended={attended}");
    let reply = app
        .call(&team, "mark_attendance", &mark(anna_id, true))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);

    started_hours_ago(&app, id, 2).await;
    // Registration closes at the start.
    let late = app.login_demo("sachbearbeitung.bro").await;
    let reply = app
        .call(&late, "register_for_session", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.body.contains("begonnen"));
    let reply = app
        .call(&anna, "unregister_from_session", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);

    // Staff cannot mark attendance.
    let reply = app
        .call(&anna, "mark_attendance", &mark(anna_id, true))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .call(&team, "mark_attendance", &mark(anna_id, true))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = app
        .call(&team, "mark_attendance", &mark(ben_id, false))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // Only confirmed participants: Clara is on the waiting list.
    let reply = app
        .call(&team, "mark_attendance", &mark(clara_id, true))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'training_attendance_marked'")
            .await,
        2
    );

    let record = app.call(&anna, "my_attended_sessions", "").await;
    assert_eq!(record.status, StatusCode::OK, "{}", record.body);
    assert_eq!(record.json()[0]["session_id"], id);
    assert_eq!(record.json()[0]["title"], "Posteingang");
    let record = app.call(&ben, "my_attended_sessions", "").await;
    assert_eq!(record.json(), serde_json::json!([]));

    let summary = app.call(&team, "training_attendance_summary", "").await;
    assert_eq!(summary.status, StatusCode::OK, "{}", summary.body);
    let erbach_staff = summary
        .json()
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["municipality"] == "Erbach" && r["role"] == "Sachbearbeitung")
        .cloned()
        .expect("Erbach staff");
    assert_eq!(erbach_staff["trained"], 1);
    assert_eq!(erbach_staff["attendances"], 1);
    let reply = app.call(&anna, "training_attendance_summary", "").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    // The training record on /schulung joins attendance and walkthroughs,
    // for the person and in the project team's overview.
    let page = app.call(&anna, "load_training_page", "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.json()["attended"][0]["title"], "Posteingang");
    let page = app.call(&ben, "load_training_page", "").await.json();
    assert_eq!(page["attended"], serde_json::json!([]));
    let overview = app.call(&team, "training_overview", "").await;
    assert_eq!(overview.status, StatusCode::OK, "{}", overview.body);
    let overview = overview.json();
    let person = |name: &str| {
        overview["people"]
            .as_array()
            .and_then(|people| people.iter().find(|p| p["username"] == name).cloned())
            .expect("person")
    };
    assert_eq!(
        person("sachbearbeitung.erb")["sessions"][0]["session_id"],
        id
    );
    assert_eq!(
        person("sachbearbeitung.obz")["sessions"],
        serde_json::json!([])
    );
    let group = overview["groups"]
        .as_array()
        .and_then(|groups| {
            groups
                .iter()
                .find(|g| g["municipality"] == "Erbach" && g["role"] == "Sachbearbeitung")
                .cloned()
        })
        .expect("Erbach staff group");
    assert_eq!(group["trained"], 1);
    let page = app.get("/schulung", Some(&anna)).await;
    assert!(page.body.contains("Besuchte Schulungstermine"));
    assert!(page.body.contains("data-testid=\"besuchte-termine\""));

    let csv = app
        .get(
            &format!("/schulungstermine/{id}/teilnehmende.csv"),
            Some(&team),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(csv.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .is_ok_and(|d| d.starts_with("attachment; filename=\"teilnehmende-schulungstermin-")));
    assert!(csv.bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM for Excel");
    let lines: Vec<&str> = csv
        .body
        .trim_start_matches('\u{FEFF}')
        .split("\r\n")
        .collect();
    assert_eq!(
        lines[0],
        "Name;Benutzername;Gemeinde;Rolle;Status;Angemeldet am;Anwesenheit"
    );
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(lines.iter().any(|l| l
        .contains(";sachbearbeitung.erb;Erbach;Sachbearbeitung;angemeldet;")
        && l.ends_with(";anwesend")));
    assert!(lines
        .iter()
        .any(|l| l.contains(";sachbearbeitung.obz;") && l.ends_with(";nicht anwesend")));
    assert!(lines[3].contains(";schulung.bro;") && lines[3].contains("Warteliste Platz 1"));

    // Clerks never see participants.
    let reply = app
        .get(
            &format!("/schulungstermine/{id}/teilnehmende.csv"),
            Some(&anna),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.body.contains("Berechtigung"));
    let reply = app
        .get(&format!("/schulungstermine/{id}/teilnehmende.csv"), None)
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let detail = app
        .call(&anna, "get_training_session", &format!("id={id}"))
        .await;
    assert_eq!(detail.json()["participants"], serde_json::json!([]));
    assert_eq!(detail.json()["may_manage"], false);
}

#[tokio::test]
async fn only_the_project_team_schedules_and_bad_input_is_explained() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.mic").await;
    let staff = app.login_demo("sachbearbeitung.mic").await;
    let admin = app.login_demo("admin.mic").await;
    let good = session_form("Termin", &in_days(4, "09:00"), &in_days(4, "10:00"), 5, &[]);
    for cookie in [&staff, &admin] {
        let reply = app.call(cookie, "create_training_session", &good).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
    let cases = [
        (
            session_form("Termin", &in_days(4, "10:00"), &in_days(4, "09:00"), 5, &[]),
            "Das Ende muss nach dem Beginn liegen.",
        ),
        (
            session_form(
                "Termin",
                &in_days(-1, "10:00"),
                &in_days(-1, "11:00"),
                5,
                &[],
            ),
            "Der Beginn muss in der Zukunft liegen.",
        ),
        (
            session_form("Termin", &in_days(4, "09:00"), &in_days(4, "10:00"), 0, &[]),
            "Die Zahl der Plätze muss zwischen 1 und 500 liegen.",
        ),
        (
            session_form(" ", &in_days(4, "09:00"), &in_days(4, "10:00"), 5, &[]),
            "Bitte geben Sie dem Termin einen Titel.",
        ),
        (
            session_form(
                "Termin",
                &in_days(4, "09:00"),
                &in_days(4, "10:00"),
                5,
                &[("session[municipality_ids][]", "99")],
            ),
            "Eine der gewählten Gemeinden gibt es nicht.",
        ),
    ];
    for (form, message) in cases {
        let reply = app.call(&team, "create_training_session", &form).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert_eq!(reply.json()["message"], message);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM training_sessions").await, 0);

    let id = schedule(&app, &team, &good).await;
    let staff_registers = app
        .call(&staff, "register_for_session", &format!("id={id}"))
        .await;
    assert_eq!(staff_registers.status, StatusCode::OK);
    let reply = app
        .call(
            &staff,
            "cancel_training_session",
            &format!("id={id}&reason=Krank"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .call(
            &team,
            "cancel_training_session",
            &format!("id={id}&reason="),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = app
        .call(
            &team,
            "cancel_training_session",
            &format!("id={id}&reason=Trainerin+erkrankt"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let list = app.call(&staff, "list_training_sessions", "").await;
    assert_eq!(list.json()["past"][0]["state"], "Cancelled");
    assert_eq!(list.json()["mine"][0]["state"], "Cancelled");
    let other = app.login_demo("sachbearbeitung.erb").await;
    let reply = app
        .call(&other, "register_for_session", &format!("id={id}"))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.body.contains("abgesagt"));
    let ics = app
        .get(
            &format!("/schulungstermine/{id}/kalender.ics"),
            Some(&staff),
        )
        .await;
    assert!(ics.body.contains("STATUS:CANCELLED"));
    parse_ics(&ics.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('training_session_created', 'training_session_cancelled')")
            .await,
        2
    );
}
