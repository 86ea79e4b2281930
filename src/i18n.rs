//! The words partners read, in their language: the sign page, its answers and errors, the
//! emails sent to them and the public letter, in every language shipped under `locales/` (one
//! folder per language, `sign.ftl`, `email.ftl`, `public.ftl`, the same message ids in each).
//! The Fluent files are compiled into the binary; Fluent picks plural forms by each language's
//! rules ("1 organization", Arabic's six forms). Dates are written with the language's month
//! names and numbers with its digit grouping.
//!
//! Adding a language: copy `locales/en` to `locales/<tag>`, translate every message, add the
//! tag to `SHIPPED` and a `date_pattern`; the unit test `every_shipped_language_has_every_message`
//! fails until no message is missing.

use std::borrow::{Borrow, Cow};
use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use num_format::ToFormattedString;

use crate::domain::{Deadline, LanguageTag};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No invisible isolation marks around names: the pages set `dir` on what they show,
        // and the marks would travel into copied text and email subjects.
        customise: |bundle| {
            bundle.set_use_isolating(false);
            let grouped = match bundle.locales.first().map(|l| l.language.as_str()) {
                Some("fr") => grouped_in::<French, _>,
                Some("es") => grouped_in::<Spanish, _>,
                Some("ar") => grouped_in::<Arabic, _>,
                _ => grouped_in::<English, _>,
            };
            bundle.set_formatter(Some(grouped));
        },
    };
}

/// How a language groups the digits of a count.
trait Grouping {
    const LOCALE: num_format::Locale;
}

struct English;
struct French;
struct Spanish;
struct Arabic;

impl Grouping for English {
    const LOCALE: num_format::Locale = num_format::Locale::en;
}
impl Grouping for French {
    const LOCALE: num_format::Locale = num_format::Locale::fr;
}
impl Grouping for Spanish {
    const LOCALE: num_format::Locale = num_format::Locale::es;
}
impl Grouping for Arabic {
    const LOCALE: num_format::Locale = num_format::Locale::ar;
}

/// Fluent's formatter for numbers: whole numbers with the language's digit grouping; others
/// as Fluent writes them.
fn grouped_in<G: Grouping, M>(value: &FluentValue, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
            Some((n.value as i64).to_formatted_string(&G::LOCALE))
        }
        _ => None,
    }
}

/// The languages the partner-facing interface is written in, by primary language subtag.
pub const SHIPPED: [&str; 4] = ["en", "fr", "es", "ar"];

/// The partner-facing words in one shipped language. Cheap to clone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Localizer {
    tag: LanguageTag,
    id: LanguageIdentifier,
}

impl Default for Localizer {
    fn default() -> Self {
        Self::english()
    }
}

impl Localizer {
    /// English, the language of the interface when nothing else is known.
    pub fn english() -> Self {
        Self::shipped("en")
    }

    fn shipped(primary: &'static str) -> Self {
        Self {
            tag: LanguageTag::from_stored(primary),
            id: primary.parse().unwrap_or_default(),
        }
    }

    /// The interface in `language` when it is shipped (by its primary subtag: "fr-CA" reads
    /// French), else `None`.
    pub fn for_language(language: &LanguageTag) -> Option<Self> {
        SHIPPED
            .iter()
            .find(|shipped| **shipped == language.primary())
            .map(|shipped| Self::shipped(shipped))
    }

    /// The first of `candidates`, in order of preference, that the interface is written in;
    /// English when none is.
    pub fn choose<'a>(candidates: impl IntoIterator<Item = &'a LanguageTag>) -> Self {
        candidates
            .into_iter()
            .find_map(Self::for_language)
            .unwrap_or_else(Self::english)
    }

    /// The interface's language, for `lang` attributes.
    pub fn language(&self) -> &LanguageTag {
        &self.tag
    }

    /// `dir` of the interface: `rtl` for Arabic.
    pub fn dir(&self) -> &'static str {
        self.tag.direction().as_html()
    }

    /// Whether this is the English interface (whose messages some callers keep more precise).
    pub fn is_english(&self) -> bool {
        self.tag.primary() == "en"
    }

    /// The message `id` without arguments.
    pub fn t(&self, id: &str) -> String {
        self.msg(id).to_string()
    }

    /// The message `id`, to be given its arguments with `arg` and `count`, then written out
    /// (`Display`, `to_string`).
    pub fn msg<'a>(&'a self, id: &'a str) -> Message<'a> {
        Message {
            localizer: self,
            id,
            args: Vec::new(),
            markup: Vec::new(),
        }
    }

    /// A day as this language writes it: "3 December 2026", "3 décembre 2026", "3 de
    /// diciembre de 2026", "3 ديسمبر 2026".
    pub fn date(&self, at: NaiveDateTime) -> String {
        self.date_in(&at.and_utc())
    }

    /// The day of an RFC 3339 moment ("3 décembre 2026"); `None` for no moment or one that
    /// does not parse.
    pub fn day_of(&self, rfc3339: Option<&str>) -> Option<String> {
        let at = DateTime::parse_from_rfc3339(rfc3339?).ok()?;
        Some(self.date(at.naive_utc()))
    }

    /// A day and time in UTC: "3 December 2026, 14:05 UTC".
    pub fn date_time_utc(&self, at: NaiveDateTime) -> String {
        format!(
            "{}{}{} UTC",
            self.date(at),
            self.comma(),
            at.format("%H:%M")
        )
    }

    /// The comma between a day and its time: Arabic has its own.
    fn comma(&self) -> &'static str {
        if self.tag.primary() == "ar" {
            "، "
        } else {
            ", "
        }
    }

    fn date_in<Z: TimeZone>(&self, at: &DateTime<Z>) -> String
    where
        Z::Offset: fmt::Display,
    {
        let (pattern, locale) = date_pattern(self.tag.primary());
        at.format_localized(pattern, locale).to_string()
    }

    /// A deadline for a reader anywhere: its day and time in its own zone, the zone, and the
    /// time in UTC ("1 décembre 2026, 17:00 (Europe/Zurich) · 16:00 UTC"). English keeps the
    /// wording of `Deadline::display_with_city`.
    pub fn deadline(&self, deadline: &Deadline) -> String {
        if self.is_english() {
            return deadline.display_with_city();
        }
        let local = deadline.at.with_timezone(&deadline.zone);
        let day = self.date_in(&local);
        let comma = self.comma();
        if deadline.zone == chrono_tz::UTC {
            return format!("{day}{comma}{} UTC", local.format("%H:%M"));
        }
        let utc_time = deadline.at.format("%H:%M");
        let utc_day = self.date_in(&deadline.at);
        let utc = if utc_day == day {
            format!("{utc_time} UTC")
        } else {
            format!("{utc_day}{comma}{utc_time} UTC")
        };
        format!(
            "{day}{comma}{} ({}) · {utc}",
            local.format("%H:%M"),
            deadline.zone.name()
        )
    }

    /// A deadline on the sign page: as `deadline`, with how far it is from `now` in English.
    pub fn deadline_from(&self, deadline: &Deadline, now: DateTime<Utc>) -> String {
        if self.is_english() {
            deadline.display_with_utc(now)
        } else {
            self.deadline(deadline)
        }
    }
}

