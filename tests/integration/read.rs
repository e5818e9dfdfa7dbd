//! The reading stage against the fixtures, the bad files and generated hostile workbooks.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use jixiao::inputs::{display_name, read_file};
use jixiao::messages::Lang;
use jixiao::read::{
    read_bytes, sniff, CellValue, Format, Input, ReadError, Sheet, Workbook, MAX_COLS, MAX_ROWS,
};
use rust_decimal::Decimal;

/// A file read at the edge (`inputs`), then by the reading stage.
fn read_path(path: &Path) -> Result<Input, ReadError> {
    read_bytes(&display_name(path), &read_file(path)?)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn workbook(name: &str) -> Workbook {
    match read_path(&fixture(name)) {
        Ok(Input::Workbook(book)) => book,
        Ok(Input::Records(_)) => panic!("{name}: read as JSON records"),
        Err(e) => panic!("{name}: {}", e.message(Lang::En)),
    }
}

fn num(s: &str) -> CellValue {
    CellValue::Number(Decimal::from_str(s).expect("decimal literal"))
}

fn text(s: &str) -> CellValue {
    CellValue::Text(s.to_string())
}

fn sheet<'a>(book: &'a Workbook, name: &str) -> &'a Sheet {
    book.sheets
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| {
            let names: Vec<_> = book.sheets.iter().map(|s| &s.name).collect();
            panic!("{}: no sheet {name}, have {names:?}", book.file)
        })
}

/// The non-empty cells of a sheet, for comparing two readings of the same form.
fn cells(sheet: &Sheet) -> Vec<(u32, u32, CellValue)> {
    (0..sheet.height())
        .flat_map(|r| sheet.row_cells(r).map(move |(c, v)| (r, c, v.clone())))
        .collect()
}

const DEPARTMENT: &str = "广州番禺经济技术开发区管理委员会";

#[test]
fn panyu_xlsx_cells_at_absolute_positions() {
    let book = workbook("panyu.xlsx");
    assert_eq!(book.format, Format::Xlsx);
    let s = sheet(&book, "Sheet1");
    assert_eq!(s.get(0, 0), &text("部门整体预算绩效目标申报表"));
    assert_eq!(s.get(1, 1), &text(DEPARTMENT));
    assert_eq!(s.get(3, 2), &num("440.65"));
    assert_eq!(s.get(3, 4), &num("926.61"));
    assert_eq!(s.get(4, 4), &num("0"));
    assert_eq!(s.get(11, 3), &num("46"));
    assert!(s.has_merge_info && !s.truncated);
    let title = s.merge_at(0, 3).expect("title merged");
    assert_eq!(
        (
            title.first_row,
            title.first_col,
            title.last_row,
            title.last_col
        ),
        (0, 0, 0, 5)
    );
    assert!(s.merge_at(1, 5).is_some(), "department name merged B2:F2");
}

#[test]
fn panyu_ods_and_xls_give_the_same_cells_as_xlsx() {
    let xlsx = workbook("panyu.xlsx");
    let expected = cells(sheet(&xlsx, "Sheet1"));
    for name in ["panyu.ods", "panyu.xls", "panyu-lo.xlsx"] {
        let book = workbook(name);
        let got = cells(&book.sheets[0]);
        for (a, b) in expected.iter().zip(&got) {
            assert_eq!(a, b, "{name}: first difference");
        }
        assert_eq!(expected.len(), got.len(), "{name}: cell count");
        // Merges: xls and ods keep them like xlsx does.
        let mut merges_x: Vec<_> = sheet(&xlsx, "Sheet1").merges.clone();
        let mut merges: Vec<_> = book.sheets[0].merges.clone();
        let key = |m: &jixiao::read::Span| (m.first_row, m.first_col, m.last_row, m.last_col);
        merges_x.sort_by_key(key);
        merges.sort_by_key(key);
        assert_eq!(merges_x, merges, "{name}: merges");
        assert!(book.sheets[0].has_merge_info, "{name}");
    }
    assert_eq!(workbook("panyu.xls").format, Format::Xls);
    assert_eq!(workbook("panyu.ods").format, Format::Ods);
}

#[test]
fn messy_workbook_has_two_sheets_and_starts_at_column_b() {
    let book = workbook("panyu-messy.xlsx");
    let names: Vec<_> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["填表说明", "申报表"]);
    let s = sheet(&book, "申报表");
    assert_eq!(s.get(0, 1), &text("附件2"));
    assert_eq!(s.get(1, 1), &text("部门整体预算绩效目标申报表"));
    assert_eq!(s.get(3, 2), &text(DEPARTMENT));
    assert!(s.row_cells(1).all(|(c, _)| c >= 1), "nothing in column A");
}

