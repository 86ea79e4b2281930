//! Settings as loaded from the defaults, a local file and the environment, and each refusal
//! naming its key.

use super::*;

fn load(env: &[(&str, &str)]) -> Result<Settings, SettingsError> {
    let env = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::load_with(Path::new("/nonexistent/local.toml"), env)
}

#[test]
fn defaults_match_the_contract() {
    let s = load(&[]).unwrap();
    assert_eq!(s.server.listen, "127.0.0.1:8080");
    assert_eq!(s.base_url().unwrap().as_str(), "http://127.0.0.1:8080");
    assert_eq!(
        s.database.url.expose_secret(),
        "sqlite://data/undersigned.db"
    );
    assert_eq!(s.mail.smtp_url.expose_secret(), "");
    assert_eq!(s.mail.from, "Undersigned <noreply@localhost>");
    assert_eq!(s.database.sqlite_synchronous, SqliteSynchronous::Normal);
    assert_eq!(s.mail.max_attempts, 10);
    assert_eq!(s.mail.rate_per_second, 10);
    assert_eq!(s.mail.poll_interval_ms, 1000);
    assert!(s.trusted_proxies().unwrap().is_empty());
    assert_eq!(s.reminders.min_interval_hours, 24);
    assert_eq!(s.letters.max_invitations, 100_000);
}

#[test]
fn environment_overrides_nested_keys() {
    let s = load(&[
        (
            "UNDERSIGNED_SERVER__BASE_URL",
            "https://letters.example.org/",
        ),
        ("UNDERSIGNED_DATABASE__POOL_SIZE", "3"),
        ("UNDERSIGNED_REMINDERS__MIN_INTERVAL_HOURS", "6"),
        ("UNDERSIGNED_DATABASE__SQLITE_SYNCHRONOUS", "full"),
        (
            "UNDERSIGNED_SERVER__TRUSTED_PROXIES",
            "10.0.0.0/8,127.0.0.1",
        ),
        ("UNRELATED", "x"),
    ])
    .unwrap();
    assert_eq!(
        s.base_url().unwrap().as_str(),
        "https://letters.example.org"
    );
    assert!(s.base_url().unwrap().is_https());
    assert_eq!(s.database.pool_size, 3);
    assert_eq!(s.reminders.min_interval(), chrono::TimeDelta::hours(6));
    assert_eq!(s.database.sqlite_synchronous, SqliteSynchronous::Full);
    let proxies = s.trusted_proxies().unwrap();
    assert!(proxies.contains("10.1.2.3".parse().unwrap()));
    assert!(proxies.contains("127.0.0.1".parse().unwrap()));
}

#[test]
fn invalid_values_name_their_key() {
    let cases = [
        ("UNDERSIGNED_SERVER__LISTEN", "nowhere", "server.listen"),
        ("UNDERSIGNED_SERVER__BASE_URL", "ftp://x", "server.base_url"),
        (
            "UNDERSIGNED_SERVER__TRUSTED_PROXIES",
            "10.0.0.0/8, proxy.local",
            "server.trusted_proxies",
        ),
        ("UNDERSIGNED_DATABASE__URL", "mysql://x", "database.url"),
        ("UNDERSIGNED_MAIL__FROM", "not a mailbox", "mail.from"),
        ("UNDERSIGNED_MAIL__SMTP_URL", "http://x", "mail.smtp_url"),
        ("UNDERSIGNED_DATABASE__POOL_SIZE", "many", "pool_size"),
        (
            "UNDERSIGNED_DATABASE__SQLITE_SYNCHRONOUS",
            "off",
            "sqlite_synchronous",
        ),
        ("UNDERSIGNED_SERVER__LISTNE", "x", "listne"),
        ("UNDERSIGNED_MAIL__MAX_ATTEMPTS", "0", "mail.max_attempts"),
        ("UNDERSIGNED_MAIL__CONNECTIONS", "0", "mail.connections"),
        (
            "UNDERSIGNED_MAIL__POLL_INTERVAL_MS",
            "1",
            "mail.poll_interval_ms",
        ),
        ("UNDERSIGNED_MAIL__LEASE_SECONDS", "5", "mail.lease_seconds"),
        (
            "UNDERSIGNED_REMINDERS__MIN_INTERVAL_HOURS",
            "9000",
            "reminders.min_interval_hours",
        ),
        (
            "UNDERSIGNED_LETTERS__MAX_INVITATIONS",
            "0",
            "letters.max_invitations",
        ),
        (
            "UNDERSIGNED_REMINDERS__MIN_INTERVAL_HOURS",
            "-1",
            "min_interval_hours",
        ),
        ("UNDERSIGNED_MAIL__RATE_PER_SECOND", "-1", "rate_per_second"),
    ];
    for (var, value, key) in cases {
        let message = load(&[(var, value)]).unwrap_err().to_string();
        assert!(message.contains(key), "{var}={value}: {message}");
    }
}
