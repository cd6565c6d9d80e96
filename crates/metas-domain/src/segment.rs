//! Segment expressions (`customer.age between 55 and 70 and topic = 'login'`),
//! parsed into a typed tree over a whitelist of fields. Once a [`SegmentExpr`]
//! exists it is valid: the store turns it into SQL with every literal bound as
//! a parameter, so no text a user typed ever becomes SQL.

use std::fmt;

/// A field a segment can test: an interaction dimension or a customer attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    Dimension(Dimension),
    /// `customer.<attribute>`: a canonical customer column or a free attribute.
    Customer(String),
}

/// The interaction dimensions of docs/product.md §9.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Channel,
    Agent,
    Team,
    Topic,
    Product,
    Priority,
    Status,
    JourneyStage,
    Language,
    Source,
    Direction,
    /// The weekday an interaction was created (1 = Monday … 7 = Sunday, UTC).
    Weekday,
    /// The hour of the day it was created (0–23, UTC).
    Hour,
    /// The stage of a time objective (`sla_attainment` only).
    Stage,
    /// The time-objective policy that judged it (`sla_attainment` only).
    Policy,
    /// The QA criterion a rating is given on (`qa_criterion_rating`; other
    /// KPIs read it as "has a QA rating on this criterion").
    Criterion,
}

impl Dimension {
    pub const ALL: &'static [Dimension] = &[
        Dimension::Channel,
        Dimension::Agent,
        Dimension::Team,
        Dimension::Topic,
        Dimension::Product,
        Dimension::Priority,
        Dimension::Status,
        Dimension::JourneyStage,
        Dimension::Language,
        Dimension::Source,
        Dimension::Direction,
        Dimension::Weekday,
        Dimension::Hour,
        Dimension::Stage,
        Dimension::Policy,
        Dimension::Criterion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Channel => "channel",
            Dimension::Agent => "agent",
            Dimension::Team => "team",
            Dimension::Topic => "topic",
            Dimension::Product => "product",
            Dimension::Priority => "priority",
            Dimension::Status => "status",
            Dimension::JourneyStage => "journey_stage",
            Dimension::Language => "language",
            Dimension::Source => "source",
            Dimension::Direction => "direction",
            Dimension::Weekday => "weekday",
            Dimension::Hour => "hour",
            Dimension::Stage => "stage",
            Dimension::Policy => "policy",
            Dimension::Criterion => "criterion",
        }
    }

    pub fn parse(s: &str) -> Option<Dimension> {
        Dimension::ALL.iter().copied().find(|d| d.as_str() == s)
    }
}

/// Customer attributes with a column of their own; others are free attributes.
pub const CUSTOMER_COLUMNS: &[&str] = &[
    "id", "name", "age", "gender", "segment", "plan", "region", "language",
];

impl Field {
    pub fn parse(name: &str) -> Result<Field, String> {
        if let Some(attr) = name.strip_prefix("customer.") {
            if attr.is_empty() || !attr.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!(
                    "'{name}' is not a customer attribute (letters, digits and _ only)"
                ));
            }
            return Ok(Field::Customer(attr.to_string()));
        }
        Dimension::parse(name).map(Field::Dimension).ok_or_else(|| {
            format!(
                "unknown field '{name}'; known: {}, customer.<attribute> (e.g. customer.age)",
                Dimension::ALL
                    .iter()
                    .map(|d| d.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    }

    pub fn name(&self) -> String {
        match self {
            Field::Dimension(d) => d.as_str().to_string(),
            Field::Customer(a) => format!("customer.{a}"),
        }
    }
}

/// A literal in an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Text(String),
    Number(f64),
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Text(t) => write!(f, "'{}'", t.replace('\'', "''")),
            Literal::Number(n) => write!(f, "{n}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn sql(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// A parsed segment expression.
#[derive(Debug, Clone, PartialEq)]
pub enum SegmentExpr {
    Cmp(Field, CmpOp, Literal),
    Between(Field, Literal, Literal),
    In(Field, Vec<Literal>),
    And(Box<SegmentExpr>, Box<SegmentExpr>),
    Or(Box<SegmentExpr>, Box<SegmentExpr>),
    Not(Box<SegmentExpr>),
}

/// A syntax or field error, with the character position it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentError {
    pub position: usize,
    pub message: String,
    pub input: String,
}

impl fmt::Display for SegmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at character {} of the segment: {}⟨here⟩{}",
            self.message,
            self.position + 1,
            &self.input[..self.position.min(self.input.len())],
            &self.input[self.position.min(self.input.len())..]
        )
    }
}

