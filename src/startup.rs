//! Builds the running application: the shared context, the HTTP server on its socket, and
//! everything it wraps each request in. Port 0 picks a free port, reported by `port()`.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::{NormalizePath, TrailingSlash, from_fn};
use actix_web::{App, HttpServer};
use anyhow::Context as _;

use crate::app::Context;
use crate::app::outbox::Worker;
use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::TrustedProxies;
use crate::web::{self, ApiError, WebError};
use actix_web::web::{Data, FormConfig, JsonConfig};

/// The largest form body: an address book file previewed and sent back for import.
const FORM_LIMIT: usize = 4 << 20;

pub struct Application {
    port: u16,
    server: Server,
    context: Context,
    /// The mail worker that runs beside the server, unless left out.
    worker: Option<Worker>,
    /// The metrics listener (`metrics.listen`) and its port, when one is set.
    metrics: Option<(u16, Server)>,
}

impl Application {
    /// Opens the database (applying migrations), binds `server.listen` and prepares the
    /// server; nothing is served until `run_until_stopped`.
    pub async fn build(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        let address = settings.listen_addr()?;
        let listener =
            TcpListener::bind(address).with_context(|| format!("cannot listen on {address}"))?;
        Self::build_on(listener, settings, clock).await
    }

    /// The same on a socket bound by the caller (tests bind port 0 first, so that
    /// `server.base_url` can name the real port).
    pub async fn build_on(
        listener: TcpListener,
        settings: Settings,
        clock: Clock,
    ) -> anyhow::Result<Self> {
        let workers = match settings.server.workers {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n,
        };
        let shutdown_timeout = settings.server.shutdown_timeout_seconds;
        let trusted_proxies = settings.trusted_proxies()?;
        let metrics_listener = metrics_listener(&settings)?;
        let context = Context::open(settings, clock).await?;
        let port = listener.local_addr()?.port();
        let server = http_server(
            listener,
            context.clone(),
            trusted_proxies,
            workers,
            shutdown_timeout,
        )?;
        let worker = Some(Worker::new(context.clone())?);
        let metrics = match metrics_listener {
            Some(listener) => Some((
                listener.local_addr()?.port(),
                web::metrics::server(listener, context.clone())?,
            )),
            None => None,
        };
        Ok(Self {
            port,
            server,
            context,
            worker,
            metrics,
        })
    }

    /// Serves without delivering email (`serve --no-worker`): another process runs the worker.
    pub fn without_worker(mut self) -> Self {
        self.worker = None;
        self
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the metrics listener, when `metrics.listen` sets one.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    pub fn context(&self) -> &Context {
        &self.context
    }

    /// Serves until SIGTERM or Ctrl-C, then lets requests in flight finish, and the mail worker
    /// finish the emails it is sending.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let worker = self.worker.map(Worker::spawn);
        let metrics = self.metrics.map(|(_, server)| {
            let handle = server.handle();
            tokio::spawn(server);
            handle
        });
        let served = self.server.await;
        if let Some(worker) = worker {
            worker.stop().await;
        }
        if let Some(metrics) = metrics {
            metrics.stop(true).await;
        }
        served
    }
}

/// Binds `metrics.listen`, when it is set.
pub fn metrics_listener(settings: &Settings) -> anyhow::Result<Option<TcpListener>> {
    settings
        .metrics_addr()?
        .map(|address| {
            TcpListener::bind(address)
                .with_context(|| format!("cannot listen for metrics on {address}"))
        })
        .transpose()
}

fn http_server(
    listener: TcpListener,
    context: Context,
    trusted_proxies: TrustedProxies,
    workers: usize,
    shutdown_timeout: u64,
) -> std::io::Result<Server> {
    let https = context.base_url.is_https();
    let public_cache = Data::new(crate::web::PublicCache::default());
    let trusted_proxies = Data::new(trusted_proxies);
    let data = Data::new(context);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(trusted_proxies.clone())
            .app_data(public_cache.clone())
            .app_data(FormConfig::default().limit(FORM_LIMIT))
            .app_data(JsonConfig::default().limit(1 << 20).error_handler(|e, _| {
                ApiError(WebError::bad_request(format!(
                    "the JSON body is invalid: {e}"
                )))
                .into()
            }))
            .configure(web::routes)
            .wrap(NormalizePath::new(TrailingSlash::MergeOnly))
            .wrap(from_fn(web::session::csrf_cookie))
            .wrap(web::security_headers(https))
            .wrap(from_fn(web::framing_as_the_policy_says))
            .wrap(from_fn(web::head_as_get))
            .wrap(from_fn(web::request_context))
    })
    .workers(workers)
    .shutdown_timeout(shutdown_timeout)
    .listen(listener)?
    .run();
    Ok(server)
}
