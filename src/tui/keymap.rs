//! Keys as data: every binding is (context, key, command). The help screen and the
//! status-bar hints are generated from this table, and a keymap file in the config
//! folder can rebind any command.

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Command;

/// Where a binding applies. Several contexts are active at once (the timeline's list is
/// `Timeline`, `List` and `Global`); the first that binds a key wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    List,
    Timeline,
    Accounts,
    Codebook,
    Matrix,
    Quotes,
    Editor,
    Picker,
    Prompt,
    Comment,
}

impl Context {
    pub const ALL: [Context; 11] = [
        Context::Global,
        Context::List,
        Context::Timeline,
        Context::Accounts,
        Context::Codebook,
        Context::Matrix,
        Context::Quotes,
        Context::Editor,
        Context::Picker,
        Context::Prompt,
        Context::Comment,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Timeline => "timeline",
            Context::Accounts => "accounts",
            Context::Codebook => "codebook",
            Context::Matrix => "matrix",
            Context::Quotes => "quotes",
            Context::Editor => "editor",
            Context::Picker => "picker",
            Context::Prompt => "prompt",
            Context::Comment => "comment",
        }
    }

    fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A key with its modifiers, written like `ctrl-s`, `G`, `pgdn`, `space`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    /// The key a terminal event stands for. Shift is part of the character (`G`), so it
    /// is not kept as a modifier.
    pub fn from_event(e: KeyEvent) -> Key {
        let code = match e.code {
            KeyCode::Char(c) if e.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        Key {
            code,
            ctrl: e.modifiers.contains(KeyModifiers::CONTROL),
            alt: e.modifiers.contains(KeyModifiers::ALT),
        }
    }

    pub fn parse(text: &str) -> Option<Key> {
        let mut key = Key::plain(KeyCode::Null);
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                key.ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                key.alt = true;
                rest = r;
            } else {
                break;
            }
        }
        key.code = match rest {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" => KeyCode::PageUp,
            "pgdn" => KeyCode::PageDown,
            f if f.starts_with('f') && f.len() > 1 => KeyCode::F(f[1..].parse().ok()?),
            c if c.chars().count() == 1 => KeyCode::Char(c.chars().next()?),
            _ => return None,
        };
        Some(key)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::Char(c) => write!(f, "{c}"),
            _ => f.write_str("?"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub context: Context,
    pub key: Key,
    pub command: Command,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

const DEFAULTS: &[(Context, &str, Command)] = {
    use Command::*;
    use Context::*;
    &[
        (Global, "q", Quit),
        // What gitui and lazygit users press first; the editor and popups take it as
        // Esc, so it never throws away typing.
        (Global, "ctrl-c", Quit),
        (Global, "?", Help),
        (Global, "T", ShowTimeline),
        (Global, "A", ShowAccounts),
        (Global, "C", ShowCodebook),
        (Global, "m", ShowMatrix),
        (Global, "esc", Back),
        (List, "j", Down),
        (List, "down", Down),
        (List, "k", Up),
        (List, "up", Up),
        (List, "g", Top),
        (List, "home", Top),
        (List, "G", Bottom),
        (List, "end", Bottom),
        (List, "pgup", PageUp),
        (List, "ctrl-u", PageUp),
        (List, "pgdn", PageDown),
        (List, "ctrl-d", PageDown),
        (List, "enter", Open),
        (Timeline, "tab", SwitchPane),
        (Timeline, "n", NewEntry),
        (Timeline, "e", EditEntry),
        (Timeline, "E", EditBodyExternally),
        (Timeline, "/", Search),
        (Timeline, "f", Filter),
        (Timeline, "x", ClearFilter),
        (Timeline, "v", Mark),
        (Timeline, "u", Undo),
        (Timeline, "t", TagPicker),
        (Timeline, "s", AttachScreenshot),
        (Timeline, "o", OpenScreenshot),
        (Timeline, "i", ToggleImage),
        (Timeline, "R", Reload),
        (Matrix, "h", Left),
        (Matrix, "left", Left),
        (Matrix, "l", Right),
        (Matrix, "right", Right),
        (Matrix, "%", ToggleShare),
        (Matrix, "b", CycleColumns),
        (Matrix, "w", Transpose),
        (Matrix, "o", ToggleCooccurrence),
        (Matrix, "space", ToggleItem),
        (Quotes, "esc", Back),
        (Quotes, "q", Back),
        (Quotes, "ctrl-c", Back),
        (Timeline, "c", Command::Comment),
        (Timeline, "r", ToggleResolved),
        (Timeline, "O", OpenComments),
        (Timeline, "H", History),
        (Codebook, "a", AddCode),
        (Codebook, "r", RenameCode),
        (Codebook, "c", RecolorCode),
        (Codebook, "b", SetCodeKey),
        (Editor, "ctrl-s", Save),
        (Editor, "esc", Back),
        (Editor, "ctrl-c", Back),
        (Editor, "tab", NextField),
        (Editor, "shift-tab", PrevField),
        (Editor, "ctrl-e", EditBodyExternally),
        (Editor, "ctrl-t", TagPicker),
        (Picker, "space", ToggleItem),
        (Picker, "enter", Open),
        (Picker, "esc", Back),
        (Picker, "ctrl-c", Back),
        (Picker, "up", Up),
        (Picker, "down", Down),
        (Picker, "ctrl-p", Up),
        (Picker, "ctrl-n", Down),
        (Prompt, "enter", Open),
        (Prompt, "esc", Back),
        (Prompt, "ctrl-c", Back),
        (Prompt, "tab", NextField),
        (Context::Comment, "ctrl-s", Save),
        (Context::Comment, "esc", Back),
        (Context::Comment, "ctrl-c", Back),
    ]
};

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            bindings: DEFAULTS
                .iter()
                .map(|(context, key, command)| Binding {
                    context: *context,
                    key: Key::parse(key).expect("default keys parse"),
                    command: *command,
                })
                .collect(),
        }
    }
}

