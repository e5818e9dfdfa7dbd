//! The rules of the house's layout (issue 8), read from the source: what never imports what.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, with its code outside comments and unit tests.
fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let code: Vec<&str> = code
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect();
            (
                p.strip_prefix(&root).unwrap().to_path_buf(),
                code.join("\n"),
            )
        })
        .collect()
}

#[test]
fn nothing_runs_upward() {
    let mut broken = Vec::new();
    for (path, code) in sources() {
        let name = path.to_string_lossy().replace('\\', "/");
        // Two doors onto one library, in the binary: the commands and the web server.
        let command = name.starts_with("cmd/");
        let server = name.starts_with("serve/");
        let door = command || server || name == "main.rs" || name == "lib.rs";
        if !(command || name == "main.rs" || name == "lib.rs") && code.contains("crate::cmd") {
            broken.push(format!("{name} imports a command"));
        }
        // Only `jixiao serve` (a command) starts the server; nothing else calls into it.
        if !(command || server || name == "lib.rs") && code.contains("crate::serve") {
            broken.push(format!("{name} imports the web server"));
        }
        // The application layer (the batch) stands between the doors and the stages: only a
        // door calls it, and it calls no door.
        let app = name.starts_with("app/");
        if !(door || app) && code.contains("crate::app") {
            broken.push(format!("{name} imports the application layer"));
        }
        // The doors are the binary's (main.rs declares them), never modules of the library:
        // nothing of the engine can import one, and using the engine brings no web server.
        if name == "lib.rs"
            && ["mod cmd", "mod cli", "mod serve"]
                .iter()
                .any(|m| code.contains(m))
        {
            broken.push(format!("{name} makes a door part of the library"));
        }
        if name == "messages.rs" && code.contains("crate::") {
            broken.push(format!("{name} imports something of the crate"));
        }
        if name.starts_with("write/")
            && [
                "crate::pipeline",
                "crate::inputs",
                "crate::report",
                "Config",
            ]
            .iter()
            .any(|x| code.contains(x))
        {
            broken.push(format!(
                "{name}: a writer takes what it writes as arguments"
            ));
        }
        let stage = [
            "read/",
            "locate",
            "normalize",
            "check",
            "target",
            "model",
            "template",
        ]
        .iter()
        .any(|s| name.starts_with(s));
        if stage && (code.contains("crate::inputs") || code.contains("crate::pipeline")) {
            broken.push(format!(
                "{name}: a stage imports the pipeline or the inputs"
            ));
        }
        // Files are read at the edge (inputs.rs) and written by write/mod.rs's one safe
        // function; a command may make the folder it writes into. The server touches no file:
        // nothing of a request reaches the disk.
        let edge = (door && !server) || name == "inputs.rs" || name == "write/mod.rs";
        if !edge && code.contains("std::fs::") {
            broken.push(format!("{name} touches the file system"));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
