//! `jixiao serve`: the HTTP API of the real binary, started on an ephemeral port
//! (`--port 0`, the address read from its one line on standard output), spoken to with
//! reqwest. Every endpoint, every limit, the token rule, a bad file in a batch, the XSS name
//! returned as data, and nothing left on disk.

use std::io::{BufRead, BufReader, Cursor, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use calamine::{Data, Reader, Xlsx};
use reqwest::blocking::multipart::{Form, Part};
use reqwest::blocking::{Client, Response};
use serde_json::Value;

use super::common::{fixtures, jixiao, my_district_form, my_district_template, run, show};
use super::docs::{assert_valid, schema};

/// A running `jixiao serve`, killed when dropped (the browser test starts it too).
pub(super) struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT/`.
    pub(super) base: String,
    /// The token of the printed address, if any.
    pub(super) token: Option<String>,
    /// The server's TMPDIR.
    tmp: PathBuf,
    _tmp_dir: Option<tempfile::TempDir>,
    client: Client,
}

impl Server {
    /// `jixiao serve --port 0 ARGS` with a fresh, empty TMPDIR.
    pub(super) fn start(args: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let tmp = dir.path().to_path_buf();
        let mut s = Server::start_with_tmp(args, &tmp);
        s._tmp_dir = Some(dir);
        s
    }

    fn start_with_tmp(args: &[&str], tmp: &Path) -> Server {
        Server::start_with(args, tmp, &[])
    }

    /// `jixiao serve --port 0 ARGS` with `env` set, a fresh TMPDIR.
    #[cfg(all(unix, debug_assertions))]
    fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let tmp = dir.path().to_path_buf();
        let mut s = Server::start_with(args, &tmp, env);
        s._tmp_dir = Some(dir);
        s
    }

    fn start_with(args: &[&str], tmp: &Path, env: &[(&str, &str)]) -> Server {
        let mut all = vec!["serve"];
        if !args.contains(&"--listen") {
            all.extend(["--port", "0"]);
        }
        all.extend(args);
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("jixiao"))
            .args(&all)
            .env("TMPDIR", tmp)
            .env_remove("JIXIAO_TEMPLATES")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("jixiao 已启动：")
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        let (base, token) = match url.split_once("?token=") {
            Some((b, t)) => (b.to_string(), Some(t.to_string())),
            None => (url, None),
        };
        assert!(
            base.starts_with("http://127.0.0.1:") && base.ends_with('/'),
            "{base}"
        );
        Server {
            child,
            base,
            token,
            tmp: tmp.to_path_buf(),
            _tmp_dir: None,
            client: Client::builder()
                .timeout(Duration::from_secs(120))
                .build()
                .unwrap(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path.trim_start_matches('/'))
    }

    fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().unwrap()
    }

    pub(super) fn post(&self, path: &str, files: &[(&str, Vec<u8>)]) -> Response {
        self.client
            .post(self.url(path))
            .multipart(form(files))
            .send()
            .unwrap()
    }

    fn port(&self) -> u16 {
        let rest = self.base.trim_start_matches("http://127.0.0.1:");
        rest.trim_end_matches('/').parse().unwrap()
    }

    /// Nothing in the server's TMPDIR.
    fn assert_no_files_left(&self) {
        let left: Vec<_> = std::fs::read_dir(&self.tmp)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        assert!(left.is_empty(), "left in TMPDIR: {left:?}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A multipart form with the files in the repeated field `files`, their names sent as UTF-8 as
/// browsers do (`部门A/表.xlsx`).
fn form(files: &[(&str, Vec<u8>)]) -> Form {
    let mut form = Form::new().percent_encode_noop();
    for (name, bytes) in files {
        form = form.part(
            "files",
            Part::bytes(bytes.clone()).file_name(name.to_string()),
        );
    }
    form
}

fn fixture(name: &str) -> (&str, Vec<u8>) {
    let bytes = std::fs::read(fixtures().join(name)).unwrap();
    (name, bytes)
}

pub(super) fn json(resp: Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().unwrap();
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, v)
}

/// The `{"error": …}` of a response, insisting on its status and on that one key
/// (docs/OUTPUT.md §5).
fn error(resp: Response, status: u16) -> String {
    assert_eq!(
        resp.headers()["content-type"],
        "application/json",
        "an error is JSON"
    );
    let (got, v) = json(resp);
    assert_eq!(got, status, "{v}");
    assert_eq!(v.as_object().map(|o| o.len()), Some(1), "{v}");
    v["error"].as_str().unwrap().to_string()
}

/// The answer of `/api/check` is a `jixiao.report/1` document (docs/schema/report.schema.json,
/// whose entry allows the `preview` of `?preview=1`).
pub(super) fn assert_report(v: &Value, what: &str) {
    assert_valid(&schema("report.schema.json"), v, what);
}

fn header(resp: &Response, name: &str) -> String {
    resp.headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .to_str()
        .unwrap()
        .to_string()
}

fn book(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).unwrap()
}

/// A sheet of an xlsx as text, numbers as Rust prints them (`5`, `12.5`).
pub(super) fn cells(bytes: &[u8], sheet: &str) -> Vec<Vec<String>> {
    let mut wb = book(bytes.to_vec());
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|d| match d {
                    Data::Empty => String::new(),
                    Data::Float(f) => format!("{f}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

#[test]
fn the_page_and_its_assets_are_served_with_the_security_headers() {
    let s = Server::start(&[]);
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/serve/assets");
    for (path, file, kind) in [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/assets/app.js", "app.js", "text/javascript; charset=utf-8"),
        ("/assets/app.css", "app.css", "text/css; charset=utf-8"),
    ] {
        let resp = s.get(path);
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(header(&resp, "content-type"), kind);
        assert_eq!(header(&resp, "content-security-policy"), CSP, "{path}");
        assert_eq!(header(&resp, "x-content-type-options"), "nosniff");
        assert_eq!(header(&resp, "referrer-policy"), "no-referrer");
        let body = resp.bytes().unwrap();
        assert_eq!(
            &body[..],
            &std::fs::read(assets.join(file)).unwrap()[..],
            "{path}"
        );
    }
    let page = s.get("/").text().unwrap();
    assert!(
        page.contains("src=\"/assets/app.js\""),
        "the page loads its script"
    );
    assert_eq!(
        error(s.get("/assets/nothing.js"), 404),
        "没有这个地址：/assets/nothing.js"
    );
    assert_eq!(
        error(s.get("/nowhere?lang=en"), 404),
        "no such address: /nowhere"
    );
    let resp = s.client.delete(s.url("/api/check")).send().unwrap();
    assert_eq!(error(resp, 405), "/api/check 不接受 DELETE 请求");
}

#[test]
fn healthz_and_info() {
    let s = Server::start(&[
        "--max-file-mb",
        "3",
        "--max-files",
        "7",
        "--max-request-mb",
        "9",
    ]);
    let resp = s.get("/healthz");
    assert_eq!(header(&resp, "cache-control"), "no-store");
    let (status, v) = json(resp);
    assert_eq!(status, 200);
    let tool = format!("jixiao {}", env!("CARGO_PKG_VERSION"));
    assert_eq!(v, serde_json::json!({"status": "ok", "tool": tool}));

    let resp = s.get("/api/info?lang=en");
    assert_eq!(header(&resp, "cache-control"), "no-store");
    let (status, v) = json(resp);
    assert_eq!(status, 200);
    assert_eq!(v["tool"], tool.as_str());
    assert_eq!(
        v["variants"],
        serde_json::json!([
            {"id": "gz-dept-overall", "name": "部门整体预算绩效目标申报表（区级，六列）",
             "short": "区级，六列"},
            {"id": "zj-dept-overall", "name": "市级部门整体预算绩效目标表（市级，五列）",
             "short": "市级，五列"},
            {"id": "mof-project", "name": "项目支出绩效目标申报表（财政部，八列）",
             "short": "财政部，八列"},
            {"id": "fj-dept", "name": "部门整体支出绩效目标表（福建，五列）", "short": "福建，五列"},
            {"id": "hn-dept", "name": "整体绩效目标表（湖南，九列）", "short": "湖南，九列"},
            {"id": "hb-project", "name": "项目支出绩效目标表（湖北，五列）", "short": "湖北，五列"},
            {"id": "hn-project", "name": "项目支出绩效目标申报表（湖南，六列）",
             "short": "湖南，六列"},
            {"id": "gs-project", "name": "省级部门预算项目支出绩效目标表（甘肃，八列）",
             "short": "甘肃，八列"}
        ])
    );
    assert_eq!(
        v["limits"],
        serde_json::json!({"max_file_bytes": 3 << 20, "max_files": 7,
            "max_request_bytes": 9 << 20, "timeout_secs": 300})
    );
    assert_eq!(
        v["formats"],
        serde_json::json!(["xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "json"])
    );
    // The page's words: every key of the page's list, in the language asked for.
    let keys = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/serve/assets/TEXT_KEYS.md"),
    )
    .unwrap();
    let (_, zh) = json(s.get("/api/info"));
    let mut n = 0;
    for line in keys.lines().filter(|l| l.starts_with("| `")) {
        let cols: Vec<&str> = line.split(" | ").collect();
        let key = cols[0].trim_start_matches("| `").trim_end_matches('`');
        let en = cols[2].trim_end_matches(" |");
        assert_eq!(zh["text"][key], cols[1], "{key}");
        assert_eq!(v["text"][key], en, "{key}");
        n += 1;
    }
    assert!(n > 50, "{n} keys");
    assert_eq!(v["text"].as_object().unwrap().len(), n);
}

