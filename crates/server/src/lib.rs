//! The web server of skyshield (`skyshield serve`): an HTTP API, a run store and the web page.
//!
//! # What it does
//! The server translates requests into calls of the library pipeline that `skyshield run` uses
//! (the scenario crate's loader with located errors, `skyshield_engine::prepare`,
//! `skyshield_mc::run_batch`, `skyshield_report::RunFolder`), and gives back the same JSON
//! documents as the command line. It re-implements no step. The API is described in
//! `docs/api.md`.
//!
//! - **Run store** ([`store`]): SQLite in WAL mode; each run's scenario text and its SHA-256,
//!   options, status, progress, times, summary and output folder. Outputs are written before
//!   the row says `finished`; rows that a crash left `queued` or `running` become `failed` when
//!   the server starts again.
//! - **Queue** ([`jobs`]): at most [`Config::queue`] runs wait; [`Config::concurrent`] batches
//!   run at once, on one shared pool of worker threads. Progress goes out as server-sent
//!   events; a run can be cancelled, and deleted once over.
//! - **Limits**: request bodies over [`MAX_BODY_BYTES`] get 413; scenarios with more than
//!   [`LIMITS`] allow (threats, trajectories, warning zones, runs) get 422 at the field that asks (an
//!   invalid scenario gets 422 with every problem at its file, line and column); a full queue
//!   gets 429 with `Retry-After`. Every error is a JSON object with an `error` message.
//! - **Access**: the server listens on loopback unless told otherwise; any other address needs
//!   a token ([`Config::token`]), then checked on every request (header `Authorization:
//!   Bearer T`, or a cookie set by opening the page once with `?token=T`). Files are served
//!   only from a run's output folder, by name from a fixed list: any other path gets 404. A
//!   scenario reads only the files uploaded with it. Every response carries a strict
//!   Content-Security-Policy: the page loads nothing but its own scripts and styles.
//! - **The page** ([`assets`]): plain ES modules and CSS from `web/`, compiled into the
//!   binary, with the scenario library (`scenarios/`); it needs no network.

pub mod api;
pub mod assets;
pub mod jobs;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use skyshield_scenario::Limits;
use tokio::net::TcpListener;

pub use api::router;
pub use store::{Store, StoreError};

/// Largest request body, bytes (2 MiB): a scenario with the files uploaded with it.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// The limits on what a request may ask for: those of the command line
/// ([`Limits::DEFAULT`]), with at most 5,000 threats per run and 100,000 runs per request.
pub const LIMITS: Limits = Limits {
    threats: 5_000,
    runs: 100_000,
    ..Limits::DEFAULT
};
/// Most parameter sets in one request (each prepares the scenario anew).
pub const MAX_PARAMETER_SETS: u64 = 200;
/// Runs that may wait in the queue, unless the configuration says otherwise.
pub const DEFAULT_QUEUE: usize = 8;
/// Seconds a client told the queue is full should wait before trying again.
pub const RETRY_AFTER_S: u64 = 10;

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// The run store; output folders go in `runs/` beside it.
    pub db: PathBuf,
    /// Required on every request when set; required to listen on a non-loopback address.
    pub token: Option<String>,
    /// Runs that may wait ([`DEFAULT_QUEUE`]).
    pub queue: usize,
    /// Batches that run at once.
    pub concurrent: usize,
    /// Worker threads shared by the batches; 0: one per core.
    pub threads: usize,
}

impl Config {
    /// Loopback on `addr`, the store at `db`, the default queue, one batch at a time on every
    /// core.
    pub fn new(addr: SocketAddr, db: PathBuf) -> Config {
        Config {
            addr,
            db,
            token: None,
            queue: DEFAULT_QUEUE,
            concurrent: 1,
            threads: 0,
        }
    }
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    #[error(
        "{addr} is not a loopback address: give a token (--token) that every request must carry"
    )]
    TokenRequired { addr: SocketAddr },
    #[error("the token must not be empty")]
    EmptyToken,
    #[error("cannot create {}: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot start the worker threads: {0}")]
    Threads(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// A server bound to its address, not yet serving.
#[derive(Debug)]
pub struct Bound {
    listener: TcpListener,
    app: axum::Router,
    /// Runs a crash had left unfinished, marked failed at start.
    pub interrupted: usize,
}

impl Bound {
    /// The address it listens on (with the port the system chose for port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until the process ends.
    pub async fn serve(self) -> Result<(), ServerError> {
        axum::serve(self.listener, self.app).await?;
        Ok(())
    }
}

/// Checks `config`, opens the store, starts the queue's workers (on the current tokio runtime)
/// and binds the address.
pub async fn bind(config: &Config) -> Result<Bound, ServerError> {
    if let Some(token) = &config.token
        && token.is_empty()
    {
        return Err(ServerError::EmptyToken);
    }
    if !config.addr.ip().is_loopback() && config.token.is_none() {
        return Err(ServerError::TokenRequired { addr: config.addr });
    }
    let base = config
        .db
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let base = if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base
    };
    let runs_dir = base.join("runs");
    std::fs::create_dir_all(&runs_dir).map_err(|source| ServerError::CreateDir {
        path: runs_dir.clone(),
        source,
    })?;
    let (store, interrupted) = Store::open(&config.db)?;
    let store = Arc::new(store);
    let jobs = jobs::Jobs::start(
        Arc::clone(&store),
        runs_dir,
        config.queue,
        config.concurrent,
        config.threads,
    )
    .map_err(|e| ServerError::Threads(e.to_string()))?;
    let app = router(api::AppState {
        store,
        jobs,
        token: config.token.clone().map(Arc::from),
    });
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.addr,
            source,
        })?;
    Ok(Bound {
        listener,
        app,
        interrupted,
    })
}

/// Runs the server on a runtime of its own until the process ends (the entry point of
/// `skyshield serve`); `on_listen` hears the address once it is bound.
pub fn run(config: &Config, on_listen: impl FnOnce(SocketAddr, usize)) -> Result<(), ServerError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let bound = bind(config).await?;
        on_listen(bound.local_addr()?, bound.interrupted);
        bound.serve().await
    })
}
