//! A short smoke run of every fuzz target's properties (see `fuzz/common/mod.rs`), inside
//! `cargo test`: every crash the fuzzers ever found (`fuzz/regressions/<target>/`), every
//! fixture input, the fixture inputs with random bytes changed, and random programs of the
//! grammar. The campaign itself is `scripts/fuzz.sh`.

#[path = "../fuzz/common/mod.rs"]
mod fuzz;

use std::path::{Path, PathBuf};

/// The fuzz targets: (target file name, transform name or `None` for the whole pipeline).
fn targets() -> Vec<(String, Option<&'static str>)> {
    // The project rules read several files at once: this harness hands one file to a transform.
    let project: Vec<&str> = nsa_migrate::transforms::project_transforms()
        .iter()
        .map(|t| t.meta().name)
        .collect();
    let mut targets: Vec<(String, Option<&'static str>)> = nsa_migrate::transforms::all_meta()
        .iter()
        .filter(|m| !project.contains(&m.name))
        .map(|m| (m.name.replace('-', "_"), Some(m.name)))
        .collect();
    targets.push(("pipeline".into(), None));
    targets
}

/// xorshift64*: a fixed seed, so a failure is the same failure on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn fixture_inputs() -> Vec<(PathBuf, String)> {
    files_under(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"))
        .into_iter()
        .filter(|p| p.components().any(|c| c.as_os_str() == "input"))
        .filter(|p| nsa_migrate::parse::Lang::from_path(p).is_some())
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
            Some((p, text))
        })
        .collect()
}

#[test]
fn every_crash_the_fuzzers_found_stays_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    for (target, name) in targets() {
        for input in files_under(&root.join(&target)) {
            eprintln!("{}", input.display());
            let started = std::time::Instant::now();
            fuzz::check(name, &std::fs::read(&input).unwrap());
            // Some were hangs (libFuzzer's limit is 10 s); each takes milliseconds now.
            let took = started.elapsed();
            assert!(took.as_secs() < 5, "{}: took {took:?}", input.display());
        }
    }
}

#[test]
fn fixture_inputs_hold_every_property() {
    let fixtures = fixture_inputs();
    for (target, name) in targets() {
        eprintln!("{target}");
        for (path, text) in &fixtures {
            for to in [
                nsa_migrate::target::Target::NEXT_15,
                nsa_migrate::target::Target::NEXT_14,
            ] {
                let shown = Path::new(path.file_name().unwrap());
                let path = if name == Some("server-actions-flag") {
                    Path::new("next.config.js")
                } else {
                    shown
                };
                fuzz::check_text(name, path, text, to);
            }
        }
    }
}

#[test]
fn mutated_fixtures_and_grammar_programs_hold_every_property() {
    let fixtures = fixture_inputs();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for (target, name) in targets() {
        eprintln!("{target}");
        for round in 0..300 {
            let mut input = vec![rng.next() as u8];
            if round % 2 == 0 {
                // Raw: a fixture with a few bytes replaced, dropped or duplicated.
                input[0] &= !1;
                let (_, text) = &fixtures[rng.next() as usize % fixtures.len()];
                let mut bytes = text.as_bytes().to_vec();
                for _ in 0..1 + rng.next() % 4 {
                    if bytes.is_empty() {
                        break;
                    }
                    let at = rng.next() as usize % bytes.len();
                    match rng.next() % 3 {
                        0 => {
                            let punctuation = b" ;{}()'\"`<>/\nx";
                            bytes[at] = punctuation[rng.next() as usize % punctuation.len()];
                        }
                        1 => {
                            bytes.remove(at);
                        }
                        _ => {
                            let end = (at + 1 + rng.next() as usize % 40).min(bytes.len());
                            let copy = bytes[at..end].to_vec();
                            bytes.splice(at..at, copy);
                        }
                    }
                }
                input.extend(bytes);
            } else {
                input[0] |= 1;
                let len = 16 + rng.next() as usize % 240;
                input.extend(rng.bytes(len));
            }
            fuzz::check(name, &input);
        }
    }
}
