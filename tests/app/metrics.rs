//! Prometheus metrics on their own listener (`metrics.listen`), never on the public address:
//! requests by route pattern (no token ever appears), latency histograms, the outbox's depth
//! and age, deliveries by result, answers by decision and releases; and `serve` and `worker`
//! processes that report the port they serve metrics on.

use reqwest::StatusCode;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::{answer, sign_path_of};
use crate::support::processes::Process;
use crate::support::workers::after_a_full_pass;
use crate::support::{Backend, TestApp, TestDatabase};

storage_test!(metrics_count_requests_outbox_deliveries_answers_and_releases,);

/// The metrics text of an app's listener.
async fn scrape(app: &TestApp) -> String {
    let address = app.metrics_address.as_ref().expect("a metrics listener");
    let response = reqwest::get(format!("{address}/metrics")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    response.text().await.unwrap()
}

/// The value of the sample named exactly `series` (name and labels), if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

async fn metrics_count_requests_outbox_deliveries_answers_and_releases(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("UNDERSIGNED_METRICS__LISTEN", "127.0.0.1:0")]).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let letter = NewLetter::new()
        .organizations(&[
            ("Lead Rights Watch", "lead"),
            ("Press Freedom Now", "supporting"),
            ("Silent Partner", "supporting"),
        ])
        .create(&app, &admin)
        .await;

    // Three invitations wait in the outbox (no worker runs yet).
    let waiting = scrape(&app).await;
    assert_eq!(
        sample(
            &waiting,
            r#"undersigned_outbox_jobs{kind="invitation",status="pending"}"#
        ),
        Some(3.0),
        "{waiting}"
    );
    assert!(sample(&waiting, "undersigned_outbox_oldest_waiting_seconds").unwrap() >= 0.0);
    assert_eq!(
        sample(
            &waiting,
            r#"undersigned_deliveries_total{kind="email",result="sent"}"#
        ),
        None
    );

    // A worker sends them.
    let worker = app.start_worker();
    after_a_full_pass(&worker).await;
    worker.stop().await;
    let sent = scrape(&app).await;
    assert_eq!(
        sample(
            &sent,
            r#"undersigned_deliveries_total{kind="email",result="sent"}"#
        ),
        Some(3.0),
        "{sent}"
    );
    assert_eq!(
        sample(
            &sent,
            r#"undersigned_outbox_jobs{kind="invitation",status="sent"}"#
        ),
        Some(3.0),
        "{sent}"
    );
    assert_eq!(
        sample(&sent, "undersigned_outbox_oldest_waiting_seconds"),
        Some(0.0)
    );

    let sign_path = sign_path_of(&app, "Lead Rights Watch").await;
    answer(&app, "Lead Rights Watch", "sign").await;
    answer(&app, "Press Freedom Now", "sign").await;
    release_now(&app, &admin, &letter.id).await;
    let page = app.get(&format!("/letters/{}", letter.slug)).await;
    assert_eq!(page.status(), StatusCode::OK);

    let text = scrape(&app).await;
    assert_eq!(
        sample(&text, r#"undersigned_answers_total{decision="sign"}"#),
        Some(2.0),
        "{text}"
    );
    assert_eq!(sample(&text, "undersigned_releases_total"), Some(1.0));
    assert_eq!(sample(&text, "undersigned_revisions_total"), Some(0.0));
    // Confirmations and release notices wait for the next worker.
    assert_eq!(
        sample(
            &text,
            r#"undersigned_outbox_jobs{kind="confirmation",status="pending"}"#
        ),
        Some(2.0),
        "{text}"
    );
    // Requests are counted by route pattern: the token of a sign link never appears. (The
    // link moves its token out of the address, then the answer is sent to /sign.)
    for series in [
        r#"undersigned_http_requests_total{method="GET",route="/sign/{token}",status="303"}"#,
        r#"undersigned_http_requests_total{method="POST",route="/sign",status="303"}"#,
    ] {
        assert_eq!(sample(&text, series), Some(2.0), "{series}: {text}");
    }
    let token = sign_path.trim_start_matches("/sign/");
    assert!(!text.contains(token));
    assert_eq!(
        sample(
            &text,
            r#"undersigned_http_request_duration_seconds_count{method="GET",route="/letters/{name}"}"#
        ),
        Some(1.0),
        "{text}"
    );
    assert!(text.contains(
        r#"undersigned_http_request_duration_seconds_bucket{method="GET",route="/letters/{name}",le="0.005"}"#
    ));

    // Made-up methods add no series of their own.
    for method in ["FROB", "XYZZY"] {
        app.client
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                app.url("/"),
            )
            .send()
            .await
            .unwrap();
    }
    let text = scrape(&app).await;
    assert!(!text.contains("FROB") && !text.contains("XYZZY"));
    assert!(text.contains(r#"method="OTHER""#), "{text}");

    // The public address has no metrics.
    assert_eq!(app.get("/metrics").await.status(), StatusCode::NOT_FOUND);
}

#[test]
fn serve_and_worker_processes_serve_metrics_on_their_own_port_only() {
    let db = TestDatabase::create(Backend::Sqlite);
    let listen = [("UNDERSIGNED_METRICS__LISTEN", "127.0.0.1:0")];
    let metrics_port = |process: &Process| {
        process
            .log()
            .lines()
            .find_map(|line| {
                line.split("metrics_port=")
                    .nth(1)?
                    .split(' ')
                    .next()?
                    .parse::<u16>()
                    .ok()
            })
            .expect("the port of the metrics listener in the log")
    };
    let get = |port: u16, path: &str| -> (u16, String) {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let status = answer[9..12].parse().unwrap();
        (status, answer)
    };
    let serve = Process::serve(&db, &[], &listen);
    let port = metrics_port(&serve);
    let (status, text) = get(port, "/metrics");
    assert_eq!(status, 200);
    assert!(text.contains("undersigned_releases_total 0"), "{text}");
    assert_eq!(get(serve.port, "/metrics").0, 404);
    drop(serve);

    let worker = Process::worker(&db, &listen);
    let (status, text) = get(metrics_port(&worker), "/metrics");
    assert_eq!(status, 200);
    assert!(
        text.contains("undersigned_outbox_oldest_waiting_seconds"),
        "{text}"
    );

    // Without the setting, serve reports no metrics listener.
    let plain = Process::serve(&db, &[], &[]);
    assert!(!plain.log().contains("metrics_port=1"), "{}", plain.log());
}
