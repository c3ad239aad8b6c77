//! The HTTP API of a server started in the test process, over real sockets: runs followed to
//! completion through server-sent events with their reported figures scored, lint warnings,
//! located 422s, 413, 429, 404 for any path out of a run's folder, cancel, delete, the token
//! and the page's security headers.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use skyshield_server::{Config, LIMITS, MAX_BODY_BYTES, RETRY_AFTER_S, ServerError, bind};

const ROCKETS: &str = include_str!("../../../scenarios/rocket-barrage.yaml");

struct Server {
    base: String,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn temp_dir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "skyshield-api-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A server on a free loopback port, on a runtime of its own thread.
fn start(configure: impl FnOnce(&mut Config)) -> Server {
    let dir = temp_dir();
    let mut config = Config::new("127.0.0.1:0".parse().unwrap(), dir.join("store.db"));
    config.threads = 2;
    configure(&mut config);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let bound = bind(&config).await.unwrap();
            tx.send(bound.local_addr().unwrap()).unwrap();
            bound.serve().await.unwrap();
        });
    });
    let addr: SocketAddr = rx.recv_timeout(Duration::from_secs(30)).unwrap();
    Server {
        base: format!("http://{addr}"),
        dir,
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// Status, headers and body text of a request.
fn call(method: &str, url: &str, body: Option<&Value>) -> (u16, ureq::http::HeaderMap, String) {
    let agent = agent();
    let mut response = match (method, body) {
        ("GET", _) => agent.get(url).call(),
        ("DELETE", _) => agent.delete(url).call(),
        ("POST", Some(b)) => agent.post(url).send_json(b),
        ("POST", None) => agent.post(url).send_empty(),
        _ => unreachable!("the tests use GET, POST and DELETE"),
    }
    .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    (status, headers, text)
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn get(server: &Server, path: &str) -> (u16, Value) {
    let (status, _, text) = call("GET", &format!("{}{path}", server.base), None);
    (status, json_of(&text))
}

fn post(server: &Server, path: &str, body: &Value) -> (u16, Value) {
    let (status, _, text) = call("POST", &format!("{}{path}", server.base), Some(body));
    (status, json_of(&text))
}

/// Reads the run's server-sent events until it is over; gives every progress event.
fn follow(server: &Server, id: i64) -> Vec<Value> {
    let mut response = agent()
        .get(&format!("{}/api/runs/{id}/events", server.base))
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        content_type.starts_with("text/event-stream"),
        "{content_type}"
    );
    let reader = BufReader::new(response.body_mut().as_reader());
    let mut events = Vec::new();
    for line in reader.lines() {
        let line = line.unwrap();
        if let Some(data) = line.strip_prefix("data: ") {
            let event = json_of(data);
            let over = !matches!(event["status"].as_str(), Some("queued" | "running"));
            events.push(event);
            if over {
                break;
            }
        }
    }
    events
}

fn wait_for(server: &Server, id: i64, status: &str) -> Value {
    let start = Instant::now();
    loop {
        let (code, run) = get(server, &format!("/api/runs/{id}"));
        assert_eq!(code, 200);
        if run["status"] == status {
            return run;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "run {id} never became {status}: {run}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_library_scenario_runs_to_completion_with_its_progress_and_outputs() {
    let server = start(|_| {});
    let (code, run) = post(
        &server,
        "/api/runs",
        &json!({"library": "rocket-barrage.yaml", "runs": 40, "seed": 11}),
    );
    assert_eq!(code, 202, "{run}");
    let id = run["id"].as_i64().unwrap();
    assert_eq!(
        run["options"],
        json!({"runs": 40, "seed": 11, "nominal": false, "parameter_sets": 10, "campaign": false})
    );
    let events = follow(&server, id);
    let last = events.last().unwrap();
    assert_eq!(last["status"], "finished", "{events:?}");
    assert_eq!(last["done"], 40);
    let done: Vec<u64> = events.iter().map(|e| e["done"].as_u64().unwrap()).collect();
    assert!(done.windows(2).all(|w| w[0] <= w[1]), "{done:?}");

    let (code, run) = get(&server, &format!("/api/runs/{id}"));
    assert_eq!(code, 200);
    assert_eq!(run["status"], "finished");
    assert_eq!(run["done"], 40);
    let summary = &run["summary"];
    assert_eq!(summary["runs"], 40);
    assert_eq!(summary["seed"], 11);
    assert_eq!(summary["threats"], 100);
    // The folder's summary.json is the row's summary.
    let (code, _, text) = call(
        "GET",
        &format!("{}/api/runs/{id}/files/summary.json", server.base),
        None,
    );
    assert_eq!(code, 200);
    assert_eq!(&json_of(&text), summary);
    // The scenario's reported figures, scored against the runs as `skyshield run` scores them.
    let figures = ROCKETS
        .split("\nreported:\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with(' '))
        .filter(|l| l.starts_with("  - "))
        .count();
    let reported = summary["reported"].as_array().expect("reported figures");
    assert!(figures >= 2, "{figures} reported figures");
    assert_eq!(reported.len(), figures, "{reported:?}");
    for f in reported {
        let agreement = f["agreement"].as_str().unwrap();
        assert!(
            ["consistent", "in_the_tail", "outside", "by_construction"].contains(&agreement),
            "{f}"
        );
        assert!(
            f["simulated"].as_f64().is_some() && f["rank"].as_f64().is_some(),
            "{f}"
        );
    }
    assert_eq!(reported[0]["metric"], "ignored_share");
    // The representative run's replay, and any run's, as CZML; the map of the scenario.
    let (code, czml) = get(&server, &format!("/api/runs/{id}/files/replay.czml"));
    assert_eq!(code, 200);
    assert_eq!(czml[0]["id"], "document");
    let (code, other) = get(&server, &format!("/api/runs/{id}/replay?run=39"));
    assert_eq!(code, 200);
    let threats = other
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["id"].as_str().unwrap_or("").starts_with("threat-"))
        .count();
    assert_eq!(threats, 100);
    let (code, _) = get(&server, &format!("/api/runs/{id}/replay?run=40"));
    assert_eq!(code, 422);
    let (code, layout) = get(&server, &format!("/api/runs/{id}/layout"));
    assert_eq!(code, 200);
    let kinds: Vec<&str> = layout["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "asset").count(), 3);
    assert_eq!(kinds.iter().filter(|k| **k == "battery").count(), 2);
    assert!(kinds.contains(&"launch_site") && kinds.contains(&"coastline"));
    // The list shows it, without the summary.
    let (code, list) = get(&server, "/api/runs");
    assert_eq!(code, 200);
    assert_eq!(list[0]["id"], id);
    assert!(list[0]["summary"].is_null());
}

/// The text of the rocket barrage with `from` replaced by `to` on the line that holds it; gives
/// the text and the line's number.
fn with_line_changed(from: &str, to: &str) -> (String, usize) {
    let line = ROCKETS.lines().position(|l| l.contains(from)).unwrap() + 1;
    (ROCKETS.replacen(from, to, 1), line)
}

#[test]
fn an_invalid_scenario_gets_422_with_its_line_and_column() {
    let server = start(|_| {});
    let (text, line) = with_line_changed("count: 10", "count: ten");
    let body = json!({"name": "rockets.yaml", "text": text});
    for path in ["/api/validate", "/api/runs", "/api/uploads"] {
        let (code, error) = post(&server, path, &body);
        assert_eq!(code, 422, "{path}: {error}");
        let d = &error["diagnostics"][0];
        assert_eq!(d["file"], "rockets.yaml");
        assert_eq!(d["line"], line as u64, "{error}");
        let column = d["column"].as_u64().unwrap();
        assert!(column > 1, "{error}");
        assert!(
            error["error"]
                .as_str()
                .unwrap()
                .starts_with(&format!("rockets.yaml:{line}:{column}: ")),
            "{error}"
        );
    }
    // Nothing was queued or stored.
    assert_eq!(get(&server, "/api/runs").1, json!([]));
    assert_eq!(get(&server, "/api/uploads").1, json!([]));
    // The valid text validates.
    let (code, ok) = post(&server, "/api/validate", &json!({"text": ROCKETS}));
    assert_eq!(code, 200, "{ok}");
    assert_eq!(ok["threats"], 100);
}

#[test]
fn lint_warnings_come_with_validation_and_runs_with_their_line_and_column() {
    let server = start(|_| {});
    let (text, line) = with_line_changed(
        "circle: {center: [31.525, 34.596], radius_km: 2}",
        "circle: {center: [31.525, 34.596], radius_km: 150}",
    );
    let (code, ok) = post(
        &server,
        "/api/validate",
        &json!({"name": "rockets.yaml", "text": text}),
    );
    assert_eq!(code, 200, "{ok}");
    assert_eq!(ok["valid"], true);
    let warnings = ok["warnings"].as_array().expect("warnings");
    let wide: Vec<&Value> = warnings
        .iter()
        .filter(|w| w["line"] == line as u64)
        .collect();
    assert_eq!(wide.len(), 1, "{warnings:?}");
    let w = wide[0];
    assert_eq!(w["file"], "rockets.yaml");
    assert!(w["column"].as_u64().is_some_and(|c| c > 1), "{w}");
    let message = w["message"].as_str().unwrap();
    assert!(
        message.contains("asset `sderot` is 150 km in radius"),
        "{w}"
    );
    // The library's text has no such warning.
    let (_, plain) = post(&server, "/api/validate", &json!({"text": ROCKETS}));
    assert!(
        plain["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .all(|w| w["line"] != line as u64),
        "{plain}"
    );
    // A run is started anyway, with the same warnings.
    let (code, run) = post(
        &server,
        "/api/runs",
        &json!({"name": "rockets.yaml", "text": text, "runs": 2}),
    );
    assert_eq!(code, 202, "{run}");
    assert_eq!(run["warnings"], ok["warnings"]);
    wait_for(&server, run["id"].as_i64().unwrap(), "finished");
}

#[test]
fn limits_are_refused_with_json_errors() {
    let server = start(|_| {});
    // Threats per scenario.
    let (text, _) = with_line_changed("count: 10", &format!("count: {}", LIMITS.threats + 1));
    let (code, error) = post(&server, "/api/runs", &json!({"text": text}));
    assert_eq!(code, 422, "{error}");
    assert!(
        error["error"].as_str().unwrap().contains(&format!(
            "limit of {} (raise it with --max-threats)",
            LIMITS.threats
        )),
        "{error}"
    );
    // Runs per request.
    let (code, error) = post(
        &server,
        "/api/runs",
        &json!({"library": "rocket-barrage.yaml", "runs": 1_000_000}),
    );
    assert_eq!(code, 422, "{error}");
    // Body size: a scenario over the limit.
    let big = format!("{ROCKETS}\n#{}\n", "x".repeat(MAX_BODY_BYTES));
    for path in ["/api/runs", "/api/validate"] {
        let (code, error) = post(&server, path, &json!({"text": big}));
        assert_eq!(code, 413, "{path}: {error}");
        assert!(
            error["error"].as_str().unwrap().contains("limit"),
            "{error}"
        );
    }
    // Not JSON, or fields the API does not know.
    let (code, error) = post(
        &server,
        "/api/runs",
        &json!({"library": "rocket-barrage.yaml", "rnus": 3}),
    );
    assert_eq!(code, 422, "{error}");
    assert!(error["error"].is_string());
    assert_eq!(get(&server, "/api/runs").1, json!([]));
}

#[test]
fn a_full_queue_answers_429_with_retry_after_and_loses_no_accepted_run() {
    let server = start(|c| {
        c.queue = 2;
        c.concurrent = 1;
    });
    let long = json!({"library": "rocket-barrage.yaml", "runs": 100_000});
    let (code, first) = post(&server, "/api/runs", &long);
    assert_eq!(code, 202);
    let first = first["id"].as_i64().unwrap();
    wait_for(&server, first, "running");
    let mut queued = Vec::new();
    for _ in 0..2 {
        let (code, run) = post(&server, "/api/runs", &long);
        assert_eq!(code, 202, "{run}");
        assert_eq!(run["status"], "queued");
        queued.push(run["id"].as_i64().unwrap());
    }
    let (code, headers, text) = call("POST", &format!("{}/api/runs", server.base), Some(&long));
    assert_eq!(code, 429, "{text}");
    assert_eq!(headers["retry-after"], RETRY_AFTER_S.to_string().as_str());
    assert!(
        json_of(&text)["error"]
            .as_str()
            .unwrap()
            .contains("queue is full")
    );
    // Cancelling frees the queue: the running batch stops, the queued ones never start.
    for id in queued.iter().chain([&first]) {
        let (code, run) = post(&server, &format!("/api/runs/{id}/cancel"), &json!(null));
        assert_eq!(code, 200, "{run}");
        assert_eq!(run["status"], "cancelled");
    }
    let (code, list) = get(&server, "/api/runs");
    assert_eq!(code, 200);
    assert_eq!(list.as_array().unwrap().len(), 3);
    let (code, again) = post(
        &server,
        "/api/runs",
        &json!({"library": "rocket-barrage.yaml", "runs": 5}),
    );
    assert_eq!(code, 202, "{again}");
    let last = follow(&server, again["id"].as_i64().unwrap());
    assert_eq!(last.last().unwrap()["status"], "finished");
    // The cancelled runs never wrote a folder, nor changed status.
    for id in queued.iter().chain([&first]) {
        assert_eq!(
            get(&server, &format!("/api/runs/{id}")).1["status"],
            "cancelled"
        );
        assert!(!server.dir.join("runs").join(id.to_string()).exists());
    }
}

#[test]
fn no_path_leaves_a_run_folder_or_the_page() {
    let server = start(|_| {});
    let (code, run) = post(
        &server,
        "/api/runs",
        &json!({"library": "rocket-barrage.yaml", "runs": 3}),
    );
    assert_eq!(code, 202);
    let id = run["id"].as_i64().unwrap();
    follow(&server, id);
    std::fs::write(
        server
            .dir
            .join("runs")
            .join(id.to_string())
            .join("secret.txt"),
        "no",
    )
    .unwrap();
    for path in [
        format!("/api/runs/{id}/files/..%2F..%2Fstore.db"),
        format!("/api/runs/{id}/files/../../store.db"),
        format!("/api/runs/{id}/files/%2Fetc%2Fpasswd"),
        format!("/api/runs/{id}/files/secret.txt"),
        format!("/api/runs/{id}/files/.%2Fsummary.json"),
        format!("/api/runs/{id}/files/summary.json%00"),
        "/api/runs/999/files/summary.json".to_string(),
        "/api/library/..%2F..%2FCargo.toml".to_string(),
        "/api/library/..%2Fcatalog%2Fthreats.yaml".to_string(),
        "/..%2FCargo.toml".to_string(),
        "/../../Cargo.toml".to_string(),
        "/%2e%2e/%2e%2e/Cargo.toml".to_string(),
        "/etc/passwd".to_string(),
        "/api/nothing".to_string(),
    ] {
        let (code, _, text) = call("GET", &format!("{}{path}", server.base), None);
        assert_eq!(code, 404, "{path}: {text}");
        assert!(json_of(&text)["error"].is_string(), "{path}: {text}");
    }
    let (code, _, _) = call(
        "GET",
        &format!("{}/api/runs/{id}/files/summary.json", server.base),
        None,
    );
    assert_eq!(code, 200);
}

#[test]
fn a_finished_run_is_deleted_with_its_folder_and_a_running_one_is_not() {
    let server = start(|_| {});
    let (_, run) = post(
        &server,
        "/api/runs",
        &json!({"library": "rocket-barrage.yaml", "runs": 100_000}),
    );
    let id = run["id"].as_i64().unwrap();
    wait_for(&server, id, "running");
    let (code, _, text) = call("DELETE", &format!("{}/api/runs/{id}", server.base), None);
    assert_eq!(code, 409, "{text}");
    post(&server, &format!("/api/runs/{id}/cancel"), &json!(null));
    let (code, _) = post(&server, &format!("/api/runs/{id}/cancel"), &json!(null));
    assert_eq!(code, 409);

    let (_, run) = post(
        &server,
        "/api/runs",
        &json!({"library": "rocket-barrage.yaml", "runs": 2}),
    );
    let done = run["id"].as_i64().unwrap();
    follow(&server, done);
    let folder = server.dir.join("runs").join(done.to_string());
    assert!(folder.join("summary.json").is_file());
    for id in [id, done] {
        let (code, _, _) = call("DELETE", &format!("{}/api/runs/{id}", server.base), None);
        assert_eq!(code, 204);
        assert_eq!(get(&server, &format!("/api/runs/{id}")).0, 404);
    }
    assert!(!folder.exists());
}

#[test]
fn uploads_are_stored_and_run_by_id() {
    let server = start(|_| {});
    let (code, upload) = post(
        &server,
        "/api/uploads",
        &json!({"name": "mine.yaml", "text": ROCKETS}),
    );
    assert_eq!(code, 201, "{upload}");
    let uid = upload["id"].as_i64().unwrap();
    let (code, list) = get(&server, "/api/uploads");
    assert_eq!(code, 200);
    assert_eq!(
        list[0]["name"],
        "Rocket barrage against towns defended by Iron Dome"
    );
    let (_, one) = get(&server, &format!("/api/uploads/{uid}"));
    assert_eq!(one["text"], ROCKETS);
    let (code, run) = post(&server, "/api/runs", &json!({"upload": uid, "runs": 2}));
    assert_eq!(code, 202, "{run}");
    let events = follow(&server, run["id"].as_i64().unwrap());
    assert_eq!(events.last().unwrap()["status"], "finished");
    let (code, _) = post(&server, "/api/runs", &json!({"upload": 999, "runs": 2}));
    assert_eq!(code, 404);
}

#[test]
fn a_token_guards_every_request_and_other_addresses_need_one() {
    let server = start(|c| c.token = Some("s3cret".into()));
    for path in ["/", "/api/health", "/api/runs", "/app.js"] {
        let (code, _, text) = call("GET", &format!("{}{path}", server.base), None);
        assert_eq!(code, 401, "{path}");
        assert!(json_of(&text)["error"].as_str().unwrap().contains("token"));
    }
    let response = agent()
        .get(&format!("{}/api/health", server.base))
        .header("Authorization", "Bearer s3cret")
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let response = agent()
        .get(&format!("{}/api/health", server.base))
        .header("Authorization", "Bearer wrong")
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let (code, headers, _) = call("GET", &format!("{}/?token=s3cret", server.base), None);
    assert_eq!(code, 200);
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("skyshield_token=s3cret;") && cookie.contains("HttpOnly"));
    let response = agent()
        .get(&format!("{}/api/runs", server.base))
        .header("Cookie", "skyshield_token=s3cret")
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = temp_dir();
    let open = Config::new("0.0.0.0:0".parse().unwrap(), dir.join("store.db"));
    let err = runtime.block_on(bind(&open)).unwrap_err();
    assert!(matches!(err, ServerError::TokenRequired { .. }), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_page_is_served_with_a_strict_content_security_policy() {
    let server = start(|_| {});
    for (path, media) in [
        ("/", "text/html"),
        ("/app.js", "text/javascript"),
        ("/style.css", "text/css"),
    ] {
        let (code, headers, text) = call("GET", &format!("{}{path}", server.base), None);
        assert_eq!(code, 200, "{path}");
        assert!(headers["content-type"].to_str().unwrap().starts_with(media));
        assert!(!text.is_empty());
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
    }
    let (code, library) = get(&server, "/api/library");
    assert_eq!(code, 200);
    let files: Vec<&str> = library
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"default.yaml") && files.contains(&"rocket-barrage.yaml"));
    assert!(files.iter().all(|f| !f.contains('/')), "{files:?}");
    assert!(
        library
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["sources"].as_array().is_some_and(|s| !s.is_empty()))
    );
    let (code, schema) = get(&server, "/api/schema");
    assert_eq!(code, 200);
    assert!(schema["properties"]["raid"].is_object(), "{schema}");
}

const ZONES: &str = r#"{"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "north", "population": 1200},
     "geometry": {"type": "Polygon",
                  "coordinates": [[[34.7, 32.0], [34.8, 32.0], [34.8, 32.1], [34.7, 32.0]]]}}]}"#;

