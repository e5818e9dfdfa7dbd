//! Long texts cut while XML streams by, before any XML parser buffers them.
//!
//! An XML parser (quick-xml, inside calamine and in the ODS reader) holds a whole text node in
//! memory before anyone can look at it: one cell of 60 MB of text became 60 MB, then copies of
//! it, then hundreds of megabytes. The [`Cutter`] sits between the decompressed bytes and the
//! parser. It passes the XML through unchanged except that the text of one item (a shared
//! string, a cell's value, a cell of an ODS sheet; anywhere else, one text node) is cut after
//! [`KEPT_UNITS`] characters as written, never inside a character or an entity, and it refuses
//! a tag, comment or DOCTYPE longer than [`MAX_TAG_BYTES`] (no real file has one). What is kept
//! still decodes to more than [`MAX_CELL_CHARS`] characters, so the reader's own cut
//! (`Sheet::set`) sees the cell as too long, cuts it to that and records it.

use std::io::{self, Read, Write};

use super::MAX_CELL_CHARS;

/// Characters as written (UTF-8 sequences, each byte of an entity) kept of one text item: ten
/// for each character a cell may hold, plus ten. The longest spelling of one character is ten
/// bytes (`&#x10FFFF;`), so what is kept decodes to more than [`MAX_CELL_CHARS`] characters.
pub(super) const KEPT_UNITS: usize = 10 * (MAX_CELL_CHARS + 1);

/// A tag with its attributes, a DOCTYPE, or the start of a markup longer than this is refused.
pub(super) const MAX_TAG_BYTES: usize = 64 * 1024;

/// What went through a [`Cutter`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Report {
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// Start and empty tags.
    pub elements: u64,
    /// Start and empty tags of the element named by [`Cutter::new`]'s `count`.
    pub counted: u64,
    /// Whether any text was cut.
    pub cut: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    /// After `<`, until the markup is known or the tag ends.
    Markup,
    Comment,
    CData,
    Pi,
    Doctype,
}

/// A streaming filter over XML bytes; see the module documentation.
pub(super) struct Cutter {
    /// Local names of the elements whose text, all together, is one item.
    items: &'static [&'static str],
    count: &'static str,
    /// Refuse the input past this many bytes.
    max_in: u64,
    state: State,
    tag: Vec<u8>,
    quote: u8,
    depth: usize,
    item_depth: Option<usize>,
    /// Characters as written so far in the current item.
    units: usize,
    cutting: bool,
    /// Bytes into an entity (`&...;`), 0 outside one.
    entity: u8,
    /// The last two bytes of a comment, CDATA section or processing instruction, and whether
    /// the last was dropped.
    tail: [u8; 2],
    tail_dropped: bool,
    /// Characters of the current comment or processing instruction, bytes of a DOCTYPE.
    content: usize,
    /// Whether the rest of a comment or processing instruction is dropped.
    dropping: bool,
    brackets: usize,
    pub report: Report,
}

