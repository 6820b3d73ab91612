//! HTML to plain text, for the HTML bodies of e-mail (EML and MSG).

/// Elements whose end (and start) breaks the line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "title",
    "dd",
    "dt",
    "address",
    "nav",
    "form",
    "fieldset",
];

/// HTML to plain text: no script, style or head content, block elements
/// become line breaks, cells tabs, entities decoded, whitespace collapsed.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut pending_space = false;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut out, rest, &mut pending_space);
            break;
        };
        push_text(&mut out, &rest[..lt], &mut pending_space);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let starts_tag = rest[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        if !starts_tag {
            // A "<" in running text, as in "x < y".
            push_text(&mut out, "<", &mut pending_space);
            rest = &rest[1..];
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // A lone "<" in text.
            push_text(&mut out, rest, &mut pending_space);
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !closing && matches!(name.as_str(), "script" | "style" | "head" | "template") {
            let close = format!("</{name}");
            rest = match find_ignore_case(rest, &close) {
                Some(i) => rest[i..].find('>').map_or("", |g| &rest[i + g + 1..]),
                None => "",
            };
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            out.push('\n');
            pending_space = false;
        } else if matches!(name.as_str(), "td" | "th") && closing {
            out.push('\t');
            pending_space = false;
        }
    }
    out
}

/// Byte offset of the first ASCII-case-insensitive match of `needle`
/// (ASCII). Stops at the match, so skipping many scripts stays linear.
fn find_ignore_case(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Append text with HTML whitespace rules and entities decoded.
fn push_text(out: &mut String, text: &str, pending_space: &mut bool) {
    let decoded = decode_entities(text);
    for c in decoded.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            *pending_space = true;
            continue;
        }
        if *pending_space && !out.is_empty() && !out.ends_with(['\n', '\t', ' ']) {
            out.push(' ');
        }
        *pending_space = false;
        out.push(if c == '\u{a0}' { ' ' } else { c });
    }
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| entity(&rest[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        // Numeric references in HTML mail are usually Windows-1252 bytes.
        if (0x80..=0x9F).contains(&n) {
            return crate::plain::windows_1252(&[u8::try_from(n).ok()?])
                .chars()
                .next();
        }
        return char::from_u32(n);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "euro" => '€',
        "sect" => '§',
        "copy" => '©',
        "reg" => '®',
        "deg" => '°',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "bdquo" => '„',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "bull" => '•',
        "middot" => '·',
        "eacute" => 'é',
        "egrave" => 'è',
        "aacute" => 'á',
        "agrave" => 'à',
        "ccedil" => 'ç',
        "shy" => '\u{ad}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_scripts_stay_linear() {
        let html = format!(
            "{}<p>Ende</p>",
            "<SCRIPT>var x = 1;</script>".repeat(50_000)
        );
        let t = std::time::Instant::now();
        assert_eq!(html_to_text(&html).trim(), "Ende");
        assert!(
            t.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            t.elapsed()
        );
    }

    #[test]
    fn case_insensitive_find() {
        assert_eq!(find_ignore_case("ab</SCRIPT>", "</script"), Some(2));
        assert_eq!(find_ignore_case("ab</scrip", "</script"), None);
        assert_eq!(find_ignore_case("ä</Style", "</style"), Some(2));
    }

    #[test]
    fn html_drops_scripts_and_decodes_entities() {
        let t = html_to_text(
            "<html><head><title>x</title><style>p{color:red}</style></head><body>\
             <p>Sehr geehrte Frau M&uuml;ller,</p><SCRIPT>alert('böse')</SCRIPT>\
             <div>Stra&szlig;e&nbsp;5 &amp; Co &#8364; &#x20AC; &#128; &unknown; a<b>fett</b>b</div>\
             <table><tr><td>A</td><td>B</td></tr></table>x < y</body></html>",
        );
        assert!(t.contains("Sehr geehrte Frau Müller,\n"), "{t:?}");
        assert!(t.contains("Straße 5 & Co € € € &unknown; afettb"), "{t:?}");
        assert!(t.contains("A\tB\t"), "{t:?}");
        assert!(t.contains("x < y"), "{t:?}");
        assert!(!t.contains("alert") && !t.contains("color:red"), "{t:?}");
    }
}
