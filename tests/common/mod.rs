//! Helpers shared by the end-to-end tests: temporary journals and running the binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_fieldnote");

/// A temporary folder that holds a journal at `root`.
pub struct TempJournal {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl TempJournal {
    /// The built-in demo journal, without its git history (tests of git make their own
    /// repositories with a private configuration).
    pub fn demo() -> TempJournal {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("demo");
        let out = run_in(
            dir.path(),
            &["demo", root.to_str().unwrap(), "--no-open", "--no-git"],
            None,
        );
        assert!(out.status.success(), "demo failed: {}", stderr(&out));
        TempJournal { _dir: dir, root }
    }

    /// A fresh journal from `fieldnote init`, time zone Asia/Jakarta.
    pub fn init() -> TempJournal {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("j");
        let args = [
            "init",
            root.to_str().unwrap(),
            "--no-git",
            "--timezone",
            "Asia/Jakarta",
            "--title",
            "Test",
        ];
        let out = run_in(dir.path(), &args, None);
        assert!(out.status.success(), "init failed: {}", stderr(&out));
        TempJournal { _dir: dir, root }
    }

    /// Run `fieldnote -J ROOT args...`.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, None)
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut full = vec!["-J", self.root.to_str().unwrap()];
        full.extend_from_slice(args);
        run_in(&self.root, &full, stdin)
    }

    /// Run and insist on success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "fieldnote {args:?} failed:\n{}",
            stderr(&out)
        );
        stdout(&out)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Every file under the journal with its bytes, to compare before and after.
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out.sort();
        out
    }
}

fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for item in std::fs::read_dir(dir).unwrap().flatten() {
        let p = item.path();
        // The load cache (and drafts) are not journal content: opening writes the cache.
        if item.file_name() == ".fieldnote" {
            continue;
        }
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
}

pub fn run_in(cwd: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    run_with_env(cwd, args, stdin, &[])
}

/// `run_in` with extra environment variables (a private git configuration, say).
pub fn run_with_env(
    cwd: &Path,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> Output {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(cwd)
        .env_remove("FIELDNOTE_JOURNAL")
        .env("EDITOR", "false")
        .env_remove("VISUAL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes()).unwrap();
    }
    drop(pipe);
    child.wait_with_output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A writer whose bytes a test reads afterwards (what a remote terminal was sent).
#[derive(Clone, Default)]
pub struct Captured(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The interface on the journal at `root` as an SSH session runs it: a 100 × 30 remote
/// terminal drawing into `screen`, keys from `input`, until the input says `Closed`.
pub fn run_remote(
    root: &Path,
    mode: fieldnote::tui::Access,
    author: &str,
    screen: impl std::io::Write,
    input: std::sync::mpsc::Receiver<fieldnote::tui::RemoteInput>,
) -> std::io::Result<()> {
    use fieldnote::tui::{Host, Session, keymap::Keymap, remote, term_input::InputParser};
    let opened = fieldnote::store::open(root).unwrap();
    let size = remote::RemoteSize::new(100, 30);
    let terminal = remote::remote_terminal(screen, size.clone())?;
    let session = Session {
        mode,
        author: author.to_string(),
        keymap: Keymap::default(),
        theme: fieldnote::tui::theme::Theme { color: true },
        idle_limit: None,
        keymap_problems: Vec::new(),
    };
    let host = Host::Remote {
        input,
        parser: InputParser::new(),
        size,
    };
    let stop = std::sync::atomic::AtomicBool::new(false);
    fieldnote::tui::run(terminal, host, opened, session, &stop)
}

/// The escape sequences in what was sent to a terminal, and the text around them. Every
/// ESC must start a CSI sequence (`ESC [` parameters, final byte): an OSC, DCS or any
/// other escape can only have come from a journal's text, and fails the test.
pub fn split_escapes(bytes: &[u8]) -> (Vec<String>, String) {
    let mut sequences = Vec::new();
    let mut text = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != 0x1b {
            text.push(bytes[i]);
            i += 1;
            continue;
        }
        let context = String::from_utf8_lossy(&bytes[i..(i + 40).min(bytes.len())]);
        assert_eq!(
            bytes.get(i + 1),
            Some(&b'['),
            "an escape that is not a CSI reached the terminal: {context:?}"
        );
        let mut end = i + 2;
        while end < bytes.len() && (0x20..0x40).contains(&bytes[end]) {
            end += 1;
        }
        assert!(
            end < bytes.len() && (0x40..0x7f).contains(&bytes[end]),
            "an unfinished escape: {context:?}"
        );
        sequences.push(String::from_utf8_lossy(&bytes[i + 2..=end]).into_owned());
        i = end + 1;
    }
    (sequences, String::from_utf8_lossy(&text).into_owned())
}

/// What drawing sends: cursor moves (`H`), colours and attributes (`m`), clearing (`J`,
/// `K`), hiding and showing the cursor, and `extra` (the alternate screen, for a whole
/// session). Anything else (a title, a mode, a scroll region) did not come from drawing.
pub fn assert_only_drawing(what: &str, bytes: &[u8], extra: &[&str]) {
    let (sequences, text) = split_escapes(bytes);
    for seq in &sequences {
        let final_byte = seq.chars().last().unwrap();
        let modes = ["?25l", "?25h"];
        assert!(
            matches!(final_byte, 'H' | 'm' | 'J' | 'K')
                || modes.contains(&seq.as_str())
                || extra.contains(&seq.as_str()),
            "{what}: the sequence ESC [{seq} did not come from drawing"
        );
    }
    let bad: Vec<String> = text
        .chars()
        .filter(|&c| fieldnote::model::text::is_unsafe(c))
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    assert!(bad.is_empty(), "{what} lets {bad:?} through");
}

/// A PNG whose header says `width` × `height` RGBA pixels, with almost no data: what a
/// hostile or broken file can claim in a few dozen bytes.
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = 0xffff_ffffu32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        let body = [kind, data].concat();
        png.extend((data.len() as u32).to_be_bytes());
        png.extend(&body);
        png.extend(crc32(&body).to_be_bytes());
    };
    let mut header = width.to_be_bytes().to_vec();
    header.extend(height.to_be_bytes());
    header.extend([8, 6, 0, 0, 0]);
    chunk(b"IHDR", &header);
    chunk(b"IDAT", &[0x78, 0x9c]);
    chunk(b"IEND", &[]);
    png
}
