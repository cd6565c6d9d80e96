//! One value of a replicated column, in PostgreSQL's binary COPY format and
//! as DuckDB's value: the few types the schema uses (BOOLEAN, INTEGER,
//! BIGINT, DOUBLE, VARCHAR, TIMESTAMP, DATE), with times kept as integers so
//! that a value read back is bit for bit the value written (the row keys are
//! hashes of the values).

use std::error::Error;

use duckdb::types::{TimeUnit, Value, ValueRef};
use postgres::types::private::BytesMut;
use postgres::types::{to_sql_checked, FromSql, IsNull, ToSql, Type};

use crate::{Result, StoreError};

/// PostgreSQL counts from 2000-01-01, DuckDB from 1970-01-01.
const PG_EPOCH_DAYS: i32 = 10_957;
const PG_EPOCH_MICROS: i64 = PG_EPOCH_DAYS as i64 * 86_400_000_000;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Null,
    Bool(bool),
    Int(i32),
    BigInt(i64),
    Double(f64),
    Text(String),
    /// Microseconds since 1970-01-01 (no time zone, as both schemas store).
    Timestamp(i64),
    /// Days since 1970-01-01.
    Date(i32),
}

/// The PostgreSQL type of a DuckDB column type, as `information_schema` names it.
pub(crate) fn pg_type(duckdb_type: &str) -> Result<Type> {
    Ok(match duckdb_type {
        "BOOLEAN" => Type::BOOL,
        "INTEGER" => Type::INT4,
        "BIGINT" => Type::INT8,
        "DOUBLE" => Type::FLOAT8,
        "VARCHAR" => Type::VARCHAR,
        "TIMESTAMP" => Type::TIMESTAMP,
        "DATE" => Type::DATE,
        other => {
            return Err(StoreError::Corrupt(format!(
                "a replicated column has the type {other}, which replication does not carry"
            )))
        }
    })
}

impl Cell {
    pub(crate) fn from_duckdb(v: ValueRef<'_>) -> Result<Cell> {
        Ok(match v {
            ValueRef::Null => Cell::Null,
            ValueRef::Boolean(b) => Cell::Bool(b),
            ValueRef::Int(i) => Cell::Int(i),
            ValueRef::BigInt(i) => Cell::BigInt(i),
            ValueRef::Double(f) => Cell::Double(f),
            ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Timestamp(unit, n) => Cell::Timestamp(unit.to_micros(n)),
            ValueRef::Date32(d) => Cell::Date(d),
            other => {
                return Err(StoreError::Corrupt(format!(
                    "a replicated value of an unexpected type: {other:?}"
                )))
            }
        })
    }

    pub(crate) fn into_duckdb(self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Bool(b) => Value::Boolean(b),
            Cell::Int(i) => Value::Int(i),
            Cell::BigInt(i) => Value::BigInt(i),
            Cell::Double(f) => Value::Double(f),
            Cell::Text(t) => Value::Text(t),
            Cell::Timestamp(n) => Value::Timestamp(TimeUnit::Microsecond, n),
            Cell::Date(d) => Value::Date32(d),
        }
    }
}

fn carried(ty: &Type) -> bool {
    [
        Type::BOOL,
        Type::INT4,
        Type::INT8,
        Type::FLOAT8,
        Type::VARCHAR,
        Type::TEXT,
        Type::TIMESTAMP,
        Type::DATE,
    ]
    .contains(ty)
}

fn fixed<const N: usize>(raw: &[u8]) -> std::result::Result<[u8; N], Box<dyn Error + Sync + Send>> {
    raw.try_into()
        .map_err(|_| "a value of the wrong length".into())
}

impl<'a> FromSql<'a> for Cell {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Cell, Box<dyn Error + Sync + Send>> {
        Ok(match *ty {
            Type::BOOL => Cell::Bool(fixed::<1>(raw)?[0] != 0),
            Type::INT4 => Cell::Int(i32::from_be_bytes(fixed(raw)?)),
            Type::INT8 => Cell::BigInt(i64::from_be_bytes(fixed(raw)?)),
            Type::FLOAT8 => Cell::Double(f64::from_be_bytes(fixed(raw)?)),
            Type::TIMESTAMP => Cell::Timestamp(i64::from_be_bytes(fixed(raw)?) + PG_EPOCH_MICROS),
            Type::DATE => Cell::Date(i32::from_be_bytes(fixed(raw)?) + PG_EPOCH_DAYS),
            _ => Cell::Text(std::str::from_utf8(raw)?.to_string()),
        })
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Cell, Box<dyn Error + Sync + Send>> {
        Ok(Cell::Null)
    }

    fn accepts(ty: &Type) -> bool {
        carried(ty)
    }
}

impl ToSql for Cell {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Cell::Null => return Ok(IsNull::Yes),
            Cell::Bool(b) => out.extend_from_slice(&[u8::from(*b)]),
            Cell::Int(i) => out.extend_from_slice(&i.to_be_bytes()),
            Cell::BigInt(i) => out.extend_from_slice(&i.to_be_bytes()),
            Cell::Double(f) => out.extend_from_slice(&f.to_be_bytes()),
            Cell::Text(t) => out.extend_from_slice(t.as_bytes()),
            Cell::Timestamp(n) => out.extend_from_slice(&(n - PG_EPOCH_MICROS).to_be_bytes()),
            Cell::Date(d) => out.extend_from_slice(&(d - PG_EPOCH_DAYS).to_be_bytes()),
        }
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        carried(ty)
    }

    to_sql_checked!();
}