#[test]
fn the_blank_template_of_each_variant() {
    let s = Server::start(&[]);
    let resp = s.get("/api/template?variant=zj-dept-overall");
    assert_eq!(resp.status(), 200);
    assert_eq!(
        header(&resp, "content-disposition"),
        "attachment; filename=\"zj-dept-overall.xlsx\"; filename*=UTF-8''%E5%B8%82%E7%BA%A7%E9%83%A8%E9%97%A8%E6%95%B4%E4%BD%93%E9%A2%84%E7%AE%97%E7%BB%A9%E6%95%88%E7%9B%AE%E6%A0%87%E8%A1%A8%EF%BC%88%E5%B8%82%E7%BA%A7%EF%BC%8C%E4%BA%94%E5%88%97%EF%BC%89.xlsx"
    );
    let bytes = resp.bytes().unwrap().to_vec();
    let grid = cells(&bytes, "申报表");
    assert_eq!(grid[0][0], "市级部门整体预算绩效目标表");
    // The same form as `jixiao template`.
    let dir = tempfile::tempdir().unwrap();
    run(
        &["template", "--variant", "zj-dept-overall", "-o", "t.xlsx"],
        dir.path(),
        0,
    );
    assert_eq!(
        grid,
        cells(&std::fs::read(dir.path().join("t.xlsx")).unwrap(), "申报表")
    );
    // The blank project form.
    let resp = s.get("/api/template?variant=mof-project");
    assert_eq!(resp.status().as_u16(), 200);
    let grid = cells(&resp.bytes().unwrap(), "申报表");
    assert_eq!(grid[0][0], "项目支出绩效目标申报表");
    assert_eq!(grid[2][0], "项目名称");
    assert_eq!(
        error(s.get("/api/template?variant=nope"), 404),
        "没有名为 nope 的模板（可用：gz-dept-overall, zj-dept-overall, mof-project, fj-dept, hn-dept, hb-project, hn-project, gs-project）"
    );
}

/// The CLI's `check --format json` of the same files, run in the fixtures folder.
fn cli_report(files: &[&str]) -> Value {
    let mut args = vec!["check", "--format", "json"];
    args.extend(files);
    let out = jixiao(&args, &fixtures());
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", show(&args, &out)))
}

