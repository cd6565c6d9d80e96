#![no_main]

use jiff::civil::Date;
use libfuzzer_sys::fuzz_target;
use metas_domain::goal::Deadline;

// A deadline expression (`end of next quarter`, `in 6 weeks`, a date): any
// text and any day it is read on get an answer, never a panic.
fuzz_target!(|data: &[u8]| {
    let [a, b, month, rest @ ..] = data else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    // Any day from 1970 to about 2149, any fiscal year start.
    let offset = i64::from(u16::from_le_bytes([*a, *b]));
    let as_of = Date::constant(1970, 1, 1)
        .checked_add(jiff::Span::new().days(offset))
        .expect("within jiff's range");
    let fiscal_start_month = month % 12 + 1;
    if let Ok(due) = Deadline::parse(text, as_of, fiscal_start_month) {
        // Reading alone and resolving agree with the one-step parse.
        let read = Deadline::read(text).expect("parsed in one step, so it reads");
        assert_eq!(
            read.resolve(text, as_of, fiscal_start_month).ok(),
            Some(due)
        );
    }
});
