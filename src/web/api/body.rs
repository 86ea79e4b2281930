//! Request bodies of the JSON API, read strictly: a field the body type does not know is an
//! error (422, naming every such field), never silently ignored, so an integrator who misspells
//! `show_signatories` or sends a field this version lacks learns that nothing was changed.

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_LENGTH, TRANSFER_ENCODING};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::web::{ApiError, WebError};

/// A JSON body of type `T`, with no field `T` does not know. A request without a body reads
/// as JSON `null`, so `StrictJson<Option<B>>` is an optional body.
///
/// Errors: 400 for text that is not JSON or a value of the wrong type; 422 with
/// `details.unknown_fields` (paths such as `"show_signers"` or `"invitations.0.orgnization"`)
/// for fields the API does not know.
pub struct StrictJson<T>(pub T);

impl<T> StrictJson<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for StrictJson<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for StrictJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let headers = request.headers();
        let has_body = match headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()) {
            Some(length) => length.trim() != "0",
            None => headers.contains_key(TRANSFER_ENCODING),
        };
        let json = has_body.then(|| web::Json::<Value>::from_request(request, payload));
        Box::pin(async move {
            let value = match json {
                Some(json) => json.await.map_err(|e| {
                    ApiError(WebError::bad_request(format!(
                        "the JSON body is invalid: {e}"
                    )))
                })?,
                None => web::Json(Value::Null),
            };
            strict(value.into_inner()).map(StrictJson)
        })
    }
}

/// Reads `value` as a `T`, collecting every field `T` leaves unread.
pub fn strict<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    let mut unknown = Vec::new();
    let parsed: Result<T, _> =
        serde_ignored::deserialize(value, |path| unknown.push(dotted(&path)));
    let parsed = parsed.map_err(|e| {
        ApiError(WebError::bad_request(format!(
            "the JSON body is invalid: {e}"
        )))
    })?;
    if unknown.is_empty() {
        Ok(parsed)
    } else {
        Err(unknown_fields(unknown))
    }
}

/// A field's path as an integrator writes it: `invitations.0.email`.
fn dotted(path: &serde_ignored::Path) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => join(dotted(parent), &index.to_string()),
        Path::Map { parent, key } => join(dotted(parent), key),
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => dotted(parent),
    }
}

fn join(parent: String, part: &str) -> String {
    if parent.is_empty() {
        part.to_string()
    } else {
        format!("{parent}.{part}")
    }
}

/// The 422 for fields the API does not know, each named.
pub fn unknown_fields(fields: Vec<String>) -> ApiError {
    let message = format!(
        "unknown field{} {}: nothing was changed",
        if fields.len() == 1 { "" } else { "s" },
        fields
            .iter()
            .map(|f| format!("“{f}”"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    ApiError(
        WebError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
            .with_details(json!({ "unknown_fields": fields })),
    )
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Body {
        #[allow(dead_code)]
        title: Option<String>,
        #[allow(dead_code)]
        items: Option<Vec<Item>>,
    }

    #[derive(Debug, Deserialize)]
    struct Item {
        #[allow(dead_code)]
        name: String,
    }

    #[test]
    fn every_unknown_field_is_named_with_its_path() {
        let error = strict::<Body>(json!({
            "title": "x",
            "show_signers": true,
            "items": [{"name": "a", "nmae": "b"}],
        }))
        .unwrap_err();
        assert_eq!(error.0.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let message = error.0.to_string();
        assert!(message.contains("“show_signers”"), "{message}");
        assert!(message.contains("“items.0.nmae”"), "{message}");
    }

    #[test]
    fn a_known_body_and_an_absent_optional_body_read() {
        assert!(strict::<Body>(json!({"title": "x"})).is_ok());
        assert!(strict::<Option<Body>>(Value::Null).unwrap().is_none());
        assert!(strict::<Body>(json!({"title": 3})).is_err());
    }
}
