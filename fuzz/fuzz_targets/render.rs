//! Rendering arbitrary field values into every output format (HTML, Markdown, CSV, XLSX, JSON): a pack must
//! render, and the text must stay inert in each format (see `testkit::check_outputs`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = ecs16_evidence::testkit::check_outputs(&text) {
        panic!("{text:?}: {e}");
    }
});
