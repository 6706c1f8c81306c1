//! The desk's filtered queue as a file: CSV for scripts (codes and RFC 3339 times, one header
//! of column keys), XLSX for people (the person's words, times as spreadsheet dates in the
//! house's local time, overdue rows in red, a frozen header with filters).

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};
use serde::{Deserialize, Serialize};

use domkom_domain::id::HouseId;

use super::desk::{QueueRow, TicketQuery};
use super::write::Tickets;
use crate::cache::Cache;
use crate::error::{CoreError, Result};

/// A file format of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// Comma-separated, UTF-8, codes as the API has them.
    Csv,
    /// An Excel workbook in the person's words.
    Xlsx,
}

impl ExportFormat {
    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

/// The columns, in order, by their keys (the CSV's header).
pub const EXPORT_COLUMNS: [&str; 14] = [
    "id",
    "house_id",
    "address",
    "category",
    "status",
    "emergency",
    "place",
    "entrance",
    "created_at",
    "deadline_at",
    "overdue",
    "assignee",
    "flats_affected",
    "title",
];

/// Words of the workbook in Russian; the app passes its own language's (`col.<key>`,
/// `status.<code>`, `category.<code>`, `place.<code>`, `yes`, `sheet`, `file`).
const RUSSIAN: &[(&str, &str)] = &[
    ("file", "заявки"),
    ("sheet", "Заявки"),
    ("yes", "да"),
    ("col.id", "№"),
    ("col.house_id", "Дом №"),
    ("col.address", "Адрес"),
    ("col.category", "Категория"),
    ("col.status", "Статус"),
    ("col.emergency", "Аварийная"),
    ("col.place", "Где"),
    ("col.entrance", "Подъезд"),
    ("col.created_at", "Подана"),
    ("col.deadline_at", "Срок"),
    ("col.overdue", "Просрочена"),
    ("col.assignee", "Исполнитель"),
    ("col.flats_affected", "Квартир затронуто"),
    ("col.title", "Заявка"),
    ("status.new", "Новая"),
    ("status.accepted", "Принята"),
    ("status.in_work", "В работе"),
    ("status.done", "Выполнена"),
    ("status.rejected", "Отклонена"),
    ("status.withdrawn", "Отозвана"),
    ("category.leak", "Протечка, прорыв трубы"),
    ("category.lift", "Лифт"),
    ("category.garbage_chute", "Мусоропровод"),
    ("category.cleaning", "Уборка"),
    ("category.heating", "Отопление"),
    ("category.electricity", "Электричество"),
    ("category.sewage", "Канализация"),
    ("category.roof", "Кровля"),
    ("category.door_glass", "Двери и окна"),
    ("category.other", "Другое"),
    ("place.flat", "Квартира"),
    ("place.entrance", "Подъезд"),
    ("place.floor", "Этаж, площадка"),
    ("place.lift", "Лифт"),
    ("place.yard", "Двор"),
    ("place.roof", "Крыша"),
    ("place.basement", "Подвал"),
    ("place.other", "Другое место"),
];

/// A made export.
#[derive(Debug, Clone)]
pub struct Export {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Tickets in it.
    pub rows: u32,
}

/// The words of an exported workbook by key (`col.<key>`, `status.<code>`, `category.<code>`,
/// `place.<code>`, `yes`, `sheet`, `file`); a word not given is Russian.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct ExportWords(pub HashMap<String, String>);

/// Where an export was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportedFile {
    /// The file.
    pub path: String,
    /// Tickets in it.
    pub rows: u32,
}

/// The words of a workbook: the given ones over the Russian defaults.
struct Words<'a> {
    given: &'a HashMap<String, String>,
}

impl Words<'_> {
    fn get(&self, key: &str) -> String {
        if let Some(w) = self.given.get(key).filter(|w| !w.trim().is_empty()) {
            return w.clone();
        }
        RUSSIAN.iter().find(|(k, _)| *k == key).map_or_else(|| key.to_owned(), |(_, w)| (*w).to_owned())
    }
}

