//! Countries as people type them: an ISO 3166-1 alpha-2 or alpha-3 code, or the country's
//! name in English, French or Spanish, in any case and with or without accents. Undersigned
//! stores the alpha-2 code.
//!
//! The codes and names come from the `keshvar` crate rather than a table of our own: it carries
//! every ISO 3166-1 country with typed alpha-2 and alpha-3 codes, the ISO short and long names
//! and, with its `translations` feature, each country's name in the CLDR languages, generated
//! from maintained upstream data (the `countries` data set) instead of being typed by hand.
//! Its `subdivisions` feature stays off, which keeps the build small.

use std::collections::HashMap;
use std::sync::LazyLock;

use keshvar::{Alpha2, Alpha3, Country, CountryIterator};
use unicode_normalization::UnicodeNormalization;

/// Kosovo has no ISO 3166-1 code yet; XK is the user-assigned code that the European Union,
/// the IMF and most address books use, so partners from Kosovo can be entered.
const KOSOVO: &str = "XK";

/// The languages whose country names are understood.
const LANGUAGES: [&str; 3] = ["en", "fr", "es"];

/// The alpha-2 code that `raw` names (a code or a name), or `None` when it names no country
/// or more than one. `raw` is expected trimmed and non-empty.
pub(super) fn alpha2_of(raw: &str) -> Option<String> {
    let letters = raw.trim();
    if letters.eq_ignore_ascii_case(KOSOVO) {
        return Some(KOSOVO.to_string());
    }
    if letters.is_ascii()
        && letters.len() == 2
        && let Ok(code) = Alpha2::try_from(letters)
    {
        return Some(code.to_string());
    }
    if letters.is_ascii()
        && letters.len() == 3
        && let Ok(code) = Alpha3::try_from(letters.to_ascii_uppercase().as_str())
    {
        return Some(code.to_alpha2().to_string());
    }
    // Not a code: a name, or a short form in common use ("UK" for GB).
    match NAMES.get(&fold(letters)) {
        Some(Some(code)) => Some(code.to_string()),
        _ => None,
    }
}

/// The English name of the country with this alpha-2 code, as readers know it ("United
/// Kingdom" for GB, "Kosovo" for XK), or `None` for a code that names no country.
pub fn country_name(alpha2: &str) -> Option<String> {
    country_name_in(alpha2, "en")
}

/// The country's name in a language (a primary language subtag: "fr", "ar"), from the
/// country data's translations; its English name when it has none in that language.
pub fn country_name_in(alpha2: &str, language: &str) -> Option<String> {
    if alpha2.eq_ignore_ascii_case(KOSOVO) {
        let name = if language == "ar" {
            "كوسوفو"
        } else {
            "Kosovo"
        };
        return Some(name.to_string());
    }
    let country = Alpha2::try_from(alpha2).ok()?.to_country();
    let translations = country.translations();
    let name = translations
        .get(language)
        .or_else(|| translations.get("en"))
        .copied()
        .unwrap_or(country.iso_short_name());
    Some(name.to_string())
}

/// Every known name, folded, with the country it names (`None`: it names several).
static NAMES: LazyLock<HashMap<String, Option<Alpha2>>> = LazyLock::new(|| {
    let countries: Vec<Country> = CountryIterator::new().collect();
    let official = names_by(&countries, |country| {
        let translations = country.translations();
        let mut names = vec![country.iso_short_name(), country.iso_long_name()];
        names.extend(
            LANGUAGES
                .iter()
                .filter_map(|l| translations.get(l).copied()),
        );
        names
    });
    // Other names in use ("UK", "Great Britain") count where no official name says otherwise.
    let mut all = names_by(&countries, |country| {
        country.unofficial_name_list().to_vec()
    });
    all.extend(official);
    all
});

fn names_by(
    countries: &[Country],
    names: impl Fn(&Country) -> Vec<&'static str>,
) -> HashMap<String, Option<Alpha2>> {
    let mut map: HashMap<String, Option<Alpha2>> = HashMap::new();
    for country in countries {
        let code = country.alpha2();
        for name in names(country) {
            let key = fold(name);
            if key.is_empty() {
                continue;
            }
            map.entry(key)
                .and_modify(|known| {
                    if *known != Some(code) {
                        *known = None;
                    }
                })
                .or_insert(Some(code));
        }
    }
    map
}

/// A name folded for comparison: no accents, lowercase, punctuation as spaces, one space
/// between words ("Côte d’Ivoire" and "cote d ivoire" fold the same).
fn fold(name: &str) -> String {
    let plain: String = name
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_in_three_languages_give_the_alpha2_code() {
        for (typed, code) in [
            ("CH", "CH"),
            ("ch", "CH"),
            ("CHE", "CH"),
            ("che", "CH"),
            ("Switzerland", "CH"),
            ("Suisse", "CH"),
            ("Suiza", "CH"),
            ("SUIZA", "CH"),
            ("Allemagne", "DE"),
            ("Alemania", "DE"),
            ("Germany", "DE"),
            ("Côte d’Ivoire", "CI"),
            ("cote d'ivoire", "CI"),
            ("Perú", "PE"),
            ("peru", "PE"),
            ("Royaume-Uni", "GB"),
            ("United Kingdom", "GB"),
            ("Estados Unidos", "US"),
            ("USA", "US"),
            ("UK", "GB"),
            ("xk", "XK"),
        ] {
            assert_eq!(alpha2_of(typed).as_deref(), Some(code), "{typed}");
        }
    }

    #[test]
    fn what_names_no_country_is_none() {
        for typed in ["XX", "ZZZ", "Narnia", "", "Suisse Romande", "Ω"] {
            assert_eq!(alpha2_of(typed), None, "{typed}");
        }
    }

    #[test]
    fn a_country_is_named_in_the_reader_s_language() {
        assert_eq!(country_name_in("DE", "fr").as_deref(), Some("Allemagne"));
        assert_eq!(country_name_in("DE", "es").as_deref(), Some("Alemania"));
        assert_eq!(country_name_in("EG", "ar").as_deref(), Some("مصر"));
        // No name in that language: the English one.
        assert_eq!(country_name_in("DE", "xx").as_deref(), Some("Germany"));
        assert_eq!(country_name_in("XK", "ar").as_deref(), Some("كوسوفو"));
        assert_eq!(country_name_in("QQ", "fr"), None);
    }
}
