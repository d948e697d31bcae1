//! Markdown from framework files, made safe to put in a page.
//!
//! Framework text comes from files anyone with import rights can write, so it is
//! treated as untrusted: raw HTML is shown as text rather than passed through,
//! and links or images whose scheme could run code (`javascript:`, `data:`,
//! `vbscript:` …) lose their target and keep only their text. Only an allow-list
//! of schemes survives, because a deny-list would miss the next one.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// Block Markdown (the framework's home text) as HTML.
pub fn render_markdown(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = sanitise(Parser::new_ext(markdown, options), true);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// One line of inline Markdown (a behaviour, an example) as HTML, without the
/// paragraph around it.
pub fn render_inline(markdown: &str) -> String {
    inline(markdown, true, &[])
}

/// Inline Markdown for text that is itself inside a link (compare and search
/// pages link whole behaviours): nested anchors are invalid HTML, so links keep
/// only their text. Words of `highlight` are wrapped in `<mark>`.
pub(crate) fn inline(markdown: &str, links: bool, highlight: &[String]) -> String {
    let line = neutralise_block_syntax(markdown);
    let options = Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(line.len() + 16);
    let events = sanitise(Parser::new_ext(&line, options), links)
        .into_iter()
        .filter_map(|event| match event {
            Event::Start(tag) if is_block(&tag) => None,
            Event::End(end) if is_block_end(end) => None,
            Event::Rule => None,
            Event::SoftBreak | Event::HardBreak => Some(Event::Text(CowStr::Borrowed(" "))),
            Event::Text(text) if !highlight.is_empty() => {
                Some(Event::Html(highlighted(&text, highlight).into()))
            }
            other => Some(other),
        });
    html::push_html(&mut out, events);
    out
}

/// Raw HTML becomes text; unsafe or (when `links` is false) all link targets are
/// dropped together with their closing tag, keeping what they enclose.
fn sanitise<'a>(parser: Parser<'a>, links: bool) -> Vec<Event<'a>> {
    // Whether each open link/image was kept, so its end is kept or dropped alike;
    // a stack because images can sit inside links.
    let mut open: Vec<bool> = Vec::new();
    let mut events = Vec::new();
    for event in parser {
        match event {
            Event::Html(text) | Event::InlineHtml(text) => events.push(Event::Text(text)),
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                let keep = links && is_safe_url(dest_url);
                open.push(keep);
                if keep {
                    events.push(event);
                }
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                let keep = is_safe_url(dest_url);
                open.push(keep);
                if keep {
                    events.push(event);
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if open.pop().unwrap_or(false) {
                    events.push(event);
                }
            }
            // A raw HTML block's content arrives as Html events, already turned
            // into text above; the wrapper itself must not emit anything raw.
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            other => events.push(other),
        }
    }
    events
}

