//! Which templates a run has: a rule of the batch, the same through both doors.
//!
//! The built-in templates, and before them the template files a run is given, in this order:
//! every `--template FILE` (the option may be repeated), then every `*.toml` of the folder of
//! `--templates DIR` (in name order); when neither option is given, every `*.toml` of the
//! folder the environment variable [`TEMPLATES_VAR`] names. A file given replaces the built-in
//! template of the same id (it is not kept behind it); two files given with one id are refused,
//! as no one could tell which is meant. On the page, a template file uploaded among the forms
//! (`.toml`) is a template of that request ([`add_uploaded`], called by
//! [`Batch::of_files`](super::Batch::of_files)), before the server's own.
//!
//! A template file that cannot be read, or is no template, stops the run before anything is
//! read: a form read with the wrong templates would give wrong findings.

use std::path::{Path, PathBuf};

use crate::messages::{self, Lang};
use crate::os_error::{Access, OsError, Thing};
use crate::read::ReadError;
use crate::template::{Template, TemplateError};

use super::File;

/// The environment variable naming a folder of template files, used when the command line
/// gives no `--template` and no `--templates`.
pub const TEMPLATES_VAR: &str = "JIXIAO_TEMPLATES";

/// The extension of a template file.
pub const EXTENSION: &str = "toml";

/// Where a run's template files are: what the door was given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    /// `--template FILE`, each, in the order given.
    pub files: Vec<PathBuf>,
    /// `--templates DIR`.
    pub folder: Option<PathBuf>,
    /// The folder of [`TEMPLATES_VAR`], if it is set (and not empty).
    pub env_folder: Option<PathBuf>,
}

/// Which option gave a folder of templates, for the sentence that names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderSource {
    /// `--templates DIR`.
    Option,
    /// [`TEMPLATES_VAR`].
    Env,
}

impl FolderSource {
    fn words(self, lang: Lang) -> &'static str {
        match self {
            FolderSource::Option => messages::template::SOURCE_OPTION.get(lang),
            FolderSource::Env => messages::template::SOURCE_ENV.get(lang),
        }
    }
}

/// Why the template files of a run gave no templates.
#[derive(Debug)]
pub enum TemplateFileError {
    /// The id of a built-in template where a file is expected (`--template gz-dept-overall`).
    IsAnId(String),
    /// A file of `--template` could not be read.
    Unreadable { file: String, error: OsError },
    /// A file of a template folder could not be read.
    InFolderUnreadable { file: String, error: OsError },
    /// The folder of `--templates` or of [`TEMPLATES_VAR`] could not be listed.
    Folder {
        source: FolderSource,
        dir: String,
        error: OsError,
    },
    /// The folder holds no template file.
    EmptyFolder { source: FolderSource, dir: String },
    /// An uploaded template file could not be taken (over the per-file limit).
    Upload(ReadError),
    /// An uploaded template file is not UTF-8 text.
    NotText { file: String },
    /// Two files given with one id.
    SameId {
        id: String,
        first: String,
        second: String,
    },
    /// The file is no template.
    Bad(TemplateError),
}

impl TemplateFileError {
    /// The sentence in `lang`, with what to do next.
    pub fn message(&self, lang: Lang) -> String {
        use messages::template as m;
        let os =
            |error: &OsError, path: &str, thing| error.message(lang, path, Access::Read, thing);
        match self {
            TemplateFileError::IsAnId(id) => m::IS_AN_ID.render(lang, &[("id", id)]),
            TemplateFileError::Unreadable { file, error } => {
                let reason = os(error, file, Thing::File);
                m::UNREADABLE.render(lang, &[("reason", &reason)])
            }
            TemplateFileError::InFolderUnreadable { file, error } => {
                let reason = os(error, file, Thing::File);
                m::FILE_UNREADABLE.render(lang, &[("reason", &reason)])
            }
            TemplateFileError::Folder { source, dir, error } => {
                let reason = os(error, dir, Thing::Folder);
                m::FOLDER_UNREADABLE
                    .render(lang, &[("source", source.words(lang)), ("reason", &reason)])
            }
            TemplateFileError::EmptyFolder { source, dir } => {
                m::EMPTY_FOLDER.render(lang, &[("source", source.words(lang)), ("dir", dir)])
            }
            TemplateFileError::Upload(e) => {
                m::FILE_UNREADABLE.render(lang, &[("reason", &e.message(lang))])
            }
            TemplateFileError::NotText { file } => m::NOT_TEXT.render(lang, &[("file", file)]),
            TemplateFileError::SameId { id, first, second } => {
                m::SAME_ID.render(lang, &[("id", id), ("first", first), ("second", second)])
            }
            TemplateFileError::Bad(e) => {
                m::BAD.render(lang, &[("file", &e.file), ("detail", &e.detail)])
            }
        }
    }
}

