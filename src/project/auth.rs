//! Which imports are NextAuth v5's server-side `signIn`/`signOut`: names a module exports from a
//! `NextAuth(...)` call (`export const { handlers, signIn, signOut, auth } = NextAuth({...})`),
//! directly or re-exported. redirect-outside-try asks, from the file phase, for the few files
//! that call them in a try; each module is resolved, read and parsed once per run.

use super::module::{ModuleView, OtherExport};
use super::resolve::{Modules, absolute};
use crate::parse::{Lang, Parsers};
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The call whose destructured results are NextAuth's helpers.
const NEXT_AUTH: &str = "NextAuth";
/// How many re-exports are followed.
const DEPTH: usize = 3;

pub struct AuthExports {
    modules: Modules,
    base: PathBuf,
    views: Mutex<FxHashMap<PathBuf, Option<Arc<ModuleView>>>>,
}

impl std::fmt::Debug for AuthExports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthExports")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl AuthExports {
    pub fn new(cwd: &Path) -> AuthExports {
        AuthExports {
            modules: Modules::new(),
            base: std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf()),
            views: Mutex::new(FxHashMap::default()),
        }
    }

    /// Whether `imported`, imported from `specifier` by the file `from`, is a helper NextAuth
    /// made (`signIn` of `export const { signIn } = NextAuth(…)`).
    pub fn is_next_auth_export(&self, from: &Path, specifier: &str, imported: &str) -> bool {
        let mut from = absolute(from, &self.base);
        let mut specifier = specifier.to_string();
        let mut name = imported.to_string();
        for _ in 0..=DEPTH {
            let Some(path) = self.modules.resolve(&from, &specifier) else {
                return false;
            };
            let Some(view) = self.view(&path) else {
                return false;
            };
            if view.from_calls.iter().any(|(n, call)| *n == name && call == NEXT_AUTH) {
                return true;
            }
            let next = view.others.iter().find_map(|other| match other {
                OtherExport::ReExport {
                    name: exported,
                    source,
                    imported,
                } if *exported == name => Some((source.clone(), imported.clone())),
                _ => None,
            });
            let Some((next_specifier, next_name)) = next else {
                return false;
            };
            from = path;
            specifier = next_specifier;
            name = next_name;
        }
        false
    }

    fn view(&self, path: &Path) -> Option<Arc<ModuleView>> {
        if let Some(known) = self.views.lock().ok()?.get(path) {
            return known.clone();
        }
        let read = || {
            let lang = Lang::from_path(path)?;
            let text = crate::source::decode_utf8(std::fs::read(path).ok()?).ok()?.text;
            let tree = Parsers::new().parse(lang, &text, None)?;
            Some(Arc::new(ModuleView::read(&tree, &text)))
        };
        let view = read();
        self.views.lock().ok()?.insert(path.to_path_buf(), view.clone());
        view
    }
}
