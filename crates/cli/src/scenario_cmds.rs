//! `skyshield validate`, `skyshield schema` and `skyshield catalog`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use serde_json::{Value as Json, json};
use skyshield_scenario::{
    Catalog, CatalogEntry, FolderResolver, Source, Value, try_catalog, unit_of,
};

use crate::limits::ScenarioLimitArgs;
use crate::run::LintArgs;
use crate::{Format, InputError};

/// Arguments of `skyshield validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Scenario files to check.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub lints: LintArgs,
    #[command(flatten)]
    pub limits: ScenarioLimitArgs,
}

/// Arguments of `skyshield catalog`.
#[derive(Debug, clap::Args)]
pub struct CatalogArgs {
    /// What to print (default: `list`).
    #[command(subcommand)]
    pub action: Option<CatalogAction>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table, global = true)]
    pub format: Format,
}

/// What `skyshield catalog` prints.
#[derive(Debug, clap::Subcommand)]
pub enum CatalogAction {
    /// List every built-in type: id, kind, class and name.
    List,
    /// Show one type: every parameter with its range, unit and sources.
    Show {
        /// Catalog id of the type (`skyshield catalog list` shows them).
        id: String,
    },
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write to standard output")
        }
        _ => Ok(()),
    }
}

/// The built-in catalog; a catalog that does not parse is a fault of the program (exit 1).
fn built_in() -> anyhow::Result<&'static Catalog> {
    try_catalog().map_err(|e| anyhow::anyhow!("the built-in catalog does not parse:\n{e}"))
}

/// `skyshield validate FILE...`: `FILE: ok` on stdout for each valid file (its warnings on
/// stderr as `FILE:LINE:COL: warning: message`); otherwise every problem on stderr as
/// `FILE:LINE:COL: message`, and exit code 2 (for warnings too with `--deny-warnings`).
pub fn validate(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let catalog = built_in()?;
    let limits = args.limits.limits(None);
    let mut invalid_files = 0usize;
    let mut problems = 0usize;
    for path in &args.files {
        let checked = skyshield_scenario::check_scenario(
            Source::Path(path),
            &FolderResolver::for_scenario(path),
            catalog,
            &limits,
        );
        match checked {
            Ok(checked) => {
                let name = path.display().to_string();
                match args.lints.apply(&name, &checked.warnings) {
                    Ok(()) => emit(&format!("{name}: ok\n"))?,
                    Err(_) => {
                        invalid_files += 1;
                        problems += checked.warnings.len();
                    }
                }
            }
            Err(err) => {
                invalid_files += 1;
                let diagnostics = err.diagnostics();
                problems += diagnostics.len();
                let mut text = String::new();
                for d in &diagnostics {
                    let _ = writeln!(text, "{d}");
                }
                let mut stderr = std::io::stderr().lock();
                let _ = stderr.write_all(text.as_bytes());
            }
        }
    }
    if invalid_files == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    Err(InputError(format!(
        "{problems} problem{} in {invalid_files} of {} file{}",
        if problems == 1 { "" } else { "s" },
        args.files.len(),
        if args.files.len() == 1 { "" } else { "s" },
    ))
    .into())
}

/// `skyshield schema`: the JSON Schema of the scenario format on stdout.
pub fn schema() -> anyhow::Result<ExitCode> {
    let text = serde_json::to_string_pretty(&skyshield_scenario::json_schema())
        .context("cannot write the schema as JSON")?;
    emit(&format!("{text}\n"))?;
    Ok(ExitCode::SUCCESS)
}

/// `skyshield catalog [list | show ID] [--format table|json]`.
pub fn catalog(args: &CatalogArgs) -> anyhow::Result<ExitCode> {
    let catalog = built_in()?;
    let text = match &args.action {
        None | Some(CatalogAction::List) => match args.format {
            Format::Table => list_table(catalog),
            Format::Json => json_text(&list_json(catalog))?,
        },
        Some(CatalogAction::Show { id }) => {
            let entry = catalog.get(id).ok_or_else(|| {
                let hint = match catalog.suggestions(id).as_slice() {
                    [] => "`skyshield catalog list` shows every id".to_owned(),
                    [one] => format!("did you mean `{one}`?"),
                    [first @ .., last] => {
                        format!("did you mean `{}` or `{last}`?", first.join("`, `"))
                    }
                };
                InputError(format!("unknown catalog id `{id}`; {hint}"))
            })?;
            match args.format {
                Format::Table => show_table(entry),
                Format::Json => json_text(&show_json(entry))?,
            }
        }
    };
    emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn json_text(value: &Json) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value).context("cannot write JSON")? + "\n")
}

