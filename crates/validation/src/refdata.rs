//! The independent reference data in `tests/data/refdata` (its README says how each file was
//! made): CSV files with `#` comment lines, one header row, then data.

use std::path::PathBuf;

use crate::ValidationError;

/// The folder of the reference data.
pub fn dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/refdata"
    ))
}

/// The text of reference file `name`.
pub fn read(name: &str) -> Result<String, ValidationError> {
    let path = dir().join(name);
    std::fs::read_to_string(&path).map_err(|source| ValidationError::Read { path, source })
}

/// A reference CSV: its header and its data rows, cells trimmed.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file name, for messages.
    pub name: &'static str,
    /// Column names.
    pub header: Vec<String>,
    /// Data rows.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads reference file `name`; a file without data rows is an error.
    pub fn read(name: &'static str) -> Result<Self, ValidationError> {
        let text = read(name)?;
        let mut lines = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        let split = |l: &str| {
            l.split(',')
                .map(|c| c.trim().to_owned())
                .collect::<Vec<_>>()
        };
        let header = split(
            lines
                .next()
                .ok_or_else(|| format_error(name, "no header row"))?,
        );
        let rows: Vec<_> = lines.map(split).collect();
        if rows.is_empty() {
            return Err(format_error(name, "no data rows"));
        }
        Ok(Self { name, header, rows })
    }

    fn col(&self, column: &str) -> Result<usize, ValidationError> {
        self.header
            .iter()
            .position(|h| h == column)
            .ok_or_else(|| format_error(self.name, &format!("no column {column}")))
    }

    /// The cell of `column` in `row` as text.
    pub fn str<'a>(&self, row: &'a [String], column: &str) -> Result<&'a str, ValidationError> {
        let c = self.col(column)?;
        row.get(c)
            .map(String::as_str)
            .ok_or_else(|| format_error(self.name, &format!("a row has no {column}")))
    }

    /// The cell of `column` in `row` as a number.
    pub fn f64(&self, row: &[String], column: &str) -> Result<f64, ValidationError> {
        let cell = self.str(row, column)?;
        cell.parse()
            .map_err(|e| format_error(self.name, &format!("{column} = {cell:?}: {e}")))
    }
}

/// A malformed reference file.
pub(crate) fn format_error(name: &str, message: &str) -> ValidationError {
    ValidationError::Reference {
        file: name.to_owned(),
        message: message.to_owned(),
    }
}
