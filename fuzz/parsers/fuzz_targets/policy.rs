#![no_main]

use libfuzzer_sys::fuzz_target;
use metas_domain::calendar::Calendar;
use metas_domain::sla::{judge, parse_policy_file, Policy, StageClock};

// A time-objective policy file (TOML): any text gets an answer; a policy
// that loads is written back (`metas sla policy show`) as a file that loads
// to the same policy, and each of its targets judges a stage.
fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = parse_policy_file("fuzz", text, "fuzz.toml") else {
        return;
    };
    let spec = policy.to_spec();
    let again = Policy::from_spec("fuzz", &spec).expect("a policy's own spec loads");
    assert_eq!(
        toml::to_string(&again.to_spec()).ok(),
        toml::to_string(&spec).ok()
    );
    let start = "2024-03-01T09:00:00Z".parse().expect("a timestamp");
    let as_of = "2024-03-02T09:00:00Z".parse().expect("a timestamp");
    for (_, target) in policy.targets() {
        let clock = StageClock::new(start, None);
        let _ = judge(
            target.secs(),
            &clock,
            &Calendar::always_open(),
            policy.warning(),
            as_of,
        );
    }
});
