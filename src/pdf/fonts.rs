//! The fonts of the PDF and the choice of font for each character. A few OFL fonts are embedded
//! in the binary (Latin, Greek, Cyrillic, Vietnamese, Arabic, Hebrew); for any other script the
//! system's fonts are searched, once per character and process, so that a name in Chinese or
//! Devanagari prints when the machine has a font for it.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::{LazyLock, Mutex};

use rustybuzz::Face;

/// How a run of text is set. Bold and italic exist only in the embedded Latin fonts; other
/// scripts fall back to their regular face.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    Regular,
    Bold,
    Italic,
}

/// A font ready for both shaping (rustybuzz) and embedding (krilla). Loaded fonts live for the
/// whole process: the embedded ones are in the binary, system ones are read once and kept.
pub struct LoadedFont {
    pub name: String,
    pub krilla: krilla::text::Font,
    pub face: Face<'static>,
}

impl LoadedFont {
    fn new(name: &str, data: &'static [u8], index: u32) -> Option<Self> {
        Some(Self {
            name: name.to_string(),
            krilla: krilla::text::Font::new(data.into(), index)?,
            face: Face::from_slice(data, index)?,
        })
    }

    pub fn covers(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some()
    }
}

struct Embedded {
    regular: LoadedFont,
    bold: LoadedFont,
    italic: LoadedFont,
    /// Other scripts, regular only, in the order they are tried.
    scripts: Vec<LoadedFont>,
}

static EMBEDDED: LazyLock<Option<Embedded>> = LazyLock::new(|| {
    let load = |name, data| LoadedFont::new(name, data, 0);
    Some(Embedded {
        regular: load(
            "Noto Sans",
            include_bytes!("../../static/fonts/NotoSans-Regular.ttf"),
        )?,
        bold: load(
            "Noto Sans Bold",
            include_bytes!("../../static/fonts/NotoSans-Bold.ttf"),
        )?,
        italic: load(
            "Noto Sans Italic",
            include_bytes!("../../static/fonts/NotoSans-Italic.ttf"),
        )?,
        scripts: vec![
            load(
                "Noto Sans Arabic",
                include_bytes!("../../static/fonts/NotoSansArabic-Regular.ttf"),
            )?,
            load(
                "Noto Sans Hebrew",
                include_bytes!("../../static/fonts/NotoSansHebrew-Regular.ttf"),
            )?,
        ],
    })
});

/// How many characters without a font one render looks up in the system fonts.
const SYSTEM_SEARCHES_PER_RENDER: usize = 64;

/// The fonts tried for a character, in order: the embedded ones for this shape, then
/// (when `system` is set) the system's.
pub struct Fallback {
    system: bool,
    missing: BTreeSet<char>,
}

impl Fallback {
    pub fn new(system: bool) -> Self {
        Self {
            system,
            missing: BTreeSet::new(),
        }
    }

    /// The main font of a shape; `None` only if the embedded fonts are damaged.
    pub fn primary(shape: Shape) -> Option<&'static LoadedFont> {
        let embedded = EMBEDDED.as_ref()?;
        Some(match shape {
            Shape::Regular => &embedded.regular,
            Shape::Bold => &embedded.bold,
            Shape::Italic => &embedded.italic,
        })
    }

    /// The first font that has a glyph for `c`, or `None`.
    pub fn font_for(&mut self, c: char, shape: Shape) -> Option<&'static LoadedFont> {
        let embedded = EMBEDDED.as_ref()?;
        let found = std::iter::once(Self::primary(shape)?)
            .chain(embedded.scripts.iter())
            .find(|font| font.covers(c))
            .or_else(|| {
                // A character no font has costs a look through every system font (once per
                // process); a name made of thousands of such characters must not make one
                // render slow, so a render stops looking after a few.
                if self.system && self.missing.len() < SYSTEM_SEARCHES_PER_RENDER {
                    system_font_for(c)
                } else {
                    None
                }
            });
        if found.is_none() {
            self.missing.insert(c);
        }
        found
    }

    /// Splits `text` into runs that one font can set, each with its font. Combining marks and
    /// joiners stay with the character before them; spaces and punctuation stay in the run
    /// they are in when its font has them, so an Arabic name is shaped as one run.
    pub fn split(
        &mut self,
        text: &str,
        shape: Shape,
    ) -> Option<Vec<(Range<usize>, &'static LoadedFont)>> {
        let primary = Self::primary(shape)?;
        let mut runs: Vec<(Range<usize>, &'static LoadedFont)> = Vec::new();
        for (at, c) in text.char_indices() {
            let end = at + c.len_utf8();
            if let Some((range, font)) = runs.last_mut()
                && (is_attached(c) || (is_neutral(c) && font.covers(c)))
            {
                range.end = end;
                continue;
            }
            let font = self.font_for(c, shape).unwrap_or(primary);
            match runs.last_mut() {
                Some((range, last)) if std::ptr::eq(*last, font) => range.end = end,
                _ => runs.push((at..end, font)),
            }
        }
        Some(runs)
    }

    /// Logs, once per process and character, the characters no font could set.
    pub fn warn_missing(&self) {
        static WARNED: LazyLock<Mutex<HashSet<char>>> = LazyLock::new(Default::default);
        let mut warned = WARNED.lock().unwrap_or_else(|e| e.into_inner());
        let new: String = self.missing.iter().filter(|c| warned.insert(**c)).collect();
        if !new.is_empty() {
            tracing::warn!(
                characters = %new,
                "no embedded or system font has these characters; the PDF shows empty boxes \
                 for them (install a font that covers them, e.g. fonts-noto-cjk)"
            );
        }
    }
}

