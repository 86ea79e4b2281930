//! The layers keep their one direction (web → app → db; domain, i18n, mail, pdf and sheets below
//! app), and every query stays in `src/db`: a new `diesel` import or `db::schema` path
//! elsewhere, or an import that runs back up, fails here with the file and line that did it.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir` (or `dir` itself, a module of one file), with its path.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    if dir.is_file() {
        let text = std::fs::read_to_string(dir).expect("a readable source file");
        return vec![(dir.to_path_buf(), text)];
    }
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("a source folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a readable source file");
                found.push((path, text));
            }
        }
    }
    assert!(!found.is_empty(), "no sources under {}", dir.display());
    found
}

/// Whether `line` names `path` as a whole path: `super::web` is named by `super::web::X` or
/// `super::web;`, not by `super::webhooks`.
fn names(line: &str, path: &str) -> bool {
    line.match_indices(path).any(|(at, _)| {
        !line[at + path.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// Lines of files under `src/{layer}` (a folder, or one file) that name any of `forbidden`.
fn offences(layer: &str, forbidden: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut lines = Vec::new();
    for (path, text) in sources(&root.join(layer)) {
        for (number, line) in text.lines().enumerate() {
            if forbidden.iter().any(|word| names(line, word)) {
                lines.push(format!(
                    "{}:{}: {}",
                    path.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    lines
}

#[test]
fn only_the_database_layer_writes_queries() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&root).expect("src") {
        let path = entry.expect("an entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name == "db" {
            continue;
        }
        let layer = name.trim_end_matches(".rs");
        if path.is_dir() {
            found.extend(offences(layer, &["diesel", "db::schema"]));
        } else {
            let text = std::fs::read_to_string(&path).expect("a source file");
            if text.contains("diesel") || text.contains("db::schema") {
                found.push(path.display().to_string());
            }
        }
    }
    assert!(
        found.is_empty(),
        "queries outside src/db:\n{}",
        found.join("\n")
    );
}

#[test]
fn imports_run_one_way() {
    let rules: [(&str, &[&str]); 8] = [
        (
            "db",
            &["crate::app", "crate::web", "crate::mail", "crate::pdf"],
        ),
        ("app", &["crate::web", "super::web"]),
        (
            "domain",
            &[
                "crate::app",
                "crate::web",
                "crate::db",
                "crate::mail",
                "crate::i18n",
            ],
        ),
        ("mail", &["crate::app", "crate::web", "crate::db"]),
        ("pdf", &["crate::app", "crate::web", "crate::db"]),
        ("sheets.rs", &["crate::app", "crate::web", "crate::db"]),
        (
            "i18n.rs",
            &[
                "crate::app",
                "crate::web",
                "crate::db",
                "crate::mail",
                "crate::pdf",
            ],
        ),
        ("web", &["crate::db::schema", "crate::cli"]),
    ];
    let found: Vec<String> = rules
        .iter()
        .flat_map(|(layer, forbidden)| offences(layer, forbidden))
        .collect();
    assert!(
        found.is_empty(),
        "imports that run back up:\n{}",
        found.join("\n")
    );
}
