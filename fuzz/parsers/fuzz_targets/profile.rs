#![no_main]

use libfuzzer_sys::fuzz_target;
use metas_domain::profile::parse_profile_file;

// A role profile file (TOML): any text gets an answer, one sentence with
// the line and field, or a profile whose competencies are all assessable.
fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(profile) = parse_profile_file("fuzz", text, "fuzz.toml") {
        assert!(!profile.competencies().is_empty());
    }
});