fn list_json(catalog: &Catalog) -> Json {
    Json::Array(
        catalog
            .entries()
            .map(|e| {
                json!({
                    "id": e.id,
                    "name": e.name,
                    "kind": e.kind().name(),
                    "class": e.class.name(),
                    "summary": e.summary,
                })
            })
            .collect(),
    )
}

fn list_table(catalog: &Catalog) -> String {
    let mut rows = vec![vec![
        "ID".to_owned(),
        "KIND".to_owned(),
        "CLASS".to_owned(),
        "NAME".to_owned(),
    ]];
    for e in catalog.entries() {
        rows.push(vec![
            e.id.clone(),
            e.kind().name().to_owned(),
            e.class.name().to_owned(),
            e.name.clone(),
        ]);
    }
    table(&rows)
}

fn number_json(x: Option<f64>) -> Json {
    x.map_or(Json::Null, Json::from)
}

fn show_json(e: &CatalogEntry) -> Json {
    let parameters: serde_json::Map<String, Json> = e
        .parameters
        .iter()
        .map(|(key, p)| {
            let unit = unit_of(key);
            let (nominal, low, high) = match &p.nominal {
                Value::Number(n) => (
                    Json::from(*n),
                    number_json(Some(p.low.unwrap_or(*n))),
                    number_json(Some(p.high.unwrap_or(*n))),
                ),
                Value::Bool(b) => (Json::Bool(*b), Json::Null, Json::Null),
                Value::Text(s) => (Json::String(s.clone()), Json::Null, Json::Null),
            };
            let citations: Vec<Json> = p
                .source
                .iter()
                .map(|s| Json::String(e.sources.get(s).cloned().unwrap_or_default()))
                .collect();
            (
                key.clone(),
                json!({
                    "nominal": nominal,
                    "low": low,
                    "high": high,
                    "unit": unit.symbol,
                    "source": p.source,
                    "citations": citations,
                    "note": p.note,
                }),
            )
        })
        .collect();
    json!({
        "id": e.id,
        "name": e.name,
        "kind": e.kind().name(),
        "class": e.class.name(),
        "summary": e.summary,
        "parameters": parameters,
        "sources": e.sources,
    })
}

fn show_table(e: &CatalogEntry) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", e.name, e.id);
    let _ = writeln!(out, "kind: {}, class: {}", e.kind().name(), e.class.name());
    for line in wrap(&e.summary, 96) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out);
    let mut rows = vec![
        ["PARAMETER", "NOMINAL", "LOW", "HIGH", "UNIT", "SOURCE"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for (key, p) in &e.parameters {
        let (low, high) = match p.nominal {
            Value::Number(n) => (
                p.low.unwrap_or(n).to_string(),
                p.high.unwrap_or(n).to_string(),
            ),
            _ => ("-".to_owned(), "-".to_owned()),
        };
        rows.push(vec![
            key.clone(),
            p.nominal.to_string(),
            low,
            high,
            unit_of(key).symbol.to_owned(),
            p.source.join(", "),
        ]);
    }
    out.push_str(&table(&rows));
    let notes: Vec<(&String, &String)> = e
        .parameters
        .iter()
        .filter_map(|(k, p)| p.note.as_ref().map(|n| (k, n)))
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(out, "\nNotes:");
        for (key, note) in notes {
            let mut lines = wrap(note, 92).into_iter();
            let _ = writeln!(out, "  {key}: {}", lines.next().unwrap_or_default());
            for line in lines {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    let _ = writeln!(out, "\nSources:");
    for (key, citation) in &e.sources {
        let mut lines = wrap(citation, 92).into_iter();
        let _ = writeln!(out, "  {key}: {}", lines.next().unwrap_or_default());
        for line in lines {
            let _ = writeln!(out, "    {line}");
        }
    }
    out
}

/// Rows as left-aligned columns separated by two spaces; the first row is the header.
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = widths[c] - cell.chars().count();
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// Words of `text` in lines of at most `width` characters (a longer word gets its own line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
