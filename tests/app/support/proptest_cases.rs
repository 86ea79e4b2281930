//! How many cases a property test runs: a modest number by default, more when
//! `UNDERSIGNED_PROPTEST_CASES` says so (a longer run in CI or by hand).

use proptest::test_runner::Config;

/// The proptest configuration with `default` cases, or `UNDERSIGNED_PROPTEST_CASES` of them.
pub fn config(default: u32) -> Config {
    let cases = std::env::var("UNDERSIGNED_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        // Failing inputs are printed in the test output; no regression files in the tree.
        failure_persistence: None,
        ..Config::default()
    }
}
