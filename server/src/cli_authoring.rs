//! `qiquan test [DIR]`: runs the case tables in `DIR/cases/` (TOML or CSV) against the rules in
//! `DIR`, prints failures explained and coverage by rule element, and with `--bless` or
//! `--generate` writes the tables. All the logic and every sentence: `qiquan::authoring`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use qiquan::authoring::{self, TableFile, TestOptions};
use qiquan::{Engine, Error, ErrorCode};

#[derive(clap::Args)]
pub(crate) struct TestArgs {
    /// The rules directory; its case tables are in DIR/cases/ (<matter>.toml, <matter>.csv).
    #[arg(default_value = "rules")]
    dir: PathBuf,
    /// Only this matter.
    #[arg(long)]
    matter: Option<String>,
    /// Write the engine's current answers into the cases' expectations (review the diff).
    #[arg(long)]
    bless: bool,
    /// Append one minimal case per uncovered rule element (a new table for a matter without
    /// one), its expectations the engine's answer: review each.
    #[arg(long)]
    generate: bool,
    /// Fail (exit 1) when any matter's element coverage is below this percentage.
    #[arg(long)]
    min_coverage: Option<f64>,
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::new(
        ErrorCode::Io,
        "无法读写案例表。",
        "Cannot read or write a case table.",
    )
    .at(path.display().to_string())
    .detail(e.to_string())
}

/// The case tables of `cases`, sorted by path.
fn read_tables(cases: &Path) -> Result<Vec<TableFile>, Error> {
    let Ok(entries) = std::fs::read_dir(cases) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "csv"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
            Ok(TableFile {
                path: path.display().to_string(),
                text,
            })
        })
        .collect()
}

/// Runs the command: the report to print and the exit status.
pub(crate) fn run(args: TestArgs) -> Result<(String, ExitCode), Error> {
    let sources = qiquan::read_rules_dir(&args.dir)?;
    let engine = Engine::from_sources(&sources)?;
    let cases = args.dir.join("cases");
    let tables = read_tables(&cases)?;
    let options = TestOptions {
        bless: args.bless,
        generate: args.generate,
        matter: args.matter,
        cases_dir: cases.display().to_string(),
        rules_dir: args.dir.display().to_string(),
    };
    let report = authoring::test(&engine, &sources, &tables, &options);
    for (path, text) in &report.writes {
        let path = Path::new(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::write(path, text).map_err(|e| io(path, e))?;
    }
    let text = authoring::render(&report, &sources, &options.rules_dir);
    let below = args
        .min_coverage
        .is_some_and(|min| report.min_coverage() + 1e-9 < min);
    let failed = report.failed() > 0 || report.errors() > 0 || below;
    let code = if failed && !args.bless {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    Ok((text, code))
}

#[derive(clap::Args)]
pub(crate) struct ExplainArgs {
    #[arg(long)]
    matter: String,
    /// Submission JSON file, or - for standard input.
    #[arg(long)]
    submission: PathBuf,
    /// Options JSON file (`received_at`, `channel` override the submission's).
    #[arg(long)]
    options: Option<PathBuf>,
    /// Load rules from this directory instead of the built-in bundle.
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Print the trace as JSON.
    #[arg(long)]
    json: bool,
}

fn read_text(path: &Path) -> Result<String, Error> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut text)
            .map_err(|e| io(path, e))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| io(path, e))
}

/// `qiquan explain`: the ordered trace of one check, as text (zh, then en) or JSON.
pub(crate) fn explain(args: ExplainArgs) -> Result<String, Error> {
    let engine = match &args.rules {
        Some(dir) => Engine::from_dir(dir)?,
        None => Engine::embedded()?.clone(),
    };
    let submission = read_text(&args.submission)?;
    let options = args.options.as_deref().map(read_text).transpose()?;
    let (matter, options) = (args.matter.as_str(), options.as_deref());
    if args.json {
        authoring::explain::explain_json(&engine, matter, &submission, options)
    } else {
        authoring::explain::explain_text(&engine, matter, &submission, options)
    }
}

#[derive(clap::Args)]
pub(crate) struct DiffArgs {
    /// The old version's rule file.
    old: PathBuf,
    /// The new version's rule file.
    new: PathBuf,
    /// The case tables to replay (default: RULES/cases).
    #[arg(long)]
    cases: Option<PathBuf>,
    /// The rules directory (the calendar, the other matters).
    #[arg(long, default_value = "rules")]
    rules: PathBuf,
}

/// `qiquan diff OLD NEW`: the changes in applicant terms, the case tables replayed under both
/// versions, and the enumeration.
pub(crate) fn diff(args: DiffArgs) -> Result<String, Error> {
    let sources = qiquan::read_rules_dir(&args.rules)?;
    let file = |path: &Path| -> Result<qiquan::SourceFile, Error> {
        Ok(qiquan::SourceFile {
            path: path.display().to_string(),
            text: std::fs::read_to_string(path).map_err(|e| io(path, e))?,
        })
    };
    let (old, new) = (file(&args.old)?, file(&args.new)?);
    let cases = args.cases.unwrap_or_else(|| args.rules.join("cases"));
    let tables = read_tables(&cases)?;
    let report = authoring::diff::diff(&sources, &old, &new, &tables)?;
    Ok(authoring::diff::render(&report))
}
