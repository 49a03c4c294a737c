//! lsp-latency: how long `nsa-migrate lsp` takes to publish a buffer's diagnostics after a
//! change (BENCHMARKS.md row 8). It starts the server over stdio as an editor would,
//! opens a generated client component module of `--lines` lines that carries Server Action
//! patterns (useFormState from react-dom in form components, an inline 'use server'
//! function), then sends
//! `--changes` incremental `didChange` notifications, one at a time, each editing one line in
//! the middle of the file, and times each from the send to the `publishDiagnostics` of that
//! version.
//!
//! `lsp-latency [--bin NSA_MIGRATE] [--lines 1000] [--changes 50] [--warmup 5] [--json FILE]`
//!
//! Prints one line, `lsp-latency: lines=... changes=... diagnostics=... median_ms=... min_ms=...
//! max_ms=... p90_ms=...`; `--json` also writes those numbers and every time to FILE.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio, exit};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// Longer than any analysis should take: a server that does not answer is an error, not a time.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The line the changes edit: `const REVISION = N;`, its number replaced each time.
const REVISION: &str = "const REVISION = ";

struct Args {
    bin: PathBuf,
    lines: usize,
    changes: usize,
    warmup: usize,
    json: Option<PathBuf>,
}

fn usage() -> ! {
    eprintln!("usage: lsp-latency [--bin NSA_MIGRATE] [--lines N] [--changes N] [--warmup N] [--json FILE]");
    exit(2)
}

fn parse_args() -> Args {
    // Beside target/release/examples/ is target/release/nsa-migrate.
    let default_bin = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("nsa-migrate")))
        .unwrap_or_else(|| PathBuf::from("nsa-migrate"));
    let mut args = Args {
        bin: default_bin,
        lines: 1000,
        changes: 50,
        warmup: 5,
        json: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        let number = |v: String| v.parse::<usize>().unwrap_or_else(|_| usage());
        match arg.as_str() {
            "--bin" => args.bin = PathBuf::from(value()),
            "--lines" => args.lines = number(value()),
            "--changes" => args.changes = number(value()),
            "--warmup" => args.warmup = number(value()),
            "--json" => args.json = Some(PathBuf::from(value())),
            _ => usage(),
        }
    }
    if args.changes == 0 || args.lines < 100 {
        usage();
    }
    args
}

/// A client component module of exactly `lines` lines: forms on `useFormState` (which
/// use-action-state rewrites for React 19), an inline 'use server' function (which
/// hoist-inline-actions moves out) and plain components around them, with the
/// `REVISION` line in the middle. Returns the text and the REVISION line's number (0-based).
fn component_module(lines: usize) -> (String, usize) {
    let mut out: Vec<String> = [
        "'use client';",
        "",
        "import { useCallback, useEffect, useMemo, useState } from 'react';",
        "import { useFormState, useFormStatus } from 'react-dom';",
        "import { createItem, type ItemState } from './actions';",
        "",
        "const initialState: ItemState = { message: null };",
        "",
        // An inline action in a client module: the folder rule hoist-inline-actions moves it out.
        "export function ItemRemove({ id }: { id: string }) {",
        "  async function removeItem() {",
        "    'use server';",
        "    await fetch(`${process.env.API_URL}/items/${id}`, { method: 'DELETE' });",
        "  }",
        "  return (",
        "    <form action={removeItem}>",
        "      <button type=\"submit\">Remove</button>",
        "    </form>",
        "  );",
        "}",
        "",
    ]
    .map(String::from)
    .to_vec();
    let mut revision_line = None;
    let mut i = 0;
    // Every block is followed by a blank line; stop while the closing lines still fit.
    while out.len() + 40 < lines {
        if revision_line.is_none() && out.len() >= lines / 2 {
            revision_line = Some(out.len());
            out.push(format!("{REVISION}0;"));
            out.push(String::new());
        }
        let block = if i % 3 == 0 {
            format!(
                "export function ItemForm{i}({{ label }}: {{ label: string }}) {{
  const [state, formAction] = useFormState(createItem, initialState);
  const {{ pending }} = useFormStatus();
  return (
    <form action={{formAction}} className=\"item-form-{i}\">
      <label htmlFor=\"name-{i}\">{{label}}</label>
      <input id=\"name-{i}\" name=\"name\" required />
      <button type=\"submit\" disabled={{pending}}>
        Save
      </button>
      <p aria-live=\"polite\">{{state.message}}</p>
    </form>
  );
}}"
            )
        } else if i % 3 == 1 {
            format!(
                "export function ItemList{i}({{ items, onPick }}: {{ items: string[]; onPick: (item: string) => void }}) {{
  const [open, setOpen] = useState(false);
  const sorted = useMemo(() => [...items].sort(), [items]);
  const pick = useCallback((item: string) => {{
    onPick(item);
    setOpen(!open);
  }}, [onPick, open]);
  return (
    <ul className=\"item-list-{i}\">
      {{sorted.map((item) => (
        <li key={{item}}>
          <button type=\"button\" onClick={{() => pick(item)}}>
            {{item}}
          </button>
        </li>
      ))}}
    </ul>
  );
}}"
            )
        } else {
            format!(
                "export function useItemPoll{i}(url: string, intervalMs = {}) {{
  const [data, setData] = useState<unknown>(null);
  useEffect(() => {{
    let cancelled = false;
    const timer = setInterval(async () => {{
      const res = await fetch(url, {{ cache: 'no-store' }});
      if (!cancelled && res.ok) setData(await res.json());
    }}, intervalMs);
    return () => {{
      cancelled = true;
      clearInterval(timer);
    }};
  }}, [url, intervalMs]);
  return data;
}}",
                1000 + i
            )
        };
        out.extend(block.lines().map(String::from));
        out.push(String::new());
        i += 1;
    }
    let revision_line = revision_line.unwrap_or_else(|| {
        out.push(format!("{REVISION}0;"));
        out.len() - 1
    });
    // Fill up to the exact count with a comment block, then the last line.
    while out.len() + 1 < lines {
        out.push(format!("// padding line {}", out.len() + 1));
    }
    out.push("export const ITEM_FORMS = REVISION;".into());
    let mut text = out.join("\n");
    text.push('\n');
    (text, revision_line)
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Server {
    fn start(bin: &Path, root: &Path) -> Server {
        let mut child = Command::new(bin)
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| fail(&format!("cannot start {} lsp: {e}", bin.display())));
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            fail("the server's stdio is not piped")
        };
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        let sent = write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).and_then(|()| self.stdin.flush());
        if let Err(e) = sent {
            fail(&format!("cannot write to the server: {e}"));
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The first message that `wanted` accepts; the others are dropped.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self
                .messages
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(message) if wanted(&message) => return message,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => fail("no answer from the server within 10 s"),
                Err(RecvTimeoutError::Disconnected) => fail("the server closed its output"),
            }
        }
    }

    /// Waits for the diagnostics of `version` of `uri` and returns how many there are.
    fn diagnostics_of(&mut self, uri: &str, version: i64) -> usize {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        message["params"]["diagnostics"].as_array().map_or(0, Vec::len)
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let _ = self.child.wait();
    }
}

