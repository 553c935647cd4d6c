//! The roster as spreadsheets (DOMAIN.md §6): CSV that opens correctly in Excel on a zh-CN
//! desktop (UTF-8 byte order mark, CRLF line ends, RFC 4180 quoting) and XLSX. Both are written
//! a batch of rows at a time, so an export of the whole roster never holds it in memory as
//! rows; headers are Chinese with the English name, values carry the zh-CN labels.

use std::collections::HashMap;

use guwen_domain::Labelled;
use guwen_persistence::store::pipeline::Field;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use utoipa::ToSchema;

use super::RosterRecord;
use crate::fields::field_ref;
use crate::prelude::*;

/// The CSV media type.
pub const CSV: &str = "text/csv";
/// The XLSX media type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The UTF-8 byte order mark: without it Excel on a zh-CN desktop reads the file as GBK.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The columns: Chinese header, English name (the JSON field where there is one).
const COLUMNS: [(&str, &str); 14] = [
    ("顾问编号", "id"),
    ("姓名", "name"),
    ("工作单位", "employer"),
    ("职务职称", "title"),
    ("领域", "field_name"),
    ("领域代码", "field"),
    ("状态", "status_label"),
    ("状态代码", "status"),
    ("是否在聘", "in_office"),
    ("聘期序号", "term_number"),
    ("聘期开始", "term_starts_on"),
    ("聘期结束", "term_ends_on"),
    ("聘书编号", "certificate_no"),
    ("更新时间", "updated_at"),
];

/// Where the term's dates are (their cells are dates in XLSX).
const DATE_COLUMNS: [usize; 2] = [10, 11];

/// An XLSX workbook, in the spec.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct XlsxFile(pub Vec<u8>);

fn header(zh: &str, en: &str) -> String {
    format!("{zh} ({en})")
}

/// A row's cells as text, in column order.
fn cells(r: &RosterRecord, fields: &HashMap<String, Field>) -> [String; 14] {
    [
        r.id.clone(),
        r.name.clone(),
        r.employer.clone(),
        r.title.clone(),
        field_ref(fields, &r.field).name_zh,
        r.field.clone(),
        r.status.label_zh().to_owned(),
        r.status.code().to_owned(),
        if r.in_office { "是" } else { "否" }.to_owned(),
        r.term_number.to_string(),
        r.term_starts_on.to_string(),
        r.term_ends_on.to_string(),
        r.certificate_no.clone(),
        r.updated_at.to_rfc3339(),
    ]
}

/// A cell a spreadsheet would read as a formula gets a leading apostrophe (CSV injection).
fn defused(value: String) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value
    }
}

/// Rows of the roster as CSV bytes; the first chunk (`first`) starts with the byte order mark
/// and the header line.
pub fn csv_chunk(
    records: &[RosterRecord],
    fields: &HashMap<String, Field>,
    first: bool,
) -> Result<Vec<u8>, ApiError> {
    let mut out = Vec::with_capacity(256 * (records.len() + 1));
    if first {
        out.extend_from_slice(BOM);
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let failed = |e: csv::Error| ApiError::internal(format!("writing CSV: {e}"));
    if first {
        writer
            .write_record(COLUMNS.iter().map(|(zh, en)| header(zh, en)))
            .map_err(failed)?;
    }
    for r in records {
        writer
            .write_record(cells(r, fields).into_iter().map(defused))
            .map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|e| ApiError::internal(format!("writing CSV: {e}")))
}

/// The roster as an XLSX workbook of one sheet, written in constant-memory mode: each row goes
/// to a temporary file as it is added.
pub struct XlsxRoster {
    workbook: Workbook,
    next_row: u32,
    date: Format,
}

fn xlsx_failed(e: XlsxError) -> ApiError {
    ApiError::internal(format!("writing XLSX: {e}"))
}

impl XlsxRoster {
    /// A workbook with the header row.
    pub fn new() -> Result<Self, ApiError> {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_failed)?;
        sheet.set_name("顾问名册").map_err(xlsx_failed)?;
        sheet.set_freeze_panes(1, 0).map_err(xlsx_failed)?;
        for (col, (zh, en)) in (0u16..).zip(COLUMNS) {
            sheet.set_column_width(col, 16).map_err(xlsx_failed)?;
            sheet
                .write_string_with_format(0, col, header(zh, en), &bold)
                .map_err(xlsx_failed)?;
        }
        Ok(Self {
            workbook,
            next_row: 1,
            date: Format::new().set_num_format("yyyy-mm-dd"),
        })
    }

    /// Appends rows.
    pub fn push(
        &mut self,
        records: &[RosterRecord],
        fields: &HashMap<String, Field>,
    ) -> Result<(), ApiError> {
        let sheet = self.workbook.worksheet_from_index(0).map_err(xlsx_failed)?;
        for r in records {
            let row = self.next_row;
            for (col, value) in (0u16..).zip(cells(r, fields)) {
                if DATE_COLUMNS.contains(&usize::from(col)) {
                    let date = ExcelDateTime::parse_from_str(&value).map_err(xlsx_failed)?;
                    sheet
                        .write_date_with_format(row, col, &date, &self.date)
                        .map_err(xlsx_failed)?;
                } else {
                    sheet.write_string(row, col, value).map_err(xlsx_failed)?;
                }
            }
            self.next_row += 1;
        }
        Ok(())
    }

    /// The finished file.
    pub fn finish(mut self) -> Result<Vec<u8>, ApiError> {
        self.workbook.save_to_buffer().map_err(xlsx_failed)
    }
}
