//! The `.eml` files of the file transport, as the admin pages show them: listed newest first
//! and read one at a time by name, never outside the mail folder.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::transport::OUTGOING_FOLDER;

#[derive(Debug, Clone)]
pub struct OutgoingFile {
    pub name: String,
    pub size: u64,
    pub modified: SystemTime,
}

#[derive(Debug, thiserror::Error)]
pub enum OutgoingError {
    #[error("no such email file")]
    NotFound,
    #[error("cannot read the mail folder: {0}")]
    Io(#[from] std::io::Error),
}

fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join(OUTGOING_FOLDER)
}

/// A plain file name ending in `.eml`: no folder, no leading dot, nothing but letters, digits,
/// `-`, `_` and `.` — so `../secret.key` or `/etc/passwd` never names a file.
fn is_eml_name(name: &str) -> bool {
    name.ends_with(".eml")
        && !name.starts_with('.')
        && !name.contains("..")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The `.eml` files, newest first. An absent folder means no email was written yet.
pub fn list_outgoing_files(data_dir: &Path) -> Result<Vec<OutgoingFile>, OutgoingError> {
    let entries = match std::fs::read_dir(folder(data_dir)) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let metadata = entry.metadata()?;
        if is_eml_name(&name) && metadata.is_file() {
            files.push(OutgoingFile {
                name,
                size: metadata.len(),
                modified: metadata.modified()?,
            });
        }
    }
    files.sort_by(|a, b| b.modified.cmp(&a.modified).then(b.name.cmp(&a.name)));
    Ok(files)
}

/// The raw message of one file, by the name `list_outgoing_files` gave.
pub fn read_outgoing_file(data_dir: &Path, name: &str) -> Result<Vec<u8>, OutgoingError> {
    if !is_eml_name(name) {
        return Err(OutgoingError::NotFound);
    }
    match std::fs::read(folder(data_dir).join(name)) {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(OutgoingError::NotFound),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_newest_first_and_refuses_paths_outside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let mail = dir.path().join("mail");
        std::fs::create_dir_all(&mail).unwrap();
        std::fs::write(dir.path().join("secret.key"), "key").unwrap();
        std::fs::write(mail.join("20260101-a.eml"), "old").unwrap();
        std::fs::write(mail.join(".20260102-b.partial"), "half").unwrap();
        let newer = SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::write(mail.join("20260102-b.eml"), "new").unwrap();
        std::fs::File::options()
            .write(true)
            .open(mail.join("20260102-b.eml"))
            .unwrap()
            .set_modified(newer)
            .unwrap();
        let names: Vec<_> = list_outgoing_files(dir.path())
            .unwrap()
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, ["20260102-b.eml", "20260101-a.eml"]);
        assert_eq!(
            read_outgoing_file(dir.path(), "20260101-a.eml").unwrap(),
            b"old"
        );
        for bad in [
            "../secret.key",
            "../mail/20260101-a.eml",
            "/etc/passwd",
            ".x.eml",
            "a/b.eml",
        ] {
            assert!(
                matches!(
                    read_outgoing_file(dir.path(), bad),
                    Err(OutgoingError::NotFound)
                ),
                "{bad}"
            );
        }
        assert!(
            list_outgoing_files(&dir.path().join("none"))
                .unwrap()
                .is_empty()
        );
    }
}
