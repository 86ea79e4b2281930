//! The installation's secret, kept outside the database: sign-link tokens and CSRF tokens are
//! derived from it, so a copy of the database alone opens no sign link. It comes from the
//! `security.link_secret` setting (needed when several instances share one database) or, by
//! default, from `<data_dir>/secret.key`, generated on first run.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretSlice};
use sha2::Sha256;

const KEY_FILE: &str = "secret.key";

#[derive(Clone)]
pub struct ServerSecrets {
    key: SecretSlice<u8>,
}

impl ServerSecrets {
    /// Uses the configured secret (64 hex digits), or the key file, creating it when absent.
    pub fn load_or_create(configured: &str, data_dir: &Path) -> anyhow::Result<Self> {
        if !configured.is_empty() {
            return Self::from_hex(configured.trim())
                .context("setting `security.link_secret` must be 64 hexadecimal digits");
        }
        let path = data_dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_hex(text.trim())
                .with_context(|| format!("{} is not a valid key file", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::create(&path),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Uses the configured secret or the key file, never creating one: for commands that copy
    /// an installation, where a new secret would silently break every link.
    pub fn load_existing(configured: &str, data_dir: &Path) -> anyhow::Result<Self> {
        if !configured.is_empty() {
            return Self::load_or_create(configured, data_dir);
        }
        let path = data_dir.join(KEY_FILE);
        anyhow::ensure!(
            path.exists(),
            "{} does not exist: this is not the data folder of the installation (run in the \
             folder Undersigned runs in, or set storage.data_dir or security.link_secret)",
            path.display()
        );
        Self::load_or_create(configured, data_dir)
    }

    fn from_hex(text: &str) -> anyhow::Result<Self> {
        let key = hex::decode(text)?;
        anyhow::ensure!(key.len() == 32, "expected 32 bytes");
        Ok(Self { key: key.into() })
    }

    /// Writes a new random key, readable by the owner only. `create_new` makes two instances
    /// starting at once agree: the loser reads the winner's key.
    fn create(path: &Path) -> anyhow::Result<Self> {
        let mut key = [0u8; 32];
        rand::fill(&mut key);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut file) => {
                file.write_all(hex::encode(key).as_bytes())?;
                file.sync_all()?;
                tracing::info!(path = %path.display(), "created the server secret");
                Ok(Self {
                    key: key.to_vec().into(),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Self::load_or_create("", path.parent().unwrap_or(Path::new(".")))
            }
            Err(e) => Err(e).with_context(|| format!("cannot create {}", path.display())),
        }
    }

    fn mac(&self, purpose: &str, parts: &[&str]) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.key.expose_secret())
            .expect("HMAC takes keys of any length");
        mac.update(purpose.as_bytes());
        for part in parts {
            mac.update(b"\0");
            mac.update(part.as_bytes());
        }
        mac.finalize().into_bytes().into()
    }

    /// The sign-link token of an invitation: 256 bits, the same for the same nonce, so a
    /// retried email carries the same link; a new nonce kills the old link.
    pub fn sign_link_token(&self, invitation_id: &str, nonce: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac("sign-link", &[invitation_id, nonce]))
    }

