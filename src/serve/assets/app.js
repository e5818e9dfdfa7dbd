// The page of `jixiao serve`: drop forms, see one row per form, open one form's findings beside a
// preview of its corrected layout, download every output. Plain ES2020 module: no framework, no
// build step, nothing fetched from anywhere but this server (see docs/OUTPUT.md §5).
//
// Safety rules kept throughout this file:
// - text from a form, a file name or the server goes into the page with textContent only;
//   innerHTML is never used;
// - no inline style attribute is written: styles come from app.css classes, and the few computed
//   sizes are set through the CSSOM (element.style.x = …), which the CSP allows;
// - every request carries `Authorization: Bearer TOKEN` when the page was opened with ?token=.

// The only words the page holds itself: what to say when the server cannot be reached before it
// has sent the page's words (GET /api/info). Everything else comes from /api/info → text.
const FALLBACK_UNREACHABLE = {
  zh: '无法连接到 jixiao 服务。请确认运行 jixiao serve 的窗口没有关闭，然后刷新本页。',
  en: 'Cannot reach the jixiao server. Make sure the window running jixiao serve is still open, then reload this page.',
};

const LANGS = ['zh', 'en'];
const STATUS_ORDER = { fix: 0, unreadable: 1, pass: 2 };
// How findings are listed and counted, the same four levels as the terminal and the workbooks:
// an open finding by its severity, a corrected one as `fixed` (已修正) whatever its severity.
const LEVEL_ORDER = { error: 0, warning: 1, info: 2, fixed: 3 };

function levelOf(f) {
  return f.fixed ? 'fixed' : f.severity;
}
// Excel column width unit (one Latin character; a Chinese character is two) → CSS pixels.
const PX_PER_CHAR = 7.5;
// The narrowest it may get when fitted into the panel (13 px text still wraps readably).
const MIN_PX_PER_CHAR = 5.5;
// Points → CSS pixels.
const PX_PER_PT = 4 / 3;
// Up to this many rows the results table holds every row; past it, only the rows in view (and
// OVERSCAN above and below), between two spacer rows, so that sorting or filtering a thousand
// forms lays out fifty rows, not a thousand. Rows have one height (app.css keeps them to one line).
const WINDOW_ALL = 300;
const OVERSCAN = 20;

const query = new URLSearchParams(location.search);
const TOKEN = query.get('token') || '';

const $ = (id) => document.getElementById(id);
const els = {};

const state = {
  lang: initialLang(),
  info: null,
  text: {},
  missing: new Set(),
  variantNames: new Map(),
  variantLabels: new Map(),
  files: [], // [{ file: File, path: string }] — kept to re-post them; the server keeps nothing
  report: null,
  reportText: '',
  rows: [], // [{ entry, index, tr }]
  visible: [],
  win: { start: -1, end: -1, rows: null },
  rowHeight: 0,
  sort: { key: null, dir: 1 },
  filter: 'all',
  search: '',
  activeRow: null, // the row that holds tabindex=0 in the results table
  detail: null, // the row whose form is open
  detailSeq: 0,
  listScroll: { page: 0, table: 0 },
  xhr: null,
  pending: null, // { files, reopen } of the check under way
  previews: new Map(), // `${index}|${options}` → preview grid (or null)
};

let collator = new Intl.Collator('zh-Hans-CN', { numeric: true, sensitivity: 'base' });

// ---------------------------------------------------------------------------------------------
// Words

function initialLang() {
  const fromUrl = query.get('lang');
  if (LANGS.includes(fromUrl)) return fromUrl;
  try {
    const saved = localStorage.getItem('jixiao.lang');
    if (LANGS.includes(saved)) return saved;
  } catch (_) {
    // Storage may be refused (privacy settings): Chinese, the tool's own language.
  }
  return 'zh';
}

/** The sentence `key` in the current language with `{name}` placeholders filled from `vars`. */
function t(key, vars) {
  let s = state.text[key];
  if (typeof s !== 'string') {
    if (!state.missing.has(key)) {
      state.missing.add(key);
      // Visible to the end-to-end test: every key the page asks for must be in the catalogue.
      document.documentElement.dataset.missingText = [...state.missing].join(' ');
      console.warn(`jixiao: no text for "${key}" in /api/info`);
    }
    s = key;
  }
  if (vars) {
    s = s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  }
  return s;
}

function fmtBytes(n) {
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
}

function fmtInt(n) {
  return Number.isFinite(n) ? n.toLocaleString(state.lang === 'zh' ? 'zh-CN' : 'en-US') : '0';
}

/** Fill every element marked with data-text* from the catalogue. */
function renderStaticText() {
  for (const el of document.querySelectorAll('[data-text]')) el.textContent = t(el.dataset.text);
  for (const el of document.querySelectorAll('[data-text-placeholder]')) {
    el.placeholder = t(el.dataset.textPlaceholder);
  }
  for (const el of document.querySelectorAll('[data-text-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.textAriaLabel));
  }
  for (const el of document.querySelectorAll('[data-text-title]')) el.title = t(el.dataset.textTitle);
  document.title = t('app.title');
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  for (const b of document.querySelectorAll('.lang-btn')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
  }

  const info = state.info;
  els.toolVersion.textContent = info.tool || '';
  els.formats.textContent = (info.formats || []).map((f) => `.${f}`).join('  ');
  const lim = info.limits || {};
  els.limits.textContent = t('drop.limits', {
    max_file: fmtBytes(lim.max_file_bytes),
    max_files: fmtInt(lim.max_files),
    max_request: fmtBytes(lim.max_request_bytes),
  });

  state.variantNames = new Map((info.variants || []).map((v) => [v.id, v.name]));
  state.variantLabels = variantLabels(info.variants || []);
  const tpl = document.createDocumentFragment();
  for (const v of info.variants || []) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn btn-small btn-link';
    b.textContent = v.name || v.id;
    b.title = t('templates.download', { name: v.name || v.id });
    b.addEventListener('click', () =>
      download(b, `/api/template?variant=${encodeURIComponent(v.id)}`, { method: 'GET' }),
    );
    tpl.append(b);
  }
  els.templateButtons.replaceChildren(tpl);
  renderSortMarks();
}

/** Short labels for the results table: the server's `short` name of each variant (what its
 * name says in brackets, 区级，六列), since the long names share a long beginning that would
 * show the same cut-off words on every row. The full name is the cell's title. */
