//! Black-box tests of Undersigned: the real app on a free port over a fresh database, spoken to
//! over HTTP or through the `undersigned` binary, on SQLite and on PostgreSQL.

mod smtp;
mod support;

mod api_invitations;
mod api_letters;
mod cli;
mod mail;
mod migrations;
mod serving;
mod storage;
