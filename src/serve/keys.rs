//! The keys of `fieldnote serve`: the reviewers' public keys from an OpenSSH
//! authorized_keys file, and the server's own ed25519 host key, made on first run.

use std::io::Write;
use std::path::{Path, PathBuf};

use russh::keys::ssh_key::LineEnding;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{HashAlg, PrivateKey, PublicKey};

/// One authorized key and the name comments written with it are signed with.
#[derive(Debug, Clone)]
pub struct Reviewer {
    /// From `name="…"` before the key, else the key's comment, else the key's short
    /// fingerprint. Never the user name a client sends: anyone can send any.
    pub name: String,
    pub key: PublicKey,
}

impl Reviewer {
    pub fn fingerprint(&self) -> String {
        self.key.fingerprint(HashAlg::Sha256).to_string()
    }
}

/// Read an authorized_keys file. A line that cannot be used is reported and skipped —
/// including lines with OpenSSH options (`from=`, `command=`, …) this server does not
/// enforce, so that no key gets in with less restriction than its line asks for.
pub fn parse_authorized_keys(text: &str) -> (Vec<Reviewer>, Vec<String>) {
    let mut keys = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(line) {
            Ok(r) => {
                if r.name.starts_with(UNNAMED) {
                    problems.push(format!(
                        "line {}: the key has no name (no comment, no name=\"...\"); its comments are signed \"{}\"",
                        n + 1,
                        r.name
                    ));
                }
                keys.push(r);
            }
            Err(e) => problems.push(format!("line {}: {e}; this key is not accepted", n + 1)),
        }
    }
    (keys, problems)
}

fn parse_line(line: &str) -> Result<Reviewer, String> {
    let first = line.split_whitespace().next().unwrap_or("");
    let (options, key_text) = if is_key_type(first) {
        ("", line)
    } else {
        split_options(line)
    };
    let mut name = None;
    for option in split_unquoted(options, ',') {
        match option.split_once('=') {
            Some(("name", value)) => name = Some(unquote(value)),
            _ => {
                return Err(format!(
                    "the option `{option}` is not supported (only name=\"...\")"
                ));
            }
        }
    }
    let key =
        PublicKey::from_openssh(key_text.trim()).map_err(|e| format!("not a public key ({e})"))?;
    let name = name
        .unwrap_or_else(|| key.comment().as_str_lossy().trim().to_string())
        .trim()
        .to_string();
    let name = if name.is_empty() { unnamed(&key) } else { name };
    Ok(Reviewer { name, key })
}

/// How the name of a key without one begins.
const UNNAMED: &str = "reviewer with key ";

/// The name of a key the file gives none: its fingerprint, shortened.
fn unnamed(key: &PublicKey) -> String {
    let fingerprint = key.fingerprint(HashAlg::Sha256).to_string();
    let short: String = fingerprint.chars().take("SHA256:".len() + 12).collect();
    format!("{UNNAMED}{short}")
}

fn is_key_type(word: &str) -> bool {
    word.starts_with("ssh-")
        || word.starts_with("ecdsa-sha2-")
        || word.starts_with("sk-ssh-")
        || word.starts_with("sk-ecdsa-")
}

/// `opt1,name="A B" ssh-ed25519 AAAA… comment` -> the options and the rest.
fn split_options(line: &str) -> (&str, &str) {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return (&line[..i], &line[i..]),
            _ => {}
        }
    }
    (line, "")
}

fn split_unquoted(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            parts.push(&text[start..i]);
            start = i + 1;
        }
    }
    if start < text.len() {
        parts.push(&text[start..]);
    }
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

fn unquote(value: &str) -> String {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
        .replace("\\\"", "\"")
}

/// Where the host key lives unless `--host-key` says otherwise: the data folder.
pub fn default_host_key_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "fieldnote")
        .map(|d| d.data_dir().join("ssh_host_ed25519_key"))
}

/// The host key at `path`, made (ed25519, mode 0600) when there is none yet; `true`
/// when it was just made. A key file others can read is refused, as sshd does.
pub fn load_or_create_host_key(path: &Path) -> Result<(PrivateKey, bool), String> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            check_private(path)?;
            let key = PrivateKey::from_openssh(text.as_bytes())
                .map_err(|e| format!("{}: not an OpenSSH private key ({e})", path.display()))?;
            Ok((key, false))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = new_ed25519().map_err(|e| format!("cannot make a host key: {e}"))?;
            write_private(path, &key)
                .map_err(|e| format!("cannot write the host key {}: {e}", path.display()))?;
            Ok((key, true))
        }
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

fn new_ed25519() -> std::io::Result<PrivateKey> {
    let mut seed = [0u8; 32];
    std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom")?, &mut seed)?;
    let mut key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
    key.set_comment("fieldnote serve host key");
    Ok(key)
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(format!(
            "{}: the host key can be read by others (mode {:o}); nothing was served\n  hint: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_: &Path) -> Result<(), String> {
    Ok(())
}

fn write_private(path: &Path, key: &PrivateKey) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIOImgliFbI6yRj/mY6LzIqaZ2JUYgOXlkim8LnxRHLv9";

    #[test]
    fn names_come_from_the_option_or_the_comment() {
        let text = format!(
            "# reviewers\n\nssh-ed25519 {KEY} rina@laptop\nname=\"Dr. Rina Hartono\" ssh-ed25519 {KEY} other\nssh-ed25519 {KEY}\n"
        );
        let (keys, problems) = parse_authorized_keys(&text);
        let names: Vec<&str> = keys.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names[..2], ["rina@laptop", "Dr. Rina Hartono"]);
        // A key without a name is named after its fingerprint, and the start says so.
        assert_eq!(
            names[2],
            format!("reviewer with key {}", &keys[2].fingerprint()[..19])
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("line 5: the key has no name"));
        assert!(keys[0].fingerprint().starts_with("SHA256:"));
    }

    #[test]
    fn options_that_are_not_enforced_refuse_the_line() {
        let text = format!(
            "from=\"10.0.0.0/8\" ssh-ed25519 {KEY} a\ncommand=\"x\",name=\"A\" ssh-ed25519 {KEY} b\nssh-ed25519 notbase64 c\n"
        );
        let (keys, problems) = parse_authorized_keys(&text);
        assert!(keys.is_empty());
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("line 1:") && problems[0].contains("from="));
    }

    #[test]
    fn the_host_key_is_made_once_and_kept_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/host_key");
        let (first, made) = load_or_create_host_key(&path).unwrap();
        assert!(made);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (again, made) = load_or_create_host_key(&path).unwrap();
        assert!(!made);
        assert_eq!(
            first.public_key().fingerprint(HashAlg::Sha256),
            again.public_key().fingerprint(HashAlg::Sha256)
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert!(
                load_or_create_host_key(&path)
                    .unwrap_err()
                    .contains("chmod 600")
            );
        }
    }
}
