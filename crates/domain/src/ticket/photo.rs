//! A ticket's photos: what is taken (JPEG, PNG or WebP by their first bytes, at most 10 MB,
//! at most 5 a ticket) and what is taken out before a photo leaves the person's machine and
//! again on the server: every metadata block that can hold a place or a person (EXIF with its
//! GPS tags, XMP, IPTC, comments, text chunks, and a JPEG's appended pictures). A JPEG keeps
//! only which way up it is, so it still shows the right way round.

use img_parts::jpeg::{Jpeg, JpegSegment, markers};
use img_parts::png::Png;
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

/// Photos a ticket may carry.
pub const MAX_PHOTOS: usize = 5;
/// The largest photo taken, in bytes.
pub const MAX_PHOTO_BYTES: u64 = 10 * 1024 * 1024;

/// A photo's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum PhotoType {
    /// `image/jpeg`.
    Jpeg,
    /// `image/png`.
    Png,
    /// `image/webp`.
    Webp,
}

impl PhotoType {
    /// Its code as stored (`jpeg`, `png`, `webp`).
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoType::Jpeg => "jpeg",
            PhotoType::Png => "png",
            PhotoType::Webp => "webp",
        }
    }

    /// The format of a stored code.
    pub fn parse(text: &str) -> Option<PhotoType> {
        [PhotoType::Jpeg, PhotoType::Png, PhotoType::Webp].into_iter().find(|t| t.as_str() == text)
    }

    /// The media type.
    pub fn mime(self) -> &'static str {
        match self {
            PhotoType::Jpeg => "image/jpeg",
            PhotoType::Png => "image/png",
            PhotoType::Webp => "image/webp",
        }
    }
}

/// A stored photo, as a ticket lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PhotoRef {
    /// The SHA-256 of its bytes, in hex.
    pub id: String,
    /// Its format.
    #[serde(rename = "type")]
    pub kind: PhotoType,
    /// Its size in bytes.
    pub bytes: u64,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// An upload as far as it got: the photo once every byte arrived.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Upload {
    /// The key the client chose for it.
    pub key: String,
    /// The length declared.
    pub total: u64,
    /// Bytes received so far: the offset to send from.
    pub received: u64,
    /// The stored photo, when complete.
    pub photo: Option<PhotoRef>,
}

/// Whether a text is a photo's id (64 lowercase hex digits).
pub fn is_photo_id(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Why a photo was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// Larger than the limit.
    #[error("the photo is {0} bytes; at most {MAX_PHOTO_BYTES} (10 MB): make it smaller")]
    TooLarge(u64),
    /// Not a JPEG, PNG or WebP.
    #[error("this file is not a JPEG, PNG or WebP photo")]
    Unsupported,
    /// Its header says one format, its content is broken.
    #[error("the photo cannot be read: the file is damaged or cut short")]
    Unreadable,
    /// More than the limit on one ticket.
    #[error("a ticket takes at most {MAX_PHOTOS} photos, not {0}")]
    TooMany(usize),
}

impl crate::Coded for PhotoError {
    fn code(&self) -> &'static str {
        match self {
            PhotoError::TooLarge(_) => "photo_too_large",
            PhotoError::Unsupported => "photo_type",
            PhotoError::Unreadable => "photo_unreadable",
            PhotoError::TooMany(_) => "photo_too_many",
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            PhotoError::TooLarge(bytes) => {
                vec![("bytes", bytes.to_string()), ("max_mb", (MAX_PHOTO_BYTES / 1024 / 1024).to_string())]
            }
            PhotoError::TooMany(n) => vec![("count", n.to_string()), ("max", MAX_PHOTOS.to_string())],
            PhotoError::Unsupported | PhotoError::Unreadable => Vec::new(),
        }
    }
}

/// The format a file's first bytes announce.
pub fn sniff(head: &[u8]) -> Option<PhotoType> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(PhotoType::Jpeg)
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(PhotoType::Png)
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some(PhotoType::Webp)
    } else {
        None
    }
}

