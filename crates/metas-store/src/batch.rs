//! Columnar batches appended to staging tables through DuckDB's Arrow
//! appender: far cheaper per value than binding row by row.

use std::sync::Arc;

use duckdb::arrow::array::{
    ArrayRef, BooleanBuilder, Float64Builder, Int32Builder, Int64Builder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use duckdb::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use duckdb::arrow::record_batch::RecordBatch;
use jiff::Timestamp;

use crate::columns::{ColType, Columns};

/// Rows are appended to DuckDB once this many are buffered.
pub const FLUSH_ROWS: usize = 64 * 1024;

enum Builder {
    Text(StringBuilder),
    Timestamp(TimestampMicrosecondBuilder),
    Bool(BooleanBuilder),
    Double(Float64Builder),
    Int(Int32Builder),
    BigInt(Int64Builder),
}

pub struct Batch {
    schema: SchemaRef,
    builders: Vec<Builder>,
    rows: usize,
    /// Next column of the row being written (checked at `end_row`).
    cursor: usize,
}

/// The Arrow type a column is staged as.
pub fn data_type(ty: ColType) -> DataType {
    match ty {
        ColType::Text => DataType::Utf8,
        ColType::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
        ColType::Bool => DataType::Boolean,
        ColType::Double => DataType::Float64,
        ColType::Int => DataType::Int32,
        ColType::BigInt => DataType::Int64,
    }
}

/// The Arrow schema of rows made of `parts`, in order.
pub fn schema(parts: &[Columns]) -> SchemaRef {
    Arc::new(Schema::new(
        parts
            .iter()
            .flat_map(|c| c.iter())
            .map(|(name, ty)| Field::new(*name, data_type(*ty), true))
            .collect::<Vec<_>>(),
    ))
}

impl Batch {
    pub fn new(parts: &[Columns]) -> Batch {
        let builders = parts
            .iter()
            .flat_map(|c| c.iter())
            .map(|(_, ty)| match ty {
                ColType::Text => Builder::Text(StringBuilder::new()),
                ColType::Timestamp => Builder::Timestamp(TimestampMicrosecondBuilder::new()),
                ColType::Bool => Builder::Bool(BooleanBuilder::new()),
                ColType::Double => Builder::Double(Float64Builder::new()),
                ColType::Int => Builder::Int(Int32Builder::new()),
                ColType::BigInt => Builder::BigInt(Int64Builder::new()),
            })
            .collect();
        Batch {
            schema: schema(parts),
            builders,
            rows: 0,
            cursor: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    fn next_column(&mut self) -> &mut Builder {
        let i = self.cursor;
        self.cursor += 1;
        &mut self.builders[i]
    }

    pub fn text(&mut self, v: Option<&str>) -> &mut Self {
        match self.next_column() {
            Builder::Text(b) => b.append_option(v),
            _ => panic!("batch column type mismatch (text)"),
        }
        self
    }

    pub fn ts(&mut self, v: Option<Timestamp>) -> &mut Self {
        match self.next_column() {
            Builder::Timestamp(b) => b.append_option(v.map(|t| t.as_microsecond())),
            _ => panic!("batch column type mismatch (timestamp)"),
        }
        self
    }

    pub fn bool(&mut self, v: Option<bool>) -> &mut Self {
        match self.next_column() {
            Builder::Bool(b) => b.append_option(v),
            _ => panic!("batch column type mismatch (bool)"),
        }
        self
    }

    pub fn double(&mut self, v: Option<f64>) -> &mut Self {
        match self.next_column() {
            Builder::Double(b) => b.append_option(v),
            _ => panic!("batch column type mismatch (double)"),
        }
        self
    }

    pub fn int(&mut self, v: Option<i32>) -> &mut Self {
        match self.next_column() {
            Builder::Int(b) => b.append_option(v),
            _ => panic!("batch column type mismatch (int)"),
        }
        self
    }

    pub fn bigint(&mut self, v: Option<i64>) -> &mut Self {
        match self.next_column() {
            Builder::BigInt(b) => b.append_option(v),
            _ => panic!("batch column type mismatch (bigint)"),
        }
        self
    }

    pub fn end_row(&mut self) {
        assert_eq!(
            self.cursor,
            self.builders.len(),
            "a batch row filled {} of {} columns",
            self.cursor,
            self.builders.len()
        );
        self.cursor = 0;
        self.rows += 1;
    }

    /// Takes the buffered rows as a record batch, leaving the batch empty.
    pub fn take(&mut self) -> RecordBatch {
        let columns: Vec<ArrayRef> = self
            .builders
            .iter_mut()
            .map(|b| -> ArrayRef {
                match b {
                    Builder::Text(b) => Arc::new(b.finish()),
                    Builder::Timestamp(b) => Arc::new(b.finish()),
                    Builder::Bool(b) => Arc::new(b.finish()),
                    Builder::Double(b) => Arc::new(b.finish()),
                    Builder::Int(b) => Arc::new(b.finish()),
                    Builder::BigInt(b) => Arc::new(b.finish()),
                }
            })
            .collect();
        self.rows = 0;
        RecordBatch::try_new(self.schema.clone(), columns).expect("batch columns match schema")
    }
}
