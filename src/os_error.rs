//! An operating-system error (`std::io::Error`) as a sentence a finance officer can act on:
//! `文件夹 newdir/sub 不存在`, `没有权限写入 汇总.xlsx`, `磁盘已满`, never
//! `No such file or directory (os error 2)`.
//!
//! [`OsError::of`] reduces an error to a [`Problem`] once, where it happens, so that the error
//! types that carry it ([`crate::read::ReadError`], [`crate::write::WriteError`]) stay `Clone`
//! and `Eq` and are worded later, in the language of the run. The sentences are in
//! [`crate::messages::os`]. Every place where an `io::Error` reaches the user goes through here.

use std::io;

use crate::messages::{os as words, Lang};

/// What went wrong, reduced to the cases a person can do something about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Problem {
    /// The file or folder does not exist.
    NotFound,
    /// The user may not read or write it.
    NoPermission,
    /// No space left on the disk (or the user's quota is used up).
    DiskFull,
    /// Over the system's file size limit (`ulimit -f`, EFBIG).
    SizeLimit,
    /// The disk or share is read-only.
    ReadOnly,
    /// A folder where a file was expected.
    IsFolder,
    /// A file where a folder was expected, somewhere along the path.
    NotFolder,
    /// Another program holds the file (Excel or WPS has it open, on Windows).
    InUse,
    /// The name is too long or has characters the file system refuses.
    BadName,
    /// Anything else: the system's own words are shown.
    Other,
}

/// Whether the failing operation was reading or writing: the sentence says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// What the path names, for a path that does not exist: `文件 a.xlsx` or `文件夹 out`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thing {
    File,
    Folder,
}

/// An I/O error kept as data: the problem, and the system's own words for [`Problem::Other`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OsError {
    pub problem: Problem,
    /// The error as the system words it, shown only when the problem is [`Problem::Other`].
    pub detail: String,
}

impl OsError {
    /// The problem of `err`: by its kind, then by the raw error number for the cases the
    /// standard library files under `Other` or `Uncategorized` on some platform (a Windows
    /// sharing violation when Excel holds the file open, for instance).
    pub fn of(err: &io::Error) -> OsError {
        use io::ErrorKind as K;
        let problem = match err.kind() {
            K::NotFound => Problem::NotFound,
            K::PermissionDenied => Problem::NoPermission,
            K::StorageFull | K::QuotaExceeded => Problem::DiskFull,
            K::FileTooLarge => Problem::SizeLimit,
            K::ReadOnlyFilesystem => Problem::ReadOnly,
            K::IsADirectory => Problem::IsFolder,
            K::NotADirectory => Problem::NotFolder,
            K::ResourceBusy | K::ExecutableFileBusy => Problem::InUse,
            K::InvalidFilename => Problem::BadName,
            _ => err.raw_os_error().map_or(Problem::Other, by_number),
        };
        OsError {
            problem,
            detail: err.to_string(),
        }
    }

    /// The sentence for `path` in `lang`. `thing` says what a missing path was meant to be.
    pub fn message(&self, lang: Lang, path: &str, access: Access, thing: Thing) -> String {
        let text = match (self.problem, access, thing) {
            (Problem::NotFound, _, Thing::File) => words::NOT_FOUND_FILE,
            (Problem::NotFound, _, Thing::Folder) => words::NOT_FOUND_FOLDER,
            (Problem::NoPermission, Access::Read, _) => words::NO_PERMISSION_READ,
            (Problem::NoPermission, Access::Write, _) => words::NO_PERMISSION_WRITE,
            (Problem::DiskFull, _, _) => words::DISK_FULL,
            (Problem::SizeLimit, _, _) => words::SIZE_LIMIT,
            (Problem::ReadOnly, _, _) => words::READ_ONLY,
            (Problem::IsFolder, _, _) => words::IS_FOLDER,
            (Problem::NotFolder, _, _) => words::NOT_FOLDER,
            (Problem::InUse, _, _) => words::IN_USE,
            (Problem::BadName, _, _) => words::BAD_NAME,
            (Problem::Other, Access::Read, _) => words::OTHER_READ,
            (Problem::Other, Access::Write, _) => words::OTHER_WRITE,
        };
        text.render(lang, &[("path", path), ("detail", &self.detail)])
    }
}