/// A template file, by its name: `*.toml`, in any case.
pub fn is_template_file(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(EXTENSION))
}

/// The templates of a run given `sources` (the rule of this module): the files given, then
/// the built-in templates they do not replace.
pub fn templates(sources: &Sources) -> Result<Vec<Template>, TemplateFileError> {
    let builtin = Template::builtin();
    let mut given = Vec::new();
    for path in &sources.files {
        let file = path.display().to_string();
        let t = template_file(path).map_err(|e| match e {
            TemplateFileError::Unreadable { .. }
                if !path.exists() && builtin.iter().any(|t| t.id == file) =>
            {
                TemplateFileError::IsAnId(file.clone())
            }
            other => other,
        })?;
        given.push((file, t));
    }
    let folder = match (&sources.folder, sources.files.is_empty()) {
        (Some(dir), _) => Some((dir, FolderSource::Option)),
        (None, true) => sources.env_folder.as_ref().map(|d| (d, FolderSource::Env)),
        (None, false) => None,
    };
    if let Some((dir, source)) = folder {
        given.extend(folder_templates(dir, source)?);
    }
    with_builtin(given, builtin)
}

/// The template of one file given by name (`--template`, `template --check`).
pub fn template_file(path: &Path) -> Result<Template, TemplateFileError> {
    let file = path.display().to_string();
    let text = crate::inputs::read_text(path).map_err(|e| TemplateFileError::Unreadable {
        file: file.clone(),
        error: OsError::of(&e),
    })?;
    Template::parse(&file, &text).map_err(TemplateFileError::Bad)
}

/// The templates of every `*.toml` in `dir`, in name order.
fn folder_templates(
    dir: &Path,
    source: FolderSource,
) -> Result<Vec<(String, Template)>, TemplateFileError> {
    let shown = dir.display().to_string();
    let paths = crate::inputs::files_with_extension(dir, EXTENSION).map_err(|e| {
        TemplateFileError::Folder {
            source,
            dir: shown.clone(),
            error: OsError::of(&e),
        }
    })?;
    if paths.is_empty() {
        return Err(TemplateFileError::EmptyFolder { source, dir: shown });
    }
    paths
        .iter()
        .map(|path| {
            let file = path.display().to_string();
            let text = crate::inputs::read_text(path).map_err(|e| {
                TemplateFileError::InFolderUnreadable {
                    file: file.clone(),
                    error: OsError::of(&e),
                }
            })?;
            let t = Template::parse(&file, &text).map_err(TemplateFileError::Bad)?;
            Ok((file, t))
        })
        .collect()
}

/// `given` (each with the file it is from) first, in order, then the templates of `rest` whose
/// id none of `given` has; two of `given` with one id are refused.
fn with_builtin(
    given: Vec<(String, Template)>,
    rest: Vec<Template>,
) -> Result<Vec<Template>, TemplateFileError> {
    for (i, (file, t)) in given.iter().enumerate() {
        if let Some((other, _)) = given[..i].iter().find(|(_, o)| o.id == t.id) {
            return Err(TemplateFileError::SameId {
                id: t.id.clone(),
                first: other.clone(),
                second: file.clone(),
            });
        }
    }
    let mut all: Vec<Template> = given.into_iter().map(|(_, t)| t).collect();
    let taken: Vec<String> = all.iter().map(|t| t.id.clone()).collect();
    all.extend(rest.into_iter().filter(|t| !taken.contains(&t.id)));
    Ok(all)
}

