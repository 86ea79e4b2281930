//! The word-level difference between two texts, as a partner asked to approve again and a
//! coordinator reviewing versions see it: runs of unchanged, added and removed words.

use similar::{ChangeTag, TextDiff};

/// A run of words in a difference between two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffSegment {
    Same(String),
    Added(String),
    Removed(String),
}

/// Consecutive words of the same kind joined into one segment.
pub fn word_diff(old: &str, new: &str) -> Vec<DiffSegment> {
    let diff = TextDiff::from_words(old, new);
    let mut segments: Vec<DiffSegment> = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value();
        match (segments.last_mut(), change.tag()) {
            (Some(DiffSegment::Same(s)), ChangeTag::Equal)
            | (Some(DiffSegment::Added(s)), ChangeTag::Insert)
            | (Some(DiffSegment::Removed(s)), ChangeTag::Delete) => s.push_str(text),
            (_, ChangeTag::Equal) => segments.push(DiffSegment::Same(text.to_string())),
            (_, ChangeTag::Insert) => segments.push(DiffSegment::Added(text.to_string())),
            (_, ChangeTag::Delete) => segments.push(DiffSegment::Removed(text.to_string())),
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_groups_runs() {
        let segments = word_diff("We urge you to act now.", "We ask you to act today.");
        assert!(
            segments.contains(&DiffSegment::Removed("urge".into())),
            "{segments:?}"
        );
        assert!(
            segments.contains(&DiffSegment::Added("ask".into())),
            "{segments:?}"
        );
        assert!(matches!(segments.first(), Some(DiffSegment::Same(s)) if s == "We "));
    }
}