#[test]
fn check_reports_one_entry_per_form_and_one_per_bad_file() {
    let s = Server::start(&[]);
    let names = [
        "panyu.xlsx",
        "bad/html-export.xls",
        "zhanjiang.xlsx",
        "bad/random.xls",
        "bad/truncated.xlsx",
        "bad/encrypted.xlsx",
        "bad/empty.xlsx",
        "bad/not-a-form.xlsx",
        "regress/calamine-cfb-panic.xls",
        "errors-budget.xlsx",
    ];
    let files: Vec<_> = names.iter().map(|n| fixture(n)).collect();
    let resp = s.post("/api/check", &files);
    assert_eq!(header(&resp, "cache-control"), "no-store");
    let (status, v) = json(resp);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["format"], "jixiao.report/1");
    assert_report(&v, "/api/check");
    let entries = v["files"].as_array().unwrap();
    let got: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e["file"].as_str().unwrap(), e["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("panyu.xlsx", "pass"),
            ("bad/html-export.xls", "unreadable"),
            ("zhanjiang.xlsx", "pass"),
            ("bad/random.xls", "unreadable"),
            ("bad/truncated.xlsx", "unreadable"),
            ("bad/encrypted.xlsx", "unreadable"),
            ("bad/empty.xlsx", "unreadable"),
            ("bad/not-a-form.xlsx", "unreadable"),
            ("regress/calamine-cfb-panic.xls", "unreadable"),
            ("errors-budget.xlsx", "fix"),
        ]
    );
    let panyu = &entries[0];
    assert_eq!(panyu["sheet"], "Sheet1");
    assert_eq!(panyu["template"], "gz-dept-overall");
    assert_eq!(
        panyu["template_name"],
        "部门整体预算绩效目标申报表（区级，六列）"
    );
    assert_eq!(panyu["kind"], "department");
    assert_eq!(panyu["department"], "广州番禺经济技术开发区管理委员会");
    assert_eq!(
        panyu["counts"],
        serde_json::json!({"errors": 0, "warnings": 4, "infos": 4, "corrections": 10})
    );
    assert!(panyu.get("preview").is_none(), "a preview only when asked");
    assert_eq!(
        entries[9]["department"],
        Value::Null,
        "a form naming no department"
    );
    assert_eq!(entries[9]["counts"]["errors"], 5);
    let symbol = panyu["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "indicators[0].annual")
        .unwrap();
    assert_eq!(
        symbol,
        &serde_json::json!({"code": "target-symbol", "severity": "info",
            "field": "indicators[0].annual", "cell": "Sheet1!F16",
            "message": "指标值写作“≧12次”，已规范为“≥12次”",
            "suggestion": "无需处理；今后请使用 ≥、≤ 等标准符号和半角数字",
            "fixed": true, "rule": "指标值符号不规范",
            "place": "第1项指标“外出招商次数”·年度指标值"})
    );
    // The same document as `jixiao check --format json`, entry by entry and key by key (the
    // bad files named by their path below the fixtures here, by their file name there).
    let cli = cli_report(&names);
    let cli_files = cli["files"].as_array().unwrap();
    assert_eq!(cli_files.len(), entries.len());
    for (e, c) in entries.iter().zip(cli_files) {
        let base = e["file"].as_str().unwrap().rsplit('/').next().unwrap();
        let same = serde_json::from_str::<Value>(&e.to_string().replace(
            &format!("\"{}", e["file"].as_str().unwrap()),
            &format!("\"{base}"),
        ))
        .unwrap();
        assert_eq!(&same, c, "{base}");
    }
    for key in ["format", "tool", "summary"] {
        assert_eq!(v[key], cli[key], "{key}");
    }
    assert_eq!(
        entries[1]["error"],
        "bad/html-export.xls：这是一个网页（HTML）文件，只是扩展名为表格。请用 Excel 或 WPS 打开后“另存为 .xlsx”再处理"
    );
    assert_eq!(
        v["summary"],
        serde_json::json!({"files": 10, "forms": 3, "unreadable": 7,
            "errors": entries.iter().map(|e| e["counts"]["errors"].as_u64().unwrap()).sum::<u64>(),
            "warnings": entries.iter().map(|e| e["counts"]["warnings"].as_u64().unwrap()).sum::<u64>(),
            "infos": entries.iter().map(|e| e["counts"]["infos"].as_u64().unwrap()).sum::<u64>(),
            "corrections": entries.iter().map(|e| e["counts"]["corrections"].as_u64().unwrap()).sum::<u64>()})
    );
    assert!(v["summary"]["errors"].as_u64().unwrap() > 0);
    s.assert_no_files_left();
}

#[test]
fn check_with_preview_gives_the_corrected_form_as_a_grid() {
    let s = Server::start(&[]);
    let (status, v) = json(s.post(
        "/api/check?preview=1&lang=en",
        &[fixture("panyu.xlsx"), fixture("bad/random.xls")],
    ));
    assert_eq!(status, 200);
    assert_report(&v, "/api/check?preview=1");
    let p = &v["files"][0]["preview"];
    // The sheet the form has in the corrected workbook of the same language.
    assert_eq!(p["sheet"], "Form");
    assert_eq!(
        p["widths"],
        serde_json::json!([14.0, 18.0, 22.0, 18.0, 20.0, 20.0])
    );
    let rows = p["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 23);
    let f16 = rows[15]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["col"] == 5)
        .unwrap();
    assert_eq!(
        f16,
        &serde_json::json!({"row": 15, "col": 5, "rowspan": 1, "colspan": 1, "text": "≥12次",
            "role": "target", "field": "indicators[0].annual", "source": "Sheet1!F16",
            "mark": "changed",
            "note": "Original: ≧12次\nThe target is written \"≧12次\"; it is now \"≥12次\" (corrected automatically)"})
    );
    let title = &rows[0]["cells"][0];
    assert_eq!(title["role"], "title");
    assert_eq!(title["colspan"], 6);
    assert!(
        v["files"][1].get("preview").is_none(),
        "no preview of a file not read"
    );
    // A workbook of several forms: one entry each, each with its own preview, all valid.
    let (status, v) = json(s.post(
        "/api/check?preview=1",
        &[
            fixture("units-workbook.xlsx"),
            fixture("split-sign-unit.ods"),
        ],
    ));
    assert_eq!(status, 200);
    assert_report(&v, "/api/check?preview=1 of several forms");
    let sheets: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["preview"]["sheet"] == "申报表")
        .map(|e| e["sheet"].as_str().unwrap())
        .collect();
    assert_eq!(
        sheets,
        [
            "部门整体",
            "单位1-河涌管理所",
            "单位2-排水设施管理所",
            "Sheet1"
        ]
    );
}