    /// The proof in a partner's sign-page cookie: binds the invitation to the link it was
    /// opened with (its token's hash) and to the cookie's expiry. A new link kills old cookies.
    pub fn sign_session_proof(
        &self,
        invitation_id: &str,
        token_hash: &str,
        expires: i64,
    ) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(
            "sign-session",
            &[invitation_id, token_hash, &expires.to_string()],
        ))
    }

    /// The installation's Ed25519 key that signs release manifests, derived from the secret so
    /// that it too stays outside the database (and is the same on every instance).
    pub fn release_signing_key(&self) -> ed25519_dalek::SigningKey {
        ed25519_dalek::SigningKey::from_bytes(&self.mac("release-signing-key", &[]))
    }

    /// A webhook's signing secret (64 hex digits): derived from the webhook's id and nonce, shown
    /// to its creator once and never stored, so a copy of the database forges no delivery.
    pub fn webhook_secret(&self, webhook_id: &str, nonce: &str) -> String {
        hex::encode(self.mac("webhook", &[webhook_id, nonce]))
    }

    /// The public half of the release key, as published at
    /// `/.well-known/undersigned-release-key`: 32 bytes of Ed25519, standard base64.
    pub fn release_public_key(&self) -> String {
        base64::engine::general_purpose::STANDARD
            .encode(self.release_signing_key().verifying_key().to_bytes())
    }

    /// The token of an account's one-time link (an invitation or a password reset): derived
    /// when the email is rendered, never stored; only its SHA-256 is kept to find the link.
    pub fn account_link_token(&self, link_id: &str, nonce: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac("account-link", &[link_id, nonce]))
    }

    /// The token of the link that confirms a request to join a letter: derived from the
    /// request and the nonce its email carries, never stored; only its SHA-256 is kept.
    pub fn join_confirm_token(&self, request_id: &str, nonce: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac("join-confirm", &[request_id, nonce]))
    }

    /// The proof that a join form was shown at `shown_at` (Unix seconds), so the time taken to
    /// fill it can be trusted.
    pub fn join_form_proof(&self, shown_at: i64) -> String {
        URL_SAFE_NO_PAD.encode(self.mac("join-form", &[&shown_at.to_string()]))
    }

    /// Seals a TOTP secret (at most 32 bytes) for the database: a random nonce and the secret
    /// XORed with an HMAC keystream of the account and the nonce, so a copy of the database
    /// alone does not give the second factor.
    pub fn seal_totp_secret(&self, user_id: &str, secret: &[u8]) -> String {
        let nonce = crate::crypto::random_token();
        let pad = self.mac("totp-secret", &[user_id, &nonce]);
        let sealed: Vec<u8> = secret.iter().zip(pad).map(|(a, b)| a ^ b).collect();
        format!("{nonce}.{}", URL_SAFE_NO_PAD.encode(sealed))
    }

    /// Opens what `seal_totp_secret` sealed for this account; `None` when it does not read.
    pub fn open_totp_secret(&self, user_id: &str, sealed: &str) -> Option<Vec<u8>> {
        let (nonce, body) = sealed.split_once('.')?;
        let body = URL_SAFE_NO_PAD.decode(body).ok()?;
        let pad = self.mac("totp-secret", &[user_id, nonce]);
        (body.len() <= pad.len()).then(|| body.iter().zip(pad).map(|(a, b)| a ^ b).collect())
    }

    /// A CSRF token bound to a session or sign-page cookie.
    pub fn csrf_token(&self, binding: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac("csrf", &[binding]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_file_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = ServerSecrets::load_or_create("", dir.path()).unwrap();
        let again = ServerSecrets::load_or_create("", dir.path()).unwrap();
        assert_eq!(
            first.sign_link_token("i", "n"),
            again.sign_link_token("i", "n")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn tokens_depend_on_every_input() {
        let secrets =
            ServerSecrets::load_or_create(&"ab".repeat(32), Path::new("/nonexistent")).unwrap();
        let token = secrets.sign_link_token("invitation", "nonce");
        assert_eq!(token.len(), 43);
        assert_ne!(token, secrets.sign_link_token("invitation", "other"));
        assert_ne!(token, secrets.sign_link_token("other", "nonce"));
        let other =
            ServerSecrets::load_or_create(&"cd".repeat(32), Path::new("/nonexistent")).unwrap();
        assert_ne!(token, other.sign_link_token("invitation", "nonce"));
        assert!(ServerSecrets::load_or_create("short", Path::new("/nonexistent")).is_err());
    }

    #[test]
    fn sealed_totp_secrets_open_only_for_their_account() {
        let secrets =
            ServerSecrets::load_or_create(&"ab".repeat(32), Path::new("/nonexistent")).unwrap();
        let secret = [7u8; 20];
        let sealed = secrets.seal_totp_secret("user", &secret);
        assert!(!sealed.contains(&URL_SAFE_NO_PAD.encode(secret)));
        assert_eq!(secrets.open_totp_secret("user", &sealed).unwrap(), secret);
        assert_ne!(secrets.open_totp_secret("other", &sealed).unwrap(), secret);
        assert_ne!(sealed, secrets.seal_totp_secret("user", &secret));
    }
}
