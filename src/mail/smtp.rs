//! SMTP over plain TCP (with STARTTLS when asked) on connections we open ourselves, so that
//! `TCP_NODELAY` is set: lettre writes a message's body and its closing `.` in two writes, and
//! with Nagle's algorithm the second waits for the server's delayed acknowledgement (up to
//! 40 ms per message). Idle connections are kept and reused by every job. Also what a failed
//! send means (`SendError`): worth another attempt, or refused for good.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use lettre::Message;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;

/// How long connecting or sending one message may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// Idle connections older than this are closed rather than reused (servers drop them).
const MAX_IDLE: Duration = Duration::from_secs(50);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StartTls {
    Never,
    IfOffered,
    Required,
}

/// The server of an `smtp://` URL and the connections kept open to it.
pub struct DirectSmtp {
    host: String,
    port: u16,
    starttls: StartTls,
    credentials: Option<Credentials>,
    hello: ClientId,
    max_idle: usize,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
}

impl std::fmt::Debug for DirectSmtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DirectSmtp({}:{})", self.host, self.port)
    }
}

impl DirectSmtp {
    /// From `smtp://[user:password@]host[:port][?tls=required|opportunistic]`; `None` for other
    /// schemes (`smtps://` goes through lettre's own transport).
    pub fn from_url(url: &str, max_idle: usize) -> Result<Option<Self>, String> {
        let url = url::Url::parse(url).map_err(|e| e.to_string())?;
        if url.scheme() != "smtp" {
            return Ok(None);
        }
        let host = url.host_str().ok_or("the URL names no host")?.to_string();
        let starttls = match url
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned())
            .as_deref()
        {
            None | Some("none") => StartTls::Never,
            Some("opportunistic") => StartTls::IfOffered,
            Some("required") => StartTls::Required,
            Some(other) => {
                return Err(format!(
                    "unknown tls mode “{other}”: use required or opportunistic"
                ));
            }
        };
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        let credentials = (!url.username().is_empty()).then(|| {
            Credentials::new(decode(url.username()), decode(url.password().unwrap_or("")))
        });
        Ok(Some(Self {
            port: url.port().unwrap_or(25),
            host,
            starttls,
            credentials,
            hello: ClientId::default(),
            max_idle: max_idle.max(1),
            idle: Mutex::new(Vec::new()),
        }))
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let network = |e: std::io::Error| {
            SendError::Temporary(format!("cannot reach {}:{}: {e}", self.host, self.port))
        };
        let tcp = tokio::time::timeout(
            SMTP_TIMEOUT,
            tokio::net::TcpStream::connect((self.host.as_str(), self.port)),
        )
        .await
        .map_err(|_| network(std::io::ErrorKind::TimedOut.into()))?
        .map_err(network)?;
        tcp.set_nodelay(true).map_err(network)?;
        let mut connection =
            AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello)
                .await
                .map_err(classify)?;
        let encrypt = match self.starttls {
            StartTls::Required => true,
            StartTls::IfOffered => connection.can_starttls(),
            StartTls::Never => false,
        };
        if encrypt {
            let parameters = TlsParameters::new(self.host.clone()).map_err(classify)?;
            connection
                .starttls(parameters, &self.hello)
                .await
                .map_err(classify)?;
        }
        if let Some(credentials) = &self.credentials {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .map_err(classify)?;
        }
        Ok(connection)
    }

    fn take_idle(&self) -> Option<AsyncSmtpConnection> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        while let Some((connection, since)) = idle.pop() {
            if since.elapsed() < MAX_IDLE && !connection.has_broken() {
                return Some(connection);
            }
        }
        None
    }

    fn put_back(&self, connection: AsyncSmtpConnection) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < self.max_idle && !connection.has_broken() {
            idle.push((connection, Instant::now()));
        }
    }

    /// Sends on a kept connection, or a new one. A kept connection the server has closed in the
    /// meantime fails without a server answer: the message is then tried once on a new one.
    pub async fn send(&self, message: &Message) -> Result<(), SendError> {
        let envelope = message.envelope().clone();
        let bytes = message.formatted();
        if let Some(mut kept) = self.take_idle() {
            match timed(async {
                kept.send(&envelope, &bytes)
                    .await
                    .map_err(|e| (e.status().is_some(), classify(e)))
            })
            .await
            {
                Ok(_) => {
                    self.put_back(kept);
                    return Ok(());
                }
                Err((true, answered)) => return Err(answered),
                Err((false, _stale)) => {} // the server closed it meanwhile: try a fresh one
            }
        }
        let mut fresh = timed(async { self.connect().await.map_err(|e| (false, e)) })
            .await
            .map_err(|(_, e)| e)?;
        timed(async {
            fresh
                .send(&envelope, &bytes)
                .await
                .map_err(|e| (false, classify(e)))
        })
        .await
        .map_err(|(_, e)| e)?;
        self.put_back(fresh);
        Ok(())
    }
}

/// Bounds one SMTP exchange in time, so a server that stops answering cannot hold a job.
async fn timed<T>(
    work: impl Future<Output = Result<T, (bool, SendError)>>,
) -> Result<T, (bool, SendError)> {
    tokio::time::timeout(SMTP_TIMEOUT, work)
        .await
        .unwrap_or_else(|_| {
            Err((
                false,
                SendError::Temporary("the SMTP server did not answer in time".into()),
            ))
        })
}

/// Why a message was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Worth another attempt later: the server is down, busy, or refused for now (4xx).
    #[error("{0}")]
    Temporary(String),
    /// The recipient was refused for good (5xx): another attempt would fail the same way.
    #[error("{0}")]
    Permanent(String),
}

/// 5xx answers are permanent, except those that speak of the sender or of our own credentials
/// or policy (530, 534, 535, 538, enhanced codes 5.7.x, 5.1.7, 5.1.8): those are a problem of
/// this installation, not of the recipient, and must not bounce every invitation.
pub(super) fn classify(error: lettre::transport::smtp::Error) -> SendError {
    let text = error.to_string();
    if !error.is_permanent() {
        return SendError::Temporary(text);
    }
    let code = error.status().map(|c| c.to_string()).unwrap_or_default();
    let ours = matches!(code.as_str(), "530" | "534" | "535" | "538")
        || text.contains(" 5.7.")
        || text.contains(" 5.1.7")
        || text.contains(" 5.1.8");
    if ours {
        SendError::Temporary(text)
    } else {
        SendError::Permanent(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_give_host_port_tls_and_credentials() {
        let plain = DirectSmtp::from_url("smtp://127.0.0.1:2525", 4)
            .unwrap()
            .unwrap();
        assert_eq!(
            (plain.host.as_str(), plain.port, plain.starttls),
            ("127.0.0.1", 2525, StartTls::Never)
        );
        assert!(plain.credentials.is_none());
        let secure = DirectSmtp::from_url(
            "smtp://desk%40ngo.example:p%3Ass@mail.example:587?tls=required",
            4,
        )
        .unwrap()
        .unwrap();
        assert_eq!((secure.port, secure.starttls), (587, StartTls::Required));
        assert!(secure.credentials.is_some());
        assert!(
            DirectSmtp::from_url("smtps://mail.example", 4)
                .unwrap()
                .is_none()
        );
        assert!(DirectSmtp::from_url("smtp://mail.example?tls=maybe", 4).is_err());
    }
}
