//! The HTTP API (`docs/api.md`) and the routes of the page.

use skyshield_mc::{DEFAULT_PARAMETER_SETS, Uncertainty};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use skyshield_campaign::MAX_RUN_DAYS;
use skyshield_engine::prepare;
use skyshield_report::campaign::CAMPAIGN_PARQUET;
use skyshield_report::folder::{
    EVENTS_PARQUET, IMPACTS_GEOJSON, REPLAY_CZML, REPLAY_KML, RUNS_PARQUET, SCENARIO_YAML,
    SUMMARY_JSON, ZONES_GEOJSON,
};
use skyshield_report::{Replay, layout_geojson, replay_czml};
use skyshield_scenario::{
    Checked, Diagnostics, MemoryResolver, Scenario, Source, catalog, check_scenario,
};
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::WatchStream;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::assets::{library, library_text, threat_count, web_file};
use crate::jobs::{Job, Jobs, Progress};
use crate::store::{RunOptions, Status, Store, StoreError};
use crate::{LIMITS, MAX_BODY_BYTES, MAX_PARAMETER_SETS, RETRY_AFTER_S};

/// The policy of every response: the page runs only its own scripts and styles, and talks
/// only to its own server.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Files of a run's output folder that the API hands out; any other name is 404.
const SERVED_FILES: [&str; 9] = [
    SUMMARY_JSON,
    CAMPAIGN_PARQUET,
    RUNS_PARQUET,
    EVENTS_PARQUET,
    IMPACTS_GEOJSON,
    REPLAY_CZML,
    REPLAY_KML,
    ZONES_GEOJSON,
    SCENARIO_YAML,
];

/// Name of the cookie that carries the token for the page.
const TOKEN_COOKIE: &str = "skyshield_token";

/// What every handler reaches.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    pub jobs: Arc<Jobs>,
    pub token: Option<Arc<str>>,
}

/// An error answer: a status and a JSON body `{"error": message, ...}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: Value,
    retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: json!({"error": message.into()}),
            retry_after: None,
        }
    }

    fn not_found(what: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, format!("no such {what}"))
    }

    /// 422 with every problem of a scenario: `diagnostics` as `{file, line, column, message}`,
    /// and `error` their lines `FILE:LINE:COL: message`.
    fn invalid(diagnostics: &Diagnostics) -> ApiError {
        let text: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: json!({"error": text.join("\n"), "diagnostics": diagnostics_json(diagnostics)}),
            retry_after: None,
        }
    }
}

/// Diagnostics (errors or lint warnings) as JSON: `[{file, line, column, message}]`.
fn diagnostics_json(diagnostics: &Diagnostics) -> Value {
    diagnostics
        .iter()
        .map(|d| {
            json!({"file": d.file.display().to_string(), "line": d.line,
                "column": d.column, "message": d.message})
        })
        .collect()
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> ApiError {
        let status = e.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!("the request body is over the limit of {MAX_BODY_BYTES} bytes")
        } else {
            e.body_text()
        };
        ApiError::new(status, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        if let Some(s) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        response
    }
}

type ApiResult<T> = Result<T, ApiError>;
type Json<T> = Result<axum::Json<T>, JsonRejection>;

/// The routes of the API and the page, with the token check, the body limit and the security
/// headers.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/health", get(health))
        .route("/api/schema", get(schema))
        .route("/api/library", get(list_library))
        .route("/api/library/{file}", get(library_file))
        .route("/api/uploads", get(list_uploads).post(upload))
        .route("/api/uploads/{id}", get(get_upload))
        .route("/api/validate", post(validate))
        .route("/api/runs", get(list_runs).post(submit))
        .route("/api/runs/{id}", get(get_run).delete(delete_run))
        .route("/api/runs/{id}/events", get(run_events))
        .route("/api/runs/{id}/cancel", post(cancel_run))
        .route("/api/runs/{id}/layout", get(run_layout))
        .route("/api/runs/{id}/replay", get(run_replay))
        .route("/api/runs/{id}/files/{name}", get(run_file))
        .route("/api/{*rest}", get(api_not_found).post(api_not_found))
        .route("/", get(index))
        .route("/{*path}", get(page_file));
    api.layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), check_token))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .with_state(state)
}