function variantLabels(variants) {
  return new Map(variants.map((v) => [v.id, v.short || v.name || v.id]));
}

// ---------------------------------------------------------------------------------------------
// Talking to the server

function authHeaders() {
  return TOKEN ? { Authorization: `Bearer ${TOKEN}` } : {};
}

/** The query string every POST carries: lang, year (when given), min_satisfaction. */
function optionParams(extra) {
  const q = new URLSearchParams();
  q.set('lang', state.lang);
  const year = els.year.value.trim();
  if (year) q.set('year', year);
  const minSat = els.minSat.value.trim();
  if (minSat) q.set('min_satisfaction', minSat);
  for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
  return q.toString();
}

/** The server's `{"error": "…"}` sentence, or a sentence naming the HTTP status. */
function errorSentence(status, bodyText) {
  try {
    const j = JSON.parse(bodyText);
    if (j && typeof j.error === 'string' && j.error) return j.error;
  } catch (_) {
    // not JSON: say what we know
  }
  return state.info ? t('error.http', { status }) : `HTTP ${status}`;
}

function unreachable() {
  return state.info ? t('error.unreachable') : FALLBACK_UNREACHABLE[state.lang];
}

async function fetchInfo(lang) {
  const resp = await fetch(`/api/info?lang=${encodeURIComponent(lang)}`, {
    headers: authHeaders(),
    cache: 'no-store',
  });
  const body = await resp.text();
  if (!resp.ok) throw new ServerSaid(errorSentence(resp.status, body));
  return JSON.parse(body);
}

class ServerSaid extends Error {}

function filesForm(files) {
  const fd = new FormData();
  // The multipart file name is the path relative to the chosen folder: the server keeps it as the
  // report's `file`, so 部门A/表.xlsx and 部门B/表.xlsx stay apart.
  for (const f of files) fd.append('files', f.file, f.path);
  return fd;
}

