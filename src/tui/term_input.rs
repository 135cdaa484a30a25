//! Keys from the bytes a terminal sends: what crossterm does for a local terminal, for
//! sessions whose terminal is at the other end of an SSH channel. crossterm's own parser
//! is private, so this is a small one for what the keymap and the editors use:
//! characters (UTF-8), control keys, Alt+key, arrows, Home/End, Page Up/Down, Insert,
//! Delete, F1–F12 and Shift-Tab, in the xterm/VT forms (`ESC [ …`, `ESC O …`) with
//! modifier parameters (`ESC [ 1 ; 5 A` is Ctrl-Up).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Turns a stream of terminal input bytes into key events. Bytes of a sequence split
/// across reads are kept until the rest arrives.
#[derive(Debug, Default)]
pub struct InputParser {
    pending: Vec<u8>,
}

enum Parsed {
    Key(KeyEvent, usize),
    /// Bytes that mean nothing to us (an unknown sequence): skip them.
    Skip(usize),
    /// The start of a sequence whose end has not arrived.
    Incomplete,
}

impl InputParser {
    pub fn new() -> InputParser {
        InputParser::default()
    }

    /// The keys in `bytes` (together with anything left over from before). A lone Esc at
    /// the end of a read is the Esc key: a terminal sends a whole sequence in one write.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<KeyEvent> {
        self.pending.extend_from_slice(bytes);
        let mut keys = Vec::new();
        let mut at = 0;
        while at < self.pending.len() {
            let rest = &self.pending[at..];
            match parse(rest) {
                Parsed::Key(key, used) => {
                    keys.push(key);
                    at += used;
                }
                Parsed::Skip(used) => at += used,
                Parsed::Incomplete if rest == [0x1b] => {
                    keys.push(KeyEvent::from(KeyCode::Esc));
                    at += 1;
                }
                Parsed::Incomplete => break,
            }
        }
        self.pending.drain(..at);
        // Garbage that never completes must not grow without bound.
        if self.pending.len() > 64 {
            self.pending.clear();
        }
        keys
    }
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

fn parse(bytes: &[u8]) -> Parsed {
    match bytes[0] {
        0x1b => parse_escape(bytes),
        _ => match parse_plain(bytes) {
            Some((k, n)) => Parsed::Key(k, n),
            None if bytes.len() < utf8_len(bytes[0]) => Parsed::Incomplete,
            None => Parsed::Skip(1),
        },
    }
}

/// A key that is not an escape sequence: a control byte or one UTF-8 character.
fn parse_plain(bytes: &[u8]) -> Option<(KeyEvent, usize)> {
    let none = KeyModifiers::NONE;
    let b = bytes[0];
    let k = match b {
        b'\r' | b'\n' => key(KeyCode::Enter, none),
        b'\t' => key(KeyCode::Tab, none),
        0x7f | 0x08 => key(KeyCode::Backspace, none),
        0x00 => key(KeyCode::Char(' '), KeyModifiers::CONTROL),
        0x01..=0x1a => key(KeyCode::Char((b - 1 + b'a') as char), KeyModifiers::CONTROL),
        0x1c..=0x1f => key(
            KeyCode::Char((b - 0x1c + b'4') as char),
            KeyModifiers::CONTROL,
        ),
        _ => {
            let len = utf8_len(b);
            let text = std::str::from_utf8(bytes.get(..len)?).ok()?;
            let c = text.chars().next()?;
            let mods = if c.is_uppercase() {
                KeyModifiers::SHIFT
            } else {
                none
            };
            return Some((key(KeyCode::Char(c), mods), len));
        }
    };
    Some((k, 1))
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xf0..=0xf7 => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}

fn parse_escape(bytes: &[u8]) -> Parsed {
    match bytes.get(1) {
        None => Parsed::Incomplete,
        Some(b'[') => parse_csi(bytes),
        Some(b'O') => match bytes.get(2) {
            None => Parsed::Incomplete,
            Some(&b) => match final_key(b) {
                Some(code) => Parsed::Key(key(code, KeyModifiers::NONE), 3),
                None => Parsed::Skip(3),
            },
        },
        // Esc Esc: the first is the Esc key.
        Some(0x1b) => Parsed::Key(key(KeyCode::Esc, KeyModifiers::NONE), 1),
        // Esc then a key: that key with Alt.
        Some(_) => match parse_plain(&bytes[1..]) {
            Some((mut k, n)) => {
                k.modifiers |= KeyModifiers::ALT;
                Parsed::Key(k, n + 1)
            }
            None if bytes.len() - 1 < utf8_len(bytes[1]) => Parsed::Incomplete,
            None => Parsed::Skip(2),
        },
    }
}

/// The key a final byte names in `ESC [ … X` or `ESC O X`.
fn final_key(b: u8) -> Option<KeyCode> {
    Some(match b {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        b'Z' => KeyCode::BackTab,
        _ => return None,
    })
}

/// The key of `ESC [ n ~`.
fn tilde_key(n: u16) -> Option<KeyCode> {
    Some(match n {
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        11..=15 => KeyCode::F((n - 10) as u8),
        17..=21 => KeyCode::F((n - 11) as u8),
        23 | 24 => KeyCode::F((n - 12) as u8),
        _ => return None,
    })
}