#[test]
fn gbk_csv_decodes_and_keeps_multiline_goal() {
    let book = workbook("panyu-gbk.csv");
    assert_eq!(book.format, Format::Csv);
    let s = sheet(&book, "panyu-gbk");
    assert!(!s.has_merge_info);
    assert_eq!(s.get(0, 0), &text("部门整体预算绩效目标申报表"));
    assert_eq!(s.get(1, 1), &text(DEPARTMENT));
    assert_eq!(s.get(3, 2), &num("440.65"));
    assert_eq!(s.get(4, 4), &num("0.0"));
    let goal = s.get(8, 1).display();
    assert!(
        goal.starts_with("1.1.开展全国标杆国家级开发区调研4次"),
        "{goal}"
    );
    assert!(goal.contains("\n2.对园区企业开展环保巡检"), "{goal}");
    assert_eq!(s.get(9, 0), &text("年度重点工作任务"));
}

#[test]
fn other_fixtures_read() {
    for name in [
        "zhanjiang.xlsx",
        "errors-budget.xlsx",
        "errors-indicators.xlsx",
        "panyu-lo.xlsx",
    ] {
        let book = workbook(name);
        assert!(
            !book.sheets.is_empty() && !book.sheets[0].is_blank(),
            "{name}"
        );
    }
    let zj = workbook("zhanjiang.xlsx");
    assert_eq!(zj.sheets[0].get(4, 2), &num("9836.47"));
    assert_eq!(zj.sheets[0].get(2, 2), &num("750"));
    let budget = workbook("errors-budget.xlsx");
    assert_eq!(budget.sheets[0].get(6, 2), &num("-5"));
}

fn read_error(name: &str) -> ReadError {
    match read_path(&fixture(name)) {
        Err(e) => e,
        Ok(_) => panic!("{name}: read without error"),
    }
}

#[test]
fn bad_files_give_their_error() {
    assert!(matches!(
        read_error("bad/empty.xlsx"),
        ReadError::Empty { .. }
    ));
    assert!(matches!(
        read_error("bad/encrypted.xlsx"),
        ReadError::Encrypted { .. }
    ));
    assert!(matches!(
        read_error("bad/html-export.xls"),
        ReadError::Html { .. }
    ));
    assert!(matches!(
        read_error("bad/truncated.xlsx"),
        ReadError::Corrupt { .. }
    ));
    let random = read_error("bad/random.xls");
    assert!(
        matches!(
            random,
            ReadError::UnknownFormat { .. } | ReadError::Corrupt { .. }
        ),
        "{random:?}"
    );
    // A valid workbook that is not a form reads; a later stage says it is not a form.
    assert!(matches!(
        read_path(&fixture("bad/not-a-form.xlsx")),
        Ok(Input::Workbook(_))
    ));
}

#[test]
fn error_messages_word_for_word() {
    let encrypted = read_error("bad/encrypted.xlsx");
    assert_eq!(
        encrypted.message(Lang::Zh),
        "encrypted.xlsx：工作簿设置了密码保护，无法读取。请先取消密码保护后再处理"
    );
    assert_eq!(
        encrypted.message(Lang::En),
        "encrypted.xlsx: the workbook is password-protected and cannot be read. Remove the password protection first"
    );
    let html = read_error("bad/html-export.xls");
    assert_eq!(
        html.message(Lang::Zh),
        "html-export.xls：这是一个网页（HTML）文件，只是扩展名为表格。请用 Excel 或 WPS 打开后“另存为 .xlsx”再处理"
    );
    assert_eq!(
        read_error("bad/empty.xlsx").message(Lang::Zh),
        "empty.xlsx：文件是空的（0 字节）"
    );
}

#[test]
fn renamed_xls_reads_by_its_bytes() {
    let bytes = std::fs::read(fixture("panyu.xls")).expect("fixture");
    let Ok(Input::Workbook(book)) = read_bytes("申报表.xlsx", &bytes) else {
        panic!("renamed xls did not read")
    };
    assert_eq!(book.format, Format::Xls);
    assert_eq!(book.file, "申报表.xlsx");
    assert_eq!(book.sheets[0].get(3, 2), &num("440.65"));
}

#[test]
fn text_formats_sniff() {
    let xml = r#"<?xml version="1.0"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>"#;
    assert_eq!(sniff(xml.as_bytes()), Format::Xml2003);
    assert!(matches!(
        read_bytes("a.xls", xml.as_bytes()),
        Err(ReadError::Xml2003 { .. })
    ));
    let html =
        "<!DOCTYPE html>\n<html><body><table><tr><td>部门名称</td></tr></table></body></html>";
    assert_eq!(sniff(html.as_bytes()), Format::Html);
    assert!(matches!(
        read_bytes("a.xls", html.as_bytes()),
        Err(ReadError::Html { .. })
    ));
}

