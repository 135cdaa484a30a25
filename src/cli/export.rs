//! `fieldnote export`: the selected entries (all filters of `list`) as a Markdown field
//! report, a CSV code matrix, JSON, a REFI-QDA project or codebook.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, ValueEnum};

use super::args::{FilterArgs, Global};
use super::list::build_filter;
use super::{CliError, CliResult, open_journal};
use crate::interop::export::{self, Export, Format, Images, relative_path};
use crate::store::write_atomic;

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    /// A field report for reading and pandoc
    Markdown,
    /// One row per entry, a 0/1 column per code
    Csv,
    /// The coded passages as CSV: one row per passage and code (`-o NAME.passages.csv`)
    Passages,
    /// The whole model (docs/export.md)
    Json,
    /// A REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder
    Qdpx,
    /// The codebook as a REFI-QDA codebook
    Qdc,
    /// One chart as an SVG figure (--chart NAME)
    Svg,
    /// A self-contained report to open in a browser
    Html,
}

/// The charts `--format svg` draws: those of the interface's charts screen.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ChartArg {
    /// Entries per week, a line per account
    Activity,
    /// The share of entries per month that carry --chart-code
    Share,
    /// Followers over time, a line per account
    Followers,
    /// Engagement per post, a line per account
    Engagement,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// The format (default: from the output's extension)
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<ExportFormat>,
    /// Where to write (default or `-`: standard output, for the text formats)
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Replace handles, display names and links by the accounts' pseudonyms, and check
    /// that no handle is left
    #[arg(long, alias = "pseudonymize")]
    pub pseudonymise: bool,
    /// With qdpx, for QualCoder: each account also a code of its entries that shares its
    /// case's guid, as NVivo writes cases (QualCoder links cases to sources only so)
    #[arg(long, visible_alias = "for-qualcoder")]
    pub cases_as_codes: bool,
    /// With --format svg: which chart
    #[arg(long, value_enum, default_value = "activity")]
    pub chart: ChartArg,
    /// With --chart share: the code whose share is drawn
    #[arg(long, value_name = "CODE")]
    pub chart_code: Option<String>,
}

impl ExportFormat {
    fn from_extension(path: &Path) -> Option<ExportFormat> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if name.ends_with(".passages.csv") {
            return Some(ExportFormat::Passages);
        }
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "md" | "markdown" => ExportFormat::Markdown,
            "csv" => ExportFormat::Csv,
            "json" => ExportFormat::Json,
            "qdpx" => ExportFormat::Qdpx,
            "qdc" => ExportFormat::Qdc,
            "svg" => ExportFormat::Svg,
            "html" | "htm" => ExportFormat::Html,
            _ => return None,
        })
    }

    fn format(self) -> Format {
        match self {
            ExportFormat::Markdown => Format::Markdown,
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Passages => Format::Passages,
            ExportFormat::Json => Format::Json,
            ExportFormat::Qdpx => Format::Qdpx,
            ExportFormat::Qdc => Format::Qdc,
            ExportFormat::Svg => Format::Svg,
            ExportFormat::Html => Format::Html,
        }
    }
}

