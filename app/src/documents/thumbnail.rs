//! Preview pictures of image documents, made on the server so TIFF scans
//! get one too and a huge photo is never sent whole for a preview.
//!
//! An image's size is read from its header first; anything above the pixel
//! limit is not decoded at all, so a small file claiming gigapixels (a
//! decompression bomb) costs nothing.

use super::filetype::FileKind;
use std::io::Cursor;
use std::path::Path;

/// The longest edge of a preview.
pub const EDGE: u32 = 480;

/// Images above this many pixels get no preview (about a 50-megapixel
/// camera; an A4 page scanned at 600 dpi has 35 million).
pub const MAX_PIXELS: u64 = 50_000_000;

/// Memory the decoder may use, beyond the pixels themselves.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ThumbnailError {
    #[error("Für dieses Bild gibt es keine Vorschau: Mit {0} Megapixeln ist es zu groß. Laden Sie es herunter, um es anzusehen.")]
    TooLarge(u64),
    #[error("Für diesen Dateityp gibt es keine Vorschaubilder.")]
    NotAnImage,
    #[error("Das Bild lässt sich nicht lesen; die Datei ist vermutlich beschädigt. Laden Sie es herunter, um es zu prüfen.")]
    Unreadable(String),
}

fn format_of(kind: FileKind) -> Option<image::ImageFormat> {
    match kind {
        FileKind::Png => Some(image::ImageFormat::Png),
        FileKind::Jpeg => Some(image::ImageFormat::Jpeg),
        FileKind::Tiff => Some(image::ImageFormat::Tiff),
        _ => None,
    }
}

fn reader(
    source: &Path,
    format: image::ImageFormat,
) -> Result<image::ImageReader<std::io::BufReader<std::fs::File>>, ThumbnailError> {
    let mut reader =
        image::ImageReader::open(source).map_err(|e| ThumbnailError::Unreadable(e.to_string()))?;
    reader.set_format(format);
    Ok(reader)
}

/// A PNG preview of at most [`EDGE`] pixels on its longer side.
pub fn render(source: &Path, kind: FileKind, max_pixels: u64) -> Result<Vec<u8>, ThumbnailError> {
    let format = format_of(kind).ok_or(ThumbnailError::NotAnImage)?;
    let (width, height) = reader(source, format)?
        .into_dimensions()
        .map_err(|e| ThumbnailError::Unreadable(e.to_string()))?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > max_pixels {
        return Err(ThumbnailError::TooLarge(pixels.div_ceil(1_000_000)));
    }
    let mut reader = reader(source, format)?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let picture = reader
        .decode()
        .map_err(|e| ThumbnailError::Unreadable(e.to_string()))?;
    let small = picture.thumbnail(EDGE, EDGE);
    let mut out = Cursor::new(Vec::new());
    small
        .write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| ThumbnailError::Unreadable(e.to_string()))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> tempfile::NamedTempFile {
        let file = tempfile::Builder::new()
            .suffix(".png")
            .tempfile()
            .expect("temp");
        image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        })
        .save_with_format(file.path(), image::ImageFormat::Png)
        .expect("save");
        file
    }

    #[test]
    fn previews_keep_the_aspect_and_stay_small() {
        let source = png(1200, 600);
        let bytes = render(source.path(), FileKind::Png, MAX_PIXELS).expect("preview");
        let preview = image::load_from_memory(&bytes).expect("png");
        assert_eq!((preview.width(), preview.height()), (EDGE, EDGE / 2));
    }

    #[test]
    fn images_over_the_pixel_limit_are_not_decoded() {
        let source = png(40, 30);
        assert!(matches!(
            render(source.path(), FileKind::Png, 1_000),
            Err(ThumbnailError::TooLarge(1))
        ));
        assert!(render(source.path(), FileKind::Png, 1_200).is_ok());
    }

    #[test]
    fn non_images_and_broken_files_are_refused() {
        let source = png(4, 4);
        assert!(matches!(
            render(source.path(), FileKind::Pdf, MAX_PIXELS),
            Err(ThumbnailError::NotAnImage)
        ));
        let broken = tempfile::NamedTempFile::new().expect("temp");
        std::fs::write(broken.path(), b"\x89PNG\r\n\x1a\nkaputt").expect("write");
        assert!(matches!(
            render(broken.path(), FileKind::Png, MAX_PIXELS),
            Err(ThumbnailError::Unreadable(_))
        ));
    }
}