impl std::error::Error for SegmentError {}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(f64),
    Op(CmpOp),
    LParen,
    RParen,
    Comma,
}

fn lex(input: &str) -> Result<Vec<(usize, Tok)>, SegmentError> {
    let err = |position: usize, message: String| SegmentError {
        position,
        message,
        input: input.to_string(),
    };
    let chars: Vec<(usize, char)> = input.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push((pos, Tok::LParen));
                i += 1
            }
            ')' => {
                out.push((pos, Tok::RParen));
                i += 1
            }
            ',' => {
                out.push((pos, Tok::Comma));
                i += 1
            }
            '=' => {
                out.push((pos, Tok::Op(CmpOp::Eq)));
                i += 1
            }
            '!' | '<' | '>' => {
                let next = chars.get(i + 1).map(|(_, c)| *c);
                let (op, len) = match (c, next) {
                    ('!', Some('=')) => (CmpOp::Ne, 2),
                    ('<', Some('=')) => (CmpOp::Le, 2),
                    ('<', Some('>')) => (CmpOp::Ne, 2),
                    ('>', Some('=')) => (CmpOp::Ge, 2),
                    ('<', _) => (CmpOp::Lt, 1),
                    ('>', _) => (CmpOp::Gt, 1),
                    _ => return Err(err(pos, "'!' must be followed by '='".into())),
                };
                out.push((pos, Tok::Op(op)));
                i += len;
            }
            '\'' => {
                let mut text = String::new();
                let mut j = i + 1;
                loop {
                    match chars.get(j) {
                        None => return Err(err(pos, "a quoted string is not closed".into())),
                        Some((_, '\'')) if chars.get(j + 1).map(|(_, c)| *c) == Some('\'') => {
                            text.push('\'');
                            j += 2;
                        }
                        Some((_, '\'')) => break,
                        Some((_, c)) => {
                            text.push(*c);
                            j += 1;
                        }
                    }
                }
                out.push((pos, Tok::Str(text)));
                i = j + 1;
            }
            c if c.is_ascii_digit() || c == '-' || c == '.' => {
                let mut j = i;
                while j < chars.len()
                    && (chars[j].1.is_ascii_digit()
                        || chars[j].1 == '.'
                        || (j == i && chars[j].1 == '-'))
                {
                    j += 1;
                }
                let s: String = chars[i..j].iter().map(|(_, c)| *c).collect();
                let n: f64 = s
                    .parse()
                    .map_err(|_| err(pos, format!("'{s}' is not a number")))?;
                out.push((pos, Tok::Num(n)));
                i = j;
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut j = i;
                while j < chars.len()
                    && (chars[j].1.is_alphanumeric() || chars[j].1 == '_' || chars[j].1 == '.')
                {
                    j += 1;
                }
                out.push((
                    pos,
                    Tok::Ident(chars[i..j].iter().map(|(_, c)| *c).collect()),
                ));
                i = j;
            }
            '"' => {
                return Err(err(
                    pos,
                    "strings take single quotes ('login'), not double quotes".into(),
                ))
            }
            other => return Err(err(pos, format!("unexpected character '{other}'"))),
        }
    }
    Ok(out)
}

struct Parser<'a> {
    toks: Vec<(usize, Tok)>,
    at: usize,
    input: &'a str,
}

