//! A grammar of the constructs the transforms touch — imports, directives, functions, try/catch,
//! object literals, JSX, next.config files — driven by a byte string: every choice reads the
//! next byte, so a fuzzer mutating the bytes mutates the program's structure, and the same bytes
//! always give the same program. Shared by the fuzz targets and the smoke test in `cargo test`.

/// Choices read off a byte string; 0 once it runs out, so every string is a valid program.
pub struct Choices<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Statements and expressions made so far: past [`MAX_NODES`], only leaves, so that a
    /// program stays small (a few KB) and every execution fast.
    nodes: usize,
}

const MAX_NODES: usize = 100;

impl<'a> Choices<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Choices { bytes, at: 0, nodes: 0 }
    }

    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    /// A number below `n` (n > 0).
    fn pick(&mut self, n: usize) -> usize {
        self.byte() as usize % n
    }

    fn one<'b>(&mut self, items: &[&'b str]) -> &'b str {
        items[self.pick(items.len())]
    }

    fn chance(&mut self, in_256: u8) -> bool {
        self.byte() < in_256
    }

    fn exhausted(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// Counts one node; true once the program is big enough.
    fn full(&mut self) -> bool {
        self.nodes += 1;
        self.nodes > MAX_NODES
    }
}

const MODULES: &[&str] = &[
    "react",
    "react-dom",
    "next/navigation",
    "next/cache",
    "./actions",
    "next",
    "react-hook-form",
    "next/server",
];
const NAMES: &[&str] = &[
    "useFormState",
    "useActionState",
    "useFormStatus",
    "redirect",
    "permanentRedirect",
    "notFound",
    "forbidden",
    "unauthorized",
    "revalidatePath",
    "useState",
    "isRedirectError",
    "unstable_rethrow",
    "action",
    "save",
    "state",
    "formData",
    "e",
    "error",
    "x",
    "React",
    "ReactDOM",
    "serverActions",
    "experimental",
    "nextConfig",
    "Form",
    "Page",
    "db",
    "actions",
];
const CALLEES: &[&str] = &[
    "useFormState",
    "useActionState",
    "redirect",
    "permanentRedirect",
    "notFound",
    "forbidden",
    "unauthorized",
    "revalidatePath",
    "ReactDOM.useFormState",
    "React.useActionState",
    "nav.redirect",
    "db.save",
    "save",
    "action",
    "unstable_rethrow",
];
const STRINGS: &[&str] = &["'/'", "\"/posts\"", "`/p/${x}`", "'2mb'", "'use server'", "''"];
const CONFIG_KEYS: &[&str] = &[
    "experimental",
    "serverActions",
    "serverActionsBodySizeLimit",
    "bodySizeLimit",
    "allowedOrigins",
    "reactStrictMode",
    "images",
    "ppr",
    "typedRoutes",
];

/// Style knobs shared by a whole program, so that mixes stay plausible.
struct Style {
    quote: char,
    semi: &'static str,
    typed: bool,
}

/// A program of the grammar. `typed` allows TypeScript annotations (for .ts/.tsx files).
pub fn program(c: &mut Choices, typed: bool) -> String {
    let style = Style {
        quote: if c.chance(160) { '\'' } else { '"' },
        semi: if c.chance(200) { ";" } else { "" },
        typed,
    };
    let mut out = String::new();
    for _ in 0..c.pick(3) {
        let directive = c.one(&["use client", "use server", "use strict", "use cache"]);
        out.push_str(&format!("{q}{directive}{q}{}\n", style.semi, q = style.quote));
    }
    let items = 1 + c.pick(8);
    for _ in 0..items {
        if (c.exhausted() || c.full()) && !out.is_empty() {
            break;
        }
        item(c, &style, &mut out);
    }
    out
}

fn quoted(style: &Style, text: &str) -> String {
    format!("{q}{text}{q}", q = style.quote)
}

fn item(c: &mut Choices, s: &Style, out: &mut String) {
    match c.pick(10) {
        0..=2 => import(c, s, out),
        3 | 4 => {
            let export = c.one(&["", "export ", "export default "]);
            let asyncness = c.one(&["", "async "]);
            let name = c.one(NAMES);
            out.push_str(&format!("{export}{asyncness}function {name}({}) ", params(c, s)));
            block(c, s, out, 0);
            out.push('\n');
        }
        5 => {
            let export = c.one(&["", "export "]);
            let name = c.one(NAMES);
            let asyncness = c.one(&["", "async "]);
            out.push_str(&format!("{export}const {name} = {asyncness}({}) => ", params(c, s)));
            block(c, s, out, 0);
            out.push_str(s.semi);
            out.push('\n');
        }
        6 | 7 => config(c, s, out),
        _ => {
            statement(c, s, out, 0);
        }
    }
}

