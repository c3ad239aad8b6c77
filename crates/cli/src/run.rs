//! `skyshield run` and `skyshield replay`: a scenario's replications, summarised or logged.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Value, json};
use skyshield_engine::{EngineEvent, Observer, Prepared, prepare};
use skyshield_mc::{Batch, BatchOptions, Summary, run_batch};
use skyshield_physics::earth::Geodetic;
use skyshield_report::Replay;
use skyshield_report::zones::{write_alerts_geojson, write_zones_geojson};
use skyshield_scenario::Scenario;

use crate::{Format, InputError};

/// The built-in default scenario (`scenarios/default.yaml`).
const DEFAULT_SCENARIO: &str = include_str!("../../../scenarios/default.yaml");
const DEFAULT_NAME: &str = "<built-in default scenario>";
/// Runs kept in full for the per-threat outputs of `run --out` unless `--sample-runs` says.
pub(crate) const DEFAULT_SAMPLE_RUNS: u64 = 100;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (YAML); the built-in default scenario when omitted.
    scenario: Option<PathBuf>,
    /// Replications (default: the scenario's `runs`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    runs: Option<u64>,
    /// Master seed (default: the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..1025))]
    threads: Option<u64>,
    /// Take every parameter at its nominal value instead of drawing it from its
    /// `{low, nominal, high}` range in each run.
    #[arg(long)]
    nominal: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Folder (created if missing) for `runs.parquet` (one row per run), `events.parquet` (one
    /// row per threat per sampled run), `impacts.geojson` (impacts, intercepts and debris of the
    /// sampled runs), `replay.czml` and `replay.kml` (the representative run, with its alerted
    /// warning zones), `zones.geojson` (the warning zones with their alert statistics, when the
    /// scenario has zones), `scenario.yaml` (a copy of the scenario) and, written last,
    /// `summary.json`.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Runs kept in full for the per-threat outputs of `--out` (runs `0..N`; default: the
    /// first 100, or all runs when fewer).
    #[arg(long, value_name = "N")]
    sample_runs: Option<u64>,
}

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// Scenario file (YAML).
    scenario: PathBuf,
    /// Run index to replay.
    #[arg(long)]
    run: u64,
    /// Master seed (default: the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Folder (created if missing) for `events.jsonl` (every event of the run),
    /// `impacts.geojson`, `replay.czml` and `replay.kml` of the run, and `alerts.geojson` (the
    /// warning zones alerted in the run, when the scenario has zones).
    #[arg(long, default_value = ".")]
    out: PathBuf,
    /// Take every parameter at its nominal value (as `run --nominal`).
    #[arg(long)]
    nominal: bool,
}

/// Loads a scenario file, printing every problem as `FILE:LINE:COL: message`; returns the
/// scenario and its text.
fn load(path: Option<&Path>) -> Result<(Scenario, String)> {
    let result = match path {
        Some(path) => skyshield_scenario::read_file(path).and_then(|text| {
            skyshield_scenario::from_str(&text, path)
                .map(|s| (s, text))
                .map_err(skyshield_scenario::LoadError::Invalid)
        }),
        None => skyshield_scenario::from_str(DEFAULT_SCENARIO, Path::new(DEFAULT_NAME))
            .map(|s| (s, DEFAULT_SCENARIO.to_string()))
            .map_err(skyshield_scenario::LoadError::Invalid),
    };
    result.map_err(|err| {
        let diagnostics = err.diagnostics();
        let mut stderr = std::io::stderr().lock();
        for d in &diagnostics {
            let _ = writeln!(stderr, "{d}");
        }
        let name = path.map_or(DEFAULT_NAME.to_string(), |p| p.display().to_string());
        InputError(format!(
            "{name}: {} problem(s); nothing was run",
            diagnostics.len()
        ))
        .into()
    })
}

fn prepared(scenario: &Scenario) -> Result<Prepared> {
    prepare(scenario).map_err(|e| InputError(e.to_string()).into())
}

