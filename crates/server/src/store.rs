//! The run store: one SQLite database (WAL journal, every change in a transaction).
//!
//! A row holds a run's scenario text and its SHA-256, the options it was asked with, its status
//! and progress, its times, and once finished its summary JSON and output folder. The outputs
//! are written before the row says `finished`, so a finished row always has its folder whole.
//! [`Store::open`] marks the rows a crash left `queued` or `running` as `failed`.

use skyshield_mc::{DEFAULT_PARAMETER_SETS, Uncertainty};
use std::path::Path;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("run store: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("run store: a thread panicked while it held the database")]
    Poisoned,
}

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Queued,
    Running,
    Finished,
    Failed,
    Cancelled,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Running => "running",
            Status::Finished => "finished",
            Status::Failed => "failed",
            Status::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Status {
        match s {
            "queued" => Status::Queued,
            "running" => Status::Running,
            "finished" => Status::Finished,
            "cancelled" => Status::Cancelled,
            _ => Status::Failed,
        }
    }

    /// Whether the run will change no more.
    pub fn is_over(self) -> bool {
        matches!(self, Status::Finished | Status::Failed | Status::Cancelled)
    }
}

/// What a client asked for, beyond the scenario: the same settings as `skyshield run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RunOptions {
    pub runs: u64,
    pub seed: u64,
    pub nominal: bool,
    /// The uncertainty the runs sample, as `skyshield run --uncertainty` (`nominal: true` is
    /// `chance`); `None`: each run draws its own parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Uncertainty>,
    /// Parameter sets of `parameters` and `both`.
    #[serde(default = "default_parameter_sets")]
    pub parameter_sets: u64,
    /// Play the scenario's `campaign:` day by day (`skyshield campaign`) instead of a batch of
    /// one day.
    #[serde(default)]
    pub campaign: bool,
}

fn default_parameter_sets() -> u64 {
    DEFAULT_PARAMETER_SETS
}

/// A run as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RunRecord {
    pub id: i64,
    /// The scenario's `name`.
    pub name: String,
    /// SHA-256 of the scenario text, hex.
    pub scenario_sha256: String,
    pub options: RunOptions,
    pub status: Status,
    /// Runs done, of `total`.
    pub done: u64,
    pub total: u64,
    /// Why it failed or was cancelled.
    pub error: Option<String>,
    /// Unix times, s.
    pub created_at: f64,
    pub started_at: Option<f64>,
    pub finished_at: Option<f64>,
    /// The summary JSON (that of `skyshield run --format json`), once finished.
    pub summary: Option<serde_json::Value>,
    /// The output folder, once finished.
    #[serde(skip)]
    pub out_dir: Option<String>,
}

/// An uploaded scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Upload {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub sha256: String,
    pub created_at: f64,
    /// The text; left out of lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Seconds since the Unix epoch.
pub fn now_s() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// SHA-256 of `text`, hex.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The run store. One connection behind a mutex: every statement is short, and batches, not
/// the database, are what takes time.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    scenario_text TEXT NOT NULL,
    scenario_sha256 TEXT NOT NULL,
    files TEXT NOT NULL DEFAULT '{}',
    options TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'finished', 'failed', 'cancelled')),
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL,
    error TEXT,
    created_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL,
    summary TEXT,
    out_dir TEXT
);
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    description TEXT,
    text TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at REAL NOT NULL
);
";

const RUN_COLUMNS: &str = "id, name, scenario_sha256, options, status, done, total, error, \
     created_at, started_at, finished_at, summary, out_dir";

fn run_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RunRecord> {
    let options: String = row.get(3)?;
    let status: String = row.get(4)?;
    let summary: Option<String> = row.get(11)?;
    Ok(RunRecord {
        id: row.get(0)?,
        name: row.get(1)?,
        scenario_sha256: row.get(2)?,
        options: serde_json::from_str(&options).unwrap_or(RunOptions {
            runs: 0,
            seed: 0,
            nominal: false,
            uncertainty: None,
            parameter_sets: DEFAULT_PARAMETER_SETS,
            campaign: false,
        }),
        status: Status::parse(&status),
        done: row.get::<_, i64>(5)? as u64,
        total: row.get::<_, i64>(6)? as u64,
        error: row.get(7)?,
        created_at: row.get(8)?,
        started_at: row.get(9)?,
        finished_at: row.get(10)?,
        summary: summary.and_then(|s| serde_json::from_str(&s).ok()),
        out_dir: row.get(12)?,
    })
}