impl Tickets<'_> {
    /// Every ticket the query matches (its offset and limit ignored), as a file.
    pub async fn export(
        &self,
        query: TicketQuery,
        format: ExportFormat,
        words: &HashMap<String, String>,
    ) -> Result<Export> {
        let rows = self.all_rows(query).await?;
        let bytes = match format {
            ExportFormat::Csv => csv(&rows)?,
            ExportFormat::Xlsx => {
                let zones = crate::sync::blocking(&self.client.cache, |c| c.house_zones()).await?;
                xlsx(&rows, &Words { given: words }, &zones)
                    .map_err(|e| CoreError::io(format!("cannot write the workbook: {e}")))?
            }
        };
        Ok(Export { bytes, rows: rows.len() as u32 })
    }

    /// Every ticket the query matches, written to a new file in `dir` named by the `file`
    /// word (default «заявки») and the time; an existing file is never overwritten.
    pub async fn export_to(
        &self,
        query: TicketQuery,
        format: ExportFormat,
        words: &HashMap<String, String>,
        dir: &Path,
    ) -> Result<ExportedFile> {
        let export = self.export(query, format, words).await?;
        let zone = crate::sync::blocking(&self.client.cache, |c| c.home_zone()).await?;
        let stamp = self.now().with_timezone(&zone).format("%Y-%m-%d-%H%M");
        let stem = Words { given: words }.get("file");
        let stem: String = stem.chars().filter(|c| !matches!(c, '/' | '\\' | '\0')).collect();
        let cannot = |e: std::io::Error| CoreError::io(format!("cannot write the export to {}: {e}", dir.display()));
        std::fs::create_dir_all(dir).map_err(cannot)?;
        for n in 1..1000 {
            let suffix = if n == 1 { String::new() } else { format!("-{n}") };
            let path = dir.join(format!("{stem}-{stamp}{suffix}.{}", format.extension()));
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    use std::io::Write;
                    file.write_all(&export.bytes).and_then(|()| file.sync_all()).map_err(cannot)?;
                    return Ok(ExportedFile { path: path.to_string_lossy().into_owned(), rows: export.rows });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(cannot(e)),
            }
        }
        Err(CoreError::io(format!("{} holds too many exports of this minute", dir.display())))
    }

    /// The whole filter, in the queue's order (in one read, pages of 100,000).
    pub async fn all_rows(&self, query: TicketQuery) -> Result<Vec<QueueRow>> {
        const PAGE: u32 = 100_000;
        let now = self.now().timestamp();
        let mut rows = Vec::new();
        loop {
            let q = TicketQuery { offset: rows.len() as u32, limit: PAGE, ..query.clone() };
            let page = crate::sync::blocking(&self.client.cache, move |c| c.queue_capped(&q, now, PAGE)).await?;
            let got = page.rows.len();
            rows.extend(page.rows);
            if got == 0 || rows.len() as u32 >= page.total {
                return Ok(rows);
            }
        }
    }
}

fn csv(rows: &[QueueRow]) -> Result<Vec<u8>> {
    let io = |e: csv::Error| CoreError::io(format!("cannot write CSV: {e}"));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(EXPORT_COLUMNS).map_err(io)?;
    for r in rows {
        out.write_record([
            r.id.to_string(),
            r.house_id.to_string(),
            r.address.clone(),
            r.category.to_string(),
            r.status.to_string(),
            r.emergency.to_string(),
            r.place.to_string(),
            r.entrance.map(|e| e.to_string()).unwrap_or_default(),
            r.created_at.clone(),
            r.deadline_at.clone(),
            r.overdue.to_string(),
            r.assignee_name.clone().unwrap_or_default(),
            r.flats_affected.to_string(),
            r.title.clone(),
        ])
        .map_err(io)?;
    }
    out.into_inner().map_err(|e| CoreError::io(format!("cannot write CSV: {e}")))
}

