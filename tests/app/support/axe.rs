//! axe-core, the accessibility checker from npm, run inside the page a real browser shows:
//! WCAG 2.1 A and AA and axe's best practices. Where `axe.min.js` is not installed, the tests
//! that need it are skipped with a notice (a failure when `UNDERSIGNED_TEST_REQUIRE_BROWSER=1`,
//! as in CI, which installs it with `npm install --prefix target/axe axe-core@4`).

use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use fantoccini::Client;
use serde::Deserialize;

/// The rule sets checked: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
const TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
/// How many elements of one violation the failure names.
const TARGETS_SHOWN: usize = 3;

/// One rule a page breaks, as axe reports it.
#[derive(Debug, Deserialize)]
pub struct Violation {
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: Option<String>,
    pub help: String,
    #[serde(rename = "helpUrl")]
    pub help_url: String,
    pub nodes: Vec<Node>,
}

/// An element that breaks the rule: the selectors that find it, and what axe saw wrong.
#[derive(Debug, Deserialize)]
pub struct Node {
    pub target: Vec<serde_json::Value>,
    #[serde(rename = "failureSummary", default)]
    pub failure_summary: Option<String>,
}

impl Violation {
    /// Whether the violation is serious or critical (the ones a page must not have).
    pub fn is_serious(&self) -> bool {
        matches!(self.impact.as_deref(), Some("serious" | "critical"))
    }

    /// The rule, its help, and the first few elements that break it, on one line each.
    fn describe(&self) -> String {
        let targets: Vec<String> = self
            .nodes
            .iter()
            .take(TARGETS_SHOWN)
            .map(|n| {
                let selector = n.target.iter().map(|t| t.to_string()).collect::<Vec<_>>();
                let why = n
                    .failure_summary
                    .as_deref()
                    .unwrap_or("")
                    .replace('\n', " ");
                format!("    {} — {why}", selector.join(" > "))
            })
            .collect();
        let more = self.nodes.len().saturating_sub(TARGETS_SHOWN);
        let more = if more > 0 {
            format!("\n    … and {more} more")
        } else {
            String::new()
        };
        format!(
            "  {} ({}): {} <{}>\n{}{more}",
            self.id,
            self.impact.as_deref().unwrap_or("?"),
            self.help,
            self.help_url,
            targets.join("\n")
        )
    }
}

/// axe-core's source, read once; `None` with a notice (a failure when
/// `UNDERSIGNED_TEST_REQUIRE_BROWSER=1`) when it is not installed.
pub fn axe_source() -> Option<&'static str> {
    static SOURCE: OnceLock<Option<String>> = OnceLock::new();
    let source = SOURCE.get_or_init(|| {
        let candidates = candidates();
        if let Some(found) = candidates.iter().find(|p| p.is_file()) {
            return Some(std::fs::read_to_string(found).expect("axe.min.js is readable"));
        }
        let looked = candidates
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        assert!(
            std::env::var("UNDERSIGNED_TEST_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "the accessibility test is required but axe-core is not installed (looked in {looked})"
        );
        let _ = writeln!(
            std::io::stderr(),
            "\nNOTICE: axe-core is not installed (looked in {looked}); the accessibility checks are \
             SKIPPED. Install it with `npm install --prefix target/axe axe-core@4`, or point \
             UNDERSIGNED_AXE_JS at its axe.min.js.\n"
        );
        None
    });
    source.as_deref()
}

/// Where `axe.min.js` may be: `$UNDERSIGNED_AXE_JS` alone when set, else the crate's own
/// `node_modules` or the one CI installs under `target/axe`.
fn candidates() -> Vec<PathBuf> {
    if let Some(path) = std::env::var_os("UNDERSIGNED_AXE_JS") {
        return vec![PathBuf::from(path)];
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    vec![
        root.join("node_modules/axe-core/axe.min.js"),
        root.join("target/axe/node_modules/axe-core/axe.min.js"),
    ]
}

/// Runs axe on the page the browser shows and returns every violation (of any impact), or
/// `None` when axe-core is not installed.
pub async fn violations(client: &Client) -> Option<Vec<Violation>> {
    let source = axe_source()?;
    client
        .execute(source, vec![])
        .await
        .expect("axe-core loads into the page");
    let run = "const done = arguments[arguments.length - 1];\
               axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })\
                 .then(r => done(r.violations), e => done({ error: String(e) }));";
    let answer = client
        .execute_async(run, vec![serde_json::json!(TAGS)])
        .await
        .expect("axe runs");
    if let Some(error) = answer.get("error") {
        panic!("axe failed on {}: {error}", page_url(client).await);
    }
    Some(serde_json::from_value(answer).expect("axe's violations"))
}

/// Fails the test when axe finds a serious or critical violation on the page the browser
/// shows, listing each with its rule, help and the first elements that break it. Skipped
/// (returns) when axe-core is not installed.
pub async fn assert_accessible(client: &Client, page_name: &str) {
    let Some(found) = violations(client).await else {
        return;
    };
    // Lesser findings are shown (with `--nocapture`), to fix when passing by, but do not fail.
    for v in found.iter().filter(|v| !v.is_serious()) {
        eprintln!("axe, {page_name}:\n{}", v.describe());
    }
    let serious: Vec<String> = found
        .iter()
        .filter(|v| v.is_serious())
        .map(Violation::describe)
        .collect();
    assert!(
        serious.is_empty(),
        "{page_name} ({}) has {} serious or critical accessibility violation(s):\n{}",
        page_url(client).await,
        serious.len(),
        serious.join("\n")
    );
}

async fn page_url(client: &Client) -> String {
    client
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_default()
}