impl Cutter {
    pub(super) fn new(items: &'static [&'static str], count: &'static str, max_in: u64) -> Cutter {
        Cutter {
            items,
            count,
            max_in,
            state: State::Text,
            tag: Vec::new(),
            quote: 0,
            depth: 0,
            item_depth: None,
            units: 0,
            cutting: false,
            entity: 0,
            tail: [0; 2],
            tail_dropped: false,
            content: 0,
            dropping: false,
            brackets: 0,
            report: Report::default(),
        }
    }

    /// Pass `input` (the next bytes of the document) through to `out`, cut.
    pub(super) fn feed(&mut self, mut input: &[u8], out: &mut impl Write) -> Result<(), String> {
        self.report.bytes_in += input.len() as u64;
        if self.report.bytes_in > self.max_in {
            return Err(format!("it inflates to more than {} MB", self.max_in >> 20));
        }
        while !input.is_empty() {
            let used = match self.state {
                State::Text => {
                    let end = input.iter().position(|&b| b == b'<');
                    let text = &input[..end.unwrap_or(input.len())];
                    self.text(text, out)?;
                    match end {
                        Some(at) => {
                            self.start_markup();
                            at + 1
                        }
                        None => input.len(),
                    }
                }
                State::Markup => self.markup(input, out)?,
                _ => self.content(input, out)?,
            };
            input = &input[used..];
        }
        Ok(())
    }

    fn write(&mut self, out: &mut impl Write, bytes: &[u8]) -> Result<(), String> {
        self.report.bytes_out += bytes.len() as u64;
        out.write_all(bytes).map_err(|e| e.to_string())
    }

    /// Whether a byte starts a character (is not a UTF-8 continuation byte).
    fn starts_char(b: u8) -> bool {
        b & 0xC0 != 0x80
    }

    /// Text between markup: kept up to the item's limit, never cut inside an entity.
    fn text(&mut self, text: &[u8], out: &mut impl Write) -> Result<(), String> {
        if text.is_empty() {
            return Ok(());
        }
        if self.cutting {
            self.report.cut = true;
            return Ok(());
        }
        // Far from the limit and outside an entity: count, note an entity left open, pass on.
        if self.entity == 0 && self.units + text.len() < KEPT_UNITS {
            self.units += text.iter().filter(|&&b| Cutter::starts_char(b)).count();
            if let Some(at) = text.iter().rposition(|&b| b == b'&') {
                let after = &text[at + 1..];
                if !after.contains(&b';') && after.len() <= 16 {
                    self.entity = after.len() as u8 + 1;
                }
            }
            return self.write(out, text);
        }
        let mut keep = text.len();
        for (k, &b) in text.iter().enumerate() {
            if Cutter::starts_char(b) {
                if self.units >= KEPT_UNITS && self.entity == 0 {
                    keep = k;
                    self.cutting = true;
                    self.report.cut = true;
                    break;
                }
                self.units += 1;
            }
            if self.entity > 0 {
                self.entity = if b == b';' || self.entity > 16 {
                    0
                } else {
                    self.entity + 1
                };
            } else if b == b'&' {
                self.entity = 1;
            }
        }
        self.write(out, &text[..keep])
    }

    fn start_markup(&mut self) {
        self.state = State::Markup;
        self.tag.clear();
        self.tag.push(b'<');
        self.quote = 0;
        self.entity = 0;
        if self.item_depth.is_none() {
            self.units = 0;
            self.cutting = false;
        }
    }

    /// Collect a tag, or the opening of a comment, CDATA section, processing instruction or
    /// DOCTYPE; returns the bytes of `input` used.
    fn markup(&mut self, input: &[u8], out: &mut impl Write) -> Result<usize, String> {
        let mut k = 0;
        while k < input.len() {
            if self.tag.len() > MAX_TAG_BYTES {
                return Err(format!(
                    "it has a tag longer than {} KB",
                    MAX_TAG_BYTES >> 10
                ));
            }
            // The opening of a `<!` or `<?` markup, a byte at a time until it is known.
            if self.tag.len() < 2 || matches!(self.tag[1], b'!' | b'?') {
                self.tag.push(input[k]);
                k += 1;
                if self.tag.len() >= 2 && matches!(self.tag[1], b'!' | b'?') {
                    if let Some(state) = self.opening() {
                        let tag = std::mem::take(&mut self.tag);
                        self.write(out, &tag)?;
                        self.tag = tag;
                        self.state = state;
                        self.tail = [0; 2];
                        self.tail_dropped = false;
                        self.content = 0;
                        self.dropping = false;
                        self.brackets = 0;
                        return Ok(k);
                    }
                }
                continue;
            }
            // A tag: up to its `>`, quoted attribute values taken whole.
            let rest = &input[k..];
            let stop = if self.quote != 0 {
                rest.iter().position(|&b| b == self.quote)
            } else {
                rest.iter().position(|&b| matches!(b, b'>' | b'"' | b'\''))
            };
            let Some(at) = stop else {
                self.tag.extend_from_slice(rest);
                k = input.len();
                continue;
            };
            self.tag.extend_from_slice(&rest[..=at]);
            k += at + 1;
            match rest[at] {
                _ if self.quote != 0 => self.quote = 0,
                b'>' => {
                    if self.tag.len() > MAX_TAG_BYTES {
                        return Err(format!(
                            "it has a tag longer than {} KB",
                            MAX_TAG_BYTES >> 10
                        ));
                    }
                    self.end_tag(out)?;
                    self.state = State::Text;
                    return Ok(k);
                }
                quote => self.quote = quote,
            }
        }
        if self.tag.len() > MAX_TAG_BYTES {
            return Err(format!(
                "it has a tag longer than {} KB",
                MAX_TAG_BYTES >> 10
            ));
        }
        Ok(input.len())
    }

    /// What a markup starting with `<!` or `<?` turns out to be, once its opening is known.
    fn opening(&self) -> Option<State> {
        let t = self.tag.as_slice();
        if t.get(1) == Some(&b'?') {
            return Some(State::Pi);
        }
        for (opening, state) in [(&b"<!--"[..], State::Comment), (b"<![CDATA[", State::CData)] {
            if t.len() <= opening.len() && opening.starts_with(t) {
                return (t.len() == opening.len()).then_some(state);
            }
        }
        // `<!` and neither a comment nor CDATA: a DOCTYPE or another declaration.
        (t.len() > 2).then_some(State::Doctype)
    }

    /// A complete tag: track items and depth, count elements, pass it on.
    fn end_tag(&mut self, out: &mut impl Write) -> Result<(), String> {
        let tag = std::mem::take(&mut self.tag);
        let is_end = tag.get(1) == Some(&b'/');
        let is_empty = !is_end && tag.ends_with(b"/>");
        let from = if is_end { 2 } else { 1 };
        let to = tag[from..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .map_or(tag.len(), |p| from + p);
        let name = &tag[from..to];
        let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
        let is_item = self.items.iter().any(|i| i.as_bytes() == local);
        if is_end {
            if self.item_depth == Some(self.depth) {
                self.item_depth = None;
            }
            self.depth = self.depth.saturating_sub(1);
        } else {
            self.report.elements += 1;
            if local == self.count.as_bytes() {
                self.report.counted += 1;
            }
            if !is_empty {
                self.depth += 1;
                if self.item_depth.is_none() && is_item {
                    self.item_depth = Some(self.depth);
                    self.units = 0;
                    self.cutting = false;
                }
            }
        }
        if self.item_depth.is_none() {
            self.units = 0;
            self.cutting = false;
        }
        self.write(out, &tag)?;
        self.tag = tag;
        Ok(())
    }

    /// The inside of a comment, CDATA section, processing instruction or DOCTYPE, up to and
    /// with its end; returns the bytes of `input` used. CDATA is text of the item; a comment or
    /// processing instruction is cut like text; a DOCTYPE is refused past [`MAX_TAG_BYTES`].
    fn content(&mut self, input: &[u8], out: &mut impl Write) -> Result<usize, String> {
        let mut kept = Vec::with_capacity(input.len().min(64 * 1024));
        let mut used = input.len();
        for (k, &b) in input.iter().enumerate() {
            let (end, terminator): (bool, &[u8]) = match self.state {
                State::Comment => (b == b'>' && self.tail == *b"--", b"-->"),
                State::CData => (b == b'>' && self.tail == *b"]]", b"]]>"),
                State::Pi => (b == b'>' && self.tail[1] == b'?', b"?>"),
                _ => {
                    match b {
                        b'[' => self.brackets += 1,
                        b']' => self.brackets = self.brackets.saturating_sub(1),
                        _ => {}
                    }
                    (b == b'>' && self.brackets == 0, b">")
                }
            };
            if end {
                kept.extend_from_slice(if self.tail_dropped { terminator } else { b">" });
                self.state = State::Text;
                used = k + 1;
                break;
            }
            self.tail = [self.tail[1], b];
            let drop = match self.state {
                State::Doctype => {
                    self.content += 1;
                    if self.content > MAX_TAG_BYTES {
                        return Err(format!(
                            "it has a DOCTYPE longer than {} KB",
                            MAX_TAG_BYTES >> 10
                        ));
                    }
                    false
                }
                State::CData => {
                    if self.cutting {
                        true
                    } else if Cutter::starts_char(b) && self.units >= KEPT_UNITS {
                        self.cutting = true;
                        true
                    } else {
                        self.units += usize::from(Cutter::starts_char(b));
                        false
                    }
                }
                _ => {
                    self.content += usize::from(Cutter::starts_char(b));
                    if Cutter::starts_char(b) && self.content > KEPT_UNITS {
                        self.dropping = true;
                    }
                    self.dropping
                }
            };
            self.tail_dropped = drop;
            if drop {
                self.report.cut = true;
            } else {
                kept.push(b);
            }
        }
        self.write(out, &kept)?;
        Ok(used)
    }
}

