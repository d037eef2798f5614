//! Reading the pictures the browser tests make, without an image crate: `pdftoppm -gray` pages (binary
//! PGM) and Chromium's screenshots (PNG: zlib through flate2, which the tool already depends on, then the
//! five scanline filters). Then the two measurements the tests need: the grey of each bar of the outcome
//! chart, and how full a printed page is.

use flate2::read::ZlibDecoder;
use std::io::Read;

/// A picture, one value per pixel per channel (1 channel for grey, 3 for RGB), rows top to bottom.
pub struct Image {
    pub width: usize,
    pub height: usize,
    pub channels: usize,
    pub data: Vec<u8>,
}

impl Image {
    pub fn px(&self, x: usize, y: usize) -> &[u8] {
        let i = (y * self.width + x) * self.channels;
        &self.data[i..i + self.channels]
    }
}

/// A binary PGM (`P5`, 8-bit), as `pdftoppm -gray` writes it.
pub fn pgm(bytes: &[u8]) -> Image {
    // Header: magic, width, height, maxval, separated by whitespace, then one whitespace byte.
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    assert_eq!(fields[0], "P5", "a binary grey PGM");
    assert_eq!(fields[3], "255", "8-bit");
    let (width, height) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let data = bytes[i + 1..i + 1 + width * height].to_vec();
    Image {
        width,
        height,
        channels: 1,
        data,
    }
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = a as i16 + b as i16 - c as i16;
    let (pa, pb, pc) = (
        (p - a as i16).abs(),
        (p - b as i16).abs(),
        (p - c as i16).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// An 8-bit RGB or RGBA PNG without interlacing (what Chromium's `--screenshot` writes), as RGB.
pub fn png(bytes: &[u8]) -> Image {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let (mut width, mut height, mut bpp) = (0usize, 0usize, 0usize);
    let mut compressed = Vec::new();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let kind = &bytes[at + 4..at + 8];
        let body = &bytes[at + 8..at + 8 + len];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(body[0..4].try_into().unwrap()) as usize;
                height = u32::from_be_bytes(body[4..8].try_into().unwrap()) as usize;
                assert_eq!(body[8], 8, "8 bits per channel");
                assert_eq!(body[12], 0, "not interlaced");
                bpp = match body[9] {
                    2 => 3,
                    6 => 4,
                    other => panic!("PNG colour type {other}"),
                };
            }
            b"IDAT" => compressed.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        at += 12 + len;
    }
    let mut raw = Vec::new();
    ZlibDecoder::new(compressed.as_slice())
        .read_to_end(&mut raw)
        .unwrap();
    let stride = width * bpp;
    let mut out: Vec<u8> = vec![0; stride * height];
    for y in 0..height {
        let filter = raw[y * (stride + 1)];
        let line = &raw[y * (stride + 1) + 1..(y + 1) * (stride + 1)];
        for x in 0..stride {
            let a = if x >= bpp {
                out[y * stride + x - bpp]
            } else {
                0
            };
            let b = if y > 0 { out[(y - 1) * stride + x] } else { 0 };
            let c = if x >= bpp && y > 0 {
                out[(y - 1) * stride + x - bpp]
            } else {
                0
            };
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((a as u16 + b as u16) / 2) as u8,
                4 => paeth(a, b, c),
                other => panic!("PNG filter {other}"),
            };
            out[y * stride + x] = line[x].wrapping_add(predicted);
        }
    }
    let data = out.chunks(bpp).flat_map(|p| [p[0], p[1], p[2]]).collect();
    Image {
        width,
        height,
        channels: 3,
        data,
    }
}

/// A solid horizontal bar found in a grey page: its rows, left edge, width and grey.
#[derive(Debug, Clone)]
pub struct Bar {
    pub top: usize,
    pub bottom: usize,
    pub left: usize,
    pub width: usize,
    pub grey: u8,
}

/// The longest run of one grey (not white) in a row, at least `min` pixels long.
fn longest_run(img: &Image, y: usize, min: usize) -> Option<(usize, usize, u8)> {
    let mut best: Option<(usize, usize, u8)> = None;
    let mut x = 0;
    while x < img.width {
        let v = img.px(x, y)[0];
        let start = x;
        while x < img.width && img.px(x, y)[0].abs_diff(v) <= 2 {
            x += 1;
        }
        let long = x - start >= min && best.is_none_or(|b| x - start > b.1 - b.0);
        if v < 240 && long {
            best = Some((start, x, v));
        }
    }
    best
}

/// Solid bars at least `min_width` wide and 4 rows high, top to bottom: consecutive rows whose longest
/// non-white run starts at the same place with the same grey.
pub fn bars(img: &Image, min_width: usize) -> Vec<Bar> {
    let mut found: Vec<Bar> = Vec::new();
    let mut open: Option<Bar> = None;
    for y in 0..img.height {
        let run = longest_run(img, y, min_width);
        let continues = match (&open, run) {
            (Some(b), Some((l, _, v))) => b.left.abs_diff(l) <= 1 && b.grey.abs_diff(v) <= 3,
            _ => false,
        };
        if continues {
            if let Some(b) = open.as_mut() {
                b.bottom = y;
            }
            continue;
        }
        if let Some(b) = open.take() {
            if b.bottom - b.top + 1 >= 4 {
                found.push(b);
            }
        }
        open = run.map(|(left, right, grey)| Bar {
            top: y,
            bottom: y,
            left,
            width: right - left,
            grey,
        });
    }
    found.extend(open.filter(|b| b.bottom - b.top + 1 >= 4));
    found
}

/// The bars of a horizontal bar chart: the largest set of bars that share their left edge.
pub fn chart_bars(img: &Image, min_width: usize) -> Vec<Bar> {
    let all = bars(img, min_width);
    let mut best: Vec<Bar> = Vec::new();
    for b in &all {
        let same: Vec<Bar> = all
            .iter()
            .filter(|o| o.left.abs_diff(b.left) <= 1)
            .cloned()
            .collect();
        if same.len() > best.len() {
            best = same;
        }
    }
    best
}

/// How far down the content area of a page the ink goes, from 0 (blank) to 1 (full). `top` and `bottom`
/// are the page margins in pixels; the footer sits in the bottom margin and is not counted.
pub fn fill(img: &Image, top: usize, bottom: usize) -> f64 {
    let last = (top..img.height - bottom)
        .rev()
        .find(|&y| (0..img.width).any(|x| img.px(x, y)[0] < 200));
    match last {
        Some(y) => (y - top) as f64 / (img.height - bottom - top) as f64,
        None => 0.0,
    }
}
