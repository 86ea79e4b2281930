//! What partners wrote reaches the coordinators: the note or decline reason of the current
//! decision on the dashboard row (shortened, linking to the whole) and on the invitation page
//! in full with every decision of the organization; in the API, the signer, title and note of
//! each invitation of a letter, and one invitation with the history of its decisions.

use chrono::DateTime;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::letters::NewLetter;
use crate::support::partners::Partner;
use crate::support::{Backend, TestApp};

storage_test!(
    notes_and_every_decision_reach_the_api,
    notes_reach_the_dashboard_and_the_invitation_page,
);

/// A decline reason longer than a dashboard row shows, with markup that must stay text.
const REASON: &str = "Our board meets on Friday and has not approved the text yet. \
We support the <b>aims</b> and hope to sign a later version of this letter.";

/// A letter inviting Amnesty International and FIDH, where Amnesty signed (with a note), then
/// changed its mind and declined (with `REASON`); FIDH has not answered.
async fn letter_with_answers(app: &TestApp, token: &str) -> AnsweredLetter {
    let letter = NewLetter::new()
        .organizations(&[("Amnesty International", "lead"), ("FIDH", "supporting")])
        .create(app, token)
        .await;
    let partner = Partner::open(app, "Amnesty International").await;
    let (status, page) = partner
        .send_answer(
            &partner.page,
            "sign",
            "Agnès Callamard",
            "Secretary General",
            "Glad to join.",
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let partner = Partner::open(app, "Amnesty International").await;
    let (status, page) = partner
        .send_answer(
            &partner.page,
            "decline",
            "Erika Guevara",
            "Director",
            REASON,
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    AnsweredLetter {
        amnesty: letter.invitation_id("Amnesty International"),
        fidh: letter.invitation_id("FIDH"),
        letter: letter.id,
        content_sha256: letter.json["content_sha256"].as_str().unwrap().to_string(),
    }
}

/// The ids of `letter_with_answers` and the hash of its text.
struct AnsweredLetter {
    letter: String,
    amnesty: String,
    fidh: String,
    content_sha256: String,
}

fn item<'a>(list: &'a Value, id: &str) -> &'a Value {
    list["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {list}"))
}

async fn notes_and_every_decision_reach_the_api(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let ids = letter_with_answers(&app, &token).await;

    let list = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/invitations", ids.letter),
            &token,
            None,
        )
        .await;
    let amnesty = item(&list, &ids.amnesty);
    assert_eq!(amnesty["status"], "declined");
    assert_eq!(amnesty["signer_name"], "Erika Guevara");
    assert_eq!(amnesty["signer_title"], "Director");
    assert_eq!(amnesty["comment"], REASON);
    assert_eq!(amnesty["reminders_sent"], 0);
    assert!(amnesty["last_reminded_at"].is_null());
    let fidh = item(&list, &ids.fidh);
    for field in ["signer_name", "signer_title", "comment", "last_reminded_at"] {
        assert!(fidh[field].is_null(), "{field} of FIDH: {fidh}");
    }
    assert_eq!(fidh["reminders_sent"], 0);

    let one = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/invitations/{}", ids.amnesty),
            &token,
            None,
        )
        .await;
    assert_eq!(one["id"], ids.amnesty.as_str());
    assert_eq!(one["organization"], "Amnesty International");
    assert_eq!(one["comment"], REASON);
    let history = one["responses"].as_array().unwrap();
    let decisions: Vec<&str> = history
        .iter()
        .map(|r| r["decision"].as_str().unwrap())
        .collect();
    assert_eq!(decisions, ["decline", "sign"], "newest first");
    assert_eq!(history[1]["signer_name"], "Agnès Callamard");
    assert_eq!(history[1]["signer_title"], "Secretary General");
    assert_eq!(history[1]["comment"], "Glad to join.");
    assert_eq!(
        history[1]["organization_display_name"],
        "Amnesty International"
    );
    for response in history {
        assert_eq!(response["version"], 1);
        assert_eq!(response["content_sha256"], ids.content_sha256.as_str());
        assert_eq!(response["source"], "sign_link");
        DateTime::parse_from_rfc3339(response["created_at"].as_str().unwrap())
            .expect("created_at is RFC 3339");
    }
    let silent = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/invitations/{}", ids.fidh),
            &token,
            None,
        )
        .await;
    assert_eq!(silent["responses"], serde_json::json!([]));
    assert!(silent["signer_name"].is_null());

    let (status, _) = app
        .api(Method::GET, "/invitations/no-such-invitation", &token, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let openapi: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(openapi["paths"]["/api/v1/invitations/{id}"]["get"].is_object());
}

async fn notes_reach_the_dashboard_and_the_invitation_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let ids = letter_with_answers(&app, &token).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;

    let dashboard = app
        .get(&format!("/app/letters/{}", ids.letter))
        .await
        .text()
        .await
        .unwrap();
    let shown: String = REASON
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .chars()
        .take(40)
        .collect();
    assert!(dashboard.contains(&shown), "the note's start: {dashboard}");
    assert!(dashboard.contains("…”"), "a long note is shortened");
    assert!(
        !dashboard.contains("hope to sign a later version"),
        "the dashboard shows only the start of a long note"
    );
    assert!(!dashboard.contains("<b>aims</b>"), "a note stays text");
    assert!(dashboard.contains(&format!(
        r##"href="/app/invitations/{}#answers""##,
        ids.amnesty
    )));

    let page = app
        .get(&format!("/app/invitations/{}", ids.amnesty))
        .await
        .text()
        .await
        .unwrap();
    let whole = REASON.replace('<', "&lt;").replace('>', "&gt;");
    assert!(page.contains(&whole), "the whole note: {page}");
    assert!(!page.contains("<b>aims</b>"));
    for text in [
        "Agnès Callamard",
        "Secretary General",
        "Glad to join.",
        "Erika Guevara",
        "sign link",
        "UTC",
    ] {
        assert!(page.contains(text), "{text} on the invitation page");
    }
    let newest = page.find("Erika Guevara").unwrap();
    let oldest = page.find("Agnès Callamard").unwrap();
    assert!(newest < oldest, "the newest decision first");

    let silent = app
        .get(&format!("/app/invitations/{}", ids.fidh))
        .await
        .text()
        .await
        .unwrap();
    assert!(silent.contains("No answer yet."));
}