/// A scenario whose warning zones come from the GeoJSON file `zones` (line 4, column 28).
fn zoned(zones: &str) -> String {
    format!(
        "name: z\nassets: [{{id: c, circle: {{center: [32.08, 34.78], radius_km: 5}}}}]\n\
         raid: [{{id: g, threat: emad, count: 1, launch: {{sites: [[34.3, 47.1]]}}, target: c}}]\n\
         warning: {{zones: {{geojson: {zones}, shelter_time_s: 60}}}}\n"
    )
}

#[test]
fn a_scenario_reads_only_the_files_sent_with_it() {
    let server = start(|_| {});
    // The server's own files are out of reach, whatever the path.
    std::fs::write(server.dir.join("zones.geojson"), ZONES).unwrap();
    for path in [
        "zones.geojson",
        "../zones.geojson",
        "/etc/hostname",
        "store.db",
    ] {
        let (code, error) = post(&server, "/api/validate", &json!({"text": zoned(path)}));
        assert_eq!(code, 422, "{path}: {error}");
        let d = &error["diagnostics"][0];
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(4), Some(28)),
            "{error}"
        );
    }
    // Sent with it, the file is read.
    let body = json!({"text": zoned("zones.geojson"), "files": {"zones.geojson": ZONES}});
    let (code, ok) = post(&server, "/api/validate", &body);
    assert_eq!(code, 200, "{ok}");
    let mut run = body.clone();
    run["runs"] = json!(2);
    let (code, run) = post(&server, "/api/runs", &run);
    assert_eq!(code, 202, "{run}");
    let id = run["id"].as_i64().unwrap();
    assert_eq!(follow(&server, id).last().unwrap()["status"], "finished");
    // The stored files come back with the run for its replay.
    let (code, _) = get(&server, &format!("/api/runs/{id}/replay?run=1"));
    assert_eq!(code, 200);
    let (code, zones) = get(&server, &format!("/api/runs/{id}/files/zones.geojson"));
    assert_eq!(code, 200);
    assert_eq!(zones["features"][0]["properties"]["name"], "north");
}

