//! Where messages go: an SMTP server (our own connections for `smtp://`, lettre's pooled
//! transport for `smtps://`), or `.eml` files in a folder when no SMTP server is configured. A
//! failure says whether trying again later may help (`mail::smtp::SendError`).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use super::smtp::{DirectSmtp, SendError, classify};
use crate::config::Settings;

/// How long one SMTP command may take; `mail.lease_seconds` must stay above it.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// The folder of `.eml` files under the data folder.
pub const OUTGOING_FOLDER: &str = "mail";

#[derive(Clone)]
pub enum Mailer {
    /// `smtp://`: connections opened by us, with `TCP_NODELAY` (see `mail::smtp`).
    Direct(Arc<DirectSmtp>),
    /// `smtps://`: lettre's pooled transport, which wraps the connection in TLS itself.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("setting `mail.smtp_url` cannot be used: {0}")]
    SmtpUrl(#[from] lettre::transport::smtp::Error),
    #[error("setting `mail.smtp_url` cannot be used: {0}")]
    Url(String),
}

impl Mailer {
    /// SMTP when `mail.smtp_url` is set (smtp://, smtps://, `?tls=required` for STARTTLS, user
    /// and password in the URL), else files under `<storage.data_dir>/mail/`.
    pub fn from_settings(settings: &Settings) -> Result<Self, MailerError> {
        let url = settings.mail.smtp_url.expose_secret();
        if url.is_empty() {
            return Ok(Self::Files(settings.storage.data_dir.join(OUTGOING_FOLDER)));
        }
        if let Some(direct) = DirectSmtp::from_url(url, settings.mail.connections as usize)
            .map_err(MailerError::Url)?
        {
            return Ok(Self::Direct(Arc::new(direct)));
        }
        let pool = PoolConfig::new()
            .max_size(settings.mail.connections)
            .idle_timeout(Duration::from_secs(60));
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
            .timeout(Some(SMTP_TIMEOUT))
            .pool_config(pool)
            .build();
        Ok(Self::Smtp(transport))
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Direct(_) | Self::Smtp(_) => "SMTP".into(),
            Self::Files(dir) => format!(".eml files in {}", dir.display()),
        }
    }

    /// Delivers one message. `file_stem` names the `.eml` file of the file transport (letters,
    /// digits, `-` and `_` only).
    #[tracing::instrument(skip_all, fields(transport = %self.describe()))]
    pub async fn send(&self, message: Message, file_stem: &str) -> Result<(), SendError> {
        match self {
            Self::Direct(smtp) => smtp.send(&message).await,
            Self::Smtp(transport) => transport.send(message).await.map(drop).map_err(classify),
            Self::Files(dir) => {
                let dir = dir.clone();
                let stem: String = file_stem
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                    .collect();
                tokio::task::spawn_blocking(move || write_eml(&dir, &stem, &message.formatted()))
                    .await
                    .map_err(|e| SendError::Temporary(format!("the file writer stopped: {e}")))?
                    .map_err(|e| SendError::Temporary(format!("cannot write the .eml file: {e}")))
            }
        }
    }
}

/// Writes the file under a temporary name, then renames it, so a listed file is always whole.
fn write_eml(dir: &std::path::Path, stem: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let partial = dir.join(format!(".{stem}.partial"));
    let mut file = std::fs::File::create(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&partial, dir.join(format!("{stem}.eml")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Message {
        Message::builder()
            .from("a@example.org".parse().unwrap())
            .to("b@example.org".parse().unwrap())
            .subject("s")
            .body(String::from("body"))
            .unwrap()
    }

    #[tokio::test]
    async fn the_file_transport_writes_whole_eml_files() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::Files(dir.path().join("mail"));
        mailer.send(message(), "20261126-job/../x").await.unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path().join("mail"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["20261126-jobx.eml"]);
    }
}
