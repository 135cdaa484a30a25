//! A one-line text input (search bar, filter bar, prompts, picker queries).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub text: String,
    /// Cursor position in characters.
    pub cursor: usize,
    /// The whole text is a suggestion, shown selected: the first character typed replaces
    /// it, as in a form field with its value selected (typing `20:07` into a pre-filled
    /// time must not give `14:5120:07`). Any movement keeps it and edits from there.
    pub selected: bool,
}

impl LineInput {
    pub fn new(text: &str) -> LineInput {
        LineInput {
            text: text.to_string(),
            cursor: text.chars().count(),
            selected: false,
        }
    }

    /// A field pre-filled with a suggestion that typing replaces.
    pub fn suggested(text: &str) -> LineInput {
        LineInput {
            selected: true,
            ..LineInput::new(text)
        }
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(i, _)| i)
    }

    /// Apply an editing key; returns whether the text changed. Keys that are not editing
    /// keys are ignored.
    pub fn handle(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if std::mem::take(&mut self.selected) {
            let replaces = matches!(key.code, KeyCode::Char(_) if !ctrl)
                || matches!(key.code, KeyCode::Backspace | KeyCode::Delete);
            if replaces {
                self.text.clear();
                self.cursor = 0;
                if !matches!(key.code, KeyCode::Char(_)) {
                    return true;
                }
            }
        }
        let len = self.text.chars().count();
        match key.code {
            KeyCode::Char('u') if ctrl => {
                let at = self.byte_at(self.cursor);
                self.text.replace_range(..at, "");
                self.cursor = 0;
                true
            }
            KeyCode::Char('w') if ctrl => {
                let end = self.byte_at(self.cursor);
                let before = &self.text[..end];
                let start = before.trim_end().rfind(' ').map_or(0, |i| i + 1);
                let removed = self.text[start..end].chars().count();
                self.text.replace_range(start..end, "");
                self.cursor -= removed;
                removed > 0
            }
            KeyCode::Char('a') if ctrl => {
                self.cursor = 0;
                false
            }
            KeyCode::Char('e') if ctrl => {
                self.cursor = len;
                false
            }
            KeyCode::Char(c) if !ctrl => {
                let at = self.byte_at(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
                true
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.text.remove(at);
                self.cursor -= 1;
                true
            }
            KeyCode::Delete if self.cursor < len => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
                true
            }
            KeyCode::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                false
            }
            KeyCode::Right => {
                self.cursor = (self.cursor + 1).min(len);
                false
            }
            KeyCode::Home => {
                self.cursor = 0;
                false
            }
            KeyCode::End => {
                self.cursor = len;
                false
            }
            _ => false,
        }
    }

    /// Replace the last word (what completion completes) by `word`.
    pub fn replace_last_word(&mut self, word: &str) {
        let start = self.text.rfind(' ').map_or(0, |i| i + 1);
        self.text.replace_range(start.., word);
        self.cursor = self.text.chars().count();
    }

    pub fn last_word(&self) -> &str {
        self.text.rsplit(' ').next().unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn edits_at_the_cursor_with_wide_characters() {
        let mut input = LineInput::new("ké🥺");
        assert_eq!(input.cursor, 3);
        input.handle(key(KeyCode::Left));
        input.handle(key(KeyCode::Char('x')));
        assert_eq!(input.text, "kéx🥺");
        input.handle(key(KeyCode::Backspace));
        input.handle(key(KeyCode::Backspace));
        assert_eq!(input.text, "k🥺");
        input.handle(key(KeyCode::End));
        input.handle(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(input.text, "");
    }

    #[test]
    fn typing_into_a_suggestion_replaces_it() {
        let mut input = LineInput::suggested("2026-12-03 14:51");
        for c in "20:07".chars() {
            input.handle(key(KeyCode::Char(c)));
        }
        assert_eq!(input.text, "20:07");
        assert!(!input.selected);

        let mut cleared = LineInput::suggested("2026-12-03 14:51");
        cleared.handle(key(KeyCode::Backspace));
        assert_eq!(cleared.text, "");

        // Moving first keeps the suggestion to edit it in place.
        let mut moved = LineInput::suggested("2026-12-03 14:51");
        moved.handle(key(KeyCode::Left));
        moved.handle(key(KeyCode::Char('9')));
        assert_eq!(moved.text, "2026-12-03 14:591");
    }

    #[test]
    fn completion_replaces_the_last_word() {
        let mut input = LineInput::new("@cindy li");
        assert_eq!(input.last_word(), "li");
        input.replace_last_word("live");
        assert_eq!(input.text, "@cindy live");
    }
}
