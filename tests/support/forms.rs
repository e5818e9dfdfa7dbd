//! Generated department forms, shared by the integration tests and the merge benchmark
//! (`benches/merge.rs`), which both include this file with `#[path]`: one generator, so that
//! what the bench times is what the tests check reads back.
//!
//! Forms are generated deterministically (seeded PRNG, one stream per form): both template
//! variants, shifted and padded layouts, label variants, amounts stored as text, blank rows in
//! the tables, 1–6 tasks and 5–20 indicators, some deliberate errors and duplicates; mostly
//! `.xlsx`, the rest `.csv` (UTF-8 and GBK), `.ods` and `.json`.

// Each includer uses part of it.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use jixiao::model::{BasicInfo, Budget, Declaration, Indicator, Money, Source, Task};

// ---------------------------------------------------------------------------------------------
// A small deterministic PRNG (SplitMix64): no crate, same forms on every machine.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next();
        r
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

// ---------------------------------------------------------------------------------------------
// Seeds and pools

pub fn seed(json: &str) -> Declaration {
    let v: serde_json::Value = serde_json::from_str(json).expect("fixture is JSON");
    serde_json::from_value(v["records"].clone()).expect("fixture record is a Declaration")
}

pub struct Seeds {
    gz: Declaration,
    zj: Declaration,
    tasks: Vec<Task>,
}

pub fn seeds() -> Seeds {
    let gz = seed(include_str!("../fixtures/panyu.expected.json"));
    let zj = seed(include_str!("../fixtures/zhanjiang.expected.json"));
    let tasks = gz
        .as_department()
        .unwrap()
        .tasks
        .iter()
        .chain(&zj.as_department().unwrap().tasks)
        .cloned()
        .collect();
    Seeds { gz, zj, tasks }
}

/// (一级指标, 二级指标, 三级指标, target) in framework order; the two seeds' indicators and more.
pub const INDICATORS: &[(&str, &str, &str, &str)] = &[
    ("产出指标", "数量指标", "外出招商次数", "≧12次"),
    ("产出指标", "数量指标", "招商落地储备项目数", "≥10个"),
    ("产出指标", "数量指标", "城镇新增就业人数", "≥2.5万人"),
    ("产出指标", "数量指标", "职业技能培训人次", "≥3万人次"),
    ("产出指标", "数量指标", "举办招聘活动场次", "≥60场"),
    ("产出指标", "数量指标", "开展园区环保巡检", "30家次以上"),
    ("产出指标", "数量指标", "宣传材料发放份数", "不少于500份"),
    ("产出指标", "数量指标", "检查企业数量", "≥200家次"),
    (
        "产出指标",
        "质量指标",
        "扩区环评报告通过专家评审",
        "通过评审",
    ),
    ("产出指标", "质量指标", "城乡居民基本养老保险参保率", "≥95%"),
    ("产出指标", "质量指标", "农民工工资案件结案率", "=100%"),
    ("产出指标", "质量指标", "项目验收合格率", "100%"),
    ("产出指标", "时效指标", "社会保险待遇发放及时率", "≥98%"),
    (
        "产出指标",
        "时效指标",
        "年度任务完成时间",
        "2024年12月31日前",
    ),
    ("产出指标", "时效指标", "资金支付及时率", "≥90%"),
    ("产出指标", "成本指标", "就业补贴资金支出", "≤2360万元"),
    ("产出指标", "成本指标", "人均培训成本", "≤800元/人"),
    ("效益指标", "经济效益指标", "招商项目投资总额", "30亿元"),
    ("效益指标", "经济效益指标", "创业担保贷款发放额", "≥1.5亿元"),
    ("效益指标", "社会效益指标", "城镇登记失业率", "≤3.5%"),
    (
        "效益指标",
        "社会效益指标",
        "获得省级特色产业园称号",
        "获得称号",
    ),
    ("效益指标", "社会效益指标", "群众办事便利度", "有效提升"),
    ("效益指标", "生态效益指标", "空气质量优良天数比例", "≥85%"),
    ("效益指标", "可持续影响指标", "就业公共服务体系", "健全"),
    ("效益指标", "可持续影响指标", "长效管理机制", "建立"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%"),
    ("满意度指标", "服务对象满意度指标", "企业满意度", "≥85%"),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "95%以上"),
];

