//! Open sign-on: organizations the coordinators did not invite, and individuals signing in
//! their personal capacity, ask to join a letter on its public page (`/letters/{slug}/join`).
//! A request does nothing until the link emailed to the given address is followed and its
//! button pressed; it then waits for a coordinator, who approves it (an organization becomes an
//! invitation with its signature recorded, an individual is listed apart), rejects it with a
//! reason the requester is told, or merges it into an organization of the address book.
//!
//! `request` takes and confirms requests, `moderate` lists them with their hints and decides.

mod moderate;
mod request;

pub use moderate::{Hints, RequestView, approve, reject, requests};
pub use request::{JoinRefusal, confirm, join_page, submit, window};