#[test]
fn a_campaign_plays_its_days_as_skyshield_campaign_does() {
    let server = start(|_| {});
    let (status, created) = post(
        &server,
        "/api/runs",
        &json!({"library": "jun-2025-12-day.yaml", "runs": 20, "seed": 3, "campaign": true}),
    );
    assert_eq!(status, 202, "{created}");
    let id = created["id"].as_i64().unwrap();
    let events = follow(&server, id);
    assert_eq!(events.last().unwrap()["status"], "finished", "{events:?}");
    let (_, run) = get(&server, &format!("/api/runs/{id}"));
    assert_eq!(run["options"]["campaign"], true);
    // The summary of the same campaign played by the library, as `skyshield campaign` plays it.
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/jun-2025-12-day.yaml");
    let scenario = skyshield_scenario::load(&path).unwrap();
    let prepared = skyshield_engine::prepare(&scenario).unwrap();
    let opts = skyshield_campaign::CampaignOptions {
        runs: 20,
        seed: 3,
        threads: 1,
    };
    let expected = skyshield_campaign::run_campaign(
        &scenario,
        &prepared,
        &opts,
        &skyshield_mc::CancelToken::new(),
        &mut |_, _| {},
    )
    .unwrap();
    let expected: Value = serde_json::to_value(&expected.summary).unwrap();
    assert_eq!(run["summary"], expected);
    let (status, _, parquet) = call(
        "GET",
        &format!("{}/api/runs/{id}/files/campaign.parquet", server.base),
        None,
    );
    assert_eq!(status, 200);
    assert!(parquet.starts_with("PAR1"));
    // A scenario without a campaign cannot be played as one.
    let (status, body) = post(
        &server,
        "/api/runs",
        &json!({"library": "rocket-barrage.yaml", "runs": 5, "campaign": true}),
    );
    assert_eq!(status, 422, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("no `campaign` section"),
        "{body}"
    );
}

