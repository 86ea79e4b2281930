//! Use cases: what coordinators, partners and admins can do, each as one function that owns
//! its transaction. Handlers and commands parse input into domain types and call these.

pub mod accounts;
mod context;

pub use context::Context;