/// A project form's preview is its official layout (docs/FORM.md §1.6): eight columns, the year line
/// under the title, the funds with their corrections, both indicator blocks side by side, each
/// target cell with its field and its cell in the input.
#[test]
fn check_with_preview_of_a_project_form() {
    let s = Server::start(&[]);
    let (status, v) = json(s.post(
        "/api/check?preview=1",
        &[
            fixture("project-qingshan.xls"),
            fixture("dept-and-projects.xlsx"),
        ],
    ));
    assert_eq!(status, 200);
    let entry = &v["files"][0];
    assert_eq!(entry["template"], "mof-project");
    assert_eq!(entry["department"], "武汉市青山区教育局");
    assert_eq!(entry["project"], "中小学校舍维修改造及教学设备购置");
    let p = &entry["preview"];
    assert_eq!(p["widths"].as_array().unwrap().len(), 8);
    let rows = p["rows"].as_array().unwrap();
    let all: Vec<&Value> = rows
        .iter()
        .flat_map(|r| r["cells"].as_array().unwrap())
        .collect();
    let at = |field: &str| {
        all.iter()
            .find(|c| c["field"] == field)
            .unwrap_or_else(|| panic!("no cell of {field}"))
    };
    assert_eq!(rows[1]["cells"][0]["role"], "subtitle");
    assert_eq!(rows[1]["cells"][0]["text"], "（2024年度）");
    assert_eq!(
        at("project.department")["text"],
        "[015001]武汉市青山区教育局"
    );
    let total = at("funds.annual_total");
    assert_eq!(total["text"], "6800.00");
    assert_eq!(total["role"], "money");
    assert_eq!(total["mark"], "changed");
    assert_eq!(total["source"], "Sheet1!E6");
    assert_eq!(
        (total["col"].as_u64(), total["colspan"].as_u64()),
        (Some(5), Some(3))
    );
    let first = at("indicators[0].annual");
    assert_eq!(first["text"], "12");
    assert_eq!(first["mark"], "warning");
    assert_eq!(first["source"], "Sheet1!G13");
    assert_eq!(first["col"], 7);
    // The annual block's 一级指标 stands in the shared column, merged down its group.
    let level1 = at("indicators[0].level1");
    assert_eq!(
        (level1["col"].as_u64(), level1["text"].as_str()),
        (Some(1), Some("产出指标"))
    );
    assert_eq!(level1["rowspan"], 5);
    // The mid-term block of the form with both: its target in column E.
    let both = &v["files"][2]["preview"]["rows"];
    let period = both
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["cells"].as_array().unwrap())
        .find(|c| c["field"] == "period_indicators[0].period")
        .unwrap();
    assert_eq!(
        (period["col"].as_u64(), period["text"].as_str()),
        (Some(4), Some("≥240万人次"))
    );
    assert_eq!(period["role"], "target");
}

/// `<img src=x onerror=alert(1)>` as a department name comes back as that JSON string, in a
/// JSON response the browser will not sniff as HTML.
#[test]
fn a_department_name_with_markup_is_returned_as_data() {
    let s = Server::start(&[]);
    let xss = "<img src=x onerror=alert(1)>";
    let gbk = std::fs::read(fixtures().join("panyu-gbk.csv")).unwrap();
    let (text, _, _) = encoding_rs::GB18030.decode(&gbk);
    let csv = text.replace("广州番禺经济技术开发区管理委员会", xss);
    assert!(csv.contains(xss));
    let resp = s.post("/api/check?preview=1", &[("xss.csv", csv.into_bytes())]);
    assert_eq!(header(&resp, "content-type"), "application/json");
    assert_eq!(header(&resp, "x-content-type-options"), "nosniff");
    let body = resp.text().unwrap();
    assert!(
        body.contains(&format!("\"department\":\"{xss}\"")),
        "{body}"
    );
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["files"][0]["department"], xss);
    let cell = v["files"][0]["preview"]["rows"][1]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "department")
        .unwrap()
        .clone();
    assert_eq!(cell["text"], xss);
}

