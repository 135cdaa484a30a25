//! `fieldnote serve` end to end with the real OpenSSH client: a reviewer connects with
//! a generated key, sees the journal, leaves a comment that becomes a file (and, with
//! autocommit, a commit); a wrong key, password authentication and commands are refused.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
#![cfg(feature = "serve")]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Long enough for a slow CI machine; only there so that a broken server cannot hang
/// the test run forever.
const PATIENCE: Duration = Duration::from_secs(60);

fn have(program: &str) -> bool {
    Command::new(program)
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

fn keygen(path: &Path, comment: &str) {
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok, "ssh-keygen failed");
}

/// The server, killed when the test ends; its stderr (the log) is collected.
struct Server {
    child: Child,
    port: u16,
    log: Arc<Mutex<Vec<u8>>>,
}

impl Server {
    fn start(journal: &Path, keys: &Path, host_key: &Path) -> Server {
        Server::start_with(journal, keys, host_key, &[], None)
    }

    /// With more arguments, and under an open-file limit (soft and hard) if given.
    fn start_with(
        journal: &Path,
        keys: &Path,
        host_key: &Path,
        more: &[&str],
        open_files: Option<u32>,
    ) -> Server {
        let mut command = match open_files {
            Some(n) => {
                let mut c = Command::new("sh");
                c.args(["-c", &format!("ulimit -n {n} && exec \"$0\" \"$@\"")])
                    .arg(common::BIN);
                c
            }
            None => Command::new(common::BIN),
        };
        let mut child = command
            .arg("-J")
            .arg(journal)
            .args(["serve", "--listen", "127.0.0.1:0", "--review"])
            .arg("--authorized-keys")
            .arg(keys)
            .arg("--host-key")
            .arg(host_key)
            .args(more)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = collect(child.stderr.take().unwrap());
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut port = None;
        let mut fingerprint = false;
        for line in lines.by_ref() {
            let line = line.unwrap();
            fingerprint |= line.starts_with("host key SHA256:");
            if let Some(addr) = line.strip_prefix("listening on ") {
                port = addr.rsplit(':').next().and_then(|p| p.parse().ok());
                break;
            }
        }
        assert!(fingerprint, "the host key's fingerprint is printed first");
        let port = port.unwrap_or_else(|| {
            panic!(
                "no port; log: {}",
                String::from_utf8_lossy(&log.lock().unwrap())
            )
        });
        // Keep draining stdout so the server never blocks on it.
        std::thread::spawn(move || for _ in lines {});
        Server { child, port, log }
    }

    fn ssh(&self, key: &Path) -> Command {
        let mut cmd = Command::new("ssh");
        cmd.arg("-i")
            .arg(key)
            .args(["-p", &self.port.to_string()])
            .args([
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "BatchMode=yes",
                "-o",
                "LogLevel=ERROR",
                "-o",
                "ConnectTimeout=30",
            ]);
        cmd
    }