pub const CITIES: &[&str] = &[
    "广州市",
    "湛江市",
    "佛山市",
    "韶关市",
    "江门市",
    "茂名市",
    "肇庆市",
    "惠州市",
    "梅州市",
    "汕尾市",
];
pub const DISTRICTS: &[&str] = &[
    "",
    "番禺区",
    "天河区",
    "海珠区",
    "越秀区",
    "白云区",
    "黄埔区",
    "花都区",
    "南沙区",
    "从化区",
    "增城区",
    "荔湾区",
    "赤坎区",
    "霞山区",
    "坡头区",
    "麻章区",
    "禅城区",
    "南海区",
    "顺德区",
    "三水区",
    "高明区",
    "蓬江区",
    "江海区",
    "新会区",
    "端州区",
];
pub const BUREAUS: &[&str] = &[
    "人力资源和社会保障局",
    "生态环境局",
    "教育局",
    "卫生健康局",
    "民政局",
    "财政局",
    "发展和改革局",
    "工业和信息化局",
    "公安局",
    "司法局",
    "自然资源局",
    "住房和城乡建设局",
    "交通运输局",
    "水务局",
    "农业农村局",
    "商务局",
    "文化广电旅游体育局",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "城市管理和综合执法局",
    "政务服务数据管理局",
    "林业和园林局",
    "科学技术局",
    "档案馆",
    "图书馆",
    "博物馆",
    "疾病预防控制中心",
    "妇幼保健院",
    "人民医院",
    "中医医院",
    "第一中学",
    "职业技术学校",
    "机关事务管理局",
    "信访局",
    "投资促进局",
    "供销合作联社",
    "总工会",
    "团委",
    "妇女联合会",
    "残疾人联合会",
    "科学技术协会",
    "红十字会",
    "气象局",
    "地方志办公室",
];

/// A distinct department name for every index below 10 × 25 × 48 = 12,000 (then numbered).
pub fn department(i: usize) -> String {
    let (a, b, c) = (CITIES.len(), DISTRICTS.len(), BUREAUS.len());
    let mut name = format!(
        "{}{}{}",
        CITIES[i % a],
        DISTRICTS[(i / a) % b],
        BUREAUS[(i / (a * b)) % c]
    );
    if i >= a * b * c {
        let _ = write!(name, "（{}）", i / (a * b * c) + 1);
    }
    name
}

// ---------------------------------------------------------------------------------------------
// Generating one declaration

pub fn money(cents: u64) -> Money {
    format!("{}.{:02}", cents / 100, cents % 100)
        .parse()
        .expect("a decimal")
}

/// What was generated, to check that merge reads it back.
#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    pub department: String,
    pub tasks: usize,
    pub indicators: usize,
}

