//! A real Chromium at a chosen screen width (a phone's 375 pixels, a laptop's 1280), for tests
//! that look at one page at several widths and keep screenshots of it. Started and skipped like
//! `chromium::browser`.

use fantoccini::Client;

use super::chromium::{Browser, browser_with_screen};

/// A browser whose screen is `width` CSS pixels wide (and 900 high), or `None` with a notice
/// when chromedriver or Chromium is missing.
pub async fn browser_at(width: u32) -> Option<Browser> {
    browser_with_screen(width, 900, 1.0).await
}

/// Saves the visible part of the page as `target/screenshots/{name}.png` (the folder is made
/// when missing) and returns the file's path.
pub async fn screenshot(client: &Client, name: &str) -> std::path::PathBuf {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join(format!("{name}.png"));
    let png = client.screenshot().await.expect("a screenshot");
    std::fs::write(&path, png).unwrap();
    path
}
