//! Where a scenario's text and the files it names come from.
//!
//! A scenario may name other files (today: warning zones as GeoJSON). Validation reads them
//! through a [`FileResolver`], given by the caller: a [`FolderResolver`] reads them from the
//! scenario's folder and refuses any path that leaves it; a [`MemoryResolver`] hands out files
//! the caller holds in memory (a server's upload, a Python dictionary).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, Pos};

/// Largest scenario file accepted, bytes (10 MiB). Larger files are refused before they are
/// read.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Why a scenario file could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be opened or read.
    #[error("{}: cannot read the file: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("{}", diagnostic_too_large(path, *size, *limit))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size, bytes (at least; reading stopped past the limit).
        size: u64,
        /// The limit, bytes.
        limit: u64,
    },
    /// The file was read but is not a valid scenario: every problem, with its position.
    #[error("{0}")]
    Invalid(Diagnostics),
}

fn diagnostic_too_large(path: &Path, size: u64, limit: u64) -> Diagnostic {
    Diagnostic::new(
        path,
        Pos::START,
        format!(
            "the file is too large: {size} bytes, over the limit of {limit} bytes ({} MiB) for a scenario file",
            limit / (1024 * 1024)
        ),
    )
}

impl LoadError {
    /// The error as diagnostics, one per problem. A file that cannot be read gives one
    /// diagnostic at line 1, column 1.
    pub fn diagnostics(&self) -> Diagnostics {
        match self {
            LoadError::Read { path, source } => Diagnostics(vec![Diagnostic::new(
                path,
                Pos::START,
                format!("cannot read the file: {source}"),
            )]),
            LoadError::TooLarge { path, size, limit } => {
                Diagnostics(vec![diagnostic_too_large(path, *size, *limit)])
            }
            LoadError::Invalid(d) => d.clone(),
        }
    }
}

/// Read a text file of at most [`MAX_FILE_BYTES`]: the size is checked before reading, and
/// the read itself stops past the limit (for files whose size is not known in advance).
pub fn read_file(path: &Path) -> Result<String, LoadError> {
    let read_err = |source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let meta = file.metadata().map_err(read_err)?;
    if meta.is_dir() {
        return Err(read_err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a directory",
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let text = String::from_utf8_lossy(&bytes[..valid]);
        let line = text.matches('\n').count() + 1;
        let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        LoadError::Invalid(Diagnostics(vec![Diagnostic::new(
            path,
            Pos {
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
            },
            format!(
                "not a text file: expected UTF-8 text, found an invalid byte at offset {valid}"
            ),
        )]))
    })
}

/// Where scenario text comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// A file on disk, read with the limit of [`MAX_FILE_BYTES`].
    Path(&'a Path),
    /// Text held by the caller, with the name diagnostics give it.
    Text {
        /// The scenario text.
        text: &'a str,
        /// The name of the scenario in diagnostics.
        name: &'a Path,
    },
}

impl Source<'_> {
    /// The name of the scenario in diagnostics.
    pub fn name(&self) -> &Path {
        match self {
            Source::Path(path) => path,
            Source::Text { name, .. } => name,
        }
    }
}

/// A file a scenario names, as read by a [`FileResolver`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedFile {
    /// Where it was read from, as the scenario records it.
    pub location: PathBuf,
    /// Its text.
    pub text: String,
}

/// Why a file a scenario names could not be read. The message follows the file's name as the
/// scenario writes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    /// An absolute path, where a path inside the scenario's folder is expected.
    #[error("is an absolute path: files a scenario names must be inside its folder")]
    Absolute,
    /// A path that leaves the scenario's folder (through `..` or a symbolic link).
    #[error("leaves the scenario's folder: files a scenario names must be inside it")]
    OutsideFolder,
    /// No such file.
    #[error("not found ({looked})")]
    NotFound {
        /// Where it was looked for.
        looked: String,
    },
    /// The file exists but could not be read, or is not text.
    #[error("{0}")]
    Unreadable(String),
}

/// Reads the files a scenario names, by the path the scenario writes.
pub trait FileResolver {
    /// The file named `path` in the scenario.
    fn read(&self, path: &str) -> Result<ResolvedFile, FileError>;
}

/// Reads files from a folder (a scenario's own, by default), and refuses absolute paths and
/// every path that leaves the folder once `.` and `..` are resolved or symbolic links followed.
#[derive(Debug, Clone)]
pub struct FolderResolver {
    root: PathBuf,
}

impl FolderResolver {
    /// A resolver confined to `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// A resolver confined to the folder of the scenario file `path`.
    pub fn for_scenario(path: &Path) -> Self {
        Self::new(path.parent().unwrap_or_else(|| Path::new("")))
    }
}

impl FileResolver for FolderResolver {
    fn read(&self, path: &str) -> Result<ResolvedFile, FileError> {
        let mut inside = PathBuf::new();
        for component in Path::new(path).components() {
            match component {
                Component::Prefix(_) | Component::RootDir => return Err(FileError::Absolute),
                Component::CurDir => {}
                Component::ParentDir => {
                    if !inside.pop() {
                        return Err(FileError::OutsideFolder);
                    }
                }
                Component::Normal(part) => inside.push(part),
            }
        }
        let location = self.root.join(&inside);
        if !location.is_file() {
            return Err(FileError::NotFound {
                looked: format!("looked for {}", location.display()),
            });
        }
        let root = if self.root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &self.root
        };
        let unreadable = |e: std::io::Error| FileError::Unreadable(format!("cannot be read: {e}"));
        let real_root = root.canonicalize().map_err(unreadable)?;
        let real = location.canonicalize().map_err(unreadable)?;
        if !real.starts_with(&real_root) {
            return Err(FileError::OutsideFolder);
        }
        let text = read_file(&location).map_err(|e| match e {
            LoadError::Read { source, .. } => {
                FileError::Unreadable(format!("cannot be read: {source}"))
            }
            other => FileError::Unreadable(
                other
                    .diagnostics()
                    .0
                    .first()
                    .map_or_else(String::new, |d| d.message.clone()),
            ),
        })?;
        Ok(ResolvedFile { location, text })
    }
}

/// Hands out files held in memory, by the exact name the scenario writes.
#[derive(Debug, Clone, Default)]
pub struct MemoryResolver {
    files: BTreeMap<String, Vec<u8>>,
}

impl MemoryResolver {
    /// A resolver with no files.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the file `name`.
    pub fn insert(&mut self, name: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(name.into(), bytes.into());
    }
}

impl<N: Into<String>, B: Into<Vec<u8>>> FromIterator<(N, B)> for MemoryResolver {
    fn from_iter<I: IntoIterator<Item = (N, B)>>(iter: I) -> Self {
        let mut resolver = Self::new();
        for (name, bytes) in iter {
            resolver.insert(name, bytes);
        }
        resolver
    }
}

impl FileResolver for MemoryResolver {
    fn read(&self, path: &str) -> Result<ResolvedFile, FileError> {
        let bytes = self.files.get(path).ok_or_else(|| FileError::NotFound {
            looked: "no file of that name was given".into(),
        })?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(FileError::Unreadable(format!(
                "is too large: {} bytes, over the limit of {MAX_FILE_BYTES} bytes",
                bytes.len()
            )));
        }
        let text = String::from_utf8(bytes.clone()).map_err(|e| {
            FileError::Unreadable(format!(
                "is not UTF-8 text: invalid byte at offset {}",
                e.utf8_error().valid_up_to()
            ))
        })?;
        Ok(ResolvedFile {
            location: PathBuf::from(path),
            text,
        })
    }
}
