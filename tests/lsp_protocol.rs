//! `nsa-migrate lsp` spoken to over its stdio, message by message, as an editor would:
//! initialize, open, change, code actions, shutdown, exit. The fixes it offers are checked
//! against what the CLI writes for the same files (the same per-file step, on a buffer).

mod common;

use common::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(20);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications read while waiting for something else, in order.
    notifications: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(root: &Path, options: Value, env: &[(&str, &str)]) -> Client {
        let mut command = bin();
        command
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                reader.read_exact(&mut body).unwrap();
                if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            notifications: Vec::new(),
            next_id: 1,
        };
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(root),
                "capabilities": { "workspace": { "workspaceEdit": { "documentChanges": true, "resourceOperations": ["create"] } } },
                "initializationOptions": options,
            }),
        );
        assert_eq!(
            result["capabilities"]["textDocumentSync"]["change"], 2,
            "incremental sync"
        );
        assert_eq!(result["serverInfo"]["name"], "nsa-migrate");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(&body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn next_message(&mut self, deadline: Instant) -> Value {
        match self
            .messages
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in time"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.next_message(deadline);
            if message["id"] == id && message.get("method").is_none() {
                assert!(message.get("error").is_none(), "{message}");
                return message["result"].clone();
            }
            self.notifications.push(message);
        }
    }

    /// The next notification `method` that `accept` takes, read or already seen.
    fn wait_for(&mut self, method: &str, accept: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self
            .notifications
            .iter()
            .position(|n| n["method"] == method && accept(&n["params"]))
        {
            return self.notifications.remove(i)["params"].clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.next_message(deadline);
            if message["method"] == method && accept(&message["params"]) {
                return message["params"].clone();
            }
            self.notifications.push(message);
        }
    }

    fn diagnostics(&mut self, file_uri: &str, version: i64) -> Vec<Value> {
        let params = self.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == file_uri && p["version"] == version
        });
        params["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, path: &Path, version: i64) -> String {
        let file_uri = uri(path);
        let text = std::fs::read_to_string(path).unwrap();
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": file_uri, "languageId": "typescriptreact", "version": version, "text": text } }),
        );
        file_uri
    }

    fn code_actions(&mut self, file_uri: &str, range: &Value, only: Option<&[&str]>) -> Vec<Value> {
        let mut context = json!({ "diagnostics": [] });
        if let Some(only) = only {
            context["only"] = json!(only);
        }
        let result = self.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": file_uri }, "range": range, "context": context }),
        );
        result.as_array().cloned().unwrap_or_default()
    }

    fn shutdown(mut self) {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "exit after shutdown is a clean exit: {status}");
                return;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn uri(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::from("file://");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The fixture app, copied (its root canonical, as an editor names it).
fn fixture_app() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp/app"), dir.path());
    let root = dir.path().canonicalize().unwrap();
    (dir, root)
}

