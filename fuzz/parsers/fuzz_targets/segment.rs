#![no_main]

use libfuzzer_sys::fuzz_target;
use metas_domain::segment::SegmentExpr;

// A segment expression (`--where`, a goal's scope, a policy's conditions):
// any text gets an answer, and what parses is written back as text that
// parses to the same expression (saved goals and policies keep the text).
fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(expr) = SegmentExpr::parse(text) {
        let written = expr.to_string();
        let again = SegmentExpr::parse(&written)
            .unwrap_or_else(|e| panic!("{written:?} (written from {text:?}) does not parse: {e}"));
        assert_eq!(again, expr, "{text:?} → {written:?}");
    }
});
