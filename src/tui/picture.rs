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

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG whose header says `width` × `height` RGBA pixels, with almost no data: what
    /// a hostile or broken file can claim in a few dozen bytes.
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
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
        // The start of a zlib stream, then the end: far too little for the pixels.
        chunk(b"IDAT", &[0x78, 0x9c]);
        chunk(b"IEND", &[]);
        png
    }

    #[test]
    fn huge_pictures_are_refused_before_decoding() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("media")).unwrap();
        for (w, h) in [(60_000, 60_000), (10_000, 4_001), (65_535, 700)] {
            let rel = format!("media/{w}x{h}.png");
            std::fs::write(dir.path().join(&rel), png_claiming(w, h)).unwrap();
            // This note comes only from the dimensions in the header, before decoding.
            let note = load_picture(dir.path(), &rel).unwrap_err();
            assert!(
                note.starts_with(&format!("too large to preview ({w}×{h})")),
                "{note}"
            );
        }
        // Under the limit, a header alone is read as far as it goes.
        std::fs::write(dir.path().join("media/small.png"), png_claiming(4000, 3000)).unwrap();
        let note = load_picture(dir.path(), "media/small.png").unwrap_err();
        assert!(note.starts_with("cannot decode"), "{note}");
        // And a real picture is decoded and scaled to preview size.
        let picture = image::RgbaImage::from_pixel(2000, 500, image::Rgba([1, 2, 3, 255]));
        picture.save(dir.path().join("media/real.png")).unwrap();
        let shown = load_picture(dir.path(), "media/real.png").unwrap();
        assert_eq!((shown.width(), shown.height()), (1024, 256));
    }
}