/// What `nsa-migrate --write ARGS` writes into a fresh copy of the fixture app, per path.
fn cli_written(args: &[&str]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let (dir, root) = fixture_app();
    let out = bin()
        .current_dir(&root)
        .args(["--write", "-q"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let tree = read_tree(&root);
    drop(dir);
    tree
}

fn offset(text: &str, position: &Value) -> usize {
    let (line, character) = (
        position["line"].as_u64().unwrap() as usize,
        position["character"].as_u64().unwrap(),
    );
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16() as u64;
    }
    text.len()
}

/// Applies LSP text edits (all against `text`, as the protocol says).
fn apply_text_edits(text: &str, edits: &[Value]) -> String {
    let mut ranges: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    ranges.sort_by_key(|r| std::cmp::Reverse((r.0, r.1)));
    let mut out = text.to_string();
    for (start, end, new) in ranges {
        out.replace_range(start..end, new);
    }
    out
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    let mut codes: Vec<String> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn diagnostics_quick_fixes_fix_all_and_shutdown() {
    let (_dir, root) = fixture_app();
    let mut client = Client::start(&root, json!({}), &[]);

    // A module three rules change: directive-placement and redirect-outside-try each on its own;
    // async-server-exports only once the directive is where Next reads it.
    let actions = root.join("app/actions.ts");
    let actions_uri = client.open(&actions, 1);
    let diagnostics = client.diagnostics(&actions_uri, 1);
    assert_eq!(
        codes(&diagnostics),
        ["async-server-exports", "directive-placement", "redirect-outside-try"],
        "{diagnostics:#?}"
    );
    for d in &diagnostics {
        assert_eq!(d["source"], "nsa-migrate");
        assert_eq!(d["severity"], 2, "a warning");
        let href = d["codeDescription"]["href"].as_str().unwrap();
        assert!(href.contains('#'), "a link to the rule's README section: {href}");
    }
    let text = std::fs::read_to_string(&actions).unwrap();
    let directive = diagnostics.iter().find(|d| d["code"] == "directive-placement").unwrap();
    let offered = client.code_actions(&actions_uri, &directive["range"], None);
    let quick_fix = offered
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["title"].as_str().unwrap().contains("directive-placement"))
        .unwrap_or_else(|| panic!("a quick fix for directive-placement: {offered:#?}"));
    assert!(
        offered
            .iter()
            .all(|a| !a["title"].as_str().unwrap().contains("redirect-outside-try")),
        "only the fixes of the diagnostics in the range"
    );
    let edits = quick_fix["edit"]["changes"][&actions_uri].as_array().unwrap();
    let fixed = apply_text_edits(&text, edits);
    let cli = cli_written(&["-t", "directive-placement"]);
    assert_eq!(
        fixed.as_bytes(),
        cli["app/actions.ts"].as_slice(),
        "the quick fix is the rule's change"
    );

    // The rule that needs another's change first: its fix makes both, and only both.
    let text = std::fs::read_to_string(&actions).unwrap();
    let needing = diagnostics
        .iter()
        .find(|d| d["code"] == "async-server-exports")
        .unwrap();
    assert_eq!(
        needing["range"]["start"]["line"], 14,
        "at the export it makes async: {needing}"
    );
    let offered = client.code_actions(&actions_uri, &needing["range"], Some(&["quickfix"]));
    let both = offered
        .iter()
        .find(|a| a["title"] == "nsa-migrate: fix with async-server-exports (and directive-placement)")
        .unwrap_or_else(|| panic!("{offered:#?}"));
    let fixed = apply_text_edits(&text, both["edit"]["changes"][&actions_uri].as_array().unwrap());
    let cli = cli_written(&["-t", "directive-placement,async-server-exports"]);
    assert_eq!(fixed.as_bytes(), cli["app/actions.ts"].as_slice());

    let whole = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } });
    let fix_all = client.code_actions(&actions_uri, &whole, Some(&["source.fixAll"]));
    assert_eq!(fix_all.len(), 1, "{fix_all:#?}");
    assert_eq!(fix_all[0]["kind"], "source.fixAll.nsa-migrate");
    let fixed_all = apply_text_edits(&text, fix_all[0]["edit"]["changes"][&actions_uri].as_array().unwrap());
    let cli = cli_written(&["-t", "directive-placement,async-server-exports,redirect-outside-try"]);
    assert_eq!(
        fixed_all.as_bytes(),
        cli["app/actions.ts"].as_slice(),
        "fix-all is every rule's change"
    );

    // Typed changes, incremental: once the buffer holds the fix, its diagnostics are gone.
    let form = root.join("app/form.tsx");
    let form_uri = client.open(&form, 1);
    assert_eq!(codes(&client.diagnostics(&form_uri, 1)), ["use-action-state"]);
    let form_text = std::fs::read_to_string(&form).unwrap();
    let at = |needle: &str| {
        let start = form_text.find(needle).unwrap();
        let line = form_text[..start].matches('\n').count();
        let character = start - form_text[..start].rfind('\n').map_or(0, |i| i + 1);
        json!({ "start": { "line": line, "character": character }, "end": { "line": line, "character": character + needle.len() } })
    };
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": form_uri, "version": 2 },
            // Later in the text first: each change applies to the text the one before left.
            "contentChanges": [
                { "range": at("useFormState(createPost"), "text": "useActionState(createPost" },
                { "range": at("import { useFormState } from 'react-dom';"), "text": "import { useActionState } from 'react';" },
            ],
        }),
    );
    assert_eq!(client.diagnostics(&form_uri, 2), Vec::<Value>::new());

    // A finding has no fix.
    let legacy_uri = client.open(&root.join("pages/legacy.ts"), 1);
    let legacy = client.diagnostics(&legacy_uri, 1);
    assert_eq!(codes(&legacy), ["actions-in-pages"]);
    assert!(client.code_actions(&legacy_uri, &legacy[0]["range"], None).is_empty());

    // The folder rule: a workspace edit that creates the actions module and edits both files.
    let item = root.join("app/posts/post-item.tsx");
    let item_uri = client.open(&item, 1);
    let diagnostics = client.diagnostics(&item_uri, 1);
    assert_eq!(codes(&diagnostics), ["hoist-inline-actions"]);
    let offered = client.code_actions(&item_uri, &diagnostics[0]["range"], Some(&["quickfix"]));
    assert_eq!(offered.len(), 1, "{offered:#?}");
    let changes = offered[0]["edit"]["documentChanges"].as_array().unwrap();
    let created_uri = uri(&root.join("app/posts/actions.ts"));
    assert_eq!(changes[0]["kind"], "create");
    assert_eq!(changes[0]["uri"], created_uri);
    let cli = cli_written(&["-t", "hoist-inline-actions"]);
    for change in &changes[1..] {
        let target = change["textDocument"]["uri"].as_str().unwrap();
        let (before, path) = if target == created_uri {
            (String::new(), "app/posts/actions.ts")
        } else {
            assert_eq!(target, item_uri);
            (std::fs::read_to_string(&item).unwrap(), "app/posts/post-item.tsx")
        };
        let after = apply_text_edits(&before, change["edits"].as_array().unwrap());
        assert_eq!(after.as_bytes(), cli[path].as_slice(), "{path}");
    }
    assert_eq!(changes.len(), 3);

    client.shutdown();
}

