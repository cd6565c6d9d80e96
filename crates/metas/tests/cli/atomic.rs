//! An import killed half-way leaves the database exactly as it was (docs/product.md §12).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn metas(db: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_metas"));
    c.arg("--db").arg(db);
    c
}

fn interactions(db: &std::path::Path) -> i64 {
    let out = metas(db)
        .args(["stats", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "interactions")
        .unwrap()["rows"]
        .as_i64()
        .unwrap()
}

#[test]
fn killed_import_leaves_database_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let small = dir.path().join("small.csv");
    std::fs::write(
        &small,
        "external_id,channel,created_at\nS1,email,2024-01-01T00:00:00Z\nS2,chat,2024-01-02T00:00:00Z\n",
    )
    .unwrap();
    let out = metas(&db).arg("import").arg(&small).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(interactions(&db), 2);

    // A file large enough that the import is still running when it is killed.
    let big = dir.path().join("big.csv");
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
        writeln!(w, "external_id,channel,created_at,topic,agent").unwrap();
        for n in 0..3_000_000u32 {
            writeln!(w, "B{n},email,2024-01-01T00:00:00Z,login,agent-{}", n % 50).unwrap();
        }
    }
    let mut child = metas(&db)
        .arg("import")
        .arg(&big)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import finished in {:?}, before it could be killed: make the file larger",
        started.elapsed()
    );
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!(
        interactions(&db),
        2,
        "a killed import must leave nothing behind"
    );
    // The database still works.
    let out = metas(&db).arg("import").arg(&small).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("unchanged 2"));
}
