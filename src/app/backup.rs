//! Backups that restore, for installations on SQLite: `undersigned backup --to FILE` makes one
//! tar archive of a consistent copy of the live database and the server secret (which sign
//! links and the release signatures derive from), with a manifest of checksums;
//! `undersigned restore --from FILE` checks the archive and puts both back.
//!
//! The copy is SQLite's `VACUUM INTO`, one read transaction's snapshot: partners go on
//! signing while it is made, and every answer acknowledged before it began is in it. (The
//! page-by-page backup API starts over whenever another connection writes, which on a busy
//! letter may be never-ending.) PostgreSQL is backed up with `pg_dump`; docs/OPERATIONS.md
//! shows how.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail, ensure};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::Context;
use super::files::{partial_path, private_file, refuse_own_files};
use crate::config::{DatabaseTarget, Settings};
use crate::crypto::sha256_hex;
use crate::db::snapshot;

/// The manifest's name inside the archive; it comes first.
const MANIFEST: &str = "undersigned-backup.json";
/// The database copy's name inside the archive.
const DATABASE: &str = "database.sqlite3";
/// The server secret's name, inside the archive and in the data folder.
const SECRET: &str = "secret.key";
const FORMAT: &str = "undersigned-backup";
const VERSION: u32 = 1;

/// The archive's table of contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub schema_version: String,
    pub undersigned: String,
    /// Whether the server secret is in the archive; when `false`, it comes from the setting
    /// `security.link_secret`, which the restored installation must keep.
    pub secret_included: bool,
    pub files: Vec<ArchivedFile>,
}

/// One file of the archive: its name, size in bytes and hex SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedFile {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// Writes a backup of the live SQLite database and the server secret to `to` (replaced only
/// once the archive is complete; readable by its owner only). Returns its manifest.
///
/// Errors: the database is PostgreSQL (back it up with `pg_dump`), or the copy or the archive
/// cannot be written.
pub async fn back_up(ctx: &Context, to: &Path) -> anyhow::Result<Manifest> {
    let database = sqlite_database(&ctx.settings)?;
    refuse_own_files(to, Some(&database), &ctx.settings.storage.data_dir)?;
    let copy = partial_path(to);
    remove_if_present(&copy)?;
    // VACUUM INTO fills an empty file it finds: created first, so that it is private.
    drop(private_file(&copy)?);
    let copy_for_db = copy.clone();
    let result = async {
        let schema_version = ctx
            .db
            .run(move |conn| -> anyhow::Result<Option<String>> {
                snapshot::sqlite_copy_into(conn, &copy_for_db)?;
                Ok(snapshot::schema_version(conn)?)
            })
            .await?
            .unwrap_or_default();
        snapshot::sqlite_check_file(&copy)
            .map_err(|problems| anyhow!("the copy of the database is damaged: {problems}"))?;
        let mut files = vec![ArchivedFile::of_file(DATABASE, &copy)?];
        let secret = secret_file(&ctx.settings)?;
        if let Some(secret) = &secret {
            files.push(ArchivedFile::of_bytes(SECRET, secret));
        }
        let manifest = Manifest {
            format: FORMAT.into(),
            version: VERSION,
            created_at: crate::clock::rfc3339(ctx.clock.now()),
            schema_version,
            undersigned: env!("CARGO_PKG_VERSION").into(),
            secret_included: secret.is_some(),
            files,
        };
        write_archive(to, &manifest, &copy, secret.as_deref())?;
        Ok(manifest)
    }
    .await;
    let _ = std::fs::remove_file(&copy);
    result
}

/// The SQLite database a backup copies. Errors: the database is PostgreSQL (back it up with
/// `pg_dump`).
pub fn sqlite_database(settings: &Settings) -> anyhow::Result<PathBuf> {
    let DatabaseTarget::Sqlite(database) = settings.database_target()? else {
        bail!(
            "the database is PostgreSQL: back it up with pg_dump, and keep {} with it \
             (docs/OPERATIONS.md, \"Backups and restore\")",
            settings.storage.data_dir.join(SECRET).display()
        );
    };
    Ok(database)
}

/// The key file's bytes, or `None` when the secret comes from the setting.
fn secret_file(settings: &Settings) -> anyhow::Result<Option<Vec<u8>>> {
    if !settings.security.link_secret.expose_secret().is_empty() {
        return Ok(None);
    }
    let path = settings.storage.data_dir.join(SECRET);
    std::fs::read(&path)
        .map(Some)
        .with_context(|| format!("cannot read the server secret {}", path.display()))
}

