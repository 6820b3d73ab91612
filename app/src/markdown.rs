//! The one Markdown renderer for everything the project team writes
//! (announcements, Dienstanweisungen, Leitfäden, answers, FAQ). It runs on
//! the server only: pages receive the rendered HTML, and the editors' live
//! preview asks the server for it (`crate::markdown_preview`). In the browser bundle the
//! parser with its table of HTML entities cost about 35 KiB gzip.
//!
//! Why the output may go into `inner_html`: this module writes every tag
//! itself from a fixed list (`p`, `h3`–`h6`, `ul`, `ol`, `li`, `blockquote`,
//! `pre`, `code`, `em`, `strong`, `del`, `hr`, `br`, `a`, `table` parts).
//! The only attributes it ever writes are `href` (after the scheme check in
//! [`safe_href`]), `rel` and the number of `start` on ordered lists; all
//! other text – including raw HTML blocks and inline HTML, which the parser
//! hands over as separate events – is HTML-escaped. No input can therefore
//! open a tag, add an attribute or leave an attribute value. Images are
//! shown as their description only (no requests to other servers).

#[cfg(feature = "ssr")]
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Markdown that no one may exceed (about 30 printed pages).
pub const MAX_MARKDOWN_CHARS: usize = 100_000;

/// Renders Markdown to sanitised HTML. Headings start at `h3`, because the
/// text sits below the page's `h1` and the item's `h2`.
#[cfg(feature = "ssr")]
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    // For each open link: did we write an `<a>` for it?
    let mut links: Vec<bool> = Vec::new();
    let mut in_table_head = false;
    let mut image_depth = 0usize;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => {
                if image_depth > 0 {
                    if matches!(tag, Tag::Image { .. }) {
                        image_depth += 1;
                    }
                    continue;
                }
                start_tag(
                    &mut out,
                    tag,
                    &mut links,
                    &mut in_table_head,
                    &mut image_depth,
                )
            }
            Event::End(tag) => {
                if image_depth > 0 {
                    if tag == TagEnd::Image {
                        image_depth -= 1;
                    }
                    continue;
                }
                end_tag(&mut out, tag, &mut links, &mut in_table_head)
            }
            Event::Text(text) => escape_into(&mut out, &text),
            Event::Code(text) => {
                if image_depth == 0 {
                    out.push_str("<code>");
                }
                escape_into(&mut out, &text);
                if image_depth == 0 {
                    out.push_str("</code>");
                }
            }
            Event::InlineMath(text) | Event::DisplayMath(text) => escape_into(&mut out, &text),
            // Raw HTML is shown as what it is: text.
            Event::Html(html) | Event::InlineHtml(html) => escape_into(&mut out, &html),
            Event::FootnoteReference(label) => escape_into(&mut out, &format!("[^{label}]")),
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str(if image_depth > 0 { " " } else { "<br>\n" }),
            Event::Rule => out.push_str("<hr>\n"),
            Event::TaskListMarker(done) => out.push_str(if done { "☑ " } else { "☐ " }),
        }
    }
    out
}

#[cfg(feature = "ssr")]
fn heading(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 => "h3",
        HeadingLevel::H2 => "h4",
        HeadingLevel::H3 => "h5",
        _ => "h6",
    }
}

