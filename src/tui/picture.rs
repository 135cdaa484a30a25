//! Screenshots decoded for the preview: huge pictures refused before decoding, what is
//! decoded scaled down to preview size. Runs on the media worker (background.rs), never
//! on the interface's thread.

use std::path::Path;

use crate::store::{media, read};

/// Pictures larger than this (in pixels) are not decoded for a preview.
const MAX_PICTURE_PIXELS: u64 = 40_000_000;

/// Decode a screenshot for the preview, refusing huge images before decoding them and
/// scaling what is decoded down to preview size.
pub fn load_picture(root: &Path, rel: &str) -> Result<image::DynamicImage, String> {
    let path = media::resolve_inside(root, rel).map_err(|e| e.to_string())?;
    // Only a regular file: a pipe named like a picture would block the interface.
    let open = || {
        read::open_regular(&path)
            .map(|f| image::ImageReader::new(std::io::BufReader::new(f)))
            .and_then(|r| r.with_guessed_format())
            .map_err(|e| format!("cannot read: {e}"))
    };
    let (w, h) = open()?
        .into_dimensions()
        .map_err(|e| format!("not a picture: {e}"))?;
    if u64::from(w) * u64::from(h) > MAX_PICTURE_PIXELS {
        return Err(format!("too large to preview ({w}×{h}); o opens it"));
    }
    let mut reader = open()?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| format!("cannot decode: {e}"))?;
    Ok(image.thumbnail(1024, 1024))
}
