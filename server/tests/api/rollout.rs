//! The rollout dashboard through the real server: a scripted sequence of
//! sign-ins, uploads, filings, a trashed document, a finished walkthrough,
//! an attended session, questions and an acknowledgement, and the numbers
//! the dashboard (and its CSV) must show for it. Also who may see what.

use crate::common;

use app::rollout::storage::record_activity;
use app::time::local_day;
use axum::http::{header, StatusCode};
use chrono::Datelike;
use common::{samples, TestApp};
use serde_json::{json, Value};

const MICHELSTADT: usize = 0;
const ERBACH: usize = 1;
const OBERZENT: usize = 2;
const BROMBACHTAL: usize = 3;

fn now() -> i64 {
    app::time::now()
}

fn day(at: i64) -> String {
    local_day(at).format("%Y-%m-%d").to_string()
}

fn request(von: &str, bis: &str, einteilung: &str, gemeinde: &str) -> String {
    format!(
        "request%5Bvon%5D={von}&request%5Bbis%5D={bis}&request%5Beinteilung%5D={einteilung}&request%5Bgemeinde%5D={gemeinde}"
    )
}

/// `values[municipality][period]` of one figure.
fn values(dashboard: &Value, key: &str) -> Vec<Vec<i64>> {
    let series = dashboard["series"]
        .as_array()
        .and_then(|all| {
            all.iter().find(|s| {
                app::rollout::Metric::from_key(key)
                    .map(|m| serde_json::to_value(m).ok() == Some(s["metric"].clone()))
                    .unwrap_or(false)
            })
        })
        .unwrap_or_else(|| panic!("series {key} in {dashboard}"));
    serde_json::from_value(series["values"].clone()).expect("values")
}

fn column(rows: &[Vec<i64>], period: usize) -> Vec<i64> {
    rows.iter().map(|row| row[period]).collect()
}

/// What the extraction worker's use case stores for the newest job of
/// `document`: `pages` read, `ocr_pages` of them by OCR.
async fn extracted(app: &TestApp, document: i64, pages: i64, ocr_pages: i64) {
    let (job_id, version_id): (i64, i64) = sqlx::query_as(
        "SELECT j.id, j.version_id FROM jobs j JOIN document_versions v ON v.id = j.version_id
         WHERE v.document_id = ? ORDER BY j.id DESC LIMIT 1",
    )
    .bind(document)
    .fetch_one(&app.state.pool)
    .await
    .expect("a job");
    let job = app::processing::storage::ClaimedJob {
        job_id,
        version_id,
        attempts: 1,
        sha256: String::new(),
        kind: "pdf".into(),
    };
    let found = app::processing::storage::FoundText {
        text: "Text".into(),
        pages,
        ocr_pages,
        method: "mixed".into(),
    };
    app::processing::service::complete(&app.state.pool, &job, &found, now())
        .await
        .expect("text stored");
}

