//! Markup that could run script in a page: what the pages' tests look for after feeding the
//! app hostile text, and what must never be there.

/// Markup of a page that could run script: a `<script>` element, an `on…` attribute or a
/// `javascript:`, `vbscript:` or `data:text/html` URL in a real tag's attribute. Escaped text (`&lt;img onerror=…&gt;`), also
/// inside an attribute's value, is inert and not counted.
pub fn active_markup(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in html
        .split('<')
        .skip(1)
        .filter_map(|rest| rest.split('>').next())
    {
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        if name == "script" {
            found.push(format!("<{tag}>"));
        }
        for (attribute, value) in attributes(&tag[name.len()..]) {
            let value: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect();
            let value = value.to_lowercase();
            let runs = ["javascript:", "vbscript:", "data:text/html"]
                .iter()
                .any(|scheme| value.starts_with(scheme));
            if attribute.starts_with("on") || runs {
                found.push(format!("<{tag}>"));
            }
        }
    }
    found
}

/// The attributes of a tag (after its name): lowercase names and raw values.
fn attributes(mut rest: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return pairs;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let name = rest[..end].to_lowercase();
        rest = rest[end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (v, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = after[1..].find(q).map_or(after.len(), |i| i + 1);
                    (&after[1..close], after.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let close = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..close], &after[close..])
                }
            };
            value = v.to_string();
            rest = remaining;
        }
        if name.is_empty() {
            return pairs;
        }
        pairs.push((name, value));
    }
}
