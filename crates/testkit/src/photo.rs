//! A photo as a phone takes it, for the tests of what happens to a ticket's photos.

use std::io::Cursor;

/// The marker the photo's EXIF carries beside its GPS block: a stripped photo lacks it.
pub const PHOTO_PLACE_MARKER: &[u8] = b"GPS 55.7887N";

/// A real 1200 × 800 JPEG, as a camera writes it, with EXIF naming where it was taken
/// (GPS latitude reference and a marker text) and turned by 90° (orientation 6).
pub fn phone_photo() -> crate::TestResult<Vec<u8>> {
    let picture = image::RgbImage::from_fn(1200, 800, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut Cursor::new(&mut jpeg), 85).encode_image(&picture)?;
    // TIFF (little-endian): IFD0 with the orientation and a pointer to the GPS IFD.
    let mut tiff = b"II\x2A\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    for (tag, kind, count, value) in [(0x0112u16, 3u16, 1u32, 6u32), (0x8825, 4, 1, 38)] {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&count.to_le_bytes());
        tiff.extend_from_slice(&value.to_le_bytes());
    }
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&2u32.to_le_bytes());
    tiff.extend_from_slice(b"N\0\0\0");
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(b"GPS 55.7887N 49.1221E");
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend_from_slice(&jpeg[2..]);
    Ok(out)
}