/// A panic in a rule: a log message, no diagnostics for that buffer, and a server that goes on.
#[test]
fn a_panic_in_a_rule_is_logged_and_the_server_goes_on() {
    let (_dir, root) = fixture_app();
    std::fs::copy(root.join("app/form.tsx"), root.join("app/boom.tsx")).unwrap();
    let mut client = Client::start(&root, json!({}), &[("NSA_MIGRATE_PANIC_ON", "boom.tsx")]);
    let boom_uri = client.open(&root.join("app/boom.tsx"), 1);
    let log = client.wait_for("window/logMessage", |p| p["type"] == 1);
    assert!(log["message"].as_str().unwrap().contains("crashed on"), "{log}");
    assert_eq!(client.diagnostics(&boom_uri, 1), Vec::<Value>::new());
    let form_uri = client.open(&root.join("app/form.tsx"), 1);
    assert_eq!(codes(&client.diagnostics(&form_uri, 1)), ["use-action-state"]);
    client.shutdown();
}

/// The CLI's settings, from initializationOptions: a skipped rule says nothing; a bad value is
/// logged as a warning.
#[test]
fn settings_come_from_initialization_options() {
    let (_dir, root) = fixture_app();
    let mut client = Client::start(&root, json!({ "skip": ["redirect-outside-try"], "to": "13" }), &[]);
    let warning = client.wait_for("window/logMessage", |p| p["type"] == 2);
    assert!(warning["message"].as_str().unwrap().contains("`to`"), "{warning}");
    let actions_uri = client.open(&root.join("app/actions.ts"), 1);
    assert_eq!(
        codes(&client.diagnostics(&actions_uri, 1)),
        ["async-server-exports", "directive-placement"],
        "no redirect-outside-try"
    );
    client.shutdown();
}

/// A folder rule reads the open buffer of its sibling module, not the file on disk; a closed
/// buffer's diagnostics are cleared.
#[test]
fn the_folder_rule_reads_open_buffers_and_close_clears() {
    let (_dir, root) = fixture_app();
    let mut client = Client::start(&root, json!({}), &[]);
    // An actions module that exists only in the editor, unsaved.
    let sibling = root.join("app/posts/actions.ts");
    let sibling_uri = uri(&sibling);
    let sibling_text = "'use server';\n\nexport async function other() {}\n";
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": sibling_uri, "languageId": "typescript", "version": 7, "text": sibling_text } }),
    );
    let item_uri = client.open(&root.join("app/posts/post-item.tsx"), 1);
    let diagnostics = client.diagnostics(&item_uri, 1);
    let offered = client.code_actions(&item_uri, &diagnostics[0]["range"], Some(&["quickfix"]));
    let changes = offered[0]["edit"]["documentChanges"].as_array().unwrap();
    assert!(
        changes.iter().all(|c| c.get("kind").is_none()),
        "nothing to create: {changes:#?}"
    );
    let to_sibling = changes
        .iter()
        .find(|c| c["textDocument"]["uri"] == sibling_uri)
        .unwrap();
    assert_eq!(
        to_sibling["textDocument"]["version"], 7,
        "edits made on the open buffer's version"
    );
    let after = apply_text_edits(sibling_text, to_sibling["edits"].as_array().unwrap());
    assert_eq!(
        after,
        "'use server';\n\nimport { store } from '../store';\n\nexport async function other() {}\n\nexport async function deletePost(id: number) {\n  await store.remove(id);\n}\n",
        "the buffer's text, extended"
    );
    assert!(!sibling.exists(), "nothing written to disk");

    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": item_uri } }));
    let cleared = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == item_uri && p["version"].is_null()
    });
    assert_eq!(cleared["diagnostics"], json!([]));
    client.shutdown();
}

/// A client that leaves the brackets of a dynamic route unencoded (Helix does): the file is
/// analysed, and the diagnostics and fixes name it as the client did.
#[test]
fn unencoded_brackets_in_a_uri_are_taken_and_given_back() {
    let (_dir, root) = fixture_app();
    let folder = root.join("app/posts/[id]");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(root.join("app/form.tsx"), folder.join("form.tsx")).unwrap();
    let mut client = Client::start(&root, json!({}), &[]);
    let raw = format!("file://{}/app/posts/[id]/form.tsx", root.display());
    let text = std::fs::read_to_string(folder.join("form.tsx")).unwrap();
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": raw, "languageId": "typescriptreact", "version": 1, "text": text } }),
    );
    let diagnostics = client.diagnostics(&raw, 1);
    assert_eq!(codes(&diagnostics), ["use-action-state"]);
    let offered = client.code_actions(&raw, &diagnostics[0]["range"], Some(&["quickfix"]));
    assert!(offered[0]["edit"]["changes"].get(&raw).is_some(), "{offered:#?}");
    client.shutdown();
}