impl Keymap {
    /// The defaults with a keymap file's changes applied. The file has one table per
    /// context, each mapping a command name to a key or a list of keys:
    /// `[timeline]` / `new_entry = "a"` / `quit = ["q", "ctrl-q"]`.
    pub fn with_overrides(text: &str) -> Result<Keymap, String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut map = Keymap::default();
        for (context_name, commands) in &table {
            let context = Context::from_name(context_name)
                .ok_or_else(|| format!("unknown section [{context_name}]"))?;
            let commands = commands
                .as_table()
                .ok_or_else(|| format!("[{context_name}] must be a table"))?;
            for (command_name, keys) in commands {
                let command = Command::from_name(command_name).ok_or_else(|| {
                    format!("unknown command `{command_name}` in [{context_name}]")
                })?;
                let keys: Vec<&str> = match keys {
                    toml::Value::String(k) => vec![k.as_str()],
                    toml::Value::Array(a) => a.iter().filter_map(|v| v.as_str()).collect(),
                    _ => return Err(format!("`{command_name}` must be a key or a list of keys")),
                };
                map.bindings
                    .retain(|b| !(b.context == context && b.command == command));
                for k in keys {
                    let key = Key::parse(k).ok_or_else(|| format!("cannot read key `{k}`"))?;
                    map.bindings
                        .retain(|b| !(b.context == context && b.key == key));
                    map.bindings.push(Binding {
                        context,
                        key,
                        command,
                    });
                }
            }
        }
        Ok(map)
    }

    /// Load `keymap.toml` from the config folder if there is one.
    pub fn load() -> Result<Keymap, String> {
        let Some(dirs) = directories::ProjectDirs::from("", "", "fieldnote") else {
            return Ok(Keymap::default());
        };
        let path = dirs.config_dir().join("keymap.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                Keymap::with_overrides(&text).map_err(|e| format!("{}: {e}", path.display()))
            }
            Err(_) => Ok(Keymap::default()),
        }
    }

    /// The command `key` means in the first of `contexts` that binds it.
    pub fn lookup(&self, contexts: &[Context], event: KeyEvent) -> Option<Command> {
        let key = Key::from_event(event);
        contexts.iter().find_map(|ctx| {
            self.bindings
                .iter()
                .find(|b| b.context == *ctx && b.key == key)
                .map(|b| b.command)
        })
    }

    /// Is `key` bound in any of `contexts` (so it cannot also be a quick-tag key)?
    pub fn binds(&self, contexts: &[Context], key: &Key) -> bool {
        self.bindings
            .iter()
            .any(|b| contexts.contains(&b.context) && b.key == *key)
    }

    /// The keys of `command` in the first context that binds it, as `j/↓`.
    pub fn keys_for(&self, contexts: &[Context], command: Command) -> Option<String> {
        let keys = self.keys_of(contexts, command);
        (!keys.is_empty()).then(|| keys.join("/"))
    }

    /// The keys of `command` in the first context that binds it, first bound first.
    fn keys_of(&self, contexts: &[Context], command: Command) -> Vec<String> {
        contexts
            .iter()
            .map(|ctx| {
                self.bindings
                    .iter()
                    .filter(|b| b.context == *ctx && b.command == command)
                    .map(|b| b.key.to_string())
                    .collect::<Vec<_>>()
            })
            .find(|keys| !keys.is_empty())
            .unwrap_or_default()
    }

    /// Every binding of `contexts`, one row per command: (keys, description), in the
    /// order the contexts are given. This is the help screen.
    pub fn help(&self, contexts: &[Context]) -> Vec<(Context, String, &'static str)> {
        let mut rows = Vec::new();
        let mut seen = Vec::new();
        for ctx in contexts {
            for b in self.bindings.iter().filter(|b| b.context == *ctx) {
                if seen.contains(&b.command) {
                    continue;
                }
                seen.push(b.command);
                let keys = self.keys_for(&[*ctx], b.command).unwrap_or_default();
                rows.push((*ctx, keys, b.command.description()));
            }
        }
        rows
    }

    /// A status-bar hint: `n new · / search · ? help` for the commands given, each with
    /// its first key only (the help lists them all).
    pub fn hint(&self, contexts: &[Context], commands: &[Command]) -> String {
        commands
            .iter()
            .filter_map(|c| {
                let keys = self.keys_of(contexts, *c).into_iter().next()?;
                let label = c.name().replace('_', " ");
                Some(format!("{keys} {label}"))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers: mods,
            kind: KeyEventKind::Press,
            state: ratatui::crossterm::event::KeyEventState::NONE,
        }
    }

    #[test]
    fn keys_parse_and_print_alike() {
        for k in [
            "ctrl-s",
            "G",
            "pgdn",
            "space",
            "shift-tab",
            "f5",
            "alt-x",
            "?",
        ] {
            let key = Key::parse(k).unwrap();
            assert_eq!(
                Key::parse(&key.to_string().replace('↑', "up")),
                Some(key),
                "{k}"
            );
        }
        assert_eq!(Key::parse("nonsense"), None);
    }

    #[test]
    fn first_context_wins() {
        let map = Keymap::default();
        let esc = ev(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(
            map.lookup(&[Context::Editor, Context::Global], esc),
            Some(Command::Back)
        );
        let j = ev(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(
            map.lookup(&[Context::Timeline, Context::List], j),
            Some(Command::Down)
        );
        assert_eq!(map.lookup(&[Context::Editor], j), None);
        let save = ev(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(map.lookup(&[Context::Editor], save), Some(Command::Save));
    }

    #[test]
    fn overrides_rebind_and_report_mistakes() {
        let map = Keymap::with_overrides("[timeline]\nnew_entry = [\"a\", \"ctrl-n\"]\n").unwrap();
        let a = ev(KeyCode::Char('a'), KeyModifiers::NONE);
        assert_eq!(map.lookup(&[Context::Timeline], a), Some(Command::NewEntry));
        let n = ev(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(map.lookup(&[Context::Timeline], n), None);
        assert_eq!(
            map.keys_for(&[Context::Timeline], Command::NewEntry)
                .unwrap(),
            "a/ctrl-n"
        );
        assert!(
            Keymap::with_overrides("[timeline]\nfly = \"a\"\n")
                .unwrap_err()
                .contains("fly")
        );
        assert!(Keymap::with_overrides("[nowhere]\n").is_err());
    }

    #[test]
    fn help_lists_every_binding_of_the_screen_once() {
        let map = Keymap::default();
        let rows = map.help(&[Context::Timeline, Context::List, Context::Global]);
        assert!(rows.iter().any(|(_, k, d)| k == "j/↓" && *d == "move down"));
        let quits = rows.iter().filter(|(_, _, d)| *d == "quit").count();
        assert_eq!(quits, 1);
    }
}
