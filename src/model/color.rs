//! A code's colour as people write it in `codebook.toml`: a name (`yellow`,
//! `light blue`, `bright-red`, `grey`), an xterm palette number (`208`), or `#rrggbb`
//! (`#rgb` too). The interface draws it, `check` and `codes add` judge it, and the
//! REFI-QDA export turns it into `#RRGGBB`, all from this one reading.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeColor {
    /// `reset`: whatever the terminal draws text with.
    Terminal,
    /// A colour of the 256-colour palette; 0–15 are the named ones (`red` is 1,
    /// `light red` 9), which terminals draw in their own theme's shades.
    Palette(u8),
    Rgb(u8, u8, u8),
}

/// The sixteen names, by palette number.
const NAMES: [&str; 16] = [
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "darkgray",
    "lightred",
    "lightgreen",
    "lightyellow",
    "lightblue",
    "lightmagenta",
    "lightcyan",
    "white",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAColor(pub String);

impl fmt::Display for NotAColor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a colour (a name like `yellow`, a number 0–255 or `#rrggbb`)",
            super::text::one_line(&self.0)
        )
    }
}

impl std::error::Error for NotAColor {}

impl FromStr for CodeColor {
    type Err = NotAColor;

    fn from_str(text: &str) -> Result<CodeColor, NotAColor> {
        let trimmed = text.trim();
        // The spellings terminals and their users mix: `light-blue`, `Bright Red`, `grey`.
        let name = trimmed
            .to_lowercase()
            .replace([' ', '-', '_'], "")
            .replace("bright", "light")
            .replace("grey", "gray")
            .replace("silver", "gray")
            .replace("lightblack", "darkgray")
            .replace("lightwhite", "white")
            .replace("lightgray", "white");
        if name == "reset" {
            return Ok(CodeColor::Terminal);
        }
        if let Some(n) = NAMES.iter().position(|n| *n == name) {
            return Ok(CodeColor::Palette(n as u8));
        }
        if let Ok(n) = trimmed.parse::<u8>() {
            return Ok(CodeColor::Palette(n));
        }
        parse_hex(trimmed).ok_or_else(|| NotAColor(text.to_string()))
    }
}

fn parse_hex(text: &str) -> Option<CodeColor> {
    let hex = text.strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let long: String = match hex.len() {
        6 => hex.to_string(),
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        _ => return None,
    };
    let byte = |i: usize| u8::from_str_radix(&long[i..i + 2], 16).ok();
    Some(CodeColor::Rgb(byte(0)?, byte(2)?, byte(4)?))
}

impl CodeColor {
    /// The colour's red, green and blue, the named ones as xterm shows them by default;
    /// `None` for the terminal's own.
    pub fn rgb(self) -> Option<(u8, u8, u8)> {
        match self {
            CodeColor::Terminal => None,
            CodeColor::Palette(n) => Some(xterm(n)),
            CodeColor::Rgb(r, g, b) => Some((r, g, b)),
        }
    }

    /// `#RRGGBB`, as REFI-QDA wants it.
    pub fn hex(self) -> Option<String> {
        let (r, g, b) = self.rgb()?;
        Some(format!("#{r:02X}{g:02X}{b:02X}"))
    }
}

/// xterm's default 256-colour palette.
fn xterm(n: u8) -> (u8, u8, u8) {
    const BASE: [(u8, u8, u8); 16] = [
        (0x00, 0x00, 0x00),
        (0xcd, 0x00, 0x00),
        (0x00, 0xcd, 0x00),
        (0xcd, 0xcd, 0x00),
        (0x00, 0x00, 0xee),
        (0xcd, 0x00, 0xcd),
        (0x00, 0xcd, 0xcd),
        (0xe5, 0xe5, 0xe5),
        (0x7f, 0x7f, 0x7f),
        (0xff, 0x00, 0x00),
        (0x00, 0xff, 0x00),
        (0xff, 0xff, 0x00),
        (0x5c, 0x5c, 0xff),
        (0xff, 0x00, 0xff),
        (0x00, 0xff, 0xff),
        (0xff, 0xff, 0xff),
    ];
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match n {
        0..=15 => BASE[usize::from(n)],
        16..=231 => {
            let i = n - 16;
            (
                LEVELS[usize::from(i / 36)],
                LEVELS[usize::from(i / 6 % 6)],
                LEVELS[usize::from(i % 6)],
            )
        }
        _ => {
            let v = 8 + (n - 232) * 10;
            (v, v, v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_numbers_and_hex_are_read_as_terminals_spell_them() {
        let hex = |t: &str| t.parse::<CodeColor>().unwrap().hex();
        assert_eq!(hex("yellow").as_deref(), Some("#CDCD00"));
        assert_eq!(hex("Light Blue").as_deref(), Some("#5C5CFF"));
        assert_eq!(hex("bright-red").as_deref(), Some("#FF0000"));
        assert_eq!(hex("grey").as_deref(), Some("#E5E5E5"));
        assert_eq!(hex("#ff8800").as_deref(), Some("#FF8800"));
        assert_eq!(hex("#f80").as_deref(), Some("#FF8800"));
        assert_eq!(hex("208").as_deref(), Some("#FF8700"));
        assert_eq!(hex("reset"), None);
        for bad in ["", "nonsense", "#ff88", "#gggggg", "256", "ff8800"] {
            assert!(bad.parse::<CodeColor>().is_err(), "{bad}");
        }
    }
}
