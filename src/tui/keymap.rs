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
    Reader,
    Confirm,
    Live,
    Charts,
}

impl Context {
    pub const ALL: [Context; 15] = [
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
        Context::Reader,
        Context::Confirm,
        Context::Live,
        Context::Charts,
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
            Context::Reader => "reader",
            Context::Confirm => "confirm",
            Context::Live => "live",
            Context::Charts => "charts",
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
        (Global, "S", ShowCharts),
        (Charts, "h", Left),
        (Charts, "left", Left),
        (Charts, "l", Right),
        (Charts, "right", Right),
        (Charts, "b", NextChart),
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
        (Timeline, "p", ReadPassages),
        (Timeline, "L", StartLive),
        (Timeline, "]", FollowLink),
        (Timeline, "D", DeleteEntry),
        (Timeline, "delete", DeleteEntry),
        (Live, "enter", Open),
        (Live, "ctrl-s", Save),
        (Live, "up", Up),
        (Live, "down", Down),
        (Live, "ctrl-d", RemoveMoment),
        (Live, "ctrl-t", TagPicker),
        (Live, "esc", Back),
        (Live, "ctrl-c", Back),
        (Reader, "h", Left),
        (Reader, "left", Left),
        (Reader, "l", Right),
        (Reader, "right", Right),
        (Reader, "j", Down),
        (Reader, "down", Down),
        (Reader, "k", Up),
        (Reader, "up", Up),
        (Reader, "w", WordForward),
        (Reader, "b", WordBack),
        (Reader, ")", SentenceForward),
        (Reader, "(", SentenceBack),
        (Reader, "0", LineStart),
        (Reader, "home", LineStart),
        (Reader, "$", LineEnd),
        (Reader, "end", LineEnd),
        (Reader, "g", Top),
        (Reader, "G", Bottom),
        (Reader, "v", Visual),
        (Reader, "s", SelectSentence),
        (Reader, "V", SelectLine),
        (Reader, "t", TagPicker),
        (Reader, "n", NextPassage),
        (Reader, "N", PrevPassage),
        (Reader, "d", RemovePassage),
        (Reader, "u", Undo),
        (Reader, "?", Help),
        (Reader, "esc", Back),
        (Reader, "q", Back),
        (Reader, "ctrl-c", Back),
        (Accounts, "a", AddAccount),
        (Accounts, "e", EditAccount),
        (Accounts, "f", RecordFollowers),
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
        (Editor, "ctrl-l", InsertLink),
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
        (Prompt, "shift-tab", PrevField),
        (Context::Confirm, "y", Yes),
        (Context::Confirm, "enter", Yes),
        (Context::Confirm, "n", No),
        (Context::Confirm, "esc", Back),
        (Context::Confirm, "ctrl-c", Back),
        (Context::Confirm, "r", ReloadTheirs),
        (Context::Confirm, "c", SaveCopy),
        (Context::Confirm, "d", DeleteDraft),
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
    /// The defaults with a keymap file's changes applied, and the file's mistakes as
    /// `line:column: what` (each mistake skips only its own line: every valid binding
    /// is kept). The file has one table per context, each mapping a command name to a
    /// key or a list of keys: `[timeline]` / `new_entry = "a"` / `quit = ["q", "ctrl-q"]`.
    pub fn with_overrides(text: &str) -> (Keymap, Vec<String>) {
        let mut map = Keymap::default();
        let mut problems = Vec::new();
        let doc = match toml_edit::Document::parse(text) {
            Ok(doc) => doc,
            Err(e) => {
                let at = e.span().map_or(0, |s| s.start);
                let (line, column) = crate::store::line_col(text, at);
                let why = e.message().trim().to_string();
                problems.push(format!("{line}:{column}: {why}; no key was changed"));
                return (map, problems);
            }
        };
        let mut problem = |span: Option<std::ops::Range<usize>>, why: String| {
            let (line, column) = crate::store::line_col(text, span.map_or(0, |s| s.start));
            problems.push(format!("{line}:{column}: {why}"));
        };
        for (context_name, commands) in doc.iter() {
            let key_span = doc.key(context_name).and_then(|k| k.span());
            let Some(context) = Context::from_name(context_name) else {
                let known: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                problem(
                    key_span,
                    format!(
                        "unknown section [{context_name}] (sections: {})",
                        known.join(", ")
                    ),
                );
                continue;
            };
            let Some(commands) = commands.as_table_like() else {
                problem(key_span, format!("[{context_name}] must be a table"));
                continue;
            };
            for (command_name, keys) in commands.iter() {
                let span = commands
                    .key(command_name)
                    .and_then(|k| k.span())
                    .or_else(|| keys.span());
                let Some(command) = Command::from_name(command_name) else {
                    problem(
                        span,
                        format!("unknown command `{command_name}` in [{context_name}]"),
                    );
                    continue;
                };
                let keys: Option<Vec<&str>> = match keys.as_value() {
                    Some(toml_edit::Value::String(k)) => Some(vec![k.value().as_str()]),
                    Some(toml_edit::Value::Array(a)) => a.iter().map(|v| v.as_str()).collect(),
                    _ => None,
                };
                let Some(keys) = keys else {
                    problem(
                        span,
                        format!("`{command_name}` must be a key or a list of keys"),
                    );
                    continue;
                };
                let parsed: Result<Vec<Key>, &str> =
                    keys.iter().map(|k| Key::parse(k).ok_or(*k)).collect();
                let parsed = match parsed {
                    Ok(parsed) => parsed,
                    Err(bad) => {
                        problem(
                            span,
                            format!(
                                "cannot read key `{}` for `{command_name}` (keys look like x, G, ctrl-s, enter, f5)",
                                crate::model::text::one_line(bad)
                            ),
                        );
                        continue;
                    }
                };
                map.rebind(context, command, parsed);
            }
        }
        (map, problems)
    }

    /// Bind `command` in `context` to `keys` alone, taking them from whatever they did
    /// there before.
    fn rebind(&mut self, context: Context, command: Command, keys: Vec<Key>) {
        self.bindings
            .retain(|b| !(b.context == context && b.command == command));
        for key in keys {
            self.bindings
                .retain(|b| !(b.context == context && b.key == key));
            self.bindings.push(Binding {
                context,
                key,
                command,
            });
        }
    }

    /// Load `keymap.toml` from the config folder if there is one, with its mistakes as
    /// `path:line:column: what`.
    pub fn load() -> (Keymap, Vec<String>) {
        let Some(dirs) = directories::ProjectDirs::from("", "", "fieldnote") else {
            return (Keymap::default(), Vec::new());
        };
        let path = dirs.config_dir().join("keymap.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let (map, problems) = Keymap::with_overrides(&text);
                let problems = problems
                    .into_iter()
                    .map(|p| format!("{}:{p}", path.display()))
                    .collect();
                (map, problems)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Keymap::default(), Vec::new()),
            Err(e) => (
                Keymap::default(),
                vec![format!("{}: cannot read: {e}", path.display())],
            ),
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

    /// Every binding of `contexts`, one row per command: (context, keys, command), in
    /// the order the contexts are given. This is the help screen.
    pub fn help(&self, contexts: &[Context]) -> Vec<(Context, String, Command)> {
        let mut rows = Vec::new();
        let mut seen = Vec::new();
        for ctx in contexts {
            for b in self.bindings.iter().filter(|b| b.context == *ctx) {
                if seen.contains(&b.command) {
                    continue;
                }
                seen.push(b.command);
                let keys = self.keys_for(&[*ctx], b.command).unwrap_or_default();
                rows.push((*ctx, keys, b.command));
            }
        }
        rows
    }

    /// A status-bar hint: `n new · / search · ? help` for the commands given, each with
    /// its first key only (the help lists them all).
    pub fn hint(&self, contexts: &[Context], commands: &[Command]) -> String {
        let labelled: Vec<(Command, String)> = commands
            .iter()
            .map(|c| (*c, c.name().replace('_', " ")))
            .collect();
        let labelled: Vec<(Command, &str)> =
            labelled.iter().map(|(c, l)| (*c, l.as_str())).collect();
        self.hint_labelled(contexts, &labelled)
    }

    /// A hint with the words of the place it is shown (`enter opens · esc closes`): the
    /// keys still come from the keymap, so a rebound key is named right. A command with
    /// no key here is left out.
    pub fn hint_labelled(&self, contexts: &[Context], commands: &[(Command, &str)]) -> String {
        commands
            .iter()
            .filter_map(|(c, label)| {
                let keys = self.keys_of(contexts, *c).into_iter().next()?;
                Some(format!("{keys} {label}"))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The first key of `command` in `contexts`, as the help writes it.
    pub fn key(&self, contexts: &[Context], command: Command) -> Option<String> {
        self.keys_of(contexts, command).into_iter().next()
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
        let (map, problems) =
            Keymap::with_overrides("[timeline]\nnew_entry = [\"a\", \"ctrl-n\"]\n");
        assert!(problems.is_empty(), "{problems:?}");
        let a = ev(KeyCode::Char('a'), KeyModifiers::NONE);
        assert_eq!(map.lookup(&[Context::Timeline], a), Some(Command::NewEntry));
        let n = ev(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(map.lookup(&[Context::Timeline], n), None);
        assert_eq!(
            map.keys_for(&[Context::Timeline], Command::NewEntry)
                .unwrap(),
            "a/ctrl-n"
        );
    }

    #[test]
    fn a_mistake_skips_its_line_only_and_says_where() {
        let text = "[timeline]\nfly = \"a\"\nnew_entry = \"N\"\nsearch = \"nonsense\"\n\n[nowhere]\nquit = \"x\"\n\n[global]\nquit = 3\nhelp = \"f1\"\n";
        let (map, problems) = Keymap::with_overrides(text);
        assert_eq!(
            problems
                .iter()
                .map(|p| p.split(": ").next().unwrap())
                .collect::<Vec<_>>(),
            ["2:1", "4:1", "6:2", "10:1"],
            "{problems:?}"
        );
        assert!(problems[0].contains("unknown command `fly`"));
        assert!(problems[1].contains("cannot read key `nonsense`"));
        assert!(problems[2].contains("unknown section [nowhere]"));
        assert!(problems[3].contains("must be a key"));
        // The valid lines around the mistakes took effect; the bad ones changed nothing.
        let big_n = ev(KeyCode::Char('N'), KeyModifiers::NONE);
        assert_eq!(
            map.lookup(&[Context::Timeline], big_n),
            Some(Command::NewEntry)
        );
        let f1 = ev(KeyCode::F(1), KeyModifiers::NONE);
        assert_eq!(map.lookup(&[Context::Global], f1), Some(Command::Help));
        let slash = ev(KeyCode::Char('/'), KeyModifiers::NONE);
        assert_eq!(
            map.lookup(&[Context::Timeline], slash),
            Some(Command::Search)
        );
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(map.lookup(&[Context::Global], q), Some(Command::Quit));
        // A file that is not TOML changes nothing and says where it broke.
        let (map, problems) = Keymap::with_overrides("[timeline\nnew_entry = \"a\"\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("1:10: "), "{problems:?}");
        assert_eq!(
            map.lookup(&[Context::Timeline], n_key()),
            Some(Command::NewEntry)
        );
    }

    fn n_key() -> KeyEvent {
        ev(KeyCode::Char('n'), KeyModifiers::NONE)
    }

    /// No key means two things in one context: the second binding would never be
    /// reached (and the help would promise it).
    #[test]
    fn no_key_is_bound_twice_in_a_context() {
        let map = Keymap::default();
        let mut seen = std::collections::HashMap::new();
        for b in &map.bindings {
            if let Some(first) = seen.insert((b.context, b.key), b.command) {
                panic!(
                    "{} in [{}] is both {} and {}",
                    b.key,
                    b.context.name(),
                    first.name(),
                    b.command.name()
                );
            }
        }
        // A rebinding takes the key from what it did before, so none is bound twice
        // after a keymap file either.
        let (map, problems) = Keymap::with_overrides("[timeline]\nsearch = \"n\"\n");
        assert!(problems.is_empty());
        let n = ev(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(map.lookup(&[Context::Timeline], n), Some(Command::Search));
        assert_eq!(
            map.bindings
                .iter()
                .filter(|b| b.context == Context::Timeline && b.key == Key::char('n'))
                .count(),
            1
        );
    }

    #[test]
    fn help_lists_every_binding_of_the_screen_once() {
        let map = Keymap::default();
        let rows = map.help(&[Context::Timeline, Context::List, Context::Global]);
        assert!(
            rows.iter()
                .any(|(_, k, c)| k == "j/↓" && *c == Command::Down)
        );
        let quits = rows.iter().filter(|(_, _, c)| *c == Command::Quit).count();
        assert_eq!(quits, 1);
    }
}
