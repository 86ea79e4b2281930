//! The texts a released letter is published in: its authoritative text, and each translation
//! offered to partners, with the address of its page. Every form (page, text, PDF, JSON) is
//! made from one of these.

use super::page::PageText;
use crate::db::releases::Release;
use crate::db::translations::Translation;
use crate::domain::LanguageTag;
use crate::domain::markdown::to_safe_html;

/// One text a letter is published in: the released, authoritative text, or a translation
/// offered to partners, with the address of its page.
#[derive(Clone)]
pub(super) struct TextForm {
    pub(super) language: LanguageTag,
    pub(super) authoritative_language: LanguageTag,
    pub(super) title: String,
    pub(super) addressee: String,
    /// Sanitized HTML.
    pub(super) body_html: String,
    /// The Markdown the HTML was made from (the plain text is made from it).
    pub(super) markdown: String,
    pub(super) content_sha256: String,
    pub(super) authoritative: bool,
    /// A translation's own version, and the version of the authoritative text it matches.
    pub(super) versions: Option<(i32, i32)>,
    /// `/letters/{slug}`, or `/letters/{slug}/{language}` for a translation.
    pub(super) path: String,
}

impl TextForm {
    /// The released text, in the letter's `language`, `markdown` its source.
    pub(super) fn original(
        slug: &str,
        release: &Release,
        markdown: &str,
        language: &LanguageTag,
    ) -> Self {
        Self {
            language: language.clone(),
            authoritative_language: language.clone(),
            title: release.title.clone(),
            addressee: release.addressee.clone(),
            body_html: release.body_html.clone(),
            markdown: markdown.to_string(),
            content_sha256: release.content_sha256.clone(),
            authoritative: true,
            versions: None,
            path: format!("/letters/{slug}"),
        }
    }

    /// A translation of the letter whose authoritative text is in `authoritative_language`.
    pub(super) fn translation(
        slug: &str,
        translation: &Translation,
        authoritative_language: &LanguageTag,
    ) -> Self {
        let language = LanguageTag::from_stored(&translation.language);
        Self {
            path: format!("/letters/{slug}/{language}"),
            language,
            authoritative_language: authoritative_language.clone(),
            title: translation.title.clone(),
            addressee: translation.addressee.clone(),
            body_html: to_safe_html(&translation.body_markdown),
            markdown: translation.body_markdown.clone(),
            content_sha256: translation.content_sha256.clone(),
            authoritative: false,
            versions: Some((translation.version, translation.matches_version)),
        }
    }

    pub(super) fn page_text(&self) -> PageText<'_> {
        PageText {
            language: self.language.clone(),
            title: &self.title,
            addressee: &self.addressee,
            body_html: &self.body_html,
            content_sha256: &self.content_sha256,
            authoritative: self.authoritative,
        }
    }
}