#[cfg(feature = "ssr")]
fn start_tag(
    out: &mut String,
    tag: Tag<'_>,
    links: &mut Vec<bool>,
    in_table_head: &mut bool,
    image_depth: &mut usize,
) {
    match tag {
        Tag::Paragraph => out.push_str("<p>"),
        Tag::Heading { level, .. } => {
            out.push('<');
            out.push_str(heading(level));
            out.push('>');
        }
        Tag::BlockQuote(_) => out.push_str("<blockquote>\n"),
        // The language name is not written: no class attribute at all.
        Tag::CodeBlock(_) => out.push_str("<pre><code>"),
        Tag::List(Some(start)) if start != 1 => {
            out.push_str(&format!("<ol start=\"{start}\">\n"));
        }
        Tag::List(Some(_)) => out.push_str("<ol>\n"),
        Tag::List(None) => out.push_str("<ul>\n"),
        Tag::Item => out.push_str("<li>"),
        Tag::Table(_) => out.push_str("<table>"),
        Tag::TableHead => {
            *in_table_head = true;
            out.push_str("<thead><tr>");
        }
        Tag::TableRow => out.push_str("<tr>"),
        Tag::TableCell => out.push_str(if *in_table_head { "<th>" } else { "<td>" }),
        Tag::Emphasis => out.push_str("<em>"),
        Tag::Strong => out.push_str("<strong>"),
        Tag::Strikethrough => out.push_str("<del>"),
        Tag::Link { dest_url, .. } => match safe_href(&dest_url) {
            Some(href) => {
                out.push_str("<a href=\"");
                escape_into(out, &href);
                out.push('"');
                if is_external(&href) {
                    out.push_str(" rel=\"noopener noreferrer\"");
                }
                out.push('>');
                links.push(true);
            }
            None => links.push(false),
        },
        // The description stands in for the picture.
        Tag::Image { .. } => *image_depth += 1,
        // Blocks we do not offer keep their text.
        Tag::HtmlBlock
        | Tag::FootnoteDefinition(_)
        | Tag::DefinitionList
        | Tag::DefinitionListTitle
        | Tag::DefinitionListDefinition
        | Tag::Superscript
        | Tag::Subscript
        | Tag::MetadataBlock(_) => {}
    }
}

#[cfg(feature = "ssr")]
fn end_tag(out: &mut String, tag: TagEnd, links: &mut Vec<bool>, in_table_head: &mut bool) {
    match tag {
        TagEnd::Paragraph => out.push_str("</p>\n"),
        TagEnd::Heading(level) => {
            out.push_str("</");
            out.push_str(heading(level));
            out.push_str(">\n");
        }
        TagEnd::BlockQuote(_) => out.push_str("</blockquote>\n"),
        TagEnd::CodeBlock => out.push_str("</code></pre>\n"),
        TagEnd::List(true) => out.push_str("</ol>\n"),
        TagEnd::List(false) => out.push_str("</ul>\n"),
        TagEnd::Item => out.push_str("</li>\n"),
        TagEnd::Table => out.push_str("</tbody></table>\n"),
        TagEnd::TableHead => {
            *in_table_head = false;
            out.push_str("</tr></thead><tbody>");
        }
        TagEnd::TableRow => out.push_str("</tr>"),
        TagEnd::TableCell => out.push_str(if *in_table_head { "</th>" } else { "</td>" }),
        TagEnd::Emphasis => out.push_str("</em>"),
        TagEnd::Strong => out.push_str("</strong>"),
        TagEnd::Strikethrough => out.push_str("</del>"),
        TagEnd::Link => {
            if links.pop().unwrap_or(false) {
                out.push_str("</a>");
            }
        }
        TagEnd::Image
        | TagEnd::HtmlBlock
        | TagEnd::FootnoteDefinition
        | TagEnd::DefinitionList
        | TagEnd::DefinitionListTitle
        | TagEnd::DefinitionListDefinition
        | TagEnd::Superscript
        | TagEnd::Subscript
        | TagEnd::MetadataBlock(_) => {}
    }
}

/// Escapes text for element content and double-quoted attribute values.
#[cfg(feature = "ssr")]
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The link target if it is harmless: web and mail addresses, and paths
/// within Aktenwerk. Everything else – `javascript:`, `data:`, `vbscript:`,
/// `file:` and unknown schemes, also disguised by case, whitespace or
/// control characters, which browsers ignore – is refused.
#[cfg(feature = "ssr")]
pub fn safe_href(destination: &str) -> Option<String> {
    // Browsers drop tabs and line breaks inside URLs and trim spaces and
    // control characters, so the check looks at what the browser would.
    let cleaned: String = destination
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c.is_control() || c == ' ');
    if cleaned.is_empty() || cleaned.chars().any(char::is_control) {
        return None;
    }
    // `//host` is another server without a scheme: treat as external web link.
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    match scheme_end {
        Some(index) if cleaned[index..].starts_with(':') => {
            let scheme = cleaned[..index].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel").then(|| cleaned.into())
        }
        _ => Some(cleaned.to_string()),
    }
}

