//! CSV files for German Excel: UTF-8 with byte-order mark, semicolons (the
//! separator German Excel expects), CRLF line ends. Cells a spreadsheet
//! would run as a formula get a leading apostrophe.

use std::borrow::Cow;

/// First characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether [`defuse`] puts an apostrophe in front: a formula start, or an
/// apostrophe that itself precedes one (so "'=x" stays distinguishable from
/// a defused "=x" and [`undefuse`] is exact).
fn needs_defusing(value: &str) -> bool {
    value.starts_with(FORMULA_STARTS) || value.strip_prefix('\'').is_some_and(needs_defusing)
}

/// The one rule for every CSV this application writes: a cell a
/// spreadsheet would run as a formula gets a leading apostrophe.
pub fn defuse(value: &str) -> Cow<'_, str> {
    if needs_defusing(value) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// The inverse of [`defuse`], for files that are read back in (the
/// Aktenplan import): removes the apostrophe only where `defuse` would
/// have put it, so `undefuse(&defuse(x)) == x` for every `x`.
pub fn undefuse(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if needs_defusing(rest) => rest,
        _ => value,
    }
}

/// One cell, quoted and defused as needed.
pub fn cell(value: &str) -> String {
    let value = defuse(value);
    if value.contains([';', '"', '\n', '\r', ',']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.into_owned()
    }
}

/// Collects rows into the file's text.
pub struct CsvFile {
    text: String,
}

impl Default for CsvFile {
    fn default() -> Self {
        CsvFile {
            text: String::from("\u{FEFF}"),
        }
    }
}

impl CsvFile {
    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let cells: Vec<String> = cells.into_iter().map(|c| cell(c.as_ref())).collect();
        self.text.push_str(&cells.join(";"));
        self.text.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defuses_formulas_and_quotes_separators() {
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("-5"), "'-5");
        assert_eq!(cell("a;b"), "\"a;b\"");
        assert_eq!(cell("plain"), "plain");
        let mut file = CsvFile::default();
        file.row(["x", "y"]);
        assert_eq!(file.finish(), "\u{FEFF}x;y\r\n");
    }

    #[test]
    fn undefuse_restores_exactly_what_defuse_changed() {
        for value in [
            "", "plain", "=1+1", "-5", "+49 6061", "@home", "\tx", "'", "'x", "'=x", "''=x", "''",
            "'-",
        ] {
            assert_eq!(undefuse(&defuse(value)), value, "{value:?}");
        }
        assert_eq!(defuse("'=x"), "''=x");
        assert_eq!(defuse("'x"), "'x");
        // Typed by hand in a spreadsheet: the apostrophe only kept it text.
        assert_eq!(undefuse("'=SUMME(A1)"), "=SUMME(A1)");
        assert_eq!(undefuse("'Apostroph"), "'Apostroph");
    }
}
