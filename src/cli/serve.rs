//! `fieldnote serve`: check the journal, keys and host key, then hand over to the server.

use clap::Args;
use std::path::PathBuf;
use std::time::Duration;

use super::args::Global;
use super::{CliError, CliResult, find_root};
use crate::serve::keys::{self, load_or_create_host_key, parse_authorized_keys};

#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on
    #[arg(long, default_value = "127.0.0.1:2222", value_name = "ADDR:PORT")]
    pub listen: String,
    /// OpenSSH authorized_keys file: the reviewers' public keys
    #[arg(long, value_name = "FILE")]
    pub authorized_keys: PathBuf,
    /// The server's private key (made on first run, ed25519; default: in the data folder)
    #[arg(long, value_name = "FILE")]
    pub host_key: Option<PathBuf>,
    /// At most this many sessions at once
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub max_sessions: usize,
    /// End a session after this many minutes without a key press
    #[arg(long, default_value_t = 30, value_name = "MINUTES")]
    pub idle_minutes: u64,
    /// Drop a connection that has not authenticated this many seconds after it opened
    #[arg(long, default_value_t = 20, value_name = "SECONDS")]
    pub auth_timeout: u64,
    /// Drop a session whose terminal has taken no output for this many seconds (tests)
    #[arg(long, default_value_t = 60, value_name = "SECONDS", hide = true)]
    pub stall_seconds: u64,
}

pub fn run(global: &Global, args: ServeArgs) -> CliResult {
    let root = find_root(global)?;
    // Open it once here, so a journal that is not one fails now and not per connection.
    crate::store::open(&root)?;
    let text = std::fs::read_to_string(&args.authorized_keys)
        .map_err(|e| CliError::failed(format!("{}: {e}", args.authorized_keys.display())))?;
    let (reviewers, problems) = parse_authorized_keys(&text);
    for p in &problems {
        crate::serve::log(&format!("warning: {}: {p}", args.authorized_keys.display()));
    }
    if reviewers.is_empty() {
        return Err(CliError::failed(format!(
            "{} holds no usable public key: nobody could connect\n  hint: one line per reviewer, as in ~/.ssh/authorized_keys: `ssh-ed25519 AAAA… Reviewer Name`",
            args.authorized_keys.display()
        )));
    }
    let host_key_path = match args.host_key {
        Some(p) => p,
        None => keys::default_host_key_path().ok_or_else(|| {
            CliError::failed("no data folder for the host key: give one with --host-key FILE")
        })?,
    };
    let (host_key, made) = load_or_create_host_key(&host_key_path).map_err(CliError::failed)?;
    let fingerprint = host_key
        .public_key()
        .fingerprint(russh::keys::HashAlg::Sha256);
    println!(
        "host key {fingerprint} ({}{})",
        host_key_path.display(),
        if made { ", made now" } else { "" }
    );
    if global.read_only && global.review {
        return Err(CliError::usage(
            "--read-only and --review contradict each other: choose one",
        ));
    }
    let options = crate::serve::Options {
        root,
        listen: args.listen,
        reviewers,
        host_key,
        review: global.review,
        max_sessions: args.max_sessions.max(1),
        idle: Duration::from_secs(args.idle_minutes.max(1) * 60),
        auth_timeout: Duration::from_secs(args.auth_timeout.max(1)),
        stall: Duration::from_secs(args.stall_seconds.max(1)),
    };
    crate::serve::run(options).map_err(CliError::failed)
}