#[test]
fn convert_one_form_gives_the_file_itself() {
    let s = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixtures().join("panyu.xlsx"), dir.path().join("panyu.xlsx")).unwrap();

    let resp = s.post("/api/convert?to=json", &[fixture("panyu.xlsx")]);
    assert_eq!(resp.status(), 200);
    assert_eq!(header(&resp, "content-type"), "application/json");
    assert_eq!(
        header(&resp, "content-disposition"),
        "attachment; filename=\"panyu-corrected.json\"; filename*=UTF-8''panyu-%E4%BF%AE%E6%AD%A3.json"
    );
    let got: Value = serde_json::from_slice(&resp.bytes().unwrap()).unwrap();
    let cli = run(&["convert", "panyu.xlsx", "-o", "-"], dir.path(), 0);
    let expected: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(got, expected);

    let resp = s.post("/api/convert?to=csv&encoding=gbk", &[fixture("panyu.xlsx")]);
    assert_eq!(header(&resp, "content-type"), "text/csv; charset=gbk");
    let got = resp.bytes().unwrap().to_vec();
    run(
        &[
            "convert",
            "panyu.xlsx",
            "-o",
            "out.csv",
            "--encoding",
            "gbk",
        ],
        dir.path(),
        0,
    );
    assert_eq!(got, std::fs::read(dir.path().join("out.csv")).unwrap());

    let resp = s.post("/api/convert?to=xlsx", &[fixture("panyu.xlsx")]);
    assert_eq!(
        header(&resp, "content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let got = resp.bytes().unwrap().to_vec();
    run(&["convert", "panyu.xlsx", "-o", "out.xlsx"], dir.path(), 0);
    let want = std::fs::read(dir.path().join("out.xlsx")).unwrap();
    let names = book(got.clone()).sheet_names();
    assert_eq!(names, ["申报表", "汇总", "校验结果", "修改记录"]);
    for sheet in names {
        assert_eq!(cells(&got, &sheet), cells(&want, &sheet), "{sheet}");
    }

    // One form of a workbook, picked by its sheet.
    let resp = s.post(
        "/api/convert?to=json&sheet=Sheet1",
        &[fixture("panyu.xlsx")],
    );
    assert_eq!(resp.status(), 200);
    assert_eq!(
        error(
            s.post("/api/convert?to=json&sheet=Nope", &[fixture("panyu.xlsx")]),
            404
        ),
        "panyu.xlsx 中没有位于工作表“Nope”上的申报表"
    );
    assert_eq!(
        error(
            s.post(
                "/api/convert?sheet=Sheet1",
                &[fixture("panyu.xlsx"), fixture("zhanjiang.xlsx")]
            ),
            400
        ),
        "参数 sheet 只能与一个上传文件一起使用"
    );
    assert_eq!(
        error(s.post("/api/convert?to=pdf", &[fixture("panyu.xlsx")]), 400),
        "参数 to 的值“pdf”无效（可用：json, xlsx, csv）"
    );
    assert_eq!(
        error(s.post("/api/convert?lang=en", &[("random.xls", fixture("bad/random.xls").1)]), 422),
        "no form could be read: random.xls: not a recognizable spreadsheet (supported: .xlsx .xlsm .xls .xlsb .ods .csv .json)"
    );
    s.assert_no_files_left();
}

#[test]
fn convert_several_forms_gives_a_zip_that_reads_back() {
    let s = Server::start(&[]);
    let files = [
        ("部门A/panyu.xlsx", fixture("panyu.xlsx").1),
        ("部门B/panyu.xlsx", fixture("panyu.xls").1),
        ("zhanjiang.xlsx", fixture("zhanjiang.xlsx").1),
        ("坏.xls", fixture("bad/random.xls").1),
    ];
    let resp = s.post("/api/convert?to=xlsx", &files);
    assert_eq!(resp.status(), 200);
    assert_eq!(header(&resp, "content-type"), "application/zip");
    assert_eq!(
        header(&resp, "content-disposition"),
        "attachment; filename=\"corrected-forms.zip\"; filename*=UTF-8''%E4%BF%AE%E6%AD%A3%E5%90%8E%E7%9A%84%E7%94%B3%E6%8A%A5%E8%A1%A8.zip"
    );
    let bytes = resp.bytes().unwrap().to_vec();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "zhanjiang-修正.xlsx",
            "未能读取的文件.txt",
            "部门A/panyu-修正.xlsx",
            "部门B/panyu-修正.xlsx"
        ]
    );
    // The upload that gave no form is named in the zip, with why.
    let mut note = String::new();
    zip.by_name("未能读取的文件.txt")
        .unwrap()
        .read_to_string(&mut note)
        .unwrap();
    let said = cli_report(&["bad/random.xls"])["files"][0]["error"]
        .as_str()
        .unwrap()
        .replace("random.xls", "坏.xls");
    assert_eq!(
        note,
        format!("\u{FEFF}以下上传的文件没有读到申报表，不在本压缩包中：\r\n{said}\r\n")
    );
    let mut departments = Vec::new();
    // Each named as the single download is (`-修正`), never taken for the upload it mends.
    for name in [
        "部门A/panyu-修正.xlsx",
        "部门B/panyu-修正.xlsx",
        "zhanjiang-修正.xlsx",
    ] {
        let mut entry = Vec::new();
        zip.by_name(name).unwrap().read_to_end(&mut entry).unwrap();
        let grid = cells(&entry, "申报表");
        departments.push(grid[1][1].clone());
    }
    assert_eq!(
        departments,
        [
            "广州番禺经济技术开发区管理委员会",
            "广州番禺经济技术开发区管理委员会",
            "湛江市人力资源和社会保障局"
        ]
    );

    // JSON: one record per form, with names that do not clash.
    let same = [
        ("a.xlsx", fixture("panyu.xlsx").1),
        ("A.xlsx", fixture("zhanjiang.xlsx").1),
    ];
    let resp = s.post("/api/convert?to=json", &same);
    let mut zip = zip::ZipArchive::new(Cursor::new(resp.bytes().unwrap().to_vec())).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        ["A-修正-2.json", "a-修正.json"],
        "names compared without case"
    );
    let mut text = String::new();
    zip.by_name("A-修正-2.json")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let record: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(record["department"], "湛江市人力资源和社会保障局");
    s.assert_no_files_left();
}

/// As `jixiao convert` writes it: one output per upload, never per form. A workbook holding a
/// department form and two project forms gives one workbook with a 申报表 sheet for each, or
/// one JSON array; beside another upload, a zip of one file per upload.
#[test]
fn convert_gives_one_file_per_upload_whatever_its_forms() {
    let s = Server::start(&[]);
    let resp = s.post("/api/convert?to=xlsx", &[fixture("dept-and-projects.xlsx")]);
    assert_eq!(resp.status(), 200);
    assert_eq!(
        header(&resp, "content-disposition"),
        "attachment; filename=\"dept-and-projects-corrected.xlsx\"; filename*=UTF-8''dept-and-projects-%E4%BF%AE%E6%AD%A3.xlsx"
    );
    let bytes = resp.bytes().unwrap().to_vec();
    let sheets = book(bytes.clone()).sheet_names();
    let forms: Vec<&String> = sheets.iter().filter(|n| n.starts_with("申报表")).collect();
    assert_eq!(forms.len(), 3, "{sheets:?}");

    let resp = s.post("/api/convert?to=json", &[fixture("dept-and-projects.xlsx")]);
    let (status, records) = json(resp);
    assert_eq!(status, 200);
    let kinds: Vec<&str> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["department", "project", "project"]);

    let resp = s.post(
        "/api/convert?to=json",
        &[fixture("dept-and-projects.xlsx"), fixture("panyu.xlsx")],
    );
    let mut zip = zip::ZipArchive::new(Cursor::new(resp.bytes().unwrap().to_vec())).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["dept-and-projects-修正.json", "panyu-修正.json"]);
    let mut text = String::new();
    zip.by_name("dept-and-projects-修正.json")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let records: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(records.as_array().map(Vec::len), Some(3));
    s.assert_no_files_left();
}

