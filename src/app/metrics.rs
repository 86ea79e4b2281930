//! Prometheus metrics, served on the separate `metrics.listen` address only (`web::metrics`).
//!
//! This process counts what it does: requests by route, method and status with their
//! latency, and deliveries by kind (`email`, `webhook`) and result. What the database knows is
//! read at each scrape, so every instance reports the same installation-wide figures: the
//! outbox's jobs by kind and status and the age of the oldest one waiting, answers by decision,
//! releases and revisions. (Take `max`, not `sum`, of those across instances.)

use prometheus::{
    Gauge, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

use super::{AppError, Context};
use crate::db::{outbox, releases, responses};

/// Latency buckets, in seconds: a cached page answers in well under a millisecond, a sign-up
/// through a busy SQLite in tens of milliseconds, an export of a large list in seconds.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// What this process counts; cheap to share (`Context` holds it in an `Arc`).
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    request_seconds: HistogramVec,
    deliveries: IntCounterVec,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "undersigned_http_requests_total",
                "HTTP requests answered, by route pattern, method and status.",
            ),
            &["route", "method", "status"],
        )
        .expect("valid metric");
        let request_seconds = HistogramVec::new(
            HistogramOpts::new(
                "undersigned_http_request_duration_seconds",
                "Time from receiving a request to its answer, by route pattern and method.",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["route", "method"],
        )
        .expect("valid metric");
        let deliveries = IntCounterVec::new(
            Opts::new(
                "undersigned_deliveries_total",
                "Outbox deliveries tried by this process, by kind (email, webhook) and result \
                 (sent, retry, dead, dropped).",
            ),
            &["kind", "result"],
        )
        .expect("valid metric");
        for collector in [requests.clone(), deliveries.clone()] {
            registry.register(Box::new(collector)).expect("unique name");
        }
        registry
            .register(Box::new(request_seconds.clone()))
            .expect("unique name");
        Self {
            registry,
            requests,
            request_seconds,
            deliveries,
        }
    }

    /// Counts one answered request. `route` is the matched pattern (`/sign/{token}`), never
    /// the path, so that tokens stay out and the number of series stays bounded.
    ///
    /// `method` is one of HTTP's own or `OTHER`, so that made-up methods add no series.
    pub fn observe_request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let method = match method {
            "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" => method,
            _ => "OTHER",
        };
        self.requests
            .with_label_values(&[route, method, &status.to_string()])
            .inc();
        self.request_seconds
            .with_label_values(&[route, method])
            .observe(seconds);
    }

    /// Counts one delivery attempt's outcome: `kind` is `email` or `webhook`, `result` one of
    /// `sent`, `retry`, `dead`, `dropped`.
    pub fn count_delivery(&self, kind: &str, result: &str) {
        self.deliveries.with_label_values(&[kind, result]).inc();
    }
}

/// The Prometheus text exposition of this process's counters and the database's figures.
///
/// Errors: the database cannot be read.
pub async fn render(ctx: &Context) -> Result<String, AppError> {
    let clock = ctx.clock.clone();
    let (depth, oldest, answers, (released, revised)) = ctx
        .db
        .run(move |conn| -> Result<_, AppError> {
            Ok((
                outbox::depth(conn)?,
                outbox::oldest_waiting(conn)?,
                responses::count_by_decision(conn)?,
                releases::count_releases_and_revisions(conn)?,
            ))
        })
        .await?;
    let now = clock.now();
    let stored = Registry::new();
    let jobs = IntGaugeVec::new(
        Opts::new(
            "undersigned_outbox_jobs",
            "Jobs in the outbox, by kind and status (pending, sending, sent, dead).",
        ),
        &["kind", "status"],
    )
    .expect("valid metric");
    for (kind, status, count) in depth {
        jobs.with_label_values(&[kind.as_str(), status.as_str()])
            .set(count);
    }
    let oldest_age = Gauge::new(
        "undersigned_outbox_oldest_waiting_seconds",
        "Age of the oldest job still waiting to go out (0 when none waits).",
    )
    .expect("valid metric");
    oldest_age.set(oldest.map_or(0.0, |queued| {
        (now - queued).num_milliseconds().max(0) as f64 / 1000.0
    }));
    let decisions = IntCounterVec::new(
        Opts::new(
            "undersigned_answers_total",
            "Answers ever recorded, by decision (sign, decline, withdraw).",
        ),
        &["decision"],
    )
    .expect("valid metric");
    for (decision, count) in answers {
        decisions
            .with_label_values(&[decision.as_str()])
            .inc_by(count.max(0) as u64);
    }
    let releases =
        IntCounter::new("undersigned_releases_total", "Letters released.").expect("valid metric");
    releases.inc_by(released.max(0) as u64);
    let revisions = IntCounter::new(
        "undersigned_revisions_total",
        "Revisions of released lists published after their release.",
    )
    .expect("valid metric");
    revisions.inc_by(revised.max(0) as u64);
    stored.register(Box::new(jobs)).expect("unique name");
    stored.register(Box::new(oldest_age)).expect("unique name");
    stored.register(Box::new(decisions)).expect("unique name");
    stored.register(Box::new(releases)).expect("unique name");
    stored.register(Box::new(revisions)).expect("unique name");
    let mut families = ctx.metrics.registry.gather();
    families.extend(stored.gather());
    Ok(TextEncoder::new()
        .encode_to_string(&families)
        .expect("gathered metrics are valid in the text format"))
}