function filenameFrom(disposition) {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch (_) {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/.exec(disposition);
  if (plain) return (plain[1] ?? plain[2]).trim();
  return null;
}

function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Fetch `url` and save what comes back as a file (the Authorization header rules out a plain
 * link). `files`: the File entries to post, or none for a GET.
 */
async function download(button, url, { method = 'POST', files = null, fallbackName = 'jixiao' } = {}) {
  if (button.classList.contains('is-busy')) return;
  hideMessage();
  button.classList.add('is-busy');
  button.setAttribute('aria-busy', 'true');
  try {
    const init = { method, headers: authHeaders() };
    if (files) init.body = filesForm(files);
    const resp = await fetch(url, init);
    if (!resp.ok) {
      showMessage(errorSentence(resp.status, await resp.text()));
      return;
    }
    const blob = await resp.blob();
    saveBlob(blob, filenameFrom(resp.headers.get('Content-Disposition')) || fallbackName);
  } catch (_) {
    showMessage(unreachable());
  } finally {
    button.classList.remove('is-busy');
    button.removeAttribute('aria-busy');
  }
}

// ---------------------------------------------------------------------------------------------
// Messages and progress

function showMessage(text, kind = 'error') {
  els.messageText.textContent = text;
  els.message.className = `message message-${kind}`;
  els.message.hidden = false;
}

function hideMessage() {
  els.message.hidden = true;
}

function showProgress(fraction, label) {
  els.progress.hidden = false;
  els.progressLabel.textContent = label;
  if (fraction == null) {
    els.progressTrack.classList.add('is-indeterminate');
    els.progressTrack.removeAttribute('aria-valuenow');
    els.progressBar.style.width = '';
  } else {
    const pct = Math.max(0, Math.min(100, Math.round(fraction * 100)));
    els.progressTrack.classList.remove('is-indeterminate');
    els.progressTrack.setAttribute('aria-valuenow', String(pct));
    els.progressBar.style.width = `${pct}%`;
  }
}

function hideProgress() {
  els.progress.hidden = true;
  document.body.classList.remove('is-checking');
}

// ---------------------------------------------------------------------------------------------
// Collecting files: buttons, folder input, drag and drop

function extensionOf(name) {
  const i = name.lastIndexOf('.');
  return i < 0 ? '' : name.slice(i + 1).toLowerCase();
}

/** Inside a folder only the formats the server reads are taken, and the documents a
 * department may send instead (a Word file, a PDF: each gets a row saying how to save it as
 * .xlsx), and no `~$` lock files, as `jixiao check DIR` does; files chosen one by one are all
 * sent (the server says why one cannot be read). */
function wantedInFolder(name) {
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (base.startsWith('~$') || base.startsWith('.')) return false;
  const ext = extensionOf(base);
  return (state.info.formats || []).includes(ext) || (state.info.documents || []).includes(ext);
}

function byPath(a, b) {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function filesFromPicker(list) {
  return [...list].map((file) => ({ file, path: file.name }));
}

/** A folder picked with <input webkitdirectory>: paths relative to that folder. */
function filesFromFolderPicker(list) {
  const out = [];
  for (const file of list) {
    const rel = file.webkitRelativePath || file.name;
    const slash = rel.indexOf('/');
    const path = slash >= 0 ? rel.slice(slash + 1) : rel;
    if (wantedInFolder(path)) out.push({ file, path });
  }
  return out.sort(byPath);
}

function readAllEntries(reader) {
  // readEntries answers in batches (100 in Chromium) until it returns an empty one.
  return new Promise((resolve, reject) => {
    const all = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

function entryFile(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walkEntry(entry, prefix, out) {
  if (entry.isFile) {
    const path = prefix + entry.name;
    if (!prefix || wantedInFolder(path)) out.push({ file: await entryFile(entry), path });
  } else if (entry.isDirectory) {
    const children = await readAllEntries(entry.createReader());
    for (const child of children) await walkEntry(child, `${prefix}${entry.name}/`, out);
  }
}

/** Files from a drop. One dropped folder gives paths relative to it (as 选择文件夹 does);
 * several dropped things keep their folder names so that equal names stay apart. */
async function filesFromDrop(entries, plainFiles) {
  if (entries.length === 0) return filesFromPicker(plainFiles);
  const out = [];
  if (entries.length === 1 && entries[0].isDirectory) {
    const children = await readAllEntries(entries[0].createReader());
    for (const child of children) await walkEntry(child, '', out);
    // children at the top of the folder were pushed with no prefix: filter them like the rest
    return out.filter((f) => wantedInFolder(f.path)).sort(byPath);
  }
  for (const entry of entries) await walkEntry(entry, '', out);
  return out.sort(byPath);
}

function takeFiles(files) {
  hideMessage();
  if (files.length === 0) {
    showMessage(t('drop.none_found', { formats: (state.info.formats || []).map((f) => `.${f}`).join(' ') }), 'info');
    return;
  }
  const lim = state.info.limits || {};
  const total = files.reduce((n, f) => n + f.file.size, 0);
  if (lim.max_files && files.length > lim.max_files) {
    showMessage(t('limit.files', { count: fmtInt(files.length), max: fmtInt(lim.max_files) }));
    return;
  }
  if (lim.max_request_bytes && total > lim.max_request_bytes) {
    showMessage(t('limit.request', { size: fmtBytes(total), max: fmtBytes(lim.max_request_bytes) }));
    return;
  }
  runCheck(files, null);
}

// ---------------------------------------------------------------------------------------------
// Checking

/** POST `files` to /api/check and show the answer; only then do they become the kept files that
 * downloads and previews post again (a refused batch leaves the shown results and their files
 * together). `reopen`: {file, sheet} of a form to open again once the results are back (after a
 * change of language or options). */
function runCheck(files, reopen) {
  // A check still running is replaced, silently: its abort handler sees it is no longer current.
  const running = state.xhr;
  state.xhr = null;
  if (running) running.abort();
  const total = files.reduce((n, f) => n + f.file.size, 0);
  const xhr = new XMLHttpRequest();
  state.xhr = xhr;
  state.pending = { files, reopen };
  xhr.open('POST', `/api/check?${optionParams()}`);
  for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
  xhr.responseType = 'text';

  const checking = () =>
    showProgress(null, t('progress.checking', { files: fmtInt(files.length) }));
  xhr.upload.addEventListener('progress', (e) => {
    const size = e.lengthComputable ? e.total : total;
    showProgress(size ? e.loaded / size : null, t('progress.uploading', {
      files: fmtInt(files.length),
      done: fmtBytes(e.loaded),
      total: fmtBytes(size),
    }));
  });
  xhr.upload.addEventListener('load', checking);
  xhr.addEventListener('load', () => {
    if (state.xhr !== xhr) return;
    state.xhr = null;
    hideProgress();
    if (xhr.status !== 200) {
      showMessage(errorSentence(xhr.status, xhr.responseText));
      return;
    }
    let report;
    try {
      report = JSON.parse(xhr.responseText);
    } catch (_) {
      showMessage(t('error.bad_answer'));
      return;
    }
    if (!report || !Array.isArray(report.files)) {
      showMessage(t('error.bad_answer'));
      return;
    }
    state.files = files;
    state.previews.clear();
    showResults(report, xhr.responseText, reopen);
  });
  xhr.addEventListener('error', () => {
    if (state.xhr !== xhr) return;
    state.xhr = null;
    hideProgress();
    showMessage(unreachable());
  });
  xhr.addEventListener('abort', () => {
    if (state.xhr === xhr) {
      state.xhr = null;
      hideProgress();
      showMessage(t('progress.cancelled'), 'info');
    }
  });

  document.body.classList.add('is-checking');
  showProgress(0, t('progress.uploading', { files: fmtInt(files.length), done: fmtBytes(0), total: fmtBytes(total) }));
  xhr.send(filesForm(files));
}

// ---------------------------------------------------------------------------------------------
// Results table

function showResults(report, text, reopen) {
  state.report = report;
  state.reportText = text;
  state.rows = report.files.map((entry, index) => ({ entry, index, tr: null }));
  state.activeRow = null;
  els.intake.classList.add('is-compact');
  els.steps.hidden = true;
  els.recheck.hidden = false;
  renderSummary();
  renderTable();
  const again = reopen && state.rows.find((r) => r.entry.file === reopen.file && (r.entry.sheet ?? null) === reopen.sheet);
  if (again) {
    openDetail(again, { keepScroll: true });
  } else {
    closeDetail({ focus: false });
    els.results.hidden = false;
    els.results.scrollIntoView({ block: 'start' });
  }
}

function statusOf(entry) {
  if (entry.status === 'pass' || entry.status === 'fix' || entry.status === 'unreadable') return entry.status;
  // A report without `status`: derive it as the server does.
  if (entry.read === false) return 'unreadable';
  const c = entry.counts || {};
  return c.errors || c.warnings ? 'fix' : 'pass';
}

function countsOf(entry) {
  const c = entry.counts;
  if (c) return c;
  const n = { errors: 0, warnings: 0, infos: 0, corrections: 0 };
  const key = { error: 'errors', warning: 'warnings', info: 'infos', fixed: 'corrections' };
  for (const f of entry.findings || []) n[key[levelOf(f)]] += 1;
  return n;
}

function renderSummary() {
  const s = state.report.summary || {};
  els.summaryLine.textContent = t('summary.line', {
    files: fmtInt(s.files ?? 0),
    forms: fmtInt(s.forms ?? 0),
    unreadable: fmtInt(s.unreadable ?? 0),
    errors: fmtInt(s.errors ?? 0),
    warnings: fmtInt(s.warnings ?? 0),
    infos: fmtInt(s.infos ?? 0),
    corrections: fmtInt(s.corrections ?? 0),
  });
  // The inputs left out (jixiao's own outputs), each with the sentence `jixiao check` writes
  // on standard error for it: no row, no count.
  const skipped = Array.isArray(state.report.skipped) ? state.report.skipped : [];
  els.skipped.replaceChildren(...skipped.map((s) => cell('li', 'skipped-note', s.message)));
  els.skipped.hidden = skipped.length === 0;
  const counts = { all: state.rows.length, pass: 0, fix: 0, unreadable: 0 };
  for (const r of state.rows) counts[statusOf(r.entry)] += 1;
  for (const el of els.filters.querySelectorAll('[data-count]')) {
    el.textContent = fmtInt(counts[el.dataset.count]);
  }
  for (const b of els.filters.querySelectorAll('.filter')) {
    b.setAttribute('aria-pressed', String(b.dataset.filter === state.filter));
  }
}

function splitPath(path) {
  const i = path.lastIndexOf('/');
  return i < 0 ? ['', path] : [path.slice(0, i + 1), path.slice(i + 1)];
}

function cell(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text != null) el.textContent = text;
  return el;
}

function statusBadge(status) {
  return cell('span', `badge badge-${status}`, t(`status.${status}`));
}

function numberCell(n, kind) {
  const td = cell('td', `num${n > 0 ? ` has-${kind}` : ' is-zero'}`);
  td.append(cell('span', 'num-val', fmtInt(n)));
  return td;
}

function buildRow(row) {
  const e = row.entry;
  const status = statusOf(e);
  const tr = document.createElement('tr');
  tr.className = `row row-${status}`;
  // One row of the table is in the tab order (the active one); arrows move between rows.
  tr.tabIndex = row === state.activeRow ? 0 : -1;
  tr.dataset.index = String(row.index);

  const [dir, base] = splitPath(e.file || '');
  const tdFile = cell('td', 'cell-file');
  tdFile.title = e.file || '';
  if (dir) tdFile.append(cell('span', 'path-dir', dir));
  tdFile.append(cell('span', 'path-base', base));
  tr.append(tdFile);
  const tdSheet = cell('td', e.sheet ? 'cell-sheet' : 'cell-sheet is-empty', e.sheet || '—');
  if (e.sheet) tdSheet.title = e.sheet;
  tr.append(tdSheet);

  if (status === 'unreadable') {
    const reason = cell('td', 'cell-reason', e.error || '');
    reason.colSpan = 6;
    reason.title = e.error || '';
    tr.append(reason);
  } else {
    const name = nameOf(e);
    const tdDept = cell('td', name ? 'cell-dept' : 'cell-dept is-empty', name || '—');
    if (name) tdDept.title = name;
    tr.append(tdDept);
    const label = state.variantLabels.get(e.template) || e.template || '—';
    const tdTpl = cell('td', 'cell-template', label);
    if (e.template) tdTpl.title = state.variantNames.get(e.template) || e.template;
    tr.append(tdTpl);
    const c = countsOf(e);
    tr.append(
      numberCell(c.errors || 0, 'errors'),
      numberCell(c.warnings || 0, 'warnings'),
      numberCell(c.infos || 0, 'infos'),
      numberCell(c.corrections || 0, 'corrections'),
    );
  }
  const tdStatus = cell('td', 'cell-status');
  tdStatus.append(statusBadge(status), cell('span', 'row-open', '›'));
  tr.append(tdStatus);
  row.tr = tr;
  return tr;
}

/** What a form is called in the list: its department, or a project form's project with its
 *  department (a department sends many project forms). */
function nameOf(e) {
  if (!e.project) return e.department || '';
  return e.department ? `${e.project}（${e.department}）` : e.project;
}

function sortValue(row, key) {
  const e = row.entry;
  const c = countsOf(e);
  switch (key) {
    case 'file': return e.file || '';
    case 'sheet': return e.sheet || '';
    case 'department': return statusOf(e) === 'unreadable' ? '' : nameOf(e);
    case 'template': return state.variantLabels.get(e.template) || e.template || '';
    case 'errors': return statusOf(e) === 'unreadable' ? -1 : c.errors || 0;
    case 'warnings': return statusOf(e) === 'unreadable' ? -1 : c.warnings || 0;
    case 'infos': return statusOf(e) === 'unreadable' ? -1 : c.infos || 0;
    case 'corrections': return statusOf(e) === 'unreadable' ? -1 : c.corrections || 0;
    case 'status': return STATUS_ORDER[statusOf(e)];
    default: return row.index;
  }
}

function visibleRows() {
  const q = state.search.trim().toLowerCase();
  let rows = state.rows.filter((r) => {
    if (state.filter !== 'all' && statusOf(r.entry) !== state.filter) return false;
    if (!q) return true;
    const e = r.entry;
    return [e.file, e.sheet, e.department, e.project, e.error].some((s) => s && String(s).toLowerCase().includes(q));
  });
  const { key, dir } = state.sort;
  if (key) {
    rows = rows.slice().sort((a, b) => {
      const va = sortValue(a, key);
      const vb = sortValue(b, key);
      const d = typeof va === 'number' ? va - vb : collator.compare(va, vb);
      return d !== 0 ? d * dir : a.index - b.index;
    });
  }
  return rows;
}

/** Sort and filter the rows, then show them. Each row's <tr> is built once per check and reused
 * by sorting, filtering and scrolling. */
function renderTable() {
  const rows = visibleRows();
  state.visible = rows;
  state.win = { start: -1, end: -1, rows: null };
  els.noMatch.hidden = rows.length > 0;
  if (!state.activeRow || !rows.includes(state.activeRow)) setActiveRow(rows[0] || null, false);
  renderWindow();
}

function spacer(height) {
  const tr = document.createElement('tr');
  tr.className = 'spacer';
  tr.setAttribute('aria-hidden', 'true');
  const td = document.createElement('td');
  td.colSpan = 8;
  tr.append(td);
  tr.style.height = `${height}px`;
  return tr;
}

function headHeight() {
  const head = els.tableWrap.querySelector('thead');
  return head ? head.offsetHeight : 0;
}

/** Put the rows in view into the table (all of them when there are few). */
function renderWindow() {
  const rows = state.visible;
  const n = rows.length;
  let start = 0;
  let end = n;
  const h = state.rowHeight || 40;
  if (n > WINDOW_ALL) {
    const top = Math.max(0, els.tableWrap.scrollTop - headHeight());
    const view = els.tableWrap.clientHeight || window.innerHeight;
    start = Math.max(0, Math.floor(top / h) - OVERSCAN);
    end = Math.min(n, Math.ceil((top + view) / h) + OVERSCAN);
  }
  const w = state.win;
  if (w.rows === rows && w.start === start && w.end === end) return;
  // Keep a way into the table for Tab: the active row, or the first row in view.
  const a = state.activeRow ? rows.indexOf(state.activeRow) : -1;
  if (n && (a < start || a >= end)) setActiveRow(rows[start], false);
  const hadFocus = els.rows.contains(document.activeElement) ? document.activeElement : null;
  const frag = document.createDocumentFragment();
  if (start > 0) frag.append(spacer(start * h));
  for (let i = start; i < end; i++) frag.append(rows[i].tr || buildRow(rows[i]));
  if (end < n) frag.append(spacer((n - end) * h));
  els.rows.replaceChildren(frag);
  state.win = { start, end, rows };
  if (hadFocus && hadFocus.isConnected) hadFocus.focus({ preventScroll: true });
  // The real height of a row, once one is laid out: the spacers must match it.
  if (n > WINDOW_ALL && !state.rowHeight && rows[start] && rows[start].tr.offsetHeight) {
    state.rowHeight = rows[start].tr.offsetHeight;
    if (state.rowHeight !== h) {
      state.win = { start: -1, end: -1, rows: null };
      renderWindow();
    }
  }
}

/** Scroll the table so that `row` is in view, and make sure its <tr> is in the table. */
function revealRow(row) {
  const i = state.visible.indexOf(row);
  if (i < 0) return;
  if (state.visible.length > WINDOW_ALL) {
    const h = state.rowHeight || 40;
    const top = i * h;
    const view = els.tableWrap.clientHeight - headHeight();
    const scroll = els.tableWrap.scrollTop;
    if (top < scroll) els.tableWrap.scrollTop = top;
    else if (top + h > scroll + view) els.tableWrap.scrollTop = top + h - view;
    renderWindow();
  }
  if (row.tr) row.tr.scrollIntoView({ block: 'nearest' });
}

function setActiveRow(row, focus) {
  if (state.activeRow && state.activeRow.tr) state.activeRow.tr.tabIndex = -1;
  state.activeRow = row;
  if (row && row.tr) {
    row.tr.tabIndex = 0;
    if (focus) row.tr.focus();
  }
}

function renderSortMarks() {
  for (const th of document.querySelectorAll('#results-table th[data-sort]')) {
    const on = th.dataset.sort === state.sort.key;
    th.setAttribute('aria-sort', on ? (state.sort.dir > 0 ? 'ascending' : 'descending') : 'none');
    th.classList.toggle('is-sorted', on);
    th.classList.toggle('is-desc', on && state.sort.dir < 0);
  }
}

function rowOfElement(el) {
  const tr = el.closest('tr.row');
  if (!tr) return null;
  return state.rows[Number(tr.dataset.index)] || null;
}

function onRowsKey(ev) {
  const row = rowOfElement(ev.target);
  if (!row) return;
  const i = state.visible.indexOf(row);
  let next = null;
  switch (ev.key) {
    case 'Enter':
    case ' ':
      ev.preventDefault();
      openDetail(row);
      return;
    case 'ArrowDown': next = state.visible[i + 1]; break;
    case 'ArrowUp': next = state.visible[i - 1]; break;
    case 'PageDown': next = state.visible[Math.min(state.visible.length - 1, i + 10)]; break;
    case 'PageUp': next = state.visible[Math.max(0, i - 10)]; break;
    case 'Home': next = state.visible[0]; break;
    case 'End': next = state.visible[state.visible.length - 1]; break;
    default: return;
  }
  ev.preventDefault();
  if (next) {
    revealRow(next);
    setActiveRow(next, true);
  }
}

// ---------------------------------------------------------------------------------------------
// One form

function openDetail(row, { keepScroll = false } = {}) {
  if (!keepScroll) {
    state.listScroll = { page: window.scrollY, table: els.tableWrap.scrollTop };
  }
  setActiveRow(row, false);
  state.detail = row;
  const seq = ++state.detailSeq;
  const e = row.entry;
  const status = statusOf(e);
  els.results.hidden = true;
  els.detail.hidden = false;
  // One form gets the whole screen; the drop zone and options come back with the list.
  els.intake.hidden = true;
  hideTip();

  els.detailTitle.textContent = nameOf(e) || (status === 'unreadable' ? splitPath(e.file)[1] : t('detail.no_department'));
  els.detailStatus.replaceWith(Object.assign(statusBadge(status), { id: 'detail-status' }));
  els.detailStatus = $('detail-status');

  const meta = [];
  meta.push(t('detail.file', { file: e.file }));
  if (e.sheet) meta.push(t('detail.sheet', { sheet: e.sheet }));
  if (e.template) meta.push(t('detail.template', { template: state.variantNames.get(e.template) || e.template }));
  els.detailMeta.textContent = meta.join('　·　');
  const c = countsOf(e);
  els.detailCounts.replaceChildren(
    countChip('errors', t('detail.count_errors', { n: fmtInt(c.errors || 0) }), c.errors),
    countChip('warnings', t('detail.count_warnings', { n: fmtInt(c.warnings || 0) }), c.warnings),
    countChip('infos', t('detail.count_infos', { n: fmtInt(c.infos || 0) }), c.infos),
    countChip('corrections', t('detail.count_corrections', { n: fmtInt(c.corrections || 0) }), c.corrections),
  );
  els.detailCounts.hidden = status === 'unreadable';
  els.dlOne.hidden = status === 'unreadable';

  els.unreadableBox.hidden = status !== 'unreadable';
  els.unreadableReason.textContent = status === 'unreadable' ? e.error || '' : '';
  // What to do about it: the suggestion of the finding that says the file cannot be read.
  const why = status === 'unreadable' ? (e.findings || []).find((f) => f.suggestion) : null;
  els.unreadableAdvice.textContent = why ? why.suggestion : '';
  els.unreadableAdvice.hidden = !why;
  els.previewCard.hidden = status === 'unreadable';
  els.detail.classList.toggle('is-unreadable', status === 'unreadable');

  renderFindings(e, status);
  els.previewWrap.replaceChildren();
  state.cellIndex = null;
  if (status !== 'unreadable') loadPreview(row, seq);

  window.scrollTo(0, 0);
  els.detailTitle.focus({ preventScroll: true });
}

function countChip(kind, text, n) {
  return cell('span', `chip chip-${kind}${n ? '' : ' is-zero'}`, text);
}

function closeDetail({ focus = true } = {}) {
  hideTip();
  state.detailSeq++;
  state.detail = null;
  els.detail.hidden = true;
  els.intake.hidden = false;
  if (state.report) {
    els.results.hidden = false;
    window.scrollTo(0, state.listScroll.page);
    els.tableWrap.scrollTop = state.listScroll.table;
    renderWindow();
    if (focus && state.activeRow && state.activeRow.tr && state.activeRow.tr.isConnected) {
      state.activeRow.tr.focus({ preventScroll: true });
    }
  }
}

function levelBadge(level) {
  return cell('span', `sev sev-${level}`, t(`severity.${level}`));
}

function renderFindings(entry, status) {
  const list = (entry.findings || [])
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => !(status === 'unreadable' && f.code === 'file-unreadable'))
    .sort((a, b) => (LEVEL_ORDER[levelOf(a.f)] ?? 4) - (LEVEL_ORDER[levelOf(b.f)] ?? 4) || a.i - b.i)
    .map(({ f }) => f);
  els.findingsTitle.textContent = t('findings.title', { n: fmtInt(list.length) });
  // An unreadable file has only its reason (shown above), so no list of findings.
  els.findingsTitle.hidden = status === 'unreadable';
  els.findingsHint.hidden = status === 'unreadable' || list.length === 0;
  const frag = document.createDocumentFragment();
  state.findingRows = [];
  for (const f of list) {
    const tr = document.createElement('tr');
    const level = levelOf(f);
    tr.className = `finding finding-${level}`;
    const tdLevel = cell('td', 'f-level');
    tdLevel.append(levelBadge(level));
    tr.append(tdLevel);
    tr.append(cell('td', 'f-cell', f.cell || '—'));
    const tdMsg = cell('td', 'f-message', f.message || '');
    // The rule, then where on the form, in the officer's words (the report's `place`).
    if (f.place) tdMsg.prepend(cell('span', 'f-place', f.place));
    if (f.rule) tdMsg.prepend(cell('span', 'f-rule', f.rule));
    tr.append(tdMsg);
    tr.append(cell('td', 'f-suggestion', f.suggestion || ''));
    frag.append(tr);
    state.findingRows.push({ tr, f });
  }
  els.findingsRows.replaceChildren(frag);
  els.findingsTable.hidden = list.length === 0 || status === 'unreadable';
  els.findingsNone.hidden = list.length > 0 || status === 'unreadable';
}

/** The File an entry came from: the server names it by the multipart file name the page sent;
 * should it have shortened that name, the one kept file with the same last part. */
function keptFileOf(entry) {
  const exact = state.files.find((f) => f.path === entry.file);
  if (exact) return exact;
  const base = splitPath(String(entry.file || '').replace(/\\/g, '/'))[1];
  const same = state.files.filter((f) => splitPath(f.path)[1] === base);
  return same.length === 1 ? same[0] : null;
}

/** The corrected form of one entry: POST its file again with ?preview=1 and pick the form with
 * the same sheet. Kept per file and options, so going back and forth costs nothing. */
async function loadPreview(row, seq) {
  const e = row.entry;
  const opts = optionParams({ preview: '1' });
  const key = `${row.index}|${opts}`;
  const kept = keptFileOf(e);
  if (!kept) {
    els.previewStatus.textContent = t('preview.no_file');
    return;
  }
  let grid = state.previews.get(key);
  if (grid === undefined) {
    els.previewStatus.textContent = t('preview.loading');
    els.previewStatus.className = 'preview-status is-loading';
    try {
      const resp = await fetch(`/api/check?${opts}`, {
        method: 'POST',
        headers: authHeaders(),
        body: filesForm([kept]),
      });
      const body = await resp.text();
      if (seq !== state.detailSeq) return;
      if (!resp.ok) {
        els.previewStatus.className = 'preview-status';
        els.previewStatus.textContent = '';
        showMessage(errorSentence(resp.status, body));
        return;
      }
      const doc = JSON.parse(body);
      const forms = (doc.files || []).filter((x) => x.read !== false);
      const same = forms.find((x) => (x.sheet ?? null) === (e.sheet ?? null)) || (forms.length === 1 ? forms[0] : null);
      grid = same && same.preview ? same.preview : null;
      state.previews.set(key, grid);
    } catch (_) {
      if (seq !== state.detailSeq) return;
      els.previewStatus.className = 'preview-status';
      els.previewStatus.textContent = '';
      showMessage(unreachable());
      return;
    }
  }
  if (seq !== state.detailSeq) return;
  els.previewStatus.className = 'preview-status';
  els.previewStatus.textContent = grid ? '' : t('preview.none');
  if (grid) renderPreview(grid);
}

/** Column widths of the preview: Excel's widths, scaled down (never up) so that the whole form
 * fits its panel, as Excel's "fit to page width" would. */
function fitPreview() {
  const table = els.previewWrap.querySelector('table.sheet');
  if (!table) return;
  const widths = (state.previewWidths || []).map((w) => Math.max(4, w));
  const chars = widths.reduce((a, b) => a + b, 0);
  if (!chars) return;
  const room = els.previewWrap.clientWidth - 26;
  const perChar = Math.max(MIN_PX_PER_CHAR, Math.min(PX_PER_CHAR, room / chars));
  let total = 0;
  table.querySelectorAll('col').forEach((col, i) => {
    const px = Math.floor(widths[i] * perChar);
    col.style.width = `${px}px`;
    total += px;
  });
  table.style.width = `${total}px`;
}

function renderPreview(grid) {
  const table = document.createElement('table');
  table.className = 'sheet';
  if (grid.sheet) table.setAttribute('aria-label', grid.sheet);
  const colgroup = document.createElement('colgroup');
  for (let i = 0; i < (grid.widths || []).length; i++) colgroup.append(document.createElement('col'));
  table.append(colgroup);
  state.previewWidths = grid.widths || [];

  const byField = new Map();
  const bySource = new Map();
  const cellData = new WeakMap();
  const tbody = document.createElement('tbody');
  for (const r of grid.rows || []) {
    const tr = document.createElement('tr');
    if (r.height) tr.style.height = `${Math.round(r.height * PX_PER_PT)}px`;
    for (const c of r.cells || []) {
      const td = document.createElement('td');
      if (c.rowspan > 1) td.rowSpan = c.rowspan;
      if (c.colspan > 1) td.colSpan = c.colspan;
      const classes = [`role-${c.role || 'value'}`];
      if (c.mark) classes.push(`mark-${c.mark}`);
      td.className = classes.join(' ');
      td.textContent = c.text ?? '';
      if (c.field) {
        td.dataset.field = c.field;
        if (!byField.has(c.field)) byField.set(c.field, td);
      }
      if (c.source) {
        td.dataset.source = c.source;
        if (!bySource.has(c.source)) bySource.set(c.source, td);
      }
      if (c.mark) td.dataset.mark = c.mark;
      if (c.mark || c.note) {
        td.tabIndex = 0;
        cellData.set(td, c);
      }
      tr.append(td);
    }
    tbody.append(tr);
  }
  table.append(tbody);
  state.cellIndex = { byField, bySource, cellData };
  els.previewWrap.replaceChildren(table);
  fitPreview();

  // Link each finding to its cell: by field, else by the input cell it came from.
  for (const fr of state.findingRows) {
    const td = (fr.f.field && byField.get(fr.f.field)) || (fr.f.cell && bySource.get(fr.f.cell)) || null;
    fr.td = td;
    fr.tr.classList.toggle('is-linked', !!td);
    fr.tr.tabIndex = td ? 0 : -1;
    if (td) fr.tr.title = t('findings.show_cell');
  }
}

function findingRowOf(el) {
  const tr = el.closest('tr.finding');
  return tr ? state.findingRows.find((fr) => fr.tr === tr) : null;
}

function showFindingCell(fr) {
  if (!fr || !fr.td) return;
  for (const el of document.querySelectorAll('.is-target')) el.classList.remove('is-target');
  const td = fr.td;
  // Restart the outline's animation even when the same cell is chosen twice.
  void td.offsetWidth;
  td.classList.add('is-target');
  fr.tr.classList.add('is-target');
  td.scrollIntoView({ block: 'center', inline: 'nearest' });
  showTip(td);
}

function showCellFindings(td) {
  const related = state.findingRows.filter((fr) => fr.td === td);
  if (related.length === 0) return;
  for (const el of document.querySelectorAll('.is-target')) el.classList.remove('is-target');
  td.classList.add('is-target');
  for (const fr of related) fr.tr.classList.add('is-target');
  related[0].tr.scrollIntoView({ block: 'nearest' });
}

// ---------------------------------------------------------------------------------------------
// The tooltip of a preview cell: its original value and messages (the cell's note).

function placeTip(td) {
  const r = td.getBoundingClientRect();
  if (r.bottom < 0 || r.top > window.innerHeight) {
    hideTip();
    return;
  }
  const tip = els.tip.getBoundingClientRect();
  let left = r.left;
  if (left + tip.width > window.innerWidth - 8) left = window.innerWidth - tip.width - 8;
  let top = r.bottom + 6;
  if (top + tip.height > window.innerHeight - 8) top = r.top - tip.height - 6;
  els.tip.style.left = `${Math.max(8, left)}px`;
  els.tip.style.top = `${Math.max(8, top)}px`;
}

function showTip(td) {
  const c = state.cellIndex && state.cellIndex.cellData.get(td);
  if (!c) return;
  const parts = [];
  if (c.mark) parts.push(cell('span', `tip-mark tip-${c.mark}`, t(`legend.${c.mark}`)));
  if (c.note) parts.push(cell('span', 'tip-note', c.note));
  if (c.source) parts.push(cell('span', 'tip-source', t('preview.source', { cell: c.source })));
  els.tip.replaceChildren(...parts);
  els.tip.hidden = false;
  td.setAttribute('aria-describedby', 'tip');
  state.tipCell = td;
  placeTip(td);
}

function hideTip() {
  if (state.tipCell) state.tipCell.removeAttribute('aria-describedby');
  state.tipCell = null;
  if (els.tip) els.tip.hidden = true;
}

// ---------------------------------------------------------------------------------------------
// Language and options

async function setLang(lang) {
  if (lang === state.lang && state.info) return;
  let info;
  try {
    info = await fetchInfo(lang);
  } catch (err) {
    showMessage(err instanceof ServerSaid ? err.message : unreachable());
    return;
  }
  state.lang = lang;
  try {
    localStorage.setItem('jixiao.lang', lang);
  } catch (_) {
    // not kept: fine
  }
  applyInfo(info);
  // A check under way, or results, in the old language are checked again in the new one.
  if (state.xhr) runCheck(state.pending.files, state.pending.reopen);
  else if (state.report && state.files.length) recheck();
}

function applyInfo(info) {
  state.info = info;
  state.text = info.text || {};
  collator = new Intl.Collator(state.lang === 'zh' ? 'zh-Hans-CN' : 'en', { numeric: true, sensitivity: 'base' });
  renderStaticText();
}

/** Check the same files again (new language or options), reopening the open form. */
function recheck() {
  if (!state.files.length) return;
  hideMessage();
  const d = state.detail && state.detail.entry;
  runCheck(state.files, d ? { file: d.file, sheet: d.sheet ?? null } : null);
}

// ---------------------------------------------------------------------------------------------
// Wiring

function bind() {
  for (const id of [
    'message', 'message-text', 'message-close', 'main', 'intake', 'dropzone', 'pick-files', 'pick-folder',
    'input-files', 'input-folder', 'formats', 'limits', 'progress', 'progress-label', 'progress-track',
    'progress-bar', 'cancel', 'results', 'results-title', 'summary-line', 'skipped', 'filters', 'search', 'rows',
    'table-wrap', 'no-match', 'detail', 'back', 'detail-title', 'detail-status', 'detail-meta',
    'detail-counts', 'dl-one', 'findings-title', 'findings-hint', 'findings-table', 'findings-rows',
    'findings-none', 'unreadable-box', 'unreadable-reason', 'unreadable-advice', 'preview-card', 'preview-status',
    'preview-wrap', 'tip', 'drag-overlay', 'recheck', 'template-buttons', 'tool-version',
    'dl-all', 'dl-merge', 'merge-forms', 'dl-csv', 'csv-encoding', 'dl-report', 'steps',
  ]) {
    els[id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = $(id);
  }
  els.year = $('opt-year');
  els.minSat = $('opt-minsat');

  els.messageClose.addEventListener('click', hideMessage);

  els.pickFiles.addEventListener('click', () => els.inputFiles.click());
  els.pickFolder.addEventListener('click', () => els.inputFolder.click());
  els.inputFiles.addEventListener('change', () => {
    const files = filesFromPicker(els.inputFiles.files);
    els.inputFiles.value = '';
    takeFiles(files);
  });
  els.inputFolder.addEventListener('change', () => {
    const files = filesFromFolderPicker(els.inputFolder.files);
    els.inputFolder.value = '';
    takeFiles(files);
  });
  els.cancel.addEventListener('click', () => state.xhr && state.xhr.abort());

  // Drag and drop anywhere on the page: a file dropped outside the zone must not make the
  // browser open it in place of the page.
  let depth = 0;
  const hasFiles = (ev) => ev.dataTransfer && [...ev.dataTransfer.types].includes('Files');
  window.addEventListener('dragenter', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    depth += 1;
    els.dragOverlay.hidden = false;
    els.dropzone.classList.add('is-over');
  });
  window.addEventListener('dragover', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    ev.dataTransfer.dropEffect = 'copy';
  });
  const endDrag = () => {
    depth = 0;
    els.dragOverlay.hidden = true;
    els.dropzone.classList.remove('is-over');
  };
  window.addEventListener('dragleave', () => {
    if (els.dragOverlay.hidden) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) endDrag();
  });
  // A drag cancelled outside the window sends no dragleave to the page; the next mouse move
  // (no mouse events arrive during a drag) takes the overlay away.
  window.addEventListener('dragend', endDrag);
  window.addEventListener('mousemove', () => {
    if (!els.dragOverlay.hidden) endDrag();
  });
  window.addEventListener('drop', (ev) => {
    if (!ev.dataTransfer) return;
    ev.preventDefault();
    endDrag();
    if (!state.info || els.main.hidden) return;
    // Entries must be taken now: the DataTransfer is emptied when this handler returns.
    const items = [...(ev.dataTransfer.items || [])].filter((i) => i.kind === 'file');
    const entries = items.map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null)).filter(Boolean);
    const plain = [...(ev.dataTransfer.files || [])];
    filesFromDrop(entries.length === items.length ? entries : [], plain).then(takeFiles, () =>
      showMessage(t('drop.read_failed')),
    );
  });

  for (const b of document.querySelectorAll('.lang-btn')) {
    b.addEventListener('click', () => setLang(b.dataset.lang));
  }
  els.recheck.addEventListener('click', recheck);
  for (const input of [els.year, els.minSat]) {
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && state.report) recheck();
    });
  }

  els.filters.addEventListener('click', (ev) => {
    const b = ev.target.closest('.filter');
    if (!b) return;
    state.filter = b.dataset.filter;
    for (const x of els.filters.querySelectorAll('.filter')) {
      x.setAttribute('aria-pressed', String(x === b));
    }
    renderTable();
  });
  els.search.addEventListener('input', () => {
    state.search = els.search.value;
    renderTable();
  });
  for (const th of document.querySelectorAll('#results-table th[data-sort]')) {
    th.querySelector('button').addEventListener('click', () => {
      const key = th.dataset.sort;
      state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
      renderSortMarks();
      renderTable();
    });
  }
  els.rows.addEventListener('click', (ev) => {
    const row = rowOfElement(ev.target);
    if (row) openDetail(row);
  });
  els.rows.addEventListener('keydown', onRowsKey);
  let windowing = false;
  els.tableWrap.addEventListener('scroll', () => {
    if (windowing || state.visible.length <= WINDOW_ALL) return;
    windowing = true;
    requestAnimationFrame(() => {
      windowing = false;
      renderWindow();
    });
  }, { passive: true });
  els.rows.addEventListener('focusin', (ev) => {
    const row = rowOfElement(ev.target);
    if (row && row !== state.activeRow) setActiveRow(row, false);
  });

  els.back.addEventListener('click', () => closeDetail());
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      if (!els.tip.hidden) hideTip();
      else if (!els.detail.hidden) closeDetail();
    }
  });
  els.findingsRows.addEventListener('click', (ev) => showFindingCell(findingRowOf(ev.target)));
  els.findingsRows.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      showFindingCell(findingRowOf(ev.target));
    }
  });
  els.previewWrap.addEventListener('mouseover', (ev) => {
    const td = ev.target.closest('td');
    if (td && td !== state.tipCell) {
      if (state.cellIndex && state.cellIndex.cellData.has(td)) showTip(td);
      else hideTip();
    }
  });
  els.previewWrap.addEventListener('mouseleave', hideTip);
  els.previewWrap.addEventListener('focusin', (ev) => {
    const td = ev.target.closest('td');
    if (td) showTip(td);
  });
  els.previewWrap.addEventListener('focusout', hideTip);
  els.previewWrap.addEventListener('click', (ev) => {
    const td = ev.target.closest('td');
    if (td) showCellFindings(td);
  });
  window.addEventListener('scroll', () => state.tipCell && placeTip(state.tipCell), { passive: true, capture: true });
  let resizing = false;
  window.addEventListener('resize', () => {
    if (resizing) return;
    resizing = true;
    requestAnimationFrame(() => {
      resizing = false;
      fitPreview();
      if (state.tipCell) placeTip(state.tipCell);
    });
  });

  // Downloads: each posts the kept files again; the server keeps nothing between requests.
  els.dlOne.addEventListener('click', () => {
    const e = state.detail && state.detail.entry;
    const kept = e && keptFileOf(e);
    if (!kept) return;
    const extra = { to: 'xlsx' };
    if (e.sheet) extra.sheet = e.sheet;
    download(els.dlOne, `/api/convert?${optionParams(extra)}`, { files: [kept], fallbackName: 'jixiao.xlsx' });
  });
  els.dlAll.addEventListener('click', () =>
    download(els.dlAll, `/api/convert?${optionParams({ to: 'xlsx' })}`, { files: state.files, fallbackName: 'jixiao.zip' }),
  );
  els.dlMerge.addEventListener('click', () =>
    download(els.dlMerge, `/api/merge?${optionParams({ to: 'xlsx', forms: els.mergeForms.checked ? '1' : '0' })}`, {
      files: state.files,
      fallbackName: 'jixiao-merge.xlsx',
    }),
  );
  els.dlCsv.addEventListener('click', () =>
    download(els.dlCsv, `/api/merge?${optionParams({ to: 'csv', encoding: els.csvEncoding.value })}`, {
      files: state.files,
      fallbackName: 'jixiao-indicators.csv',
    }),
  );
  els.dlReport.addEventListener('click', () => {
    if (!state.reportText) return;
    saveBlob(new Blob([state.reportText], { type: 'application/json' }), 'jixiao-report.json');
  });
}

async function boot() {
  bind();
  try {
    applyInfo(await fetchInfo(state.lang));
  } catch (err) {
    document.body.classList.remove('booting');
    showMessage(err instanceof ServerSaid ? err.message : FALLBACK_UNREACHABLE[state.lang]);
    return;
  }
  document.body.classList.remove('booting');
  els.main.hidden = false;
  document.body.dataset.ready = 'true';
}

boot();