pub fn run(args: &RunArgs) -> Result<ExitCode> {
    let (scenario, text) = load(args.scenario.as_deref())?;
    let start = Instant::now();
    let prepared = prepared(&scenario)?;
    let prepare_s = start.elapsed().as_secs_f64();
    let runs = args.runs.unwrap_or(scenario.runs);
    let opts = BatchOptions {
        runs,
        seed: args.seed.unwrap_or(scenario.seed),
        threads: args.threads.unwrap_or(0) as usize,
        keep_runs: args.out.is_some(),
        sample_runs: match args.out {
            Some(_) => args.sample_runs.unwrap_or(DEFAULT_SAMPLE_RUNS).min(runs),
            None => 0,
        },
        sample_parameters: !args.nominal,
    };
    let bar = ProgressBar::with_draw_target(Some(opts.runs), ProgressDrawTarget::stderr());
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {per_sec}  {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let batch = run_batch(&prepared, &opts, &mut |done, _total| bar.set_position(done));
    bar.finish_and_clear();
    let representative = skyshield_report::representative_run(&batch.sample);
    if let Some(dir) = &args.out {
        let out = Outputs {
            scenario: &scenario,
            text: &text,
            prepared: &prepared,
            opts: &opts,
            batch: &batch,
            representative,
            prepare_s,
        };
        out.write(dir)?;
    }
    let summary = &batch.summary;
    match args.format {
        Format::Json => println!(
            "{}",
            skyshield_report::summary_json(summary, prepare_s, representative)?
        ),
        Format::Table => print_table(summary, prepare_s),
    }
    Ok(ExitCode::SUCCESS)
}

/// What `run --out DIR` writes.
struct Outputs<'a> {
    scenario: &'a Scenario,
    /// The scenario's text.
    text: &'a str,
    prepared: &'a Prepared,
    opts: &'a BatchOptions,
    batch: &'a Batch,
    /// The run replayed in `replay.czml` and `replay.kml`.
    representative: Option<u64>,
    prepare_s: f64,
}

impl Outputs<'_> {
    /// Writes the files into `dir`, each atomically, `summary.json` last: a folder with a
    /// `summary.json` is complete.
    fn write(&self, dir: &Path) -> Result<()> {
        let Outputs {
            scenario,
            text,
            prepared,
            opts,
            batch,
            representative,
            prepare_s,
        } = *self;
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let summary = &batch.summary;
        let layers: Vec<String> = summary.by_layer.keys().cloned().collect();
        skyshield_report::write_runs_parquet(&dir.join("runs.parquet"), &batch.rows, &layers)?;
        skyshield_report::write_events_parquet(
            &dir.join("events.parquet"),
            prepared,
            &batch.sample,
        )?;
        if scenario.as_layered().is_some() {
            skyshield_report::write_impacts_geojson(
                &dir.join("impacts.geojson"),
                prepared,
                &batch.sample,
            )?;
            if let Some(k) = representative {
                let replay = Replay::play(prepared, opts.seed, k, opts.sample_parameters);
                skyshield_report::write_replay(dir, prepared, &replay)?;
            }
            if let Some(w) = &summary.warning {
                write_zones_geojson(&dir.join("zones.geojson"), prepared, w)?;
            }
        } else {
            eprintln!(
                "an abstract scenario has no geometry: no impacts.geojson, replay.czml or replay.kml"
            );
        }
        skyshield_report::write_atomically(&dir.join("scenario.yaml"), text.as_bytes())?;
        skyshield_report::write_summary(
            &dir.join("summary.json"),
            summary,
            prepare_s,
            representative,
        )?;
        Ok(())
    }
}