#[test]
fn merge_gives_the_consolidated_workbook() {
    let s = Server::start(&[]);
    // In the order `merge` finds them in a folder.
    let names = [
        "bad/random.xls",
        "errors-budget.xlsx",
        "panyu.xlsx",
        "zhanjiang.xlsx",
    ];
    let files: Vec<_> = names.iter().map(|n| fixture(n)).collect();
    let resp = s.post("/api/merge?forms=1&to=xlsx", &files);
    assert_eq!(resp.status(), 200);
    assert_eq!(
        header(&resp, "content-disposition"),
        "attachment; filename=\"consolidated.xlsx\"; filename*=UTF-8''%E6%B1%87%E6%80%BB.xlsx"
    );
    let got = resp.bytes().unwrap().to_vec();
    // The same workbook, sheet by sheet and cell by cell, as `jixiao merge --forms` of a
    // folder holding the same files under the same names.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    for n in names {
        let to = input.join(n);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixtures().join(n), to).unwrap();
    }
    run(
        &["merge", "in", "--forms", "-q", "-o", "out.xlsx"],
        dir.path(),
        1,
    );
    let want = std::fs::read(dir.path().join("out.xlsx")).unwrap();
    let sheets = book(got.clone()).sheet_names();
    assert_eq!(sheets, book(want.clone()).sheet_names());
    assert_eq!(sheets.len(), 5 + 3, "{sheets:?}");
    // Both name a file by its path in the folder, `bad/random.xls`, in messages too.
    for sheet in &sheets {
        assert_eq!(cells(&got, sheet), cells(&want, sheet), "{sheet}");
    }
    let summary = cells(&got, "汇总");
    assert!(summary
        .iter()
        .any(|r| r.contains(&"bad/random.xls".to_string())));

    let (status, records) = {
        let resp = s.post("/api/merge?to=json", &files);
        json(resp)
    };
    assert_eq!(status, 200);
    let departments: Vec<&str> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["department"].as_str().unwrap())
        .collect();
    assert_eq!(departments.len(), 3);
    assert_eq!(departments[2], "湛江市人力资源和社会保障局");

    let resp = s.post("/api/merge?to=csv", &files);
    assert_eq!(header(&resp, "content-type"), "text/csv; charset=utf-8");
    let csv = resp.bytes().unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    assert_eq!(
        error(s.post("/api/merge?forms=2", &files), 400),
        "参数 forms 的值“2”无效（可用：0, 1）"
    );
    s.assert_no_files_left();
}

/// The consolidated workbook is built in memory: with a TMPDIR that does not exist, where no
/// temporary file could be made, it is still built.
#[test]
fn merge_makes_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder");
    let s = Server::start_with_tmp(&[], &missing);
    let files = [fixture("panyu.xlsx"), fixture("zhanjiang.xlsx")];
    let resp = s.post("/api/merge?forms=1&to=xlsx", &files);
    assert_eq!(resp.status(), 200);
    let got = resp.bytes().unwrap().to_vec();
    assert_eq!(
        cells(&got, "汇总").len(),
        1 + 2 + 1,
        "header, 2 forms, totals"
    );
    assert!(!missing.exists());
}

#[test]
fn a_file_over_the_size_limit_is_one_unreadable_entry() {
    let s = Server::start(&["--max-file-mb", "1"]);
    let big = vec![b'x'; (1 << 20) + 1];
    let (status, v) = json(s.post(
        "/api/check",
        &[
            fixture("panyu.xlsx"),
            ("大/big.xlsx", big),
            fixture("zhanjiang.xlsx"),
        ],
    ));
    assert_eq!(status, 200);
    assert_report(&v, "/api/check with a file over the limit");
    let e = &v["files"][1];
    assert_eq!(e["file"], "大/big.xlsx");
    assert_eq!(e["read"], false);
    assert_eq!(e["status"], "unreadable");
    assert_eq!(
        e["error"],
        "大/big.xlsx：文件过大（1.1 MB），超过每个文件 1 MB 的上限，未读取"
    );
    assert_eq!(v["files"][0]["read"], true);
    assert_eq!(v["files"][2]["read"], true);
    assert_eq!(v["summary"]["unreadable"], 1);
}

/// An upload that kills the worker reading it (the debug builds' hook makes the worker given
/// `毁/b.xlsx` allocate until its memory limit aborts it) is one unreadable entry that says
/// so; the request's other files are read, `/api/merge` still consolidates them, and the
/// server goes on serving: the same bytes under another name are read by a fresh worker.
#[cfg(all(unix, debug_assertions))]
#[test]
fn an_upload_that_kills_its_worker_is_one_unreadable_entry() {
    let s = Server::start_with_env(&[], &[("JIXIAO_WORKER_FAULT", "alloc:毁/b.xlsx")]);
    let files = [
        ("a.xlsx", fixture("panyu.xlsx").1),
        ("毁/b.xlsx", fixture("zhanjiang.xlsx").1),
        ("c.xlsx", fixture("errors-budget.xlsx").1),
    ];
    let (status, v) = json(s.post("/api/check", &files));
    assert_eq!(status, 200, "{v}");
    assert_report(&v, "/api/check with a worker killed");
    let got: Vec<(&str, &str)> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["file"].as_str().unwrap(), e["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("a.xlsx", "pass"),
            ("毁/b.xlsx", "unreadable"),
            ("c.xlsx", "fix")
        ]
    );
    let killed = &v["files"][1];
    assert_eq!(killed["read"], false);
    assert_eq!(
        killed["error"],
        "毁/b.xlsx：文件损坏或过于复杂，读取时超出内存限制（1024 MB），无法读取。请用 Excel 或 WPS 打开后重新保存，或向报送单位索取完整文件"
    );
    assert_eq!(killed["findings"][0]["code"], "file-unreadable");
    assert_eq!(v["summary"]["unreadable"], 1);
    assert_eq!(v["summary"]["forms"], 2);

    let (status, records) = json(s.post("/api/merge?to=json", &files));
    assert_eq!(status, 200, "{records}");
    let sources: Vec<&str> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"]["file"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["a.xlsx", "c.xlsx"]);

    let (status, v) = json(s.post("/api/check", &[("b.xlsx", files[1].1.clone())]));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["files"][0]["status"], "pass", "{v}");
    assert_eq!(v["files"][0]["department"], "湛江市人力资源和社会保障局");
    s.assert_no_files_left();
}