#[test]
fn a_run_samples_the_uncertainty_asked_for_and_nominal_with_it_is_refused() {
    let server = start(|_| {});
    let text = "name: one range\nkind: abstract\nseed: 2\nruns: 100\nthreats: 10\ntracking: common\n\
        layers:\n  - {id: only, kill_probability: {low: 0.5, nominal: 0.6, high: 0.9}, shots_per_engagement: 1}\n";
    let (code, run) = post(
        &server,
        "/api/runs",
        &json!({"text": text, "runs": 200, "uncertainty": "both", "parameter_sets": 4}),
    );
    assert_eq!(code, 202, "{run}");
    assert_eq!(run["options"]["uncertainty"], "both");
    let id = run["id"].as_i64().unwrap();
    let run = wait_for(&server, id, "finished");
    let split = &run["summary"]["uncertainty"];
    assert_eq!(split["mode"], "both", "{run}");
    assert_eq!(split["parameter_sets"], 4);
    assert!(split["parameters_sd"].as_f64().unwrap() > 0.0, "{split}");
    for body in [
        json!({"text": text, "nominal": true, "uncertainty": "both"}),
        json!({"text": text, "uncertainty": "all"}),
        json!({"text": text, "uncertainty": "both", "parameter_sets": 1}),
    ] {
        let (code, answer) = post(&server, "/api/runs", &body);
        assert_eq!(code, 422, "{body}: {answer}");
    }
}
