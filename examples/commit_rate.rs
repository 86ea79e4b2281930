//! The raw commit rate of a database, the baseline `bench/sign/run.sh` sets beside the sign
//! flow: single-row INSERT transactions, one after the other, on one connection (or on
//! `--connections N`, each in a thread of its own), for a number of seconds. SQLite is opened
//! with the pragmas the app sets on every connection (`src/db/connection.rs`: WAL,
//! `synchronous = NORMAL`, `busy_timeout`, `foreign_keys`) and its transactions begin
//! IMMEDIATE, as the app's writes do. Prints one JSON line.
//!
//! ```text
//! cargo run --release --example commit_rate -- --url sqlite:///tmp/raw.db [--seconds 5]
//! cargo run --release --example commit_rate -- --url postgres://postgres@127.0.0.1/raw [--connections 8]
//! ```
//!
//! The database should be fresh: the example creates its own table and leaves it there.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

/// About the size of an answer row: a name, a title, a few hashes.
const PAYLOAD: &str = "Bench Signer, Director, Organization 0001 – Droits & Libertés, \
                       0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

enum Target {
    Sqlite(String),
    Postgres(String),
}

impl Target {
    fn parse(url: &str) -> Result<Self, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            Ok(Self::Sqlite(path.to_string()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres(url.to_string()))
        } else {
            Err(format!("{url}: neither sqlite:// nor postgres://"))
        }
    }
}

/// Commits single-row transactions until `deadline`: how many.
fn sqlite_commits(path: &str, deadline: Instant, thread: usize) -> QueryResult<u64> {
    let mut conn = SqliteConnection::establish(path)
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
    conn.batch_execute(
        "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
         PRAGMA foreign_keys = ON;",
    )?;
    let mut count = 0u64;
    while Instant::now() < deadline {
        conn.batch_execute("BEGIN IMMEDIATE")?;
        diesel::sql_query("INSERT INTO raw_commits (thread, payload) VALUES (?, ?)")
            .bind::<BigInt, _>(thread as i64)
            .bind::<Text, _>(PAYLOAD)
            .execute(&mut conn)?;
        conn.batch_execute("COMMIT")?;
        count += 1;
    }
    Ok(count)
}

fn postgres_commits(url: &str, deadline: Instant, thread: usize) -> QueryResult<u64> {
    let mut conn = PgConnection::establish(url)
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
    let mut count = 0u64;
    while Instant::now() < deadline {
        conn.transaction(|conn| {
            diesel::sql_query("INSERT INTO raw_commits (thread, payload) VALUES ($1, $2)")
                .bind::<BigInt, _>(thread as i64)
                .bind::<Text, _>(PAYLOAD)
                .execute(conn)
        })?;
        count += 1;
    }
    Ok(count)
}

fn create_table(target: &Target) -> QueryResult<()> {
    match target {
        Target::Sqlite(path) => {
            let mut conn = SqliteConnection::establish(path)
                .map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
            conn.batch_execute(
                "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS raw_commits \
                 (id INTEGER PRIMARY KEY, thread BIGINT NOT NULL, payload TEXT NOT NULL)",
            )
        }
        Target::Postgres(url) => {
            let mut conn = PgConnection::establish(url)
                .map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
            conn.batch_execute(
                "CREATE TABLE IF NOT EXISTS raw_commits \
                 (id BIGSERIAL PRIMARY KEY, thread BIGINT NOT NULL, payload TEXT NOT NULL)",
            )
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut url, mut seconds, mut connections) = (None, 5.0f64, 1usize);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        match flag.as_str() {
            "--url" => url = Some(value),
            "--seconds" => seconds = value.parse().unwrap_or(seconds),
            "--connections" => connections = value.parse().unwrap_or(1).max(1),
            other => {
                eprintln!("commit_rate: unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    let target = match url.as_deref().map(Target::parse) {
        Some(Ok(target)) => target,
        Some(Err(message)) => {
            eprintln!("commit_rate: {message}");
            std::process::exit(2);
        }
        None => {
            eprintln!("commit_rate: --url sqlite://PATH or postgres://… is required");
            std::process::exit(2);
        }
    };
    if let Err(error) = create_table(&target) {
        eprintln!("commit_rate: cannot create the table: {error}");
        std::process::exit(1);
    }
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let threads: Vec<_> = (0..connections)
        .map(|thread| {
            let target = match &target {
                Target::Sqlite(p) => Target::Sqlite(p.clone()),
                Target::Postgres(u) => Target::Postgres(u.clone()),
            };
            std::thread::spawn(move || match target {
                Target::Sqlite(path) => sqlite_commits(&path, deadline, thread),
                Target::Postgres(url) => postgres_commits(&url, deadline, thread),
            })
        })
        .collect();
    let mut commits = 0u64;
    for thread in threads {
        match thread.join().expect("a committing thread") {
            Ok(count) => commits += count,
            Err(error) => {
                eprintln!("commit_rate: {error}");
                std::process::exit(1);
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let backend = match target {
        Target::Sqlite(_) => "sqlite",
        Target::Postgres(_) => "postgres",
    };
    println!(
        "{{\"backend\":\"{backend}\",\"connections\":{connections},\"commits\":{commits},\
         \"seconds\":{elapsed:.3},\"commits_per_second\":{:.0}}}",
        commits as f64 / elapsed
    );
}
