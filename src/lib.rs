//! Undersigned coordinates coalition open letters: coordinators draft a letter and invite
//! partner organizations, partners sign or decline through a personal link, and an admin
//! releases the letter with its signatories. The layers, from the outside in:
//! `web` (routes, pages, JSON API) → `app` (use cases) → `db`, `mail`, `pdf` and `sheets`,
//! all sharing `domain`.

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod domain;
pub mod mail;
pub mod pdf;
pub mod secrets;
pub mod sheets;
pub mod startup;
pub mod telemetry;
pub mod web;