#[cfg(feature = "ssr")]
fn is_external(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("//")
}

/// Plain text of the Markdown's first lines, for previews in lists and the
/// banner (no markup at all).
#[cfg(feature = "ssr")]
pub fn plain_excerpt(markdown: &str, max_chars: usize) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => text.push(' '),
            _ => {}
        }
        if text.chars().count() > max_chars {
            break;
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > max_chars {
        let cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    } else {
        text
    }
}

/// Checks the length of a Markdown text; `what` names it in the message.
pub fn check_length(markdown: &str, what: &str) -> Result<(), crate::error::AppError> {
    if markdown.chars().count() > MAX_MARKDOWN_CHARS {
        return Err(crate::error::AppError::invalid(format!(
            "{what} ist zu lang (höchstens {MAX_MARKDOWN_CHARS} Zeichen)."
        )));
    }
    Ok(())
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    /// No tag outside the allow-list and no attribute except ours.
    fn assert_only_safe_markup(html: &str) {
        let allowed = [
            "p",
            "h3",
            "h4",
            "h5",
            "h6",
            "ul",
            "ol",
            "li",
            "blockquote",
            "pre",
            "code",
            "em",
            "strong",
            "del",
            "hr",
            "br",
            "a",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
        ];
        let mut rest = html;
        while let Some(start) = rest.find('<') {
            let end = rest[start..].find('>').expect("tag closes") + start;
            let tag = &rest[start + 1..end];
            let tag = tag.strip_prefix('/').unwrap_or(tag);
            let mut parts = tag.splitn(2, ' ');
            let name = parts.next().unwrap_or_default();
            assert!(allowed.contains(&name), "tag {name:?} in {html}");
            if let Some(attributes) = parts.next() {
                // Exactly `href="…"` (no quote inside) with our `rel`, or `start="N"`.
                let ok = if let Some(value) = attributes.strip_prefix("start=\"") {
                    value
                        .strip_suffix('"')
                        .is_some_and(|n| n.parse::<u64>().is_ok())
                } else if let Some(value) = attributes.strip_prefix("href=\"") {
                    let close = value.find('"').expect("value closes");
                    let after = &value[close + 1..];
                    after.is_empty() || after == " rel=\"noopener noreferrer\""
                } else {
                    false
                };
                assert!(ok, "attributes {attributes:?} in {html}");
            }
            rest = &rest[end + 1..];
        }
    }

    #[test]
    fn script_tags_become_visible_text() {
        let html = render("Hallo <script>alert('x')</script> Welt");
        assert!(!html.contains("<script"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
            "{html}"
        );
        let block = render("<script>\nalert(1)\n</script>\n");
        assert!(!block.contains("<script"), "{block}");
        assert!(block.contains("&lt;script&gt;"));
        assert_only_safe_markup(&html);
        assert_only_safe_markup(&block);
    }

    #[test]
    fn raw_html_blocks_and_inline_html_are_escaped() {
        let samples = [
            "<div onclick=\"alert(1)\">Klick</div>",
            "Text <img src=x onerror=alert(1)> mehr",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<style>body{display:none}</style>",
            "<!-- Kommentar --> und <svg onload=alert(1)>",
            "<details open ontoggle=alert(1)>",
        ];
        for sample in samples {
            let html = render(sample);
            assert_only_safe_markup(&html);
            assert!(html.contains("&lt;"), "{sample} -> {html}");
        }
    }

    #[test]
    fn dangerous_link_schemes_are_dropped_text_stays() {
        for target in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java%0ascript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox(1)",
            "file:///etc/passwd",
        ] {
            let html = render(&format!("[Hier klicken]({target})"));
            assert!(!html.contains("<a"), "{target} -> {html}");
            assert!(html.contains("Hier klicken"), "{html}");
            assert_only_safe_markup(&html);
            let auto = render(&format!("<{target}>"));
            assert!(!auto.contains("<a"), "{target} -> {auto}");
        }
        // A reference link as well.
        let html = render("[Klick][x]\n\n[x]: javascript:alert(1)\n");
        assert!(!html.contains("<a"), "{html}");
    }

    #[test]
    fn attributes_cannot_be_injected_through_links_or_titles() {
        let html = render("[x](https://example.org/\"onmouseover=\"alert(1) \"Titel\" )");
        assert_only_safe_markup(&html);
        let html = render("[x](</a\" onclick=\"alert(1)>)");
        assert_only_safe_markup(&html);
        assert!(!html.contains("\" onclick"), "{html}");
        let html = render("![Bild\" onerror=\"alert(1)](https://example.org/a.png)");
        assert_only_safe_markup(&html);
        assert!(!html.contains("<img"));
        assert!(html.contains("Bild"));
    }

    #[test]
    fn safe_links_are_kept() {
        assert_eq!(
            render("[Aktenplan](/aktenplan/621)"),
            "<p><a href=\"/aktenplan/621\">Aktenplan</a></p>\n"
        );
        let html = render("[Hessen](https://hessen.de?a=1&b=2)");
        assert_eq!(
            html,
            "<p><a href=\"https://hessen.de?a=1&amp;b=2\" rel=\"noopener noreferrer\">Hessen</a></p>\n"
        );
        assert!(render("[Mail](mailto:projekt@michelstadt.de)").contains("href=\"mailto:"));
        assert!(render("<https://example.org>").contains("href=\"https://example.org\""));
        assert_eq!(safe_href("#abschnitt").as_deref(), Some("#abschnitt"));
        assert_eq!(safe_href("hilfe.pdf").as_deref(), Some("hilfe.pdf"));
        assert_eq!(safe_href("javascript:x"), None);
    }

    #[test]
    fn ordinary_markdown_renders_as_expected() {
        let html = render(
            "# Titel\n\n## Unter\n\nText mit *Betonung*, **fett**, ~~alt~~ und `code`.\n\n- eins\n- zwei\n\n3. drei\n4. vier\n\n> Zitat\n\n```rust\nfn main() {}\n```\n\n---\n",
        );
        assert!(html.contains("<h3>Titel</h3>"), "{html}");
        assert!(html.contains("<h4>Unter</h4>"));
        assert!(html.contains("<em>Betonung</em>"));
        assert!(html.contains("<strong>fett</strong>"));
        assert!(html.contains("<del>alt</del>"));
        assert!(html.contains("<code>code</code>"));
        assert!(html.contains("<ul>\n<li>eins</li>"));
        assert!(html.contains("<ol start=\"3\">"));
        assert!(html.contains("<blockquote>"));
        assert!(html.contains("<pre><code>fn main() {}\n</code></pre>"));
        assert!(html.contains("<hr>"));
        assert_only_safe_markup(&html);
    }

    #[test]
    fn tables_have_head_and_body() {
        let html = render("| Gemeinde | Termin |\n|---|:-:|\n| Erbach | 1. Dez. |\n");
        assert_eq!(
            html,
            "<table><thead><tr><th>Gemeinde</th><th>Termin</th></tr></thead><tbody><tr><td>Erbach</td><td>1. Dez.</td></tr></tbody></table>\n"
        );
    }

    #[test]
    fn excerpt_is_plain_and_short() {
        let text = plain_excerpt(
            "# Wichtig\n\nBitte **ab Montag** <b>nur</b> noch scannen.",
            200,
        );
        assert_eq!(text, "Wichtig Bitte ab Montag nur noch scannen.");
        let long = plain_excerpt(&"Wort ".repeat(100), 20);
        assert!(long.chars().count() <= 20, "{long}");
        assert!(long.ends_with('…'));
    }
}