/// The template files uploaded with a batch, put before `templates` (a server's), replacing
/// the ones of the same id, for that batch only.
pub fn add_uploaded(
    templates: &mut Vec<Template>,
    files: Vec<File>,
) -> Result<(), TemplateFileError> {
    if files.is_empty() {
        return Ok(());
    }
    let given = files
        .into_iter()
        .map(|f| {
            let bytes = f.bytes.map_err(TemplateFileError::Upload)?;
            let text = String::from_utf8(bytes).map_err(|_| TemplateFileError::NotText {
                file: f.name.clone(),
            })?;
            let t = Template::parse(&f.name, &text).map_err(TemplateFileError::Bad)?;
            Ok((f.name, t))
        })
        .collect::<Result<Vec<_>, _>>()?;
    *templates = with_builtin(given, std::mem::take(templates))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin_text(id: &str) -> String {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("templates/{id}.toml")),
        )
        .unwrap()
    }

    /// `gz-dept-overall`'s file with another id.
    fn renamed(id: &str) -> String {
        builtin_text("gz-dept-overall")
            .replace("id = \"gz-dept-overall\"", &format!("id = \"{id}\""))
    }

    fn ids(templates: &[Template]) -> Vec<&str> {
        templates.iter().map(|t| t.id.as_str()).collect()
    }

    /// Regression: `template --template FILE` kept the built-in of the same id behind the file.
    #[test]
    fn a_template_file_replaces_the_builtin_of_its_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gz.toml");
        std::fs::write(&path, builtin_text("gz-dept-overall")).unwrap();
        let sources = Sources {
            files: vec![path],
            ..Sources::default()
        };
        let all = templates(&sources).unwrap();
        assert_eq!(all.len(), Template::builtin().len());
        assert_eq!(all.iter().filter(|t| t.id == "gz-dept-overall").count(), 1);
        assert_eq!(all[0].id, "gz-dept-overall");
    }

    /// The files of `--template`, then the folder's, then the built-in ones; the folder of the
    /// environment only when neither option is given.
    #[test]
    fn files_then_the_folder_then_the_builtin_ones() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("folder")).unwrap();
        std::fs::create_dir_all(d.join("env")).unwrap();
        std::fs::write(d.join("one.toml"), renamed("one")).unwrap();
        std::fs::write(d.join("folder/b.toml"), renamed("b")).unwrap();
        std::fs::write(d.join("folder/a.TOML"), renamed("a")).unwrap();
        std::fs::write(d.join("folder/notes.txt"), "x").unwrap();
        std::fs::write(d.join("env/e.toml"), renamed("e")).unwrap();
        let n = Template::builtin().len();
        let sources = |files: &[&str], folder: Option<&str>| Sources {
            files: files.iter().map(|f| d.join(f)).collect(),
            folder: folder.map(|f| d.join(f)),
            env_folder: Some(d.join("env")),
        };
        let all = templates(&sources(&["one.toml"], Some("folder"))).unwrap();
        assert_eq!(ids(&all)[..3], ["one", "a", "b"]);
        assert_eq!(all.len(), 3 + n);
        let all = templates(&sources(&[], None)).unwrap();
        assert_eq!(ids(&all)[..1], ["e"]);
        assert_eq!(all.len(), 1 + n);
        let all = templates(&sources(&["one.toml"], None)).unwrap();
        assert_eq!(ids(&all)[..1], ["one"]);
        assert_eq!(all.len(), 1 + n);
        let all = templates(&Sources::default()).unwrap();
        assert_eq!(ids(&all), ids(&Template::builtin()));
    }

    #[test]
    fn what_cannot_be_used_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("empty")).unwrap();
        std::fs::write(d.join("x.toml"), renamed("x")).unwrap();
        std::fs::write(d.join("y.toml"), renamed("x")).unwrap();
        let err = |s: Sources, lang| {
            templates(&s)
                .unwrap_err()
                .message(lang)
                .replace(&format!("{}/", d.display()), "")
        };
        let folder = |f: &str| Sources {
            folder: Some(d.join(f)),
            ..Sources::default()
        };
        assert_eq!(
            err(folder("empty"), Lang::Zh),
            "--templates 给出的文件夹 empty 中没有模板文件（.toml）"
        );
        assert_eq!(
            err(
                Sources {
                    env_folder: Some(d.join("none")),
                    ..Sources::default()
                },
                Lang::En
            ),
            "the template folder given by the environment variable JIXIAO_TEMPLATES cannot be read: the folder none does not exist"
        );
        assert_eq!(
            err(
                Sources {
                    files: vec![d.join("x.toml"), d.join("y.toml")],
                    ..Sources::default()
                },
                Lang::Zh
            ),
            "模板文件 x.toml 和 y.toml 的模板名称（id）都是 x：请只保留其中一个，或改掉其中一个的 id"
        );
    }

    /// An uploaded template file is a template of its batch, before the server's; one that is
    /// no template is said, naming the file.
    #[test]
    fn uploaded_template_files() {
        let mut all = Template::builtin();
        let upload = |name: &str, text: &str| File {
            name: name.into(),
            bytes: Ok(text.as_bytes().to_vec()),
        };
        add_uploaded(&mut all, vec![upload("部门A/my.toml", &renamed("my"))]).unwrap();
        assert_eq!(all[0].id, "my");
        assert_eq!(all.len(), Template::builtin().len() + 1);
        let e = add_uploaded(&mut all, vec![upload("坏.toml", "id = ")]).unwrap_err();
        assert!(
            e.message(Lang::Zh).starts_with("模板文件 坏.toml 无效："),
            "{}",
            e.message(Lang::Zh)
        );
        let bad = File {
            name: "gbk.toml".into(),
            bytes: Ok(vec![0xB2, 0xBF, 0xC3, 0xC5]),
        };
        assert_eq!(
            add_uploaded(&mut all, vec![bad]).unwrap_err().message(Lang::Zh),
            "模板文件 gbk.toml 不是 UTF-8 编码的文本，无法读取。请用文本编辑器另存为 UTF-8 编码后重试"
        );
        assert!(
            is_template_file("a/B.TOML")
                && !is_template_file("toml")
                && !is_template_file("a.xlsx")
        );
    }
}