impl ArchivedFile {
    fn of_bytes(name: &str, bytes: &[u8]) -> Self {
        Self {
            name: name.into(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }

    /// Reads the file through once for its size and checksum.
    fn of_file(name: &str, path: &Path) -> anyhow::Result<Self> {
        let mut hash = sha2::Sha256::new();
        let bytes = std::io::copy(
            &mut Tee(&mut std::fs::File::open(path)?, &mut hash),
            &mut std::io::sink(),
        )?;
        Ok(Self {
            name: name.into(),
            bytes,
            sha256: hex::encode(hash.finalize()),
        })
    }
}

/// Writes the manifest, the database copy (streamed from `database`) and the secret as a tar
/// archive at `to`, through a partial file.
fn write_archive(
    to: &Path,
    manifest: &Manifest,
    database: &Path,
    secret: Option<&[u8]>,
) -> anyhow::Result<()> {
    let partial = partial_path(to);
    let written = (|| -> anyhow::Result<()> {
        let file = private_file(&partial)?;
        let mut archive = tar::Builder::new(std::io::BufWriter::new(file));
        let modified = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let mut append = |name: &str, size: u64, data: &mut dyn Read| -> std::io::Result<()> {
            let mut header = tar::Header::new_gnu();
            header.set_size(size);
            header.set_mode(0o600);
            header.set_mtime(modified);
            header.set_cksum();
            archive.append_data(&mut header, name, data)
        };
        let listing = serde_json::to_vec_pretty(manifest)?;
        append(MANIFEST, listing.len() as u64, &mut listing.as_slice())?;
        let size = manifest.files[0].bytes;
        append(DATABASE, size, &mut std::fs::File::open(database)?)?;
        if let Some(secret) = secret {
            append(SECRET, secret.len() as u64, &mut { secret })?;
        }
        let file = archive
            .into_inner()?
            .into_inner()
            .map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(())
    })();
    // Read back before it takes its name: every file where the manifest says, whole.
    let written = written.and_then(|()| {
        let scratch = partial_path(to);
        let read = read_archive(&partial, &scratch);
        let _ = std::fs::remove_file(&scratch);
        read.map(drop)
            .context("the archive just written does not read back")
    });
    match written {
        Ok(()) => {
            std::fs::rename(&partial, to).with_context(|| format!("cannot write {}", to.display()))
        }
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            Err(error.context(format!("cannot write {}", partial.display())))
        }
    }
}

/// What a restore put back.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    pub database: PathBuf,
    /// Where the secret was written; `None` when it was there already or comes from the
    /// setting.
    pub secret: Option<PathBuf>,
}

/// Puts a backup back: the database at the path `database.url` names, which must not exist
/// yet (restore never overwrites; move the old file aside), and the secret into the data
/// folder. Every file is checked against the manifest, and the database with SQLite's
/// integrity check, before anything takes its place.
///
/// Errors: the archive is not a whole Undersigned backup, the database file exists, or the
/// data folder holds another secret.
pub fn restore(settings: &Settings, from: &Path) -> anyhow::Result<Restored> {
    let DatabaseTarget::Sqlite(database) = settings.database_target()? else {
        bail!("the database is PostgreSQL: restore it with pg_restore (docs/OPERATIONS.md)");
    };
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = database.as_os_str().to_os_string();
        name.push(suffix);
        ensure!(
            !Path::new(&name).exists(),
            "{} exists: restore never overwrites a database. Stop Undersigned and move the file \
             (with its -wal and -shm files) aside first",
            Path::new(&name).display()
        );
    }
    if let Some(parent) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let partial = partial_path(&database);
    let restored = (|| {
        let (manifest, secret) = read_archive(from, &partial)?;
        snapshot::sqlite_check_file(&partial)
            .map_err(|problems| anyhow!("the database in the backup is damaged: {problems}"))?;
        let secret = put_back_secret(settings, secret.as_deref())?;
        // A link, not a rename: it fails if a database appeared meanwhile, never replacing it.
        std::fs::hard_link(&partial, &database)
            .with_context(|| format!("cannot put the database at {}", database.display()))?;
        std::fs::remove_file(&partial)?;
        Ok(Restored {
            manifest,
            database: database.clone(),
            secret,
        })
    })();
    if restored.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    restored
}