/// Relative URLs, fragments and http(s)/mailto only.
pub(crate) fn is_safe_url(url: &str) -> bool {
    // Browsers ignore leading control characters and spaces and drop tabs and
    // newlines anywhere, so "\tjava\nscript:" is still javascript:.
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    match scheme_end {
        Some(index) if cleaned[index..].starts_with(':') => {
            let scheme = cleaned[..index].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

fn is_block(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_block_end(end: TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// A behaviour such as "1. Does X" or "# of requests…" must read as written, not
/// become a list or a heading, so a leading block marker is backslash-escaped.
/// Line breaks become spaces (so no later line can start a block either) and
/// leading indentation is dropped (it would make a code block).
fn neutralise_block_syntax(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c })
        .collect();
    let line = line.trim_start();
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let second = chars.next();
    let escape_first = match first {
        '#' | '>' | '|' | '=' => true,
        '-' | '+' | '*' | '_' => {
            matches!(second, None | Some(' ' | '\t'))
                || line.chars().all(|c| c == first || c == ' ' || c == '\t')
        }
        '`' | '~' => line.starts_with("```") || line.starts_with("~~~"),
        _ => false,
    };
    if escape_first {
        return format!("\\{line}");
    }
    // "12. text" / "3) text": escape the delimiter, not the digits.
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &line[digits..];
        let mut rest_chars = rest.chars();
        if let Some(delimiter @ ('.' | ')')) = rest_chars.next() {
            if matches!(rest_chars.next(), None | Some(' ' | '\t')) {
                return format!("{}\\{delimiter}{}", &line[..digits], &rest[1..]);
            }
        }
    }
    line.to_string()
}

/// Escaped `text` with every case-insensitive (ASCII) occurrence of a term
/// wrapped in `<mark>`.
fn highlighted(text: &str, terms: &[String]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut plain_from = 0;
    let mut index = 0;
    while index < text.len() {
        let matched = terms.iter().find_map(|term| {
            let end = index + term.len();
            text.get(index..end)
                .filter(|candidate| !term.is_empty() && candidate.eq_ignore_ascii_case(term))
                .map(|_| end)
        });
        match matched {
            Some(end) => {
                escape_into(&mut out, &text[plain_from..index]);
                out.push_str("<mark>");
                escape_into(&mut out, &text[index..end]);
                out.push_str("</mark>");
                index = end;
                plain_from = end;
            }
            None => {
                index += text[index..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    escape_into(&mut out, &text[plain_from..]);
    out
}

pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_markdown_renders_tables_and_strikethrough() {
        let html =
            render_markdown("# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ **new**\n");
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("<strong>new</strong>"), "{html}");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = render_markdown(
            "<script>alert(1)</script>\n\nHello <img src=x onerror=alert(1)> there\n\n<div onclick=\"x\">\nblock\n</div>\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );

        let inline = render_inline("Uses <b onmouseover=alert(1)>bold</b> tags");
        assert!(!inline.contains("<b"), "{inline}");
        assert!(
            inline.contains("&lt;b onmouseover=alert(1)&gt;"),
            "{inline}"
        );
    }

    #[test]
    fn code_running_links_are_dropped_and_their_text_kept() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java%0ascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
        ] {
            let markdown = format!("[click me]({url}) and ![pic]({url})");
            let html = render_markdown(&markdown);
            assert!(!html.contains("<a "), "{url}: {html}");
            assert!(!html.contains("<img"), "{url}: {html}");
            assert!(html.contains("click me"), "{url}: {html}");
        }
        let autolink = render_markdown("<javascript:alert(1)>");
        assert!(!autolink.contains("<a "), "{autolink}");
        let entity = render_markdown("[x](&#106;avascript:alert(1))");
        assert!(!entity.contains("<a "), "{entity}");
        let tabbed = render_inline("[x](java\tscript:alert(1))");
        assert!(!tabbed.contains("href"), "{tabbed}");
        let reference = render_markdown("[x][evil]\n\n[evil]: javascript:alert(1)\n");
        assert!(!reference.contains("<a "), "{reference}");
    }

    #[test]
    fn url_schemes_are_allow_listed() {
        assert!(!is_safe_url("\u{1} javascript:alert(1)"));
        assert!(!is_safe_url("jav\tascr\nipt:alert(1)"));
        assert!(!is_safe_url("file:///etc/passwd"));
        assert!(is_safe_url("HTTPS://example.com"));
        assert!(is_safe_url("/a:b"));
        assert!(is_safe_url("?q=a:b"));
        assert!(is_safe_url(""));
    }

    #[test]
    fn safe_links_survive() {
        let html = render_markdown("[docs](https://example.com/a?b=c) [rel](/frameworks/x) [mail](mailto:a@b.c) [frag](#top)");
        assert!(
            html.contains("<a href=\"https://example.com/a?b=c\">docs</a>"),
            "{html}"
        );
        assert!(html.contains("<a href=\"/frameworks/x\">rel</a>"), "{html}");
        assert!(html.contains("<a href=\"mailto:a@b.c\">mail</a>"), "{html}");
        assert!(html.contains("<a href=\"#top\">frag</a>"), "{html}");
        assert_eq!(
            render_inline("see [x](https://e.com)"),
            "see <a href=\"https://e.com\">x</a>"
        );
    }

    #[test]
    fn inline_keeps_text_as_written() {
        assert_eq!(
            render_inline("Writes `any`-free *TypeScript*"),
            "Writes <code>any</code>-free <em>TypeScript</em>"
        );
        assert_eq!(
            render_inline("# of requests per second"),
            "# of requests per second"
        );
        assert_eq!(render_inline("- leading dash"), "- leading dash");
        assert_eq!(render_inline("1. First"), "1. First");
        assert_eq!(render_inline("2) Second"), "2) Second");
        assert_eq!(render_inline("> quoted"), "&gt; quoted");
        assert_eq!(render_inline("***"), "***");
        assert_eq!(render_inline("    indented code"), "indented code");
        assert_eq!(render_inline("wrapped\nline"), "wrapped line");
        assert_eq!(
            render_inline("*emphasis* at start"),
            "<em>emphasis</em> at start"
        );
        assert_eq!(render_inline("2024 was a year"), "2024 was a year");
        assert_eq!(render_inline(""), "");
        assert_eq!(
            render_inline("Tom & Jerry's \"show\""),
            "Tom &amp; Jerry's \"show\""
        );
    }

    #[test]
    fn inline_without_links_and_with_highlights() {
        assert_eq!(inline("see [docs](https://e.com)", false, &[]), "see docs");
        let terms = vec!["rust".to_string(), "<b>".to_string()];
        assert_eq!(
            inline("Writes RUST and rust <b>", false, &terms),
            "Writes <mark>RUST</mark> and <mark>rust</mark> <mark>&lt;b&gt;</mark>"
        );
        assert_eq!(
            inline("Ünïcode ünï", false, &["ünï".to_string()]),
            "Ünïcode <mark>ünï</mark>"
        );
    }
}