/// xterm's modifier parameter: 1 + (shift 1, alt 2, ctrl 4).
fn modifiers(param: u16) -> KeyModifiers {
    let bits = param.saturating_sub(1);
    let mut m = KeyModifiers::NONE;
    if bits & 1 != 0 {
        m |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 {
        m |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        m |= KeyModifiers::CONTROL;
    }
    m
}

fn parse_csi(bytes: &[u8]) -> Parsed {
    // Parameters are digits and `;` (and `?`, `<`, `>` in replies we never ask for);
    // the sequence ends with a byte in 0x40..=0x7e.
    let Some(end) = bytes[2..].iter().position(|b| (0x40..=0x7e).contains(b)) else {
        return if bytes.len() > 32 {
            Parsed::Skip(bytes.len())
        } else {
            Parsed::Incomplete
        };
    };
    let end = end + 2;
    let used = end + 1;
    let params: Vec<u16> = std::str::from_utf8(&bytes[2..end])
        .unwrap_or("")
        .split(';')
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    let mods = modifiers(params.get(1).copied().unwrap_or(1));
    let code = match bytes[end] {
        b'~' => tilde_key(params[0]),
        b'Z' => return Parsed::Key(key(KeyCode::BackTab, KeyModifiers::SHIFT), used),
        b => final_key(b),
    };
    match code {
        Some(code) => Parsed::Key(key(code, mods), used),
        None => Parsed::Skip(used),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(bytes: &[u8]) -> Vec<KeyEvent> {
        InputParser::new().feed(bytes)
    }

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::from(code)
    }

    fn m(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn characters_and_control_keys() {
        assert_eq!(
            keys(b"jG?\r\t\x7f"),
            [
                k(KeyCode::Char('j')),
                m(KeyCode::Char('G'), KeyModifiers::SHIFT),
                k(KeyCode::Char('?')),
                k(KeyCode::Enter),
                k(KeyCode::Tab),
                k(KeyCode::Backspace),
            ]
        );
        assert_eq!(
            keys(b"\x13\x04"),
            [
                m(KeyCode::Char('s'), KeyModifiers::CONTROL),
                m(KeyCode::Char('d'), KeyModifiers::CONTROL),
            ]
        );
        assert_eq!(
            keys("é漢🥺".as_bytes()),
            [
                k(KeyCode::Char('é')),
                k(KeyCode::Char('漢')),
                k(KeyCode::Char('🥺'))
            ]
        );
    }

    #[test]
    fn escape_sequences() {
        assert_eq!(
            keys(b"\x1b[A\x1b[B\x1bOC\x1b[D\x1b[H\x1b[4~\x1b[5~\x1b[6~\x1b[3~\x1b[Z\x1bOP\x1b[15~"),
            [
                k(KeyCode::Up),
                k(KeyCode::Down),
                k(KeyCode::Right),
                k(KeyCode::Left),
                k(KeyCode::Home),
                k(KeyCode::End),
                k(KeyCode::PageUp),
                k(KeyCode::PageDown),
                k(KeyCode::Delete),
                m(KeyCode::BackTab, KeyModifiers::SHIFT),
                k(KeyCode::F(1)),
                k(KeyCode::F(5)),
            ]
        );
        assert_eq!(keys(b"\x1b[1;5A"), [m(KeyCode::Up, KeyModifiers::CONTROL)]);
    }

    #[test]
    fn esc_alone_and_alt() {
        assert_eq!(keys(b"\x1b"), [k(KeyCode::Esc)]);
        assert_eq!(keys(b"\x1b\x1b"), [k(KeyCode::Esc), k(KeyCode::Esc)]);
        assert_eq!(keys(b"\x1bx"), [m(KeyCode::Char('x'), KeyModifiers::ALT)]);
    }

    #[test]
    fn sequences_split_across_reads_are_joined() {
        let mut p = InputParser::new();
        assert!(p.feed(b"\x1b[").is_empty());
        assert_eq!(
            p.feed(b"6~j"),
            [k(KeyCode::PageDown), k(KeyCode::Char('j'))]
        );
        let bytes = "é".as_bytes();
        assert!(p.feed(&bytes[..1]).is_empty());
        assert_eq!(p.feed(&bytes[1..]), [k(KeyCode::Char('é'))]);
    }

    #[test]
    fn unknown_sequences_are_skipped() {
        assert_eq!(keys(b"\x1b[200~x"), [k(KeyCode::Char('x'))]);
        assert_eq!(keys(b"\x1b[?1;2cq"), [k(KeyCode::Char('q'))]);
        assert_eq!(keys(&[0xff, b'a']), [k(KeyCode::Char('a'))]);
    }

    #[test]
    fn parsed_keys_find_their_bindings() {
        use super::super::keymap::{Context, Keymap};
        use crate::tui::action::Command;
        let map = Keymap::default();
        let ctx = [Context::Timeline, Context::List, Context::Global];
        let look = |b: &[u8]| map.lookup(&ctx, keys(b)[0]);
        assert_eq!(look(b"G"), Some(Command::Bottom));
        assert_eq!(look(b"\x1b[B"), Some(Command::Down));
        assert_eq!(look(b"\x04"), Some(Command::PageDown));
        assert_eq!(look(b"q"), Some(Command::Quit));
        assert_eq!(
            map.lookup(&[Context::Comment], keys(b"\x13")[0]),
            Some(Command::Save)
        );
    }
}