fn print_table(s: &Summary, prepare_s: f64) {
    let l = &s.leakers;
    println!("{}", s.scenario);
    println!(
        "{} runs, seed {}, {} threats per run{}",
        s.runs,
        s.seed,
        s.threats,
        s.parameters.suffix()
    );
    println!();
    println!("fates (mean per run)");
    println!("  intercepted        {:>9.1}", s.fates.intercepted);
    println!("  leaked             {:>9.1}", s.fates.leaked);
    println!("  ignored (open)     {:>9.1}", s.fates.ignored_open_area);
    println!("  failed in flight   {:>9.1}", s.fates.failed_in_flight);
    println!();
    println!(
        "leakers  mean {:.2} (95% CI {:.2}-{:.2})  p5/p50/p95 {}/{}/{}  P(none) {:.3}",
        l.mean, l.ci95[0], l.ci95[1], l.quantiles.p5, l.quantiles.p50, l.quantiles.p95, l.p_zero
    );
    println!();
    println!(
        "{:<16}{:>10}{:>10}{:>14}{:>16}",
        "layer", "shots", "kills", "rounds left", "cost US$"
    );
    for (name, layer) in &s.by_layer {
        let left = match (layer.rounds_left, layer.rounds) {
            (Some(left), Some(rounds)) => format!("{left:.1}/{rounds}"),
            _ => "unlimited".to_string(),
        };
        println!(
            "{:<16}{:>10.1}{:>10.1}{:>14}{:>16.0}",
            name, layer.shots, layer.kills, left, layer.cost_usd
        );
    }
    println!();
    println!("{:<20}{:>12}{:>12}", "asset", "hits/run", "P(hit)");
    for (id, a) in &s.assets {
        println!("{:<20}{:>12.2}{:>12.3}", id, a.hits_mean, a.p_hit);
    }
    if let Some(w) = &s.warning {
        print_warning(w);
    }
    println!();
    println!(
        "cost per run: defense US${:.0}, offense US${:.0}, exchange ratio {:.2}",
        s.cost_usd.defense, s.cost_usd.offense, s.cost_usd.exchange_ratio
    );
    println!(
        "prepared in {:.2} s; {} runs in {:.2} s ({:.0} runs/s on {} threads)",
        prepare_s, s.runs, s.timing.wall_s, s.timing.runs_per_s, s.timing.threads
    );
}

fn print_warning(w: &skyshield_mc::WarningSummary) {
    let lead = |l: &skyshield_mc::LeadSummary| match (l.p5, l.p50, l.p95) {
        (Some(a), Some(b), Some(c)) => format!("{a:.0}/{b:.0}/{c:.0} s"),
        _ => "none".to_string(),
    };
    println!();
    println!(
        "civil warning: {} zones, {:.0} people (siren region {:.0}% = {:.2} sigma, lead aimed {:.0} s)",
        w.zone_count,
        w.population,
        100.0 * w.confidence,
        w.region_sigmas,
        w.min_lead_s
    );
    println!(
        "  siren lead p5/p50/p95      {:>16}  ({:.2} impacts in zones per run)",
        lead(&w.siren_lead_s),
        w.impacts_in_zones_mean
    );
    println!(
        "  early warning p5/p50/p95   {:>16}",
        lead(&w.early_warning_lead_s)
    );
    println!(
        "  false alarms per run       {:>9.2} zones {:>12.0} people",
        w.false_alarm_zones_mean, w.false_alarm_people_mean
    );
    println!(
        "  warned too late per run    {:>28.0} people",
        w.too_late_people_mean
    );
    println!(
        "  under alert per run        {:>28.0} people-minutes",
        w.people_minutes_under_alert_mean
    );
}

/// Collects the events of a run as JSON lines, with positions.
struct EventLog<'a> {
    prepared: &'a Prepared,
    launches: Vec<f64>,
    lines: Vec<Value>,
}

impl EventLog<'_> {
    /// Where threat `i` is at `time_s` on its nominal trajectory.
    fn position(&self, i: usize, time_s: f64) -> [f64; 3] {
        let traj = &self.prepared.trajectories[self.prepared.threats[i].trajectory];
        let k = ((time_s - self.launches[i]).max(0.0) as usize).min(traj.positions.len() - 1);
        let g = Geodetic::from_ecef(traj.positions[k]);
        [g.lat_deg(), g.lon_deg(), g.height_m()]
    }
}

