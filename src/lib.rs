//! Undersigned coordinates coalition open letters: coordinators draft a letter and invite
//! partner organizations, partners sign or decline through a personal link, and an admin
//! releases the letter with its signatories. The layers, from the outside in:
//! `web` (routes, pages, JSON API) → `app` (use cases) → `db`, `mail`, `pdf` and `sheets`,
//! all sharing `domain`; `i18n` gives the words partners read in their language.

pub mod allocator;
pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod domain;
pub mod i18n;
pub mod mail;
pub mod pdf;
pub mod secrets;
pub mod sheets;
pub mod startup;
pub mod telemetry;
pub mod web;

/// Settings shared by the unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    /// Property tests run `default` cases, or `UNDERSIGNED_PROPTEST_CASES` of them for a longer
    /// search; failing inputs are printed, never written into the tree.
    pub fn proptest_config(default: u32) -> proptest::test_runner::Config {
        let cases = std::env::var("UNDERSIGNED_PROPTEST_CASES")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(default);
        proptest::test_runner::Config {
            cases,
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        }
    }
}
