#!/usr/bin/env python3
"""A stand-in for `jixiao serve` that speaks the web API of docs/OUTPUT.md §5 with canned data.

It exists so that the page (src/serve/assets/) can be developed, looked at and tested in a real
browser without the Rust server. It is not the tool: it does not read workbooks. It recognises
the files it is given by name (the repository's fixtures, the demo folder it writes) or by a few
bytes, and answers with plausible reports, previews and downloads:

    python3 tests/browser/mock_server.py [--port 0] [--token T] [--delay 0.5]
        prints "listening on http://127.0.0.1:PORT/" and serves until killed
    python3 tests/browser/mock_server.py --demo-folder DIR [--many 1000]
        writes a demo batch of ~12 forms (and optionally one workbook of N forms) and exits
    python3 tests/browser/mock_server.py --report DIR
        prints the jixiao.report/1 document the mock answers for that folder (the e2e test's
        expectation when it runs against the mock)

The page's words (`/api/info` → `text`) are read from src/serve/assets/TEXT_KEYS.md, the list
handed to the Rust server, so the page, the list and the mock agree.
"""

import argparse
import hashlib
import io
import json
import os
import re
import sys
import time
import urllib.parse
import zipfile
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape as xml_escape

HERE = os.path.dirname(os.path.abspath(__file__))
ASSETS = os.path.normpath(os.path.join(HERE, "..", "..", "src", "serve", "assets"))
TOOL = "jixiao 0.1.0 (mock)"
FORMATS = ["xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "json"]
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
DEMO_MARK = b"JIXIAO-MOCK-DEMO:"
XSS = "<img src=x onerror=alert(1)>"

VARIANTS = [
    ("gz-dept-overall", "部门整体预算绩效目标申报表（区级，六列）",
     "Department overall budget performance targets (district, six columns)"),
    ("zj-dept-overall", "部门整体预算绩效目标申报表（市级，湛江）",
     "Department overall budget performance targets (city, Zhanjiang)"),
]


# ---------------------------------------------------------------------------------------------
# Words

def load_text():
    """TEXT_KEYS.md → {"zh": {key: sentence}, "en": {...}}."""
    zh, en = {}, {}
    with open(os.path.join(ASSETS, "TEXT_KEYS.md"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\|\s*`([a-z0-9_.]+)`\s*\|(.*)\|(.*)\|\s*$", line)
            if m:
                zh[m.group(1)] = m.group(2).strip()
                en[m.group(1)] = m.group(3).strip()
    return {"zh": zh, "en": en}


ERRORS = {
    "token": ("需要访问令牌：请使用 jixiao serve 启动时显示的完整地址打开本页。",
              "An access token is needed: open this page with the full address jixiao serve printed."),
    "too_many_files": ("一次最多只能校验 {max} 个文件，这次收到 {count} 个。",
                       "At most {max} files can be checked at a time; {count} were sent."),
    "too_big": ("这批文件合计超过了 {max} 字节的限制，请分批上传。",
                "These files add up to more than {max} bytes; please send them in smaller batches."),
    "no_files": ("没有收到文件：请在字段 files 中上传至少一个文件。",
                 "No file was received: send at least one file in the field files."),
    "bad_to": ("不支持的输出格式“{to}”，可选 xlsx、json、csv。",
               "Unknown output format \"{to}\"; choose xlsx, json or csv."),
    "bad_year": ("年度“{year}”不是四位数的年份，例如 2024。",
                 "The year \"{year}\" is not a four-digit year such as 2024."),
    "bad_minsat": ("满意度下限“{v}”应是 0 到 100 之间的数。",
                   "The lowest satisfaction \"{v}\" must be a number from 0 to 100."),
    "bad_variant": ("没有名为“{v}”的模板。", "There is no template named \"{v}\"."),
    "bad_sheet": ("文件中没有名为“{sheet}”的申报表。", "The file has no form on a sheet named \"{sheet}\"."),
    "not_found": ("没有这个地址。", "No such address."),
}


def err_text(lang, key, **kw):
    zh, en = ERRORS[key]
    return (en if lang == "en" else zh).format(**kw)


RULES = {
    "target-symbol": ("指标值符号不规范", "Non-standard target sign"),
    "indicator-duplicate": ("三级指标重复", "Duplicate indicator"),
    "target-no-operator": ("指标值缺少计算符号", "Target without a sign"),
    "category-missing": ("缺少必备的指标类别", "Missing indicator category"),
    "year-missing": ("标题未写年度", "No year in the title"),
    "goal-numbering": ("目标编号不连续", "Goal numbering"),
    "text-punctuation": ("多余的标点或空白", "Doubled punctuation"),
    "task-funds-uncovered": ("任务资金少于项目支出", "Task funds below project spending"),
    "budget-sum": ("预算收支不平衡", "Budget does not balance"),
    "task-funds-over": ("任务资金超过项目支出", "Task funds above project spending"),
    "satisfaction-low": ("满意度目标偏低", "Satisfaction target too low"),
    "department-missing": ("未填部门名称", "No department name"),
    "file-unreadable": ("文件无法读取", "File cannot be read"),
}


# ---------------------------------------------------------------------------------------------
# Canned forms

PANYU = {
    "title": "部门整体预算绩效目标申报表",
    "department": "广州番禺经济技术开发区管理委员会",
    "budget": {"basic": "440.65", "appropriation": "926.61", "project": "485.96", "other_funds": "0.00",
               "special_funds": "0.00", "own_level": "926.61", "other_development": "0.00", "transfer": "0.00"},
    "overall_goal": (
        "1.开展全国标杆国家级开发区调研4次，确定番禺经开区扩区范围，完成番禺经开区扩区规划，"
        "获得市政府同意番禺经开区扩区的批复；\n"
        "2.对园区企业开展环保巡检，更新完善企业环保档案，开展环保专题培训；\n"
        "3.本年度计划外出考察次数不少于12批次，考察企业数量不少50个，落地、储备项目不少于10个；\n"
        "4.聚焦番禺经开区汽车产业特色，申报省特色产业园区，优化营商环境。"),
    "tasks": [
        ("番禺经济技术开发区扩区提级", "调研全国标杆国家级开发区，学习先进经验，完成番禺经开区扩区，完成相关申报材料，做好番禺经开区宣传工作。",
         "212.86", "1.确定番禺经开区扩区范围；\n2.完成番禺经开区扩区规划；\n3.获得市政府同意扩区的批复。"),
        ("招商业务工作", "开展经开区招商引资工作，对接考察企业，引进项目，对经开区企业提供业务指导和企业服务", "46.00",
         "外出考察次数不少于12批次，洽谈企业数量不少50个，落地、储备项目不少于10个。"),
        ("聘请环保管家", "对园区企业进行环保巡检；开展园区环保培训会议；完善企业环保资料；编制年度环境管理状况报告。", "114.46",
         "开展30家次以上企业环保巡检，更新不低于30份环保档案，开展至少1次环保专题培训。"),
    ],
    "other_tasks": "",
    "indicators": [
        ("产出指标", "数量指标", "外出招商次数", "≥12次", "≥12次"),
        ("产出指标", "数量指标", "招商落地储备项目数", "≥10个", "≥10个"),
        ("产出指标", "数量指标", "调研国家级开发区次数达标", "≥4次", "≥4次"),
        ("产出指标", "数量指标", "开展园区环保巡检", "≥30家次", "≥30家次"),
        ("产出指标", "质量指标", "扩区环评报告通过专家评审", "通过评审", "通过评审"),
        ("效益指标", "社会效益指标", "获得省级特色产业园称号", "获得称号", "获得称号"),
        ("效益指标", "社会效益指标", "开展园区环保巡检", "≥30家次", "≥30家次"),
        ("效益指标", "经济效益指标", "招商项目投资总额", "30亿元", "30亿元"),
    ],
}


def fd(code, severity, field, cell, zh, en, szh, sen, fixed=False):
    return {"code": code, "severity": severity, "field": field, "cell": cell,
            "msg": (zh, en), "sug": (szh, sen), "fixed": fixed}


def symbol_change(field, cell, before, after):
    return (
        {"code": "target-symbol", "field": field, "cell": cell, "before": before, "after": after},
        fd("target-symbol", "info", field, cell,
           f"指标值写作“{before}”，已规范为“{after}”", f"The target is written \"{before}\"; it is now \"{after}\"",
           "无需处理；今后请使用 ≥、≤ 等标准符号和半角数字",
           "Nothing to do; next time use the standard signs (≥, ≤) and half-width digits", fixed=True),
    )


def panyu_issues():
    """The findings and changes `jixiao check` gives for tests/fixtures/panyu.xlsx."""
    changes, findings = [], []
    for i, row, before, after in [(0, 16, "≧12次", "≥12次"), (1, 17, "≧10个", "≥10个"), (2, 18, "4次以上", "≥4次"),
                                  (3, 19, "30家次以上", "≥30家次"), (6, 22, "30家次以上", "≥30家次")]:
        for col, part in (("E", "period"), ("F", "annual")):
            c, f = symbol_change(f"indicators[{i}].{part}", f"Sheet1!{col}{row}", before, after)
            changes.append(c)
            findings.append(f)
    findings += [
        fd("year-missing", "info", "year", "Sheet1!A1", "标题“部门整体预算绩效目标申报表”中没有写明预算年度",
           "The title \"部门整体预算绩效目标申报表\" names no budget year",
           "请在标题中写明年度，如“2024年度部门整体预算绩效目标申报表”",
           "Put the year in the title, such as \"2024年度部门整体预算绩效目标申报表\""),
        fd("goal-numbering", "info", "overall_goal", "Sheet1!B9", "总体绩效目标中的编号“1.1.”处应为“1.”",
           "In the goal (总体绩效目标), the item numbered \"1.1.\" should be \"1.\"", "请按 1、2、3…… 的顺序连续编号",
           "Number the items 1, 2, 3, … in order"),
        fd("task-funds-uncovered", "info", "tasks", "Sheet1!D11",
           "重点工作任务拟投入的资金合计373.32万元，少于项目支出485.96万元，还有112.64万元未列入任务",
           "The key tasks' funds add up to 373.32 万元, less than 项目支出 485.96 万元; 112.64 万元 is not assigned to any task",
           "如还有其他项目支出，请补列相应的重点工作任务", "If other project spending exists, list the tasks it pays for"),
        fd("indicator-duplicate", "warning", "indicators[6].name", "Sheet1!D22",
           "三级指标“开展园区环保巡检”重复出现（另见 Sheet1!D19）",
           "The indicator \"开展园区环保巡检\" appears twice (see also Sheet1!D19)",
           "删除重复指标，或改为能区分的其他指标",
           "Delete the duplicate, or turn it into an indicator that measures something else"),
        fd("target-no-operator", "warning", "indicators[7].annual", "Sheet1!F23",
           "三级指标“招商项目投资总额”的年度指标值“30亿元”没有计算符号",
           "The target \"30亿元\" of indicator \"招商项目投资总额\" (年度指标值) has no sign",
           "请写明是不低于、不高于还是等于，如“≥30亿元”",
           "Say whether it is a minimum, a maximum or an exact value, such as \"≥30亿元\""),
        fd("category-missing", "warning", "indicators", "Sheet1!A15", "没有“满意度指标”类的绩效指标",
           "No indicator under \"满意度指标\"", "请至少设置一项“满意度指标”", "Add at least one indicator under \"满意度指标\""),
    ]
    return findings, changes


def budget_error():
    return fd("budget-sum", "error", "budget", "Sheet1!C4",
              "基本支出440.65与项目支出485.96之和926.61，不等于财政拨款与其他资金之和936.61",
              "基本支出 440.65 plus 项目支出 485.96 is 926.61, not the 936.61 of 财政拨款 and 其他资金",
              "请核对预算金额，使支出合计等于收入合计", "Check the amounts so that spending equals income")


def demo_form(department, seed, *, errors=0, warnings=0, corrections=2, satisfaction="≥90%", title_year=True):
    """A form like Panyu's with another department and a chosen number of problems."""
    form = json.loads(json.dumps(PANYU))
    form["department"] = department
    if title_year:
        form["title"] = "2024年度部门整体预算绩效目标申报表"
    form["indicators"] = [list(x) for x in form["indicators"]][:5] + [
        ["效益指标", "社会效益指标", "获得省级特色产业园称号", "获得称号", "获得称号"],
        ["满意度指标", "服务对象满意度指标", "企业满意度", satisfaction, satisfaction],
    ]
    findings, changes = [], []
    symbols = [(0, "≧12次", "≥12次"), (1, "≧10个", "≥10个"), (2, "4次以上", "≥4次"), (3, "30家次以上", "≥30家次")]
    for k in range(corrections):
        i, before, after = symbols[k % len(symbols)]
        part, col = (("annual", "F") if k < len(symbols) else ("period", "E"))
        c, f = symbol_change(f"indicators[{i}].{part}", f"Sheet1!{col}{16 + i}", before, after)
        changes.append(c)
        findings.append(f)
    if errors >= 1:
        findings.append(budget_error())
    if errors >= 2:
        findings.append(fd("task-funds-over", "error", "tasks[1].funds", "Sheet1!D12",
                           "重点工作任务拟投入的资金合计573.32，超过项目支出485.96",
                           "The key tasks' funds add up to 573.32, more than 项目支出 485.96",
                           "请核对各项任务的资金，合计不应超过项目支出",
                           "Check each task's funds; together they must not exceed 项目支出"))
    if warnings >= 1:
        findings.append(fd("target-no-operator", "warning", "indicators[4].annual", "Sheet1!F20",
                           "三级指标“扩区环评报告通过专家评审”的年度指标值“通过评审”没有量化",
                           "The target \"通过评审\" of indicator \"扩区环评报告通过专家评审\" is not measurable",
                           "请写明可衡量的标准，如“=100%”", "State a measurable standard, such as \"=100%\""))
    if warnings >= 2:
        findings.append(fd("indicator-duplicate", "warning", "indicators[5].name", "Sheet1!D21",
                           "三级指标“获得省级特色产业园称号”与任务目标重复", "The indicator repeats a task's outcome word for word",
                           "改为反映效益的指标", "Turn it into an indicator of the benefit"))
    form["_seed"] = seed
    return form, findings, changes


def satisfaction_findings(form, min_sat):
    out = []
    for i, ind in enumerate(form["indicators"]):
        if ind[0] != "满意度指标":
            continue
        m = re.search(r"(\d+(?:\.\d+)?)%", ind[4])
        if m and float(m.group(1)) < min_sat:
            out.append(fd("satisfaction-low", "warning", f"indicators[{i}].annual", f"Sheet1!F{16 + i}",
                          f"满意度指标“{ind[2]}”的目标{ind[4]}低于{min_sat:g}%",
                          f"The satisfaction target {ind[4]} of \"{ind[2]}\" is below {min_sat:g}%",
                          f"请将满意度目标设为不低于{min_sat:g}%", f"Set the satisfaction target to at least {min_sat:g}%"))
    return out


# ---------------------------------------------------------------------------------------------
# Recognising a file (by its demo mark, its name or a few bytes)

DEMO = {
    "finance": ("广州市番禺区财政局", dict(corrections=2)),
    "education": ("广州市番禺区教育局", dict(errors=1, warnings=1, corrections=3)),
    "health": ("广州市番禺区卫生健康局", dict(corrections=0)),
    "panyu": None,
    "civil": ("广州市番禺区民政局", dict(errors=2, warnings=2, corrections=4)),
    "culture": ("广州市番禺区文化广电旅游体育局", dict(corrections=1, satisfaction="≥85%")),
    "street": None,
    "water": ("广州市番禺区水务局", dict(corrections=0, title_year=False)),
    "broken": None,
    "justice": (XSS, dict(warnings=1, corrections=2)),
    "urban": ("广州市番禺区城市管理和综合执法局", dict(warnings=1, corrections=1)),
    "stats": ("广州市番禺区统计局", dict(corrections=0)),
}

DEMO_FILES = [
    ("2024/区财政局.xlsx", "finance"),
    ("2024/区教育局.xlsx", "education"),
    ("2024/区卫生健康局.xlsx", "health"),
    ("2024/番禺经开区管委会.xlsx", "panyu"),
    ("2024/区民政局.xls", "civil"),
    ("2024/区文广旅体局.ods", "culture"),
    ("2024/街道/镇街汇总.xlsx", "street"),
    ("2024/区水务局.csv", "water"),
    ("2024/区司法局.xlsx", "justice"),
    ("2024/区城管局.xlsx", "urban"),
    ("2024/区统计局.xlsx", "stats"),
    ("2024/损坏的文件.xlsx", "broken"),
]

STREETS = ["市桥街道办事处", "沙头街道办事处", "东环街道办事处", "桥南街道办事处", "钟村街道办事处", "大石街道办事处"]


def department_from_csv(data):
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        for line in text.splitlines():
            cells = line.split(",")
            if cells and cells[0].strip() in ("部门名称", "单位名称") and len(cells) > 1:
                return cells[1].strip().strip('"')
        return None
    return None


def unreadable(path, zh, en):
    return {"kind": "unreadable", "file": path, "error": (zh, en)}


def recognise(path, data, min_sat, year):
    """One uploaded file → a list of form descriptions (or one unreadable)."""
    base = path.rsplit("/", 1)[-1]
    stem, _, ext = base.rpartition(".")
    ext = ext.lower()
    forms = []

    def form(form, findings, changes, sheet="Sheet1", template="gz-dept-overall"):
        findings = list(findings) + satisfaction_findings(form, min_sat)
        if year:
            findings = [f for f in findings if f["code"] != "year-missing"]
        forms.append({"kind": "form", "file": path, "sheet": sheet, "template": template,
                      "form": form, "findings": findings, "changes": changes})

    if data.startswith(DEMO_MARK):
        key = data[len(DEMO_MARK):].decode().strip()
        if key.startswith("many:"):
            n = int(key.split(":")[1])
            for i in range(n):
                name = f"第{i + 1:04d}号单位（模拟）"
                spec = [dict(corrections=i % 3), dict(warnings=1, corrections=1), dict(errors=1, corrections=2),
                        dict(corrections=0)][i % 4]
                f, fi, ch = demo_form(name, i, **spec)
                form(f, fi, ch, sheet=f"表{i + 1}")
            return forms
        if key == "broken":
            return [unreadable(path, f"{base}：文件已损坏或不完整，无法读取。请重新导出或向报送单位索取完整文件",
                               f"{base}: the file is damaged or incomplete and cannot be read. Export it again or ask the sender for a complete copy")]
        if key == "panyu":
            fi, ch = panyu_issues()
            form(PANYU, fi, ch)
            return forms
        if key == "street":
            for i, name in enumerate(STREETS[:3]):
                f, fi, ch = demo_form(name, 100 + i, warnings=i % 2, corrections=i)
                form(f, fi, ch, sheet=name.replace("办事处", ""))
            return forms
        dept, spec = DEMO[key]
        f, fi, ch = demo_form(dept, key, **spec)
        form(f, fi, ch, sheet=None if ext == "csv" else "Sheet1")
        return forms

    # The repository's fixtures and anything else, by name and a few bytes.
    if len(data) == 0:
        return [unreadable(path, f"{base}：文件是空的（0 字节）", f"{base}: the file is empty (0 bytes)")]
    if ext not in FORMATS:
        return [unreadable(path, f"{base}：不是可识别的表格文件（支持 .xlsx .xlsm .xls .xlsb .ods .csv .json）",
                           f"{base}: not a spreadsheet jixiao can read (.xlsx .xlsm .xls .xlsb .ods .csv .json)")]
    if ext == "json":
        return [unreadable(path, f"{base}：不是有效的申报表 JSON 记录（缺少 format 字段）",
                           f"{base}: not a valid form JSON record (no format field)")]
    if data.lstrip()[:1] == b"<":
        return [unreadable(path, f"{base}：这是一个网页（HTML）文件，只是扩展名为表格。请用 Excel 或 WPS 打开后“另存为 .xlsx”再处理",
                           f"{base}: this is a web page (HTML) with a spreadsheet's extension. Open it in Excel or WPS and save it as .xlsx first")]
    if ext in ("xlsx", "xlsm", "ods") and data.startswith(b"\xd0\xcf\x11\xe0"):
        return [unreadable(path, f"{base}：工作簿设置了密码保护，无法读取。请先取消密码保护后再处理",
                           f"{base}: the workbook is password-protected. Remove the password first")]
    if ext in ("xlsx", "xlsm", "ods"):
        try:
            zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return [unreadable(path, f"{base}：文件已损坏或不完整，无法读取。请重新导出或向报送单位索取完整文件",
                               f"{base}: the file is damaged or incomplete and cannot be read")]
    if ext == "xls" and not data.startswith(b"\xd0\xcf\x11\xe0"):
        return [unreadable(path, f"{base}：不是可识别的表格文件（支持 .xlsx .xlsm .xls .xlsb .ods .csv .json）",
                           f"{base}: not a spreadsheet jixiao can read")]
    if "calamine" in stem or "random" in stem:
        return [unreadable(path, f"{base}：文件已损坏或不完整，无法读取。请重新导出或向报送单位索取完整文件",
                           f"{base}: the file is damaged or incomplete and cannot be read")]
    if stem == "not-a-form":
        return [unreadable(path, f"{base}：不是绩效目标申报表；缺少：部门名称、预算整体情况、总体绩效目标、绩效指标",
                           f"{base}: not a department performance target form; missing: 部门名称, 预算整体情况, 总体绩效目标, 绩效指标")]
    if stem.startswith("zhanjiang"):
        f, fi, ch = demo_form("湛江市人力资源和社会保障局", stem, corrections=0)
        form(f, fi, ch, template="zj-dept-overall")
        return forms
    sheet = None if ext == "csv" else "Sheet1"
    if ext == "csv":
        dept = department_from_csv(data)
        if dept and dept != PANYU["department"]:
            fi, ch = panyu_issues()
            f = dict(PANYU, department=dept)
            form(f, fi, ch, sheet=None)
            return forms
    if stem.startswith("errors-"):
        fi, ch = panyu_issues()
        fi = fi + [budget_error()]
        form(PANYU, fi, ch, sheet=sheet)
        return forms
    if stem.startswith("panyu"):
        fi, ch = panyu_issues()
        form(PANYU, fi, ch, sheet=sheet)
        return forms
    # Anything else: a form named after the file, with problems chosen by its name's hash.
    h = int(hashlib.sha256(path.encode()).hexdigest(), 16)
    f, fi, ch = demo_form(stem, stem, errors=h % 3 == 0, warnings=h % 2, corrections=h % 4)
    form(f, fi, ch, sheet=sheet)
    return forms


# ---------------------------------------------------------------------------------------------
# Report entries and the preview grid

def lang_pick(pair, lang):
    return pair[1] if lang == "en" else pair[0]


def finding_json(f, lang):
    return {"code": f["code"], "severity": f["severity"], "field": f["field"], "cell": f["cell"],
            "message": lang_pick(f["msg"], lang), "suggestion": lang_pick(f["sug"], lang),
            "fixed": f["fixed"], "rule": lang_pick(RULES.get(f["code"], (f["code"], f["code"])), lang)}


def entry_json(d, lang, preview):
    if d["kind"] == "unreadable":
        msg = lang_pick(d["error"], lang)
        return {"file": d["file"], "sheet": None, "template": None, "kind": None, "department": None,
                "status": "unreadable", "counts": {"errors": 1, "warnings": 0, "infos": 0, "corrections": 0},
                "read": False, "error": msg,
                "findings": [{"code": "file-unreadable", "severity": "error", "field": None, "cell": None,
                              "message": msg, "suggestion": lang_pick(("请按说明处理该文件后重新报送",
                                                                       "Fix the file as described and send it again"), lang),
                              "fixed": False, "rule": lang_pick(RULES["file-unreadable"], lang)}],
                "changes": []}
    findings = [finding_json(f, lang) for f in d["findings"]]
    counts = {"errors": sum(f["severity"] == "error" for f in findings),
              "warnings": sum(f["severity"] == "warning" for f in findings),
              "infos": sum(f["severity"] == "info" for f in findings),
              "corrections": len(d["changes"])}
    e = {"file": d["file"], "sheet": d["sheet"], "template": d["template"], "kind": "dept-overall",
         "department": d["form"]["department"],
         "status": "fix" if counts["errors"] or counts["warnings"] else "pass",
         "counts": counts, "read": True, "error": None, "findings": findings, "changes": d["changes"]}
    if preview:
        e["preview"] = preview_grid(d, findings, lang)
    return e


def col_letter(c):
    return "ABCDEF"[c]


def preview_grid(d, findings, lang):
    """The corrected form in the gz-dept-overall layout (templates/gz-dept-overall.toml)."""
    form = d["form"]
    sheet = d["sheet"] or d["file"].rsplit("/", 1)[-1].rsplit(".", 1)[0]
    rows = []  # [[cell, …]] with cells {row,col,rowspan,colspan,text,role,field,source}

    def add(cells, height=20.0):
        r = len(rows)
        out = []
        for c in cells:
            c = dict(c)
            c.setdefault("rowspan", 1)
            c.setdefault("colspan", 1)
            c.setdefault("field", None)
            c.setdefault("source", None)
            c["row"] = r
            out.append(c)
        rows.append({"height": height, "cells": out})
        return r

    def lab(col, text, **kw):
        return dict(col=col, text=text, role="label", **kw)

    def val(col, text, field, src, role="value", **kw):
        return dict(col=col, text=text, role=role, field=field, source=f"{sheet}!{src}", **kw)

    add([val(0, form["title"], "title", "A1", role="title", colspan=6)], 30.0)
    add([lab(0, "部门名称"), val(1, form["department"], "department", "B2", colspan=5)])
    b = form["budget"]
    add([lab(0, "预算整体情况", rowspan=6, field="budget", source=f"{sheet}!A3"), lab(1, "部门预算支出"), lab(2, "预算金额（万元）"),
         lab(3, "收入来源"), lab(4, "预算金额（万元）", colspan=2)])
    add([lab(1, "基本支出"), val(2, b["basic"], "budget.basic", "C4", "money"), lab(3, "财政拨款"),
         val(4, b["appropriation"], "budget.appropriation", "E4", "money", colspan=2)])
    add([lab(1, "项目支出"), val(2, b["project"], "budget.project", "C5", "money"), lab(3, "其他资金"),
         val(4, b["other_funds"], "budget.other_funds", "E5", "money", colspan=2)])
    add([lab(1, "事业发展性支出"), lab(2, "预算金额（万元）"), lab(3, "按预算级次划分"), lab(4, "预算金额（万元）", colspan=2)])
    add([lab(1, "财政专项资金"), val(2, b["special_funds"], "budget.special_funds", "C7", "money"), lab(3, "区本级使用资金"),
         val(4, b["own_level"], "budget.own_level", "E7", "money", colspan=2)])
    add([lab(1, "其他事业发展性支出"), val(2, b["other_development"], "budget.other_development", "C8", "money"),
         lab(3, "拟用于对下转移支付资金"), val(4, b["transfer"], "budget.transfer", "E8", "money", colspan=2)])
    add([lab(0, "总体绩效目标"), val(1, form["overall_goal"], "overall_goal", "B9", colspan=5)],
        15.0 * (form["overall_goal"].count("\n") + 2))
    tasks = form["tasks"]
    add([lab(0, "年度重点工作任务", rowspan=1 + len(tasks), field="tasks", source=f"{sheet}!A10"), lab(1, "名称"),
         lab(2, "主要实施内容"), lab(3, "拟投入的资金（万元）"), lab(4, "期望达到的目标（概述）", colspan=2)])
    for i, (name, content, funds, outcome) in enumerate(tasks):
        r = 11 + i
        add([val(1, name, f"tasks[{i}].name", f"B{r}"), val(2, content, f"tasks[{i}].content", f"C{r}"),
             val(3, funds, f"tasks[{i}].funds", f"D{r}", "money"),
             val(4, outcome, f"tasks[{i}].outcome", f"E{r}", colspan=2)], 15.0 * (outcome.count("\n") + 3))
    add([lab(0, "其他需完成的任务（可选填）"), val(1, form["other_tasks"], "other_tasks", "B14", colspan=5)], 30.0)
    inds = form["indicators"]
    add([lab(0, "绩效指标", rowspan=1 + len(inds), field="indicators", source=f"{sheet}!A15"), lab(1, "一级指标"),
         lab(2, "二级指标"), lab(3, "三级指标"), lab(4, "实施周期指标值"), lab(5, "年度指标值")])
    # 一级 / 二级 cells merged down over equal neighbours, as the official form does.
    spans = {}
    for col in (0, 1):
        i = 0
        while i < len(inds):
            j = i
            while j + 1 < len(inds) and inds[j + 1][col] == inds[i][col] and (col == 0 or inds[j + 1][0] == inds[i][0]):
                j += 1
            spans[(i, col)] = j - i + 1
            for k in range(i + 1, j + 1):
                spans[(k, col)] = 0
            i = j + 1
    for i, (l1, l2, name, period, annual) in enumerate(inds):
        r = 16 + i
        cells = []
        if spans[(i, 0)]:
            cells.append(val(1, l1, f"indicators[{i}].level1", f"B{r}", rowspan=spans[(i, 0)]))
        if spans[(i, 1)]:
            cells.append(val(2, l2, f"indicators[{i}].level2", f"C{r}", rowspan=spans[(i, 1)]))
        cells += [val(3, name, f"indicators[{i}].name", f"D{r}"),
                  val(4, period, f"indicators[{i}].period", f"E{r}", "target"),
                  val(5, annual, f"indicators[{i}].annual", f"F{r}", "target")]
        add(cells)

    # Marks and notes, as the corrected workbook has them.
    by_field = {}
    for r in rows:
        for c in r["cells"]:
            c["mark"] = None
            c["note"] = None
            if c["field"]:
                by_field[c["field"]] = c
    notes = {}
    rank = {"changed": 1, "warning": 2, "error": 3}

    def mark(c, m):
        if m and (c["mark"] is None or rank[m] > rank[c["mark"]]):
            c["mark"] = m

    def target(field):
        if field in by_field:
            return by_field[field]
        m = re.match(r"^(indicators|tasks)\[(\d+)\]$", field or "")
        if m:
            return by_field.get(f"{field}.name")
        return None

    for ch in d["changes"]:
        c = target(ch["field"])
        if c:
            mark(c, "changed")
            c["text"] = ch["after"]
            notes.setdefault(id(c), (c, []))[1].append(("原值：" if lang != "en" else "Original: ") + ch["before"])
    for f in findings:
        c = target(f["field"])
        if not c:
            continue
        if not f["fixed"]:
            mark(c, {"error": "error", "warning": "warning"}.get(f["severity"]))
        notes.setdefault(id(c), (c, []))[1].append(f["message"])
    for c, lines in notes.values():
        seen = []
        for line in lines:
            if line not in seen:
                seen.append(line)
        c["note"] = "\n".join(seen)
    return {"sheet": "申报表", "widths": [14, 18, 22, 18, 20, 20], "rows": rows}


def report_for(uploads, lang, preview, min_sat, year):
    entries = []
    for path, data in uploads:
        for d in recognise(path, data, min_sat, year):
            entries.append(entry_json(d, lang, preview))
    summary = {"files": len(uploads), "forms": sum(e["read"] for e in entries),
               "unreadable": sum(not e["read"] for e in entries),
               "errors": sum(e["counts"]["errors"] for e in entries if e["read"]),
               "warnings": sum(e["counts"]["warnings"] for e in entries if e["read"]),
               "infos": sum(e["counts"]["infos"] for e in entries if e["read"]),
               "corrections": sum(e["counts"]["corrections"] for e in entries if e["read"])}
    return {"format": "jixiao.report/1", "tool": TOOL, "summary": summary, "files": entries}


# ---------------------------------------------------------------------------------------------
# Outputs: a minimal but valid xlsx, zips, CSV

def sheet_name(name, used):
    name = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Sheet"
    base, n = name, 2
    while name.lower() in used:
        suffix = f"({n})"
        name = base[:31 - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def xlsx(sheets):
    """[(name, [[text, …], …]), …] → xlsx bytes (inline strings; enough for Excel and calamine)."""
    buf = io.BytesIO()
    used = set()
    names = [sheet_name(n, used) for n, _ in sheets]
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   + "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
                             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                             for i in range(len(sheets)))
                   + "</Types>")
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   "</Relationships>")
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   + "".join(f'<sheet name="{xml_escape(n, {chr(34): "&quot;"})}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                             for i, n in enumerate(names))
                   + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + "".join(f'<Relationship Id="rId{i + 1}" '
                             'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                             f'Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(sheets)))
                   + "</Relationships>")
        for i, (_, rows) in enumerate(sheets):
            xml_rows = []
            for r, row in enumerate(rows):
                cells = "".join(
                    f'<c r="{chr(65 + c) if c < 26 else "A" + chr(65 + c - 26)}{r + 1}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{xml_escape(str(v))}</t></is></c>" for c, v in enumerate(row) if v not in (None, ""))
                xml_rows.append(f'<row r="{r + 1}">{cells}</row>')
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml",
                       '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                       '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                       + "".join(xml_rows) + "</sheetData></worksheet>")
    return buf.getvalue()


