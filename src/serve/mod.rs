//! `fieldnote serve`: the journal's interface over SSH, for reviewers who need nothing
//! installed but `ssh`. Built on russh; each session runs the same `App`, `update` and
//! `ui::draw` as the local interface, on its own thread, drawing into its SSH channel
//! and reading keys parsed from the bytes the client sends.
//!
//! Only public keys from the authorized keys file get in. A session is read-only, or in
//! reviewer mode (`--review`) may write comments only, signed with the key's name.
//! Shells, commands, subsystems (sftp), agent and X11 forwarding and port forwarding are
//! all refused.

pub mod keys;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use russh::keys::HashAlg;
use russh::server::{Auth, ChannelOpenHandle, Handler, Msg, PublicKeyOffer, Session};
use russh::server::{Server as _, VerifiedPublicKey};
use russh::{Channel, ChannelId, ChannelOpenFailure, MethodKind, MethodSet, Pty};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use crate::tui::{self, Host, Mode, RemoteInput, term_input::InputParser};
use keys::Reviewer;

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

async fn serve(options: Options) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(&options.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let config = russh::server::Config {
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
    };
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
    let mut server = Server {
        shared: Arc::new(Shared {
            options,
            sessions: AtomicUsize::new(0),
        }),
    };
    server
        .run_on_socket(Arc::new(config), &listener)
        .await
        .map_err(|e| format!("the server stopped: {e}"))
}

struct Shared {
    options: Options,
    /// Sessions (interfaces) running now.
    sessions: AtomicUsize,
}

struct Server {
    shared: Arc<Shared>,
}

impl russh::server::Server for Server {
    type Handler = Connection;

    fn new_client(&mut self, peer: Option<SocketAddr>) -> Connection {
        Connection {
            shared: Arc::clone(&self.shared),
            peer: peer.map_or("unknown address".into(), |p| p.to_string()),
            who: None,
            started: Instant::now(),
            channel: None,
            pty: None,
            input: None,
            counted: false,
            refused: Vec::new(),
        }
    }
}

/// One SSH connection. Dropped when the connection ends, which logs it.
struct Connection {
    shared: Arc<Shared>,
    peer: String,
    /// The reviewer's name and key fingerprint, once authenticated.
    who: Option<(String, String)>,
    started: Instant,
    channel: Option<ChannelId>,
    pty: Option<(u16, u16)>,
    input: Option<std::sync::mpsc::Sender<RemoteInput>>,
    /// Holds one of the bounded session places.
    counted: bool,
    /// What was asked for and refused, for the log line.
    refused: Vec<&'static str>,
}

/// A line on stderr, with the time.
fn log(line: &str) {
    let now = crate::store::clock::now();
    let now = jiff::Timestamp::from_second(now.as_second()).unwrap_or(now);
    eprintln!("{now} {line}");
}

impl Connection {
    fn refuse(&mut self, what: &'static str) {
        if !self.refused.contains(&what) {
            self.refused.push(what);
        }
    }

    /// Tell the session's interface (if one runs) that its terminal is gone.
    fn end_session(&self) {
        if let Some(tx) = &self.input {
            let _ = tx.send(RemoteInput::Closed);
        }
    }

    fn find(&self, key: &russh::keys::PublicKey) -> Option<&Reviewer> {
        self.shared
            .options
            .reviewers
            .iter()
            .find(|r| r.key.key_data() == key.key_data())
    }

