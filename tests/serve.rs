//! `fieldnote serve` end to end with the real OpenSSH client: a reviewer connects with
//! a generated key, sees the journal, leaves a comment that becomes a file (and, with
//! autocommit, a commit); a wrong key, password authentication and commands are refused.
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
        let mut child = Command::new(common::BIN)
            .arg("-J")
            .arg(journal)
            .args(["serve", "--listen", "127.0.0.1:0", "--review"])
            .arg("--authorized-keys")
            .arg(keys)
            .arg("--host-key")
            .arg(host_key)
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
    assert!(log.contains("refused: a command"), "{log}");
}