/// Raw error numbers the standard library does not give a kind of their own everywhere.
#[cfg(windows)]
fn by_number(code: i32) -> Problem {
    match code {
        // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION, ERROR_USER_MAPPED_FILE
        32 | 33 | 1224 => Problem::InUse,
        // ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
        39 | 112 => Problem::DiskFull,
        // ERROR_WRITE_PROTECT
        19 => Problem::ReadOnly,
        // ERROR_INVALID_NAME, ERROR_FILENAME_EXCED_RANGE
        123 | 206 => Problem::BadName,
        _ => Problem::Other,
    }
}

/// Raw error numbers the standard library does not give a kind of their own everywhere.
#[cfg(not(windows))]
fn by_number(code: i32) -> Problem {
    // ENAMETOOLONG is 36 on Linux and 63 on the BSDs and macOS; the kind covers both since
    // Rust 1.83, the number is only a fallback.
    match code {
        28 => Problem::DiskFull,   // ENOSPC
        27 => Problem::SizeLimit,  // EFBIG
        30 => Problem::ReadOnly,   // EROFS
        16 | 26 => Problem::InUse, // EBUSY, ETXTBSY
        36 => Problem::BadName,    // ENAMETOOLONG
        _ => Problem::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_kind(kind: io::ErrorKind) -> OsError {
        OsError::of(&io::Error::from(kind))
    }

    #[test]
    fn kinds_become_problems() {
        use io::ErrorKind as K;
        assert_eq!(from_kind(K::NotFound).problem, Problem::NotFound);
        assert_eq!(
            from_kind(K::PermissionDenied).problem,
            Problem::NoPermission
        );
        assert_eq!(from_kind(K::StorageFull).problem, Problem::DiskFull);
        assert_eq!(from_kind(K::IsADirectory).problem, Problem::IsFolder);
        assert_eq!(from_kind(K::TimedOut).problem, Problem::Other);
    }

    /// What a real failing call returns, not a made-up kind: reading a missing file, reading
    /// a folder as a file, a path through a file.
    #[test]
    fn real_errors_word_for_word() {
        let dir = tempfile::tempdir().unwrap();
        let missing = std::fs::read(dir.path().join("none.xlsx")).unwrap_err();
        let e = OsError::of(&missing);
        assert_eq!(
            e.message(Lang::Zh, "none.xlsx", Access::Read, Thing::File),
            "文件 none.xlsx 不存在"
        );
        assert_eq!(
            e.message(Lang::En, "none.xlsx", Access::Read, Thing::File),
            "the file none.xlsx does not exist"
        );
        assert_eq!(
            e.message(Lang::Zh, "newdir/sub", Access::Write, Thing::Folder),
            "文件夹 newdir/sub 不存在"
        );
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        let through_file = std::fs::read(dir.path().join("a.txt").join("b")).unwrap_err();
        let e = OsError::of(&through_file);
        if cfg!(unix) {
            assert_eq!(e.problem, Problem::NotFolder);
            assert_eq!(
                e.message(Lang::Zh, "a.txt/b", Access::Read, Thing::File),
                "a.txt/b：路径中有一级是文件，不是文件夹"
            );
        }
    }

    #[test]
    fn every_problem_has_its_sentence() {
        let cases = [
            (Problem::NoPermission, Access::Read, "没有权限读取 a.xlsx"),
            (Problem::NoPermission, Access::Write, "没有权限写入 a.xlsx"),
            (
                Problem::DiskFull,
                Access::Write,
                "磁盘已满，无法写入 a.xlsx。请腾出空间后重试",
            ),
            (
                Problem::ReadOnly,
                Access::Write,
                "a.xlsx 所在的磁盘或文件夹是只读的，无法写入",
            ),
            (Problem::IsFolder, Access::Read, "a.xlsx 是文件夹，不是文件"),
            (
                Problem::InUse,
                Access::Write,
                "a.xlsx 正被其他程序占用（可能在 Excel 或 WPS 中打开着）。请关闭后重试",
            ),
            (
                Problem::BadName,
                Access::Write,
                "a.xlsx：名称过长或含有不允许的字符",
            ),
            (
                Problem::Other,
                Access::Read,
                "无法读取 a.xlsx（系统提示：boom）",
            ),
            (
                Problem::Other,
                Access::Write,
                "无法写入 a.xlsx（系统提示：boom）",
            ),
        ];
        for (problem, access, zh) in cases {
            let e = OsError {
                problem,
                detail: "boom".into(),
            };
            assert_eq!(e.message(Lang::Zh, "a.xlsx", access, Thing::File), zh);
            let en = e.message(Lang::En, "a.xlsx", access, Thing::File);
            assert!(en.contains("a.xlsx") && en.is_ascii(), "{en}");
        }
    }
}
