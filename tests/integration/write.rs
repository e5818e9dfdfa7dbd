//! The writers, read back: values with calamine, and the parts calamine does not expose (merges,
//! number formats, notes, fills, hyperlinks, formulas, panes, filters) from the zipped XML.
//!
//! Set `JIXIAO_RENDER_DIR` to also keep the written workbooks there (for a render check with
//! LibreOffice).

use std::io::Cursor;
use std::path::PathBuf;

use crate::common::{assert_footer, assert_rows_fit, fixtures, xlsx_part};
use calamine::{Data, Reader, Xlsx};
use jixiao::messages::{Lang, FINDINGS};
use jixiao::model::{Change, Code, Declaration, FieldPath, Finding, Hole, RecordKind, Severity};
use jixiao::template::Template;

use jixiao::write::{
    blank_form, indicators_csv, write_declaration_workbook, write_output, CsvEncoding, WriteError,
};

fn record(name: &str) -> Declaration {
    let path = fixtures().join(format!("{name}.expected.json"));
    let text = std::fs::read_to_string(path).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    serde_json::from_value(v["records"].clone()).unwrap()
}

fn template_of(d: &Declaration) -> Template {
    Template::builtin_by_id(&d.template).unwrap()
}

/// A finding with a catalogue code of `severity`, if the catalogue has one yet.
fn finding_of(severity: Severity) -> Option<Finding> {
    FINDINGS.iter().find(|d| d.severity == severity).map(|d| {
        Finding::new(d.code)
            .param(Hole::Error, "示例")
            .param(Hole::File, "x.xlsx")
    })
}

fn change(field: &str, before: &str, after: &str) -> Change {
    Change {
        code: Code::TargetSymbol,
        field: field.parse().unwrap(),
        cell: Some("Sheet1!F16".into()),
        before: before.into(),
        after: after.into(),
    }
}

fn path(text: &str) -> FieldPath {
    text.parse().unwrap()
}

/// Synthetic findings: an error on 基本支出, one on the indicator section, one on the whole form,
/// and a warning on a 三级指标 when the catalogue has a warning code.
fn findings() -> Vec<Finding> {
    let error = finding_of(Severity::Error).unwrap();
    let mut out = vec![
        Finding {
            field: Some(path("budget.basic")),
            cell: Some("Sheet1!C4".into()),
            ..error.clone()
        },
        Finding {
            field: None,
            ..error.clone()
        },
        Finding {
            field: Some(path("indicators")),
            ..error
        },
    ];
    if let Some(w) = finding_of(Severity::Warning) {
        out.insert(
            0,
            Finding {
                field: Some(path("indicators[6].name")),
                ..w
            },
        );
    }
    out
}

fn changes() -> Vec<Change> {
    vec![
        change("indicators[0].annual", "≧12次", "≥12次"),
        change("indicators[0].period", "≧12次", "≥12次"),
        change("tasks[1].funds", "46", "46.00"),
    ]
}

/// The findings the normalizer gives with its corrections: one corrected (`fixed`) finding per
/// change, on its field and cell.
fn corrected(changes: &[Change]) -> Vec<Finding> {
    changes
        .iter()
        .map(|c| {
            Finding::new(c.code)
                .field(c.field)
                .param(Hole::Before, c.before.clone())
                .param(Hole::After, c.after.clone())
                .fixed(true)
                .with_cell(c.cell.clone())
        })
        .collect()
}

trait WithCell {
    fn with_cell(self, cell: Option<String>) -> Self;
}

impl WithCell for Finding {
    fn with_cell(mut self, cell: Option<String>) -> Finding {
        self.cell = cell;
        self
    }
}

fn part_names(bytes: &[u8]) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect()
}

/// The style index (`s="N"`) of a cell in a sheet's XML.
fn style_of(sheet_xml: &str, cell: &str) -> usize {
    let start = sheet_xml
        .find(&format!("<c r=\"{cell}\""))
        .unwrap_or_else(|| panic!("no cell {cell}"));
    let tag = &sheet_xml[start..start + sheet_xml[start..].find('>').unwrap()];
    let s = tag.find(" s=\"").map(|i| &tag[i + 4..]).unwrap_or("0\"");
    s[..s.find('"').unwrap()].parse().unwrap()
}

/// The `<xf>` of a style index in styles.xml.
fn xf(styles: &str, index: usize) -> String {
    let start = styles.find("<cellXfs").unwrap();
    let end = styles.find("</cellXfs>").unwrap();
    let xfs: Vec<&str> = styles[start..end].split("<xf ").skip(1).collect();
    xfs[index].to_string()
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let i = tag.find(&key)? + key.len();
    Some(&tag[i..i + tag[i..].find('"')?])
}

