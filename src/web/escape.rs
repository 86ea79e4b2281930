//! The HTML escaper of every template: the five characters that matter in HTML, written as the
//! familiar named entities rather than askama's numeric ones.

use std::fmt::{self, Write};

#[derive(Debug, Clone, Copy, Default)]
pub struct NamedEntities;

impl askama::filters::Escaper for NamedEntities {
    fn write_escaped_str<W: Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        let mut last = 0;
        for (index, byte) in string.bytes().enumerate() {
            let entity = match byte {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            dest.write_str(&string[last..index])?;
            dest.write_str(entity)?;
            last = index + 1;
        }
        dest.write_str(&string[last..])
    }
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
}