impl Observer for EventLog<'_> {
    fn event(&mut self, e: &EngineEvent) {
        let p = self.prepared;
        let line = match *e {
            EngineEvent::Launch { time_s, threat } => {
                self.launches[threat] = time_s;
                json!({"t_s": time_s, "event": "launch", "threat": threat, "group": p.types[p.threats[threat].group].group, "position": self.position(threat, time_s)})
            }
            EngineEvent::EarlyWarning { time_s, threat } => {
                json!({"t_s": time_s, "event": "early_warning", "threat": threat, "position": self.position(threat, time_s)})
            }
            EngineEvent::Track {
                time_s,
                sensor,
                threat,
            } => {
                json!({"t_s": time_s, "event": "track", "sensor": p.sensors[sensor].id, "threat": threat, "position": self.position(threat, time_s)})
            }
            EngineEvent::TrackLost {
                time_s,
                sensor,
                threat,
            } => {
                json!({"t_s": time_s, "event": "track_lost", "sensor": p.sensors[sensor].id, "threat": threat, "position": self.position(threat, time_s)})
            }
            EngineEvent::Decision {
                time_s,
                threat,
                battery,
                time_to_go_s,
                threatened_value,
            } => {
                json!({"t_s": time_s, "event": "decision", "threat": threat, "battery": battery.map(|b| &p.batteries[b].id), "time_to_go_s": time_to_go_s, "threatened_value": threatened_value, "position": self.position(threat, time_s)})
            }
            EngineEvent::InterceptorLaunch {
                time_s,
                battery,
                threat,
                shots,
                intercept_s,
            } => {
                let b = &p.batteries[battery];
                json!({"t_s": time_s, "event": "interceptor_launch", "battery": b.id, "layer": b.type_id, "threat": threat, "shots": shots, "intercept_s": intercept_s, "position": [b.position.lat_deg(), b.position.lon_deg(), b.position.height_m()]})
            }
            EngineEvent::Intercept {
                time_s,
                battery,
                threat,
                killed,
                lat_deg,
                lon_deg,
                height_m,
            } => {
                json!({"t_s": time_s, "event": if killed { "intercept" } else { "miss" }, "battery": p.batteries[battery].id, "threat": threat, "position": [lat_deg, lon_deg, height_m]})
            }
            EngineEvent::Assessment {
                time_s,
                threat,
                seen_alive,
            } => {
                json!({"t_s": time_s, "event": "kill_assessment", "threat": threat, "seen_alive": seen_alive})
            }
            EngineEvent::Failure { time_s, threat } => {
                json!({"t_s": time_s, "event": "failure", "threat": threat, "position": self.position(threat, time_s)})
            }
            EngineEvent::Impact {
                time_s,
                threat,
                lat_deg,
                lon_deg,
                asset,
            } => {
                json!({"t_s": time_s, "event": "impact", "threat": threat, "asset": asset.map(|a| &p.asset_ids[a]), "position": [lat_deg, lon_deg, 0.0]})
            }
            EngineEvent::Siren {
                time_s,
                zone,
                threat,
                lat_deg,
                lon_deg,
                radius_m,
                ..
            } => {
                let name = p.warning.as_ref().map(|w| &w.zones[zone].name);
                json!({"t_s": time_s, "event": "siren", "zone": name, "threat": threat, "region": {"center": [lat_deg, lon_deg], "radius_m": radius_m}})
            }
        };
        self.lines.push(line);
    }
}

pub fn replay(args: &ReplayArgs) -> Result<ExitCode> {
    let (scenario, _) = load(Some(&args.scenario))?;
    let prepared = prepared(&scenario)?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let mut log = EventLog {
        prepared: &prepared,
        launches: vec![0.0; prepared.threats.len()],
        lines: Vec::new(),
    };
    let replay = Replay::play(&prepared, seed, args.run, !args.nominal);
    for e in &replay.events {
        log.event(e);
    }
    let outcome = &replay.outcome;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut files = vec!["events.jsonl"];
    if scenario.as_layered().is_some() {
        files.extend(["impacts.geojson", "replay.czml", "replay.kml"]);
        skyshield_report::write_impacts_geojson(
            &args.out.join("impacts.geojson"),
            &prepared,
            std::slice::from_ref(outcome),
        )?;
        skyshield_report::write_replay(&args.out, &prepared, &replay)?;
        if write_alerts_geojson(&args.out.join("alerts.geojson"), &prepared, outcome)? {
            files.push("alerts.geojson");
        }
    }
    let mut text = String::new();
    for line in &log.lines {
        text.push_str(&line.to_string());
        text.push('\n');
    }
    skyshield_report::write_atomically(&args.out.join("events.jsonl"), text.as_bytes())?;
    eprintln!(
        "run {} (seed {}): {} events, {} intercepted, {} leaked; wrote {} in {}",
        args.run,
        seed,
        log.lines.len(),
        outcome.count(skyshield_engine::Fate::Intercepted),
        outcome.count(skyshield_engine::Fate::Leaked),
        files.join(", "),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
