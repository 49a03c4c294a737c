//! Compares the two walks that make the scope model (oxc's tree and tree-sitter's) on every
//! JS/TS file under the given paths, and prints each file where they differ, with the first
//! difference. `cargo run --release --example scope-walks -- PATH...`

use nsa_migrate::parse::{Lang, Parsers};
use nsa_migrate::scope::ScopeTree;

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let (files, _) = nsa_migrate::walk::walk(&paths, 1).expect("paths exist");
    let mut parsers = Parsers::new();
    let (mut same, mut declined, mut differ) = (0, 0, 0);
    for path in files {
        let Some(lang) = Lang::from_path(&path) else { continue };
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Some(tree) = parsers.parse(lang, &text, None) else {
            continue;
        };
        if tree.root_node().has_error() {
            continue;
        }
        match ScopeTree::compare_walks(&tree, &text) {
            Ok(true) => same += 1,
            Ok(false) => declined += 1,
            Err(difference) => {
                differ += 1;
                println!("{}: {difference}", path.display());
            }
        }
    }
    println!("same {same}, left to tree-sitter {declined}, different {differ}");
}
