fn main() {
    for a in std::env::args().skip(1) {
        let p = jixiao::pipeline::process_path(std::path::Path::new(&a), &Default::default());
        match p.outcome {
            Ok(forms) => {
                for f in forms {
                    println!("{}", serde_json::to_string(&f.declaration).unwrap());
                    for x in &f.findings { println!("  F {} {:?} {:?} {}", x.code, x.field, x.cell, x.message(Default::default())); }
                    for c in &f.changes { println!("  C {} {} {:?} {:?}→{:?}", c.code, c.field, c.cell, c.before, c.after); }
                }
            }
            Err(e) => println!("ERR {}", e.message(Default::default())),
        }
    }
}