    /// Start the interface for this channel on its own thread.
    fn start_session(&mut self, channel: ChannelId, session: &mut Session) {
        let (width, height) = self.pty.unwrap_or((80, 24));
        let (in_tx, in_rx) = std::sync::mpsc::channel();
        self.input = Some(in_tx);
        let (out_tx, mut out_rx) = unbounded_channel::<Out>();
        let handle = session.handle();
        tokio::spawn(async move {
            while let Some(out) = out_rx.recv().await {
                match out {
                    Out::Data(bytes) => {
                        if handle.data(channel, bytes).await.is_err() {
                            break;
                        }
                    }
                    Out::Exit(code) => {
                        let _ = handle.exit_status_request(channel, code).await;
                        let _ = handle.eof(channel).await;
                        let _ = handle.close(channel).await;
                        break;
                    }
                }
            }
        });
        let options = &self.shared.options;
        let root = options.root.clone();
        let (mode, author) = match (&self.who, options.review) {
            (Some((name, _)), true) => (Mode::Review, name.clone()),
            (Some((name, _)), false) => (Mode::ReadOnly, name.clone()),
            (None, _) => (Mode::ReadOnly, String::new()),
        };
        let idle = options.idle;
        let spawned = std::thread::Builder::new()
            .name("fieldnote-session".into())
            .spawn(move || {
                let code =
                    match run_session(root, (width, height), in_rx, &out_tx, mode, author, idle) {
                        Ok(()) => 0,
                        Err(e) => {
                            let _ = out_tx
                                .send(Out::Data(format!("\r\nfieldnote: {e}\r\n").into_bytes()));
                            1
                        }
                    };
                let _ = out_tx.send(Out::Exit(code));
            });
        if let Err(e) = spawned {
            log(&format!("cannot start a session thread: {e}"));
        }
    }
}

/// What a session thread sends to its channel.
enum Out {
    Data(Vec<u8>),
    Exit(u32),
}

/// Bytes ratatui writes, sent to the channel on each flush (once per frame).
struct ChannelWriter {
    tx: UnboundedSender<Out>,
    buffer: Vec<u8>,
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::take(&mut self.buffer);
        self.tx
            .send(Out::Data(bytes))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "channel closed"))
    }
}

/// One reviewer's interface, until they quit, disconnect or stay idle too long.
fn run_session(
    root: PathBuf,
    size: (u16, u16),
    input: std::sync::mpsc::Receiver<RemoteInput>,
    out: &UnboundedSender<Out>,
    mode: Mode,
    author: String,
    idle: Duration,
) -> std::io::Result<()> {
    use ratatui::crossterm::{cursor, execute, terminal};
    let opened = crate::store::open(&root).map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut writer = ChannelWriter {
        tx: out.clone(),
        buffer: Vec::new(),
    };
    execute!(
        writer,
        terminal::EnterAlternateScreen,
        cursor::Hide,
        terminal::Clear(terminal::ClearType::All)
    )?;
    let size = tui::remote::RemoteSize::new(size.0, size.1);
    let terminal = tui::remote::remote_terminal(writer, size.clone())?;
    let session = tui::Session {
        mode,
        author,
        keymap: tui::keymap::Keymap::default(),
        theme: tui::theme::Theme { color: true },
        idle_limit: Some(idle),
    };
    let host = Host::Remote {
        input,
        parser: InputParser::new(),
        size,
    };
    let stop = AtomicBool::new(false);
    let result = tui::run(terminal, host, opened, session, &stop);
    let mut writer = ChannelWriter {
        tx: out.clone(),
        buffer: Vec::new(),
    };
    let _ = execute!(writer, cursor::Show, terminal::LeaveAlternateScreen);
    result
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.end_session();
        if self.counted {
            self.shared.sessions.fetch_sub(1, Ordering::SeqCst);
        }
        let who = match &self.who {
            Some((name, fp)) => format!("\"{}\" ({fp})", crate::model::text::one_line(name)),
            None => "not authenticated".into(),
        };
        let refused = if self.refused.is_empty() {
            String::new()
        } else {
            format!("; refused: {}", self.refused.join(", "))
        };
        log(&format!(
            "connection from {} as {who} ended after {:.1} s{refused}",
            self.peer,
            self.started.elapsed().as_secs_f64()
        ));
    }
}