pub fn declaration(i: usize, n: usize, seeds: &Seeds, rng: &mut Rng) -> Declaration {
    let zj = rng.chance(35);
    let base = if zj { &seeds.zj } else { &seeds.gz };
    let mut d = base.clone();
    // A couple of deliberate duplicates: the same department sent twice.
    let dup = n >= 20 && (i == n / 3 || i == 2 * n / 3);
    d.as_department_mut().unwrap().department = department(if dup { i - 1 } else { i });
    let year = 2023 + rng.below(3) as i32;
    d.year = Some(year);
    d.title = if zj {
        format!("{year}年市级部门整体预算绩效目标表").into()
    } else if rng.chance(50) {
        format!("{year}年度部门整体预算绩效目标申报表").into()
    } else {
        "部门整体预算绩效目标申报表".into()
    };
    d.source = Source::default();
    d.as_department_mut().unwrap().basic_info = zj.then(|| BasicInfo {
        funded_staff: Some(rng.range(8, 900) as i64),
        subordinate_units: Some(rng.range(0, 12) as i64),
    });

    // Budget in cents of 万元, balanced unless this form carries the error.
    let basic = rng.range(5_000, 2_000_000);
    let project = rng.range(1_000, 1_500_000);
    let total = basic + project;
    let other_funds = if rng.chance(40) {
        rng.below(total / 10)
    } else {
        0
    };
    let mut appropriation = total - other_funds;
    if rng.chance(8) {
        appropriation += rng.range(1, 50_000); // budget-unbalanced
    }
    let special = rng.below(project / 2 + 1);
    let other_dev = rng.below(project - special + 1);
    let transfer = if rng.chance(30) {
        rng.below(total / 5)
    } else {
        0
    };
    d.as_department_mut().unwrap().budget = Budget {
        basic: Some(money(basic)),
        project: Some(money(project)),
        appropriation: Some(money(appropriation)),
        other_funds: Some(money(other_funds)),
        special_funds: Some(money(special)),
        other_development: Some(money(other_dev)),
        own_level: Some(money(total - transfer)),
        transfer: Some(money(transfer)),
    };

    // 1–6 tasks sharing (at most, or now and then more than) the project budget.
    let k = rng.range(1, 6) as usize;
    let over = rng.chance(5);
    let mut left = if over { project * 2 } else { project };
    d.as_department_mut().unwrap().tasks = (0..k)
        .map(|t| {
            let mut task = rng.pick(&seeds.tasks).clone();
            let share = if t + 1 == k {
                left
            } else {
                rng.below(left / 2 + 1)
            };
            left -= share;
            task.funds = Some(money(share));
            if t > 0 {
                task.name = format!("{}（{}）", task.name, t + 1);
            }
            task
        })
        .collect();
    if rng.chance(30) {
        d.as_department_mut().unwrap().other_tasks = None;
    }

    // 5–20 distinct indicators, in framework order.
    let m = rng.range(5, 20) as usize;
    let mut chosen: Vec<usize> = (0..INDICATORS.len()).collect();
    for j in 0..m {
        let r = j + rng.below((chosen.len() - j) as u64) as usize;
        chosen.swap(j, r);
    }
    chosen.truncate(m);
    chosen.sort_unstable();
    d.as_department_mut().unwrap().indicators = chosen
        .into_iter()
        .map(|x| {
            let (l1, l2, name, target) = INDICATORS[x];
            let raw = if rng.chance(3) { "XX" } else { target };
            Indicator {
                extra: Default::default(),
                level1: l1.into(),
                level2: l2.into(),
                name: name.into(),
                period: (!zj).then(|| jixiao::target::parse(raw)),
                annual: jixiao::target::parse(raw),
            }
        })
        .collect();
    d
}

// ---------------------------------------------------------------------------------------------
// Laying a declaration out as a grid, in one of many shapes

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Num(f64),
}

pub fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// A sheet as rows of cells, with merged ranges (first_row, first_col, last_row, last_col).
#[derive(Debug, Default)]
pub struct Grid {
    rows: Vec<Vec<Cell>>,
    merges: Vec<(u32, u32, u32, u32)>,
}

impl Grid {
    pub fn cell(&self, r: usize, c: usize) -> &Cell {
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .unwrap_or(&Cell::Empty)
    }

    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Rows above the title (`附件2`, `单位：万元`).
    preamble: usize,
    /// The form starts in column B.
    shifted: bool,
    merges: bool,
    /// Labels written as variants (`部门名称：`, `预算金额(万元)`, …).
    variants: bool,
    amounts_as_text: bool,
    /// Blank rows inserted in the task and indicator tables.
    blank_rows: bool,
}

impl Shape {
    pub fn random(rng: &mut Rng) -> Shape {
        Shape {
            preamble: *rng.pick(&[0, 0, 0, 1, 2]),
            shifted: rng.chance(20),
            merges: rng.chance(60),
            variants: rng.chance(35),
            amounts_as_text: rng.chance(20),
            blank_rows: rng.chance(25),
        }
    }
}