/// Equal bytes, compared in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Refuses (401) a request without the server's token, when it has one. A request whose query
/// has a good `token=` gets a cookie with it, so that the page it opens needs no header.
async fn check_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(token) = state.token.as_deref() else {
        return next.run(request).await;
    };
    let headers = request.headers();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().strip_prefix(TOKEN_COOKIE)?.strip_prefix('='))
        .any(|c| same(c.as_bytes(), token.as_bytes()));
    let query = request
        .uri()
        .query()
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter_map(|kv| kv.strip_prefix("token="))
        .any(|t| same(t.as_bytes(), token.as_bytes()));
    if bearer.is_some_and(|b| same(b.as_bytes(), token.as_bytes())) || cookie {
        return next.run(request).await;
    }
    if query {
        let mut response = next.run(request).await;
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
        )) {
            response.headers_mut().insert(header::SET_COOKIE, v);
        }
        return response;
    }
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "this server needs its token: send `Authorization: Bearer TOKEN`, or open the page once with ?token=TOKEN",
    )
    .into_response()
}

async fn health(State(state): State<AppState>) -> axum::Json<Value> {
    axum::Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "queue": {"waiting": state.jobs.waiting(), "capacity": state.jobs.capacity()},
        "limits": {"body_bytes": MAX_BODY_BYTES, "threats": LIMITS.threats, "runs": LIMITS.runs,
            "trajectories": LIMITS.trajectories, "zones": LIMITS.zones},
    }))
}

async fn schema() -> ApiResult<axum::Json<Value>> {
    serde_json::to_value(skyshield_scenario::json_schema())
        .map(axum::Json)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

async fn list_library() -> axum::Json<Value> {
    axum::Json(json!(library()))
}

async fn library_file(UrlPath(file): UrlPath<String>) -> ApiResult<axum::Json<Value>> {
    let entry = library()
        .iter()
        .find(|e| e.file == file)
        .ok_or_else(|| ApiError::not_found("library scenario"))?;
    let text = library_text(&entry.file).ok_or_else(|| ApiError::not_found("library scenario"))?;
    let mut value = json!(entry);
    value["text"] = json!(text);
    Ok(axum::Json(value))
}

async fn list_uploads(State(state): State<AppState>) -> ApiResult<axum::Json<Value>> {
    Ok(axum::Json(json!(state.store.uploads()?)))
}

async fn get_upload(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<i64>,
) -> ApiResult<axum::Json<Value>> {
    let upload = state
        .store
        .upload(id)?
        .ok_or_else(|| ApiError::not_found("upload"))?;
    Ok(axum::Json(json!(upload)))
}

/// Scenario text and the files uploaded with it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioBody {
    /// Name of the file in diagnostics (default `scenario.yaml`).
    #[serde(default)]
    name: Option<String>,
    text: String,
    /// Files the scenario names (warning zones), by the name it writes.
    #[serde(default)]
    files: BTreeMap<String, String>,
}

/// Loads scenario text, reading only `files`, and lints it (`skyshield_scenario::lint`); 422
/// with every problem, among them a size over the server's [`LIMITS`].
fn load(name: &str, text: &str, files: &BTreeMap<String, String>) -> ApiResult<Checked> {
    let resolver: MemoryResolver = files.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    check_scenario(
        Source::Text {
            text,
            name: Path::new(name),
        },
        &resolver,
        catalog(),
        &LIMITS,
    )
    .map_err(|e| ApiError::invalid(&e.diagnostics()))
}

fn file_name(name: Option<&str>) -> String {
    name.filter(|n| !n.is_empty())
        .unwrap_or("scenario.yaml")
        .to_string()
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
}

