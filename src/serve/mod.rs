//! `fieldnote serve`: the journal's interface over SSH, for reviewers who need nothing
//! installed but `ssh`. Built on russh; each session runs the same `App`, `update` and
//! `ui::draw` as the local interface, on its own thread, drawing into its SSH channel
//! and reading keys parsed from the bytes the client sends.
//!
//! Only public keys from the authorized keys file get in. A session is read-only, or in
//! reviewer mode (`--review`) may write comments only, signed with the key's name.
//! Shells, commands, subsystems (sftp), agent and X11 forwarding and port forwarding are
//! all refused.

pub mod connection;
pub mod keys;
pub mod limits;
pub mod session;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use russh::{MethodKind, MethodSet};
use tokio::net::{TcpListener, TcpStream};

use connection::Connection;
use keys::Reviewer;
use limits::{Budget, Gate, RefusalLog, Ticket};

/// What `fieldnote serve` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub listen: String,
    pub reviewers: Vec<Reviewer>,
    pub host_key: russh::keys::PrivateKey,
    pub review: bool,
    pub max_sessions: usize,
    pub idle: Duration,
    /// A connection must have authenticated this soon after it was accepted.
    pub auth_timeout: Duration,
    /// A session whose terminal takes no output for this long is dropped.
    pub stall: Duration,
}

/// Serve until the process is stopped. Prints where it listens once it does.
pub fn run(options: Options) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server's runtime: {e}"))?;
    runtime.block_on(serve(options))
}

/// Lines about refused, failed or unauthenticated connections: at most this many ...
const REFUSALS_LOGGED: usize = 20;
/// ... in this long.
const REFUSALS_LOGGED_EVERY: Duration = Duration::from_secs(10);

async fn serve(options: Options) -> Result<(), String> {
    let open_files = limits::raise_open_file_limit();
    let budget = Budget::for_limit(open_files, options.max_sessions).ok_or_else(|| {
        format!(
            "the open-file limit ({open_files}) leaves no room for connections beside {} sessions\n  hint: raise it (`ulimit -n 4096`) or lower --max-sessions",
            options.max_sessions
        )
    })?;
    let listener = TcpListener::bind(&options.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let config = Arc::new(russh::server::Config {
        methods: MethodSet::from(&[MethodKind::PublicKey][..]),
        keys: vec![options.host_key.clone()],
        auth_rejection_time: Duration::from_millis(500),
        auth_rejection_time_initial: Some(Duration::ZERO),
        max_auth_attempts: 6,
        // The session ends itself after `idle` without keys; this only collects
        // connections that went silent underneath (a laptop closed mid-session).
        inactivity_timeout: Some(options.idle + Duration::from_secs(60)),
        keepalive_interval: Some(Duration::from_secs(30)),
        keepalive_max: 3,
        nodelay: true,
        ..Default::default()
    });
    print_banner(&options, local, budget, open_files);
    let shared = Arc::new(Shared {
        options,
        sessions: Arc::new(AtomicUsize::new(0)),
        gate: Gate::new(budget),
        strangers: Mutex::new(RefusalLog::new(REFUSALS_LOGGED_EVERY, REFUSALS_LOGGED)),
    });
    accept_forever(listener, config, shared).await
}

fn print_banner(options: &Options, local: SocketAddr, budget: Budget, open_files: u64) {
    let mode = if options.review {
        "reviewer mode: comments only"
    } else {
        "read-only"
    };
    println!("listening on {local}");
    println!(
        "serving {} ({mode}) to {} authorized key{}; at most {} sessions, idle timeout {} min",
        options.root.display(),
        options.reviewers.len(),
        if options.reviewers.len() == 1 {
            ""
        } else {
            "s"
        },
        options.max_sessions,
        options.idle.as_secs() / 60
    );
    println!(
        "at most {} connections ({} authenticating, {} per address), {} s to authenticate; open-file limit {open_files}",
        budget.connections,
        budget.unauthenticated,
        budget.per_address,
        options.auth_timeout.as_secs()
    );
}

/// Take connections until the process is stopped. Nothing a client does ends this
/// loop: a refused connection is closed at once, and a failed `accept` (out of
/// descriptors, say) is retried after a pause instead of stopping the server.
async fn accept_forever(
    listener: TcpListener,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
) -> Result<(), String> {
    let mut refusals = RefusalLog::new(REFUSALS_LOGGED_EVERY, REFUSALS_LOGGED);
    let mut failures = RefusalLog::new(REFUSALS_LOGGED_EVERY, REFUSALS_LOGGED);
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => match shared.gate.admit(peer.ip()) {
                Ok(ticket) => {
                    tokio::spawn(connection(
                        stream,
                        peer,
                        ticket,
                        Arc::clone(&config),
                        Arc::clone(&shared),
                    ));
                }
                Err(why) => {
                    drop(stream);
                    let (waiting, authenticated) = shared.gate.held();
                    let line = format!(
                        "refused a connection from {peer}: {} ({waiting} authenticating, {authenticated} authenticated)",
                        why.describe()
                    );
                    if let Some(line) = refusals.note(line) {
                        log(&line);
                    }
                }
            },
            Err(e) => {
                if let Some(line) = failures.note(format!("cannot accept a connection: {e}")) {
                    log(&line);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// One connection, from its first byte to its end. Until it authenticates it may be
/// told to make way for a newer one, and it gets `auth_timeout` in all.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    ticket: Ticket,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
) {
    let _ = stream.set_nodelay(true);
    let evicted = ticket.evicted();
    let authenticated = Arc::new(AtomicBool::new(false));
    let deadline = tokio::time::sleep(shared.options.auth_timeout);
    tokio::pin!(deadline);
    let handler = Connection::new(
        Arc::clone(&shared),
        peer.to_string(),
        ticket,
        Arc::clone(&authenticated),
    );
    // The handshake: a client that sends nothing is dropped with the future.
    let session = tokio::select! {
        session = russh::server::run_stream(config, stream, handler) => match session {
            Ok(session) => session,
            Err(_) => return,
        },
        _ = evicted.notified() => return,
        _ = &mut deadline => return,
    };
    let handle = session.handle();
    tokio::pin!(session);
    let why = loop {
        let waiting = !authenticated.load(Ordering::SeqCst);
        tokio::select! {
            _ = &mut session => return,
            _ = &mut deadline, if waiting => {
                if !authenticated.load(Ordering::SeqCst) {
                    break "authentication took too long";
                }
            }
            _ = evicted.notified(), if waiting => {
                if !authenticated.load(Ordering::SeqCst) {
                    break "the server is busy";
                }
            }
        }
    };
    let _ = handle
        .disconnect(russh::Disconnect::ByApplication, why.into(), String::new())
        .await;
    let _ = tokio::time::timeout(Duration::from_secs(5), session).await;
}

pub struct Shared {
    options: Options,
    /// The places of running interfaces (`--max-sessions`).
    sessions: Arc<AtomicUsize>,
    gate: Arc<Gate>,
    /// Lines about connections that never authenticated, logged sparingly.
    strangers: Mutex<RefusalLog>,
}

impl Shared {
    fn log_stranger(&self, line: String) {
        let mut strangers = self.strangers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(line) = strangers.note(line) {
            log(&line);
        }
    }
}

/// A line on stderr, with the time: every line the server logs goes through here.
pub fn log(line: &str) {
    let now = crate::store::clock::now();
    let now = jiff::Timestamp::from_second(now.as_second()).unwrap_or(now);
    eprintln!("{now} {line}");
}