pub struct Layout<'a> {
    g: Grid,
    shape: Shape,
    rng: &'a mut Rng,
    /// First column of the form (0 or 1).
    c0: u32,
    /// Columns of the form (6 or 5).
    width: u32,
}

impl Layout<'_> {
    pub fn label(&mut self, canonical: &str, variants: &[&str]) -> Cell {
        if self.shape.variants && !variants.is_empty() && self.rng.chance(60) {
            t(self.rng.pick::<&str>(variants))
        } else {
            t(canonical)
        }
    }

    pub fn amount(&self, m: Option<Money>) -> Cell {
        match m {
            None => Cell::Empty,
            Some(m) if self.shape.amounts_as_text => Cell::Text(m.display()),
            Some(m) => Cell::Num(m.display().parse().expect("a number")),
        }
    }

    /// Append a row of form cells (from the form's first column); returns its index.
    pub fn row(&mut self, cells: Vec<Cell>) -> u32 {
        let mut row = vec![Cell::Empty; self.c0 as usize];
        row.extend(cells);
        self.g.rows.push(row);
        (self.g.rows.len() - 1) as u32
    }

    /// Merge form columns `c1..=c2` over rows `r1..=r2` (when this shape keeps merges).
    pub fn merge(&mut self, r1: u32, c1: u32, r2: u32, c2: u32) {
        if self.shape.merges && (r1, c1) != (r2, c2) {
            self.g.merges.push((r1, self.c0 + c1, r2, self.c0 + c2));
        }
    }

    pub fn merge_across(&mut self, r: u32, c1: u32) {
        let last = self.width - 1;
        self.merge(r, c1, r, last);
    }

    pub fn maybe_blank_row(&mut self) {
        if self.shape.blank_rows && self.rng.chance(25) {
            self.row(Vec::new());
        }
    }
}

