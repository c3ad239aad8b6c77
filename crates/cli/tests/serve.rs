//! `skyshield serve`, the real binary: the summary of a served run is that of `skyshield run
//! --format json`; the store survives `kill -9` in the middle of a run; 200 concurrent
//! submissions against a queue of 8 lose none.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_skyshield");

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "skyshield-serve-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary serving `db` on a free port; killed (SIGKILL) when dropped.
struct Served {
    child: Child,
    base: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &Path, extra: &[&str]) -> Served {
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--threads", "2", "--db"])
        .arg(db)
        .args(extra)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .unwrap();
        if let Some(rest) = line.strip_prefix("skyshield serving ") {
            break rest
                .split_whitespace()
                .next()
                .unwrap()
                .trim_end_matches('/')
                .to_string();
        }
    };
    // Keep draining stderr so that the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Served { child, base }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn get(s: &Served, path: &str) -> (u16, Value) {
    let mut r = agent().get(&format!("{}{path}", s.base)).call().unwrap();
    let status = r.status().as_u16();
    (status, r.body_mut().read_json().unwrap_or(Value::Null))
}

fn post(s: &Served, path: &str, body: &Value) -> (u16, Option<String>, Value) {
    let mut r = agent()
        .post(&format!("{}{path}", s.base))
        .send_json(body)
        .unwrap();
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    (
        status,
        retry,
        r.body_mut().read_json().unwrap_or(Value::Null),
    )
}

fn wait_until(s: &Served, id: i64, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let (code, run) = get(s, &format!("/api/runs/{id}"));
        assert_eq!(code, 200, "{run}");
        if ok(&run) {
            return run;
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "run {id} never got {what}: {run}"
        );
        std::thread::sleep(Duration::from_millis(40));
    }
}

fn finished(s: &Served, id: i64) -> Value {
    wait_until(s, id, "finished", |r| {
        r["status"] != "queued" && r["status"] != "running"
    })
}

fn without_timing(mut summary: Value) -> Value {
    summary.as_object_mut().unwrap().remove("timing");
    summary
}

#[test]
fn a_served_run_gives_the_summary_of_skyshield_run_format_json() {
    let dir = temp_dir("same");
    let server = serve(&dir.join("store.db"), &[]);
    let (code, _, run) = post(
        &server,
        "/api/runs",
        &json!({"library": "iskander-patriot.yaml", "runs": 64, "seed": 5}),
    );
    assert_eq!(code, 202, "{run}");
    let run = finished(&server, run["id"].as_i64().unwrap());
    assert_eq!(run["status"], "finished", "{run}");

    let out = dir.join("cli-out");
    let cli = Command::new(BIN)
        .arg("run")
        .arg(repo().join("scenarios/iskander-patriot.yaml"))
        .args([
            "--runs",
            "64",
            "--seed",
            "5",
            "--threads",
            "1",
            "--format",
            "json",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let expected: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(
        without_timing(run["summary"].clone()),
        without_timing(expected)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_store_survives_kill_9_in_the_middle_of_a_run() {
    let dir = temp_dir("kill");
    let db = dir.join("store.db");
    let server = serve(&db, &[]);
    let (code, _, first) = post(
        &server,
        "/api/runs",
        &json!({"library": "rocket-barrage.yaml", "runs": 30, "seed": 1}),
    );
    assert_eq!(code, 202);
    let first_id = first["id"].as_i64().unwrap();
    let first = finished(&server, first_id);
    assert_eq!(first["status"], "finished");
    let folder = dir.join("runs").join(first_id.to_string());
    let files_before: Vec<(String, Vec<u8>)> = files_of(&folder);
    assert!(files_before.iter().any(|(n, _)| n == "summary.json"));

    let (code, _, second) = post(
        &server,
        "/api/runs",
        &json!({"library": "rocket-barrage.yaml", "runs": 100_000}),
    );
    assert_eq!(code, 202);
    let second_id = second["id"].as_i64().unwrap();
    wait_until(&server, second_id, "progress", |r| {
        r["status"] == "running" && r["done"].as_u64().unwrap_or(0) > 0
    });
    drop(server); // SIGKILL, in the middle of the batch.

    let server = serve(&db, &[]);
    let (_, again) = get(&server, &format!("/api/runs/{first_id}"));
    assert_eq!(again["status"], "finished");
    assert_eq!(again["summary"], first["summary"]);
    assert_eq!(files_of(&folder), files_before);
    let (code, summary) = get(&server, &format!("/api/runs/{first_id}/files/summary.json"));
    assert_eq!(code, 200);
    assert_eq!(summary, first["summary"]);
    let (_, second) = get(&server, &format!("/api/runs/{second_id}"));
    assert_eq!(second["status"], "failed", "{second}");
    assert!(second["error"].as_str().unwrap().contains("interrupted"));
    // The server works on after the crash.
    let (code, _, third) = post(
        &server,
        "/api/runs",
        &json!({"library": "rocket-barrage.yaml", "runs": 3}),
    );
    assert_eq!(code, 202);
    assert_eq!(
        finished(&server, third["id"].as_i64().unwrap())["status"],
        "finished"
    );
    drop(server);

    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let _ = std::fs::remove_dir_all(dir);
}

/// Every file of a folder with its bytes, by name.
fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Resident memory of a process, kB (Linux).
fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[test]
fn two_hundred_concurrent_submissions_against_a_queue_of_8_lose_none() {
    const CLIENTS: usize = 200;
    let dir = temp_dir("load");
    let server = serve(&dir.join("store.db"), &["--queue", "8"]);
    let pid = server.child.id();
    let rss_before = rss_kb(pid);
    let start = Instant::now();
    let answers: Vec<(u16, Option<String>, Value)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|i| {
                let server = &server;
                scope.spawn(move || {
                    post(
                        server,
                        "/api/runs",
                        &json!({"library": "rocket-barrage.yaml", "runs": 20, "seed": i}),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let submit_s = start.elapsed().as_secs_f64();
    let accepted: Vec<i64> = answers
        .iter()
        .filter(|(code, _, _)| *code == 202)
        .map(|(_, _, run)| run["id"].as_i64().unwrap())
        .collect();
    let refused = answers.iter().filter(|(code, _, _)| *code == 429).count();
    assert_eq!(
        accepted.len() + refused,
        CLIENTS,
        "every answer is 202 or 429"
    );
    assert!(accepted.len() >= 8, "the queue took at least its capacity");
    assert!(refused > 0, "200 submissions at once overflow a queue of 8");
    assert!(
        answers
            .iter()
            .filter(|(code, _, _)| *code == 429)
            .all(|(_, retry, body)| retry.is_some() && body["error"].is_string())
    );
    let rss_peak = rss_kb(pid);
    for id in &accepted {
        assert_eq!(finished(&server, *id)["status"], "finished", "run {id}");
    }
    let all_s = start.elapsed().as_secs_f64();
    let (_, list) = get(&server, "/api/runs?limit=1000");
    assert_eq!(
        list.as_array().unwrap().len(),
        accepted.len(),
        "no run lost, none extra"
    );
    let rss_after = rss_kb(pid);
    eprintln!(
        "load: {CLIENTS} submissions in {submit_s:.2} s: {} accepted, {refused} refused (429); \
         all accepted finished after {all_s:.2} s; server RSS {rss_before} kB before, \
         {rss_peak} kB after the burst, {rss_after} kB at the end",
        accepted.len()
    );
    // Bounded: a few hundred MB at most whatever the burst (the queue holds 8 scenarios).
    assert!(rss_after < 512 * 1024, "server RSS {rss_after} kB");
    let _ = std::fs::remove_dir_all(dir);
}
