//! Where keys come from: this process's terminal, or the bytes of an SSH channel.

use std::collections::VecDeque;
use std::io;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use ratatui::crossterm::event::{self, Event};

use super::term_input::InputParser;

use super::remote;

/// Input from a terminal at the other end of a connection (an SSH channel).
#[derive(Debug)]
pub enum RemoteInput {
    Bytes(Vec<u8>),
    Resize(u16, u16),
    /// The connection is gone.
    Closed,
}

/// Where keys come from and what the machine may do for the user.
pub enum Host {
    /// This process's own terminal: crossterm reads keys; `$EDITOR`, the system viewer
    /// and drafts are available.
    Local,
    /// A remote terminal: keys are parsed from the bytes received; nothing runs on the
    /// server on the user's behalf.
    Remote {
        input: Receiver<RemoteInput>,
        parser: InputParser,
        /// Shared with the terminal's backend, which draws at this size.
        size: remote::RemoteSize,
    },
}

/// What the next wait brought.
pub(super) enum Next {
    Event(Event),
    Nothing,
    Closed,
}

impl Host {
    pub(super) fn is_local(&self) -> bool {
        matches!(self, Host::Local)
    }

    pub(super) fn next(
        &mut self,
        timeout: Duration,
        queued: &mut VecDeque<Event>,
    ) -> io::Result<Next> {
        if let Some(e) = queued.pop_front() {
            return Ok(Next::Event(e));
        }
        match self {
            Host::Local => {
                if event::poll(timeout)? {
                    Ok(Next::Event(event::read()?))
                } else {
                    Ok(Next::Nothing)
                }
            }
            Host::Remote {
                input,
                parser,
                size,
            } => {
                let got = if timeout.is_zero() {
                    input.try_recv().map_err(|e| match e {
                        std::sync::mpsc::TryRecvError::Empty => RecvTimeoutError::Timeout,
                        std::sync::mpsc::TryRecvError::Disconnected => {
                            RecvTimeoutError::Disconnected
                        }
                    })
                } else {
                    input.recv_timeout(timeout)
                };
                match got {
                    Ok(RemoteInput::Bytes(bytes)) => {
                        queued.extend(parser.feed(&bytes).into_iter().map(Event::Key));
                        Ok(queued.pop_front().map_or(Next::Nothing, Next::Event))
                    }
                    Ok(RemoteInput::Resize(w, h)) => {
                        size.set(w, h);
                        Ok(Next::Event(Event::Resize(w, h)))
                    }
                    Ok(RemoteInput::Closed) | Err(RecvTimeoutError::Disconnected) => {
                        Ok(Next::Closed)
                    }
                    Err(RecvTimeoutError::Timeout) => Ok(Next::Nothing),
                }
            }
        }
    }
}
