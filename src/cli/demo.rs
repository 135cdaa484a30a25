use std::io::IsTerminal;

use super::args::{DemoArgs, Global};
use super::{CliError, CliResult};
use crate::store::locate::MARKER;

pub fn run(global: &Global, args: DemoArgs) -> CliResult {
    let dir = match args.dir {
        Some(d) => d,
        None => tempfile::Builder::new()
            .prefix("fieldnote-demo-")
            .tempdir()?
            .keep(),
    };
    if dir.join(MARKER).exists() {
        eprintln!(
            "{} already holds a journal: opening it as it is",
            dir.display()
        );
    } else if let Some(n) = args.entries {
        let started = std::time::Instant::now();
        let files = crate::demo::generate(&dir, n)?;
        eprintln!(
            "generated {n} entries ({files} files) in {} in {:.1} s",
            dir.display(),
            started.elapsed().as_secs_f64()
        );
    } else {
        crate::demo::write_sample(&dir).map_err(|e| {
            CliError::failed(format!("cannot write the demo to {}: {e}", dir.display()))
        })?;
    }
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if args.no_open || !interactive {
        println!("{}", dir.display());
        eprintln!(
            "The demo journal (fictional sample data) is in {}. Try:",
            dir.display()
        );
        eprintln!("  fieldnote -J {} list", dir.display());
        eprintln!(
            "  fieldnote -J {} list --code live --account cindymakeup",
            dir.display()
        );
        eprintln!("  fieldnote -J {} check", dir.display());
        eprintln!(
            "  fieldnote -J {}          (the terminal interface)",
            dir.display()
        );
        return Ok(());
    }
    let global = Global {
        journal: Some(dir),
        ..global.clone()
    };
    let opened = super::open_journal(&global)?;
    crate::tui::run_on_journal(opened, global.tui_mode())
}