/// An uploaded output of jixiao's that holds no form (a consolidated workbook the server
/// made) is left out of every answer, as `jixiao check` and `jixiao merge` leave it out of a
/// folder, and `/api/check` says so under `skipped` with the note `check` writes on standard
/// error. Regression (issue 18): it was an unreadable entry of `/api/check` (`files: 2,
/// unreadable: 1`, where `check` said `files: 1, unreadable: 0`), and made `/api/convert`
/// answer a zip naming it among the files not read.
#[test]
fn an_uploaded_consolidated_workbook_is_left_out_with_a_note() {
    let s = Server::start(&[]);
    let forms = [fixture("panyu.xlsx"), fixture("zhanjiang.xlsx")];
    let resp = s.post("/api/merge?to=xlsx", &forms);
    assert_eq!(resp.status(), 200);
    let merged = resp.bytes().unwrap().to_vec();
    let files = [forms[0].clone(), ("上月/汇总.xlsx", merged.clone())];
    let (status, v) = json(s.post("/api/check", &files));
    assert_eq!(status, 200, "{v}");
    assert_report(&v, "/api/check with a consolidated workbook");
    assert_eq!(v["files"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["files"][0]["status"], "pass");
    assert_eq!(v["summary"]["files"], 1, "{v}");
    assert_eq!(v["summary"]["unreadable"], 0, "{v}");
    assert_eq!(
        v["skipped"],
        serde_json::json!([{
            "file": "上月/汇总.xlsx",
            "kind": "merge",
            "message": "上月/汇总.xlsx：这是 jixiao 生成的汇总工作簿，不是申报表，已跳过"
        }])
    );
    // Nothing left out, nothing said.
    let (_, v) = json(s.post("/api/check", &files[..1]));
    assert!(v.get("skipped").is_none(), "{v}");

    let (status, records) = json(s.post("/api/merge?to=json", &files));
    assert_eq!(status, 200, "{records}");
    assert_eq!(records.as_array().unwrap().len(), 1, "{records}");
    let resp = s.post("/api/merge?to=xlsx", &files);
    let summary = cells(&resp.bytes().unwrap(), "汇总");
    assert_eq!(
        summary.len(),
        1 + 1 + 1,
        "header, one form, totals: {summary:?}"
    );
    // One form read and nothing failed: its file alone, as for one upload.
    let resp = s.post("/api/convert?to=xlsx", &files);
    assert_eq!(resp.status(), 200);
    assert_eq!(
        header(&resp, "content-disposition"),
        "attachment; filename=\"panyu-corrected.xlsx\"; filename*=UTF-8''panyu-%E4%BF%AE%E6%AD%A3.xlsx"
    );
    s.assert_no_files_left();
}

/// Issue 18: a template file uploaded among the forms is a template of that request, as
/// `--template` is of a run, and no form; one that is no template is a 400 naming it, and so
/// is an upload of template files only.
#[test]
fn an_uploaded_template_file_is_a_template_of_its_request() {
    let s = Server::start(&[]);
    let form = ("form.csv", my_district_form());
    let template = ("模板/my.toml", my_district_template().into_bytes());
    let (status, v) = json(s.post("/api/check", &[form.clone(), template.clone()]));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["summary"]["files"], 1, "the template is no input: {v}");
    assert_eq!(v["files"][0]["template"], "my-district", "{v}");
    assert_eq!(
        v["files"][0]["department"],
        "广州番禺经济技术开发区管理委员会"
    );
    // For that request only.
    let (_, v) = json(s.post("/api/check", std::slice::from_ref(&form)));
    assert_eq!(v["files"][0]["template"], "gz-dept-overall", "{v}");
    let (status, records) = json(s.post("/api/merge?to=json", &[form.clone(), template.clone()]));
    assert_eq!(status, 200, "{records}");
    assert_eq!(records[0]["template"], "my-district", "{records}");
    let resp = s.post("/api/convert?to=json", &[form.clone(), template.clone()]);
    assert_eq!(resp.status(), 200);
    let record: Value = serde_json::from_slice(&resp.bytes().unwrap()).unwrap();
    assert_eq!(record["template"], "my-district", "{record}");

    let broken = ("broken.toml", b"id = ".to_vec());
    let said = error(s.post("/api/check", &[form.clone(), broken]), 400);
    assert!(said.starts_with("模板文件 broken.toml 无效："), "{said}");
    assert_eq!(
        error(s.post("/api/convert?lang=en", &[template]), 400),
        "only template files (.toml) were received, no form. A template file applies to the forms uploaded with it: upload them together"
    );
    s.assert_no_files_left();
}

