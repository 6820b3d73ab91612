//! CSV files for German Excel: UTF-8 with byte-order mark, semicolons (the
//! separator German Excel expects), CRLF line ends. Cells a spreadsheet
//! would run as a formula get a leading apostrophe.

/// One cell, quoted and defused as needed.
pub fn cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([';', '"', '\n', '\r', ',']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
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
}