/// Checks a photo's size and format.
pub fn check_photo(bytes: &[u8]) -> Result<PhotoType, PhotoError> {
    let size = bytes.len() as u64;
    if size > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge(size));
    }
    sniff(bytes).ok_or(PhotoError::Unsupported)
}

/// Checks how many photos a ticket is given.
pub fn check_photo_count(count: usize) -> Result<(), PhotoError> {
    if count > MAX_PHOTOS { Err(PhotoError::TooMany(count)) } else { Ok(()) }
}

/// The photo without its metadata (see the module's words); checked first.
pub fn strip_metadata(bytes: Vec<u8>) -> Result<(PhotoType, Vec<u8>), PhotoError> {
    let kind = check_photo(&bytes)?;
    let bytes = Bytes::from(bytes);
    let out = match kind {
        PhotoType::Jpeg => {
            let mut jpeg = Jpeg::from_bytes(bytes).map_err(|_| PhotoError::Unreadable)?;
            let orientation = jpeg.exif().as_deref().and_then(orientation);
            // Only what draws the picture is kept: every application segment but JFIF (APP0),
            // a colour profile (APP2 ICC_PROFILE) and Adobe's colour transform (APP14) goes,
            // and comments. APP1 holds EXIF and XMP, APP13 IPTC, and the rest whatever a
            // maker chose (a GoPro's APP6 holds its GPS track); an MPF index (APP2) would
            // point at pictures after the image's end, which are not written back.
            jpeg.segments_mut().retain(|s| {
                let marker = s.marker();
                let application = (markers::APP0..=markers::APP15).contains(&marker);
                let kept = marker == markers::APP0
                    || marker == markers::APP14
                    || (marker == markers::APP2 && s.contents().starts_with(b"ICC_PROFILE\0"));
                marker != markers::COM && (!application || kept)
            });
            if let Some(o) = orientation.filter(|o| *o != 1) {
                jpeg.set_exif(Some(Bytes::from(orientation_exif(o))));
            }
            // The first scan's data runs to the end of the file; the image ends at the first
            // EOI after it (the scans' data cannot hold one), and what follows is cut.
            let segments = jpeg.segments();
            let scan = segments.iter().position(JpegSegment::has_entropy);
            let head =
                2 + segments.iter().take(scan.map_or(segments.len(), |k| k + 1)).map(JpegSegment::len).sum::<usize>();
            let mut out = jpeg.encoder().bytes().to_vec();
            if scan.is_some()
                && let Some(end) = out.get(head..).and_then(|tail| tail.windows(2).position(|w| w == [0xFF, 0xD9]))
            {
                out.truncate(head + end + 2);
            }
            return Ok((kind, out));
        }
        PhotoType::Png => {
            // The critical chunks (an upper-case first letter) and those that say how to show
            // the picture (transparency, colour, pixel size, animation); every other ancillary
            // chunk goes: EXIF, text, times, content credentials, a maker's own.
            let mut png = Png::from_bytes(bytes).map_err(|_| PhotoError::Unreadable)?;
            png.chunks_mut().retain(|c| {
                let kind = c.kind();
                kind[0].is_ascii_uppercase() || PNG_DRAWING.contains(&&kind)
            });
            png.encoder().bytes()
        }
        PhotoType::Webp => {
            let mut webp = WebP::from_bytes(bytes).map_err(|_| PhotoError::Unreadable)?;
            webp.set_exif(None);
            webp.remove_chunks_by_id(*b"XMP ");
            // Of what is left, only the chunks that draw the picture.
            webp.chunks_mut().retain(|c| WEBP_DRAWING.contains(&&c.id()));
            webp.encoder().bytes()
        }
    };
    Ok((kind, out.to_vec()))
}

/// A PNG's ancillary chunks that say how to show the picture.
const PNG_DRAWING: [&[u8; 4]; 12] =
    [b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"bKGD", b"pHYs", b"cICP", b"acTL", b"fcTL", b"fdAT"];