/// Guards bounded reading: a form plus one value at XFD1048576 must not allocate by the
/// declared dimension, and keeps the form.
#[test]
fn stray_far_cell_is_dropped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("stray.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "部门整体预算绩效目标申报表")
        .expect("write");
    ws.write_string(1, 0, "部门名称").expect("write");
    ws.write_number(3, 2, 440.65).expect("write");
    ws.merge_range(1, 1, 1, 5, DEPARTMENT, &rust_xlsxwriter::Format::new())
        .expect("merge");
    ws.write_string(1_048_575, 16_383, "stray").expect("write");
    wb.save(&path).expect("save");

    let Ok(Input::Workbook(book)) = read_path(&path) else {
        panic!("stray.xlsx did not read")
    };
    let s = &book.sheets[0];
    assert!(s.truncated);
    assert!(s.height() <= MAX_ROWS && s.width() <= MAX_COLS);
    // The merge writes blank formatted cells only; the widest value is C4.
    assert_eq!((s.height(), s.width()), (4, 3));
    assert_eq!(s.get(1, 1), &text(DEPARTMENT));
    assert_eq!(s.get(3, 2), &num("440.65"));
    assert!(s.merge_at(1, 3).is_some());
}

/// A minimal xlsx package around one sheet's `<sheetData>` rows, written straight to a zip:
/// rust_xlsxwriter takes a minute for 4 million cells in a debug build, this a few seconds.
fn xlsx_with_rows(path: &Path, rows: impl Iterator<Item = String>) {
    use std::io::Write;
    let file = std::fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let ns = "http://schemas.openxmlformats.org";
    let parts = [
        (
            "[Content_Types].xml",
            format!(
                r#"<Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#
            ),
        ),
        (
            "_rels/.rels",
            format!(
                r#"<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
    ];
    for (name, body) in parts {
        zip.start_file(name, opts).expect("zip entry");
        zip.write_all(body.as_bytes()).expect("write");
    }
    zip.start_file("xl/worksheets/sheet1.xml", opts)
        .expect("zip entry");
    write!(zip, r#"<worksheet xmlns="{ns}/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>"#).expect("write");
    for row in rows {
        zip.write_all(row.as_bytes()).expect("write");
    }
    zip.write_all(b"</sheetData></worksheet>").expect("write");
    zip.finish().expect("finish");
}

/// Guards bounded reading of a big sheet: 200,000 rows × 20 columns stop at MAX_ROWS.
#[test]
fn big_sheet_stops_at_max_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.xlsx");
    let rows = (0..200_000u32).map(|r| {
        let cells: String = (0..20u8)
            .map(|c| {
                format!(
                    r#"<c r="{}{}"><v>{r}.{c:02}</v></c>"#,
                    char::from(b'A' + c),
                    r + 1
                )
            })
            .collect();
        format!(r#"<row r="{}">{cells}</row>"#, r + 1)
    });
    xlsx_with_rows(&path, rows);

    let Ok(Input::Workbook(book)) = read_path(&path) else {
        panic!("big.xlsx did not read")
    };
    let s = &book.sheets[0];
    assert!(s.truncated);
    assert_eq!(s.height(), MAX_ROWS);
    assert_eq!(s.width(), 20);
    assert_eq!(
        s.get(MAX_ROWS - 1, 19),
        &num(&format!("{}.19", MAX_ROWS - 1))
    );
}

/// Guards the zip-bomb case: one row of far columns (dropped as they stream) and 300,000 rows
/// below; the form cell above them is kept.
#[test]
fn endless_far_columns_stop() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bomb.xlsx");
    let first = std::iter::once(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>部门名称</t></is></c></row>"#.to_string(),
    );
    let wide = std::iter::once(format!(
        r#"<row r="2">{}</row>"#,
        r#"<c><v>7</v></c>"#.repeat(16_000)
    ));
    let tall = (3..300_000u32).map(|r| format!(r#"<row r="{r}"><c r="CW{r}"><v>1</v></c></row>"#));
    xlsx_with_rows(&path, first.chain(wide).chain(tall));
    let Ok(Input::Workbook(book)) = read_path(&path) else {
        panic!("bomb.xlsx did not read")
    };
    let s = &book.sheets[0];
    assert!(s.truncated);
    assert_eq!((s.height(), s.width()), (2, 64));
    assert_eq!(s.get(0, 0), &text("部门名称"));
}

/// Guards the truncated flag in xlsx: blank formatted cells beyond the bounds (a row or column
/// formatted to the sheet's edge) drop nothing of the form; a value beyond them does.
#[test]
fn blank_cells_beyond_the_bounds_do_not_truncate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("blank-far.xlsx");
    let first = std::iter::once(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>部门名称</t></is></c><c r="CA1" s="1"/><c r="XFD1" s="1"/></row>"#.to_string(),
    );
    let below =
        (MAX_ROWS + 1..MAX_ROWS + 4).map(|r| format!(r#"<row r="{r}"><c r="A{r}" s="1"/></row>"#));
    xlsx_with_rows(&path, first.chain(below));
    let Ok(Input::Workbook(book)) = read_path(&path) else {
        panic!("blank-far.xlsx did not read")
    };
    let s = &book.sheets[0];
    assert!(!s.truncated);
    assert_eq!(s.get(0, 0), &text("部门名称"));

    let path = dir.path().join("value-far.xlsx");
    let first = std::iter::once(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>部门名称</t></is></c><c r="CA1"><v>1</v></c></row>"#.to_string(),
    );
    xlsx_with_rows(&path, first);
    let Ok(Input::Workbook(book)) = read_path(&path) else {
        panic!("value-far.xlsx did not read")
    };
    assert!(book.sheets[0].truncated);
}

/// A chart sheet is skipped by its declared type; the worksheets around it read.
#[test]
fn chart_sheet_is_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("chart.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("申报表").expect("name");
    ws.write_string(0, 0, "部门名称").expect("write");
    ws.write_number(1, 0, 1.0).expect("write");
    ws.write_number(2, 0, 2.0).expect("write");
    let mut chart = rust_xlsxwriter::Chart::new(rust_xlsxwriter::ChartType::Column);
    chart.add_series().set_values("申报表!$A$2:$A$3");
    wb.add_chartsheet()
        .insert_chart(0, 0, &chart)
        .expect("chart");
    wb.add_worksheet()
        .set_name("说明")
        .expect("name")
        .write_string(0, 0, "填表说明")
        .expect("write");
    wb.save(&path).expect("save");
    let Ok(Input::Workbook(book)) = read_path(&path) else {
        panic!("chart.xlsx did not read")
    };
    let names: Vec<_> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["申报表", "说明"]);
    assert_eq!(book.sheets[0].get(0, 0), &text("部门名称"));
}

/// Percent cells in xlsx keep their stored value and say they are percent.
#[test]
fn percent_format_in_xlsx() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("percent.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let pct = rust_xlsxwriter::Format::new().set_num_format("0%");
    ws.write_number_with_format(0, 0, 0.98, &pct)
        .expect("write");
    ws.write_number(0, 1, 0.98).expect("write");
    wb.save(&path).expect("save");
    let Ok(Input::Workbook(book)) = read_path(&path) else {
        panic!("percent.xlsx did not read")
    };
    let s = &book.sheets[0];
    assert_eq!(
        s.get(0, 0),
        &CellValue::Percent(Decimal::from_str("0.98").expect("decimal"))
    );
    assert_eq!(s.get(0, 0).display(), "98%");
    assert_eq!(s.get(0, 1), &num("0.98"));
}

#[test]
fn empty_workbook_has_no_sheets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("blank.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet();
    wb.save(&path).expect("save");
    assert!(matches!(read_path(&path), Err(ReadError::NoSheets { .. })));
}

/// Damaged copies of real files never panic: every prefix and a few corrupted bytes.
#[test]
fn damaged_fixtures_never_panic() {
    for name in ["panyu.xlsx", "panyu.xls", "panyu.ods", "panyu-gbk.csv"] {
        let bytes = std::fs::read(fixture(name)).expect("fixture");
        for cut in (0..bytes.len()).step_by(bytes.len() / 40 + 1) {
            let _ = read_bytes(name, &bytes[..cut]);
        }
        for at in (0..bytes.len()).step_by(bytes.len() / 25 + 1) {
            let mut copy = bytes.clone();
            copy[at] ^= 0x5A;
            let _ = read_bytes(name, &copy);
        }
    }
}

/// Not a test: reads the file named by `JIXIAO_PROBE` and prints what it got, to measure time
/// and memory with `/usr/bin/time -v` on a generated hostile file.
#[test]
#[ignore]
fn probe() {
    let Ok(path) = std::env::var("JIXIAO_PROBE") else {
        return;
    };
    match read_path(Path::new(&path)) {
        Ok(Input::Workbook(book)) => {
            for s in &book.sheets {
                let merges = s.merges.len();
                println!(
                    "{}: {}x{} truncated={} merges={merges}",
                    s.name,
                    s.height(),
                    s.width(),
                    s.truncated
                );
            }
        }
        Ok(Input::Records(r)) => println!("{} records", r.len()),
        Err(e) => println!("{}", e.message(Lang::En)),
    }
}