/// One message of the base protocol (`Content-Length` header, blank line, JSON body).
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn fail(message: &str) -> ! {
    eprintln!("lsp-latency: {message}");
    exit(1)
}

fn main() {
    let args = parse_args();
    let dir = tempfile::tempdir().unwrap_or_else(|e| fail(&format!("cannot make a temp dir: {e}")));
    let root = dir.path().canonicalize().unwrap_or_else(|_| dir.path().to_path_buf());
    let (text, revision_line) = component_module(args.lines);
    let file = root.join("app/items/item-forms.tsx");
    let written = std::fs::create_dir_all(root.join("app/items")).and_then(|()| std::fs::write(&file, &text));
    if let Err(e) = written {
        fail(&format!("cannot write {}: {e}", file.display()));
    }
    let root_uri = format!("file://{}", root.display());
    let uri = format!("file://{}", file.display());

    let mut server = Server::start(&args.bin, &root);
    server.request(
        "initialize",
        json!({ "processId": null, "rootUri": root_uri, "capabilities": {}, "initializationOptions": {} }),
    );
    server.notify("initialized", json!({}));
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "typescriptreact", "version": 0, "text": text } }),
    );
    let diagnostics = server.diagnostics_of(&uri, 0);
    if diagnostics == 0 {
        fail("the generated file got no diagnostics: nothing is being measured");
    }

    let mut times_ms = Vec::with_capacity(args.changes);
    let mut number = String::from("0");
    for version in 1..=(args.warmup + args.changes) as i64 {
        // Replace the number on the REVISION line: one incremental change of one line.
        let next = version.to_string();
        let start = REVISION.len();
        let change = json!({
            "range": {
                "start": { "line": revision_line, "character": start },
                "end": { "line": revision_line, "character": start + number.len() },
            },
            "text": next,
        });
        let sent = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] }),
        );
        let count = server.diagnostics_of(&uri, version);
        let elapsed = sent.elapsed();
        if count != diagnostics {
            fail(&format!(
                "version {version} got {count} diagnostics, the opened file {diagnostics}"
            ));
        }
        if version > args.warmup as i64 {
            times_ms.push(elapsed.as_secs_f64() * 1000.0);
        }
        number = next;
    }
    server.stop();

    let mut sorted = times_ms.clone();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    let (median, min, max, p90) = (at(0.5), sorted[0], sorted[sorted.len() - 1], at(0.9));
    let lines = text.lines().count();
    println!(
        "lsp-latency: lines={lines} changes={} diagnostics={diagnostics} median_ms={median:.2} min_ms={min:.2} max_ms={max:.2} p90_ms={p90:.2}",
        args.changes
    );
    if let Some(path) = &args.json {
        let report = json!({
            "lines": lines,
            "bytes": text.len(),
            "changes": args.changes,
            "warmup": args.warmup,
            "diagnostics": diagnostics,
            "median_ms": median,
            "min_ms": min,
            "max_ms": max,
            "p90_ms": p90,
            "times_ms": times_ms,
        });
        if let Err(e) = std::fs::write(path, format!("{report:#}\n")) {
            fail(&format!("cannot write {}: {e}", path.display()));
        }
    }
}
