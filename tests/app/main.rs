//! Black-box tests of Undersigned: the real app on a free port over a fresh database, spoken to
//! over HTTP or through the `undersigned` binary, on SQLite and on PostgreSQL.

mod support;

mod address_book;
mod answers;
mod api_invitations;
mod api_letters;
mod authorization;
mod browser;
mod cli;
mod client_address;
mod concurrency;
mod confirmations;
mod coordinator_exports;
mod csv_import;
mod csv_properties;
mod embargo;
mod exports;
mod form_errors;
mod head;
mod input;
mod input_properties;
mod instances;
mod layers;
mod long_names;
mod mail;
mod mail_pages;
mod migrations;
mod negotiation;
mod output_properties;
mod pages;
mod pdf;
mod plain_text;
mod recorded;
mod recorded_pages;
mod release;
mod reminder_interval;
mod revisions;
mod serving;
mod sessions;
mod shared_rate_limits;
mod show_signers;
mod signing;
mod storage;