impl Parser<'_> {
    fn err(&self, message: impl Into<String>) -> SegmentError {
        let position = self
            .toks
            .get(self.at)
            .map(|(p, _)| *p)
            .unwrap_or(self.input.len());
        SegmentError {
            position,
            message: message.into(),
            input: self.input.to_string(),
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|(_, t)| t)
    }

    fn keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(w)) if w.eq_ignore_ascii_case(kw))
    }

    fn or(&mut self) -> Result<SegmentExpr, SegmentError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.at += 1;
            let right = self.and()?;
            left = SegmentExpr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<SegmentExpr, SegmentError> {
        let mut left = self.not()?;
        while self.keyword("and") {
            self.at += 1;
            let right = self.not()?;
            left = SegmentExpr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<SegmentExpr, SegmentError> {
        if self.keyword("not") {
            self.at += 1;
            return Ok(SegmentExpr::Not(Box::new(self.not()?)));
        }
        self.atom()
    }

    fn literal(&mut self) -> Result<Literal, SegmentError> {
        let lit = match self.peek() {
            Some(Tok::Str(s)) => Literal::Text(s.clone()),
            Some(Tok::Num(n)) => Literal::Number(*n),
            Some(Tok::Ident(w)) => {
                return Err(self.err(format!(
                    "expected a value; to compare with the text {w}, quote it: '{w}'"
                )))
            }
            _ => return Err(self.err("expected a value (a number or a 'quoted text')")),
        };
        self.at += 1;
        Ok(lit)
    }

    fn atom(&mut self) -> Result<SegmentExpr, SegmentError> {
        match self.peek().cloned() {
            Some(Tok::LParen) => {
                self.at += 1;
                let e = self.or()?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(self.err("expected ')'"));
                }
                self.at += 1;
                Ok(e)
            }
            Some(Tok::Ident(name)) => {
                let field = Field::parse(&name).map_err(|m| self.err(m))?;
                self.at += 1;
                let negated = self.keyword("not");
                if negated {
                    self.at += 1;
                }
                let expr = if self.keyword("between") {
                    self.at += 1;
                    let lo = self.literal()?;
                    if !self.keyword("and") {
                        return Err(self.err("expected 'and' in 'between … and …'"));
                    }
                    self.at += 1;
                    let hi = self.literal()?;
                    SegmentExpr::Between(field, lo, hi)
                } else if self.keyword("in") {
                    self.at += 1;
                    if self.peek() != Some(&Tok::LParen) {
                        return Err(self.err("expected '(' after 'in'"));
                    }
                    self.at += 1;
                    let mut items = vec![self.literal()?];
                    while self.peek() == Some(&Tok::Comma) {
                        self.at += 1;
                        items.push(self.literal()?);
                    }
                    if self.peek() != Some(&Tok::RParen) {
                        return Err(self.err("expected ',' or ')' in the list"));
                    }
                    self.at += 1;
                    SegmentExpr::In(field, items)
                } else if negated {
                    return Err(self.err("expected 'between' or 'in' after 'not'"));
                } else {
                    let op =
                        match self.peek() {
                            Some(Tok::Op(op)) => *op,
                            _ => return Err(self.err(
                                "expected a comparison (=, !=, <, <=, >, >=), 'between' or 'in'",
                            )),
                        };
                    self.at += 1;
                    SegmentExpr::Cmp(field, op, self.literal()?)
                };
                Ok(if negated {
                    SegmentExpr::Not(Box::new(expr))
                } else {
                    expr
                })
            }
            None => Err(self.err("the expression ends too early")),
            _ => Err(self.err("expected a field name or '('")),
        }
    }
}

impl SegmentExpr {
    /// Parses an expression such as `customer.age between 55 and 70 and topic = 'login'`.
    pub fn parse(input: &str) -> Result<SegmentExpr, SegmentError> {
        let toks = lex(input)?;
        let mut p = Parser { toks, at: 0, input };
        if p.toks.is_empty() {
            return Err(p.err("the segment is empty"));
        }
        let e = p.or()?;
        if p.at < p.toks.len() {
            return Err(
                p.err("unexpected text after the end of the expression (missing 'and' or 'or'?)")
            );
        }
        Ok(e)
    }

