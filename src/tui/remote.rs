//! A ratatui backend for a terminal at the other end of a connection: crossterm's
//! escape sequences written to any `Write` (an SSH channel), with the size the client
//! reported instead of asking this process's own terminal (a server has none).

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Rect, Size};
use ratatui::{Terminal, TerminalOptions, Viewport};

/// The remote terminal's size, shared by the backend and the input side that learns of
/// window changes.
#[derive(Debug, Clone)]
pub struct RemoteSize(Arc<Mutex<Size>>);

impl RemoteSize {
    pub fn new(width: u16, height: u16) -> RemoteSize {
        RemoteSize(Arc::new(Mutex::new(Size::new(width, height))))
    }

    pub fn get(&self) -> Size {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set(&self, width: u16, height: u16) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Size::new(width, height);
    }
}

pub struct RemoteBackend<W: Write> {
    inner: CrosstermBackend<W>,
    size: RemoteSize,
    cursor: Position,
}

impl<W: Write> RemoteBackend<W> {
    pub fn new(writer: W, size: RemoteSize) -> RemoteBackend<W> {
        RemoteBackend {
            inner: CrosstermBackend::new(writer),
            size,
            cursor: Position::ORIGIN,
        }
    }
}

/// A terminal drawing into `writer`, as large as `size` says.
pub fn remote_terminal<W: Write>(
    writer: W,
    size: RemoteSize,
) -> io::Result<Terminal<RemoteBackend<W>>> {
    let Size { width, height } = size.get();
    Terminal::with_options(
        RemoteBackend::new(writer, size),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
        },
    )
}

impl<W: Write> Backend for RemoteBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    /// Where ratatui last put it: a remote terminal cannot be asked without waiting for
    /// its answer among the keys.
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let position = position.into();
        self.cursor = position;
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        Ok(self.size.get())
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size.get(),
            pixels: Size::default(),
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }

    fn scroll_region_up(&mut self, region: std::ops::Range<u16>, amount: u16) -> io::Result<()> {
        self.inner.scroll_region_up(region, amount)
    }

    fn scroll_region_down(&mut self, region: std::ops::Range<u16>, amount: u16) -> io::Result<()> {
        self.inner.scroll_region_down(region, amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose bytes the test can read afterwards.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn draws_at_the_size_it_is_told_and_follows_resizes() {
        let size = RemoteSize::new(30, 5);
        let out = Shared::default();
        let mut terminal = remote_terminal(out.clone(), size.clone()).unwrap();
        terminal
            .draw(|f| f.render_widget(ratatui::widgets::Paragraph::new("hello"), f.area()))
            .unwrap();
        assert_eq!(terminal.size().unwrap(), Size::new(30, 5));
        size.set(50, 10);
        terminal.resize(Rect::new(0, 0, 50, 10)).unwrap();
        terminal.clear().unwrap();
        let area = terminal.draw(|_| {}).unwrap().area;
        assert_eq!(area, Rect::new(0, 0, 50, 10));
        let text = String::from_utf8_lossy(&out.0.lock().unwrap()).into_owned();
        assert!(text.contains("hello"));
    }
}
