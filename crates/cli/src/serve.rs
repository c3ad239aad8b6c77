//! `skyshield serve`: the web page and the HTTP API (`docs/api.md`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use skyshield_server::{Config, DEFAULT_QUEUE, ServerError};

use crate::InputError;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; any but a loopback address needs --token.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The run store (SQLite); output folders go in `runs/` beside it.
    #[arg(
        long,
        value_name = "PATH",
        default_value = "skyshield-data/skyshield.db"
    )]
    db: PathBuf,
    /// A secret every request must carry (`Authorization: Bearer T`, or open the page once
    /// with `?token=T`).
    #[arg(long, value_name = "T")]
    token: Option<String>,
    /// Runs that may wait in the queue; more are refused with 429.
    #[arg(long, default_value_t = DEFAULT_QUEUE, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=10_000))]
    queue: usize,
    /// Batches that run at once.
    #[arg(long, default_value_t = 1, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=64))]
    concurrent: usize,
    /// Worker threads shared by the batches (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..1025))]
    threads: Option<u64>,
}

pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    if let Some(dir) = args.db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| InputError(format!("cannot create {}: {e}", dir.display())))?;
    }
    let config = Config {
        token: args.token.clone(),
        queue: args.queue,
        concurrent: args.concurrent,
        threads: args.threads.map_or(0, |t| t as usize),
        ..Config::new(args.addr, args.db.clone())
    };
    let result = skyshield_server::run(&config, |addr, interrupted| {
        if interrupted > 0 {
            eprintln!("{interrupted} run(s) left unfinished by the last server marked failed");
        }
        eprintln!(
            "skyshield serving http://{addr}/ (store {})",
            config.db.display()
        );
    });
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e @ (ServerError::TokenRequired { .. } | ServerError::EmptyToken)) => {
            Err(InputError(e.to_string()).into())
        }
        Err(e) => Err(e.into()),
    }
}