fn import(c: &mut Choices, s: &Style, out: &mut String) {
    let module = quoted(s, c.one(MODULES));
    let kind = c.pick(7);
    let named = |c: &mut Choices| {
        let count = 1 + c.pick(3);
        let specs: Vec<String> = (0..count)
            .map(|_| {
                let name = c.one(NAMES);
                match c.pick(4) {
                    0 => format!("{name} as {}", c.one(NAMES)),
                    1 if s.typed => format!("type {name}"),
                    _ => name.to_string(),
                }
            })
            .collect();
        format!("{{ {} }}", specs.join(", "))
    };
    let clause = match kind {
        0 => c.one(NAMES).to_string(),
        1 => format!("* as {}", c.one(NAMES)),
        2 => format!("{}, {}", c.one(NAMES), named(c)),
        3 => format!("{}, * as {}", c.one(NAMES), c.one(NAMES)),
        4 if s.typed => format!("type {}", named(c)),
        5 => {
            out.push_str(&format!("import {module}{}\n", s.semi));
            return;
        }
        _ => named(c),
    };
    out.push_str(&format!("import {clause} from {module}{}\n", s.semi));
}

fn params(c: &mut Choices, s: &Style) -> String {
    let count = c.pick(3);
    (0..count)
        .map(|_| {
            let name = c.one(NAMES);
            match c.pick(5) {
                0 if s.typed => format!("{name}: FormData"),
                1 => format!("{{ {name} }}"),
                2 => format!("{name} = {}", c.one(STRINGS)),
                _ => name.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn block(c: &mut Choices, s: &Style, out: &mut String, depth: usize) {
    out.push_str("{\n");
    if c.chance(50) {
        out.push_str(&format!("{}{}\n", quoted(s, "use server"), s.semi));
    }
    let count = if depth > 3 || c.full() { 0 } else { c.pick(5) };
    for _ in 0..count {
        statement(c, s, out, depth + 1);
    }
    out.push('}');
}

fn expression(c: &mut Choices, s: &Style, depth: usize) -> String {
    let leaf = depth > 3 || c.full();
    match c.pick(if leaf { 3 } else { 10 }) {
        0 => c.one(NAMES).to_string(),
        1 => c.one(STRINGS).to_string(),
        2 => c.one(&["null", "true", "1", "{}", "[]", "undefined"]).to_string(),
        3 => call(c, s, depth),
        4 => format!("await {}", call(c, s, depth)),
        5 => object(c, s, depth + 1),
        6 => jsx(c, s, depth + 1),
        7 => {
            let mut body = String::new();
            block(c, s, &mut body, depth + 1);
            format!("{}({}) => {body}", c.one(&["", "async "]), params(c, s))
        }
        8 => format!("{}.{}", c.one(NAMES), c.one(NAMES)),
        _ => format!(
            "{} ? {} : {}",
            c.one(NAMES),
            expression(c, s, depth + 1),
            expression(c, s, depth + 1)
        ),
    }
}

fn call(c: &mut Choices, s: &Style, depth: usize) -> String {
    let callee = c.one(CALLEES);
    let count = c.pick(3);
    let args: Vec<String> = (0..count).map(|_| expression(c, s, depth + 1)).collect();
    format!("{callee}({})", args.join(", "))
}

fn statement(c: &mut Choices, s: &Style, out: &mut String, depth: usize) {
    let semi = s.semi;
    let small = depth > 3 || c.full();
    match c.pick(if small { 4 } else { 12 }) {
        0 => out.push_str(&format!("{}{semi}\n", call(c, s, depth))),
        1 => out.push_str(&format!("return {}{semi}\n", expression(c, s, depth))),
        2 => {
            let kind = c.one(&["const", "let", "var"]);
            let target = match c.pick(3) {
                0 => format!("[{}, {}]", c.one(NAMES), c.one(NAMES)),
                1 => format!("{{ {} }}", c.one(NAMES)),
                _ => c.one(NAMES).to_string(),
            };
            out.push_str(&format!("{kind} {target} = {}{semi}\n", expression(c, s, depth)));
        }
        3 => out.push_str(&format!("throw {}{semi}\n", c.one(NAMES))),
        4 | 5 => {
            out.push_str("try ");
            block(c, s, out, depth);
            match c.pick(4) {
                0 => {}
                1 => {
                    out.push_str(" catch ");
                    block(c, s, out, depth);
                }
                _ => {
                    out.push_str(&format!(" catch ({}) ", c.one(NAMES)));
                    block(c, s, out, depth);
                }
            }
            if c.chance(60) || out.ends_with("try {\n}") {
                out.push_str(" finally ");
                block(c, s, out, depth);
            }
            out.push('\n');
        }
        6 => {
            out.push_str(&format!("if ({}) ", expression(c, s, depth)));
            block(c, s, out, depth);
            if c.chance(80) {
                out.push_str(" else ");
                block(c, s, out, depth);
            }
            out.push('\n');
        }
        7 => {
            out.push_str(&format!(
                "{}function {}({}) ",
                c.one(&["", "async "]),
                c.one(NAMES),
                params(c, s)
            ));
            block(c, s, out, depth);
            out.push('\n');
        }
        8 => {
            out.push_str(&format!("for (const {} of {}) ", c.one(NAMES), c.one(NAMES)));
            block(c, s, out, depth);
            out.push('\n');
        }
        9 => out.push_str(&format!("{} = {}{semi}\n", c.one(NAMES), expression(c, s, depth))),
        10 => {
            let mut body = String::new();
            block(c, s, &mut body, depth);
            out.push_str(&format!("startTransition(async () => {body}){semi}\n"));
        }
        _ => out.push_str(&format!("{}{semi}\n", expression(c, s, depth))),
    }
}

fn object(c: &mut Choices, s: &Style, depth: usize) -> String {
    let count = c.pick(4);
    let members: Vec<String> = (0..count)
        .map(|_| match c.pick(6) {
            0 => format!("...{}", c.one(NAMES)),
            1 => c.one(NAMES).to_string(),
            2 => format!("{}: {}", quoted(s, c.one(CONFIG_KEYS)), expression(c, s, depth + 1)),
            3 => format!("async {}() {{ return {} }}", c.one(NAMES), c.one(NAMES)),
            _ => format!("{}: {}", c.one(CONFIG_KEYS), expression(c, s, depth + 1)),
        })
        .collect();
    format!("{{ {} }}", members.join(", "))
}

fn jsx(c: &mut Choices, s: &Style, depth: usize) -> String {
    let tag = c.one(&["form", "button", "Form", "div", "input"]);
    let count = c.pick(3);
    let attrs: Vec<String> = (0..count)
        .map(|_| {
            let name = c.one(&["action", "formAction", "onSubmit", "key", "name"]);
            match c.pick(3) {
                0 => format!("{name}={}", quoted(s, "x")),
                _ => format!("{name}={{{}}}", expression(c, s, depth + 1)),
            }
        })
        .collect();
    let attrs = if attrs.is_empty() {
        String::new()
    } else {
        format!(" {}", attrs.join(" "))
    };
    if depth > 3 || c.chance(80) {
        return format!("<{tag}{attrs} />");
    }
    let child = match c.pick(3) {
        0 => format!("{{{}}}", expression(c, s, depth + 1)),
        1 => jsx(c, s, depth + 1),
        _ => "text".to_string(),
    };
    format!("<{tag}{attrs}>{child}</{tag}>")
}

/// A next.config-like module: an object literal with the Server Actions keys, exported one of
/// the usual ways.
fn config(c: &mut Choices, s: &Style, out: &mut String) {
    let semi = s.semi;
    let mut experimental = Vec::new();
    for _ in 0..c.pick(4) {
        let entry = match c.pick(6) {
            0 => format!("serverActions: {}", c.one(&["true", "false", "{}"])),
            1 => format!(
                "serverActions: {{ bodySizeLimit: {}, allowedOrigins: [{}] }}",
                quoted(s, "2mb"),
                quoted(s, "a.com")
            ),
            2 => format!("serverActionsBodySizeLimit: {}", quoted(s, "1mb")),
            3 => format!(
                "{}: {}",
                quoted(s, "serverActions"),
                c.one(&["true", "{ bodySizeLimit: 1 }"])
            ),
            4 => format!("...{}", c.one(NAMES)),
            _ => format!("{}: {}", c.one(CONFIG_KEYS), expression(c, s, 3)),
        };
        experimental.push(entry);
    }
    let experimental = if c.chance(30) {
        c.one(NAMES).to_string()
    } else {
        format!("{{\n    {},\n  }}", experimental.join(",\n    "))
    };
    let body = format!("{{\n  reactStrictMode: true,\n  experimental: {experimental},\n}}");
    let annotation = if s.typed && c.chance(100) { ": NextConfig" } else { "" };
    match c.pick(5) {
        0 => out.push_str(&format!("module.exports = {body}{semi}\n")),
        1 => out.push_str(&format!("export default {body}{semi}\n")),
        2 => out.push_str(&format!(
            "const nextConfig{annotation} = {body}{semi}\nexport default nextConfig{semi}\n"
        )),
        3 => out.push_str(&format!(
            "const nextConfig = {body}{semi}\nmodule.exports = nextConfig{semi}\n"
        )),
        _ => out.push_str(&format!(
            "module.exports = (phase) => {{\n  return {body}{semi}\n}}{semi}\n"
        )),
    }
}