/// The time on the house's clocks (without its zone: in the offset it is written in).
fn local(t: &str, zone: Option<&chrono_tz::Tz>) -> Option<NaiveDateTime> {
    let at = DateTime::parse_from_rfc3339(t).ok()?;
    Some(zone.map_or_else(|| at.naive_local(), |z| at.with_timezone(z).naive_local()))
}

impl Cache {
    /// Each cached house's time zone.
    pub(crate) fn house_zones(&self) -> Result<HashMap<HouseId, chrono_tz::Tz>> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT id, json_extract(payload, '$.timezone') FROM houses")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, HouseId>(0)?, r.get::<_, Option<String>>(1)?)))?;
            let mut zones = HashMap::new();
            for row in rows {
                let (house, name) = row?;
                if let Some(zone) = name.and_then(|n| domkom_domain::time::zone(&n).ok()) {
                    zones.insert(house, zone);
                }
            }
            Ok(zones)
        })
    }
}

fn excel_time(t: NaiveDateTime) -> std::result::Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day() as u8)?.and_hms(
        t.hour() as u16,
        t.minute() as u8,
        t.second(),
    )
}

fn xlsx(
    rows: &[QueueRow],
    words: &Words<'_>,
    zones: &HashMap<HouseId, chrono_tz::Tz>,
) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(words.get("sheet").chars().take(31).collect::<String>())?;
    let head = Format::new().set_bold().set_background_color(Color::RGB(0xE8EEF4)).set_text_wrap();
    let plain = Format::new().set_align(FormatAlign::Top);
    let when = Format::new().set_num_format("dd.mm.yyyy hh:mm").set_align(FormatAlign::Top);
    let late = Format::new().set_font_color(Color::RGB(0xB3261E)).set_align(FormatAlign::Top);
    let late_when = late.clone().set_num_format("dd.mm.yyyy hh:mm");
    let widths = [8.0, 7.0, 34.0, 22.0, 12.0, 10.0, 14.0, 8.0, 16.0, 16.0, 11.0, 24.0, 10.0, 48.0];
    for (c, (key, width)) in EXPORT_COLUMNS.iter().zip(widths).enumerate() {
        sheet.write_string_with_format(0, c as u16, words.get(&format!("col.{key}")), &head)?;
        sheet.set_column_width(c as u16, width)?;
    }
    let yes = words.get("yes");
    for (k, r) in rows.iter().enumerate() {
        let row = k as u32 + 1;
        let (text, time) = if r.overdue { (&late, &late_when) } else { (&plain, &when) };
        sheet.write_number_with_format(row, 0, r.id.get() as f64, text)?;
        sheet.write_number_with_format(row, 1, r.house_id.get() as f64, text)?;
        sheet.write_string_with_format(row, 2, &r.address, text)?;
        sheet.write_string_with_format(row, 3, words.get(&format!("category.{}", r.category)), text)?;
        sheet.write_string_with_format(row, 4, words.get(&format!("status.{}", r.status)), text)?;
        sheet.write_string_with_format(row, 5, if r.emergency { yes.as_str() } else { "" }, text)?;
        sheet.write_string_with_format(row, 6, words.get(&format!("place.{}", r.place)), text)?;
        if let Some(e) = r.entrance {
            sheet.write_number_with_format(row, 7, e as f64, text)?;
        }
        for (col, t) in [(8u16, &r.created_at), (9, &r.deadline_at)] {
            match local(t, zones.get(&r.house_id)) {
                Some(t) => sheet.write_datetime_with_format(row, col, excel_time(t)?, time)?,
                None => sheet.write_string_with_format(row, col, t, text)?,
            };
        }
        sheet.write_string_with_format(row, 10, if r.overdue { yes.as_str() } else { "" }, text)?;
        sheet.write_string_with_format(row, 11, r.assignee_name.as_deref().unwrap_or(""), text)?;
        sheet.write_number_with_format(row, 12, f64::from(r.flats_affected), text)?;
        sheet.write_string_with_format(row, 13, &r.title, text)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, EXPORT_COLUMNS.len() as u16 - 1)?;
    book.save_to_buffer()
}