/// Writes the backup's secret into the data folder, unless the same one is there. Returns
/// where it was written.
fn put_back_secret(settings: &Settings, secret: Option<&[u8]>) -> anyhow::Result<Option<PathBuf>> {
    let Some(secret) = secret else {
        ensure!(
            !settings.security.link_secret.expose_secret().is_empty(),
            "the backup holds no secret (it came from the setting security.link_secret): set \
             it to the same value before restoring"
        );
        return Ok(None);
    };
    let data_dir = &settings.storage.data_dir;
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let path = data_dir.join(SECRET);
    match std::fs::read(&path) {
        Ok(present) => {
            ensure!(
                present.trim_ascii() == secret.trim_ascii(),
                "{} holds another secret than the backup's: with it, sign links already sent \
                 and release signatures would not work. Move it aside to restore",
                path.display()
            );
            Ok(None)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut file = private_file(&path)?;
            file.write_all(secret)?;
            file.sync_all()?;
            Ok(Some(path))
        }
        Err(e) => Err(e).context(format!("cannot read {}", path.display())),
    }
}

/// Reads an archive, writing its database to `database` and checking every file against the
/// manifest. Returns the manifest and the secret, if the archive holds it.
fn read_archive(from: &Path, database: &Path) -> anyhow::Result<(Manifest, Option<Vec<u8>>)> {
    let file =
        std::fs::File::open(from).with_context(|| format!("cannot open {}", from.display()))?;
    let mut archive = tar::Archive::new(std::io::BufReader::new(file));
    let not_a_backup = || anyhow!("{} is not an Undersigned backup", from.display());
    let mut entries = archive.entries().map_err(|_| not_a_backup())?;
    let mut read_entry = || -> anyhow::Result<Option<tar::Entry<'_, _>>> {
        entries.next().transpose().map_err(|_| not_a_backup())
    };
    let mut first = read_entry()?.ok_or_else(not_a_backup)?;
    ensure!(first.path()?.as_os_str() == MANIFEST, not_a_backup());
    let mut listing = Vec::new();
    first.read_to_end(&mut listing)?;
    drop(first);
    let manifest: Manifest = serde_json::from_slice(&listing)
        .ok()
        .filter(|m: &Manifest| m.format == FORMAT)
        .ok_or_else(not_a_backup)?;
    ensure!(
        manifest.version == VERSION,
        "the backup is of format version {}; this build reads version {VERSION}",
        manifest.version
    );
    let mut secret = None;
    let mut found = Vec::new();
    while let Some(mut entry) = read_entry()? {
        let name = entry.path()?.to_string_lossy().into_owned();
        let expected = manifest
            .files
            .iter()
            .find(|f| f.name == name && !found.contains(&name))
            .ok_or_else(|| anyhow!("the backup holds a file its manifest does not list: {name}"))?;
        let mut hash = sha2::Sha256::new();
        let bytes = if name == DATABASE {
            let mut out = private_file(database)?;
            let bytes = std::io::copy(&mut Tee(&mut entry, &mut hash), &mut out)?;
            out.sync_all()?;
            bytes
        } else {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes)?;
            hash.update(&bytes);
            let size = bytes.len() as u64;
            if name == SECRET {
                secret = Some(bytes);
            }
            size
        };
        ensure!(
            expected.bytes == bytes,
            "{name} in the backup is {bytes} bytes, not {}: the archive was cut off",
            expected.bytes
        );
        ensure!(
            expected.sha256 == hex::encode(hash.finalize()),
            "{name} in the backup does not match its checksum: the archive is damaged"
        );
        found.push(name);
    }
    for listed in &manifest.files {
        ensure!(
            found.contains(&listed.name),
            "the backup is missing {}: the archive was cut off",
            listed.name
        );
    }
    ensure!(
        found.iter().any(|name| name == DATABASE),
        "the backup holds no database"
    );
    Ok((manifest, secret))
}

/// A reader that hashes what passes through it.
struct Tee<'a, R: Read>(&'a mut R, &'a mut sha2::Sha256);

impl<R: Read> Read for Tee<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.0.read(buf)?;
        self.1.update(&buf[..read]);
        Ok(read)
    }
}

fn remove_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).context(format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}
