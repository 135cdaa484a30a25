//! What keeps a stranger from stopping the server: every connection holds a ticket from
//! the [`Gate`] until it ends. Connections that have not authenticated yet are few, few
//! per source address, and when there is no room the oldest of them makes way for the
//! newcomer, so a flood of idle connections can hold the door for seconds at most, never
//! shut it. All connections together stay below the open-file limit with headroom
//! ([`Budget`]), so `accept` never fails for lack of descriptors.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// Descriptors kept free for the process itself: the listener, the runtime, stdio,
/// the journal files a session reads and the git commands it runs.
const RESERVED_DESCRIPTORS: u64 = 64;
/// Descriptors one running interface may hold at once: journal files being read or
/// written, the folder watcher, a git command's pipes.
const DESCRIPTORS_PER_SESSION: u64 = 16;
/// No reviewers' server needs more connections than this, whatever the limit allows.
const MOST_CONNECTIONS: u64 = 512;
/// Connections still in their handshake or authentication, in all.
const MOST_UNAUTHENTICATED: usize = 32;
/// ... and from one source address.
const MOST_UNAUTHENTICATED_PER_ADDRESS: usize = 8;

/// How many connections the server takes, given the open-file limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Connections of any kind at once (one descriptor each).
    pub connections: usize,
    /// Of those, not yet authenticated.
    pub unauthenticated: usize,
    /// Not yet authenticated, from one address.
    pub per_address: usize,
}

impl Budget {
    /// The budget under an open-file limit of `open_files` with `sessions` interfaces
    /// running at most; `None` when the limit leaves no room for even a few connections.
    pub fn for_limit(open_files: u64, sessions: usize) -> Option<Budget> {
        let kept = RESERVED_DESCRIPTORS + DESCRIPTORS_PER_SESSION * sessions as u64;
        let connections = open_files.saturating_sub(kept).min(MOST_CONNECTIONS) as usize;
        if connections < 4 {
            return None;
        }
        let unauthenticated = MOST_UNAUTHENTICATED.min(connections / 2);
        Some(Budget {
            connections,
            unauthenticated,
            per_address: MOST_UNAUTHENTICATED_PER_ADDRESS.min(unauthenticated),
        })
    }
}

/// Raise this process's soft open-file limit to its hard limit (as far as the system
/// lets it) and return the limit in force.
#[cfg(unix)]
pub fn raise_open_file_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1024;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    #[allow(clippy::unnecessary_cast)] // rlim_t is u64 on Linux, not everywhere
    let current = limit.rlim_cur as u64;
    current
}

#[cfg(not(unix))]
pub fn raise_open_file_limit() -> u64 {
    // Windows has no such per-process descriptor limit for sockets.
    MOST_CONNECTIONS + RESERVED_DESCRIPTORS
}

/// Why a connection was turned away at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Every place, authenticated ones included, is taken.
    Full,
    /// This address already has its share of connections that have not authenticated.
    TooManyFromAddress,
}

impl Refusal {
    pub fn describe(self) -> &'static str {
        match self {
            Refusal::Full => "the server is at its connection limit",
            Refusal::TooManyFromAddress => {
                "too many connections from one address that have not authenticated"
            }
        }
    }
}

/// A connection that has not authenticated yet.
struct Waiting {
    id: u64,
    address: IpAddr,
    since: Instant,
    /// Told when this connection must make way.
    evict: Arc<Notify>,
}

#[derive(Default)]
struct State {
    waiting: Vec<Waiting>,
    authenticated: usize,
}

/// Admission of connections; see the module's comment.
pub struct Gate {
    budget: Budget,
    state: Mutex<State>,
    next_id: AtomicU64,
}

impl Gate {
    pub fn new(budget: Budget) -> Arc<Gate> {
        Arc::new(Gate {
            budget,
            state: Mutex::new(State::default()),
            next_id: AtomicU64::new(0),
        })
    }

