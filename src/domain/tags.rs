//! Tags of the address book ("Africa network", "UN Geneva"): groups to filter by and to invite
//! at once. A tag is one line of text; two tags are one when their folded keys match.

use super::InvalidInput;
use super::organization::organization_key;
use super::text::single_line;

/// The most tags one organization carries.
pub const MAX_TAGS: usize = 20;

/// One tag as first typed, with its matching key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    text: String,
    key: String,
}

impl Tag {
    /// Errors when the tag is empty, longer than 60 characters or holds a forbidden character.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let text = single_line(raw, "a tag", 60)?;
        let key = organization_key(&text);
        Ok(Self { text, key })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Folded like an organization's name: "un geneva" and "UN  Geneva" are one tag.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// A list of tags separated by commas ("Africa network, UN Geneva"); blank items are
    /// skipped and repeats kept once. Errors naming the bad tag, or when there are more than
    /// [`MAX_TAGS`].
    pub fn parse_list(raw: &str) -> Result<Vec<Tag>, InvalidInput> {
        let mut tags: Vec<Tag> = Vec::new();
        for item in raw.split(',').filter(|item| !item.trim().is_empty()) {
            let tag = Self::parse(item)?;
            if !tags.iter().any(|t| t.key == tag.key) {
                tags.push(tag);
            }
        }
        if tags.len() > MAX_TAGS {
            return Err(InvalidInput::new(format!(
                "the tags: at most {MAX_TAGS} per organization"
            )));
        }
        Ok(tags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_matched_by_their_folded_key() {
        let tags = Tag::parse_list(" UN Geneva, un  geneva ,, Africa network").unwrap();
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[0].as_str(), "UN Geneva");
        assert_eq!(tags[0].key(), Tag::parse("UN GENEVA").unwrap().key());
        assert!(Tag::parse_list(&"x,".repeat(30)).is_ok());
        assert!(
            Tag::parse_list(
                &(0..30)
                    .map(|i| format!("t{i}"))
                    .collect::<Vec<_>>()
                    .join(",")
            )
            .is_err()
        );
    }
}
