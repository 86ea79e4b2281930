//! The released letter's HTML page: the text, the count and the signatories in their groups
//! (leads first, each with its country and, when the letter shows it, who approved), then the
//! individuals under the coordinators' heading, the change log and how to verify the list;
//! in the authoritative text or one of its translations, each page in its language's words,
//! with a switcher and `hreflang` links to the others.

use askama::Template;

use super::list::{Change, Groups, Individuals, country_label, individual_line};
use super::manifests::public_key;
use crate::app::Context;
use crate::app::coordinating::CoordinatingOrganization;
use crate::app::release::{Individual, Published, Signatory};
use crate::clock::rfc3339;
use crate::db::releases::Release;
use crate::domain::{LanguageTag, country_name_in};
use crate::i18n::Localizer;
use crate::web::{PageError, WebError};

/// The text a page shows: the authoritative one released, or one of its translations.
pub(super) struct PageText<'a> {
    pub(super) language: LanguageTag,
    pub(super) title: &'a str,
    pub(super) addressee: &'a str,
    /// Sanitized HTML.
    pub(super) body_html: &'a str,
    pub(super) content_sha256: &'a str,
    /// The released text rather than a translation.
    pub(super) authoritative: bool,
}

/// One language the letter is published in, for the switcher and the `hreflang` links.
pub(super) struct Alternate {
    pub(super) language: LanguageTag,
    /// The language's name in itself: "Français".
    pub(super) name: String,
    /// The page's path: `/letters/{slug}` or `/letters/{slug}/{language}`.
    pub(super) path: String,
    pub(super) url: String,
    /// The page being shown.
    pub(super) current: bool,
    pub(super) authoritative: bool,
}

impl Alternate {
    /// Every language of a letter, the authoritative first, `shown` marked current.
    pub(super) fn all(
        ctx: &Context,
        slug: &str,
        authoritative: &LanguageTag,
        translations: &[LanguageTag],
        shown: &LanguageTag,
    ) -> Vec<Self> {
        if translations.is_empty() {
            return Vec::new();
        }
        std::iter::once((authoritative, true))
            .chain(translations.iter().map(|t| (t, false)))
            .map(|(language, is_authoritative)| {
                let path = if is_authoritative {
                    format!("/letters/{slug}")
                } else {
                    format!("/letters/{slug}/{language}")
                };
                Self {
                    name: language.native_name(),
                    url: ctx.base_url.join(&path),
                    path,
                    current: language == shown,
                    authoritative: is_authoritative,
                    language: language.clone(),
                }
            })
            .collect()
    }
}

#[derive(Template)]
#[template(path = "public_letter.html")]
struct LetterPage<'a> {
    /// The page's words, in the language of the text shown when it is shipped.
    l: &'a Localizer,
    text: &'a PageText<'a>,
    /// Every language of the letter (none when it has no translations).
    alternates: &'a [Alternate],
    /// The authoritative text's address, the `x-default` of the `hreflang` links.
    authoritative_url: String,
    /// The authoritative language, named in the page's language.
    authoritative_name: String,
    /// Who coordinated the letter, with the press contact.
    asking: &'a CoordinatingOrganization,
    slug: String,
    /// This page's path, without the ending of its exports.
    path: String,
    /// The newest revision.
    release: &'a Release,
    leads: Vec<&'a Signatory>,
    supporting: Vec<&'a Signatory>,
    /// Organizations that joined after publication, in the order they joined.
    late: Vec<&'a Signatory>,
    /// The public change log: every revision after the original.
    changes: &'a [Change],
    original_manifest_sha256: &'a str,
    /// The original release's day and time: "3 December 2026, 14:05 UTC".
    released_on: String,
    /// The original release, RFC 3339, for `<time datetime>`.
    released_at: String,
    /// Who signed, as the list stands: "47 organizations and 12 individuals".
    signed_by: String,
    /// The heading of the individuals' list.
    individuals_heading: &'a str,
    /// Individuals who signed in their personal capacity, after the organizations.
    individuals: &'a [Individual],
    url: String,
    description: String,
    public_key: String,
}

