//! The reading stage against the fixtures, the bad files and generated hostile workbooks.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use jixiao::inputs::{display_name, read_file};
use jixiao::messages::Lang;
use jixiao::read::{
    read_bytes, sniff, CellValue, Format, Input, ReadError, Sheet, Workbook, MAX_CELL_CHARS,
    MAX_COLS, MAX_ROWS, MAX_TEXT_BYTES,
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

/// Regression (issue 11): workbooks written by other systems, which Excel, WPS and calamine
/// open, were refused as "not a spreadsheet". Zip entries named with `\` (exports of Chinese
/// business systems) and a package whose workbook part lies at the root of the zip
/// (tests/fixtures/make/packages.py builds both) read cell for cell.
#[test]
fn packages_written_by_other_systems_read() {
    for (name, percent) in [
        ("regress/backslash-paths.xlsx", true),
        ("regress/root-workbook.xlsx", false),
    ] {
        let book = workbook(name);
        assert_eq!(book.format, Format::Xlsx, "{name}");
        let s = sheet(&book, "申报表");
        let mut expected = vec![
            (0, 0, text("部门整体预算绩效目标申报表")),
            (1, 0, text("部门名称")),
            (1, 1, text("测试局")),
            (3, 2, num("440.65")),
        ];
        if percent {
            let pct = CellValue::Percent(Decimal::from_str("0.98").expect("decimal"));
            expected.push((3, 3, pct));
        }
        assert_eq!(cells(s), expected, "{name}");
        let title = s.merge_at(0, 2).expect("title merged");
        assert_eq!((title.first_col, title.last_col), (0, 3), "{name}");
    }
}

/// A fixture package with each entry's name and bytes changed by `change`, in memory.
fn rewrite_fixture(name: &str, change: impl Fn(&str, Vec<u8>) -> (String, Vec<u8>)) -> Vec<u8> {
    use std::io::{Read, Write};
    let bytes = std::fs::read(fixture(name)).expect("fixture");
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut entry = src.by_index(i).expect("entry");
        let mut body = Vec::new();
        entry.read_to_end(&mut body).expect("read entry");
        let (name, body) = change(entry.name().expect("entry name").as_ref(), body);
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        out.write_all(&body).expect("write");
    }
    out.finish().expect("zip").into_inner()
}

/// Regression (issue 11): the real form, its zip entries renamed with `\` as a business
/// system's export writes them, reads to the same cells and merges as the original.
#[test]
fn backslashed_form_reads_like_the_original() {
    let backslashed = rewrite_fixture("panyu.xlsx", |name, body| (name.replace('/', "\\"), body));
    let Ok(Input::Workbook(book)) = read_bytes("panyu.xlsx", &backslashed) else {
        panic!("backslashed panyu.xlsx did not read")
    };
    let original = workbook("panyu.xlsx");
    assert_eq!(book.sheets.len(), original.sheets.len());
    for (got, want) in book.sheets.iter().zip(&original.sheets) {
        assert_eq!(got.name, want.name);
        assert_eq!(cells(got), cells(want), "{}", got.name);
        assert_eq!(got.merges, want.merges, "{}", got.name);
    }
}

/// Regression (issue 10): damaged and hostile `.xls` files (tests/fixtures/make/hostile_xls.py
/// builds the flood ones; the others are panyu.xls with 4 bytes changed) made calamine abort the
/// process (a 1 TB or 4 GB request), grow without bound on a looping sector chain, or take
/// gigabytes. Each is now refused before calamine sees it, with the reason.
#[test]
fn hostile_xls_files_are_refused_with_the_reason() {
    for (name, detail) in [
        (
            "xls-directory-loop.xls",
            "the directory sector chain loops at sector 17",
        ),
        (
            "xls-stream-loop.xls",
            "the Workbook sector chain loops at sector 3",
        ),
        (
            "xls-false-fat.xls",
            "the directory names sector 1309512143, past the end of the file",
        ),
        (
            "xls-boundsheet-flood.xls",
            "reading it would take over 136 MB of memory",
        ),
        (
            "xls-label-length.xls",
            "reading it would take over 750 MB of memory",
        ),
        (
            "xls-sst-amplified.xls",
            "reading it would take over 375 MB of memory",
        ),
        (
            "xls-continue-flood.xls",
            "the record at byte 38 is followed by more than 16384 CONTINUE records",
        ),
    ] {
        let error = read_error(&format!("regress/{name}"));
        assert_eq!(
            error,
            ReadError::Corrupt {
                file: name.to_string(),
                detail: detail.to_string()
            }
        );
    }
    assert_eq!(
        read_error("regress/xls-directory-loop.xls").message(Lang::Zh),
        "xls-directory-loop.xls：文件已损坏或不完整，无法读取。请重新导出或向报送单位索取完整文件"
    );
    assert_eq!(
        read_error("regress/xls-directory-loop.xls").message(Lang::En),
        "xls-directory-loop.xls: the file is damaged or incomplete. Export it again or ask the sender for a complete copy (technical detail: the directory sector chain loops at sector 17)"
    );
}

/// Regression (issue 10): a DIMENSIONS record whose first row follows its last made calamine
/// reserve ~10^10 cells. The record is only a size hint: it is withheld and the sheet reads.
#[test]
fn inverted_dimensions_are_withheld() {
    let book = workbook("regress/xls-dimensions-inverted.xls");
    assert_eq!(cells(&book.sheets[0]), vec![(0, 0, text("form"))]);
    assert!(!book.sheets[0].truncated);
}