    fn log(&self) -> String {
        String::from_utf8_lossy(&self.log.lock().unwrap()).into_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Everything `reader` gives, gathered by a thread as it comes.
fn collect(mut reader: impl Read + Send + 'static) -> Arc<Mutex<Vec<u8>>> {
    let bytes = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&bytes);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    bytes
}

/// Wait for `done` to hold, checking every few milliseconds, at most `PATIENCE`.
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < PATIENCE, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Run a command to its end, at most `PATIENCE`.
fn finish(mut cmd: Command) -> (bool, String) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (status.success(), err);
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("ssh did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn comment_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("comments")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() {
                stack.push(e.path());
            } else if name.ends_with(".toml") && !name.starts_with('.') {
                // Not the temporary file an atomic write renames into place.
                out.push(e.path());
            }
        }
    }
    out
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_reviewer_connects_with_plain_ssh_and_leaves_a_comment() {
    if !have("ssh") || !have("ssh-keygen") {
        eprintln!(
            "SKIPPED: the OpenSSH client (ssh, ssh-keygen) is not installed; .ci/run installs openssh-client"
        );
        return;
    }
    let j = common::TempJournal::demo();
    // The newest entry, shown first, holds text that would take over the reviewer's
    // terminal if it got through: a title (OSC), a clear screen, a C1 CSI, a bidi
    // override.
    j.write(
        "entries/2099/12/20991231-235959-0bad.toml",
        "id = \"20991231-235959-0bad\"\nobserved_at = 2099-12-31T23:59:59+07:00\n\
         accounts = [\"cindymakeup\"]\n\
         title = \"x\\u001b]2;PWNED\\u0007 \\u001b[2J \\u009b31m \\u202eevil\"\n\
         body = \"\\u001b[?1049l\\u001bP+q\\u001b\\\\ y\"\n",
    );
    let dir = tempfile::tempdir().unwrap();
    // With git, the journal autocommits: the reviewer's comment becomes a commit too.
    let with_git = git(&j.root, &["init", "-q"]).is_some();
    if with_git {
        let toml = j
            .read("journal.toml")
            .replace("autocommit = false", "autocommit = true");
        j.write("journal.toml", &toml);
        for args in [
            vec!["config", "user.name", "Ayu Lestari"],
            vec!["config", "user.email", "ayu@example.org"],
            vec!["add", "-A"],
            vec!["commit", "-q", "-m", "demo"],
        ] {
            git(&j.root, &args).expect("git");
        }
    }
    let key = dir.path().join("rina");
    let wrong = dir.path().join("stranger");
    keygen(&key, "Dr Rina");
    keygen(&wrong, "stranger");
    let keys = dir.path().join("authorized_keys");
    std::fs::copy(key.with_extension("pub"), &keys).unwrap();
    let host_key = dir.path().join("host_key");
    let server = Server::start(&j.root, &keys, &host_key);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&host_key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the host key is private");
    }

    // The reviewer's session: the first screen, a comment, quit.
    let started = Instant::now();
    let mut ssh = server
        .ssh(&key)
        .args(["-tt", "localhost"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let screen = collect(ssh.stdout.take().unwrap());
    let shown = |text: &str| String::from_utf8_lossy(&screen.lock().unwrap()).contains(text);
    wait_for("the first screen", || shown("All entries"));
    eprintln!(
        "SSH session start (connect, authenticate, first screen): {} ms",
        started.elapsed().as_millis()
    );
    assert!(shown("REVIEW as Dr Rina"));
    let before = comment_files(&j.root);
    let mut keys_in = ssh.stdin.take().unwrap();
    keys_in.write_all(b"c").unwrap();
    keys_in.flush().unwrap();
    wait_for("the comment editor", || shown("Comment on"));
    keys_in.write_all(b"Is this her wording?\x13").unwrap();
    keys_in.flush().unwrap();
    wait_for("the comment file", || {
        comment_files(&j.root).len() > before.len()
    });
    let new: Vec<_> = comment_files(&j.root)
        .into_iter()
        .filter(|p| !before.contains(p))
        .collect();
    assert_eq!(new.len(), 1);
    let text = std::fs::read_to_string(&new[0]).unwrap();
    assert!(text.contains("author = \"Dr Rina\""), "{text}");
    assert!(text.contains("Is this her wording?"));
    // An entry edit is refused in reviewer mode.
    keys_in.write_all(b"e").unwrap();
    keys_in.flush().unwrap();
    wait_for("the refusal", || shown("reviewer mode: only comments"));
    keys_in.write_all(b"q").unwrap();
    keys_in.flush().unwrap();
    let began = Instant::now();
    while ssh.try_wait().unwrap().is_none() {
        assert!(began.elapsed() < PATIENCE, "ssh did not end after q");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Everything the reviewer's terminal was sent: drawing, and nothing from the journal.
    common::assert_only_drawing(
        "the SSH session",
        &screen.lock().unwrap(),
        &["?1049h", "?1049l"],
    );
    assert!(shown("␛]2;PWNED"), "the escape is shown, not sent");
    if with_git {
        wait_for("the autocommit", || {
            git(&j.root, &["log", "-1", "--format=%an|%s"])
                .is_some_and(|l| l.starts_with("Dr Rina|comment on entry"))
        });
    }

    // A key not in the file, password authentication and a command are all refused.
    let (ok, err) = finish({
        let mut c = server.ssh(&wrong);
        c.args(["-tt", "localhost"]);
        c
    });
    assert!(!ok && err.contains("Permission denied"), "{err}");
    let (ok, err) = finish({
        let mut c = server.ssh(&wrong);
        c.args([
            "-o",
            "PreferredAuthentications=password,keyboard-interactive",
            "-o",
            "PubkeyAuthentication=no",
            "-tt",
            "localhost",
        ]);
        c
    });
    assert!(!ok && err.contains("Permission denied"), "{err}");
    let (ok, _) = finish({
        let mut c = server.ssh(&key);
        c.args(["localhost", "cat", "/etc/passwd"]);
        c
    });
    assert!(!ok, "commands are refused");

    wait_for("the log lines", || {
        server.log().matches("ended after").count() >= 4
    });
    let log = server.log();
    assert!(log.contains("authenticated as \"Dr Rina\""), "{log}");
    assert!(log.contains("127.0.0.1:"), "{log}");
    assert!(log.contains("refused: an unknown key"), "{log}");
    assert!(log.contains("refused a command"), "{log}");
    // Every line carries the time.
    assert!(
        log.lines()
            .all(|l| l.starts_with("20") && l.as_bytes().get(10) == Some(&b'T')),
        "{log}"
    );
}

/// A journal, a reviewer's key ("Dr Rina") in the keys file, and a folder for the rest.
struct Setup {
    journal: common::TempJournal,
    dir: tempfile::TempDir,
    key: PathBuf,
    keys: PathBuf,
    host_key: PathBuf,
}

fn setup() -> Option<Setup> {
    if !have("ssh") || !have("ssh-keygen") {
        eprintln!(
            "SKIPPED: the OpenSSH client (ssh, ssh-keygen) is not installed; .ci/run installs openssh-client"
        );
        return None;
    }
    let journal = common::TempJournal::demo();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("rina");
    keygen(&key, "Dr Rina");
    let keys = dir.path().join("authorized_keys");
    std::fs::copy(key.with_extension("pub"), &keys).unwrap();
    let host_key = dir.path().join("host_key");
    Some(Setup {
        journal,
        dir,
        key,
        keys,
        host_key,
    })
}

/// An interactive session: its screen as it comes, and its keyboard.
struct Reviewer {
    ssh: Child,
    screen: Arc<Mutex<Vec<u8>>>,
    keys: std::process::ChildStdin,
}

impl Reviewer {
    fn connect(mut cmd: Command) -> Reviewer {
        let mut ssh = cmd
            .args(["-tt", "localhost"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let screen = collect(ssh.stdout.take().unwrap());
        let keys = ssh.stdin.take().unwrap();
        Reviewer { ssh, screen, keys }
    }

    fn shown(&self, text: &str) -> bool {
        String::from_utf8_lossy(&self.screen.lock().unwrap()).contains(text)
    }

    fn wait_for(&self, text: &str) {
        wait_for(text, || self.shown(text));
    }

    fn press(&mut self, keys: &[u8]) {
        self.keys.write_all(keys).unwrap();
        self.keys.flush().unwrap();
    }

    /// `q`, then wait for ssh to end.
    fn quit(mut self) {
        self.press(b"q");
        wait_for("ssh to end after q", || {
            self.ssh.try_wait().unwrap().is_some()
        });
    }
}

impl Drop for Reviewer {
    fn drop(&mut self) {
        let _ = self.ssh.kill();
        let _ = self.ssh.wait();
    }
}

/// Open `count` TCP connections to `port` that never send a byte, from the loopback
/// addresses `from` gives (Linux routes all of 127.0.0.0/8 to the loopback).
fn idle_connections(
    port: u16,
    count: usize,
    from: impl Fn(usize) -> [u8; 4],
) -> Vec<tokio::net::TcpStream> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut held = Vec::new();
        for i in 0..count {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket
                .bind(std::net::SocketAddr::from((from(i), 0)))
                .unwrap();
            if let Ok(stream) = socket
                .connect(std::net::SocketAddr::from(([127, 0, 0, 1], port)))
                .await
            {
                held.push(stream);
            }
        }
        held
    })
}

fn alive(server: &mut Server) -> bool {
    server.child.try_wait().unwrap().is_none()
}

/// Bytes of the server's memory now (Linux), for the bound on a session's output.
fn resident_bytes(server: &Server) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn a_flood_of_idle_connections_under_a_low_open_file_limit_leaves_room_for_a_reviewer() {
    let Some(s) = setup() else { return };
    // 256 descriptors in all, soft and hard: a flood of 400 connections used to stop the
    // server for good with "Too many open files".
    let mut server = Server::start_with(&s.journal.root, &s.keys, &s.host_key, &[], Some(256));
    // Half from one address, half spread over a hundred addresses.
    let one = idle_connections(server.port, 200, |_| [127, 0, 0, 2]);
    let many = idle_connections(server.port, 200, |i| [127, 0, 0, 3 + (i % 100) as u8]);
    eprintln!("flood: {} connections opened", one.len() + many.len());
    wait_for("the refusals in the log", || {
        server.log().contains("refused a connection from 127.0.0.2")
    });
    assert!(alive(&mut server), "the server stopped: {}", server.log());
    // The reviewer still gets in, sees the journal and leaves cleanly.
    let reviewer = Reviewer::connect(server.ssh(&s.key));
    reviewer.wait_for("All entries");
    reviewer.quit();
    assert!(alive(&mut server), "the server stopped: {}", server.log());
    let log = server.log();
    assert!(
        log.contains("too many connections from one address"),
        "{log}"
    );
    assert!(!log.contains("Too many open files"), "{log}");
    drop((one, many));
}

#[test]
fn a_connection_that_never_authenticates_is_dropped_after_the_deadline() {
    let Some(s) = setup() else { return };
    let server = Server::start_with(
        &s.journal.root,
        &s.keys,
        &s.host_key,
        &["--auth-timeout", "1"],
        None,
    );
    let mut silent = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    silent.set_read_timeout(Some(PATIENCE)).unwrap();
    // The server's greeting, then nothing until it hangs up.
    let mut all = Vec::new();
    silent
        .read_to_end(&mut all)
        .expect("the server hangs up, well before the test's patience runs out");
    assert!(all.starts_with(b"SSH-2.0-"), "{all:?}");
    wait_for("the log line", || {
        server.log().contains("not authenticated ended after")
    });
}

#[test]
fn a_session_place_is_freed_when_its_session_ends_though_the_connection_stays() {
    let Some(s) = setup() else { return };
    let server = Server::start_with(
        &s.journal.root,
        &s.keys,
        &s.host_key,
        &["--max-sessions", "1"],
        None,
    );
    let control = s.dir.path().join("control");
    let master = |c: &mut Command| {
        c.args(["-o", "ControlMaster=auto", "-o", "ControlPersist=60", "-o"])
            .arg(format!("ControlPath={}", control.display()));
    };
    // The first reviewer goes through a ControlMaster that keeps the connection up.
    let mut cmd = server.ssh(&s.key);
    master(&mut cmd);
    let first = Reviewer::connect(cmd);
    first.wait_for("All entries");
    first.quit();
    // A second reviewer, on a connection of their own, gets the one place.
    let mut cmd = server.ssh(&s.key);
    cmd.args(["-o", "ControlPath=none"]);
    let second = Reviewer::connect(cmd);
    second.wait_for("All entries");
    second.quit();
    // And the first can come back through the connection it kept.
    let mut cmd = server.ssh(&s.key);
    master(&mut cmd);
    let again = Reviewer::connect(cmd);
    again.wait_for("All entries");
    again.quit();
    let mut cmd = server.ssh(&s.key);
    master(&mut cmd);
    cmd.args(["-O", "exit", "localhost"]);
    let _ = finish(cmd);
}

#[test]
fn a_client_that_stops_reading_holds_bounded_memory_and_is_dropped() {
    let Some(s) = setup() else { return };
    let server = Server::start_with(
        &s.journal.root,
        &s.keys,
        &s.host_key,
        &["--stall-seconds", "3"],
        None,
    );
    // Nobody reads what comes back: ssh's output goes into a pipe nobody reads, while
    // it keeps sending keys.
    let mut ssh = server
        .ssh(&s.key)
        .args(["-tt", "localhost"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut keys = ssh.stdin.take().unwrap();
    let before = resident_bytes(&server);
    // Keys a few at a time, so that each batch is drawn (keys that arrive together are
    // drawn once), until the server gives up on this client.
    let started = Instant::now();
    let mut presses = 0;
    while !server.log().contains("took nothing for 3 s") {
        assert!(
            started.elapsed() < PATIENCE,
            "the stalled connection was not dropped after {presses} keys: {}",
            server.log()
        );
        // The matrix and the timeline in turn: each a new screen, drawn whole.
        let key: &[u8] = if presses % 2 == 0 { b"m" } else { b"T" };
        if keys.write_all(key).and_then(|()| keys.flush()).is_ok() {
            presses += 1;
        }
        std::thread::sleep(Duration::from_millis(3));
    }
    eprintln!("{presses} keys sent before the server dropped the connection");
    if let (Some(before), Some(after)) = (before, resident_bytes(&server)) {
        eprintln!(
            "server memory: {} MB before, {} MB after the stalled session",
            before / (1 << 20),
            after / (1 << 20)
        );
        assert!(
            after < before + 64 * (1 << 20),
            "memory grew from {before} to {after} bytes"
        );
    }
    let _ = ssh.kill();
    let _ = ssh.wait();
}

#[test]
fn names_come_from_the_keys_file_never_from_the_client() {
    let Some(s) = setup() else { return };
    // A key without a comment, listed without a name.
    let nameless = s.dir.path().join("nameless");
    keygen(&nameless, "");
    let mut keys = std::fs::read_to_string(&s.keys).unwrap();
    keys.push_str(&std::fs::read_to_string(nameless.with_extension("pub")).unwrap());
    std::fs::write(&s.keys, keys).unwrap();
    let server = Server::start(&s.journal.root, &s.keys, &s.host_key);
    let before = comment_files(&s.journal.root);
    let mut cmd = server.ssh(&nameless);
    cmd.args(["-l", "Ayu Lestari"]);
    let mut reviewer = Reviewer::connect(cmd);
    reviewer.wait_for("All entries");
    assert!(!reviewer.shown("as Ayu Lestari"));
    reviewer.press(b"c");
    reviewer.wait_for("Comment on");
    reviewer.press(b"Who wrote this?\x13");
    wait_for("the comment file", || {
        comment_files(&s.journal.root).len() > before.len()
    });
    reviewer.quit();
    let new: Vec<_> = comment_files(&s.journal.root)
        .into_iter()
        .filter(|p| !before.contains(p))
        .collect();
    let text = std::fs::read_to_string(&new[0]).unwrap();
    assert!(!text.contains("Ayu"), "{text}");
    assert!(
        text.contains("author = \"reviewer with key SHA256:"),
        "{text}"
    );
    assert!(server.log().contains("the key has no name"));
}
