//! One reviewer's interface: the same `App`, `update` and `ui::draw` as the local
//! interface, on its own thread, drawing into the SSH channel and reading keys parsed
//! from the bytes the client sends.
//!
//! Output is bounded. Frames go to the channel through a queue of a few frames, and the
//! channel is written only as fast as the client's SSH window allows. A client that
//! stops reading fills the window, then the queue, and the interface pauses; when the
//! client has taken nothing for `--stall-seconds` (a minute), the connection is dropped.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use russh::server::Handle;
use russh::{Channel, ChannelId};
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

use super::log;
use crate::tui::{self, Access, Host, RemoteInput, term_input::InputParser};

/// The largest terminal a session draws: larger requests are drawn at this size. It
/// bounds the memory of a session (two screen buffers and a frame in flight).
pub const MOST_COLUMNS: u16 = 500;
pub const MOST_ROWS: u16 = 200;
/// Frames waiting for the client at most; the interface pauses while they wait.
const QUEUED_FRAMES: usize = 4;
/// Pieces of input waiting for the interface at most.
const QUEUED_INPUTS: usize = 256;

/// A terminal size as the client says it, within what a session draws. A client whose
/// input is not a terminal (`ssh -tt` fed by a pipe) says 0: then 80 × 24.
pub fn size(cols: u32, rows: u32) -> (u16, u16) {
    let pick = |n: u32, default: u16, most: u16| {
        if n == 0 {
            default
        } else {
            n.min(u32::from(most)) as u16
        }
    };
    (pick(cols, 80, MOST_COLUMNS), pick(rows, 24, MOST_ROWS))
}

/// What the interface thread sends to its channel.
enum Out {
    Data(Vec<u8>),
    Exit(u32),
}

/// Everything a session needs to start, gathered by the connection.
pub struct Start {
    pub root: PathBuf,
    pub size: (u16, u16),
    pub mode: Access,
    pub author: String,
    pub idle: Duration,
    /// How long a terminal may take no output before the connection is dropped.
    pub stall: Duration,
    /// The session place; given back when the interface ends.
    pub place: Place,
}

/// Start the interface for `channel` on its own thread; returns where its keys go.
pub fn start(
    start: Start,
    channel: Channel<russh::server::Msg>,
    handle: Handle,
    connection: ConnectionKiller,
) -> std::sync::mpsc::SyncSender<RemoteInput> {
    // Keys wait here while the interface is paused; beyond this many, they are dropped
    // rather than held without bound.
    let (in_tx, in_rx) = std::sync::mpsc::sync_channel(QUEUED_INPUTS);
    let (out_tx, out_rx) = mpsc::channel::<Out>(QUEUED_FRAMES);
    let id = channel.id();
    let writer = channel.make_writer();
    // The channel also hears what the client sends; the connection's handler acts on
    // it, so this copy is only drained (else russh would wait on it).
    let mut channel = channel;
    tokio::spawn(async move { while channel.wait().await.is_some() {} });
    tokio::spawn(forward(out_rx, writer, handle, id, connection, start.stall));
    let spawned = std::thread::Builder::new()
        .name("fieldnote-session".into())
        .spawn(move || {
            let Start {
                root,
                size,
                mode,
                author,
                idle,
                place,
                ..
            } = start;
            let code = match run(root, size, in_rx, &out_tx, mode, author, idle) {
                Ok(()) => 0,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 1,
                Err(e) => {
                    let message = format!("\r\nfieldnote: {e}\r\n").into_bytes();
                    let _ = out_tx.try_send(Out::Data(message));
                    1
                }
            };
            // The place is free as soon as the interface ends, whether or not the
            // connection stays up (ControlMaster keeps it for the next session).
            drop(place);
            let _ = out_tx.blocking_send(Out::Exit(code));
        });
    if let Err(e) = spawned {
        log(&format!("cannot start a session thread: {e}"));
    }
    in_tx
}

/// Ends a whole connection, from the session side.
#[derive(Clone)]
pub struct ConnectionKiller(pub Handle);

impl ConnectionKiller {
    async fn kill(&self, why: &str) {
        let _ = self
            .0
            .disconnect(russh::Disconnect::ByApplication, why.into(), String::new())
            .await;
    }
}

/// Carry frames to the client at the pace its window allows; give up on a client that
/// takes nothing for `stall`.
async fn forward(
    mut frames: mpsc::Receiver<Out>,
    mut writer: impl tokio::io::AsyncWrite + Unpin,
    handle: Handle,
    channel: ChannelId,
    connection: ConnectionKiller,
    stall: Duration,
) {
    while let Some(out) = frames.recv().await {
        match out {
            Out::Data(bytes) => {
                let written = tokio::time::timeout(stall, async {
                    writer.write_all(&bytes).await?;
                    writer.flush().await
                })
                .await;
                match written {
                    Ok(Ok(())) => {}
                    Ok(Err(_)) => return,
                    Err(_) => {
                        log(&format!(
                            "a session's terminal took nothing for {} s: its connection is dropped",
                            stall.as_secs()
                        ));
                        drop(frames);
                        connection.kill("the terminal stopped reading").await;
                        return;
                    }
                }
            }
            Out::Exit(code) => {
                let _ = handle.exit_status_request(channel, code).await;
                let _ = handle.eof(channel).await;
                let _ = handle.close(channel).await;
                return;
            }
        }
    }
}

/// Bytes ratatui writes, queued for the channel on each flush (once per frame). The
/// queue is short: when it is full the interface waits, which is the pause.
struct ChannelWriter {
    tx: mpsc::Sender<Out>,
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
            .blocking_send(Out::Data(bytes))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "channel closed"))
    }
}

/// One reviewer's interface, until they quit, disconnect or stay idle too long.
fn run(
    root: PathBuf,
    size: (u16, u16),
    input: std::sync::mpsc::Receiver<RemoteInput>,
    out: &mpsc::Sender<Out>,
    mode: Access,
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
        keymap_problems: Vec::new(),
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

/// One of the `--max-sessions` places, held by a running interface.
pub struct Place {
    sessions: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Place {
    /// A place, if fewer than `most` are taken.
    pub fn take(
        sessions: &std::sync::Arc<std::sync::atomic::AtomicUsize>,
        most: usize,
    ) -> Option<Place> {
        use std::sync::atomic::Ordering;
        sessions
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < most).then_some(n + 1)
            })
            .ok()?;
        Some(Place {
            sessions: std::sync::Arc::clone(sessions),
        })
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        self.sessions
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_capped_and_zero_means_the_classic_terminal() {
        assert_eq!(size(0, 0), (80, 24));
        assert_eq!(size(1000, 1000), (MOST_COLUMNS, MOST_ROWS));
        assert_eq!(size(u32::MAX, 30), (MOST_COLUMNS, 30));
        assert_eq!(size(120, 40), (120, 40));
    }

    #[test]
    fn places_are_given_back() {
        let sessions = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let a = Place::take(&sessions, 1).unwrap();
        assert!(Place::take(&sessions, 1).is_none());
        drop(a);
        assert!(Place::take(&sessions, 1).is_some());
    }
}
