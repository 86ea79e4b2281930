//! What a letter is made of: its title, addressee, Markdown body, slug, deadline, statuses,
//! and the canonical text whose SHA-256 binds every approval to the exact words approved.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use unicode_normalization::UnicodeNormalization;

use super::InvalidInput;
use super::stored::stored_as_text;
use super::text::{multi_line, single_line};
use crate::crypto::sha256_hex;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterTitle(String);

impl LetterTitle {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        single_line(raw, "the title", 300).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// To whom the letter is written, such as "António Guterres, Secretary-General of the UN".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee(String);

impl Addressee {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        single_line(raw, "the addressee", 300).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The letter's text in Markdown: NFC, line endings made `\n`, no blank lines at either end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterBody(String);

impl LetterBody {
    const MAX_BYTES: usize = 200_000;

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let body = multi_line(raw, "the letter's text")?;
        if body.trim().is_empty() {
            return Err(InvalidInput::new("the letter's text is required"));
        }
        if body.len() > Self::MAX_BYTES {
            return Err(InvalidInput::new(
                "the letter's text is longer than 200,000 bytes",
            ));
        }
        Ok(Self(body))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The public address part of a letter: lowercase ASCII words joined by hyphens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    const MAX_CHARS: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let slug = raw.trim();
        let well_formed = !slug.is_empty()
            && slug.len() <= Self::MAX_CHARS
            && slug.split('-').all(|word| {
                !word.is_empty()
                    && word
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if well_formed {
            Ok(Self(slug.to_string()))
        } else {
            Err(InvalidInput::new(
                "the slug must be lowercase letters and digits joined by single hyphens (at most 80)",
            ))
        }
    }

    /// How long a slug made from a title may be: it is cut after the last whole word that fits.
    const FROM_TITLE_CHARS: usize = 60;

    /// A slug made from a title in any script (transliterated), never empty, at most 60
    /// characters and cut between words (a first word longer than that is cut itself).
    pub fn from_title(title: &LetterTitle) -> Self {
        let full = slug::slugify(title.as_str());
        let mut slug = String::new();
        for word in full.split('-').filter(|w| !w.is_empty()) {
            let needed = if slug.is_empty() {
                word.len()
            } else {
                slug.len() + 1 + word.len()
            };
            if needed > Self::FROM_TITLE_CHARS {
                if slug.is_empty() {
                    slug = word[..Self::FROM_TITLE_CHARS].to_string();
                }
                break;
            }
            if !slug.is_empty() {
                slug.push('-');
            }
            slug.push_str(word);
        }
        if slug.is_empty() {
            slug = "letter".into();
        }
        Self(slug)
    }

    /// The same slug with a numeric suffix, for when the plain one is taken.
    pub fn with_suffix(&self, n: u32) -> Self {
        let suffix = format!("-{n}");
        let mut base = self.0.clone();
        base.truncate(Self::MAX_CHARS - suffix.len());
        Self(format!("{}{suffix}", base.trim_end_matches('-')))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A deadline: the instant, and the time zone it was set in (to show it as the coordinator
/// meant it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub at: DateTime<Utc>,
    pub zone: Tz,
}

impl Deadline {
    /// From an RFC 3339 time (`2026-12-01T17:00:00+01:00`) and an optional IANA zone name.
    pub fn parse_rfc3339(raw: &str, zone: Option<&str>) -> Result<Self, InvalidInput> {
        let at = DateTime::parse_from_rfc3339(raw.trim())
            .map_err(|_| {
                InvalidInput::new(
                    "the deadline must be an RFC 3339 time, such as 2026-12-01T17:00:00+01:00",
                )
            })?
            .with_timezone(&Utc);
        let zone = match zone {
            Some(name) if !name.trim().is_empty() => parse_zone(name)?,
            _ => Tz::UTC,
        };
        Ok(Self { at, zone })
    }

    /// From a form's `datetime-local` value (`2026-12-01T17:00`) read in the named zone.
    pub fn parse_local(raw: &str, zone: &str) -> Result<Self, InvalidInput> {
        let zone = parse_zone(zone)?;
        let local = NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M:%S"))
            .map_err(|_| InvalidInput::new("the deadline must be a date and time"))?;
        let at = zone
            .from_local_datetime(&local)
            .earliest()
            .ok_or_else(|| InvalidInput::new("this time does not exist in that time zone"))?
            .with_timezone(&Utc);
        Ok(Self { at, zone })
    }

    /// As stored: naive UTC and the zone's name.
    pub fn from_stored(at: NaiveDateTime, zone: Option<&str>) -> Self {
        Self {
            at: at.and_utc(),
            zone: zone.and_then(|z| z.parse().ok()).unwrap_or(Tz::UTC),
        }
    }

    /// The deadline as people read it in its own zone: "1 December 2026, 17:00 (Europe/Paris)".
    pub fn display(&self) -> String {
        format!(
            "{} ({})",
            self.at.with_timezone(&self.zone).format("%-d %B %Y, %H:%M"),
            self.zone.name()
        )
    }

    /// The deadline as an email writes it, for readers anywhere: "1 December 2026, 17:00
    /// Zurich time (16:00 UTC)", with the UTC date too when it falls on another day, and
    /// "1 December 2026, 16:00 UTC" for a deadline set in UTC.
    pub fn display_with_city(&self) -> String {
        let utc_day = self.at.format("%-d %B %Y").to_string();
        let utc_time = self.at.format("%H:%M").to_string();
        let Some(city) = city_of(self.zone.name()) else {
            return format!("{utc_day}, {utc_time} UTC");
        };
        let local = self.at.with_timezone(&self.zone);
        let local_day = local.format("%-d %B %Y").to_string();
        let utc = if local_day == utc_day {
            format!("{utc_time} UTC")
        } else {
            format!("{utc_day}, {utc_time} UTC")
        };
        format!("{local_day}, {} {city} time ({utc})", local.format("%H:%M"))
    }

    /// The moment in its own zone, in UTC, and how far it is from `now`: "1 December 2026,
    /// 17:00 (Europe/Paris) · 16:00 UTC · in 3 hours".
    pub fn display_with_utc(&self, now: DateTime<Utc>) -> String {
        let utc = if self.zone == Tz::UTC {
            String::new()
        } else {
            format!(" · {} UTC", self.at.format("%-d %B %Y, %H:%M"))
        };
        format!("{}{utc} · {}", self.display(), relative(self.at - now))
    }

    /// How far the moment is from `now`: "in 15 days", "3 hours ago".
    pub fn from_now(&self, now: DateTime<Utc>) -> String {
        relative(self.at - now)
    }

    /// The value for a form's `datetime-local` field, in the deadline's own zone.
    pub fn local_input(&self) -> String {
        self.at
            .with_timezone(&self.zone)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    }
}

/// The city an IANA zone is named after, as people write it: the name's last segment with
/// spaces for underscores ("America/Argentina/Buenos_Aires" → "Buenos Aires"). `None` for UTC
/// and the zones named after no place ("Etc/UTC", "GMT"), which are written as UTC.
fn city_of(zone: &str) -> Option<String> {
    let (region, city) = zone.rsplit_once('/')?;
    if region == "Etc" {
        return None;
    }
    Some(city.replace('_', " "))
}

/// A span as people say it: "in 3 hours", "in 2 days", "5 minutes ago", "now".
fn relative(span: chrono::TimeDelta) -> String {
    let minutes = span.num_minutes();
    let (amount, unit) = match minutes.abs() {
        0 => return "now".into(),
        m if m < 60 => (m, "minute"),
        m if m < 36 * 60 => ((m + 30) / 60, "hour"),
        m => ((m + 12 * 60) / (24 * 60), "day"),
    };
    let plural = if amount == 1 { "" } else { "s" };
    if minutes > 0 {
        format!("in {amount} {unit}{plural}")
    } else {
        format!("{amount} {unit}{plural} ago")
    }
}

fn parse_zone(name: &str) -> Result<Tz, InvalidInput> {
    name.trim()
        .parse()
        .map_err(|_| InvalidInput::new(format!("“{}” is not a known time zone", name.trim())))
}

stored_as_text! {
    /// Whether an edit changes what partners approved.
    pub enum ChangeKind {
        /// A typo: approvals carry over, partners are told.
        Minor => "minor",
        /// Approvals of older versions stop counting; signers are asked again.
        Substantive => "substantive",
    }
}

impl ChangeKind {
    /// The kind a coordinator chose on the edit form or in the API.
    pub fn from_input(raw: &str) -> Result<Self, InvalidInput> {
        Self::parse(raw.trim())
            .ok_or_else(|| InvalidInput::new("the change must be “minor” or “substantive”"))
    }
}

stored_as_text! {
    /// Where a letter is in its life: draft → open → closed → (scheduled) → released.
    pub enum LetterStatus {
        Draft => "draft",
        Open => "open",
        Closed => "closed",
        Scheduled => "scheduled",
        Released => "released",
    }
}

/// The exact text an approval is bound to: title, addressee and body, Unicode NFC, line endings
/// `\n`, no trailing spaces on a line, separated by blank lines. Anyone can recompute its SHA-256
/// from the published text.
pub fn canonical_text(title: &str, addressee: &str, body: &str) -> String {
    let normalize = |text: &str| -> String {
        let unified = text.replace("\r\n", "\n").nfc().collect::<String>();
        let lines: Vec<&str> = unified.lines().map(str::trim_end).collect();
        lines.join("\n").trim_matches('\n').to_string()
    };
    format!(
        "{}\n\n{}\n\n{}\n",
        normalize(title),
        normalize(addressee),
        normalize(body)
    )
}

pub fn content_sha256(title: &str, addressee: &str, body: &str) -> String {
    sha256_hex(canonical_text(title, addressee, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_reads_in_its_zone_in_utc_and_from_now() {
        let at =
            Deadline::parse_rfc3339("2026-12-01T17:00:00+01:00", Some("Europe/Paris")).unwrap();
        let now = "2026-12-01T13:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            at.display_with_utc(now),
            "1 December 2026, 17:00 (Europe/Paris) · 1 December 2026, 16:00 UTC · in 3 hours"
        );
        let later = "2026-12-04T16:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert!(at.display_with_utc(later).ends_with("3 days ago"));
    }

    #[test]
    fn a_deadline_is_written_with_its_city_and_in_utc() {
        let at = |raw: &str, zone: &str| Deadline::parse_rfc3339(raw, Some(zone)).unwrap();
        assert_eq!(
            at("2026-12-01T17:00:00+01:00", "Europe/Zurich").display_with_city(),
            "1 December 2026, 17:00 Zurich time (16:00 UTC)"
        );
        assert_eq!(
            at(
                "2026-12-01T17:00:00-03:00",
                "America/Argentina/Buenos_Aires"
            )
            .display_with_city(),
            "1 December 2026, 17:00 Buenos Aires time (20:00 UTC)"
        );
        assert_eq!(
            at("2026-12-01T16:00:00Z", "UTC").display_with_city(),
            "1 December 2026, 16:00 UTC"
        );
        assert_eq!(
            at("2026-12-01T16:00:00Z", "Etc/UTC").display_with_city(),
            "1 December 2026, 16:00 UTC"
        );
        assert_eq!(
            at("2026-12-01T00:30:00+01:00", "Europe/Zurich").display_with_city(),
            "1 December 2026, 00:30 Zurich time (30 November 2026, 23:30 UTC)",
            "the UTC date when it is another day"
        );
        assert_eq!(
            city_of("America/Port_of_Spain").as_deref(),
            Some("Port of Spain")
        );
        assert_eq!(city_of("Etc/GMT+3"), None);
    }

    #[test]
    fn slugs_come_from_titles_in_any_script() {
        let title =
            LetterTitle::parse("Joint Letter to the UN Secretary-General on Xinjiang").unwrap();
        assert_eq!(
            Slug::from_title(&title).as_str(),
            "joint-letter-to-the-un-secretary-general-on-xinjiang"
        );
        let accented = LetterTitle::parse("Lettre à António Guterres").unwrap();
        assert_eq!(
            Slug::from_title(&accented).as_str(),
            "lettre-a-antonio-guterres"
        );
        let symbols = LetterTitle::parse("!!!").unwrap();
        assert_eq!(Slug::from_title(&symbols).as_str(), "letter");
        assert_eq!(
            Slug::from_title(&title).with_suffix(2).as_str(),
            "joint-letter-to-the-un-secretary-general-on-xinjiang-2"
        );
        let wordy = LetterTitle::parse(
            "Joint letter on the protection of human rights defenders in the region",
        )
        .unwrap();
        assert_eq!(
            Slug::from_title(&wordy).as_str(),
            "joint-letter-on-the-protection-of-human-rights-defenders-in"
        );
        let long = Slug::parse(&"a".repeat(80)).unwrap();
        assert_eq!(long.with_suffix(12).as_str().len(), 80);
        assert!(Slug::parse("Bad Slug").is_err());
        assert!(Slug::parse("double--hyphen").is_err());
        assert!(Slug::parse("good-slug-2").is_ok());
    }

    #[test]
    fn the_hash_ignores_line_endings_and_trailing_spaces_only() {
        let a = content_sha256("T", "A", "Dear all,\r\n\r\nWe urge you.  \n");
        let b = content_sha256("T", "A", "Dear all,\n\nWe urge you.");
        assert_eq!(a, b);
        assert_ne!(a, content_sha256("T", "A", "Dear all,\n\nWe urge you!"));
        // é as one code point and as e + combining accent are the same text.
        assert_eq!(
            content_sha256("Caf\u{e9}", "A", "x"),
            content_sha256("Cafe\u{301}", "A", "x")
        );
    }

    #[test]
    fn deadlines_keep_their_zone() {
        let d = Deadline::parse_local("2026-12-01T17:00", "Europe/Paris").unwrap();
        assert_eq!(d.at.to_rfc3339(), "2026-12-01T16:00:00+00:00");
        assert_eq!(d.display(), "1 December 2026, 17:00 (Europe/Paris)");
        assert_eq!(d.local_input(), "2026-12-01T17:00");
        assert!(Deadline::parse_local("2026-12-01T17:00", "Mars/Olympus").is_err());
        let r = Deadline::parse_rfc3339("2026-12-01T17:00:00+01:00", None).unwrap();
        assert_eq!(r.at, d.at);
        assert!(Deadline::parse_rfc3339("tomorrow", None).is_err());
    }

    #[test]
    fn bodies_are_required_and_bounded() {
        assert!(LetterBody::parse("  \n ").is_err());
        assert!(LetterBody::parse("a\u{0}b").is_err());
        assert_eq!(LetterBody::parse("a\r\nb").unwrap().as_str(), "a\nb");
    }
}
