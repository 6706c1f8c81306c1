//! Photos on disk, under the data directory's `blobs/`: an upload's bytes so far in
//! `uploads/<person>-<key>.part`, appended in order; once complete, stripped of metadata by
//! the domain's rules, decoded (which proves it is a picture, within size limits), stored once
//! by the SHA-256 of its bytes as `<id[..2]>/<id>`, with a 320-pixel JPEG thumbnail beside it.

use std::io::{Cursor, Write};
use std::path::PathBuf;
use std::sync::Mutex;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

use domkom_domain::id::PersonId;
use domkom_domain::ticket::{PhotoError, PhotoRef, PhotoType, is_photo_id, strip_metadata};

/// The longest side of a thumbnail, in pixels.
pub const THUMB_PX: u32 = 320;

/// Why bytes were not appended.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    /// The client sent from another offset than the bytes received so far.
    #[error("the upload has {0} bytes; send from there")]
    Offset(u64),
    /// The disk failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The photo files of a data directory.
pub struct Blobs {
    dir: PathBuf,
    /// Appends check the received length and write under it, one at a time.
    appending: Mutex<()>,
    /// One photo is decoded at a time: each may take hundreds of megabytes.
    decoding: Mutex<()>,
}

impl Blobs {
    /// The blobs of a data directory (made when first written).
    pub fn new(data_dir: &std::path::Path) -> Blobs {
        Blobs { dir: data_dir.join("blobs"), appending: Mutex::new(()), decoding: Mutex::new(()) }
    }

    fn part(&self, owner: PersonId, key: &str) -> PathBuf {
        self.dir.join("uploads").join(format!("{}-{key}.part", owner.get()))
    }

    fn blob(&self, id: &str) -> PathBuf {
        self.dir.join(&id[..2]).join(id)
    }

    /// Bytes of an upload received so far.
    pub fn received(&self, owner: PersonId, key: &str) -> u64 {
        std::fs::metadata(self.part(owner, key)).map_or(0, |m| m.len())
    }

    /// Appends a chunk sent from `offset`; gives the bytes received after it.
    pub fn append(&self, owner: PersonId, key: &str, offset: u64, chunk: &[u8]) -> Result<u64, AppendError> {
        let _one = self.appending.lock().unwrap_or_else(|e| e.into_inner());
        let path = self.part(owner, key);
        let have = std::fs::metadata(&path).map_or(0, |m| m.len());
        if have != offset {
            return Err(AppendError::Offset(have));
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&path)?;
        file.write_all(chunk)?;
        file.sync_data()?;
        Ok(have + chunk.len() as u64)
    }

    /// Stores a complete upload as a photo (stripped, decoded, thumbnailed) and removes its
    /// part; a photo refused leaves the part removed too, so the key can start over.
    pub fn finish(&self, owner: PersonId, key: &str) -> Result<PhotoRef, FinishError> {
        let path = self.part(owner, key);
        let bytes = std::fs::read(&path)?;
        let done = {
            let _one = self.decoding.lock().unwrap_or_else(|e| e.into_inner());
            store_photo(self, bytes)
        };
        std::fs::remove_file(&path)?;
        done
    }

    /// A stored photo's bytes, or its thumbnail's.
    pub fn read(&self, id: &str, thumb: bool) -> std::io::Result<Vec<u8>> {
        if !is_photo_id(id) {
            return Err(std::io::ErrorKind::NotFound.into());
        }
        let path = self.blob(id);
        std::fs::read(if thumb { path.with_extension("thumb.jpg") } else { path })
    }
}

/// Why a complete upload was not stored.
#[derive(Debug, thiserror::Error)]
pub enum FinishError {
    /// Not a photo the rules take.
    #[error(transparent)]
    Photo(#[from] PhotoError),
    /// The disk failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

fn store_photo(blobs: &Blobs, bytes: Vec<u8>) -> Result<PhotoRef, FinishError> {
    let (kind, clean) = strip_metadata(bytes)?;
    let picture = decode(kind, &clean)?;
    let id = format!("{:x}", Sha256::digest(&clean));
    let path = blobs.blob(&id);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut thumb = Vec::new();
    let small = picture.thumbnail(THUMB_PX, THUMB_PX).to_rgb8();
    JpegEncoder::new_with_quality(&mut thumb, 80).encode_image(&small).map_err(|_| PhotoError::Unreadable)?;
    write_once(&path.with_extension("thumb.jpg"), &thumb)?;
    write_once(&path, &clean)?;
    Ok(PhotoRef { id, kind, bytes: clean.len() as u64, width: picture.width(), height: picture.height() })
}

/// Writes a file under a temporary name, then renames it into place (the same id is the same
/// bytes, so an existing file is kept).
fn write_once(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    if path.exists() {
        return Ok(());
    }
    // Two finishes of the same bytes at once each write their own temporary file.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp{}-{n}", std::process::id()));
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(tmp, path)
}

/// Decodes a photo within limits (no picture over 16,000 pixels a side or 512 MiB decoded),
/// turned the way its orientation says.
fn decode(kind: PhotoType, bytes: &[u8]) -> Result<DynamicImage, PhotoError> {
    let format = match kind {
        PhotoType::Jpeg => ImageFormat::Jpeg,
        PhotoType::Png => ImageFormat::Png,
        PhotoType::Webp => ImageFormat::WebP,
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(16_000);
    limits.max_image_height = Some(16_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| PhotoError::Unreadable)?;
    let orientation = decoder.orientation().ok();
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|_| PhotoError::Unreadable)?;
    if let Some(o) = orientation {
        picture.apply_orientation(o);
    }
    Ok(picture)
}