/// A [`Read`] of XML with long texts cut by a [`Cutter`]; an input the cutter refuses is an
/// error of kind `InvalidData` with the reason.
pub(super) struct CutReader<R> {
    inner: R,
    pub cutter: Cutter,
    chunk: Vec<u8>,
    ready: Vec<u8>,
    at: usize,
}

impl<R: Read> CutReader<R> {
    pub(super) fn new(inner: R, cutter: Cutter) -> CutReader<R> {
        CutReader {
            inner,
            cutter,
            chunk: vec![0; 64 * 1024],
            ready: Vec::new(),
            at: 0,
        }
    }

    pub(super) fn get_ref(&self) -> &R {
        &self.inner
    }
}

impl<R: Read> Read for CutReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.ready.len() {
            let n = self.inner.read(&mut self.chunk)?;
            if n == 0 {
                return Ok(0);
            }
            self.ready.clear();
            self.at = 0;
            self.cutter
                .feed(&self.chunk[..n], &mut self.ready)
                .map_err(|why| io::Error::new(io::ErrorKind::InvalidData, why))?;
        }
        let n = buf.len().min(self.ready.len() - self.at);
        buf[..n].copy_from_slice(&self.ready[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feed `xml` in chunks of `step` bytes (to cross every boundary), return the output.
    fn cut(xml: &[u8], items: &'static [&'static str], step: usize) -> (Vec<u8>, Report) {
        let mut c = Cutter::new(items, "si", u64::MAX);
        let mut out = Vec::new();
        for chunk in xml.chunks(step) {
            c.feed(chunk, &mut out).expect("fed");
        }
        (out, c.report)
    }

    #[test]
    fn short_documents_pass_unchanged() {
        let xml = br#"<?xml version="1.0"?><!-- a > b --><sst a='x>y'><si><t>A &amp; B</t></si><si><t><![CDATA[<c>]]></t></si><si/></sst>"#;
        for step in [1, 2, 3, 7, 1000] {
            let (out, report) = cut(xml, &["si"], step);
            assert_eq!(out, xml, "step {step}");
            assert_eq!((report.elements, report.counted, report.cut), (6, 3, false));
        }
    }

    /// Guards the item limit: a shared string of rich-text runs is one item, cut after
    /// KEPT_UNITS characters as written across its runs; the next item starts afresh.
    #[test]
    fn an_item_is_cut_across_its_runs() {
        let run = "名".repeat(KEPT_UNITS / 2 + 10);
        let xml =
            format!("<sst><si><r><t>{run}</t></r><r><t>{run}</t></r></si><si><t>ok</t></si></sst>");
        for step in [4096, 65536] {
            let (out, report) = cut(xml.as_bytes(), &["si"], step);
            let out = String::from_utf8(out).expect("cut at a character boundary");
            assert!(report.cut);
            let first = out.split("</si>").next().unwrap_or("");
            assert_eq!(first.matches('名').count(), KEPT_UNITS, "step {step}");
            assert!(out.ends_with("<si><t>ok</t></si></sst>"), "step {step}");
        }
    }

    /// An entity is never split: the cut waits for its end.
    #[test]
    fn entities_are_kept_whole() {
        let text = format!("{}&#x10FFFF;tail", "a".repeat(KEPT_UNITS - 2));
        let xml = format!("<t>{text}</t>");
        let (out, _) = cut(xml.as_bytes(), &[], 5);
        let out = String::from_utf8(out).expect("utf-8");
        assert!(
            out.ends_with("&#x10FFFF;</t>"),
            "{}",
            &out[out.len() - 30..]
        );
    }

    /// Outside an item every text node is its own item; a long CDATA section and comment are
    /// cut and keep their ends, so the XML stays well formed.
    #[test]
    fn cdata_and_comments_keep_their_ends() {
        let long = "x".repeat(KEPT_UNITS + 100);
        let xml = format!("<a><![CDATA[{long}]]><!--{long}--><b>{long}</b></a>");
        let (out, report) = cut(xml.as_bytes(), &[], 777);
        assert!(report.cut);
        let out = String::from_utf8(out).expect("utf-8");
        let keep = "x".repeat(KEPT_UNITS);
        assert!(out.starts_with(&format!("<a><![CDATA[{keep}]]>")));
        assert!(out.contains("--><b>"));
        assert!(out.ends_with(&format!("<b>{keep}</b></a>")));
        let mut xml = quick_xml::Reader::from_str(&out);
        loop {
            match xml.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{e}"),
            }
        }
    }

    #[test]
    fn long_tags_and_inputs_are_refused() {
        let xml = format!("<c x=\"{}\"/>", "a".repeat(MAX_TAG_BYTES));
        let mut c = Cutter::new(&[], "", u64::MAX);
        assert_eq!(
            c.feed(xml.as_bytes(), &mut io::sink()),
            Err("it has a tag longer than 64 KB".into())
        );
        let mut c = Cutter::new(&[], "", 10);
        assert_eq!(
            c.feed(b"<a>0123456789</a>", &mut io::sink()),
            Err("it inflates to more than 0 MB".into())
        );
    }

    #[test]
    fn reader_streams_the_cut_document() {
        let long = "y".repeat(KEPT_UNITS * 2);
        let xml = format!("<a>{long}</a>");
        let mut r = CutReader::new(xml.as_bytes(), Cutter::new(&[], "", u64::MAX));
        let mut out = String::new();
        r.read_to_string(&mut out).expect("read");
        assert_eq!(out.len(), KEPT_UNITS + 7);
        assert!(r.cutter.report.cut);
    }
}