impl Handler for Connection {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(Auth::reject())
    }

    async fn auth_password(&mut self, _user: &str, _password: &str) -> Result<Auth, Self::Error> {
        self.refuse("password authentication");
        Ok(Auth::reject())
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        _user: &str,
        _submethods: &str,
        _response: Option<russh::server::Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        self.refuse("keyboard-interactive authentication");
        Ok(Auth::reject())
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        if self.find(offer.public_key).is_some() {
            Ok(Auth::Accept)
        } else {
            self.refuse("an unknown key");
            Ok(Auth::reject())
        }
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        let Some(reviewer) = self.find(key.public_key) else {
            self.refuse("an unknown key");
            return Ok(Auth::reject());
        };
        let name = if reviewer.name.is_empty() {
            user.to_string()
        } else {
            reviewer.name.clone()
        };
        let fingerprint = reviewer.key.fingerprint(HashAlg::Sha256).to_string();
        log(&format!(
            "connection from {} authenticated as \"{}\" ({fingerprint})",
            self.peer,
            crate::model::text::one_line(&name)
        ));
        self.who = Some((name, fingerprint));
        Ok(Auth::Accept)
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel.is_some() {
            self.refuse("a second session on one connection");
            reply
                .reject(ChannelOpenFailure::AdministrativelyProhibited)
                .await;
            return Ok(());
        }
        let max = self.shared.options.max_sessions;
        let taken = self
            .shared
            .sessions
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < max).then_some(n + 1)
            });
        if taken.is_err() {
            self.refuse("a session (the server is full)");
            reply.reject(ChannelOpenFailure::ResourceShortage).await;
            return Ok(());
        }
        self.counted = true;
        self.channel = Some(channel.id());
        reply.accept().await;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel != Some(channel) {
            return session.channel_failure(channel);
        }
        self.pty = Some(size(col_width, row_height));
        session.channel_success(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel != Some(channel) || self.input.is_some() {
            return session.channel_failure(channel);
        }
        if self.pty.is_none() {
            session.channel_success(channel)?;
            session.data(
                channel,
                b"fieldnote shows a terminal interface: connect with `ssh -t`.\r\n".to_vec(),
            )?;
            session.exit_status_request(channel, 1)?;
            session.eof(channel)?;
            return session.close(channel);
        }
        session.channel_success(channel)?;
        self.start_session(channel, session);
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse("a command");
        session.channel_failure(channel)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse("a subsystem");
        session.channel_failure(channel)
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse("X11 forwarding");
        session.channel_failure(channel)
    }

    async fn agent_request(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.refuse("agent forwarding");
        Ok(false)
    }

    async fn tcpip_forward(
        &mut self,
        _address: &str,
        _port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.refuse("port forwarding");
        Ok(false)
    }

    async fn channel_open_direct_tcpip(
        &mut self,
        _channel: Channel<Msg>,
        _host_to_connect: &str,
        _port_to_connect: u32,
        _originator_address: &str,
        _originator_port: u32,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse("port forwarding");
        reply
            .reject(ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        _channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = &self.input {
            let (w, h) = size(col_width, row_height);
            let _ = tx.send(RemoteInput::Resize(w, h));
        }
        Ok(())
    }

    async fn data(
        &mut self,
        _channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = &self.input {
            let _ = tx.send(RemoteInput::Bytes(data.to_vec()));
        }
        Ok(())
    }

    /// The client will send no more keys: the session ends.
    async fn channel_eof(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.end_session();
        Ok(())
    }

    async fn channel_close(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.end_session();
        Ok(())
    }
}

/// A terminal size as the client says it, within what a screen can be. A client whose
/// input is not a terminal (`ssh -tt` fed by a pipe) says 0: then 80 × 24.
fn size(cols: u32, rows: u32) -> (u16, u16) {
    let pick = |n: u32, default: u16| {
        if n == 0 { default } else { n.min(1000) as u16 }
    };
    (pick(cols, 80), pick(rows, 24))
}
