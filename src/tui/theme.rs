//! Colours and styles. With `NO_COLOR` set, a monochrome theme that still shows the
//! selection (reversed) and code chips (bracketed, bold).

use ratatui::style::{Color, Modifier, Style};

use crate::model::{Code, CodeColor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    pub fn accent(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Cyan)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    pub fn error(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    pub fn warning(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Yellow)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    pub fn search_match(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Yellow).fg(Color::Black)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
        }
    }

    pub fn marked(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    /// A line a diff adds (and, `removed`, one it takes out); without colour the `+`
    /// and `-` at the start of the line still say which.
    pub fn added(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Green)
        } else {
            Style::new()
        }
    }

    pub fn removed(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Red)
        } else {
            Style::new()
        }
    }

    /// The colour a code asks for, if it names one.
    pub fn code_color(code: &Code) -> Option<Color> {
        let named = [
            Color::Black,
            Color::Red,
            Color::Green,
            Color::Yellow,
            Color::Blue,
            Color::Magenta,
            Color::Cyan,
            Color::Gray,
            Color::DarkGray,
            Color::LightRed,
            Color::LightGreen,
            Color::LightYellow,
            Color::LightBlue,
            Color::LightMagenta,
            Color::LightCyan,
            Color::White,
        ];
        match code.color.parse::<CodeColor>().ok()? {
            CodeColor::Terminal => None,
            // The sixteen by name: the terminal draws them in its own theme's shades.
            CodeColor::Palette(n) => Some(
                named
                    .get(usize::from(n))
                    .copied()
                    .unwrap_or(Color::Indexed(n)),
            ),
            CodeColor::Rgb(r, g, b) => Some(Color::Rgb(r, g, b)),
        }
    }

    pub fn chip(&self, code: Option<&Code>) -> Style {
        if !self.color {
            return Style::new().add_modifier(Modifier::BOLD);
        }
        let bg = code.and_then(Theme::code_color).unwrap_or(Color::Gray);
        Style::new().bg(bg).fg(Color::Black)
    }

    /// A chip's text: ` Live ` on a coloured background, or `[Live]` without colour.
    pub fn chip_text(&self, label: &str) -> String {
        if self.color {
            format!(" {label} ")
        } else {
            format!("[{label}]")
        }
    }
}