pub fn run(global: &Global, args: ExportArgs) -> CliResult {
    let started = Instant::now();
    let output = args.output.filter(|p| p.as_os_str() != "-");
    let format = match (args.format, &output) {
        (Some(f), _) => f,
        (None, Some(path)) => ExportFormat::from_extension(path).ok_or_else(|| {
            CliError::usage(format!(
                "cannot tell the format from `{}`: add --format markdown|csv|passages|json|qdpx|qdc|svg|html",
                path.display()
            ))
        })?,
        (None, None) => {
            return Err(CliError::usage(
                "say what to write: --format markdown|csv|passages|json|qdpx|qdc|svg|html, or -o FILE with one of those extensions",
            ));
        }
    };
    if format == ExportFormat::Qdpx && output.is_none() {
        return Err(CliError::usage(
            "a .qdpx project is a zip file: give it a name with -o FILE.qdpx",
        ));
    }
    let opened = open_journal(global)?;
    let journal = &opened.journal;
    let root = opened.store.root();
    let filter = build_filter(journal, &args.filter)?;
    let selected = filter.apply(journal, None);
    let count = selected.len();
    let mut exported = Export::new(
        journal,
        root,
        selected,
        args.pseudonymise,
        filter.describe(&journal.settings.time_zone()),
    )
    .map_err(|e| CliError::failed(e.to_string()))?;
    exported.cases_as_codes = args.cases_as_codes;
    for note in exported.notes() {
        eprintln!("note: {}", crate::model::text::one_line(note));
    }
    let images = images(&output, root, args.pseudonymise)?;
    let working = super::progress::Progress::working("exporting");
    let result = if format == ExportFormat::Svg {
        chart(&exported, &filter, args.chart, args.chart_code.as_deref())
    } else if format == ExportFormat::Html {
        html_report(&exported, &filter)
    } else {
        export::write(&exported, format.format(), &images)
            .map_err(|e| CliError::failed(e.to_string()))
    };
    working.finish();
    let result = result?;
    for warning in &result.warnings {
        // Warnings quote screenshot paths from journal files: untrusted text.
        eprintln!("warning: {}", crate::model::text::one_line(warning));
    }
    let Some(path) = output else {
        use std::io::Write;
        let _ = std::io::stdout().lock().write_all(&result.bytes);
        return Ok(());
    };
    let dir = folder_of(&path);
    // Plain copies: the report, written last and atomically, is what refers to them.
    for (name, source) in &result.files {
        let target = dir.join(name);
        target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::copy(source, &target))
            .map_err(|e| CliError::failed(format!("{}: {e}", target.display())))?;
    }
    write_atomic(&path, &result.bytes)
        .map_err(|e| CliError::failed(format!("{}: {e}", path.display())))?;
    let what = if format == ExportFormat::Qdc {
        format!("the codebook ({} codes)", journal.codebook.codes.len())
    } else {
        crate::model::text::counted(count, "entry", "entries")
    };
    eprintln!(
        "wrote {what} as {} to {} ({} KB{}) in {:.2} s",
        format!("{format:?}").to_lowercase(),
        path.display(),
        result.bytes.len().div_ceil(1024),
        if result.files.is_empty() {
            String::new()
        } else {
            format!(", and {} screenshots beside it", result.files.len())
        },
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `--format html`: the report, its figures and charts over the exported entries.
fn html_report(
    exported: &Export,
    filter: &crate::analysis::Filter,
) -> Result<export::Output, CliError> {
    use crate::analysis::charts;
    let journal = &exported.journal;
    let selected = &exported.selected;
    let figures = crate::analysis::figures::figures_of(journal, filter, selected);
    let charts = [
        charts::activity(journal, filter, selected),
        charts::followers(journal, filter, selected),
        charts::engagement(journal, selected),
    ];
    let html = export::html::report(exported, &figures, &charts);
    exported
        .check("the HTML report", &html)
        .map_err(|e| CliError::failed(e.to_string()))?;
    Ok(export::Output {
        bytes: html.into_bytes(),
        ..Default::default()
    })
}

/// `--format svg`: the chart asked for, over the exported entries.
fn chart(
    exported: &Export,
    filter: &crate::analysis::Filter,
    which: ChartArg,
    chart_code: Option<&str>,
) -> Result<export::Output, CliError> {
    use crate::analysis::charts;
    let journal = &exported.journal;
    let selected = &exported.selected;
    let data = match which {
        ChartArg::Activity => charts::activity(journal, filter, selected),
        ChartArg::Followers => charts::followers(journal, filter, selected),
        ChartArg::Engagement => charts::engagement(journal, selected),
        ChartArg::Share => {
            let name = chart_code.ok_or_else(|| {
                CliError::usage("--chart share needs the code: --chart-code CODE")
            })?;
            let id = crate::analysis::names::resolve_code(journal, name)
                .map_err(|e| CliError::usage(e.to_string()))?;
            let code = journal
                .codebook
                .code(&id)
                .ok_or_else(|| CliError::usage(format!("unknown code `{id}`")))?;
            charts::code_share(journal, selected, code)
        }
    };
    if data.x.is_empty() {
        return Err(CliError::failed(
            "nothing to chart: the selection has no points for this chart",
        ));
    }
    let svg = export::svg::chart_svg(&data);
    exported
        .check("the SVG chart", &svg)
        .map_err(|e| CliError::failed(e.to_string()))?;
    Ok(export::Output {
        bytes: svg.into_bytes(),
        ..Default::default()
    })
}

/// The folder a file is written into (`.` for a bare name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Where a report's image links point: at the journal's files from the report's folder;
/// when pseudonymising (journal file names often hold handles) at neutrally named copies
/// beside the report, or nowhere when the report goes to standard output.
fn images(output: &Option<PathBuf>, root: &Path, pseudonymise: bool) -> Result<Images, CliError> {
    let cwd = std::env::current_dir()?;
    match (output, pseudonymise) {
        (Some(path), true) => {
            let stem = path
                .file_stem()
                .map_or("report".into(), |s| s.to_string_lossy().into_owned());
            Ok(Images::Copied(format!("{stem}-media")))
        }
        (None, true) => Ok(Images::CaptionsOnly),
        (output, false) => {
            let dir = output.as_deref().map_or(cwd.clone(), folder_of);
            let dir = absolute(&cwd, &dir);
            let root = absolute(&cwd, root);
            Ok(Images::Journal(relative_path(&dir, &root)))
        }
    }
}

/// `path` made absolute and, where it exists, free of symlinks and `..`.
fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let joined = cwd.join(path);
    std::fs::canonicalize(&joined).unwrap_or(joined)
}