/// The number format code of a cell.
fn num_format(bytes: &[u8], sheet: &str, cell: &str) -> String {
    let styles = xlsx_part(bytes, "xl/styles.xml").unwrap();
    let xml = xlsx_part(bytes, sheet).unwrap();
    let x = xf(&styles, style_of(&xml, cell));
    let id = attr(&x, "numFmtId").unwrap();
    let key = format!("numFmtId=\"{id}\" formatCode=\"");
    match styles.find(&key) {
        Some(i) => {
            let rest = &styles[i + key.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        }
        None => format!("builtin {id}"),
    }
}

/// The fill colour (ARGB) of a cell, if it has a solid fill.
fn fill_of(bytes: &[u8], sheet: &str, cell: &str) -> Option<String> {
    let styles = xlsx_part(bytes, "xl/styles.xml").unwrap();
    let xml = xlsx_part(bytes, sheet).unwrap();
    let x = xf(&styles, style_of(&xml, cell));
    let fill: usize = attr(&x, "fillId").unwrap().parse().unwrap();
    let start = styles.find("<fills").unwrap();
    let end = styles.find("</fills>").unwrap();
    let fills: Vec<&str> = styles[start..end].split("<fill>").skip(1).collect();
    attr(fills[fill], "rgb").map(str::to_string)
}

fn save_for_render(name: &str, bytes: &[u8]) {
    if let Ok(dir) = std::env::var("JIXIAO_RENDER_DIR") {
        std::fs::write(PathBuf::from(dir).join(name), bytes).unwrap();
    }
}

fn value(range: &calamine::Range<Data>, a1: &str) -> Data {
    let (col, row) = a1.split_at(a1.find(|c: char| c.is_ascii_digit()).unwrap());
    let col = col
        .bytes()
        .fold(0u32, |n, c| n * 26 + (c - b'A' + 1) as u32)
        - 1;
    let row: u32 = row.parse::<u32>().unwrap() - 1;
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn assert_money(range: &calamine::Range<Data>, a1: &str, expected: Option<jixiao::model::Money>) {
    let got = value(range, a1);
    match expected {
        Some(m) => {
            let want: f64 = m.0.to_string().parse().unwrap();
            assert_eq!(
                got,
                Data::Float(want),
                "申报表!{a1}: expected {m}, got {got:?}"
            );
        }
        None => assert_eq!(got, Data::Empty, "申报表!{a1}"),
    }
}

#[test]
fn panyu_workbook_reads_back() {
    let d = record("panyu");
    let t = template_of(&d);
    let mut all = findings();
    all.extend(corrected(&changes()));
    let bytes = write_declaration_workbook(&d, &t, &all, &changes(), Lang::Zh).unwrap();
    save_for_render("panyu.xlsx", &bytes);

    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(wb.sheet_names(), ["申报表", "汇总", "校验结果", "修改记录"]);
    let form = wb.worksheet_range("申报表").unwrap();
    assert_eq!(
        value(&form, "A1"),
        Data::String("部门整体预算绩效目标申报表".into())
    );
    assert_eq!(value(&form, "A2"), Data::String("部门名称".into()));
    let dept = d.as_department().unwrap();
    assert_eq!(value(&form, "B2"), Data::String(dept.department.clone()));
    assert_eq!(value(&form, "A3"), Data::String("预算整体情况".into()));
    let b = &dept.budget;
    for (cell, m) in [
        ("C4", b.basic),
        ("C5", b.project),
        ("E4", b.appropriation),
        ("E5", b.other_funds),
        ("C7", b.special_funds),
        ("C8", b.other_development),
        ("E7", b.own_level),
        ("E8", b.transfer),
    ] {
        assert_money(&form, cell, m);
    }
    assert_eq!(value(&form, "B9"), Data::String(dept.overall_goal.clone()));
    for (k, task) in dept.tasks.iter().enumerate() {
        let row = 11 + k;
        assert_eq!(
            value(&form, &format!("B{row}")),
            Data::String(task.name.clone())
        );
        assert_money(&form, &format!("D{row}"), task.funds);
        assert_eq!(
            value(&form, &format!("E{row}")),
            Data::String(task.outcome.clone())
        );
    }
    assert_eq!(value(&form, "A15"), Data::String("绩效指标".into()));
    for (k, ind) in dept.indicators.iter().enumerate() {
        let row = 16 + k;
        assert_eq!(
            value(&form, &format!("D{row}")),
            Data::String(ind.name.clone())
        );
        assert_eq!(
            value(&form, &format!("E{row}")),
            Data::String(ind.period.as_ref().unwrap().text.clone())
        );
        assert_eq!(
            value(&form, &format!("F{row}")),
            Data::String(ind.annual.text.clone())
        );
    }
    // Merged group cells hold their value in the first row only.
    assert_eq!(value(&form, "B16"), Data::String("产出指标".into()));
    assert_eq!(value(&form, "B17"), Data::Empty);
    assert_eq!(value(&form, "B21"), Data::String("效益指标".into()));

    // 汇总: formulas over the form with their values stored.
    let summary = wb.worksheet_range("汇总").unwrap();
    assert_eq!(value(&summary, "A2"), Data::String("部门名称".into()));
    assert_eq!(
        value(&summary, "B2"),
        Data::String(d.department().to_string())
    );
    assert_eq!(value(&summary, "A3"), Data::String("模板".into()));
    assert_eq!(
        value(&summary, "B3"),
        Data::String("部门整体预算绩效目标申报表（区级，六列）".into())
    );
    assert_eq!(value(&summary, "B5"), Data::Float(926.61));
    assert_eq!(value(&summary, "B6"), Data::Float(926.61));
    assert_eq!(value(&summary, "B7"), Data::String("是".into()));
    assert_eq!(value(&summary, "B8"), Data::Float(3.0));
    assert_eq!(value(&summary, "B9"), Data::Float(373.32));
    assert_eq!(value(&summary, "B10"), Data::Float(8.0));
    assert_eq!(value(&summary, "A11"), Data::String("产出指标数".into()));
    assert_eq!(value(&summary, "B11"), Data::Float(5.0));
    assert_eq!(value(&summary, "B12"), Data::Float(3.0));
    assert_eq!(value(&summary, "B13"), Data::Float(0.0));
    // The findings by level, the words and counts of every report: the synthetic errors and
    // warning, and a correction per change.
    for (cell, label, n) in [
        ("16", "错误", 3.0),
        ("17", "警告", 1.0),
        ("18", "提示", 0.0),
        ("19", "已修正", 3.0),
    ] {
        assert_eq!(
            value(&summary, &format!("A{cell}")),
            Data::String(label.into())
        );
        assert_eq!(value(&summary, &format!("B{cell}")), Data::Float(n));
    }
    assert_eq!(value(&summary, "A20"), Data::String("状态".into()));
    assert_eq!(value(&summary, "B20"), Data::String("需修改".into()));

    let found = wb.worksheet_range("校验结果").unwrap();
    let header: Vec<String> = (0..9)
        .map(|c| found.get_value((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(
        header,
        [
            "序号",
            "级别",
            "规则",
            "原文件位置",
            "本表位置",
            "字段",
            "说明",
            "建议",
            "代码"
        ]
    );
    // Errors first, each with its rule and its place in the officer's words, the code last.
    let error = finding_of(Severity::Error).unwrap().code;
    assert_eq!(value(&found, "B2"), Data::String("错误".into()));
    assert_eq!(
        value(&found, "C2"),
        Data::String(error.def().rule.zh.into())
    );
    assert_eq!(value(&found, "D2"), Data::String("Sheet1!C4".into()));
    assert_eq!(value(&found, "E2"), Data::String("申报表!C4".into()));
    assert_eq!(
        value(&found, "F2"),
        Data::String("预算整体情况·基本支出".into())
    );
    assert_eq!(value(&found, "I2"), Data::String(error.as_str().into()));
    assert_eq!(value(&found, "F4"), Data::String("绩效指标".into()));
    // The warning, then the corrections, last, as 已修正, their message without a mark.
    assert_eq!(value(&found, "B5"), Data::String("警告".into()));
    assert_eq!(
        value(&found, "F5"),
        Data::String("第7项指标“开展园区环保巡检”·三级指标".into())
    );
    let rows: Vec<[String; 4]> = (5..8)
        .map(|r| [1, 2, 5, 6].map(|c| found.get_value((r, c)).unwrap().to_string()))
        .collect();
    assert_eq!(
        rows,
        [
            [
                "已修正",
                "指标值符号不规范",
                "第1项指标“外出招商次数”·年度指标值",
                "指标值写作“≧12次”，已规范为“≥12次”"
            ],
            [
                "已修正",
                "指标值符号不规范",
                "第1项指标“外出招商次数”·实施周期指标值",
                "指标值写作“≧12次”，已规范为“≥12次”"
            ],
            [
                "已修正",
                "指标值符号不规范",
                "第2项重点任务“招商业务工作”·拟投入的资金",
                "指标值写作“46”，已规范为“46.00”"
            ],
        ]
    );
    // The legend beside the list, after a blank column: each level's word in its colour.
    let legend: Vec<(String, String)> = (0..5)
        .map(|r| {
            let cell = |c| {
                found
                    .get_value((r, c))
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            };
            (cell(10), cell(11))
        })
        .collect();
    assert_eq!(
        legend,
        [
            ("图例", "含义"),
            ("错误", "须修改后才能通过"),
            ("警告", "请审核人员核实"),
            ("提示", "供参考，无需修改"),
            ("已修正", "已自动修正，原值见修改记录"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let sheet3_fill = |cell: &str| fill_of(&bytes, "xl/worksheets/sheet3.xml", cell);
    for (cell, fill) in [
        ("B2", Some("FFFF8080")),
        ("B5", Some("FFFFC67A")),
        ("B6", Some("FFFFF08C")),
        ("K2", Some("FFFF8080")),
        ("K3", Some("FFFFC67A")),
        ("K4", None),
        ("K5", Some("FFFFF08C")),
    ] {
        assert_eq!(sheet3_fill(cell).as_deref(), fill, "校验结果!{cell}");
    }

    let changed = wb.worksheet_range("修改记录").unwrap();
    let header: Vec<String> = (0..7)
        .map(|c| changed.get_value((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(
        header,
        ["序号", "原文件位置", "字段", "原值", "新值", "规则", "代码"]
    );
    assert_eq!(
        value(&changed, "C2"),
        Data::String("第1项指标“外出招商次数”·年度指标值".into())
    );
    assert_eq!(value(&changed, "D2"), Data::String("≧12次".into()));
    assert_eq!(value(&changed, "E2"), Data::String("≥12次".into()));
    assert_eq!(
        value(&changed, "F2"),
        Data::String("指标值符号不规范".into())
    );
    assert_eq!(value(&changed, "G2"), Data::String("target-symbol".into()));

    // The legend of the form's colours, one row below it, outside its borders.
    assert_eq!(value(&form, "A25"), Data::String("图例".into()));
    assert_eq!(value(&form, "B25"), Data::String("错误".into()));
    assert_eq!(value(&form, "C25"), Data::String("警告".into()));
    assert_eq!(value(&form, "D25"), Data::String("已修正".into()));
    assert_eq!(
        value(&form, "B26"),
        Data::String("有颜色的单元格带批注：问题的说明，或修正前的原值".into())
    );
    let fills = |cell: &str| fill_of(&bytes, "xl/worksheets/sheet1.xml", cell);
    assert_eq!(fills("B25").as_deref(), Some("FFFF8080"));
    assert_eq!(fills("C25").as_deref(), Some("FFFFC67A"));
    assert_eq!(fills("D25").as_deref(), Some("FFFFF08C"));

    // The XML (the sheet order is asserted above, with sheet_names).
    let sheet1 = xlsx_part(&bytes, "xl/worksheets/sheet1.xml").unwrap();
    for merge in [
        "A1:F1", "B2:F2", "A3:A8", "E3:F3", "E4:F4", "E8:F8", "B9:F9", "A10:A13", "E11:F11",
        "B14:F14", "A15:A23", "B16:B20", "C16:C19", "B21:B23", "C21:C22", "B26:F26",
    ] {
        assert!(
            sheet1.contains(&format!("<mergeCell ref=\"{merge}\"/>")),
            "merge {merge}"
        );
    }
    let styles = xlsx_part(&bytes, "xl/styles.xml").unwrap();
    for cell in ["C4", "C5", "E4", "E8", "D11", "D13"] {
        assert_eq!(
            num_format(&bytes, "xl/worksheets/sheet1.xml", cell),
            "0.00####",
            "{cell}"
        );
        // A number stands a small indent from the border.
        let x = xf(&styles, style_of(&sheet1, cell));
        assert!(
            x.contains("indent=\"1\"") && x.contains("horizontal=\"right\""),
            "{cell}: {x}"
        );
    }
    // Page setup: A4, portrait, one page wide, page numbers in the footer.
    assert!(sheet1.contains("paperSize=\"9\""));
    assert!(sheet1.contains("orientation=\"portrait\""));
    assert!(sheet1.contains("fitToHeight=\"0\""));
    assert!(sheet1.contains("<pageSetUpPr fitToPage=\"1\"/>"));
    for sheet in 1..=4 {
        assert_footer(&bytes, &format!("xl/worksheets/sheet{sheet}.xml"), Lang::Zh);
    }
    // Column widths from the template, row heights set.
    assert!(sheet1.contains("customHeight=\"1\""));

    // Notes on the changed cells and the marked ones; fills by kind.
    let names = part_names(&bytes);
    let comments = names
        .iter()
        .find(|n| n.starts_with("xl/comments"))
        .expect("a comments part");
    let comments = xlsx_part(&bytes, comments).unwrap();
    for cell in ["F16", "E16", "D12", "C4", "A15"] {
        assert!(
            comments.contains(&format!("ref=\"{cell}\"")),
            "note on {cell}"
        );
    }
    assert!(comments.contains("原值：≧12次"));
    assert!(comments.contains("原值：46"));
    let rels = xlsx_part(&bytes, "xl/worksheets/_rels/sheet1.xml.rels").unwrap();
    assert!(rels.contains("comments") && rels.contains("vmlDrawing"));
    // Issue 12: errors clearly red, warnings clearly orange, corrections yellow.
    assert_eq!(fills("D12").as_deref(), Some("FFFFF08C"), "changed");
    // F16 was changed and has no open finding: yellow. C4 has an error: red.
    assert_eq!(fills("F16").as_deref(), Some("FFFFF08C"));
    assert_eq!(fills("C4").as_deref(), Some("FFFF8080"));
    assert_eq!(fills("A15").as_deref(), Some("FFFF8080"));
    assert_eq!(fills("C5"), None);
    assert_eq!(fills("D22").as_deref(), Some("FFFFC67A"));

    // 汇总: formulas with cached values.
    let sheet2 = xlsx_part(&bytes, "xl/worksheets/sheet2.xml").unwrap();
    assert!(
        sheet2.contains("<f>'申报表'!C4+'申报表'!C5</f><v>926.61</v>"),
        "{sheet2}"
    );
    assert!(sheet2.contains("<f>'申报表'!E4+'申报表'!E5</f><v>926.61</v>"));
    assert!(sheet2.contains("<f>SUM('申报表'!D11:D13)</f><v>373.32</v>"));
    assert!(sheet2.contains("<f>IF(ROUND(B5-B6,6)=0,\"是\",\"否\")</f><v>是</v>"));

    // 校验结果: internal hyperlinks, frozen header, autofilter over the list (not the legend),
    // the list alone printed, its header on every page.
    let sheet3 = xlsx_part(&bytes, "xl/worksheets/sheet3.xml").unwrap();
    assert!(
        sheet3.contains("location=\"'申报表'!C4\""),
        "hyperlink: {sheet3}"
    );
    assert!(sheet3.contains("location=\"'申报表'!A15\""));
    assert!(sheet3.contains("state=\"frozen\"") && sheet3.contains("ySplit=\"1\""));
    let n = findings().len() + changes().len() + 1;
    assert!(sheet3.contains(&format!("<autoFilter ref=\"A1:I{n}\"/>")));
    let sheet4 = xlsx_part(&bytes, "xl/worksheets/sheet4.xml").unwrap();
    assert!(sheet4.contains("<autoFilter ref=\"A1:G4\"/>"));
    let workbook = xlsx_part(&bytes, "xl/workbook.xml").unwrap();
    for title in [
        "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"1\">汇总!$1:$1</definedName>".to_string(),
        "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"2\">校验结果!$1:$1</definedName>".to_string(),
        format!("<definedName name=\"_xlnm.Print_Area\" localSheetId=\"2\">校验结果!$A$1:$I${n}</definedName>"),
        "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"3\">修改记录!$1:$1</definedName>".to_string(),
    ] {
        assert!(workbook.contains(&title), "{title}\n{workbook}");
    }
    // Every row of the lists as tall as its text needs.
    assert_rows_fit(&bytes, "xl/worksheets/sheet3.xml", &found);
    assert_rows_fit(&bytes, "xl/worksheets/sheet4.xml", &changed);
    assert_rows_fit(&bytes, "xl/worksheets/sheet2.xml", &summary);
    // Fonts: 宋体 in the styles.
    let styles = xlsx_part(&bytes, "xl/styles.xml").unwrap();
    assert!(styles.contains("<name val=\"宋体\"/>"));
    assert!(styles.contains("<sz val=\"16\"/>"));
    // The workbook's default cell style is wrapped and vertically centred, without borders,
    // in the default font (Calibri 11: the unit of column widths is unchanged); the lists'
    // text cells have it (no style of their own), their 级别 cells a fill in a grey frame, and
    // the lists print their gridlines.
    let plain = xf(&styles, 0);
    assert!(
        plain.contains("wrapText=\"1\"") && plain.contains("vertical=\"center\""),
        "{plain}"
    );
    assert_eq!(attr(&plain, "fontId"), Some("0"));
    assert_eq!(attr(&plain, "borderId"), Some("0"));
    let fonts = &styles[styles.find("<fonts").unwrap()..styles.find("</fonts>").unwrap()];
    let first_font = &fonts[fonts.find("<font>").unwrap()..fonts.find("</font>").unwrap()];
    assert!(
        first_font.contains("<sz val=\"11\"/>") && first_font.contains("<name val=\"Calibri\"/>"),
        "{first_font}"
    );
    let found_xml = xlsx_part(&bytes, "xl/worksheets/sheet3.xml").unwrap();
    for cell in ["C2", "D2", "F2", "G2", "I2"] {
        assert_eq!(style_of(&found_xml, cell), 0, "{cell}");
    }
    let level = xf(&styles, style_of(&found_xml, "B2"));
    let border: usize = attr(&level, "borderId").unwrap().parse().unwrap();
    let borders = &styles[styles.find("<borders").unwrap()..styles.find("</borders>").unwrap()];
    let frame = borders.split("<border>").nth(border + 1).unwrap();
    assert!(
        frame.contains("<left style=\"thin\"><color rgb=\"FFD4D4D4\"/>"),
        "{frame}"
    );
    assert_eq!(
        fill_of(&bytes, "xl/worksheets/sheet3.xml", "B2").as_deref(),
        Some("FFFF8080")
    );
    assert!(found_xml.contains("<printOptions gridLines=\"1\"/>"));
    // The form keeps its borders.
    assert_ne!(
        attr(&xf(&styles, style_of(&sheet1, "B2")), "borderId"),
        Some("0")
    );
}

#[test]
fn zhanjiang_workbook_reads_back() {
    let d = record("zhanjiang");
    let t = template_of(&d);
    let changes = vec![change("indicators[10].annual", "90%以上", "≥90%")];
    let bytes =
        write_declaration_workbook(&d, &t, &corrected(&changes), &changes, Lang::En).unwrap();
    save_for_render("zhanjiang.xlsx", &bytes);
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    // Issue 12: with --lang en, sheet names and headers in English; the form itself is the
    // official Chinese one.
    assert_eq!(wb.sheet_names(), ["Form", "Summary", "Findings", "Changes"]);
    let form = wb.worksheet_range("Form").unwrap();
    assert_eq!(value(&form, "A1"), Data::String(d.title.to_string()));
    assert_eq!(value(&form, "B2"), Data::String(d.department().to_string()));
    assert_eq!(value(&form, "A3"), Data::String("基本信息".into()));
    assert_eq!(value(&form, "C3"), Data::Float(750.0));
    assert_eq!(value(&form, "E3"), Data::Float(10.0));
    assert_money(&form, "C5", d.as_department().unwrap().budget.basic);
    assert_money(&form, "E5", d.as_department().unwrap().budget.appropriation);
    assert_money(&form, "E9", d.as_department().unwrap().budget.transfer);
    assert_eq!(value(&form, "E17"), Data::String("指标值".into()));
    assert_eq!(
        value(&form, "E18"),
        Data::String(d.indicators()[0].annual.text.clone())
    );
    assert_eq!(form.end().map(|e| e.1), Some(4), "five columns");
    let summary = wb.worksheet_range("Summary").unwrap();
    assert_eq!(value(&summary, "A1"), Data::String("Item".into()));
    assert_eq!(value(&summary, "A2"), Data::String("Department".into()));
    assert_eq!(value(&summary, "A19"), Data::String("Corrected".into()));
    assert_eq!(value(&summary, "B19"), Data::Float(1.0));
    assert_eq!(value(&summary, "A20"), Data::String("Status".into()));
    assert_eq!(value(&summary, "B20"), Data::String("Pass".into()));
    let found = wb.worksheet_range("Findings").unwrap();
    let header: Vec<String> = (0..9)
        .map(|c| found.get_value((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(
        header,
        [
            "No.",
            "Level",
            "Rule",
            "Cell in the input",
            "Cell on the form",
            "Field",
            "Message",
            "Suggestion",
            "Code"
        ]
    );
    assert_eq!(value(&found, "B2"), Data::String("corrected".into()));
    assert_eq!(
        value(&found, "C2"),
        Data::String("Non-standard target sign".into())
    );
    let name = &d.indicators()[10].name;
    assert_eq!(
        value(&found, "F2"),
        Data::String(format!("Indicator 11 “{name}” · 指标值"))
    );
    assert_eq!(value(&found, "K1"), Data::String("Legend".into()));
    assert_eq!(value(&found, "K5"), Data::String("corrected".into()));
    let changed = wb.worksheet_range("Changes").unwrap();
    assert_eq!(value(&changed, "C1"), Data::String("Field".into()));
    assert_eq!(
        value(&changed, "F2"),
        Data::String("Non-standard target sign".into())
    );
    // The form's legend, in English under the Chinese form.
    assert_eq!(value(&form, "A30"), Data::String("Legend".into()));
    assert_eq!(value(&form, "D30"), Data::String("corrected".into()));
    for sheet in 1..=4 {
        assert_footer(&bytes, &format!("xl/worksheets/sheet{sheet}.xml"), Lang::En);
    }

    let sheet1 = xlsx_part(&bytes, "xl/worksheets/sheet1.xml").unwrap();
    for merge in [
        "A1:E1", "B2:E2", "A4:A9", "B10:E10", "A11:A15", "B16:E16", "A17:A28", "B18:B24",
    ] {
        assert!(
            sheet1.contains(&format!("<mergeCell ref=\"{merge}\"/>")),
            "merge {merge}"
        );
    }
    assert!(!sheet1.contains("<mergeCell ref=\"E4:F4\"/>"));
    let comments = xlsx_part(&bytes, "xl/comments1.xml").unwrap();
    assert!(comments.contains("ref=\"E28\""));
    assert!(comments.contains("Original: 90%以上"));
    // No findings: the list sheets still have their header and filter.
    let sheet3 = xlsx_part(&bytes, "xl/worksheets/sheet3.xml").unwrap();
    assert!(sheet3.contains("<autoFilter ref=\"A1:I2\"/>"));
    assert_rows_fit(&bytes, "xl/worksheets/sheet3.xml", &found);
    assert_rows_fit(&bytes, "xl/worksheets/sheet2.xml", &summary);
}

#[test]
fn an_empty_declaration_still_writes() {
    let mut d = record("panyu");
    d.as_department_mut().unwrap().tasks.clear();
    d.as_department_mut().unwrap().indicators.clear();
    d.as_department_mut().unwrap().budget = Default::default();
    d.title = Default::default();
    d.as_department_mut().unwrap().department = "=HYPERLINK(\"x\")/[]:*?".into();
    d.as_department_mut().unwrap().overall_goal = "长".repeat(40_000);
    let t = template_of(&d);
    let bytes = write_declaration_workbook(&d, &t, &[], &[], Lang::Zh).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let form = wb.worksheet_range("申报表").unwrap();
    assert_eq!(value(&form, "A1"), Data::String(t.title.clone()));
    assert_eq!(value(&form, "C4"), Data::Empty);
    let summary = wb.worksheet_range("汇总").unwrap();
    assert_eq!(value(&summary, "B9"), Data::Float(0.0));
    // No coloured cell: no legend under the form.
    assert_eq!(value(&form, "A25"), Data::Empty);
}

#[test]
fn csv_has_bom_guard_and_quoting() {
    let mut p = record("panyu");
    let z = record("zhanjiang");
    p.as_department_mut().unwrap().indicators[0].name = "=1+2".into();
    p.as_department_mut().unwrap().indicators[1].name = "a,\"b\"".into();
    let bytes = indicators_csv(&[&p, &z], CsvEncoding::Utf8Bom);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "部门,项目,一级指标,二级指标,三级指标,实施周期指标值,年度指标值,符号,数值,单位,类型,计算符号,指标值,计量单位"
    );
    assert_eq!(lines.len(), 1 + 8 + 11 + 1, "header, rows, final CRLF");
    // The budget system's 计算符号 | 指标值 | 计量单位 end each row.
    assert_eq!(
        lines[1],
        "广州番禺经济技术开发区管理委员会,,产出指标,数量指标,'=1+2,≥12次,≥12次,≥,12,次,定量,≥,12,次"
    );
    assert!(lines[2].contains(",\"a,\"\"b\"\"\","), "{}", lines[2]);
    // A qualitative target: its words are the budget system's 指标值.
    assert!(
        lines[5].ends_with(",通过评审,通过评审,,,,定性,,通过评审,"),
        "{}",
        lines[5]
    );
    // The zj variant has no period column: that field is empty.
    assert!(
        lines[9].contains(",城镇新增就业人数,,≥2.5万人,≥,2.5,万人,定量,≥,2.5,万人"),
        "{}",
        lines[9]
    );

    let gbk = indicators_csv(&[&p, &z], CsvEncoding::Gbk);
    assert!(!gbk.starts_with(b"\xEF\xBB\xBF"));
    let (decoded, _, had_errors) = encoding_rs::GBK.decode(&gbk);
    assert!(!had_errors);
    assert_eq!(decoded, text);
}

#[test]
fn blank_forms_read_back() {
    for t in Template::builtin() {
        let bytes = blank_form(&t, Lang::Zh).unwrap();
        save_for_render(&format!("blank-{}.xlsx", t.id), &bytes);
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
        assert_eq!(wb.sheet_names(), ["申报表"]);
        let form = wb.worksheet_range("申报表").unwrap();
        assert_eq!(value(&form, "A1"), Data::String(t.title.clone()));
        // The first label under the title (a year line may stand between): the template's
        // anchor label, in column A.
        let anchor = t.anchor_label().unwrap();
        let row = (1..4)
            .find(|r| value(&form, &format!("A{}", r + 1)) == Data::String(anchor.into()))
            .unwrap_or_else(|| panic!("{}: {anchor} under the title", t.id));
        assert!(row <= 2, "{}", t.id);
        match t.kind {
            RecordKind::Department => assert!(anchor.contains("名称"), "{}: {anchor}", t.id),
            RecordKind::Project => assert!(anchor.contains("项目"), "{}: {anchor}", t.id),
        }
        let cells: Vec<String> = form.used_cells().map(|(_, _, v)| v.to_string()).collect();
        // The framework's categories, those of the 一级 column where the layout has one (a
        // layout one level short, hb-project, shows the 二级 only).
        let has_level1 = t
            .table_columns(jixiao::template::TableKind::Indicators)
            .iter()
            .any(|(_, c)| *c == jixiao::model::Column::Level1);
        let level1 = ["产出指标", "效益指标", "满意度指标"];
        let level2 = ["数量指标", "服务对象满意度指标"];
        let wanted = level2.iter().chain(level1.iter().filter(|_| has_level1));
        for label in wanted {
            assert!(cells.iter().any(|c| c == label), "{}: {label}", t.id);
        }
        // The categories merged down their groups, in the layout's 一级 (or first) column.
        let sheet1 = xlsx_part(&bytes, "xl/worksheets/sheet1.xml").unwrap();
        let block = t.table(jixiao::template::TableKind::Indicators).unwrap();
        let first = block.header_columns()[0].0 as u16;
        let letter = rust_xlsxwriter::utility::column_number_to_name(first);
        let merge = format!("<mergeCell ref=\"{letter}");
        assert!(sheet1.contains(&merge), "{}: category merges", t.id);
        // The same default style as every workbook jixiao writes: wrapped, centred vertically.
        let styles = xlsx_part(&bytes, "xl/styles.xml").unwrap();
        let plain = xf(&styles, 0);
        assert!(plain.contains("wrapText=\"1\""), "{}: {plain}", t.id);
    }
}

#[test]
fn safe_output_refuses_inputs_and_existing_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.xlsx");
    std::fs::write(&input, b"original").unwrap();
    let inputs = vec![input.clone()];

    // The input itself, also spelled another way.
    let err = write_output(&input, b"new", true, &inputs).unwrap_err();
    assert!(matches!(err, WriteError::IsInput { .. }), "{err}");
    let other_spelling = dir.path().join(".").join("in.xlsx");
    let err = write_output(&other_spelling, b"new", true, &inputs).unwrap_err();
    assert!(matches!(err, WriteError::IsInput { .. }), "{err}");
    assert_eq!(std::fs::read(&input).unwrap(), b"original");

    // A report is one of jixiao's outputs (by its `format`): `--force` may replace it.
    let first = br#"{"format": "jixiao.report/1", "files": []}"#;
    let out = dir.path().join("out.json");
    write_output(&out, first, false, &inputs).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), first);
    let err = write_output(&out, b"second", false, &inputs).unwrap_err();
    assert!(matches!(err, WriteError::Exists { .. }), "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), first);
    write_output(&out, b"second", true, &inputs).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), b"second");
    // "second" is nobody's output: not even `--force` replaces it.
    let err = write_output(&out, b"third", true, &inputs).unwrap_err();
    assert!(matches!(err, WriteError::NotOurs { .. }), "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), b"second");

    // A folder that does not exist is an error that names the folder, not a panic.
    let err = write_output(&dir.path().join("no/such/dir/x.xlsx"), b"x", false, &[]).unwrap_err();
    assert!(matches!(err, WriteError::Folder { .. }), "{err}");
    let folder = dir.path().join("no/such/dir").display().to_string();
    assert_eq!(err.to_string(), format!("文件夹 {folder} 不存在"));

    // Nothing but the input and the output is left behind.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["in.xlsx", "out.json"]);
}

mod never_panics {
    use super::*;
    use jixiao::model::{Indicator, Money, Target, TargetKind, Task};
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        proptest::string::string_regex(
            "[=+@\\-a-z0-9 ,\"'\\n\\t\\x00-\\x1f中文≥≧％（）：/\\[\\]*?]{0,60}",
        )
        .unwrap()
    }

    fn money() -> impl Strategy<Value = Option<Money>> {
        proptest::option::of(
            (-1_000_000_000i64..1_000_000_000, 0u32..6)
                .prop_map(|(n, s)| Money(rust_decimal::Decimal::new(n, s))),
        )
    }

    fn target() -> impl Strategy<Value = Target> {
        text().prop_map(|t| Target {
            raw: t.clone(),
            kind: TargetKind::Qualitative,
            op: None,
            value: None,
            upper: None,
            unit: None,
            text: t,
            qualifier: None,
        })
    }

    fn indicator() -> impl Strategy<Value = Indicator> {
        let level1 = prop_oneof![
            Just("产出指标"),
            Just("效益指标"),
            Just(""),
            Just("满意度指标")
        ];
        let level2 = prop_oneof![Just("数量指标"), Just(""), Just("社会效益指标")];
        (
            level1,
            level2,
            text(),
            proptest::option::of(target()),
            target(),
        )
            .prop_map(|(l1, l2, name, period, annual)| Indicator {
                extra: Default::default(),
                level1: l1.into(),
                level2: l2.into(),
                name,
                period,
                annual,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn any_declaration_writes_and_reads_back(
            department in text(),
            goal in text(),
            basic in money(),
            funds in money(),
            tasks in 0usize..4,
            indicators in proptest::collection::vec(indicator(), 0..9),
            zj in any::<bool>(),
        ) {
            let mut d = record(if zj { "zhanjiang" } else { "panyu" });
            d.as_department_mut().unwrap().department = department.clone();
            d.as_department_mut().unwrap().overall_goal = goal;
            d.as_department_mut().unwrap().budget.basic = basic;
            d.as_department_mut().unwrap().tasks = vec![Task { funds, ..Task::default() }; tasks];
            d.as_department_mut().unwrap().indicators = indicators;
            let t = template_of(&d);
            let changes = vec![change("tasks[0].funds", "x", "y"), change("labels", "a", "b")];
            let bytes = write_declaration_workbook(&d, &t, &findings(), &changes, Lang::En).unwrap();
            let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
            let form = wb.worksheet_range("Form").unwrap();
            let row = if zj { "C5" } else { "C4" };
            assert_money(&form, row, basic);
            let _ = indicators_csv(&[&d], CsvEncoding::Gbk);
        }
    }
}

/// docs/OUTPUT.md §1 for a project form: `convert` writes its 申报表 in the official project layout,
/// a 汇总 of its own figures (the funds' sums as formulas over the 申报表, with their values),
/// its findings and its changes; the CSV names the project beside its department, a row per
/// indicator of both blocks.
#[test]
fn a_project_form_converts_with_its_summary_and_its_csv() {
    use crate::common::run;
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures()
        .join("project-unbalanced.xlsx")
        .display()
        .to_string();
    run(&["convert", &input, "-o", "p.xlsx"], dir.path(), 0);
    let bytes = std::fs::read(dir.path().join("p.xlsx")).unwrap();
    save_for_render("project-unbalanced.xlsx", &bytes);
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(wb.sheet_names(), ["申报表", "汇总", "校验结果", "修改记录"]);
    let form = wb.worksheet_range("申报表").unwrap();
    assert_eq!(
        value(&form, "A1"),
        Data::String("项目支出绩效目标申报表".into())
    );
    assert_eq!(value(&form, "A2"), Data::String("（2024年度）".into()));
    assert_eq!(value(&form, "B3"), Data::String("居家养老服务补贴".into()));
    assert_eq!(value(&form, "A6"), Data::String("项目资金（万元）".into()));
    assert_eq!(value(&form, "F6"), Data::Float(300.0));
    assert_eq!(value(&form, "F7"), Data::Float(260.0));
    assert_eq!(
        num_format(&bytes, "xl/worksheets/sheet1.xml", "F6"),
        "0.00####"
    );
    // The error is on 年度资金总额, filled red.
    assert_eq!(
        fill_of(&bytes, "xl/worksheets/sheet1.xml", "F6").as_deref(),
        Some("FFFF8080")
    );

    let summary = wb.worksheet_range("汇总").unwrap();
    let rows: Vec<(String, String)> = (1..summary.height() as u32)
        .map(|r| {
            let cell = |c| {
                summary
                    .get_value((r, c))
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            };
            (cell(0), cell(1))
        })
        .collect();
    let row = |label: &str| {
        rows.iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("汇总 has no {label}: {rows:?}"))
    };
    assert_eq!(row("项目名称"), "居家养老服务补贴");
    assert_eq!(row("主管部门"), "武汉市青山区民政局");
    assert_eq!(row("年度资金总额（万元）"), "300");
    assert_eq!(row("年度财政拨款+其他资金（万元）"), "290");
    assert_eq!(row("中期资金总额（万元）"), "900");
    assert_eq!(row("中期财政拨款+其他资金（万元）"), "900");
    assert_eq!(row("指标数"), "5");
    assert_eq!(row("中期指标数"), "3");
    assert_eq!(row("错误"), "1");
    assert_eq!(row("状态"), "需修改");
    let balanced: Vec<&str> = rows
        .iter()
        .filter(|(l, _)| l == "是否平衡")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(balanced, ["否", "是"], "annual, then mid-term");
    let xml = xlsx_part(&bytes, "xl/worksheets/sheet2.xml").unwrap();
    assert!(xml.contains("<f>'申报表'!F7+'申报表'!F8</f>"), "{xml}");
    assert!(xml.contains("<f>'申报表'!F6</f>"), "{xml}");

    let found = wb.worksheet_range("校验结果").unwrap();
    assert_eq!(value(&found, "B2"), Data::String("错误".into()));
    assert_eq!(value(&found, "C2"), Data::String("项目资金不平衡".into()));
    assert_eq!(value(&found, "E2"), Data::String("申报表!F6".into()));
    assert_eq!(
        value(&found, "F2"),
        Data::String("项目资金·年度资金总额".into())
    );
    assert_eq!(value(&found, "I2"), Data::String("funds-unbalanced".into()));
    assert_rows_fit(&bytes, "xl/worksheets/sheet3.xml", &found);
    assert_rows_fit(&bytes, "xl/worksheets/sheet2.xml", &summary);

    let input = fixtures().join("project-health.xlsx").display().to_string();
    run(&["convert", &input, "-o", "p.csv"], dir.path(), 0);
    let csv = std::fs::read_to_string(dir.path().join("p.csv")).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(
        lines.len(),
        1 + 7 + 5 + 1,
        "header, annual rows, mid-term rows, end"
    );
    assert_eq!(
        lines[1],
        "武汉市青山区卫生健康局,基层医疗卫生机构服务能力提升,产出指标,数量指标,家庭医生签约服务人数,,≥6.5万人,≥,6.5,万人,定量,≥,6.5,万人"
    );
    // A mid-term row: its target under 实施周期指标值, and described by 符号 … 计量单位.
    assert_eq!(
        lines[8],
        "武汉市青山区卫生健康局,基层医疗卫生机构服务能力提升,产出指标,数量指标,家庭医生签约服务人数,≥7万人,,≥,7,万人,定量,≥,7,万人"
    );
}