#[test]
fn too_many_files_or_bytes_are_refused_with_a_sentence() {
    let s = Server::start(&["--max-files", "2", "--max-request-mb", "1"]);
    let three = [
        fixture("panyu.xlsx"),
        fixture("zhanjiang.xlsx"),
        fixture("panyu.xls"),
    ];
    assert_eq!(
        error(s.post("/api/check", &three), 413),
        "一次最多上传 2 个文件，请分批上传"
    );
    assert_eq!(
        error(s.post("/api/merge?lang=en", &three), 413),
        "at most 2 files can be uploaded at once; upload them in smaller batches"
    );
    let big = vec![b'x'; 2 << 20];
    assert_eq!(
        error(s.post("/api/check", &[("big.xlsx", big.clone())]), 413),
        "上传的内容过大：一次最多 1 MB，请分批上传"
    );
    // Without a Content-Length the body is cut off where it passes the limit.
    let resp = s
        .client
        .post(s.url("/api/check?lang=en"))
        .header("content-type", "multipart/form-data; boundary=XYZ")
        .body(reqwest::blocking::Body::new(Cursor::new(
            [
                b"--XYZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.xlsx\"\r\n\r\n"
                    .to_vec(),
                big,
                b"\r\n--XYZ--\r\n".to_vec(),
            ]
            .concat(),
        )))
        .send()
        .unwrap();
    assert_eq!(
        error(resp, 413),
        "the upload is too large: at most 1 MB at once; upload the files in smaller batches"
    );
    // And the server still answers.
    assert_eq!(s.get("/healthz").status(), 200);
    let resp = s
        .client
        .post(s.url("/api/check"))
        .multipart(Form::new().text("other", "1"))
        .send()
        .unwrap();
    assert_eq!(
        error(resp, 400),
        "没有收到文件。请在表单字段 files 中上传一个或多个文件"
    );
}

/// Starts a request whose body never finishes: headers and the first bytes of a multipart
/// upload, then nothing. (A raw socket, since an HTTP client sends the whole body it is given.)
fn stalled_upload(port: u16, path: &str) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: 100000\r\n\r\n\
         --XYZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.xlsx\"\r\n\r\nPK"
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.flush().unwrap();
    stream
}

#[test]
fn a_request_that_takes_too_long_ends_with_a_message() {
    let s = Server::start(&["--timeout-secs", "1"]);
    let mut stream = stalled_upload(s.port(), "/api/check?lang=en");
    // Bounded: the server answers after one second; this only keeps a broken server from
    // hanging the test.
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("{answer:?}"));
    assert!(head.starts_with("HTTP/1.1 503"), "{head}");
    assert!(head.contains("content-type: application/json"), "{head}");
    let v: Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        v["error"],
        "the request took too long (over 1 seconds) and was stopped. Upload fewer files at once and try again"
    );
}

/// One request waiting on its upload blocks nobody: the others are answered meanwhile.
#[test]
fn requests_do_not_wait_for_each_other() {
    let s = Server::start(&[]);
    let stalled: Vec<TcpStream> = (0..6)
        .map(|_| stalled_upload(s.port(), "/api/check"))
        .collect();
    assert_eq!(s.get("/healthz").status(), 200);
    let (status, v) = json(s.post("/api/check", &[fixture("panyu.xlsx")]));
    assert_eq!(status, 200);
    assert_eq!(v["summary"]["forms"], 1);
    drop(stalled);
}

#[test]
fn a_server_on_the_network_needs_the_token() {
    let s = Server::start(&["--listen", "0.0.0.0:0"]);
    let token = s.token.clone().expect("a token in the printed address");
    assert_eq!(token.len(), 32);
    let unauthorized =
        "缺少或错误的访问令牌。请用启动 jixiao 时显示的完整地址（含 ?token=）打开页面";
    for path in ["/", "/api/info", "/api/template"] {
        assert_eq!(error(s.get(path), 401), unauthorized, "{path}");
    }
    assert_eq!(
        error(s.post("/api/check", &[fixture("panyu.xlsx")]), 401),
        unauthorized
    );
    let wrong = s
        .client
        .get(s.url("/api/info"))
        .bearer_auth("0".repeat(32))
        .send()
        .unwrap();
    assert_eq!(error(wrong, 401), unauthorized);
    // With the header, or with ?token=.
    let resp = s
        .client
        .get(s.url("/api/info"))
        .bearer_auth(&token)
        .send()
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(s.get(&format!("/?token={token}")).status(), 200);
    assert_eq!(s.get(&format!("/api/info?token={token}")).status(), 200);
    let resp = s
        .client
        .post(s.url("/api/check"))
        .bearer_auth(&token)
        .multipart(form(&[fixture("panyu.xlsx")]))
        .send()
        .unwrap();
    assert_eq!(resp.status(), 200);
    // The assets and the health check hold nothing and need none.
    assert_eq!(s.get("/assets/app.js").status(), 200);
    assert_eq!(s.get("/healthz").status(), 200);
}

#[test]
fn a_local_server_answers_only_local_names() {
    let s = Server::start(&[]);
    let resp = s
        .client
        .get(s.url("/api/info"))
        .header("host", "evil.example")
        .send()
        .unwrap();
    assert_eq!(
        error(resp, 403),
        "拒绝以 evil.example 为地址的请求：本机服务只接受 localhost、127.0.0.1 或 [::1]"
    );
    let resp = s
        .client
        .get(s.url("/api/info"))
        .header("host", format!("localhost:{}", s.port()))
        .send()
        .unwrap();
    assert_eq!(resp.status(), 200);
}

#[test]
fn bad_options_are_refused_in_the_language_asked() {
    let s = Server::start(&[]);
    assert_eq!(
        error(s.post("/api/check?year=abc", &[fixture("panyu.xlsx")]), 400),
        "参数 year 的值“abc”无效：须为 1900 到 2200 之间的数"
    );
    assert_eq!(
        error(
            s.post("/api/check?min_satisfaction=120&lang=en", &[fixture("panyu.xlsx")]),
            400
        ),
        "the value \"120\" of the parameter min_satisfaction is not valid: it must be a number from 0 to 100"
    );
    let resp = s
        .client
        .post(s.url("/api/check"))
        .body("files=1")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .unwrap();
    assert_eq!(
        error(resp, 400),
        "请以 multipart/form-data 格式上传文件（表单字段 files）"
    );
    // Options reach the checks: a year for a form whose title has none.
    let (_, v) = json(s.post("/api/check?year=2024", &[fixture("panyu.xlsx")]));
    let codes: Vec<&str> = v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"year-missing"), "{codes:?}");
    let (_, v) = json(s.post("/api/check", &[fixture("panyu.xlsx")]));
    let codes: Vec<&str> = v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"year-missing"), "{codes:?}");
}