pub fn layout(decl: &Declaration, shape: Shape, rng: &mut Rng) -> Grid {
    let zj = decl.template == "zj-dept-overall";
    let d = decl.as_department().expect("a department form");
    let mut l = Layout {
        g: Grid::default(),
        shape,
        rng,
        c0: u32::from(shape.shifted),
        width: if zj { 5 } else { 6 },
    };
    let w = l.width;
    if shape.preamble >= 1 {
        l.row(vec![t("附件2")]);
    }
    if shape.preamble >= 2 {
        let mut cells = vec![Cell::Empty; w as usize - 1];
        cells.push(t("单位：万元"));
        l.row(cells);
    }
    let r = l.row(vec![t(&decl.title)]);
    l.merge_across(r, 0);
    let label = l.label("部门名称", &["部门名称：", "部门（单位）名称", "单位名称"]);
    let r = l.row(vec![label, t(&d.department)]);
    l.merge_across(r, 1);
    if let Some(info) = &d.basic_info {
        let num = |v: Option<i64>| v.map_or(Cell::Empty, |v| Cell::Num(v as f64));
        l.row(vec![
            t("基本信息"),
            t("财政供养人员数"),
            num(info.funded_staff),
            t("下属二级单位数"),
            num(info.subordinate_units),
        ]);
    }

    // 预算整体情况: six rows, the section label merged down column A.
    let b = &d.budget;
    let own = if zj {
        "市本级使用资金"
    } else {
        "区本级使用资金"
    };
    let amt = |l: &mut Layout| l.label("预算金额（万元）", &["预算金额(万元)", "金额(万元)"]);
    let rows = [
        [t("部门预算支出"), amt(&mut l), t("收入来源"), amt(&mut l)],
        [
            t("基本支出"),
            l.amount(b.basic),
            t("财政拨款"),
            l.amount(b.appropriation),
        ],
        [
            t("项目支出"),
            l.amount(b.project),
            t("其他资金"),
            l.amount(b.other_funds),
        ],
        [
            t("事业发展性支出"),
            amt(&mut l),
            t("按预算级次划分"),
            amt(&mut l),
        ],
        [
            t("财政专项资金"),
            l.amount(b.special_funds),
            t(own),
            l.amount(b.own_level),
        ],
        [
            t("其他事业发展性支出"),
            l.amount(b.other_development),
            t("拟用于对下转移支付资金"),
            l.amount(b.transfer),
        ],
    ];
    let mut first = None;
    for (k, cells) in rows.into_iter().enumerate() {
        let mut row = vec![if k == 0 {
            t("预算整体情况")
        } else {
            Cell::Empty
        }];
        row.extend(cells);
        let r = l.row(row);
        first.get_or_insert(r);
        if !zj {
            l.merge(r, 4, r, 5);
        }
    }
    let first = first.expect("six rows");
    l.merge(first, 0, first + 5, 0);

    let goal = l.label("总体绩效目标", &["年度总体目标", "整体绩效目标"]);
    let r = l.row(vec![goal, t(&d.overall_goal)]);
    l.merge_across(r, 1);

    // 年度重点工作任务
    let section = l.label("年度重点工作任务", &["年度重点\n工作任务", "重点工作任务"]);
    let funds = l.label("拟投入的资金（万元）", &["拟投入资金(万元)"]);
    let outcome = l.label("期望达到的目标（概述）", &["期望达到的目标", "预期目标"]);
    let top = l.row(vec![section, t("名称"), t("主要实施内容"), funds, outcome]);
    if !zj {
        l.merge(top, 4, top, 5);
    }
    for task in &d.tasks {
        l.maybe_blank_row();
        let funds = l.amount(task.funds);
        let r = l.row(vec![
            Cell::Empty,
            t(&task.name),
            t(&task.content),
            funds,
            t(&task.outcome),
        ]);
        if !zj {
            l.merge(r, 4, r, 5);
        }
    }
    let bottom = (l.g.rows.len() - 1) as u32;
    l.merge(top, 0, bottom, 0);

    let other = l.label("其他需完成的任务（可选填）", &["其他需完成的任务"]);
    let r = l.row(vec![other, d.other_tasks.as_deref().map_or(Cell::Empty, t)]);
    l.merge_across(r, 1);

    // 绩效指标: categories written once per group (merged down, or left blank below).
    let name = l.label("三级指标", &["三级指标名称", "指标名称"]);
    let mut header = vec![t("绩效指标"), t("一级指标"), t("二级指标"), name];
    if zj {
        header.push(l.label("指标值", &["指标值及单位"]));
    } else {
        header.push(l.label("实施周期指标值", &["实施期指标值"]));
        header.push(l.label("年度指标值", &["指标值", "年度目标值"]));
    }
    let top = l.row(header);
    let repeat_categories = !shape.merges && l.rng.chance(50);
    let mut groups: Vec<(u32, u32, u32)> = Vec::new(); // (col, first row, last row)
    let mut last: Option<(&str, &str)> = None;
    for ind in &d.indicators {
        l.maybe_blank_row();
        let new1 = last.is_none_or(|(a, _)| a != ind.level1);
        let new2 = new1 || last.is_some_and(|(_, b)| b != ind.level2);
        let cat = |new: bool, s: &str| {
            if new || repeat_categories {
                t(s)
            } else {
                Cell::Empty
            }
        };
        let mut row = vec![
            Cell::Empty,
            cat(new1, &ind.level1),
            cat(new2, &ind.level2),
            t(&ind.name),
        ];
        if let Some(p) = &ind.period {
            row.push(t(&p.raw));
        }
        row.push(t(&ind.annual.raw));
        let r = l.row(row);
        for (col, new) in [(1, new1), (2, new2)] {
            match groups.iter_mut().rev().find(|g| g.0 == col) {
                Some(g) if !new => g.2 = r,
                _ => groups.push((col, r, r)),
            }
        }
        last = Some((&ind.level1, &ind.level2));
    }
    for (col, r1, r2) in groups {
        l.merge(r1, col, r2, col);
    }
    let bottom = (l.g.rows.len() - 1) as u32;
    l.merge(top, 0, bottom, 0);
    l.g
}

// ---------------------------------------------------------------------------------------------
// Writing a grid: xlsx, CSV, ODS

