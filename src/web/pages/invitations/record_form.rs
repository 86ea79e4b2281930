//! The values of the form that records an answer received outside the app, as typed and with
//! what was refused: shown on the invitation's page (`one`) and read back by `record`.

use serde::Deserialize;

use crate::crypto::random_token;
use crate::domain::Channel;
use crate::web::pages::field_errors::FieldErrors;

/// The values of the form as typed, with what was refused.
#[derive(Deserialize, Default, Clone)]
pub struct RecordForm {
    #[serde(default)]
    pub csrf_token: String,
    /// A fresh key per rendered form, so the same form sent twice records one answer.
    #[serde(default)]
    pub submission_key: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub signer_name: String,
    #[serde(default)]
    pub signer_title: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub evidence: String,
    /// The refused fields, each with its reason.
    #[serde(skip)]
    pub errors: FieldErrors,
    /// Why the answer as a whole was refused (past the deadline, revoked, …).
    #[serde(skip)]
    pub refused: Option<String>,
}

impl RecordForm {
    /// An empty form with a fresh submission key.
    pub fn fresh() -> Self {
        Self {
            submission_key: random_token(),
            channel: Channel::Email.as_str().into(),
            ..Default::default()
        }
    }

    /// Why this field was refused, if it was.
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.error(field)
    }

    /// The ways an answer can be recorded from, each with its label.
    pub fn channels(&self) -> Vec<(&'static str, &'static str)> {
        Channel::RECORDED
            .iter()
            .map(|c| {
                let label = match c {
                    Channel::Email => "an email",
                    Channel::Phone => "a phone call",
                    Channel::Paper => "a letter on paper",
                    _ => "a meeting",
                };
                (c.as_str(), label)
            })
            .collect()
    }
}
