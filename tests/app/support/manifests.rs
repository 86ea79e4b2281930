//! Checking a published list as a journalist would: with nothing but the installation's
//! published release key.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde_json::Value;

use super::TestApp;

/// The key published at `/.well-known/undersigned-release-key`.
pub async fn release_key(app: &TestApp) -> VerifyingKey {
    let text = app
        .get("/.well-known/undersigned-release-key")
        .await
        .text()
        .await
        .expect("the published key");
    let key: [u8; 32] = STANDARD
        .decode(text.trim())
        .expect("the key in base64")
        .try_into()
        .expect("32 bytes");
    VerifyingKey::from_bytes(&key).expect("an Ed25519 key")
}

/// The `signature` of a published release or revision (its JSON), decoded.
pub fn signature_of(published: &Value) -> Signature {
    let bytes: [u8; 64] = STANDARD
        .decode(published["signature"].as_str().expect("a signature"))
        .expect("the signature in base64")
        .try_into()
        .expect("64 bytes");
    Signature::from_bytes(&bytes)
}

/// Whether a published release or revision's `manifest` verifies against its `signature`
/// with the published key.
pub async fn verifies(app: &TestApp, published: &Value) -> bool {
    let manifest = published["manifest"].as_str().expect("a manifest");
    release_key(app)
        .await
        .verify(manifest.as_bytes(), &signature_of(published))
        .is_ok()
}