impl Store {
    /// Opens (or creates) the database at `path` in WAL mode; rows left `queued` or `running`
    /// by a server that stopped are marked `failed`. Gives the store and the number of rows so
    /// marked.
    pub fn open(path: &Path) -> Result<(Store, usize), StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a transaction that returned is on disk, even if the machine loses power.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        let interrupted = conn.execute(
            "UPDATE runs SET status = 'failed', finished_at = ?1,
                 error = 'interrupted: the server stopped before the run finished'
             WHERE status IN ('queued', 'running')",
            params![now_s()],
        )?;
        Ok((
            Store {
                conn: Mutex::new(conn),
            },
            interrupted,
        ))
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let mut conn = self.conn.lock().map_err(|_| StoreError::Poisoned)?;
        Ok(f(&mut conn)?)
    }

    /// Adds a queued run; gives its id.
    pub fn insert_run(
        &self,
        name: &str,
        text: &str,
        files: &serde_json::Value,
        options: &RunOptions,
    ) -> Result<i64, StoreError> {
        let options_json = serde_json::to_string(options).unwrap_or_default();
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO runs (name, scenario_text, scenario_sha256, files, options, status,
                     total, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?7)",
                params![
                    name,
                    text,
                    sha256_hex(text),
                    files.to_string(),
                    options_json,
                    options.runs as i64,
                    now_s()
                ],
            )?;
            let id = tx.last_insert_rowid();
            tx.commit()?;
            Ok(id)
        })
    }

    pub fn run(&self, id: i64) -> Result<Option<RunRecord>, StoreError> {
        self.with(|c| {
            c.query_row(
                &format!("SELECT {RUN_COLUMNS} FROM runs WHERE id = ?1"),
                params![id],
                run_from_row,
            )
            .optional()
        })
    }

    /// The most recent runs first, at most `limit`, without their summaries.
    pub fn runs(&self, limit: u32) -> Result<Vec<RunRecord>, StoreError> {
        self.with(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {RUN_COLUMNS} FROM runs ORDER BY id DESC LIMIT ?1"
            ))?;
            let rows = stmt.query_map(params![limit], run_from_row)?;
            rows.map(|r| {
                r.map(|mut run| {
                    run.summary = None;
                    run
                })
            })
            .collect()
        })
    }

    /// The scenario text of a run and the files uploaded with it.
    pub fn scenario_of(&self, id: i64) -> Result<Option<(String, serde_json::Value)>, StoreError> {
        self.with(|c| {
            c.query_row(
                "SELECT scenario_text, files FROM runs WHERE id = ?1",
                params![id],
                |row| {
                    let files: String = row.get(1)?;
                    Ok((
                        row.get(0)?,
                        serde_json::from_str(&files).unwrap_or(serde_json::Value::Null),
                    ))
                },
            )
            .optional()
        })
    }

    /// Marks a queued run running, with its total; `false` when it was no longer queued
    /// (cancelled while it waited).
    pub fn start(&self, id: i64, total: u64) -> Result<bool, StoreError> {
        self.with(|c| {
            let n = c.execute(
                "UPDATE runs SET status = 'running', started_at = ?2, total = ?3, done = 0
                 WHERE id = ?1 AND status = 'queued'",
                params![id, now_s(), total as i64],
            )?;
            Ok(n == 1)
        })
    }

    pub fn progress(&self, id: i64, done: u64) -> Result<(), StoreError> {
        self.with(|c| {
            c.execute(
                "UPDATE runs SET done = ?2 WHERE id = ?1 AND status = 'running'",
                params![id, done as i64],
            )
            .map(drop)
        })
    }

    /// Marks a running run finished with its summary and folder: call it once the folder is
    /// written. `false` when the run was no longer running (cancelled meanwhile).
    pub fn finish(&self, id: i64, summary: &str, out_dir: &str) -> Result<bool, StoreError> {
        self.with(|c| {
            let tx = c.transaction()?;
            let n = tx.execute(
                "UPDATE runs SET status = 'finished', done = total, finished_at = ?2,
                     summary = ?3, out_dir = ?4
                 WHERE id = ?1 AND status = 'running'",
                params![id, now_s(), summary, out_dir],
            )?;
            tx.commit()?;
            Ok(n == 1)
        })
    }

    /// Ends a run that gave no result (`failed` or `cancelled`), with the reason.
    pub fn end(&self, id: i64, status: Status, error: &str) -> Result<bool, StoreError> {
        self.with(|c| {
            let n = c.execute(
                "UPDATE runs SET status = ?2, finished_at = ?3, error = ?4
                 WHERE id = ?1 AND status IN ('queued', 'running')",
                params![id, status.name(), now_s(), error],
            )?;
            Ok(n == 1)
        })
    }

    /// Deletes a run that is over; gives its output folder. `None` when there is no such run.
    pub fn delete(&self, id: i64) -> Result<Option<Option<String>>, StoreError> {
        self.with(|c| {
            let tx = c.transaction()?;
            let out: Option<Option<String>> = tx
                .query_row(
                    "SELECT out_dir FROM runs WHERE id = ?1",
                    params![id],
                    |row| row.get(0),
                )
                .optional()?;
            tx.execute("DELETE FROM runs WHERE id = ?1", params![id])?;
            tx.commit()?;
            Ok(out)
        })
    }

    pub fn insert_upload(
        &self,
        name: &str,
        description: Option<&str>,
        text: &str,
    ) -> Result<i64, StoreError> {
        self.with(|c| {
            c.execute(
                "INSERT INTO uploads (name, description, text, sha256, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![name, description, text, sha256_hex(text), now_s()],
            )?;
            Ok(c.last_insert_rowid())
        })
    }

    /// Every upload, newest first, without its text.
    pub fn uploads(&self) -> Result<Vec<Upload>, StoreError> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT id, name, description, sha256, created_at FROM uploads ORDER BY id DESC",
            )?;
            let rows = stmt.query_map([], |row| {
                Ok(Upload {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    description: row.get(2)?,
                    sha256: row.get(3)?,
                    created_at: row.get(4)?,
                    text: None,
                })
            })?;
            rows.collect()
        })
    }

    pub fn upload(&self, id: i64) -> Result<Option<Upload>, StoreError> {
        self.with(|c| {
            c.query_row(
                "SELECT id, name, description, sha256, created_at, text FROM uploads WHERE id = ?1",
                params![id],
                |row| {
                    Ok(Upload {
                        id: row.get(0)?,
                        name: row.get(1)?,
                        description: row.get(2)?,
                        sha256: row.get(3)?,
                        created_at: row.get(4)?,
                        text: row.get(5)?,
                    })
                },
            )
            .optional()
        })
    }
}
