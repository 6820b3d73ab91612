//! Preview pictures of image documents, made on the server so TIFF scans
//! get one too and a huge photo is never sent whole for a preview.
//!
//! An image's size is read from its header first; anything above the pixel
//! limit is not decoded at all, so a small file claiming gigapixels (a
//! decompression bomb) costs nothing.

use super::filetype::FileKind;
use std::io::Cursor;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The longest edge of a preview.
pub const EDGE: u32 = 480;

/// Images above this many pixels get no preview (about a 50-megapixel
/// camera; an A4 page scanned at 600 dpi has 35 million).
pub const MAX_PIXELS: u64 = 50_000_000;

/// Memory the decoder may use, beyond the pixels themselves.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// Previews rendered at the same time, server-wide. Decoding a large
/// picture takes up to [`MAX_ALLOC`] plus its pixels; twenty requested at
/// once must not take gigabytes.
pub const RENDERINGS: usize = 2;

/// How long a request waits for a rendering slot before it is answered
/// "busy" (503 with `Retry-After`).
pub const WAIT: Duration = Duration::from_secs(10);

/// The rendering slots: shared by all clones (it lives in the app state).
#[derive(Clone, Debug)]
pub struct PreviewSlots {
    permits: Arc<tokio::sync::Semaphore>,
    wait_ms: Arc<AtomicU64>,
}

impl Default for PreviewSlots {
    fn default() -> Self {
        PreviewSlots {
            permits: Arc::new(tokio::sync::Semaphore::new(RENDERINGS)),
            wait_ms: Arc::new(AtomicU64::new(
                u64::try_from(WAIT.as_millis()).unwrap_or(u64::MAX),
            )),
        }
    }
}

impl PreviewSlots {
    /// A rendering slot, or None when none came free within the wait.
    pub async fn acquire(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        let wait = Duration::from_millis(self.wait_ms.load(Ordering::Relaxed));
        tokio::time::timeout(wait, self.permits.clone().acquire_owned())
            .await
            .ok()
            .and_then(Result::ok)
    }

    /// Tests only: a shorter (or longer) wait for a slot.
    pub fn set_wait(&self, wait: Duration) {
        self.wait_ms.store(
            u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
    }
}

/// The German answer when every slot stayed busy.
pub const BUSY: &str = "Die Vorschau kann gerade nicht erstellt werden, weil viele Vorschaubilder zugleich angefragt werden. Bitte laden Sie die Seite in einigen Sekunden neu.";

#[derive(Debug, thiserror::Error)]
pub enum ThumbnailError {
    #[error("Für dieses Bild gibt es keine Vorschau: Mit {0} Megapixeln ist es zu groß. Laden Sie es herunter, um es anzusehen.")]
    TooLarge(u64),
    #[error("Für diesen Dateityp gibt es keine Vorschaubilder.")]
    NotAnImage,
    #[error("Das Bild lässt sich nicht lesen; die Datei ist vermutlich beschädigt. Laden Sie es herunter, um es zu prüfen.")]
    Unreadable(String),
}

impl ThumbnailError {
    /// Whether the same file will always fail the same way, so the failure
    /// can be remembered (the file is content-addressed, it never changes).
    pub fn is_permanent(&self) -> bool {
        matches!(
            self,
            ThumbnailError::TooLarge(_) | ThumbnailError::Unreadable(_)
        )
    }
}

/// Where a failed preview is remembered: beside the cached preview, in the
/// previews directory (which start-up recovery does not treat as blobs).
pub fn failure_marker(thumbnail_path: &Path) -> std::path::PathBuf {
    thumbnail_path.with_extension("fehler")
}

/// The German message of a remembered failure, if there is one.
pub async fn remembered_failure(thumbnail_path: &Path) -> Option<String> {
    tokio::fs::read_to_string(failure_marker(thumbnail_path))
        .await
        .ok()
        .filter(|message| !message.is_empty())
}

/// Remembers a failure that will recur, so the picture is not decoded
/// again on every request. Written aside and renamed: a reader sees the
/// whole message or none.
pub async fn remember_failure(
    thumbnail_path: &Path,
    error: &ThumbnailError,
) -> std::io::Result<()> {
    if !error.is_permanent() {
        return Ok(());
    }
    let marker = failure_marker(thumbnail_path);
    if let Some(dir) = marker.parent() {
        tokio::fs::create_dir_all(dir).await?;
    }
    let temp = marker.with_extension(format!("fehler.{:016x}", rand::random::<u64>()));
    tokio::fs::write(&temp, error.to_string()).await?;
    tokio::fs::rename(&temp, &marker).await
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