pub fn xlsx_bytes(g: &Grid) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let fmt = Format::new().set_text_wrap();
    for &(r1, c1, r2, c2) in &g.merges {
        ws.merge_range(r1, c1 as u16, r2, c2 as u16, "", &fmt)
            .expect("merge");
    }
    for (r, row) in g.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    ws.write_string(r, c, s).expect("string");
                }
                Cell::Num(x) => {
                    ws.write_number(r, c, *x).expect("number");
                }
            }
        }
    }
    wb.save_to_buffer().expect("xlsx")
}

pub fn csv_text(g: &Grid) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for r in 0..g.rows.len() {
        let fields = (0..g.width()).map(|c| match g.cell(r, c) {
            Cell::Empty => String::new(),
            Cell::Num(x) => format!("{x}"),
            Cell::Text(s) => s.clone(),
        });
        w.write_record(fields).expect("CSV into memory");
    }
    String::from_utf8(w.into_inner().expect("CSV into memory")).expect("UTF-8 in, UTF-8 out")
}

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A minimal OpenDocument spreadsheet: mimetype (stored, first), manifest, content.xml.
pub fn ods_bytes(g: &Grid) -> Vec<u8> {
    use std::collections::HashMap;
    let mut starts: HashMap<(usize, usize), (u32, u32)> = HashMap::new();
    let mut covered = std::collections::HashSet::new();
    for &(r1, c1, r2, c2) in &g.merges {
        starts.insert((r1 as usize, c1 as usize), (r2 - r1 + 1, c2 - c1 + 1));
        for r in r1..=r2 {
            for c in c1..=c2 {
                if (r, c) != (r1, c1) {
                    covered.insert((r as usize, c as usize));
                }
            }
        }
    }
    let width = g.width();
    let mut x = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
        r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
        r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">"#,
        r#"<office:body><office:spreadsheet><table:table table:name="Sheet1">"#
    ));
    let _ = write!(
        x,
        r#"<table:table-column table:number-columns-repeated="{width}"/>"#
    );
    for r in 0..g.rows.len() {
        x.push_str("<table:table-row>");
        for c in 0..width {
            if covered.contains(&(r, c)) {
                x.push_str("<table:covered-table-cell/>");
                continue;
            }
            let span = match starts.get(&(r, c)) {
                Some((rs, cs)) => format!(
                    r#" table:number-rows-spanned="{rs}" table:number-columns-spanned="{cs}""#
                ),
                None => String::new(),
            };
            match g.cell(r, c) {
                Cell::Empty => {
                    let _ = write!(x, "<table:table-cell{span}/>");
                }
                Cell::Num(v) => {
                    let _ = write!(
                        x,
                        r#"<table:table-cell office:value-type="float" office:value="{v}"{span}><text:p>{v}</text:p></table:table-cell>"#
                    );
                }
                Cell::Text(s) => {
                    let _ = write!(x, r#"<table:table-cell office:value-type="string"{span}>"#);
                    for line in s.split('\n') {
                        let _ = write!(x, "<text:p>{}</text:p>", xml_escape(line));
                    }
                    x.push_str("</table:table-cell>");
                }
            }
        }
        x.push_str("</table:table-row>");
    }
    x.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");

    let manifest = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">"#,
        r#"<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>"#,
        r#"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>"#,
        r#"</manifest:manifest>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).expect("zip");
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("zip");
    zip.start_file("META-INF/manifest.xml", deflated)
        .expect("zip");
    zip.write_all(manifest.as_bytes()).expect("zip");
    zip.start_file("content.xml", deflated).expect("zip");
    zip.write_all(x.as_bytes()).expect("zip");
    zip.finish().expect("zip").into_inner()
}

// ---------------------------------------------------------------------------------------------
// Generating the folder

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Xlsx,
    CsvUtf8,
    CsvGbk,
    Ods,
    Json,
}

pub const KINDS: [(Kind, &str); 5] = [
    (Kind::Xlsx, "xlsx"),
    (Kind::CsvUtf8, "csv (UTF-8)"),
    (Kind::CsvGbk, "csv (GBK)"),
    (Kind::Ods, "ods"),
    (Kind::Json, "json"),
];