    /// Both conditions (`outer and inner`), either one, or none: how a
    /// scope (an owner's, a user's) narrows what a request asks for.
    pub fn both(outer: Option<SegmentExpr>, inner: Option<SegmentExpr>) -> Option<SegmentExpr> {
        match (outer, inner) {
            (Some(a), Some(b)) => Some(SegmentExpr::And(Box::new(a), Box::new(b))),
            (a, b) => a.or(b),
        }
    }

    /// Every field the expression tests.
    pub fn fields(&self) -> Vec<&Field> {
        let mut out = Vec::new();
        self.walk(&mut |f| out.push(f));
        out
    }

    fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Field)) {
        match self {
            SegmentExpr::Cmp(x, _, _) | SegmentExpr::Between(x, _, _) | SegmentExpr::In(x, _) => {
                f(x)
            }
            SegmentExpr::And(a, b) | SegmentExpr::Or(a, b) => {
                a.walk(f);
                b.walk(f);
            }
            SegmentExpr::Not(a) => a.walk(f),
        }
    }
}

impl fmt::Display for SegmentExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SegmentExpr::Cmp(x, op, v) => {
                let op = if *op == CmpOp::Ne { "!=" } else { op.sql() };
                write!(f, "{} {op} {v}", x.name())
            }
            SegmentExpr::Between(x, a, b) => write!(f, "{} between {a} and {b}", x.name()),
            SegmentExpr::In(x, vs) => {
                let list: Vec<String> = vs.iter().map(|v| v.to_string()).collect();
                write!(f, "{} in ({})", x.name(), list.join(", "))
            }
            SegmentExpr::And(a, b) => write!(f, "({a} and {b})"),
            SegmentExpr::Or(a, b) => write!(f, "({a} or {b})"),
            SegmentExpr::Not(a) => write!(f, "not {a}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spec_examples() {
        let e = SegmentExpr::parse("customer.age between 55 and 70 and topic = 'login'").unwrap();
        assert_eq!(
            e,
            SegmentExpr::And(
                Box::new(SegmentExpr::Between(
                    Field::Customer("age".into()),
                    Literal::Number(55.0),
                    Literal::Number(70.0)
                )),
                Box::new(SegmentExpr::Cmp(
                    Field::Dimension(Dimension::Topic),
                    CmpOp::Eq,
                    Literal::Text("login".into())
                ))
            )
        );
        let cases = [
            "channel in ('email', 'chat') or not (priority = 'low')",
            "product = 'mobile_app' and topic = 'buffering'",
            "customer.segment != 'enterprise'",
            "team not in ('Technical')",
            "customer.age >= 18 and customer.age < 30",
            "topic = 'it''s'",
        ];
        for c in cases {
            let e = SegmentExpr::parse(c).unwrap_or_else(|e| panic!("{c}: {e}"));
            // Printing and parsing again gives the same tree.
            assert_eq!(SegmentExpr::parse(&e.to_string()).unwrap(), e, "{c}");
        }
    }

    #[test]
    fn errors_point_at_the_spot() {
        let cases = [
            ("topc = 'login'", 0, "unknown field 'topc'"),
            ("topic = login", 8, "quote it: 'login'"),
            ("topic = 'login", 8, "not closed"),
            ("customer.age between 55 70", 24, "expected 'and'"),
            ("topic = 'a' channel = 'b'", 12, "missing 'and' or 'or'"),
            ("(topic = 'a'", 12, "expected ')'"),
            ("topic = \"a\"", 8, "single quotes"),
            ("", 0, "empty"),
            ("topic ~ 'a'", 6, "unexpected character"),
        ];
        for (input, pos, fragment) in cases {
            let e = SegmentExpr::parse(input).unwrap_err();
            assert_eq!(e.position, pos, "{input}: {e}");
            assert!(e.to_string().contains(fragment), "{input}: {e}");
        }
    }
}
