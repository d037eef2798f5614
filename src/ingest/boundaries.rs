//! Where the elements of a `"Findings": [...]` array begin and end, for any layout (compact JSON from an
//! SDK script, other indentation), found by one pass that knows JSON strings: inside a string, brackets,
//! braces and commas are text, and `\"` does not end it. The scan is incremental, block by block, so a
//! file is never read whole, and it is cheap: it only counts nesting; every element it delimits is still
//! validated in full by the parser that receives it, and the bytes between elements must be whitespace and
//! single commas. Anything else makes it give up (the caller then reads the file sequentially).

use memchr::memchr2;
use std::ops::Range;

/// The scan found something a `Findings` array of objects cannot hold.
#[derive(Debug, PartialEq, Eq)]
pub struct NotAnArrayOfObjects;

/// The end of an array: the last elements' bytes, their ranges, and the text from the closing `]` on.
pub struct ArrayEnd {
    pub bytes: Vec<u8>,
    pub elements: Vec<Range<usize>>,
    pub tail: Vec<u8>,
}

/// The state of a scan over the bytes after the array's `[`, carried from one block to the next.
#[derive(Debug)]
pub struct Scanner {
    /// Next byte of the buffer to look at.
    pos: usize,
    /// Nesting inside the current element; 0 between elements.
    depth: u32,
    in_string: bool,
    /// A backslash was the last byte of the previous block: the first byte of this one is escaped.
    escape_pending: bool,
    /// After `[` or `,`: an element must come next.
    expect_element: bool,
    /// Elements seen in the whole array so far.
    seen: u64,
    /// Start of the element being scanned.
    start: usize,
    /// Whole elements not yet taken, as byte ranges of the buffer.
    elements: Vec<Range<usize>>,
    /// Position of the `]` that closes the array, once seen.
    array_end: Option<usize>,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner {
            pos: 0,
            depth: 0,
            in_string: false,
            escape_pending: false,
            expect_element: true,
            seen: 0,
            start: 0,
            elements: Vec::new(),
            array_end: None,
        }
    }
}