/// One form as a file: its name, bytes, format and what merge should read from it.
pub fn generate_one(
    i: usize,
    n: usize,
    seed: u64,
    seeds: &Seeds,
) -> (String, Vec<u8>, Kind, Expect) {
    let mut rng = Rng::new(seed, i as u64);
    let d = declaration(i, n, seeds, &mut rng);
    let expect = Expect {
        department: d.department().to_string(),
        tasks: d.as_department().map_or(0, |b| b.tasks.len()),
        indicators: d.indicators().len(),
    };
    let kind = match rng.below(100) {
        0..70 => Kind::Xlsx,
        70..80 => Kind::CsvUtf8,
        80..86 => Kind::CsvGbk,
        86..94 => Kind::Ods,
        _ => Kind::Json,
    };
    let shape = Shape::random(&mut rng);
    let stem = format!("{:05}-{}", i + 1, d.department());
    let (ext, bytes, kind) = match kind {
        Kind::Json => {
            let mut d = d;
            d.source.file = format!("{stem}.json");
            ("json", serde_json::to_vec_pretty(&d).expect("json"), kind)
        }
        Kind::Xlsx => ("xlsx", xlsx_bytes(&layout(&d, shape, &mut rng)), kind),
        Kind::Ods => ("ods", ods_bytes(&layout(&d, shape, &mut rng)), kind),
        Kind::CsvUtf8 | Kind::CsvGbk => {
            let text = csv_text(&layout(&d, shape, &mut rng));
            let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
            if kind == Kind::CsvGbk && !unmappable {
                ("csv", gbk.into_owned(), Kind::CsvGbk)
            } else {
                // Half of the UTF-8 files start with a BOM, as Excel writes them.
                let bom: &[u8] = if rng.chance(50) { b"\xEF\xBB\xBF" } else { b"" };
                ("csv", [bom, text.as_bytes()].concat(), Kind::CsvUtf8)
            }
        }
    };
    (format!("{stem}.{ext}"), bytes, kind, expect)
}

pub struct Generated {
    pub files: Vec<(PathBuf, Kind)>,
    pub expects: Vec<Expect>,
    pub bytes: u64,
}

pub fn generate(dir: &Path, n: usize, seed: u64) -> Generated {
    let seeds = seeds();
    let made: Vec<(PathBuf, Kind, Expect, u64)> = (0..n)
        .into_par_iter()
        .map(|i| {
            let (name, bytes, kind, expect) = generate_one(i, n, seed, &seeds);
            let path = dir.join(name);
            std::fs::write(&path, &bytes).expect("write a generated form");
            (path, kind, expect, bytes.len() as u64)
        })
        .collect();
    let bytes = made.iter().map(|m| m.3).sum();
    let (files, expects) = made.into_iter().map(|(p, k, e, _)| ((p, k), e)).unzip();
    Generated {
        files,
        expects,
        bytes,
    }
}

/// Whether jixiao reads a generated form back as it was generated: one form, with its
/// department and as many tasks and indicators. A benchmark or a test over forms the tool
/// silently misreads would measure nothing.
pub fn read_back(path: &Path, expect: &Expect) -> Result<(), String> {
    let p = jixiao::inputs::process_path(path, &jixiao::pipeline::Config::default());
    let got = match &p.outcome {
        Ok(forms) if forms.len() == 1 => Expect {
            department: forms[0].declaration.department().to_string(),
            tasks: forms[0]
                .declaration
                .as_department()
                .map_or(0, |b| b.tasks.len()),
            indicators: forms[0].declaration.indicators().len(),
        },
        Ok(forms) => return Err(format!("{}: {} forms", p.file, forms.len())),
        Err(f) => {
            return Err(format!(
                "{}: {}",
                p.file,
                f.message(jixiao::messages::Lang::En)
            ))
        }
    };
    if &got == expect {
        Ok(())
    } else {
        Err(format!("{}: expected {expect:?}, read {got:?}", p.file))
    }
}