/// An `.xls` written by xlwt (tests/fixtures/make/far_percent_xls.py): the cells inside the
/// bounds read with their percent formats, the far ones (a text at GS60001, a number at CW4,
/// a MulRk run from column 60 to 69) are dropped and the sheet says so.
#[test]
fn xls_far_cells_and_percents() {
    let book = workbook("make/far-percent.xls");
    let pct = |s: &str| CellValue::Percent(Decimal::from_str(s).expect("decimal"));
    let s = sheet(&book, "申报表");
    assert_eq!(
        cells(s),
        vec![
            (0, 0, text("部门整体预算绩效目标申报表")),
            (1, 1, pct("0.98")),
            (1, 2, pct("0.5")),
            (1, 3, num("12")),
            // A5 holds a formula xlwt stores without a cached value: nothing to read.
            (4999, 63, text("edge")),
        ]
    );
    assert!(s.truncated);
    let notes = sheet(&book, "说明");
    assert_eq!(cells(notes), vec![(0, 0, pct("0.25"))]);
    assert!(!notes.truncated);
}

/// The text a cell of `"部门".repeat(n)` keeps: its first MAX_CELL_CHARS characters.
fn cut_text() -> CellValue {
    text(
        &"部门"
            .repeat(MAX_CELL_CHARS)
            .chars()
            .take(MAX_CELL_CHARS)
            .collect::<String>(),
    )
}

/// Regression (issue 10): a shared string of 100 MB took 312 MB to read, a cell of 60 MB of
/// text 190 MB (tests/fixtures/make/hostile_ooxml.py builds them; the committed files hold
/// 1 MB). The text is cut while the XML streams by; the cell keeps MAX_CELL_CHARS characters
/// and is listed in `cut_cells`, in every format.
#[test]
fn long_texts_are_cut_and_recorded() {
    for (name, at) in [
        ("regress/ooxml-long-shared-string.xlsx", (1, 1)),
        ("regress/ooxml-long-inline-cell.xlsx", (1, 1)),
        ("regress/ooxml-long-ods-cell.ods", (0, 1)),
    ] {
        let book = workbook(name);
        let s = &book.sheets[0];
        assert_eq!(s.get(0, 0), &text("部门名称"), "{name}");
        assert_eq!(s.get(at.0, at.1), &cut_text(), "{name}");
        assert_eq!(s.cut_cells, [at], "{name}");
        assert!(!s.truncated, "{name}");
    }
}

/// The real form with 1 MB of text in its 总体绩效目标 cell B9 reads as the form: every other
/// cell as in panyu.xlsx, B9 cut and recorded.
#[test]
fn a_form_with_a_long_cell_keeps_the_rest() {
    let long = rewrite_fixture("panyu.xlsx", |name, body| {
        if name != "xl/worksheets/sheet1.xml" {
            return (name.to_string(), body);
        }
        let mut body = String::from_utf8(body).expect("sheet XML");
        let cell = body.find(r#"<c r="B9""#).expect("B9");
        let start = cell + body[cell..].find("<t").expect("text");
        let start = start + body[start..].find('>').expect("tag end") + 1;
        let end = start + body[start..].find("</t>").expect("text end");
        body.replace_range(start..end, &"部门".repeat(1 << 18));
        (name.to_string(), body.into_bytes())
    });
    let Ok(Input::Workbook(book)) = read_bytes("panyu.xlsx", &long) else {
        panic!("the form with a long goal did not read")
    };
    let s = &book.sheets[0];
    assert_eq!(s.cut_cells, [(8, 1)]);
    assert_eq!(s.get(8, 1), &cut_text());
    let original = workbook("panyu.xlsx");
    let others = |s: &Sheet| {
        let mut c = cells(s);
        c.retain(|(r, c, _)| (*r, *c) != (8, 1));
        c
    };
    assert_eq!(others(s), others(&original.sheets[0]));
    assert_eq!(s.merges, original.sheets[0].merges);
}

/// Regression (issue 10): a 5 KB .xlsb whose record declared 256 MB made calamine allocate it
/// (267 MB); 5,000,000 empty shared strings took 123 MB; a tag of megabytes is buffered whole.
/// Each is refused, with the reason, before calamine reads it.
#[test]
fn hostile_packages_are_refused_with_the_reason() {
    for (name, detail) in [
        (
            "ooxml-record-length.xlsb",
            "xl/worksheets/sheet1.bin: a record at byte 66 declares 268435455 bytes (at most 1048576 are read)",
        ),
        (
            "ooxml-many-shared-strings.xlsx",
            "its shared strings, styles and workbook parts would take over 151 MB of memory",
        ),
        (
            "ooxml-long-tag.xlsx",
            "xl/worksheets/sheet1.xml: it has a tag longer than 64 KB",
        ),
    ] {
        assert_eq!(
            read_error(&format!("regress/{name}")),
            ReadError::Corrupt {
                file: name.to_string(),
                detail: detail.to_string()
            }
        );
    }
}

/// Regression (issue 10): one shared string of 32,767 characters used by 20,000 cells became
/// 20,000 copies (5,000 kept within the row bound: 164 MB). The workbook's cells hold at most
/// MAX_TEXT_BYTES of text; the cells past it are dropped and the sheet says so.
#[test]
fn text_of_a_workbook_is_bounded() {
    let book = workbook("regress/ooxml-shared-string-copies.xlsx");
    let s = &book.sheets[0];
    assert!(s.truncated);
    let long: Vec<_> = (1..s.height())
        .filter(|&r| !s.get(r, 1).is_empty())
        .collect();
    let held = "部门名称".len() + long.len() * 32_767;
    assert!(
        held <= MAX_TEXT_BYTES && held + 32_767 > MAX_TEXT_BYTES,
        "{}",
        long.len()
    );
    assert_eq!(long, (1..=long.len() as u32).collect::<Vec<_>>());
}