async fn validate(body: Json<ScenarioBody>) -> ApiResult<axum::Json<Value>> {
    let axum::Json(body) = body?;
    blocking(move || {
        let name = file_name(body.name.as_deref());
        let Checked {
            scenario: s,
            warnings,
        } = load(&name, &body.text, &body.files)?;
        Ok(axum::Json(json!({
            "valid": true,
            "warnings": diagnostics_json(&warnings),
            "name": s.name,
            "runs": s.runs,
            "seed": s.seed,
            "threats": threat_count(&s),
            "kind": if s.as_layered().is_some() { "layered" } else { "abstract" },
            "campaign_days": s.campaign.as_ref().map(|c| c.days),
        })))
    })
    .await
}

async fn upload(
    State(state): State<AppState>,
    body: Json<ScenarioBody>,
) -> ApiResult<(StatusCode, axum::Json<Value>)> {
    let axum::Json(body) = body?;
    let store = Arc::clone(&state.store);
    blocking(move || {
        let name = file_name(body.name.as_deref());
        let s = load(&name, &body.text, &body.files)?.scenario;
        let id = store.insert_upload(&s.name, s.description.as_deref(), &body.text)?;
        let upload = store.upload(id)?.map(|mut u| {
            u.text = None;
            u
        });
        Ok((StatusCode::CREATED, axum::Json(json!(upload))))
    })
    .await
}

/// A run to start: a scenario (its text, a library file, or an upload) and the settings of
/// `skyshield run`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubmitBody {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    files: BTreeMap<String, String>,
    /// A file of the library (`GET /api/library`).
    #[serde(default)]
    library: Option<String>,
    /// An upload's id.
    #[serde(default)]
    upload: Option<i64>,
    #[serde(default)]
    runs: Option<u64>,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    nominal: bool,
    /// `nominal`, `chance`, `parameters` or `both`, as `skyshield run --uncertainty`.
    #[serde(default)]
    uncertainty: Option<Uncertainty>,
    /// Parameter sets of `parameters` and `both` (at least 2).
    #[serde(default)]
    parameter_sets: Option<u64>,
    /// Play the scenario's campaign day by day, as `skyshield campaign`.
    #[serde(default)]
    campaign: bool,
}

