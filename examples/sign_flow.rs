//! Load generator for the partner's sign flow, as `bench/sign/run.sh` drives it: every worker
//! takes the next sign link from a file and answers it like a partner in a browser of their own
//! (a fresh cookie jar per link): `GET /sign/{token}` (303 to `/sign`, the sign cookie set),
//! `GET /sign` (the form), `POST /sign` with the form's hidden fields and `decision=sign`
//! (303 back to `/sign`). Prints one JSON line: flows per second and each step's latency.
//!
//! ```text
//! cargo run --release --example sign_flow -- --links links.txt --concurrency 32 [--seconds 10]
//!     [--base http://127.0.0.1:8080[,http://127.0.0.1:8081]]
//! ```
//!
//! Links are used as written, unless `--base` is given: then each worker sends its flows to one
//! of those origins (round robin over workers), to load several instances sharing a database.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, StatusCode, redirect};

struct Options {
    links: Vec<String>,
    concurrency: usize,
    seconds: Option<f64>,
    bases: Vec<String>,
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let (mut links, mut concurrency, mut seconds, mut bases) = (None, 1, None, Vec::new());
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--links" => links = Some(value()?),
            "--concurrency" => concurrency = value()?.parse().map_err(|e| format!("{e}"))?,
            "--seconds" => seconds = Some(value()?.parse().map_err(|e| format!("{e}"))?),
            "--base" => bases = value()?.split(',').map(str::to_string).collect(),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let path = links.ok_or("--links FILE is required")?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let links = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    Ok(Options {
        links,
        concurrency: concurrency.max(1),
        seconds: seconds.filter(|s: &f64| *s > 0.0),
        bases,
    })
}

/// The time each step of one flow took.
struct Flow {
    link: Duration,
    page: Duration,
    post: Duration,
    total: Duration,
}

/// The cookies one partner's browser holds (name → value); every path is under `/sign` or `/`.
#[derive(Default)]
struct Jar(BTreeMap<String, String>);

impl Jar {
    fn keep(&mut self, response: &reqwest::Response) {
        for header in response.headers().get_all(SET_COOKIE) {
            let Ok(text) = header.to_str() else { continue };
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                self.0
                    .insert(name.trim().to_string(), value.trim().to_string());
            }
        }
    }

    fn header(&self) -> String {
        let pairs: Vec<String> = self.0.iter().map(|(n, v)| format!("{n}={v}")).collect();
        pairs.join("; ")
    }
}

/// The value of the first `<input name="{name}" value="…">` of the page, entities decoded.
fn field(page: &str, name: &str) -> Result<String, String> {
    let marker = format!(r#"name="{name}" value=""#);
    let start = page
        .find(&marker)
        .ok_or(format!("no {name} on the sign page"))?
        + marker.len();
    let end = page[start..].find('"').ok_or("an unterminated value")?;
    Ok(page[start..start + end]
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&"))
}

/// `link` sent to `base` instead of its own origin, when a base is given.
fn retarget(link: &str, base: Option<&str>) -> String {
    match (base, link.find("/sign/")) {
        (Some(base), Some(at)) => format!("{}{}", base.trim_end_matches('/'), &link[at..]),
        _ => link.to_string(),
    }
}

async fn sign(client: &Client, link: &str) -> Result<Flow, String> {
    let origin = &link[..link.find("/sign/").ok_or("not a sign link")?];
    let mut jar = Jar::default();
    let started = Instant::now();
    let opened = client.get(link).send().await.map_err(|e| e.to_string())?;
    if opened.status() != StatusCode::SEE_OTHER {
        return Err(format!("GET {link}: {}", opened.status()));
    }
    jar.keep(&opened);
    let location = opened
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let link_time = started.elapsed();

    let at = Instant::now();
    let page = client
        .get(format!("{origin}{location}"))
        .header(COOKIE, jar.header())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if page.status() != StatusCode::OK {
        return Err(format!("GET {location}: {}", page.status()));
    }
    jar.keep(&page);
    let page = page.text().await.map_err(|e| e.to_string())?;
    let page_time = at.elapsed();

    let form = [
        ("csrf_token", field(&page, "csrf_token")?),
        ("submission_key", field(&page, "submission_key")?),
        ("content_sha256", field(&page, "content_sha256")?),
        ("decision", "sign".to_string()),
        ("signer_name", "Bench Signer".to_string()),
        ("signer_title", "Director".to_string()),
        (
            "organization_display_name",
            field(&page, "organization_display_name")?,
        ),
        ("comment", String::new()),
    ];
    let at = Instant::now();
    let answer = client
        .post(format!("{origin}/sign"))
        .header(COOKIE, jar.header())
        .form(&form)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = answer.status();
    // Read to the end, as a browser would before following the redirect.
    let body = answer.text().await.map_err(|e| e.to_string())?;
    let post_time = at.elapsed();
    if status != StatusCode::SEE_OTHER {
        let start = body.find("<main").unwrap_or(0);
        let excerpt: String = body[start..].chars().take(300).collect();
        return Err(format!("POST /sign: {status} {excerpt}"));
    }
    Ok(Flow {
        link: link_time,
        page: page_time,
        post: post_time,
        total: started.elapsed(),
    })
}

/// p-th percentile in milliseconds of sorted durations.
fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("sign_flow: {message}");
            std::process::exit(2);
        }
    };
    let links = Arc::new(options.links);
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = options.seconds.map(Duration::from_secs_f64);
    let started = Instant::now();
    let mut workers = Vec::new();
    for n in 0..options.concurrency {
        let (links, next) = (links.clone(), next.clone());
        let base =
            (!options.bases.is_empty()).then(|| options.bases[n % options.bases.len()].clone());
        workers.push(tokio::spawn(async move {
            let client = Client::builder()
                .redirect(redirect::Policy::none())
                .pool_max_idle_per_host(1)
                .build()
                .expect("an HTTP client");
            let (mut flows, mut errors) = (Vec::new(), Vec::new());
            loop {
                if deadline.is_some_and(|d| started.elapsed() >= d) {
                    break;
                }
                let Some(link) = links.get(next.fetch_add(1, Ordering::Relaxed)) else {
                    break;
                };
                match sign(&client, &retarget(link, base.as_deref())).await {
                    Ok(flow) => flows.push(flow),
                    Err(error) => errors.push(error),
                }
            }
            (flows, errors)
        }));
    }
    let (mut flows, mut errors) = (Vec::new(), Vec::new());
    for worker in workers {
        let (f, e) = worker.await.expect("a worker");
        flows.extend(f);
        errors.extend(e);
    }
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(first) = errors.first() {
        eprintln!(
            "sign_flow: {} flows failed; the first: {first}",
            errors.len()
        );
    }
    let mut steps: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    for flow in &flows {
        steps.entry("link").or_default().push(flow.link);
        steps.entry("page").or_default().push(flow.page);
        steps.entry("post").or_default().push(flow.post);
        steps.entry("flow").or_default().push(flow.total);
    }
    let mut fields = vec![
        format!("\"concurrency\":{}", options.concurrency),
        format!("\"flows\":{}", flows.len()),
        format!("\"errors\":{}", errors.len()),
        format!("\"seconds\":{elapsed:.3}"),
        format!("\"flows_per_second\":{:.1}", flows.len() as f64 / elapsed),
    ];
    for (step, times) in &mut steps {
        times.sort();
        fields.push(format!("\"{step}_p50_ms\":{:.2}", percentile(times, 50.0)));
        fields.push(format!("\"{step}_p99_ms\":{:.2}", percentile(times, 99.0)));
    }
    println!("{{{}}}", fields.join(","));
}
