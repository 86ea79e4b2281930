//! Every migration runs up, down and up again on both backends.

use undersigned::db::{self, Database};

use crate::storage_test;
use crate::support::{Backend, TestDatabase};

storage_test!(migrations_run_up_down_and_up_again);

async fn migrations_run_up_down_and_up_again(backend: Backend) {
    let database = TestDatabase::create(backend);
    let settings = database.settings(&[]);
    let db = Database::connect(settings.database_target().unwrap(), &settings.database).unwrap();
    let mut conn = db.get().unwrap();

    let applied = db::run_migrations(&mut conn).unwrap();
    assert!(!applied.is_empty());
    assert!(
        db::run_migrations(&mut conn).unwrap().is_empty(),
        "a second run applies nothing"
    );

    let reverted = db::revert_all_migrations(&mut conn).unwrap();
    assert_eq!(reverted.len(), applied.len());
    assert_eq!(
        table_count(&mut conn, backend),
        0,
        "down migrations leave no table behind"
    );

    assert_eq!(db::run_migrations(&mut conn).unwrap(), applied);
    assert!(table_count(&mut conn, backend) >= 12);
}

/// Tables of the application (diesel's own bookkeeping table excluded).
fn table_count(conn: &mut db::DbConnection, backend: Backend) -> i64 {
    use diesel::RunQueryDsl;
    use diesel::sql_types::BigInt;

    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public' \
             AND table_name <> '__diesel_schema_migrations'"
        }
    };
    diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
}
