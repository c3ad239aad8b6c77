//! Numbers as the report writes them: thousands separators, millions of dollars, count axes.

/// Formats a number with thousands separators and `digits` decimals.
pub fn thousands(x: f64, digits: usize) -> String {
    let text = format!("{:.*}", digits, x.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), ""), |(i, f)| (i, f));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 && text.chars().any(|c| c != '0' && c != '.') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// A number of US dollars in millions, e.g. `US$12.3M`.
pub fn musd(usd: f64) -> String {
    format!("US${}M", thousands(usd / 1e6, 1))
}

/// An axis label for whole numbers only (counts), none between them.
pub(super) fn integer(x: &f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        thousands(*x, 0)
    } else {
        String::new()
    }
}
