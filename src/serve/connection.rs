//! One SSH connection: authentication by the keys file only, one interface session at a
//! time, and everything else refused and logged.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use russh::keys::HashAlg;
use russh::server::VerifiedPublicKey;
use russh::server::{Auth, ChannelOpenHandle, Handler, Msg, PublicKeyOffer, Session};
use russh::{Channel, ChannelId, ChannelOpenFailure, Pty};

use super::keys::Reviewer;
use super::limits::Ticket;
use super::session::{self, ConnectionKiller, Place};
use super::{Shared, log};
use crate::model::text::one_line;
use crate::tui::{Access, RemoteInput};

pub struct Connection {
    shared: Arc<Shared>,
    peer: String,
    /// This connection's place at the gate; given back when it ends.
    ticket: Ticket,
    /// Set once authenticated, for the handshake deadline watching from outside.
    authenticated: Arc<AtomicBool>,
    /// The reviewer's name and key fingerprint, once authenticated.
    who: Option<(String, String)>,
    started: Instant,
    /// The session channel, from its opening until its interface starts.
    opened: Option<Channel<Msg>>,
    channel: Option<ChannelId>,
    pty: Option<(u16, u16)>,
    /// Where the running interface's keys go.
    input: Option<std::sync::mpsc::SyncSender<RemoteInput>>,
    /// A session place, from the channel's opening until its interface takes it.
    place: Option<Place>,
    /// What was asked for and refused, for the log line at the end.
    refused: Vec<&'static str>,
}

impl Connection {
    pub fn new(
        shared: Arc<Shared>,
        peer: String,
        ticket: Ticket,
        authenticated: Arc<AtomicBool>,
    ) -> Connection {
        Connection {
            shared,
            peer,
            ticket,
            authenticated,
            who: None,
            started: Instant::now(),
            opened: None,
            channel: None,
            pty: None,
            input: None,
            place: None,
            refused: Vec::new(),
        }
    }

    /// Remember a refusal; the first of each kind is logged at once, all of them again
    /// when the connection ends.
    fn refuse(&mut self, what: &'static str) {
        if self.refused.contains(&what) {
            return;
        }
        self.refused.push(what);
        if self.who.is_some() {
            log(&format!(
                "connection from {} as {}: refused {what}",
                self.peer,
                self.describe_who()
            ));
        }
    }

    fn describe_who(&self) -> String {
        match &self.who {
            Some((name, fp)) => format!("\"{}\" ({fp})", one_line(name)),
            None => "not authenticated".into(),
        }
    }

    /// Tell the session's interface (if one runs) that its terminal is gone.
    fn end_session(&self) {
        if let Some(tx) = &self.input {
            let _ = tx.try_send(RemoteInput::Closed);
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
        let (Some(opened), Some(place)) = (self.opened.take(), self.place.take()) else {
            return;
        };
        let options = &self.shared.options;
        let (mode, author) = match (&self.who, options.review) {
            (Some((name, _)), true) => (Access::CommentsOnly, name.clone()),
            (Some((name, _)), false) => (Access::ReadOnly, name.clone()),
            (None, _) => (Access::ReadOnly, String::new()),
        };
        let start = session::Start {
            root: options.root.clone(),
            size: self.pty.unwrap_or((80, 24)),
            mode,
            author,
            idle: options.idle,
            stall: options.stall,
            place,
        };
        let handle = session.handle();
        let killer = ConnectionKiller(handle.clone());
        debug_assert_eq!(opened.id(), channel);
        self.input = Some(session::start(start, opened, handle, killer));
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.end_session();
        let refused = if self.refused.is_empty() {
            String::new()
        } else {
            format!("; refused: {}", self.refused.join(", "))
        };
        let line = format!(
            "connection from {} as {} ended after {:.1} s{refused}",
            self.peer,
            self.describe_who(),
            self.started.elapsed().as_secs_f64()
        );
        if self.who.is_some() {
            log(&line);
        } else {
            // Strangers' connections are logged sparingly: a flood must not fill the
            // disk through the log.
            self.shared.log_stranger(line);
        }
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

    /// The name comes from the keys file, never from the user name the client sends.
    async fn auth_publickey(
        &mut self,
        _user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        let Some(reviewer) = self.find(key.public_key) else {
            self.refuse("an unknown key");
            return Ok(Auth::reject());
        };
        let name = reviewer.name.clone();
        let fingerprint = reviewer.key.fingerprint(HashAlg::Sha256).to_string();
        if !self.ticket.authenticated() {
            // Its place went to a newer connection while it was authenticating.
            return Ok(Auth::reject());
        }
        self.authenticated.store(true, Ordering::SeqCst);
        log(&format!(
            "connection from {} authenticated as \"{}\" ({fingerprint})",
            self.peer,
            one_line(&name)
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
        let Some(place) = Place::take(&self.shared.sessions, self.shared.options.max_sessions)
        else {
            self.refuse("a session (the server is full)");
            reply.reject(ChannelOpenFailure::ResourceShortage).await;
            return Ok(());
        };
        self.place = Some(place);
        self.channel = Some(channel.id());
        self.opened = Some(channel);
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
        self.pty = Some(session::size(col_width, row_height));
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
            self.place = None;
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

    async fn env_request(
        &mut self,
        channel: ChannelId,
        _variable_name: &str,
        _variable_value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse("environment variables");
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

    async fn streamlocal_forward(
        &mut self,
        _socket_path: &str,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.refuse("socket forwarding");
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

    async fn channel_open_direct_streamlocal(
        &mut self,
        _channel: Channel<Msg>,
        _socket_path: &str,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse("socket forwarding");
        reply
            .reject(ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    /// Sizes go to the interface as they come; it draws once at the last one of a burst.
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
            let (w, h) = session::size(col_width, row_height);
            let _ = tx.try_send(RemoteInput::Resize(w, h));
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
            let _ = tx.try_send(RemoteInput::Bytes(data.to_vec()));
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

    /// The session is over: its place is free and the connection may open another
    /// (OpenSSH's ControlMaster keeps connections up between sessions).
    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel == Some(channel) {
            self.end_session();
            self.input = None;
            self.opened = None;
            self.place = None;
            self.channel = None;
            self.pty = None;
        }
        Ok(())
    }
}