    pub fn budget(&self) -> Budget {
        self.budget
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A ticket for a new connection from `address`, or why not. When the places for
    /// unauthenticated connections are all taken, the oldest one is told to go.
    pub fn admit(self: &Arc<Gate>, address: IpAddr) -> Result<Ticket, Refusal> {
        let mut state = self.state();
        let from_address = state
            .waiting
            .iter()
            .filter(|w| w.address == address)
            .count();
        if from_address >= self.budget.per_address {
            return Err(Refusal::TooManyFromAddress);
        }
        let total = state.waiting.len() + state.authenticated;
        if state.waiting.len() >= self.budget.unauthenticated || total >= self.budget.connections {
            if state.waiting.is_empty() {
                return Err(Refusal::Full);
            }
            let oldest = state
                .waiting
                .iter()
                .enumerate()
                .min_by_key(|(_, w)| w.since)
                .map(|(i, _)| i)
                .unwrap_or(0);
            let gone = state.waiting.swap_remove(oldest);
            gone.evict.notify_one();
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let evict = Arc::new(Notify::new());
        state.waiting.push(Waiting {
            id,
            address,
            since: Instant::now(),
            evict: Arc::clone(&evict),
        });
        Ok(Ticket {
            gate: Arc::clone(self),
            id,
            evict,
            authenticated: false,
        })
    }

    /// Connections held now: (not yet authenticated, authenticated).
    pub fn held(&self) -> (usize, usize) {
        let state = self.state();
        (state.waiting.len(), state.authenticated)
    }

    /// Unauthenticated connections held now, by address (for the log).
    pub fn waiting_by_address(&self) -> HashMap<IpAddr, usize> {
        let mut counts = HashMap::new();
        for w in &self.state().waiting {
            *counts.entry(w.address).or_insert(0) += 1;
        }
        counts
    }
}

/// One connection's place; given back when dropped.
pub struct Ticket {
    gate: Arc<Gate>,
    id: u64,
    evict: Arc<Notify>,
    authenticated: bool,
}

impl Ticket {
    /// Resolves when the gate needs this connection's place for a newer one.
    pub fn evicted(&self) -> Arc<Notify> {
        Arc::clone(&self.evict)
    }

    /// The connection authenticated: it no longer counts against the handshake places
    /// and can no longer be evicted. `false` when it had been evicted already.
    pub fn authenticated(&mut self) -> bool {
        if self.authenticated {
            return true;
        }
        let mut state = self.gate.state();
        let Some(at) = state.waiting.iter().position(|w| w.id == self.id) else {
            return false;
        };
        state.waiting.swap_remove(at);
        state.authenticated += 1;
        self.authenticated = true;
        true
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut state = self.gate.state();
        if self.authenticated {
            state.authenticated -= 1;
        } else if let Some(at) = state.waiting.iter().position(|w| w.id == self.id) {
            state.waiting.swap_remove(at);
        }
    }
}

/// Log lines about refused connections: at most `burst` in each `every`, counting the
/// rest, so that a flood cannot fill the disk through the log.
pub struct RefusalLog {
    every: Duration,
    burst: usize,
    window: Option<Instant>,
    logged: usize,
    quiet: usize,
}

impl RefusalLog {
    pub fn new(every: Duration, burst: usize) -> RefusalLog {
        RefusalLog {
            every,
            burst,
            window: None,
            logged: 0,
            quiet: 0,
        }
    }

    /// The line to log for this refusal now, if one is due.
    pub fn note(&mut self, line: String) -> Option<String> {
        if self.window.is_none_or(|t| t.elapsed() >= self.every) {
            self.window = Some(Instant::now());
            self.logged = 0;
        }
        if self.logged >= self.burst {
            self.quiet += 1;
            return None;
        }
        self.logged += 1;
        let quiet = std::mem::take(&mut self.quiet);
        Some(if quiet == 0 {
            line
        } else {
            format!("{line} (and {quiet} more like it, not logged)")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(last: u8) -> IpAddr {
        IpAddr::from([127, 0, 0, last])
    }

    fn small() -> Budget {
        Budget {
            connections: 6,
            unauthenticated: 4,
            per_address: 2,
        }
    }

    #[test]
    fn a_budget_leaves_room_below_the_open_file_limit() {
        let b = Budget::for_limit(256, 8).unwrap();
        assert!(b.connections as u64 + 64 + 8 * 16 <= 256, "{b:?}");
        assert_eq!(b.unauthenticated, 32);
        assert_eq!(b.per_address, 8);
        assert_eq!(Budget::for_limit(1 << 20, 8).unwrap().connections, 512);
        assert_eq!(Budget::for_limit(100, 8), None);
    }

    #[test]
    fn one_address_gets_only_its_share() {
        let gate = Gate::new(small());
        let _a = gate.admit(address(2)).unwrap();
        let _b = gate.admit(address(2)).unwrap();
        assert_eq!(
            gate.admit(address(2)).err(),
            Some(Refusal::TooManyFromAddress)
        );
        assert!(gate.admit(address(1)).is_ok());
    }

    #[test]
    fn the_oldest_waiting_connection_makes_way_for_a_newcomer() {
        let gate = Gate::new(small());
        let first = gate.admit(address(2)).unwrap();
        let gone = first.evicted();
        let _others: Vec<Ticket> = [2, 3, 3]
            .iter()
            .map(|&a| gate.admit(address(a)).unwrap())
            .collect();
        assert_eq!(gate.held(), (4, 0));
        let _newcomer = gate.admit(address(1)).unwrap();
        assert_eq!(gate.held(), (4, 0));
        // The notification was stored for the first connection, and its place is gone:
        // it can no longer authenticate.
        let mut first = first;
        assert!(!first.authenticated());
        drop(gone);
        drop(first);
        assert_eq!(gate.held(), (4, 0));
    }

    #[test]
    fn authenticated_connections_leave_the_handshake_places() {
        let gate = Gate::new(small());
        let mut a = gate.admit(address(2)).unwrap();
        assert!(a.authenticated());
        assert_eq!(gate.held(), (0, 1));
        drop(a);
        assert_eq!(gate.held(), (0, 0));
    }

    #[test]
    fn when_every_place_is_authenticated_newcomers_are_refused() {
        let gate = Gate::new(Budget {
            connections: 2,
            unauthenticated: 2,
            per_address: 2,
        });
        let mut held = Vec::new();
        for _ in 0..2 {
            let mut t = gate.admit(address(1)).unwrap();
            assert!(t.authenticated());
            held.push(t);
        }
        assert_eq!(gate.admit(address(2)).err(), Some(Refusal::Full));
    }

    #[test]
    fn refusals_are_logged_sparingly() {
        let mut log = RefusalLog::new(Duration::from_secs(3600), 2);
        assert_eq!(log.note("a".into()).as_deref(), Some("a"));
        assert_eq!(log.note("b".into()).as_deref(), Some("b"));
        assert_eq!(log.note("c".into()), None);
        assert_eq!(log.note("d".into()), None);
        log.window = Some(Instant::now() - Duration::from_secs(7200));
        assert_eq!(
            log.note("e".into()).as_deref(),
            Some("e (and 2 more like it, not logged)")
        );
    }
}
