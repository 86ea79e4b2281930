//! The signed manifest of a release: what the signature covers, its exact stored bytes and
//! their SHA-256, signed with the installation's Ed25519 key; and the frozen list read back.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::Signer;
use serde::Serialize;

use crate::app::AppError;
use crate::crypto::sha256_hex;
use crate::db::releases::Release;

use super::*;

/// What the signature covers, serialized once and stored as it was signed. A later revision
/// also names its date, the change, and the manifest it follows, so revisions form a chain.
#[derive(Serialize)]
pub(super) struct Manifest<'a> {
    pub(super) letter: &'a str,
    pub(super) revision: i32,
    pub(super) title: &'a str,
    pub(super) addressee: &'a str,
    pub(super) version: i32,
    pub(super) content_sha256: &'a str,
    pub(super) released_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) revised_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) change: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) previous_manifest_sha256: Option<&'a str>,
    pub(super) signatories: &'a [Signatory],
    /// Written only when the letter lists individuals, so that earlier manifests read the same.
    #[serde(skip_serializing_if = "<[Individual]>::is_empty")]
    pub(super) individuals: &'a [Individual],
}

/// A manifest as stored: its exact bytes, their SHA-256, and the Ed25519 signature over them.
pub(super) struct SignedManifest {
    pub(super) text: String,
    pub(super) sha256: String,
    pub(super) signature: String,
}

impl Manifest<'_> {
    pub(super) fn sign(
        &self,
        secrets: &crate::secrets::ServerSecrets,
    ) -> Result<SignedManifest, AppError> {
        let text = serde_json::to_string(self)
            .map_err(|e| AppError::Corrupt(format!("the manifest cannot be written: {e}")))?;
        let signature = STANDARD.encode(
            secrets
                .release_signing_key()
                .sign(text.as_bytes())
                .to_bytes(),
        );
        Ok(SignedManifest {
            sha256: sha256_hex(&text),
            text,
            signature,
        })
    }
}

/// The list as it is stored with a release.
pub(super) fn list_json(list: &[Signatory]) -> Result<String, AppError> {
    serde_json::to_string(list)
        .map_err(|e| AppError::Corrupt(format!("the signatory list cannot be written: {e}")))
}

impl Release {
    /// The signatory list as it was frozen. A list that does not parse is an error, never an
    /// empty list: a published letter must not lose its signatories silently.
    pub fn signatory_list(&self) -> Result<Vec<Signatory>, AppError> {
        serde_json::from_str(&self.signatories).map_err(|e| {
            AppError::Corrupt(format!(
                "the signatory list of release {} (revision {}) does not parse: {e}",
                self.id, self.revision
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_list_that_does_not_parse_is_an_error_not_an_empty_list() {
        let release = |signatories: &str| Release {
            id: "r".into(),
            letter_id: "l".into(),
            revision: 2,
            version: 1,
            title: String::new(),
            addressee: String::new(),
            body_html: String::new(),
            content_sha256: String::new(),
            signatories: signatories.into(),
            manifest: String::new(),
            manifest_sha256: String::new(),
            signature: String::new(),
            change_note: None,
            created_by: None,
            released_at: chrono::NaiveDateTime::default(),
            individuals: "[]".into(),
        };
        let listed = release(r#"[{"organization":"FIDH","tier":"lead"}]"#).signatory_list();
        assert_eq!(
            listed.unwrap(),
            vec![Signatory {
                organization: "FIDH".into(),
                tier: "lead".into(),
                country: None,
                approved_by: None,
                signer_name: None,
                signer_title: None,
                source: "sign_link".into(),
                joined_at: None,
            }]
        );
        let broken = release("[{\"organization\":").signatory_list();
        assert!(
            matches!(&broken, Err(AppError::Corrupt(why)) if why.contains("revision 2")),
            "{broken:?}"
        );
    }
}