def form_rows(d):
    f = d["form"]
    rows = [[f["title"]], ["部门名称", f["department"]]]
    for k, v in f["budget"].items():
        rows.append(["预算整体情况", k, v])
    rows.append(["总体绩效目标", f["overall_goal"]])
    for t in f["tasks"]:
        rows.append(["年度重点工作任务", *t])
    for ind in f["indicators"]:
        rows.append(["绩效指标", *ind])
    return rows


def output_name(d, ext):
    stem = d["file"].rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return f"{stem}-{d['sheet']}.{ext}" if d.get("sheet") and d["sheet"] != "Sheet1" else f"{stem}.{ext}"


def indicator_rows(forms):
    rows = [["文件", "部门", "一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值"]]
    for d in forms:
        for ind in d["form"]["indicators"]:
            rows.append([d["file"], d["form"]["department"], *ind])
    return rows


def csv_bytes(rows, encoding):
    def q(v):
        v = str(v)
        return '"' + v.replace('"', '""') + '"' if any(ch in v for ch in ',"\n') else v
    text = "\r\n".join(",".join(q(v) for v in row) for row in rows) + "\r\n"
    return text.encode("gb18030") if encoding == "gbk" else b"\xef\xbb\xbf" + text.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# HTTP

def parse_multipart(body, content_type):
    m = re.search(r'boundary="?([^";]+)"?', content_type or "")
    if not m:
        return []
    boundary = b"--" + m.group(1).encode()
    out = []
    for part in body.split(boundary)[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.partition(b"\r\n\r\n")
        if data.endswith(b"\r\n"):
            data = data[:-2]
        headers = head.decode("utf-8", "replace")
        name = re.search(r'\bname="([^"]*)"', headers)
        fname = re.search(r'\bfilename="([^"]*)"', headers)
        if name and name.group(1) == "files" and fname is not None:
            # Chromium escapes " and newlines in the file name as %22, %0A, %0D.
            path = fname.group(1).replace("%22", '"').replace("%0A", "\n").replace("%0D", "\r")
            out.append((path, data))
    return out


class Handler(BaseHTTPRequestHandler):
    server_version = "jixiao-mock"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("mock: " + fmt % args + "\n")

    # -- replies

    def send(self, status, body, ctype, extra=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def json(self, status, obj):
        self.send(status, json.dumps(obj, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def error(self, status, key, **kw):
        self.json(status, {"error": err_text(self.lang, key, **kw)})

    def attachment(self, name, body, ctype):
        ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", name)
        disp = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{urllib.parse.quote(name, safe='')}"
        self.send(200, body, ctype, {"Content-Disposition": disp})

    # -- request plumbing

    def setup_request(self):
        url = urllib.parse.urlsplit(self.path)
        self.route = url.path
        self.q = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
        self.lang = "en" if self.q.get("lang") == "en" else "zh"
        token = self.server.token
        if token and self.route.startswith("/api/"):
            if self.headers.get("Authorization", "") != f"Bearer {token}":
                self.error(401, "token")
                return False
        return True

    def options(self):
        year = self.q.get("year", "").strip()
        if year and not re.fullmatch(r"(19|20|21)\d\d", year):
            self.error(400, "bad_year", year=year)
            return None
        ms = self.q.get("min_satisfaction", "").strip() or "80"
        try:
            min_sat = float(ms)
            if not 0 <= min_sat <= 100:
                raise ValueError
        except ValueError:
            self.error(400, "bad_minsat", v=ms)
            return None
        return {"year": year or None, "min_sat": min_sat}

    def read_body(self):
        """The whole request body, or None (answered 413) when it is over the limit. The body is
        always read, also when the answer is an error, so that the client sees the answer rather
        than a reset connection."""
        length = int(self.headers.get("Content-Length") or 0)
        limit = self.server.limits["max_request_bytes"]
        if length > limit:
            remaining = length
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 1 << 20))
                if not chunk:
                    break
                remaining -= len(chunk)
            self.error(413, "too_big", max=limit)
            return None
        return self.rfile.read(length)

    def uploads(self, body):
        files = parse_multipart(body, self.headers.get("Content-Type"))
        if not files:
            self.error(400, "no_files")
            return None
        if len(files) > self.server.limits["max_files"]:
            self.error(413, "too_many_files", max=self.server.limits["max_files"], count=len(files))
            return None
        too_big = self.server.limits["max_file_bytes"]
        out = []
        for path, data in files:
            out.append((path, data if len(data) <= too_big else None))
        return out

    def recognised(self, uploads, opts):
        forms = []
        for path, data in uploads:
            if data is None:
                continue
            forms += [d for d in recognise(path, data, opts["min_sat"], opts["year"]) if d["kind"] == "form"]
        return forms

    # -- methods

    def do_GET(self):
        if not self.setup_request():
            return
        r = self.route
        if r in ("/", "/index.html"):
            return self.asset("index.html", "text/html; charset=utf-8")
        if r == "/assets/app.js":
            return self.asset("app.js", "text/javascript; charset=utf-8")
        if r == "/assets/app.css":
            return self.asset("app.css", "text/css; charset=utf-8")
        if r == "/healthz":
            return self.json(200, {"status": "ok", "tool": TOOL})
        if r == "/api/info":
            return self.json(200, {
                "tool": TOOL,
                "variants": [{"id": i, "name": en if self.lang == "en" else zh} for i, zh, en in VARIANTS],
                "limits": self.server.limits,
                "formats": FORMATS,
                "text": load_text()[self.lang],
            })
        if r == "/api/template":
            v = self.q.get("variant", "")
            names = {i: zh for i, zh, _ in VARIANTS}
            if v not in names:
                return self.error(400, "bad_variant", v=v)
            return self.attachment(f"{v}.xlsx", xlsx([("申报表", [[names[v]], ["部门名称", ""]])]),
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return self.error(404, "not_found")

    do_HEAD = do_GET

    def do_POST(self):
        if not self.setup_request():
            self.read_body()
            return
        r = self.route
        body = self.read_body()
        if body is None:
            return
        if r not in ("/api/check", "/api/convert", "/api/merge"):
            return self.error(404, "not_found")
        to = self.q.get("to", "json" if r == "/api/check" else "xlsx")
        if to not in ("xlsx", "json", "csv"):
            return self.error(400, "bad_to", to=to)
        opts = self.options()
        if opts is None:
            return
        ups = self.uploads(body)
        if ups is None:
            return
        if self.server.delay:
            time.sleep(self.server.delay)
        if r == "/api/check":
            entries_in = []
            for path, data in ups:
                if data is None:
                    entries_in.append((path, None))
                else:
                    entries_in.append((path, data))
            doc = report_for([(p, d) for p, d in entries_in if d is not None], self.lang,
                             self.q.get("preview") == "1", opts["min_sat"], opts["year"])
            # Files over the per-file limit: one unreadable row each, in upload order.
            big = [p for p, d in entries_in if d is None]
            for p in big:
                base = p.rsplit("/", 1)[-1]
                mb = self.server.limits["max_file_bytes"] // (1024 * 1024)
                doc["files"].append(entry_json(unreadable(p, f"{base}：文件超过 {mb} MB 的上限，未处理",
                                                          f"{base}: larger than the {mb} MB limit; not processed"),
                                               self.lang, False))
                doc["summary"]["files"] += 1
                doc["summary"]["unreadable"] += 1
            return self.json(200, doc)
        forms = self.recognised(ups, opts)
        if r == "/api/convert":
            sheet = self.q.get("sheet")
            if sheet is not None:
                forms = [d for d in forms if d["sheet"] == sheet]
                if not forms:
                    return self.error(400, "bad_sheet", sheet=sheet)
            outs = []
            for d in forms:
                if to == "xlsx":
                    outs.append((output_name(d, "xlsx"), xlsx([("申报表", form_rows(d))])))
                elif to == "csv":
                    outs.append((output_name(d, "csv"), csv_bytes(indicator_rows([d]), self.q.get("encoding", "utf8"))))
                else:
                    outs.append((output_name(d, "json"), json.dumps(d["form"], ensure_ascii=False, indent=2).encode()))
            if len(outs) == 1:
                name, body = outs[0]
                return self.attachment(name, body, {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                                    "csv": "text/csv; charset=utf-8", "json": "application/json"}[to])
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                seen = set()
                for name, body in outs:
                    n, k = name, 2
                    while n in seen:
                        n = name.replace(".", f"({k}).", 1)
                        k += 1
                    seen.add(n)
                    z.writestr(n, body)
            return self.attachment(f"jixiao-{to}.zip", buf.getvalue(), "application/zip")
        # /api/merge
        if to == "csv":
            return self.attachment("绩效指标汇总.csv", csv_bytes(indicator_rows(forms), self.q.get("encoding", "utf8")),
                                   "text/csv; charset=utf-8")
        if to == "json":
            return self.attachment("汇总.json", json.dumps([d["form"] for d in forms], ensure_ascii=False).encode(),
                                   "application/json")
        sheets = [("汇总", [["文件", "工作表", "部门名称"]] + [[d["file"], d["sheet"] or "", d["form"]["department"]] for d in forms]),
                  ("绩效指标", indicator_rows(forms))]
        if self.q.get("forms") == "1":
            sheets += [(d["form"]["department"], form_rows(d)) for d in forms]
        return self.attachment("部门整体绩效目标汇总.xlsx", xlsx(sheets),
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    def asset(self, name, ctype):
        with open(os.path.join(ASSETS, name), "rb") as f:
            self.send(200, f.read(), ctype)


# ---------------------------------------------------------------------------------------------
# Command line

def folder_uploads(folder):
    """What the page sends for a folder: paths relative to it, only the accepted formats."""
    out = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for f in files:
            full = os.path.join(root, f)
            rel = os.path.relpath(full, folder).replace(os.sep, "/")
            if f.startswith("~$") or f.startswith(".") or f.rsplit(".", 1)[-1].lower() not in FORMATS:
                continue
            out.append((rel, open(full, "rb").read()))
    return sorted(out)


def write_demo(folder, many):
    for rel, key in DEMO_FILES:
        path = os.path.join(folder, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(DEMO_MARK + key.encode())
    if many:
        path = os.path.join(folder, "批量", f"{many}份.xlsx")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(DEMO_MARK + f"many:{many}".encode())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0: any free port (printed)")
    ap.add_argument("--token", default="", help="require Authorization: Bearer TOKEN on /api/*")
    ap.add_argument("--delay", type=float, default=0.0, help="seconds to wait before answering a POST")
    ap.add_argument("--max-files", type=int, default=2000)
    ap.add_argument("--max-file-bytes", type=int, default=20 * 1024 * 1024)
    ap.add_argument("--max-request-bytes", type=int, default=200 * 1024 * 1024)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--demo-folder", help="write the demo batch into this folder and exit")
    ap.add_argument("--many", type=int, default=0, help="with --demo-folder: add one workbook of N forms")
    ap.add_argument("--report", help="print the report the mock gives for this folder and exit")
    ap.add_argument("--lang", default="zh")
    a = ap.parse_args()

    if a.demo_folder:
        write_demo(a.demo_folder, a.many)
        return
    if a.report:
        doc = report_for(folder_uploads(a.report), a.lang, False, 80.0, None)
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return

    srv = ThreadingHTTPServer((a.host, a.port), Handler)
    srv.daemon_threads = True
    srv.token = a.token
    srv.delay = a.delay
    srv.verbose = a.verbose
    srv.limits = {"max_file_bytes": a.max_file_bytes, "max_files": a.max_files,
                  "max_request_bytes": a.max_request_bytes}
    host, port = srv.server_address[:2]
    print(f"listening on http://{host}:{port}/", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
