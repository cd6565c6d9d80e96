#![no_main]

use libfuzzer_sys::fuzz_target;
use metas_fuzz_parsers::Format;

fuzz_target!(|data: &[u8]| {
    let _ = metas_fuzz_parsers::read_file(Format::Csv, data);
});