impl LetterPage<'_> {
    /// The signatory's country as readers know it, or nothing when it is not known.
    fn country(&self, signatory: &Signatory) -> Option<String> {
        signatory.country.as_deref().map(|c| self.country_named(c))
    }

    /// A country's name in the page's language, or its code when it has none.
    fn country_named(&self, code: &str) -> String {
        country_name_in(code, self.l.language().primary()).unwrap_or_else(|| country_label(code))
    }

    /// "Name, Title, Affiliation": who the individual is, without the country.
    fn identity(&self, individual: &Individual) -> String {
        individual_line(&Individual {
            country: None,
            ..individual.clone()
        })
    }

    /// The individual's country as readers know it, like an organization's.
    fn individual_country(&self, individual: &Individual) -> Option<String> {
        individual.country.as_deref().map(|c| self.country_named(c))
    }

    /// The day someone joined after publication, in the page's language.
    fn joined_on(&self, joined_at: &Option<String>) -> String {
        self.l.day_of(joined_at.as_deref()).unwrap_or_default()
    }
}

/// What the page says of who signed: "47 organizations", "and 12 individuals" when any did.
pub(super) fn signed_by(l: &Localizer, organizations: usize, individuals: usize) -> String {
    if individuals == 0 {
        l.msg("public-organizations")
            .count("organizations", organizations)
            .to_string()
    } else {
        l.msg("public-organizations-and-individuals")
            .count("organizations", organizations)
            .count("individuals", individuals)
            .to_string()
    }
}

/// The page of the letter with this slug showing `text` (the released text or a
/// translation), with the organizations as they stand in `groups`.
#[allow(clippy::too_many_arguments)]
pub(super) fn html(
    ctx: &Context,
    slug: &str,
    published: &Published,
    text: &PageText,
    alternates: &[Alternate],
    groups: Groups,
    individuals: &Individuals,
    changes: &[Change],
    asking: &CoordinatingOrganization,
) -> Result<String, PageError> {
    let l = Localizer::for_language(&text.language).unwrap_or_default();
    let original = published.original();
    let count = groups.leads.len() + groups.supporting.len() + groups.late.len();
    let signed = signed_by(&l, count, individuals.list.len());
    let path = if text.authoritative {
        format!("/letters/{slug}")
    } else {
        format!("/letters/{slug}/{}", text.language)
    };
    let authoritative = alternates.iter().find(|a| a.authoritative);
    let changes: Vec<Change> = changes
        .iter()
        .map(|c| Change {
            on: l.date(c.at),
            ..c.clone()
        })
        .collect();
    Ok(LetterPage {
        l: &l,
        text,
        alternates,
        authoritative_url: ctx.base_url.join(&format!("/letters/{slug}")),
        authoritative_name: authoritative
            .map(|a| a.language.native_name())
            .unwrap_or_default(),
        asking,
        url: ctx.base_url.join(&path),
        path,
        description: l
            .msg("public-description")
            .arg("addressee", text.addressee)
            .arg("signed", &signed)
            .to_string(),
        released_on: l.date_time_utc(original.released_at),
        released_at: rfc3339(original.released_at),
        signed_by: signed.clone(),
        individuals_heading: individuals.heading,
        individuals: individuals.list,
        public_key: public_key(ctx),
        slug: slug.to_string(),
        leads: groups.leads,
        supporting: groups.supporting,
        late: groups.late,
        changes: &changes,
        original_manifest_sha256: &original.manifest_sha256,
        release: published.latest(),
    }
    .render()
    .map_err(WebError::internal)?)
}

#[cfg(test)]
mod tests {
    use super::signed_by;
    use crate::domain::LanguageTag;
    use crate::i18n::Localizer;

    #[test]
    fn the_count_names_individuals_only_when_there_are_any() {
        let l = Localizer::english();
        assert_eq!(signed_by(&l, 47, 0), "47 organizations");
        assert_eq!(signed_by(&l, 1, 1), "1 organization and 1 individual");
        assert_eq!(signed_by(&l, 47, 12), "47 organizations and 12 individuals");
        let french = Localizer::choose([&LanguageTag::parse("fr").unwrap()]);
        assert_ne!(signed_by(&french, 47, 12), signed_by(&l, 47, 12));
    }
}
