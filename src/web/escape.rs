//! The HTML escaper of every template: the five characters that matter in HTML, written as the
//! familiar named entities rather than askama's numeric ones; characters that XML forbids are
//! left out.

use std::fmt::{self, Write};

#[derive(Debug, Clone, Copy, Default)]
pub struct NamedEntities;

impl askama::filters::Escaper for NamedEntities {
    fn write_escaped_str<W: Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        let mut last = 0;
        for (index, c) in string.char_indices() {
            let entity = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                c if forbidden_in_xml(c) => "",
                _ => continue,
            };
            dest.write_str(&string[last..index])?;
            dest.write_str(entity)?;
            last = index + c.len_utf8();
        }
        dest.write_str(&string[last..])
    }
}

/// Characters no XML 1.0 document may hold (control characters other than tab and line
/// breaks, U+FFFE and U+FFFF). Input refuses them; text stored before that rule existed is
/// written without them, so a page or the Atom feed stays well-formed whatever was typed.
fn forbidden_in_xml(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use askama::filters::Escaper;

    use super::*;

    #[test]
    fn the_five_characters_become_named_entities() {
        let mut out = String::new();
        NamedEntities
            .write_escaped_str(
                &mut out,
                r#"Lawyers for Human Rights & Justice <b onclick="x">'é'</b>"#,
            )
            .unwrap();
        assert_eq!(
            out,
            "Lawyers for Human Rights &amp; Justice &lt;b onclick=&quot;x&quot;&gt;&#39;é&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn characters_xml_forbids_are_left_out() {
        let mut out = String::new();
        NamedEntities
            .write_escaped_str(&mut out, "A\u{FFFE}cme\u{0}\u{1b} & Co\u{85}\tok\u{FFFF}")
            .unwrap();
        assert_eq!(out, "Acme &amp; Co\tok");
    }
}