/// The strftime pattern and locale of a day in each shipped language.
fn date_pattern(primary: &str) -> (&'static str, chrono::Locale) {
    match primary {
        "fr" => ("%-d %B %Y", chrono::Locale::fr_FR),
        "es" => ("%-d de %B de %Y", chrono::Locale::es_ES),
        // Egypt's locale names the Gregorian months as most Arabic readers know them.
        "ar" => ("%-d %B %Y", chrono::Locale::ar_EG),
        _ => ("%-d %B %Y", chrono::Locale::en_GB),
    }
}

/// One message with its arguments, written out in its language when displayed.
pub struct Message<'a> {
    localizer: &'a Localizer,
    id: &'a str,
    args: Vec<(&'static str, FluentValue<'static>)>,
    /// The HTML of the arguments set in bold or as links by `html`, in the order given.
    markup: Vec<String>,
}

/// Marks the place of the `n`th bold argument in a message while it is formatted: characters
/// of Unicode's private use area, which no translation or name contains (names are checked
/// for them before they are used).
fn placeholder(n: usize) -> String {
    format!("\u{E000}{n}\u{E001}")
}

impl Message<'_> {
    /// A text argument set in bold by `html` ("<strong>Amnesty</strong> asks…"), wherever the
    /// language puts it in the sentence.
    pub fn strong(self, name: &'static str, value: impl fmt::Display) -> Self {
        let bold = format!(
            "<strong>{}</strong>",
            escape_html(&value.to_string(), false)
        );
        self.markup(name, bold)
    }

    /// A digest or key set as code by `html` (`<span class="hash">`, broken anywhere on a
    /// narrow screen).
    pub fn hash(self, name: &'static str, value: impl fmt::Display) -> Self {
        let code = format!(
            "<span class=\"hash\">{}</span>",
            escape_html(&value.to_string(), false)
        );
        self.markup(name, code)
    }

    /// A text argument made a link to `href` by `html` (an address the code made, or one
    /// checked as an email address).
    pub fn link(self, name: &'static str, value: impl fmt::Display, href: impl AsRef<str>) -> Self {
        let link = format!(
            "<a href=\"{}\">{}</a>",
            escape_html(href.as_ref(), false),
            escape_html(&value.to_string(), false)
        );
        self.markup(name, link)
    }

    fn markup(mut self, name: &'static str, html: String) -> Self {
        let marker = placeholder(self.markup.len());
        self.markup.push(html);
        self.args.push((name, FluentValue::from(marker)));
        self
    }

    /// The message as HTML: its words and plain arguments escaped, the `strong` and `link`
    /// arguments in their elements. For templates, with `|safe`.
    pub fn html(&self) -> String {
        let mut html = escape_html(&self.to_string(), true);
        for (n, fragment) in self.markup.iter().enumerate() {
            html = html.replace(&placeholder(n), fragment);
        }
        html
    }

    /// A text argument (a name, a title), shown as given.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        let value: String = value
            .to_string()
            .chars()
            .filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c))
            .collect();
        self.args.push((name, FluentValue::from(value)));
        self
    }

    /// A count: it chooses the plural form, and is written with the language's digit grouping.
    pub fn count(mut self, name: &'static str, n: impl Borrow<usize>) -> Self {
        self.args.push((name, FluentValue::from(*n.borrow())));
        self
    }
}

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let args: HashMap<Cow<'static, str>, FluentValue> = self
            .args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), value.clone()))
            .collect();
        let text = LOCALES.lookup_complete(&self.localizer.id, self.id, Some(&args));
        f.write_str(&text)
    }
}

/// Text made safe inside HTML elements and quoted attributes; the private use area is dropped,
/// except the markers of bold arguments when `keep_markers`.
fn escape_html(text: &str, keep_markers: bool) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            '\u{E000}' | '\u{E001}' if keep_markers => escaped.push(c),
            // The private use area marks bold arguments; it has no place in what people type.
            '\u{E000}'..='\u{F8FF}' => {}
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests;
