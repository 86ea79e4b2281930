//! The coordinator's downloads of a letter: the answers so far
//! (`/app/letters/{id}/responses.csv` and `.xlsx`, one row per invitation) and the audit trail
//! (`audit.csv` and `audit.xlsx`), both formats with the same columns and rows, named after
//! the slug, linked from the dashboard and the audit page, and only for those logged in.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use serde_json::json;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::letters::NewLetter;
use crate::support::partners::Partner;
use crate::support::sheets::{csv_rows, xlsx_header_is_bold, xlsx_rows};
use crate::support::{Backend, TestApp};

storage_test!(
    the_answers_so_far_download_as_csv_and_xlsx,
    the_audit_trail_downloads_as_csv_and_xlsx,
);

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const COLUMNS: [&str; 10] = [
    "organization",
    "status",
    "decision",
    "signer_name",
    "signer_title",
    "comment",
    "version",
    "answered_at_utc",
    "tier",
    "country",
];

/// GETs a download with the app's browser: its rows, after checking its type, its file name
/// and that it is not cached.
async fn download(app: &TestApp, path: &str, file_name: &str) -> Vec<Vec<String>> {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let headers = response.headers().clone();
    let text = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    assert_eq!(
        text(CONTENT_DISPOSITION),
        format!(r#"attachment; filename="{file_name}""#)
    );
    assert_eq!(text(CACHE_CONTROL), "no-store");
    let body = response.bytes().await.unwrap();
    if path.ends_with(".xlsx") {
        assert_eq!(text(CONTENT_TYPE), XLSX);
        let sheet = if path.contains("audit") {
            "Audit"
        } else {
            "Responses"
        };
        assert!(xlsx_header_is_bold(&body, sheet), "{path}");
        xlsx_rows(&body, sheet)
    } else {
        assert_eq!(text(CONTENT_TYPE), "text/csv; charset=utf-8");
        assert!(!body.starts_with(b"\xEF\xBB\xBF"), "no byte-order mark");
        csv_rows(&body)
    }
}

async fn the_answers_so_far_download_as_csv_and_xlsx(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let token = app.admin_token_of("coordinator@example.org");
    let letter = NewLetter::new()
        .invitee(
            json!({ "organization": "Уйгурский конгресс", "tier": "lead",
                         "email": "kongress@example.org", "country": "KZ" }),
        )
        .invitee(
            json!({ "organization": "Église et Société", "email": "eglise@example.org",
                         "country": "CH" }),
        )
        .invitee(json!({ "organization": "منظمة العفو", "email": "afw@example.org" }))
        .invitee(json!({ "organization": "Silent Partners", "email": "silent@example.org" }))
        .invitee(json!({ "organization": "Opened But Quiet", "email": "quiet@example.org" }))
        .create(&app, &token)
        .await;

    let eglise = Partner::open(&app, "Église et Société").await;
    let (status, page) = eglise
        .send_answer(
            &eglise.page,
            "sign",
            "Zoë Ångström-Lefèvre",
            "Secrétaire générale",
            "=1+1 « nous signons »",
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let kongress = Partner::open(&app, "Уйгурский конгресс").await;
    let (status, _) = kongress
        .send_answer(&kongress.page, "decline", "Иван Петров", "Директор", "")
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // An answer changed: the row shows the newest one.
    let afw = Partner::open(&app, "منظمة العفو").await;
    let (status, _) = afw
        .send_answer(&afw.page, "sign", "سارة أحمد", "مديرة", "")
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let afw = Partner::open(&app, "منظمة العفو").await;
    let (status, _) = afw
        .send_answer(&afw.page, "decline", "سارة أحمد", "مديرة", "بعد التفكير")
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    Partner::open(&app, "Opened But Quiet").await;

    let dashboard = app
        .get(&format!("/app/letters/{}", letter.id))
        .await
        .text()
        .await
        .unwrap();
    for format in ["csv", "xlsx"] {
        let link = format!(r#"href="/app/letters/{}/responses.{format}""#, letter.id);
        assert!(dashboard.contains(&link), "the dashboard links {link}");
    }

    let csv = download(
        &app,
        &format!("/app/letters/{}/responses.csv", letter.id),
        &format!("{}-responses.csv", letter.slug),
    )
    .await;
    let xlsx = download(
        &app,
        &format!("/app/letters/{}/responses.xlsx", letter.id),
        &format!("{}-responses.xlsx", letter.slug),
    )
    .await;
    assert_eq!(csv[0], COLUMNS);
    assert_eq!(xlsx[0], COLUMNS);
    assert_eq!(csv.len(), 6, "one row per invitation: {csv:?}");
    let row = |rows: &[Vec<String>], organization: &str| -> Vec<String> {
        rows.iter()
            .find(|r| r[0] == organization)
            .unwrap_or_else(|| panic!("no row for {organization} in {rows:?}"))
            .clone()
    };
    // Leads first, then the others in the reader's alphabetical order.
    let order: Vec<&str> = xlsx[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        order,
        [
            "Уйгурский конгресс",
            "Église et Société",
            "Opened But Quiet",
            "Silent Partners",
            "منظمة العفو",
        ]
    );
    let eglise = row(&xlsx, "Église et Société");
    assert_eq!(
        eglise[..7],
        [
            "Église et Société",
            "signed",
            "sign",
            "Zoë Ångström-Lefèvre",
            "Secrétaire générale",
            "=1+1 « nous signons »",
            "1"
        ]
    );
    assert!(
        eglise[7].ends_with('Z') && eglise[7].contains('T'),
        "{eglise:?}"
    );
    assert_eq!(eglise[8..], ["supporting", "CH"]);
    let kongress = row(&xlsx, "Уйгурский конгресс");
    assert_eq!(
        kongress[1..5],
        ["declined", "decline", "Иван Петров", "Директор"]
    );
    assert_eq!(kongress[8..], ["lead", "KZ"]);
    let afw = row(&xlsx, "منظمة العفو");
    assert_eq!(
        afw[1..6],
        ["declined", "decline", "سارة أحمد", "مديرة", "بعد التفكير"]
    );
    assert_eq!(afw[9], "");
    assert_eq!(
        row(&xlsx, "Silent Partners")[1..8],
        ["queued", "", "", "", "", "", ""]
    );
    assert_eq!(row(&xlsx, "Opened But Quiet")[1], "opened");

    // The CSV holds the same rows; only the comment that looks like a formula is guarded.
    let mut guarded = xlsx.clone();
    for row in &mut guarded {
        if row[5].starts_with('=') {
            row[5] = format!("'{}", row[5]);
        }
    }
    assert_eq!(csv, guarded);
}

async fn the_audit_trail_downloads_as_csv_and_xlsx(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let token = app.admin_token_of("coordinator@example.org");
    let letter = NewLetter::new()
        .organizations(&[
            ("Église et Société", "lead"),
            ("Уйгурский конгресс", "supporting"),
        ])
        .create(&app, &token)
        .await;
    let audit = app
        .get(&format!("/app/letters/{}/audit", letter.id))
        .await
        .text()
        .await
        .unwrap();
    for format in ["csv", "xlsx"] {
        let link = format!(r#"href="/app/letters/{}/audit.{format}""#, letter.id);
        assert!(audit.contains(&link), "the audit page links {link}");
    }
    let csv = download(
        &app,
        &format!("/app/letters/{}/audit.csv", letter.id),
        &format!("{}-audit.csv", letter.slug),
    )
    .await;
    let xlsx = download(
        &app,
        &format!("/app/letters/{}/audit.xlsx", letter.id),
        &format!("{}-audit.xlsx", letter.slug),
    )
    .await;
    let header = [
        "time_utc",
        "actor",
        "action",
        "invitation_id",
        "detail",
        "ip",
        "user_agent",
    ];
    assert_eq!(csv[0], header);
    assert_eq!(csv, xlsx, "the same rows in both formats");
    let actions: Vec<&str> = xlsx[1..].iter().map(|r| r[2].as_str()).collect();
    assert!(actions.contains(&"letter.created"), "{actions:?}");
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "invitation.created")
            .count(),
        2
    );
    assert!(
        xlsx.iter().any(|r| r[4].contains("Уйгурский конгресс")),
        "names in Cyrillic are kept: {xlsx:?}"
    );
    let missing = app.get("/app/letters/no-such-letter/responses.xlsx").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