async fn submit(
    State(state): State<AppState>,
    body: Json<SubmitBody>,
) -> ApiResult<(StatusCode, HeaderMap, axum::Json<Value>)> {
    let axum::Json(body) = body?;
    let given = [
        body.text.is_some(),
        body.library.is_some(),
        body.upload.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "give exactly one of `text`, `library` or `upload`",
        ));
    }
    if let Some(runs) = body.runs
        && !(1..=LIMITS.runs).contains(&runs)
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("`runs` must be from 1 to {}, not {runs}", LIMITS.runs),
        ));
    }
    // The place in the queue is taken first: a full queue answers at once, without loading.
    let reservation = state.jobs.reserve().map_err(|full| ApiError {
        status: StatusCode::TOO_MANY_REQUESTS,
        body: json!({"error": format!(
            "the queue is full ({} runs waiting); try again later", full.capacity)}),
        retry_after: Some(RETRY_AFTER_S),
    })?;
    let store = Arc::clone(&state.store);
    let (name, text) = match (&body.text, &body.library, body.upload) {
        (Some(text), _, _) => (file_name(body.name.as_deref()), text.clone()),
        (_, Some(file), _) => (
            file.clone(),
            library_text(file)
                .filter(|_| library().iter().any(|e| &e.file == file))
                .ok_or_else(|| ApiError::not_found("library scenario"))?,
        ),
        (_, _, Some(id)) => {
            let upload = store
                .upload(id)?
                .ok_or_else(|| ApiError::not_found("upload"))?;
            (format!("upload-{id}.yaml"), upload.text.unwrap_or_default())
        }
        _ => unreachable!("exactly one source was checked above"),
    };
    if body.nominal && body.uncertainty.is_some() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "give `nominal` or `uncertainty`, not both (`nominal` is `uncertainty: chance`)",
        ));
    }
    let parameter_sets = body.parameter_sets.unwrap_or(DEFAULT_PARAMETER_SETS);
    if !(2..=MAX_PARAMETER_SETS).contains(&parameter_sets) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "`parameter_sets` must be from 2 to {MAX_PARAMETER_SETS}, not {parameter_sets}"
            ),
        ));
    }
    let uncertainty = body
        .uncertainty
        .or(body.nominal.then_some(Uncertainty::Chance));
    let files = body.files;
    let (runs, seed, nominal, campaign) = (body.runs, body.seed, body.nominal, body.campaign);
    let (Checked { scenario, warnings }, text, files) =
        blocking(move || Ok((load(&name, &text, &files)?, text, files))).await?;
    let options = RunOptions {
        runs: runs.unwrap_or(scenario.runs),
        seed: seed.unwrap_or(scenario.seed),
        nominal,
        uncertainty,
        parameter_sets,
        campaign,
    };
    if campaign {
        let Some(c) = &scenario.campaign else {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "the scenario has no `campaign` section: run it without `campaign`",
            ));
        };
        if options.runs.saturating_mul(u64::from(c.days)) > MAX_RUN_DAYS {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "{} runs of {} days are too many: at most {MAX_RUN_DAYS} run-days",
                    options.runs, c.days
                ),
            ));
        }
    }
    let id = store.insert_run(&scenario.name, &text, &json!(files), &options)?;
    reservation.enqueue(Job {
        id,
        scenario,
        text,
        options,
    });
    let mut record = json!(store.run(id)?);
    record["warnings"] = diagnostics_json(&warnings);
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/runs/{id}")) {
        headers.insert(header::LOCATION, v);
    }
    Ok((StatusCode::ACCEPTED, headers, axum::Json(record)))
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    #[serde(default)]
    limit: Option<u32>,
}

async fn list_runs(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult<axum::Json<Value>> {
    let limit = q.limit.unwrap_or(100).min(1000);
    Ok(axum::Json(json!(state.store.runs(limit)?)))
}

async fn get_run(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<i64>,
) -> ApiResult<axum::Json<Value>> {
    let run = state
        .store
        .run(id)?
        .ok_or_else(|| ApiError::not_found("run"))?;
    Ok(axum::Json(json!(run)))
}

/// Server-sent events `progress` (`{status, done, total}`) until the run is over; the last
/// event has its final status.
async fn run_events(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<i64>,
) -> ApiResult<Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>>> {
    let record = state
        .store
        .run(id)?
        .ok_or_else(|| ApiError::not_found("run"))?;
    let event = |p: Progress| -> Result<Event, Infallible> {
        Ok(Event::default()
            .event("progress")
            .data(json!(p).to_string()))
    };
    let stream: std::pin::Pin<Box<dyn tokio_stream::Stream<Item = _> + Send>> =
        match state.jobs.subscribe(id) {
            Some(rx) => Box::pin(WatchStream::new(rx).map(event)),
            None => Box::pin(tokio_stream::once(event(Progress {
                status: record.status,
                done: record.done,
                total: record.total,
            }))),
        };
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

async fn cancel_run(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<i64>,
) -> ApiResult<axum::Json<Value>> {
    let record = state
        .store
        .run(id)?
        .ok_or_else(|| ApiError::not_found("run"))?;
    if !state.jobs.cancel(id)? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!(
                "run {id} is {}: only a queued or running run can be cancelled",
                record.status.name()
            ),
        ));
    }
    get_run(State(state), UrlPath(id)).await
}

