//! Which language a partner reads the sign pages in: the browser's `Accept-Language`, and the
//! order of choice (the page's, the invitation's, the browser's, the letter's).

use actix_web::HttpRequest;

use crate::domain::LanguageTag;
use crate::i18n::Localizer;

/// The languages of the browser's `Accept-Language`, most preferred first (the wildcard and
/// tags that do not parse are left out).
pub(crate) fn browser_languages(request: &HttpRequest) -> Vec<LanguageTag> {
    use actix_web::http::header::{AcceptLanguage, Header, Preference, Quality};
    let Ok(accepted) = AcceptLanguage::parse(request) else {
        return Vec::new();
    };
    // "q=0" means "not this one".
    let refused: Vec<String> = accepted
        .0
        .iter()
        .filter(|item| item.quality == Quality::ZERO)
        .map(|item| item.item.to_string())
        .collect();
    accepted
        .ranked()
        .into_iter()
        .filter_map(|preference| match preference {
            Preference::Specific(tag) if !refused.contains(&tag.to_string()) => {
                LanguageTag::parse(tag.as_str()).ok()
            }
            _ => None,
        })
        .collect()
}

/// The interface language of a sign page: the language of the text read (when the partner
/// chose one), the invitation's, the browser's, then the letter's own.
pub(super) fn sign_localizer(
    reading: Option<&LanguageTag>,
    invitation_language: Option<&str>,
    browser: &[LanguageTag],
    letter_language: &str,
) -> Localizer {
    let invitation = invitation_language.map(LanguageTag::from_stored);
    let own = LanguageTag::from_stored(letter_language);
    Localizer::choose(
        reading
            .into_iter()
            .chain(invitation.iter())
            .chain(browser)
            .chain(std::iter::once(&own)),
    )
}