/// Combining marks, joiners and variation selectors belong to the character before them.
fn is_attached(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
        || matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}')
}

fn is_neutral(c: char) -> bool {
    c.is_whitespace() || c.is_ascii_punctuation() || c.is_ascii_digit()
}

/// The system's fonts, listed once per process; a font is read only when a character needs it.
struct SystemFonts {
    db: fontdb::Database,
    /// Candidate faces, the likeliest first: upright, regular weight, proportional.
    order: Vec<fontdb::ID>,
    loaded: Mutex<LoadedSystem>,
}

#[derive(Default)]
struct LoadedSystem {
    fonts: Vec<&'static LoadedFont>,
    by_char: HashMap<char, Option<&'static LoadedFont>>,
}

static SYSTEM: LazyLock<SystemFonts> = LazyLock::new(|| {
    let mut db = fontdb::Database::new();
    for dir in ["/usr/share/fonts", "/usr/local/share/fonts"] {
        db.load_fonts_dir(dir);
    }
    if let Some(home) = std::env::var_os("HOME") {
        db.load_fonts_dir(std::path::Path::new(&home).join(".local/share/fonts"));
    }
    let mut order: Vec<&fontdb::FaceInfo> = db.faces().collect();
    order.sort_by_key(|f| {
        let family = f.families.first().map(|(n, _)| n.as_str()).unwrap_or("");
        (
            f.style != fontdb::Style::Normal,
            f.weight.0.abs_diff(400),
            f.monospaced,
            !family.contains("Sans"),
            family.to_string(),
            f.index,
        )
    });
    let order = order.into_iter().map(|f| f.id).collect();
    SystemFonts {
        db,
        order,
        loaded: Mutex::default(),
    }
});

/// The system font for `c`: one already in use when it has the character, else the first
/// candidate that has it, read from disk and kept for the life of the process.
fn system_font_for(c: char) -> Option<&'static LoadedFont> {
    let system = &*SYSTEM;
    let mut loaded = system.loaded.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = loaded.by_char.get(&c) {
        return *found;
    }
    let found = match loaded.fonts.iter().find(|f| f.covers(c)) {
        Some(font) => Some(*font),
        None => system
            .order
            .iter()
            .find(|id| {
                system
                    .db
                    .with_face_data(**id, |data, index| {
                        rustybuzz::ttf_parser::Face::parse(data, index)
                            .is_ok_and(|face| face.glyph_index(c).is_some())
                    })
                    .unwrap_or(false)
            })
            .and_then(|id| load_system(&system.db, *id))
            .inspect(|font| loaded.fonts.push(font)),
    };
    loaded.by_char.insert(c, found);
    found
}

fn load_system(db: &fontdb::Database, id: fontdb::ID) -> Option<&'static LoadedFont> {
    let info = db.face(id)?;
    let data = match &info.source {
        fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => {
            std::fs::read(path).ok()?
        }
        fontdb::Source::Binary(data) => data.as_ref().as_ref().to_vec(),
    };
    // Kept for the life of the process: at most one copy per font file a character needed.
    let data: &'static [u8] = Box::leak(data.into_boxed_slice());
    let name = info
        .families
        .first()
        .map(|(n, _)| n.clone())
        .unwrap_or_else(|| info.post_script_name.clone());
    let font = LoadedFont::new(&name, data, info.index)?;
    tracing::info!(font = %font.name, "PDF: a system font sets a script the embedded fonts lack");
    Some(Box::leak(Box::new(font)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts_of(text: &str) -> Vec<(String, String)> {
        let mut fallback = Fallback::new(false);
        fallback
            .split(text, Shape::Regular)
            .unwrap()
            .into_iter()
            .map(|(range, font)| (text[range].to_string(), font.name.clone()))
            .collect()
    }

    #[test]
    fn arabic_letters_take_the_arabic_font() {
        assert_eq!(
            fonts_of("Fondation Ỷ Lan مؤسسة الحقوق Ελλάδα"),
            [
                ("Fondation Ỷ Lan ".to_string(), "Noto Sans".to_string()),
                ("مؤسسة الحقوق ".into(), "Noto Sans Arabic".into()),
                ("Ελλάδα".into(), "Noto Sans".into()),
            ]
        );
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        // "e" followed by a combining acute accent, then Hebrew with a point.
        let runs = fonts_of("e\u{301} שָׁלוֹם");
        assert_eq!(runs[0].0, "e\u{301} ");
        assert_eq!(
            runs[1],
            ("שָׁלוֹם".to_string(), "Noto Sans Hebrew".to_string())
        );
    }

    #[test]
    fn characters_without_a_font_are_collected_not_fatal() {
        let mut fallback = Fallback::new(false);
        let runs = fallback.split("人権", Shape::Bold).unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!(fallback.missing.iter().collect::<String>(), "人権");
    }
}
