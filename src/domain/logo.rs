//! A logo uploaded by an admin, checked and made safe to serve: only PNG and JPEG files are
//! read (by their first bytes, not their name), within size and dimension limits, decoded and
//! encoded again as a small PNG. What a crafted file could carry besides pixels (metadata,
//! other formats, scripts in SVG) never reaches a page.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};

use super::InvalidInput;

/// The largest file accepted, in bytes (2 MiB).
pub const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;
/// The largest image decoded, in pixels on a side.
const MAX_SIDE: u32 = 6000;
/// The box a logo is scaled down into, in pixels.
const FIT_WIDTH: u32 = 480;
const FIT_HEIGHT: u32 = 160;

/// Reads an uploaded PNG or JPEG and returns it as PNG bytes, scaled down to fit 480×160.
/// Errors say why in words for the admin: not PNG or JPEG, too large, damaged.
pub fn reencode_logo(bytes: &[u8]) -> Result<Vec<u8>, InvalidInput> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(InvalidInput::new(
            "the logo is larger than 2 MB: save it smaller",
        ));
    }
    let format = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        ImageFormat::Png
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ImageFormat::Jpeg
    } else {
        return Err(InvalidInput::new("the logo must be a PNG or JPEG image"));
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| {
        InvalidInput::new(
            "the logo cannot be read: it is damaged or too large (6000 pixels at most)",
        )
    })?;
    let image = if image.width() > FIT_WIDTH || image.height() > FIT_HEIGHT {
        image.resize(FIT_WIDTH, FIT_HEIGHT, image::imageops::FilterType::Lanczos3)
    } else {
        image
    };
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|_| InvalidInput::new("the logo cannot be converted"))?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbaImage::from_pixel(width, height, image::Rgba([29, 53, 87, 255]));
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgba8(image)
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn a_large_logo_is_scaled_into_its_box_as_png() {
        let out = reencode_logo(&png(1200, 300)).unwrap();
        let back = image::load_from_memory_with_format(&out, ImageFormat::Png).unwrap();
        assert_eq!((back.width(), back.height()), (480, 120));
        let small = reencode_logo(&png(40, 20)).unwrap();
        let back = image::load_from_memory(&small).unwrap();
        assert_eq!((back.width(), back.height()), (40, 20));
    }

    #[test]
    fn anything_but_png_or_jpeg_is_refused_with_a_reason() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert!(reencode_logo(svg).unwrap_err().0.contains("PNG or JPEG"));
        let mut gif = b"GIF89a".to_vec();
        gif.extend([0; 20]);
        assert!(reencode_logo(&gif).is_err());
        let mut broken = b"\x89PNG\r\n\x1a\n".to_vec();
        broken.extend([7; 40]);
        assert!(
            reencode_logo(&broken)
                .unwrap_err()
                .0
                .contains("cannot be read")
        );
        assert!(
            reencode_logo(&vec![0xFF; MAX_LOGO_BYTES + 1])
                .unwrap_err()
                .0
                .contains("larger than 2 MB")
        );
    }
}