async fn delete_run(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<i64>,
) -> ApiResult<StatusCode> {
    let record = state
        .store
        .run(id)?
        .ok_or_else(|| ApiError::not_found("run"))?;
    if !record.status.is_over() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!(
                "run {id} is {}: cancel it before deleting it",
                record.status.name()
            ),
        ));
    }
    if let Some(Some(dir)) = state.store.delete(id)? {
        let _ = tokio::fs::remove_dir_all(dir).await;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The output folder of a finished run.
fn folder_of(state: &AppState, id: i64) -> ApiResult<PathBuf> {
    let record = state
        .store
        .run(id)?
        .ok_or_else(|| ApiError::not_found("run"))?;
    match (record.status, record.out_dir) {
        (Status::Finished, Some(dir)) => Ok(PathBuf::from(dir)),
        _ => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("run {id} has no outputs: it is {}", record.status.name()),
        )),
    }
}

/// A file of a run's output folder, by a name of [`SERVED_FILES`]; anything else is 404.
async fn run_file(
    State(state): State<AppState>,
    UrlPath((id, name)): UrlPath<(i64, String)>,
) -> ApiResult<Response> {
    let Some(&name) = SERVED_FILES.iter().find(|f| **f == name) else {
        return Err(ApiError::not_found("file"));
    };
    let path = folder_of(&state, id)?.join(name);
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|_| ApiError::not_found("file"))?;
    let media = match Path::new(name).extension().and_then(|e| e.to_str()) {
        Some("json" | "czml") => "application/json",
        Some("geojson") => "application/geo+json",
        Some("kml") => "application/vnd.google-earth.kml+xml",
        Some("yaml") => "text/yaml; charset=utf-8",
        _ => "application/vnd.apache.parquet",
    };
    Ok(([(header::CONTENT_TYPE, media)], Body::from(bytes)).into_response())
}

/// The stored scenario of a run, loaded again.
fn stored_scenario(state: &AppState, id: i64) -> ApiResult<(Scenario, RunOptions)> {
    let record = state
        .store
        .run(id)?
        .ok_or_else(|| ApiError::not_found("run"))?;
    let (text, files) = state
        .store
        .scenario_of(id)?
        .ok_or_else(|| ApiError::not_found("run"))?;
    let files: BTreeMap<String, String> = serde_json::from_value(files).unwrap_or_default();
    Ok((
        load(&format!("run-{id}.yaml"), &text, &files)?.scenario,
        record.options,
    ))
}

async fn run_layout(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<i64>,
) -> ApiResult<axum::Json<Value>> {
    blocking(move || {
        let (scenario, _) = stored_scenario(&state, id)?;
        layout_geojson(&scenario).map(axum::Json).ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "an abstract scenario has no geometry, so no map",
            )
        })
    })
    .await
}

#[derive(Debug, Deserialize)]
struct ReplayQuery {
    run: u64,
}

/// One run of a finished batch, replayed alone, as CZML (the document of `replay.czml`).
async fn run_replay(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<i64>,
    Query(q): Query<ReplayQuery>,
) -> ApiResult<axum::Json<Value>> {
    blocking(move || {
        folder_of(&state, id)?;
        let (scenario, options) = stored_scenario(&state, id)?;
        if q.run >= options.runs {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "run {} is out of range: the batch has runs 0 to {}",
                    q.run,
                    options.runs - 1
                ),
            ));
        }
        if scenario.as_layered().is_none() {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "an abstract scenario has no geometry, so no replay",
            ));
        }
        let prepared = prepare(&scenario)
            .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
        let replay = Replay::play(&prepared, options.seed, q.run, !options.nominal);
        replay_czml(&prepared, &replay)
            .map(axum::Json)
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
    })
    .await
}

async fn api_not_found() -> ApiError {
    ApiError::not_found("endpoint")
}

async fn index() -> Response {
    page_file(UrlPath("index.html".to_string())).await
}

/// A file of the page; 404 for any other path.
async fn page_file(UrlPath(path): UrlPath<String>) -> Response {
    match web_file(&path) {
        Some((bytes, media)) => {
            ([(header::CONTENT_TYPE, media)], Body::from(bytes)).into_response()
        }
        None => ApiError::not_found("page").into_response(),
    }
}
