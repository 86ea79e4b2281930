//! Keeps every organization's matching key (`domain::organization_key`) current: an address
//! book written before the key learned Unicode (NFKC, case folding) is brought up to date when
//! the database is opened, so a name typed today finds the organization typed last year.

use crate::db::organizations;
use crate::db::{self, DbConnection, QueryResult};
use crate::domain::organization_key;

/// Recomputes the stored keys that differ from today's rule, in one transaction. Two
/// organizations that turn out to share a key are both kept (the second keeps its old key and
/// is named in the log, for an admin to merge). Returns how many keys changed.
pub fn refresh_keys(conn: &mut DbConnection) -> QueryResult<usize> {
    // Most starts find every key current: read first, and take the write lock only when a key
    // is stale, so opening the database does not queue behind (or block) a running instance.
    let stale = organizations::names_and_keys(conn)?
        .iter()
        .any(|(_, name, key)| organization_key(name) != *key);
    if !stale {
        return Ok(0);
    }
    db::write_transaction(conn, |conn| {
        let stored = organizations::names_and_keys(conn)?;
        let mut taken: std::collections::HashSet<String> =
            stored.iter().map(|(_, _, key)| key.clone()).collect();
        let mut changed = 0;
        for (id, name, key) in &stored {
            let fresh = organization_key(name);
            if fresh == *key {
                continue;
            }
            if !taken.insert(fresh.clone()) {
                tracing::warn!(organization = %id, name = %name, "two organizations have the same name once folded; merge them in the address book");
                continue;
            }
            taken.remove(key);
            organizations::set_key(conn, id, &fresh)?;
            changed += 1;
        }
        Ok(changed)
    })
}
