//! Markup shared by the report's sections: escaped text and intervals.

use crate::plots::thousands;

/// Escapes text for HTML or XML element content and quoted attribute values (the
/// apostrophe as a character reference, which both read).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
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
    out
}

/// A 95 % interval as `low to high`, with `digits` decimals.
pub(crate) fn interval(ci: [f64; 2], digits: usize) -> String {
    format!(
        "{} to {}",
        thousands(ci[0], digits),
        thousands(ci[1], digits)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
        assert_eq!(escape("plain ü text"), "plain ü text");
    }
}
