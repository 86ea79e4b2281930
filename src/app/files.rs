//! Files the operator's commands write (backups, exports): written under a partial name of
//! their own and renamed when complete, readable by their owner only, and never in place of
//! the installation's own database or secret.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// A name beside `to` for the file while it is being written: unique, so two runs (or two
/// files of one run) never share it.
pub fn partial_path(to: &Path) -> PathBuf {
    let mut name = to.file_name().unwrap_or_default().to_os_string();
    name.push(format!(
        ".{}.partial",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    ));
    to.with_file_name(name)
}

/// A new (or emptied) file readable and writable by its owner only: what these commands
/// write holds accounts, contacts and, in a backup, the secret.
pub fn private_file(path: &Path) -> anyhow::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))
}

/// Refuses a target that is one of the installation's own files (its database with the
/// `-wal`, `-shm` and `-journal` files beside it, or the secret).
pub fn refuse_own_files(to: &Path, database: Option<&Path>, data_dir: &Path) -> anyhow::Result<()> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let target = absolute(to);
    let mut own = vec![absolute(&data_dir.join("secret.key"))];
    if let Some(database) = database {
        own.push(absolute(database));
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut name = database.as_os_str().to_os_string();
            name.push(suffix);
            own.push(absolute(Path::new(&name)));
        }
    }
    anyhow::ensure!(
        !own.contains(&target),
        "{} is one of the installation's own files: write the copy somewhere else",
        to.display()
    );
    Ok(())
}
