//! Users: passwords are checked against Argon2id hashes, and each role's
//! data scope is what the server narrows every query by.

use metas_service::demo::{generate, DemoOptions};
use metas_service::kpi::{answer, KpiRequest};
use metas_service::users::{add_user, verify, Role};
use metas_store::prelude::*;
use metas_store::Store;

#[test]
fn passwords_and_scopes() {
    let mut store = Store::open_in_memory().unwrap();
    generate(
        &mut store,
        &DemoOptions {
            seed: 3,
            interactions: 5_000,
            as_of: "2026-06-30".parse().unwrap(),
        },
    )
    .unwrap();
    let pw = "correct horse battery";
    add_user(&mut store, "maria", pw, Role::Manager, None, None).unwrap();
    let lead = add_user(&mut store, "li", pw, Role::Lead, Some("Technical"), None).unwrap();
    let agent = add_user(&mut store, "kevin", pw, Role::Agent, None, Some("Kevin M.")).unwrap();
    // Stored as a hash, never as the password.
    let rows = store.users().unwrap();
    assert!(rows
        .iter()
        .all(|u| u.password_hash.starts_with("$argon2id$") && !u.password_hash.contains(pw)));
    // Right password, wrong password, unknown login.
    assert_eq!(verify(&store, "li", pw).unwrap().unwrap().role, Role::Lead);
    assert!(verify(&store, "li", "correct horse battery!")
        .unwrap()
        .is_none());
    assert!(verify(&store, "nobody", pw).unwrap().is_none());
    // Refusals.
    for (login, pw, role, team, agent) in [
        ("maria", pw, Role::Admin, None, None),
        ("short", "too short", Role::Admin, None, None),
        ("a lead", pw, Role::Lead, Some("Technical"), None),
        ("nolead", pw, Role::Lead, None, None),
        ("ghost", pw, Role::Agent, None, Some("No Such Agent")),
    ] {
        assert!(
            add_user(&mut store, login, pw, role, team, agent).is_err(),
            "{login}"
        );
    }
    // Scopes: a manager sees everything; a lead their team; an agent themselves.
    assert!(verify(&store, "maria", pw)
        .unwrap()
        .unwrap()
        .data_scope()
        .is_none());
    let volume = |scope| {
        let mut req = KpiRequest {
            kpi: "volume".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        req.segment = scope;
        answer(&store, &req).unwrap().rows[0].figure.n
    };
    let all = volume(None);
    let team = volume(lead.data_scope());
    let own = volume(agent.data_scope());
    assert!(all > team && team > 0 && own > 0, "{all} {team} {own}");
    let by_agent = {
        let req = KpiRequest {
            kpi: "volume".into(),
            segment: Some("agent = 'Kevin M.'".into()),
            ..Default::default()
        }
        .parse()
        .unwrap();
        answer(&store, &req).unwrap().rows[0].figure.n
    };
    assert_eq!(own, by_agent);
}
