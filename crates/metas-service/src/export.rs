//! What every CSV metas writes has in common: no cell a spreadsheet would
//! run as a formula.

use std::borrow::Cow;

/// A cell as a spreadsheet may open it safely. Text that starts like a
/// formula (`=`, `+`, `-`, `@`, a tab or a carriage return) — an agent's
/// name, a topic, a comment from imported data — gets a leading `'`, which
/// spreadsheets show as text (OWASP's CSV injection advice). Numbers, a
/// negative one included, are left as they are.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    let risky = cell
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && cell.trim().parse::<f64>().is_err() {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("-17.8", "-17.8"),
            ("+5", "+5"),
            ("Kevin M.", "Kevin M."),
            ("", ""),
            ("<script>", "<script>"),
        ] {
            assert_eq!(spreadsheet_safe(cell), written, "{cell:?}");
        }
    }
}
