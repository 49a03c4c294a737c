//! # actions-in-pages
//!
//! **What it does.** Reports every `'use server'` directive (of the module or of a function) in a
//! file under `pages/` or `src/pages/` of a Next app: the folder of a `next.config.*`, or of a
//! package.json that depends on `next`. A finding only.
//!
//! **Why.** Server Actions are an App Router feature. Under `pages/` Next accepts the directive
//! without a word (a proposal to make it an error was closed unmerged), and the function runs as
//! ordinary code: on the client when a component calls it.
//!
//! **Example.**
//! ```text
//! // pages/contact.tsx
//! async function send(formData) {
//!   'use server';   ← warning: Server Actions only work in the App Router (app/); …
//! ```
//!
//! **Not applied.** Nothing is changed: moving a page to the App Router is a design decision.
//! A `pages/` folder that is not at the top of a Next app (`app/pages/`, `components/pages/`)
//! is not the Pages Router and is left alone.

use crate::directives::{self, Directive, Meant};
use crate::fix::Outcome;
use crate::transforms::{Meta, SourceFile, Transform};
use std::path::Path;

pub struct ActionsInPages;

const WORDS: &[&[&str]] = &[&["'use server'"], &["\"use server\""]];

static META: Meta = Meta {
    name: "actions-in-pages",
    summary: "'use server' under pages/ (a finding: Server Actions need the App Router)",
    words: WORDS,
    needs: "nothing (a finding only)",
    queries: &[&directives::STATEMENTS],
};

const MESSAGE: &str =
    "Server Actions only work in the App Router (app/); under pages/ this function runs as ordinary code";

impl Transform for ActionsInPages {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn applies_to(&self, path: &Path) -> bool {
        in_pages_router(path)
    }

    fn run(&self, file: &SourceFile) -> Outcome {
        let mut outcome = Outcome::default();
        for found in directives::find(file, WORDS) {
            let in_place = found.meant == Meant::Exact(Directive::Server)
                && directives::in_prologue(found.statement, file.text)
                && found
                    .statement
                    .parent()
                    .is_some_and(|parent| parent.kind() == "program" || directives::function_of_body(parent).is_some());
            if in_place {
                outcome.note(found.statement.start_byte(), MESSAGE);
            }
        }
        outcome
    }
}

/// Whether `path` lies under `pages/` or `src/pages/` of a Next app. Only the one or two folders
/// that could be the app's are read, and only for files under a `pages` folder.
fn in_pages_router(path: &Path) -> bool {
    let folders: Vec<&Path> = path.ancestors().skip(1).collect();
    folders.iter().enumerate().any(|(i, folder)| {
        if folder.file_name().is_none_or(|name| name != "pages") {
            return false;
        }
        let Some(parent) = folders.get(i + 1) else {
            return is_next_app(Path::new("."));
        };
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if is_next_app(parent) {
            return true;
        }
        parent.file_name().is_some_and(|name| name == "src")
            && folders.get(i + 2).is_some_and(|app| {
                let app = if app.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    app
                };
                is_next_app(app)
            })
    })
}

/// A folder with a `next.config.*`, or a package.json that depends on `next`.
fn is_next_app(folder: &Path) -> bool {
    let config = ["js", "mjs", "cjs", "ts", "mts"]
        .iter()
        .any(|ext| folder.join(format!("next.config.{ext}")).is_file());
    if config {
        return true;
    }
    let Ok(manifest) = std::fs::read_to_string(folder.join("package.json")) else {
        return false;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&manifest) else {
        return false;
    };
    ["dependencies", "devDependencies", "peerDependencies"]
        .iter()
        .any(|field| json.get(field).and_then(|deps| deps.get("next")).is_some())
}