/// A WebP's chunks that draw the picture.
const WEBP_DRAWING: [&[u8; 4]; 7] = [b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"];

/// The orientation tag (0x0112) of IFD0 in EXIF data (a TIFF structure).
fn orientation(exif: &[u8]) -> Option<u16> {
    let exif = exif.strip_prefix(b"Exif\0\0").unwrap_or(exif);
    let big = match exif.get(..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b: [u8; 2] = exif.get(at..at + 2)?.try_into().ok()?;
        Some(if big { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = exif.get(at..at + 4)?.try_into().ok()?;
        Some(if big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    };
    let ifd = u32_at(4)? as usize;
    let count = u16_at(ifd)? as usize;
    (0..count.min(512)).find_map(|k| {
        let entry = ifd + 2 + k * 12;
        (u16_at(entry)? == 0x0112).then(|| u16_at(entry + 8)).flatten().filter(|o| (1..=8).contains(o))
    })
}

/// EXIF data holding nothing but an orientation.
fn orientation_exif(o: u16) -> Vec<u8> {
    let mut out = b"MM\0\x2A".to_vec();
    out.extend_from_slice(&8u32.to_be_bytes());
    out.extend_from_slice(&1u16.to_be_bytes());
    out.extend_from_slice(&0x0112u16.to_be_bytes());
    out.extend_from_slice(&3u16.to_be_bytes());
    out.extend_from_slice(&1u32.to_be_bytes());
    out.extend_from_slice(&o.to_be_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&0u32.to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// EXIF with an orientation and a GPS block that names a place (latitude N 55° 47').
    fn exif_with_gps(orientation: u16) -> Vec<u8> {
        let mut t = b"II\x2A\0".to_vec();
        t.extend_from_slice(&8u32.to_le_bytes());
        // IFD0: orientation, and the GPS IFD's offset.
        t.extend_from_slice(&2u16.to_le_bytes());
        t.extend_from_slice(&0x0112u16.to_le_bytes());
        t.extend_from_slice(&3u16.to_le_bytes());
        t.extend_from_slice(&1u32.to_le_bytes());
        t.extend_from_slice(&orientation.to_le_bytes());
        t.extend_from_slice(&[0, 0]);
        t.extend_from_slice(&0x8825u16.to_le_bytes());
        t.extend_from_slice(&4u16.to_le_bytes());
        t.extend_from_slice(&1u32.to_le_bytes());
        t.extend_from_slice(&38u32.to_le_bytes());
        t.extend_from_slice(&0u32.to_le_bytes());
        // GPS IFD: the latitude reference, then a marker text to look for.
        t.extend_from_slice(&1u16.to_le_bytes());
        t.extend_from_slice(&1u16.to_le_bytes());
        t.extend_from_slice(&2u16.to_le_bytes());
        t.extend_from_slice(&2u32.to_le_bytes());
        t.extend_from_slice(b"N\0\0\0");
        t.extend_from_slice(&0u32.to_le_bytes());
        t.extend_from_slice(b"GPS 55.7887N 49.1221E");
        t
    }

    /// A tiny JPEG's structure: SOI, the given segments, a frame and a scan, EOI, then an
    /// appended picture.
    fn jpeg(extra: Vec<JpegSegment>) -> Vec<u8> {
        let mut j = Jpeg::from_bytes(Bytes::from_static(&[
            0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0xFF, 0xD9,
        ]))
        .expect("a JPEG");
        for (k, s) in extra.into_iter().enumerate() {
            j.segments_mut().insert(k, s);
        }
        let mut out = j.encoder().bytes().to_vec();
        out.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x08, b'G', b'P', b'S', b'!', 0, 0, 0xFF, 0xD9]);
        out
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_jpeg_loses_its_place_and_keeps_its_orientation() {
        let mut exif = b"Exif\0\0".to_vec();
        exif.extend(exif_with_gps(6));
        let xmp = b"http://ns.adobe.com/xap/1.0/\0<exif:GPSLatitude>55,47.3N</exif:GPSLatitude>".to_vec();
        let photo = jpeg(vec![
            JpegSegment::new_with_contents(markers::APP1, Bytes::from(exif)),
            JpegSegment::new_with_contents(markers::APP1, Bytes::from(xmp)),
            JpegSegment::new_with_contents(markers::COM, Bytes::from_static(b"shot at home")),
            // A maker's own segment with a GPS track (as an action camera writes it).
            JpegSegment::new_with_contents(markers::APP6, Bytes::from_static(b"GoPro\0GPS5 track 55.78")),
            JpegSegment::new_with_contents(markers::APP2, Bytes::from_static(b"ICC_PROFILE\0\x01\x01sRGB")),
        ]);
        assert!(contains(&photo, b"GPS 55.7887N") && contains(&photo, b"GPSLatitude"));
        let (kind, clean) = strip_metadata(photo).expect("stripped");
        assert_eq!(kind, PhotoType::Jpeg);
        for gone in [&b"GPS"[..], b"GPSLatitude", b"shot at home", b"xap", b"GoPro"] {
            assert!(!contains(&clean, gone), "{} is still there", String::from_utf8_lossy(gone));
        }
        assert!(contains(&clean, b"ICC_PROFILE"), "the colour profile stays");
        let back = Jpeg::from_bytes(Bytes::from(clean.clone())).expect("still a JPEG");
        assert_eq!(back.exif().as_deref().and_then(orientation), Some(6), "still turned the same way");
        assert_eq!(strip_metadata(clean.clone()).map(|(_, b)| b), Ok(clean), "stripping twice changes nothing");
    }

    #[test]
    fn png_and_webp_lose_their_metadata() {
        let mut png = Png::from_bytes(Bytes::from_static(
            b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x00\0\0\0\x3a\x7e\x9b\x55\0\0\0\0IEND\xae\x42\x60\x82",
        ))
        .expect("a PNG");
        png.chunks_mut().insert(1, img_parts::png::PngChunk::new(*b"tEXt", Bytes::from_static(b"Location\0Kazan")));
        png.chunks_mut().insert(1, img_parts::png::PngChunk::new(*b"caBX", Bytes::from_static(b"c2pa Kazan")));
        png.chunks_mut()
            .insert(1, img_parts::png::PngChunk::new(*b"pHYs", Bytes::from_static(b"\0\0\x0b\x13\0\0\x0b\x13\x01")));
        png.set_exif(Some(Bytes::from(exif_with_gps(1))));
        let photo = png.encoder().bytes().to_vec();
        assert!(contains(&photo, b"Kazan") && contains(&photo, b"GPS 55"));
        let (_, clean) = strip_metadata(photo).expect("stripped");
        assert!(!contains(&clean, b"Kazan") && !contains(&clean, b"GPS 55"));
        assert!(contains(&clean, b"IHDR") && contains(&clean, b"pHYs"), "the picture and its pixel size stay");

        let riff = b"RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0\x2f\0\0\0\x10\x07\x10\x11\x11\x88\x88\xfe\x07\0";
        let mut webp = WebP::from_bytes(Bytes::from_static(riff)).expect("a WebP");
        webp.set_exif(Some(Bytes::from(exif_with_gps(1))));
        let photo = webp.encoder().bytes().to_vec();
        assert!(contains(&photo, b"GPS 55"));
        let (kind, clean) = strip_metadata(photo).expect("stripped");
        assert_eq!(kind, PhotoType::Webp);
        assert!(!contains(&clean, b"GPS 55") && contains(&clean, b"VP8L"));
    }

    #[test]
    fn size_type_and_count_are_checked() {
        let big = vec![0xFF; MAX_PHOTO_BYTES as usize + 1];
        assert_eq!(check_photo(&big), Err(PhotoError::TooLarge(MAX_PHOTO_BYTES + 1)));
        assert_eq!(check_photo(b"GIF89a...."), Err(PhotoError::Unsupported));
        assert_eq!(check_photo(b"%PDF-1.7"), Err(PhotoError::Unsupported));
        assert_eq!(strip_metadata(vec![0xFF, 0xD8, 0xFF, 0xE0]), Err(PhotoError::Unreadable));
        assert_eq!(check_photo_count(5), Ok(()));
        assert_eq!(check_photo_count(6), Err(PhotoError::TooMany(6)));
        use crate::Coded;
        assert_eq!(PhotoError::TooLarge(11_000_000).code(), "photo_too_large");
    }
}
