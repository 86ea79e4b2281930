//! Storage: one connection type for SQLite and PostgreSQL, the pool, the embedded migrations,
//! the schema, and the rows of each table. Nothing here knows about HTTP.

mod connection;
mod locks;
mod migrations;
mod pool;
pub mod schema;
mod writer_gate;

pub use crate::config::DatabaseTarget;
pub use connection::{DbConnection, write_transaction};
pub use locks::{
    LetterLock, is_concurrent_change, lock_invitation, lock_letter, lock_organizations,
};
pub use migrations::{has_pending_migrations, revert_all_migrations, run_migrations};
pub use pool::{Database, DbError, PooledConnection};
pub mod account_security;
pub mod api_tokens;
pub mod audit;
pub mod coordinating_organization;
pub mod invitations;
pub mod letters;
pub mod notification_preferences;
pub mod organization_book;
pub mod organizations;
pub mod outbox;
pub mod rate_limits;
pub mod releases;
pub mod responses;
pub mod sessions;
pub mod setup_tokens;
pub mod sign_on_requests;
pub mod snapshot;
pub mod tables;
pub mod translations;
pub mod users;
pub mod webhooks;

/// What a query returns, and why it failed: the use cases name these, not the query library.
pub use diesel::QueryResult;
pub use diesel::result::Error as QueryError;

/// Whether the connection still answers (`/readyz`).
pub fn ping(conn: &mut DbConnection) -> QueryResult<()> {
    use diesel::r2d2::R2D2Connection;
    conn.ping().map(drop)
}

/// True when the error is a unique constraint refusing a duplicate.
pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