async fn dashboard(app: &TestApp, cookie: &str, form: &str) -> Value {
    let reply = app.call(cookie, "rollout_dashboard", form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

#[tokio::test]
async fn dashboard_numbers_match_a_scripted_sequence_of_events() {
    let app = TestApp::demo().await;
    let start = now();
    let today = day(start);
    let week_ago = day(start - 6 * 86_400);
    let range = request(&week_ago, &today, "tag", "");

    // Before anything happens: only the accounts exist.
    let team = app.login_demo("projekt.mic").await;
    let before = dashboard(&app, &team, &range).await;
    assert_eq!(before["periods"].as_array().map(Vec::len), Some(7));
    assert_eq!(before["standings"].as_array().map(Vec::len), Some(5));
    assert_eq!(before["standings"][ERBACH]["accounts"], 4);
    assert_eq!(before["standings"][4]["municipality"], "Alle Gemeinden");
    assert_eq!(before["standings"][4]["acks_due"], 0);
    assert_eq!(column(&values(&before, "hochgeladen"), 6), vec![0, 0, 0, 0]);

    // Sign-ins today (the team's own counts for Michelstadt) ...
    let mic_clerk = app.login_demo("sachbearbeitung.mic").await;
    let erb_clerk = app.login_demo("sachbearbeitung.erb").await;
    let _erb_admin = app.login_demo("admin.erb").await;
    let erb_trainee = app.login_demo("schulung.erb").await;
    let obz_clerk = app.login_demo("sachbearbeitung.obz").await;
    // ... and use recorded on earlier days: two days ago two people in
    // Erbach (one of them twice), nine days ago one (outside the range).
    let erb_clerk_id = app.user_id("sachbearbeitung.erb").await;
    let erb_admin_id = app.user_id("admin.erb").await;
    {
        let mut conn = app.state.pool.acquire().await.expect("connection");
        for (user, at) in [
            (erb_clerk_id, start - 2 * 86_400),
            (erb_clerk_id, start - 2 * 86_400 + 60),
            (erb_admin_id, start - 2 * 86_400),
            (erb_clerk_id, start - 9 * 86_400),
        ] {
            record_activity(&mut conn, user, 2, at)
                .await
                .expect("activity");
        }
    }

    // Erbach: three into the Posteingang, one straight into an Akte; one
    // filed, one trashed. Michelstadt: one. The trainee practises: nothing.
    let a = app.upload_ok(&erb_clerk, "a.pdf", &samples::pdf("a")).await;
    let b = app.upload_ok(&erb_clerk, "b.pdf", &samples::pdf("b")).await;
    let c = app.upload_ok(&erb_clerk, "c.pdf", &samples::pdf("c")).await;
    let akte = app
        .open_akte(&erb_clerk, "621.1", "Bauantrag Am Markt 3", &today)
        .await;
    let reply = app
        .upload(
            &erb_clerk,
            "d.pdf",
            &format!("&akte={akte}"),
            &samples::pdf("d"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    for (id, action, value) in [(a, "file", akte.to_string()), (b, "trash", String::new())] {
        let reply = app
            .call(
                &erb_clerk,
                "bulk_documents",
                &format!("ids[0]={id}&action={action}&value={value}"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    app.upload_ok(&mic_clerk, "m.pdf", &samples::pdf("m")).await;
    let reply = app
        .upload(&erb_trainee, "uebung.pdf", "", &samples::pdf("Übung"))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    // The extraction worker's record for c: three pages, two of them OCR'd.
    extracted(&app, c, 3, 2).await;

    // Oberzent finishes the upload walkthrough (six steps).
    let run = app.call(&obz_clerk, "start_tour", "tour_id=2").await.json()["run_id"]
        .as_i64()
        .expect("run");
    for step in 0..6 {
        let reply = app
            .call(
                &obz_clerk,
                "move_tour",
                &format!("run_id={run}&from={step}&to={}", step + 1),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }

    // Erbach's clerk attends a session that started a minute ago.
    let starts =
        chrono::Utc::now().with_timezone(&chrono_tz::Europe::Berlin) + chrono::Duration::days(3);
    let form = serde_urlencoded::to_string([
        ("session[title]", "Ablage"),
        ("session[description]", ""),
        ("session[trainer]", "Projektteam"),
        (
            "session[starts]",
            &format!("{}T09:00", starts.format("%Y-%m-%d")),
        ),
        (
            "session[ends]",
            &format!("{}T10:00", starts.format("%Y-%m-%d")),
        ),
        ("session[place]", "Rathaus Erbach"),
        ("session[video_url]", ""),
        ("session[capacity]", "5"),
    ])
    .expect("encode");
    let reply = app.call(&team, "create_training_session", &form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let session = reply.json().as_i64().expect("session");
    let reply = app
        .call(&erb_clerk, "register_for_session", &format!("id={session}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    sqlx::query("UPDATE training_sessions SET starts_at = ?, ends_at = ? WHERE id = ?")
        .bind(start - 60)
        .bind(start + 3600)
        .bind(session)
        .execute(&app.state.pool)
        .await
        .expect("move");
    let reply = app
        .call(
            &team,
            "mark_attendance",
            &format!("session_id={session}&user_id={erb_clerk_id}&attended=true"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    // Questions: Erbach's is answered, Oberzent's still waits.
    let mut asked = Vec::new();
    for cookie in [&erb_clerk, &obz_clerk] {
        let reply = app
            .call(
                cookie,
                "ask_question",
                "text=Wo+ist+der+Scanner%3F&page_path=/",
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        asked.push(reply.json().as_i64().expect("question"));
    }
    let reply = app
        .call(
            &team,
            "reply_question",
            &format!("id={}&text=Im+Flur.", asked[0]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    // An Erbach-only announcement asks the four Erbach accounts for an
    // acknowledgement; one gives it.
    let reply = app
        .call(
            &team,
            "save_announcement",
            "draft%5Btitle%5D=Scanner&draft%5Bbody%5D=Bitte+scannen.&draft%5Bmunicipalities%5D%5B0%5D=2&draft%5Brequires_ack%5D=true",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let announcement = reply.json().as_i64().expect("announcement");
    let reply = app
        .call(
            &erb_clerk,
            "acknowledge_announcement",
            &format!("id={announcement}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    // The numbers, by day: today is the last of seven periods.
    let d = dashboard(&app, &team, &range).await;
    let names: Vec<&str> = d["municipalities"]
        .as_array()
        .map(|all| all.iter().filter_map(|m| m["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        names,
        vec!["Michelstadt", "Erbach", "Oberzent", "Brombachtal"]
    );
    let today_of = |key: &str| column(&values(&d, key), 6);
    assert_eq!(today_of("aktive-personen"), vec![2, 3, 1, 0]);
    assert_eq!(column(&values(&d, "aktive-personen"), 4), vec![0, 2, 0, 0]);
    assert_eq!(today_of("hochgeladen"), vec![1, 4, 0, 0]);
    assert_eq!(today_of("abgelegt"), vec![0, 2, 0, 0]);
    assert_eq!(today_of("posteingang"), vec![1, 1, 0, 0]);
    assert_eq!(today_of("seiten"), vec![0, 3, 0, 0]);
    assert_eq!(today_of("ocr-seiten"), vec![0, 2, 0, 0]);
    assert_eq!(today_of("rundgaenge"), vec![0, 0, 1, 0]);
    assert_eq!(today_of("schulungsteilnahmen"), vec![0, 1, 0, 0]);
    assert_eq!(today_of("kenntnisnahmen"), vec![0, 1, 0, 0]);
    assert_eq!(today_of("fragen-gestellt"), vec![0, 1, 1, 0]);
    assert_eq!(today_of("fragen-offen"), vec![0, 0, 1, 0]);
    // Nothing happened on the other days but the recorded use.
    for key in ["hochgeladen", "abgelegt", "posteingang", "fragen-gestellt"] {
        for period in 0..6 {
            assert_eq!(column(&values(&d, key), period), vec![0, 0, 0, 0], "{key}");
        }
    }
    let uploaded = d["series"][1].clone();
    assert_eq!(
        uploaded["total"][6], 5,
        "the practice upload does not count"
    );
    assert_eq!(uploaded["range_total"], 5);
    let active = d["series"][0].clone();
    assert_eq!(active["range_values"], json!([2, 3, 1, 0]));
    assert_eq!(active["range_total"], 6);

    // The standing at the end of the range.
    let erbach = &d["standings"][ERBACH];
    assert_eq!(erbach["accounts"], 4);
    assert_eq!(erbach["active_in_range"], 3);
    assert_eq!(erbach["attended_training"], 1);
    assert_eq!(erbach["acks_due"], 4);
    assert_eq!(erbach["acks_given"], 1);
    assert_eq!(d["standings"][OBERZENT]["finished_a_tour"], 1);
    assert_eq!(d["standings"][MICHELSTADT]["acks_due"], 0);
    assert_eq!(d["standings"][BROMBACHTAL]["active_in_range"], 0);
    assert_eq!(d["standings"][4]["acks_due"], 4);
    assert_eq!(d["standings"][4]["active_in_range"], 6);

    // By week, a person active on two days counts once.
    let weeks = dashboard(&app, &team, &request(&week_ago, &today, "woche", "")).await;
    let periods = weeks["periods"].as_array().map(Vec::len).unwrap_or(0);
    assert!((1..=2).contains(&periods));
    let erbach_weeks: i64 = values(&weeks, "aktive-personen")[ERBACH].iter().sum();
    let same_week = local_day(start - 2 * 86_400).iso_week() == local_day(start).iso_week();
    assert_eq!(erbach_weeks, if same_week { 3 } else { 5 });
    assert_eq!(values(&weeks, "hochgeladen")[ERBACH].iter().sum::<i64>(), 4);

    // One municipality chosen: only its row.
    let only = dashboard(&app, &team, &request(&week_ago, &today, "tag", "2")).await;
    assert_eq!(only["municipalities"].as_array().map(Vec::len), Some(1));
    assert_eq!(column(&values(&only, "hochgeladen"), 6), vec![4]);

    // The CSV carries the same numbers.
    let csv = app
        .get(
            &format!("/einfuehrung/zahlen.csv?von={week_ago}&bis={today}&einteilung=tag"),
            Some(&team),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert_eq!(
        csv.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("text/csv; charset=utf-8")
    );
    let erbach_today = csv
        .body
        .split("\r\n")
        .find(|line| line.contains(&format!(";{today};{today};Erbach;")))
        .expect("Erbach's row for today");
    let cells: Vec<&str> = erbach_today.split(';').collect();
    // Zeitraum;Von;Bis;Gemeinde; then the figures in dashboard order.
    assert_eq!(
        &cells[4..],
        &["3", "4", "2", "1", "3", "2", "0", "1", "1", "1", "0"]
    );

    // The page itself renders on the server with the figures.
    let page = app
        .get(
            &format!("/einfuehrung?von={week_ago}&bis={today}"),
            Some(&team),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Hochgeladene Dokumente"));
    assert!(page
        .body
        .contains("Hochgeladene Dokumente – alle Gemeinden: zusammen 5"));
}

#[tokio::test]
async fn administration_sees_its_own_municipality_and_clerks_see_nothing() {
    let app = TestApp::demo().await;
    let today = day(now());
    let admin = app.login_demo("admin.erb").await;
    let d = dashboard(&app, &admin, &request("", "", "", "")).await;
    assert_eq!(d["municipalities"], json!([{ "id": 2, "name": "Erbach" }]));
    assert_eq!(d["standings"].as_array().map(Vec::len), Some(1));
    assert_eq!(d["periods"].as_array().map(Vec::len), Some(28));
    assert_eq!(d["to"], json!(today));
    // Another municipality: refused, also as CSV.
    let reply = app
        .call(&admin, "rollout_dashboard", &request("", "", "", "1"))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let csv = app
        .get("/einfuehrung/zahlen.csv?gemeinde=1", Some(&admin))
        .await;
    assert_eq!(csv.status, StatusCode::FORBIDDEN);
    let csv = app.get("/einfuehrung/zahlen.csv", Some(&admin)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains(";Erbach;"));
    assert!(!csv.body.contains("Michelstadt"));

    // Clerks, trainees and people practising see no figures.
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let trainee = app.login_demo("schulung.erb").await;
    let practising_team = app.login_demo("projekt.obz").await;
    let reply = app.call(&practising_team, "enter_practice", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    for cookie in [&clerk, &trainee, &practising_team] {
        let reply = app
            .call(cookie, "rollout_dashboard", &request("", "", "", ""))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let csv = app.get("/einfuehrung/zahlen.csv", Some(cookie)).await;
        assert_eq!(csv.status, StatusCode::FORBIDDEN);
        let page = app.get("/einfuehrung", Some(cookie)).await;
        assert!(page.body.contains("Dafür fehlt Ihnen die Berechtigung."));
        assert!(!page.body.contains("Hochgeladene Dokumente"));
    }
    let reply = app.get("/einfuehrung/zahlen.csv", None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_bad_range_gets_a_german_message_and_422() {
    let app = TestApp::demo().await;
    let team = app.login_demo("projekt.bro").await;
    for (form, words) in [
        (
            request("2026-11-30", "2026-11-01", "tag", ""),
            "beginnt nach seinem Ende",
        ),
        (request("gestern", "", "tag", ""), "kein gültiges Datum"),
        (request("2020-01-01", "2026-01-01", "tag", ""), "zu lang"),
        (request("", "", "monat", ""), "Einteilung"),
        (request("", "", "", "Erbach"), "Gemeinde aus der Liste"),
    ] {
        let reply = app.call(&team, "rollout_dashboard", &form).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{form}");
        assert!(reply.body.contains(words), "{form}: {}", reply.body);
    }
    let reply = app
        .call(&team, "rollout_dashboard", &request("", "", "", "99"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let csv = app
        .get(
            "/einfuehrung/zahlen.csv?von=2026-11-30&bis=2026-11-01",
            Some(&team),
        )
        .await;
    assert_eq!(csv.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(csv.body.contains("beginnt nach seinem Ende"));
}

/// The days of use the dashboard counts come from the session layer
/// through the hook the server wires at start: sign-in counts its day,
/// and so does the first request of a new day in a session that stayed
/// open overnight, under the home municipality also while practising.
#[tokio::test]
async fn sign_in_and_the_first_request_of_a_day_count_as_days_of_use() {
    let app = TestApp::with(&[
        ("AKTENWERK_DEMO", "true"),
        ("AKTENWERK_SESSION_IDLE_MINUTES", "1440"),
        ("AKTENWERK_SESSION_MAX_HOURS", "48"),
    ])
    .await;
    let days = |user: i64| {
        format!("SELECT COUNT(*) FROM user_activity_days WHERE user_id = {user} AND municipality_id = 2")
    };
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    let trainee = app.login_demo("schulung.erb").await;
    let clerk_id = app.user_id("sachbearbeitung.erb").await;
    let trainee_id = app.user_id("schulung.erb").await;
    for user in [clerk_id, trainee_id] {
        assert_eq!(app.count(&days(user)).await, 1, "sign-in counts today");
    }

    // Both sessions were last used in the last minute of yesterday.
    let start = now();
    let mut yesterday = start;
    while local_day(yesterday) == local_day(start) {
        yesterday -= 60;
    }
    if start - yesterday >= 1440 * 60 {
        // The last hour of the long autumn day: no idle limit reaches back.
        return;
    }
    sqlx::query("DELETE FROM user_activity_days")
        .execute(&app.state.pool)
        .await
        .expect("forget the days");
    sqlx::query("UPDATE sessions SET created_at = ?1, last_seen_at = ?1")
        .bind(yesterday)
        .execute(&app.state.pool)
        .await
        .expect("age sessions");
    for cookie in [&clerk, &trainee] {
        let reply = app.call(cookie, "current_user", "").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_ne!(reply.json(), Value::Null, "the session stays alive");
    }
    for user in [clerk_id, trainee_id] {
        assert_eq!(app.count(&days(user)).await, 1, "a new day counts");
        let today: String =
            sqlx::query_scalar("SELECT day FROM user_activity_days WHERE user_id = ?")
                .bind(user)
                .fetch_one(&app.state.pool)
                .await
                .expect("day");
        assert_eq!(today, day(now()));
    }
    // Later requests the same day add nothing.
    app.call(&clerk, "current_user", "").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM user_activity_days").await,
        2
    );
}

/// `aktenwerk rollout-check` on the test server's data directory: success
/// and what it printed.
fn rollout_check(app: &TestApp, args: &[&str]) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_aktenwerk"))
        .arg("rollout-check")
        .args(args)
        .env_clear()
        .env("AKTENWERK_DATA_DIR", app.dir.path())
        .output()
        .expect("run aktenwerk");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[tokio::test]
async fn rollout_check_names_each_value_the_summary_gets_wrong() {
    let app = TestApp::demo().await;
    let clerk = app.login_demo("sachbearbeitung.erb").await;
    app.upload_ok(&clerk, "a.pdf", &samples::pdf("a")).await;
    let (ok, out) = rollout_check(&app, &[]);
    assert!(ok, "{out}");
    assert!(out.contains("Einführungsstand in Ordnung"), "{out}");

    let today = day(now());
    sqlx::query("UPDATE rollout_days SET uploaded = uploaded + 2 WHERE municipality_id = 2")
        .execute(&app.state.pool)
        .await
        .expect("tamper");
    let (ok, out) = rollout_check(&app, &["--von", &today, "--bis", &today]);
    assert!(!ok, "{out}");
    let shown = app::time::display_date(local_day(now()));
    assert!(
        out.contains(&format!(
            "ABWEICHUNG Hochgeladene Dokumente – Erbach, {shown}: Zusammenfassung 3, aus den Ereignissen neu berechnet 1"
        )),
        "{out}"
    );
    assert!(out.contains("EINFÜHRUNGSSTAND WEICHT AB: 1 von"), "{out}");

    let (ok, out) = rollout_check(&app, &["--von", "gestern"]);
    assert!(!ok);
    assert!(out.contains("kein gültiges Datum"), "{out}");
}