impl Scanner {
    /// Scans the bytes of `buf` not scanned yet (the caller appends to `buf` between calls).
    pub fn scan(&mut self, buf: &[u8]) -> Result<(), NotAnArrayOfObjects> {
        let mut i = self.pos;
        while i < buf.len() && self.array_end.is_none() {
            if self.in_string {
                if self.escape_pending {
                    self.escape_pending = false;
                    i += 1;
                    continue;
                }
                // Jump to the next quote or backslash: most of a finding's bytes are string contents.
                match memchr2(b'"', b'\\', &buf[i..]) {
                    None => i = buf.len(),
                    Some(k) if buf[i + k] == b'\\' => {
                        if i + k + 1 < buf.len() {
                            i += k + 2;
                        } else {
                            self.escape_pending = true;
                            i = buf.len();
                        }
                    }
                    Some(k) => {
                        self.in_string = false;
                        i += k + 1;
                    }
                }
                continue;
            }
            let b = buf[i];
            if self.depth == 0 {
                match b {
                    b' ' | b'\n' | b'\r' | b'\t' => {}
                    b'{' if self.expect_element => {
                        self.start = i;
                        self.depth = 1;
                        self.expect_element = false;
                    }
                    b',' if !self.expect_element => self.expect_element = true,
                    // `[]`, or `]` after an element; never after a comma.
                    b']' if !self.expect_element || self.seen == 0 => self.array_end = Some(i),
                    _ => return Err(NotAnArrayOfObjects),
                }
            } else {
                match b {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => {
                        self.depth -= 1;
                        if self.depth == 0 {
                            self.elements.push(self.start..i + 1);
                            self.seen += 1;
                        }
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        self.pos = i;
        Ok(())
    }

    /// Takes the whole elements scanned so far off the front of `buf`: their bytes, and their ranges in
    /// those bytes. `None` when no element is complete yet.
    pub fn take_whole(&mut self, buf: &mut Vec<u8>) -> Option<(Vec<u8>, Vec<Range<usize>>)> {
        let cut = self.elements.last()?.end;
        let rest = buf.split_off(cut);
        let bytes = std::mem::replace(buf, rest);
        self.pos -= cut;
        if self.depth > 0 {
            self.start -= cut;
        }
        if let Some(end) = &mut self.array_end {
            *end -= cut;
        }
        Some((bytes, std::mem::take(&mut self.elements)))
    }

    /// At the end of the file: the remaining elements and the text from the closing `]` on. An error when
    /// the array was not closed (the file is truncated or not an array of objects).
    pub fn finish(mut self, mut buf: Vec<u8>) -> Result<ArrayEnd, NotAnArrayOfObjects> {
        self.scan(&buf)?;
        let end = self.array_end.ok_or(NotAnArrayOfObjects)?;
        let tail = buf.split_off(end);
        Ok(ArrayEnd {
            bytes: buf,
            elements: self.elements,
            tail,
        })
    }
}

/// Where the array of a page starts when the file opens with `{"Findings": [` in any spacing: the offset
/// just after the `[`. `None` for any other start (another first key, a byte-order mark, an array).
pub fn findings_array_start(lead: &[u8]) -> Option<usize> {
    let skip = |mut i: usize| {
        while lead.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        i
    };
    let mut i = skip(0);
    if lead.get(i) != Some(&b'{') {
        return None;
    }
    i = skip(i + 1);
    if !lead[i..].starts_with(b"\"Findings\"") {
        return None;
    }
    i = skip(i + b"\"Findings\"".len());
    if lead.get(i) != Some(&b':') {
        return None;
    }
    i = skip(i + 1);
    (lead.get(i) == Some(&b'[')).then_some(i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scans `text` fed in blocks of `block` bytes, taking elements as they complete; returns the elements
    /// as text and the tail.
    fn split(text: &str, block: usize) -> Result<(Vec<String>, String), NotAnArrayOfObjects> {
        let mut s = Scanner::default();
        let mut buf = Vec::new();
        let mut out = Vec::new();
        for chunk in text.as_bytes().chunks(block) {
            buf.extend_from_slice(chunk);
            s.scan(&buf)?;
            if let Some((bytes, ranges)) = s.take_whole(&mut buf) {
                out.extend(
                    ranges
                        .into_iter()
                        .map(|r| String::from_utf8(bytes[r].to_vec()).unwrap()),
                );
            }
        }
        let end = s.finish(buf)?;
        out.extend(
            end.elements
                .into_iter()
                .map(|r| String::from_utf8(end.bytes[r].to_vec()).unwrap()),
        );
        Ok((out, String::from_utf8(end.tail).unwrap()))
    }

    #[test]
    fn strings_with_brackets_quotes_and_escapes_do_not_cut_elements() {
        let a = r#"{"Title":"a } ] , { [ \" \\","Id":"x\\"}"#;
        let b = r#"{"Nested":{"L":[1,{"k":"\\\""}]},"C":"\u0045CS.16"}"#;
        let text = format!(" {a} ,\n\t{b}\n], \"NextToken\": null}}");
        for block in [1, 2, 3, 7, 64, 4096] {
            let (elements, tail) = split(&text, block).unwrap();
            assert_eq!(elements, [a, b], "block {block}");
            assert_eq!(tail, "], \"NextToken\": null}", "block {block}");
        }
    }

    #[test]
    fn anything_but_objects_separated_by_single_commas_gives_up() {
        for bad in [
            "{},,{}]", ",{}]", "{},]", "{} {}]", "1]", "\"x\"]", "[{}]]", "{}",
        ] {
            assert_eq!(split(bad, 2), Err(NotAnArrayOfObjects), "{bad}");
        }
        assert_eq!(split("]}", 1).unwrap(), (vec![], "]}".to_string()));
    }

    #[test]
    fn the_array_start_is_found_in_any_spacing() {
        assert_eq!(findings_array_start(b"{\"Findings\":[{"), Some(13));
        assert_eq!(findings_array_start(b" {\n\t\"Findings\" : [ "), Some(18));
        assert_eq!(
            findings_array_start(b"{\"NextToken\":\"x\",\"Findings\":["),
            None
        );
        assert_eq!(findings_array_start(b"\xef\xbb\xbf{\"Findings\":["), None);
        assert_eq!(findings_array_start(b"[{\"Findings\":["), None);
        assert_eq!(findings_array_start(b"{\"Findings\""), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

        /// Any objects with any text, serialised compactly or pretty, fed in any block size, come back as
        /// exactly the elements serde_json wrote.
        #[test]
        fn any_array_of_objects_splits_into_its_elements(
            // JSON's own punctuation and escapes, often, between any other characters.
            texts in proptest::collection::vec(r#"([\\"{}\[\],:]|.){0,24}"#, 0..6),
            block in 1usize..64,
            pretty in proptest::bool::ANY,
        ) {
            let objects: Vec<serde_json::Value> = texts
                .iter()
                .map(|t| serde_json::json!({"Title": t, "Nested": {"L": [t, {"k": t}]}}))
                .collect();
            let write = |v: &serde_json::Value| if pretty {
                serde_json::to_string_pretty(v).unwrap()
            } else {
                serde_json::to_string(v).unwrap()
            };
            let body = objects.iter().map(write).collect::<Vec<_>>().join(",\n ");
            let text = format!("{body}]}}");
            let (elements, tail) = split(&text, block).unwrap();
            proptest::prop_assert_eq!(elements, objects.iter().map(write).collect::<Vec<_>>());
            proptest::prop_assert_eq!(tail, "]}");
        }
    }
}
