//! gen-corpus: deterministic generator of realistic Next.js 14 App Router monorepos,
//! used to benchmark and stress-test nsa-migrate.
//!
//! Usage:
//!   gen-corpus --files N --matching P% --out DIR [--seed S] [--mode mixed|words|all]
//!              [--big K] [--force] [--no-git] [--manifest FILE]      (also --mode imports)
//!
//! ```text
//! * `--files N`     number of source files under `apps/` (configs and big generated files included;
//!                   the ignored files in `dist/`, `node_modules/`, `.next/` come on top).
//! * `--matching P%` (mode `mixed`) share of files that carry a pattern the transforms fix:
//!                   (a) useFormState from 'react-dom', (b) next.config experimental.serverActions & co,
//!                   (c) inline 'use server' function in a 'use client' component,
//!                   (d) redirect() inside try/catch in a 'use server' module.
//!                   Every other file holds none of the trigger words.
//! * `--mode words`  every file holds a trigger word, but nothing the transforms would change.
//! * `--mode all`    every file carries a changing pattern.
//! * `--mode imports` P% of files are (e) 'use client' components that import Server Actions from
//!                   `@/lib/actions` (a tsconfig `paths` alias; one 'use server' module and one
//!                   tsconfig.json per app) and use them correctly, as a form action or through
//!                   useActionState: the project rules resolve them and find nothing to change.
//!                   Every other file holds none of the trigger words.
//! * `--big K`       number of big (0.7-2.5 MB) generated files (default: 2 + N/10000, max 8; 0 below 500 files).
//! * `--force`       delete DIR first if it exists and is not empty.
//! * `--no-git`      do not write the minimal `.git/` skeleton (without it, tools built on the
//!                   `ignore` crate or ripgrep only honour `.gitignore` inside a git repository).
//! * `--manifest F`  write `path<TAB>kind<TAB>pattern<TAB>bytes` for every file (outside DIR).
//! ```
//!
//! Same arguments give the same bytes. Only std is used (splitmix64 PRNG, integer-only sampling).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::exit;
use std::time::Instant;

// ---------------------------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn derive(seed: u64, stream: u64, index: u64) -> Self {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03) ^ index.wrapping_mul(0x8CB9_2BA7_2F3D_8DD7));
        let s = r.next_u64();
        Rng(s)
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
    /// inclusive range
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.next_u64() % 100 < pct
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary (none of it may contain a trigger word)
// ---------------------------------------------------------------------------------------------

const TRIGGERS: &[&str] = &[
    "useFormState",
    "use server",
    "serverActions",
    "redirect",
    "notFound",
    "next/navigation",
    "serverComponentsExternalPackages",
    "bundlePagesExternals",
];

const ENTITIES: &[&str] = &[
    "project",
    "invoice",
    "team",
    "order",
    "product",
    "comment",
    "task",
    "report",
    "ticket",
    "member",
    "workspace",
    "document",
    "payment",
    "subscription",
    "notification",
    "asset",
    "campaign",
    "event",
    "article",
    "customer",
    "review",
    "shipment",
    "coupon",
    "webhook",
    "integration",
    "message",
    "channel",
    "booking",
    "listing",
    "course",
    "lesson",
    "playlist",
    "track",
    "vendor",
    "contract",
    "expense",
    "budget",
    "goal",
    "survey",
    "deployment",
];

const AREAS: &[&str] = &[
    "dashboard",
    "settings",
    "billing",
    "analytics",
    "admin",
    "marketing",
    "account",
    "inventory",
    "support",
    "reports",
    "onboarding",
    "catalog",
    "checkout",
    "profile",
    "search",
    "integrations",
    "ui",
    "layout",
    "forms",
    "tables",
    "charts",
    "navigation-bar",
    "shared",
];

const STATUSES: &[&str] = &[
    "draft",
    "active",
    "archived",
    "pending",
    "paid",
    "overdue",
    "open",
    "closed",
    "failed",
    "queued",
    "running",
    "done",
    "cancelled",
    "scheduled",
    "published",
];

const WORDS: &[&str] = &[
    "quick", "team", "billing", "update", "review", "monthly", "usage", "limit", "plan", "upgrade", "member", "invite",
    "access", "role", "owner", "editor", "viewer", "export", "import", "file", "upload", "download", "share", "link",
    "public", "private", "archive", "restore", "delete", "confirm", "cancel", "save", "changes", "draft", "publish",
    "schedule", "report", "weekly", "summary", "total", "amount", "balance", "invoice", "payment", "method", "card",
    "expired", "renew", "trial", "ends", "soon", "welcome", "back", "start", "guide", "tips", "help", "center",
    "contact", "sales", "feedback", "thanks", "error", "retry", "later", "offline", "online", "sync", "status",
    "healthy", "degraded", "incident", "resolved", "region", "europe", "america", "asia", "default", "custom",
    "domain", "verify", "email", "address", "phone", "number", "password", "reset", "security", "session", "device",
    "browser", "location", "activity", "log", "audit",
];

const ROUTE_SEGMENTS: &[&str] = &[
    "dashboard",
    "settings",
    "billing",
    "projects",
    "[projectId]",
    "team",
    "[teamId]",
    "(marketing)",
    "about",
    "pricing",
    "blog",
    "[slug]",
    "account",
    "profile",
    "reports",
    "analytics",
    "admin",
    "users",
    "[userId]",
    "invoices",
    "orders",
    "[orderId]",
    "products",
    "[productId]",
    "checkout",
    "cart",
    "search",
    "help",
    "docs",
    "[...slug]",
    "integrations",
    "notifications",
    "onboarding",
    "(auth)",
    "login",
    "signup",
    "members",
    "audit-log",
    "api-keys",
    "webhooks",
    "(app)",
    "overview",
    "usage",
    "exports",
    "templates",
    "[workspaceId]",
    "calendar",
    "inbox",
    "files",
    "changelog",
];

const API_SEGMENTS: &[&str] = &[
    "projects", "invoices", "users", "webhooks", "search", "health", "uploads", "teams", "orders", "products", "auth",
    "events", "metrics", "exports", "billing", "stripe", "cron", "feed", "og",
];

const APP_NAMES: &[&str] = &[
    "web",
    "admin",
    "dashboard",
    "marketing",
    "storefront",
    "docs",
    "portal",
    "studio",
    "console",
    "partners",
    "status",
    "careers",
];

const COMPONENT_SUFFIXES: &[&str] = &[
    "List",
    "Card",
    "Table",
    "Header",
    "Filters",
    "Dialog",
    "Panel",
    "Row",
    "Badge",
    "Chart",
    "Sidebar",
    "Toolbar",
    "EmptyState",
    "Skeleton",
    "Pagination",
    "Stats",
    "Summary",
    "Details",
    "Editor",
    "Picker",
    "Menu",
    "Tabs",
    "Grid",
    "Preview",
    "Timeline",
];

const LIB_NAMES: &[&str] = &[
    "queries",
    "format",
    "api",
    "cache",
    "validation",
    "constants",
    "utils",
    "permissions",
    "analytics",
    "mappers",
    "client",
    "pricing",
    "dates",
    "search",
    "storage",
    "errors",
];

const FIELD_POOL: &[(&str, &str)] = &[
    ("name", "string"),
    ("title", "string"),
    ("description", "string | null"),
    ("amount", "number"),
    ("currency", "string"),
    ("updatedAt", "string"),
    ("ownerId", "string"),
    ("tags", "string[]"),
    ("priority", "number"),
    ("archived", "boolean"),
    ("email", "string"),
    ("slug", "string"),
    ("count", "number"),
    ("dueDate", "string | null"),
    ("metadata", "Record<string, unknown>"),
    ("position", "number"),
    ("color", "string"),
    ("isPublic", "boolean"),
];

// ---------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Mixed,
    Words,
    All,
    Imports,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Pattern {
    A, // useFormState from react-dom
    B, // next.config experimental flags
    C, // inline 'use server' in client component
    D, // redirect inside try/catch in 'use server' module
    E, // client component using actions imported through a tsconfig alias (changes nothing)
}

impl Pattern {
    fn name(self) -> &'static str {
        match self {
            Pattern::A => "a:useFormState",
            Pattern::B => "b:next-config",
            Pattern::C => "c:inline-action",
            Pattern::D => "d:try-redirect",
            Pattern::E => "e:imported-action",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Config,
    Big,
    Page,
    Layout,
    Loading,
    ErrorBoundary,
    ServerComp,
    ClientComp,
    Hook,
    Lib,
    Types,
    ApiRoute,
    Barrel,
    FormComp,
    RowComp,
    Actions,
    ActionUser,
    SharedActions,
}

const NORMAL_KINDS: &[(Kind, u32)] = &[
    (Kind::Page, 13),
    (Kind::Layout, 4),
    (Kind::Loading, 3),
    (Kind::ErrorBoundary, 2),
    (Kind::ServerComp, 22),
    (Kind::ClientComp, 18),
    (Kind::Hook, 5),
    (Kind::Lib, 13),
    (Kind::Types, 6),
    (Kind::ApiRoute, 7),
    (Kind::Barrel, 2),
];

struct Slot {
    app: usize,
    kind: Kind,
    pattern: Option<Pattern>,
    target: usize,
    path: String,
}

struct Opts {
    files: usize,
    matching: f64,
    out: PathBuf,
    seed: u64,
    mode: Mode,
    big: Option<usize>,
    force: bool,
    git: bool,
    manifest: Option<PathBuf>,
}

fn usage() -> ! {
    eprintln!(
        "usage: gen-corpus --files N --matching P% --out DIR [--seed S] [--mode mixed|words|all|imports] \
         [--big K] [--force] [--no-git] [--manifest FILE]"
    );
    exit(2)
}

fn parse_args() -> Opts {
    let mut opts = Opts {
        files: 0,
        matching: 0.0,
        out: PathBuf::new(),
        seed: 1,
        mode: Mode::Mixed,
        big: None,
        force: false,
        git: true,
        manifest: None,
    };
    let mut have_files = false;
    let mut have_out = false;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    let val = |i: &mut usize| -> String {
        *i += 1;
        args.get(*i).cloned().unwrap_or_else(|| usage())
    };
    while i < args.len() {
        let a = args[i].clone();
        let (key, inline) = match a.split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let get = |i: &mut usize| inline.clone().unwrap_or_else(|| val(i));
        match key.as_str() {
            "--files" => {
                opts.files = get(&mut i).parse().unwrap_or_else(|_| usage());
                have_files = true;
            }
            "--matching" => {
                let v = get(&mut i);
                opts.matching = v.trim_end_matches('%').parse().unwrap_or_else(|_| usage());
                if !(0.0..=100.0).contains(&opts.matching) {
                    usage();
                }
            }
            "--out" => {
                opts.out = PathBuf::from(get(&mut i));
                have_out = true;
            }
            "--seed" => opts.seed = get(&mut i).parse().unwrap_or_else(|_| usage()),
            "--mode" => {
                opts.mode = match get(&mut i).as_str() {
                    "mixed" => Mode::Mixed,
                    "words" => Mode::Words,
                    "all" => Mode::All,
                    "imports" => Mode::Imports,
                    _ => usage(),
                }
            }
            "--big" => opts.big = Some(get(&mut i).parse().unwrap_or_else(|_| usage())),
            "--force" => opts.force = true,
            "--no-git" => opts.git = false,
            "--manifest" => opts.manifest = Some(PathBuf::from(get(&mut i))),
            "-h" | "--help" => usage(),
            _ => {
                eprintln!("gen-corpus: unknown argument {a}");
                usage()
            }
        }
        i += 1;
    }
    if !have_files || !have_out || opts.files == 0 {
        usage();
    }
    opts
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn pascal(s: &str) -> String {
    s.split(['-', '_', ' '])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn camel(s: &str) -> String {
    let p = pascal(s);
    let mut c = p.chars();
    match c.next() {
        Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

fn fill(tpl: &str, vars: &[(&str, &str)]) -> String {
    let mut s = tpl.to_string();
    for (k, v) in vars {
        if s.contains(k) {
            s = s.replace(k, v);
        }
    }
    s
}

fn sentence(rng: &mut Rng, min: usize, max: usize) -> String {
    let n = rng.range(min, max);
    let mut s = String::new();
    for i in 0..n {
        let w = rng.pick(WORDS);
        if i == 0 {
            s.push_str(&pascal(w));
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

/// Integer-only file size sampler: a few hundred bytes to ~60 KB, median ~2.5 KB.
fn sample_size(rng: &mut Rng) -> usize {
    const BUCKETS: &[(usize, usize, u32)] = &[
        (250, 800, 180),
        (800, 2000, 320),
        (2000, 5000, 300),
        (5000, 12000, 130),
        (12000, 30000, 55),
        (30000, 60000, 15),
    ];
    let weights: Vec<u32> = BUCKETS.iter().map(|b| b.2).collect();
    let b = BUCKETS[rng.weighted(&weights)];
    rng.range(b.0, b.1)
}

/// Per-file identifier bookkeeping: every block gets a unique stem.
struct Names {
    used: HashSet<String>,
}

/// Identifier stem for one block: entity based, numbered when reused in the same file.
struct Stem {
    e: String,  // base entity, lower case ("project")
    es: String, // plural text ("projects")
    s: String,  // camel stem ("project2")
    ss: String, // camel plural stem ("projects2")
    p: String,  // Pascal stem ("Project2")
    ps: String, // Pascal plural stem ("Projects2")
    up: String, // UPPER stem ("PROJECT2")
}

impl Names {
    fn new() -> Self {
        Names { used: HashSet::new() }
    }
    fn stem(&mut self, block: &str, entity: &str) -> Stem {
        let mut n = 1;
        loop {
            let key = format!("{block}:{entity}:{n}");
            if self.used.insert(key) {
                break;
            }
            n += 1;
        }
        let suffix = if n == 1 { String::new() } else { n.to_string() };
        let es = format!("{entity}s");
        Stem {
            e: entity.to_string(),
            s: format!("{}{}", camel(entity), suffix),
            ss: format!("{}{}", camel(&es), suffix),
            p: format!("{}{}", pascal(entity), suffix),
            ps: format!("{}{}", pascal(&es), suffix),
            up: format!("{}{}", entity.to_ascii_uppercase(), suffix),
            es,
        }
    }
}

/// Fill a block template with the stem placeholders plus a few random numbers/statuses.
fn fill_block(rng: &mut Rng, tpl: &str, st: &Stem, exp: &str) -> String {
    let n = rng.range(10, 600).to_string();
    let n1 = rng.range(2, 6).to_string();
    let n2 = rng.range(30, 3600).to_string();
    let n3 = rng.range(40, 200).to_string();
    let st1 = rng.pick(STATUSES);
    let mut st2 = rng.pick(STATUSES);
    if st2 == st1 {
        st2 = if st1 == "draft" { "active" } else { "draft" };
    }
    let st3 = if st1 != "archived" && st2 != "archived" {
        "archived"
    } else {
        "closed"
    };
    let (st1p, st2p) = (pascal(st1), pascal(st2));
    fill(
        tpl,
        &[
            ("«X»", exp),
            ("«Ss»", &st.ps),
            ("«ss»", &st.ss),
            ("«S»", &st.p),
            ("«s»", &st.s),
            ("«es»", &st.es),
            ("«e»", &st.e),
            ("«E»", &pascal(&st.e)),
            ("«SS»", &st.up),
            ("«n»", &n),
            ("«n1»", &n1),
            ("«n2»", &n2),
            ("«n3»", &n3),
            ("«st1»", st1),
            ("«st2»", st2),
            ("«st3»", st3),
            ("«St1»", &st1p),
            ("«St2»", &st2p),
        ],
    )
}

// ---------------------------------------------------------------------------------------------
// Code templates. Placeholders: «X» export prefix, «S»/«s»/«Ss»/«ss»/«SS» stems, «e»/«es» text,
// «n»… numbers, «st1»… statuses.
// ---------------------------------------------------------------------------------------------

// (template, name, is_async_function)
const TS_BLOCKS: &[(&str, &str, bool)] = &[
    (T_INTERFACE, "iface", false),
    (T_FETCH, "fetch", true),
    (T_FORMAT, "format", false),
    (T_CACHE, "cache", false),
    (T_VALIDATE, "validate", false),
    (T_OPTIONS, "options", false),
    (T_GROUPBY, "groupby", false),
    (T_ENUM, "enum", false),
    (T_REDUCER, "reducer", false),
    (T_MAPPER, "mapper", false),
    (T_RETRY, "retry", true),
    (T_AGG, "agg", true),
    (T_UTILTYPES, "utiltypes", false),
    (T_PAGINATE, "paginate", false),
];

const T_INTERFACE: &str = r#"«X»type «S»Status = '«st1»' | '«st2»' | '«st3»';

«X»interface «S» {
  id: string;
  createdAt: string;
  status: «S»Status;
«fields»}

«X»type «S»Input = Omit<«S», 'id' | 'createdAt'>;
"#;

const T_FETCH: &str = r#"type «S»Record = { id: string; name: string; updatedAt: string; status: '«st1»' | '«st2»' };

«X»async function get«Ss»(params: { page?: number; pageSize?: number; query?: string } = {}): Promise<{ items: «S»Record[]; total: number }> {
  const search = new URLSearchParams();
  if (params.page) search.set('page', String(params.page));
  if (params.pageSize) search.set('pageSize', String(params.pageSize));
  if (params.query) search.set('q', params.query);
  const res = await fetch(`${process.env.API_URL ?? 'http://localhost:4000'}/«es»?${search.toString()}`, {
    headers: { Accept: 'application/json' },
    next: { revalidate: «n», tags: ['«es»'] },
  });
  if (!res.ok) {
    throw new Error(`get«Ss» failed with status ${res.status}`);
  }
  return (await res.json()) as { items: «S»Record[]; total: number };
}
"#;

const T_FORMAT: &str = r#"«X»function format«S»Amount(value: number, currency = 'USD', locale = 'en-US'): string {
  if (!Number.isFinite(value)) return '-';
  return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 2 }).format(value / 100);
}

«X»function format«S»Date(iso: string | null | undefined, locale = 'en-US'): string {
  if (!iso) return 'Never';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? 'Invalid date'
    : date.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}
"#;

const T_CACHE: &str = r#"«X»class «S»Cache<T> {
  private readonly store = new Map<string, { value: T; expiresAt: number }>();

  constructor(private readonly ttlMs: number = «n» * 1000) {}

  get(key: string): T | undefined {
    const entry = this.store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt < Date.now()) {
      this.store.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T): void {
    this.store.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }

  get size(): number {
    return this.store.size;
  }
}
"#;

const T_VALIDATE: &str = r#"«X»type «S»Errors = Partial<Record<'name' | 'email' | 'description', string>>;

«X»function validate«S»(input: Record<string, unknown>): «S»Errors {
  const errors: «S»Errors = {};
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length < 2) {
    errors.name = 'Name must be at least 2 characters';
  } else if (name.length > «n3») {
    errors.name = `Name must be at most «n3» characters`;
  }
  if (typeof input.email === 'string' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email)) {
    errors.email = 'Enter a valid email address';
  }
  if (typeof input.description === 'string' && input.description.length > 2000) {
    errors.description = 'Description is too long';
  }
  return errors;
}
"#;

const T_OPTIONS: &str = r#"«X»const «SS»_SORT_OPTIONS = [
  { value: 'createdAt', label: 'Newest first' },
  { value: 'name', label: 'Name (A-Z)' },
  { value: 'updatedAt', label: 'Recently updated' },
  { value: 'status', label: 'Status' },
] as const;

«X»type «S»SortKey = (typeof «SS»_SORT_OPTIONS)[number]['value'];

«X»const «SS»_PAGE_SIZE = «n»;
"#;

const T_GROUPBY: &str = r#"«X»function group«Ss»By<T, K extends PropertyKey>(items: readonly T[], keyOf: (item: T) => K): Record<K, T[]> {
  return items.reduce((acc, item) => {
    const key = keyOf(item);
    (acc[key] ||= []).push(item);
    return acc;
  }, {} as Record<K, T[]>);
}
"#;

const T_ENUM: &str = r#"«X»enum «S»Priority {
  Low = 'low',
  Medium = 'medium',
  High = 'high',
  Urgent = 'urgent',
}

«X»const «s»PriorityLabel: Record<«S»Priority, string> = {
  [«S»Priority.Low]: 'Low',
  [«S»Priority.Medium]: 'Medium',
  [«S»Priority.High]: 'High',
  [«S»Priority.Urgent]: 'Urgent',
};
"#;

const T_REDUCER: &str = r#"«X»type «S»State = { items: Array<{ id: string; qty: number }>; updatedAt: number };

«X»type «S»Action =
  | { type: 'add'; id: string; qty?: number }
  | { type: 'remove'; id: string }
  | { type: 'reset' };

«X»function «s»Reducer(state: «S»State, action: «S»Action): «S»State {
  switch (action.type) {
    case 'add': {
      const existing = state.items.find((item) => item.id === action.id);
      const items = existing
        ? state.items.map((item) => (item.id === action.id ? { ...item, qty: item.qty + (action.qty ?? 1) } : item))
        : [...state.items, { id: action.id, qty: action.qty ?? 1 }];
      return { items, updatedAt: Date.now() };
    }
    case 'remove':
      return { items: state.items.filter((item) => item.id !== action.id), updatedAt: Date.now() };
    case 'reset':
      return { items: [], updatedAt: Date.now() };
    default:
      return state;
  }
}
"#;

const T_MAPPER: &str = r#"type Api«S» = { id: string; display_name: string | null; updated_at: string; owner?: { id: string; email: string } };

«X»type «S»Row = { id: string; label: string; updated: string; ownerEmail: string };

«X»function to«S»Row(input: Api«S»): «S»Row {
  return {
    id: input.id,
    label: input.display_name ?? 'Untitled',
    updated: new Date(input.updated_at).toISOString().slice(0, 10),
    ownerEmail: input.owner?.email ?? 'unknown',
  };
}

«X»function to«S»Rows(inputs: Api«S»[]): «S»Row[] {
  return inputs.map(to«S»Row).sort((a, b) => b.updated.localeCompare(a.updated));
}
"#;

const T_RETRY: &str = r#"«X»async function with«S»Retry<T>(task: () => Promise<T>, attempts = «n1»): Promise<T> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i += 1) {
    try {
      return await task();
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 2 ** i * 100));
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
"#;

const T_AGG: &str = r#"«X»async function load«S»Overview(id: string) {
  const base = process.env.API_URL ?? 'http://localhost:4000';
  const [summary, activity, members] = await Promise.all([
    fetch(`${base}/«es»/${id}/summary`).then((r) => r.json() as Promise<{ total: number; open: number }>),
    fetch(`${base}/«es»/${id}/activity?limit=«n»`).then((r) => r.json() as Promise<Array<{ at: string; kind: string }>>),
    fetch(`${base}/«es»/${id}/members`, { cache: 'no-store' }).then((r) => r.json() as Promise<Array<{ id: string; role: string }>>),
  ]);
  return { summary, activity: activity.slice(0, 10), memberCount: members.length };
}
"#;

const T_UTILTYPES: &str = r#"«X»type «S»DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? «S»DeepPartial<T[K]> : T[K] };

«X»type «S»Paginated<T> = {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  hasMore: boolean;
};

«X»type «S»EventMap = {
  created: { id: string; at: number };
  updated: { id: string; changes: string[] };
  removed: { id: string };
};

«X»type «S»Listener<K extends keyof «S»EventMap> = (payload: «S»EventMap[K]) => void;
"#;

const T_PAGINATE: &str = r#"«X»async function* iterate«Ss»(pageSize = «n»): AsyncGenerator<Array<{ id: string }>, void, unknown> {
  let page = 1;
  while (true) {
    const res = await fetch(`/api/«es»?page=${page}&pageSize=${pageSize}`);
    if (!res.ok) return;
    const batch = (await res.json()) as Array<{ id: string }>;
    if (batch.length === 0) return;
    yield batch;
    page += 1;
  }
}
"#;

// JSX blocks usable in server and client components.
const JSX_SHARED: &[(&str, &str)] = &[
    (X_CARD, "card"),
    (X_TABLE, "table"),
    (X_STATS, "stats"),
    (X_SKELETON, "skeleton"),
    (X_EMPTY, "empty"),
];
// JSX blocks only for server components (async components).
const JSX_SERVER: &[(&str, &str)] = &[(X_ASYNCLIST, "asynclist"), (X_ASYNCDETAIL, "asyncdetail")];
// JSX blocks only for 'use client' components (hooks).
const JSX_CLIENT: &[(&str, &str)] = &[
    (X_FILTERS, "filters"),
    (X_DIALOG, "dialog"),
    (X_LIVE, "live"),
    (X_TABS, "tabs"),
];

const X_CARD: &str = r#"«X»function «S»Card({ title, subtitle, href, status }: { title: string; subtitle?: string; href: string; status?: '«st1»' | '«st2»' }) {
  return (
    <article className="rounded-lg border p-4 shadow-sm transition hover:shadow-md">
      <header className="flex items-center justify-between gap-2">
        <h3 className="truncate text-base font-medium">
          <a href={href}>{title}</a>
        </h3>
        {status ? <span className={status === '«st1»' ? 'text-green-700' : 'text-gray-500'}>{status}</span> : null}
      </header>
      {subtitle && <p className="mt-1 line-clamp-2 text-sm text-gray-600">{subtitle}</p>}
    </article>
  );
}
"#;

const X_TABLE: &str = r#"type «S»Column = { key: string; header: string; align?: 'left' | 'right' };

const «s»Columns: «S»Column[] = [
  { key: 'name', header: 'Name' },
  { key: 'status', header: 'Status' },
  { key: 'owner', header: 'Owner' },
  { key: 'amount', header: 'Amount', align: 'right' },
];

«X»function «S»Table({ rows }: { rows: Array<Record<string, string | number>> }) {
  if (rows.length === 0) {
    return <p className="py-8 text-center text-sm text-gray-500">No «es» found.</p>;
  }
  return (
    <table className="w-full text-sm">
      <thead>
        <tr>
          {«s»Columns.map((column) => (
            <th key={column.key} className={column.align === 'right' ? 'text-right' : 'text-left'}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={String(row.id ?? index)} className="border-t">
            {«s»Columns.map((column) => (
              <td key={column.key} className="px-2 py-1.5">
                {row[column.key] ?? '-'}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
"#;

const X_STATS: &str = r#"«X»function «S»Stats({ total, open, closed }: { total: number; open: number; closed: number }) {
  const items = [
    { label: 'Total', value: total },
    { label: 'Open', value: open },
    { label: 'Closed', value: closed },
  ];
  return (
    <dl className="grid grid-cols-3 gap-4">
      {items.map((item) => (
        <div key={item.label} className="rounded-md bg-gray-50 p-3">
          <dt className="text-xs uppercase tracking-wide text-gray-500">{item.label}</dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums">{item.value.toLocaleString()}</dd>
        </div>
      ))}
    </dl>
  );
}
"#;

const X_SKELETON: &str = r#"«X»function «S»Skeleton({ rows = «n1» }: { rows?: number }) {
  return (
    <div role="status" aria-label="Loading «es»" className="animate-pulse space-y-2">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="h-4 rounded bg-gray-200" style={{ width: `${60 + ((i * 17) % 40)}%` }} />
      ))}
      <span className="sr-only">Loading...</span>
    </div>
  );
}
"#;

const X_EMPTY: &str = r#"«X»function «S»EmptyState({ onCreate }: { onCreate?: () => void }) {
  return (
    <>
      <div className="flex flex-col items-center gap-3 py-12 text-center">
        <svg aria-hidden="true" viewBox="0 0 24 24" className="h-10 w-10 text-gray-400">
          <path fill="none" stroke="currentColor" strokeWidth={1.5} d="M3 7h18M3 12h18M3 17h12" />
        </svg>
        <h3 className="text-base font-semibold">No «es» yet</h3>
        <p className="max-w-sm text-sm text-gray-500">Create your first «e» to get started.</p>
      </div>
      {onCreate ? (
        <button type="button" onClick={onCreate} className="mx-auto block rounded bg-black px-3 py-1.5 text-white">
          New «e»
        </button>
      ) : null}
    </>
  );
}
"#;

const X_ASYNCLIST: &str = r#"«X»async function «S»List({ limit = «n» }: { limit?: number }) {
  const res = await fetch(`${process.env.API_URL}/«es»?limit=${limit}`, { next: { revalidate: «n2» } });
  const items = res.ok ? ((await res.json()) as Array<{ id: string; name: string; updatedAt: string }>) : [];
  return (
    <ul className="divide-y rounded-md border">
      {items.map((item) => (
        <li key={item.id} className="flex items-center justify-between px-3 py-2">
          <span className="font-medium">{item.name}</span>
          <time dateTime={item.updatedAt} className="text-xs text-gray-500">
            {new Date(item.updatedAt).toLocaleDateString()}
          </time>
        </li>
      ))}
    </ul>
  );
}
"#;

const X_ASYNCDETAIL: &str = r#"«X»async function «S»Details({ id }: { id: string }) {
  const res = await fetch(`${process.env.API_URL}/«es»/${encodeURIComponent(id)}`, { cache: 'no-store' });
  if (!res.ok) {
    return <p className="text-sm text-gray-500">This «e» is not available.</p>;
  }
  const «s» = (await res.json()) as { id: string; name: string; description?: string; tags: string[] };
  return (
    <section aria-labelledby={`«s»-${«s».id}`} className="space-y-2">
      <h2 id={`«s»-${«s».id}`} className="text-xl font-semibold">
        {«s».name}
      </h2>
      {«s».description ? <p className="text-gray-700">{«s».description}</p> : <p className="italic text-gray-400">No description</p>}
      <ul className="flex flex-wrap gap-1">
        {«s».tags.map((tag) => (
          <li key={tag} className="rounded-full bg-gray-100 px-2 py-0.5 text-xs">
            #{tag}
          </li>
        ))}
      </ul>
    </section>
  );
}
"#;

const X_FILTERS: &str = r#"«X»function «S»Filters({ onChange }: { onChange: (filters: { query: string; status: string }) => void }) {
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState('all');
  const normalized = useMemo(() => query.trim().toLowerCase(), [query]);

  useEffect(() => {
    const id = setTimeout(() => onChange({ query: normalized, status }), 250);
    return () => clearTimeout(id);
  }, [normalized, status, onChange]);

  return (
    <div className="flex gap-2">
      <input
        type="search"
        value={query}
        placeholder="Search «es»..."
        onChange={(event) => setQuery(event.target.value)}
        className="w-64 rounded border px-2 py-1"
      />
      <select value={status} onChange={(event) => setStatus(event.target.value)} className="rounded border px-2 py-1">
        <option value="all">All</option>
        <option value="«st1»">«St1»</option>
        <option value="«st2»">«St2»</option>
      </select>
    </div>
  );
}
"#;

const X_DIALOG: &str = r#"«X»function «S»Dialog({ title, children }: { title: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, close]);

  return (
    <>
      <button type="button" onClick={() => setOpen(true)} className="rounded border px-3 py-1.5">
        {title}
      </button>
      {open && (
        <div role="dialog" aria-modal="true" aria-labelledby="«s»-dialog-title" className="fixed inset-0 grid place-items-center bg-black/40">
          <div className="w-full max-w-md rounded-lg bg-white p-6">
            <h2 id="«s»-dialog-title" className="text-lg font-semibold">
              {title}
            </h2>
            <div className="mt-4">{children}</div>
            <button type="button" onClick={close} className="mt-6 text-sm underline">
              Close
            </button>
          </div>
        </div>
      )}
    </>
  );
}
"#;

const X_LIVE: &str = r#"«X»function «S»Live({ id }: { id: string }) {
  const [data, setData] = useState<{ status: string; updatedAt: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    async function load() {
      try {
        const res = await fetch(`/api/«es»/${id}`, { cache: 'no-store' });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const json = (await res.json()) as { status: string; updatedAt: string };
        if (!cancelled) setData(json);
      } catch (err) {
        if (!cancelled) setError(err instanceof Error ? err.message : 'Unknown error');
      }
    }
    load();
    const timer = setInterval(load, «n1»000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [id]);

  if (error) return <p role="alert" className="text-sm text-red-600">{error}</p>;
  if (!data) return <p className="text-sm text-gray-500">Loading...</p>;
  return (
    <p className="text-sm">
      Status: <strong>{data.status}</strong> <span className="text-gray-500">({data.updatedAt})</span>
    </p>
  );
}
"#;

const X_TABS: &str = r#"const «s»Tabs = ['overview', 'activity', 'settings'] as const;

«X»function «S»Tabs({ initial = 'overview' }: { initial?: (typeof «s»Tabs)[number] }) {
  const [active, setActive] = useState(initial);
  const labels = useMemo(
    () => Object.fromEntries(«s»Tabs.map((tab) => [tab, tab.charAt(0).toUpperCase() + tab.slice(1)])),
    [],
  );
  return (
    <div>
      <div role="tablist" className="flex gap-4 border-b">
        {«s»Tabs.map((tab) => (
          <button
            key={tab}
            role="tab"
            type="button"
            aria-selected={active === tab}
            onClick={() => setActive(tab)}
            className={active === tab ? 'border-b-2 border-black pb-2 font-medium' : 'pb-2 text-gray-500'}
          >
            {labels[tab]}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="pt-4">
        {active === 'overview' && <p>Overview of this «e».</p>}
        {active === 'activity' && <p>Recent activity will show up here.</p>}
        {active === 'settings' && <p>Settings for this «e».</p>}
      </div>
    </div>
  );
}
"#;

const HOOK_BLOCKS: &[(&str, &str)] = &[(H_QUERY, "hquery"), (H_DEBOUNCE, "hdebounce"), (H_STORAGE, "hstorage")];

const H_QUERY: &str = r#"«X»function use«S»Query(url: string, options: { intervalMs?: number } = {}) {
  const [data, setData] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);
  const mounted = useRef(true);

  const refetch = useCallback(async () => {
    setLoading(true);
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`Request failed: ${res.status}`);
      const json: unknown = await res.json();
      if (mounted.current) setData(json);
    } catch (err) {
      if (mounted.current) setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      if (mounted.current) setLoading(false);
    }
  }, [url]);

  useEffect(() => {
    mounted.current = true;
    refetch();
    const timer = options.intervalMs ? setInterval(refetch, options.intervalMs) : undefined;
    return () => {
      mounted.current = false;
      if (timer) clearInterval(timer);
    };
  }, [refetch, options.intervalMs]);

  return { data, loading, error, refetch };
}
"#;

const H_DEBOUNCE: &str = r#"«X»function use«S»Debounced<T>(value: T, delayMs = «n»): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(id);
  }, [value, delayMs]);
  return debounced;
}
"#;

const H_STORAGE: &str = r#"«X»function use«S»Stored<T>(key: string, fallback: T) {
  const [value, setValue] = useState<T>(() => {
    if (typeof window === 'undefined') return fallback;
    try {
      const raw = window.localStorage.getItem(key);
      return raw ? (JSON.parse(raw) as T) : fallback;
    } catch {
      return fallback;
    }
  });

  const update = useCallback(
    (next: T) => {
      setValue(next);
      window.localStorage.setItem(key, JSON.stringify(next));
    },
    [key],
  );

  return [value, update] as const;
}
"#;

// ---------------------------------------------------------------------------------------------
// File builder
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Flavor {
    Ts,        // plain .ts module
    ServerTsx, // server component module
    ClientTsx, // 'use client' component module
    ClientTs,  // 'use client' hook module
    Actions,   // 'use server' module: only async functions may be exported
    Route,     // page / layout (.tsx): extra helpers are not exported
    RouteTs,   // route handlers (.ts): extra helpers are not exported, no JSX
}

struct FileBuilder {
    header: String,
    blocks: Vec<String>,
}

impl FileBuilder {
    fn new(header: &str) -> Self {
        FileBuilder {
            header: header.to_string(),
            blocks: Vec::new(),
        }
    }
    fn len(&self) -> usize {
        self.header.len() + self.blocks.iter().map(|b| b.len() + 1).sum::<usize>()
    }
    fn render(&self) -> String {
        let mut s = String::with_capacity(self.len() + 8);
        s.push_str(&self.header);
        for b in &self.blocks {
            s.push('\n');
            s.push_str(b);
        }
        s
    }
}

fn ts_block(rng: &mut Rng, names: &mut Names, flavor: Flavor) -> String {
    let (tpl, name, is_async) = rng.pick(TS_BLOCKS);
    let st = names.stem(name, rng.pick(ENTITIES));
    let exp = match flavor {
        Flavor::Actions => {
            if is_async {
                "export "
            } else {
                ""
            }
        }
        Flavor::Route | Flavor::RouteTs => "",
        _ => {
            if rng.chance(60) {
                "export "
            } else {
                ""
            }
        }
    };
    let mut out = fill_block(rng, tpl, &st, exp);
    if out.contains("«fields»") {
        let mut fields = String::new();
        let k = rng.range(2, 7);
        let mut seen = HashSet::new();
        for _ in 0..k {
            let (f, t) = rng.pick(FIELD_POOL);
            if seen.insert(f) {
                let opt = if rng.chance(25) { "?" } else { "" };
                let _ = writeln!(fields, "  {f}{opt}: {t};");
            }
        }
        out = out.replace("«fields»", &fields);
    }
    out
}

fn copy_block(rng: &mut Rng, names: &mut Names, flavor: Flavor) -> String {
    let st = names.stem("copy", rng.pick(ENTITIES));
    let exp = if matches!(flavor, Flavor::Actions | Flavor::Route) {
        ""
    } else {
        "export "
    };
    let mut s = format!("{exp}const {}Copy = {{\n", st.s);
    let n = rng.range(8, 40);
    for i in 0..n {
        let _ = writeln!(s, "  '{}.{}.{}': '{}',", st.e, rng.pick(WORDS), i, sentence(rng, 3, 14));
    }
    s.push_str("} as const;\n");
    s
}

fn jsx_block(rng: &mut Rng, names: &mut Names, flavor: Flavor, exp: &str) -> String {
    let server = flavor == Flavor::ServerTsx || flavor == Flavor::Route;
    let client = flavor == Flavor::ClientTsx;
    let r = rng.below(100);
    let (tpl, name) = if client && r < 45 {
        rng.pick(JSX_CLIENT)
    } else if server && r < 35 {
        rng.pick(JSX_SERVER)
    } else {
        rng.pick(JSX_SHARED)
    };
    let st = names.stem(name, rng.pick(ENTITIES));
    fill_block(rng, tpl, &st, exp)
}

fn hook_block(rng: &mut Rng, names: &mut Names, exp: &str) -> String {
    let (tpl, name) = rng.pick(HOOK_BLOCKS);
    let st = names.stem(name, rng.pick(ENTITIES));
    fill_block(rng, tpl, &st, exp)
}

/// Append filler blocks until the file reaches its target size.
fn pad(fb: &mut FileBuilder, rng: &mut Rng, names: &mut Names, flavor: Flavor, target: usize) {
    let tsx = matches!(flavor, Flavor::ServerTsx | Flavor::ClientTsx | Flavor::Route);
    let mut guard = 0;
    while fb.len() < target && guard < 10_000 {
        guard += 1;
        let r = rng.below(100);
        let b = if r < 7 {
            copy_block(rng, names, flavor)
        } else if tsx && r < 60 {
            let exp = match flavor {
                Flavor::Route => "",
                _ => {
                    if rng.chance(50) {
                        "export "
                    } else {
                        ""
                    }
                }
            };
            jsx_block(rng, names, flavor, exp)
        } else if flavor == Flavor::ClientTs && r < 55 {
            hook_block(rng, names, "export ")
        } else {
            ts_block(rng, names, flavor)
        };
        fb.blocks.push(b);
    }
}

// ---------------------------------------------------------------------------------------------
// Per-kind generators
// ---------------------------------------------------------------------------------------------

const CLIENT_HEADER: &str = "'use client';\n\nimport { useCallback, useEffect, useMemo, useState } from 'react';\nimport type { ReactNode } from 'react';\n";

fn gen_page(rng: &mut Rng, names: &mut Names, slot: &Slot) -> (FileBuilder, Flavor) {
    let st = names.stem("page", rng.pick(ENTITIES));
    let param = rng
        .pick(&["id", "slug", "teamId", "projectId", "workspaceId"])
        .to_string();
    let title = pascal(&st.es);
    let mut fb = FileBuilder::new(
        "import type { Metadata } from 'next';\nimport { Suspense } from 'react';\nimport Link from 'next/link';\n",
    );
    let desc = sentence(rng, 4, 12);
    let main = fill_block(
        rng,
        r#"export const metadata: Metadata = {
  title: '«TITLE»',
  description: '«DESC»',
};

export const revalidate = «n»;

type PageProps = {
  params: { «PARAM»: string };
  searchParams: { [key: string]: string | string[] | undefined };
};

export default async function «S»Page({ params, searchParams }: PageProps) {
  const page = Number(Array.isArray(searchParams.page) ? searchParams.page[0] : (searchParams.page ?? '1'));
  const res = await fetch(`${process.env.API_URL}/«es»?page=${page}&scope=${params.«PARAM»}`, { next: { revalidate } });
  const data = res.ok
    ? ((await res.json()) as { items: Array<{ id: string; name: string }>; total: number })
    : { items: [], total: 0 };

  return (
    <main className="mx-auto max-w-5xl space-y-6 p-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-bold tracking-tight">«TITLE»</h1>
        <Link href="/«es»/new" className="rounded bg-black px-3 py-1.5 text-sm text-white">
          New «e»
        </Link>
      </div>
      <Suspense fallback={<p>Loading...</p>}>
        <ul className="grid gap-3 sm:grid-cols-2">
          {data.items.map((item) => (
            <li key={item.id}>
              <Link href={`/«es»/${item.id}`} className="block rounded border p-3 hover:bg-gray-50">
                {item.name}
              </Link>
            </li>
          ))}
        </ul>
      </Suspense>
      <p className="text-sm text-gray-500">
        Showing {data.items.length} of {data.total}
      </p>
    </main>
  );
}
"#,
        &st,
        "",
    );
    let main = fill(&main, &[("«TITLE»", &title), ("«DESC»", &desc), ("«PARAM»", &param)]);
    fb.blocks.push(main);
    let _ = slot;
    (fb, Flavor::Route)
}

fn gen_layout(rng: &mut Rng, names: &mut Names, slot: &Slot, app_name: &str) -> (FileBuilder, Flavor) {
    let root = slot.path.ends_with("/app/layout.tsx");
    if root {
        let mut fb = FileBuilder::new(
            "import type { Metadata } from 'next';\nimport type { ReactNode } from 'react';\nimport { Inter } from 'next/font/google';\nimport './globals.css';\n",
        );
        let title = pascal(app_name);
        fb.blocks.push(format!(
            r#"const inter = Inter({{ subsets: ['latin'], display: 'swap' }});

export const metadata: Metadata = {{
  title: {{ default: 'Acme {title}', template: '%s | Acme {title}' }},
  description: '{}',
}};

export default function RootLayout({{ children }}: {{ children: ReactNode }}) {{
  return (
    <html lang="en" className={{inter.className}}>
      <body className="min-h-screen bg-white text-gray-900 antialiased">{{children}}</body>
    </html>
  );
}}
"#,
            sentence(rng, 4, 10)
        ));
        return (fb, Flavor::Route);
    }
    let mut fb = FileBuilder::new("import type { ReactNode } from 'react';\nimport Link from 'next/link';\n");
    let st = names.stem("layout", rng.pick(ENTITIES));
    let mut nav = String::from("const nav = [\n");
    for _ in 0..rng.range(3, 8) {
        let seg = rng
            .pick(ROUTE_SEGMENTS)
            .trim_matches(|c| c == '[' || c == ']' || c == '(' || c == ')' || c == '.');
        let _ = writeln!(nav, "  {{ href: '/{seg}', label: '{}' }},", pascal(seg));
    }
    nav.push_str("];\n");
    fb.blocks.push(nav);
    fb.blocks.push(fill_block(
        rng,
        r#"export default function «S»Layout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen">
      <aside className="w-56 shrink-0 border-r p-4">
        <nav aria-label="«E» navigation" className="flex flex-col gap-1">
          {nav.map((item) => (
            <Link key={item.href} href={item.href} className="rounded px-2 py-1 text-sm hover:bg-gray-100">
              {item.label}
            </Link>
          ))}
        </nav>
      </aside>
      <div className="flex-1 p-6">{children}</div>
    </div>
  );
}
"#,
        &st,
        "",
    ));
    (fb, Flavor::Route)
}

fn gen_loading(rng: &mut Rng, names: &mut Names) -> (FileBuilder, Flavor) {
    let st = names.stem("loading", rng.pick(ENTITIES));
    let mut fb = FileBuilder::new("");
    fb.header.clear();
    fb.blocks.push(fill_block(
        rng,
        r#"export default function Loading() {
  return (
    <div role="status" className="flex items-center gap-2 p-6 text-sm text-gray-500">
      <span className="h-4 w-4 animate-spin rounded-full border-2 border-gray-300 border-t-transparent" />
      Loading «es»...
    </div>
  );
}
"#,
        &st,
        "",
    ));
    (fb, Flavor::Route)
}

fn gen_error(rng: &mut Rng, names: &mut Names) -> (FileBuilder, Flavor) {
    let st = names.stem("error", rng.pick(ENTITIES));
    let mut fb = FileBuilder::new("'use client';\n\nimport { useEffect } from 'react';\n");
    fb.blocks.push(fill_block(
        rng,
        r#"export default function Error({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error('«e» segment failed', error);
  }, [error]);

  return (
    <div role="alert" className="space-y-3 p-6">
      <h2 className="text-lg font-semibold">Something went wrong while loading «es»</h2>
      <p className="text-sm text-gray-600">{error.message}</p>
      {error.digest ? <code className="text-xs text-gray-400">{error.digest}</code> : null}
      <button type="button" onClick={() => reset()} className="rounded border px-3 py-1.5 text-sm">
        Try again
      </button>
    </div>
  );
}
"#,
        &st,
        "",
    ));
    (fb, Flavor::Route)
}

fn gen_server_comp(rng: &mut Rng, names: &mut Names) -> (FileBuilder, Flavor) {
    let mut header = String::from("import Link from 'next/link';\n");
    if rng.chance(40) {
        header.push_str("import Image from 'next/image';\n");
    }
    if rng.chance(30) {
        header.push_str("import { cache } from 'react';\n");
    }
    let mut fb = FileBuilder::new(&header);
    let b = jsx_block(rng, names, Flavor::ServerTsx, "export default ");
    fb.blocks.push(b);
    (fb, Flavor::ServerTsx)
}

fn gen_client_comp(rng: &mut Rng, names: &mut Names) -> (FileBuilder, Flavor) {
    let mut fb = FileBuilder::new(CLIENT_HEADER);
    let (tpl, name) = rng.pick(JSX_CLIENT);
    let st = names.stem(name, rng.pick(ENTITIES));
    fb.blocks.push(fill_block(rng, tpl, &st, "export default "));
    (fb, Flavor::ClientTsx)
}

fn gen_hook(rng: &mut Rng, names: &mut Names) -> (FileBuilder, Flavor) {
    let mut fb =
        FileBuilder::new("'use client';\n\nimport { useCallback, useEffect, useRef, useState } from 'react';\n");
    fb.blocks.push(hook_block(rng, names, "export "));
    (fb, Flavor::ClientTs)
}

fn gen_lib(rng: &mut Rng, names: &mut Names) -> (FileBuilder, Flavor) {
    let mut header = String::new();
    if rng.chance(30) {
        header.push_str("import 'server-only';\n");
    }
    if rng.chance(40) {
        header.push_str("import { cache } from 'react';\n");
    }
    if rng.chance(40) {
        header.push_str("import type { Metadata } from 'next';\n");
    }
    if header.is_empty() {
        header.push_str("// Shared helpers for data access and formatting.\n");
    }
    let mut fb = FileBuilder::new(&header);
    let st = names.stem("fetch", rng.pick(ENTITIES));
    fb.blocks.push(fill_block(rng, T_FETCH, &st, "export "));
    (fb, Flavor::Ts)
}

fn gen_types(rng: &mut Rng, names: &mut Names) -> (FileBuilder, Flavor) {
    let mut fb = FileBuilder::new("// Domain types shared between server and client code.\n");
    let st = names.stem("iface", rng.pick(ENTITIES));
    let mut b = fill_block(rng, T_INTERFACE, &st, "export ");
    let mut fields = String::new();
    for (f, t) in FIELD_POOL.iter().take(rng.range(3, FIELD_POOL.len())) {
        let _ = writeln!(fields, "  {f}: {t};");
    }
    b = b.replace("«fields»", &fields);
    fb.blocks.push(b);
    (fb, Flavor::Ts)
}

fn gen_api_route(rng: &mut Rng, names: &mut Names) -> (FileBuilder, Flavor) {
    let st = names.stem("route", rng.pick(ENTITIES));
    let mut fb = FileBuilder::new(
        "import { NextResponse } from 'next/server';\nimport type { NextRequest } from 'next/server';\n",
    );
    fb.blocks.push(fill_block(
        rng,
        r#"export const dynamic = 'force-dynamic';

const UPSTREAM = process.env.API_URL ?? 'http://localhost:4000';

export async function GET(request: NextRequest) {
  const { searchParams } = new URL(request.url);
  const q = searchParams.get('q') ?? '';
  const limit = Math.min(Number(searchParams.get('limit') ?? «n»), 100);
  const res = await fetch(`${UPSTREAM}/«es»?q=${encodeURIComponent(q)}&limit=${limit}`, { cache: 'no-store' });
  if (!res.ok) {
    return NextResponse.json({ error: 'Upstream error' }, { status: 502 });
  }
  const items = (await res.json()) as Array<{ id: string; name: string }>;
  return NextResponse.json({ items, count: items.length });
}

export async function POST(request: NextRequest) {
  const body = (await request.json().catch(() => null)) as { name?: string } | null;
  if (!body?.name) {
    return NextResponse.json({ error: 'name is required' }, { status: 400 });
  }
  const res = await fetch(`${UPSTREAM}/«es»`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: request.headers.get('authorization') ?? '' },
    body: JSON.stringify({ name: body.name }),
  });
  return NextResponse.json(await res.json(), { status: res.status });
}
"#,
        &st,
        "",
    ));
    (fb, Flavor::RouteTs)
}

fn gen_barrel(rng: &mut Rng) -> (FileBuilder, Flavor) {
    let mut fb = FileBuilder::new("");
    let mut s = String::new();
    let mut seen = HashSet::new();
    for _ in 0..rng.range(3, 12) {
        let name = format!("{}{}", pascal(rng.pick(ENTITIES)), rng.pick(COMPONENT_SUFFIXES));
        if !seen.insert(name.clone()) {
            continue;
        }
        if rng.chance(50) {
            let _ = writeln!(s, "export {{ default as {name} }} from './{name}';");
        } else {
            let _ = writeln!(s, "export * from './{name}';");
        }
    }
    fb.header = s;
    (fb, Flavor::Ts)
}

// --- pattern (a): useFormState from react-dom ------------------------------------------------
fn gen_form_comp(rng: &mut Rng, names: &mut Names) -> (FileBuilder, Flavor) {
    let st = names.stem("form", rng.pick(ENTITIES));
    let with_status = rng.chance(50);
    let mut header = String::from("'use client';\n\n");
    if with_status {
        header.push_str("import { useFormState, useFormStatus } from 'react-dom';\n");
    } else {
        header.push_str("import { useFormState } from 'react-dom';\n");
    }
    header.push_str(
        "import { useCallback, useEffect, useMemo, useState } from 'react';\nimport type { ReactNode } from 'react';\n",
    );
    let _ = writeln!(header, "import {{ create{} }} from './actions';", st.p);
    let mut fb = FileBuilder::new(&header);
    let button = if with_status {
        r#"function SubmitButton() {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} aria-disabled={pending} className="rounded bg-black px-3 py-1.5 text-white">
      {pending ? 'Saving...' : 'Save «e»'}
    </button>
  );
}
"#
    } else {
        r#"function SubmitButton() {
  return (
    <button type="submit" className="rounded bg-black px-3 py-1.5 text-white">
      Save «e»
    </button>
  );
}
"#
    };
    fb.blocks.push(fill_block(rng, button, &st, ""));
    fb.blocks.push(fill_block(
        rng,
        r#"type «S»FormState = { message: string | null; errors?: Partial<Record<'name' | 'description', string[]>> };

const initialState: «S»FormState = { message: null };

export default function Create«S»Form({ defaultName = '' }: { defaultName?: string }) {
  const [state, formAction] = useFormState(create«S», initialState);
  return (
    <form action={formAction} className="space-y-3">
      <div>
        <label htmlFor="«s»-name" className="block text-sm font-medium">
          Name
        </label>
        <input id="«s»-name" name="name" defaultValue={defaultName} required className="mt-1 w-full rounded border px-2 py-1" />
        {state.errors?.name ? <p className="text-sm text-red-600">{state.errors.name[0]}</p> : null}
      </div>
      <div>
        <label htmlFor="«s»-description" className="block text-sm font-medium">
          Description
        </label>
        <textarea id="«s»-description" name="description" rows={3} className="mt-1 w-full rounded border px-2 py-1" />
      </div>
      <SubmitButton />
      <p aria-live="polite" className="text-sm text-gray-600">
        {state.message}
      </p>
    </form>
  );
}
"#,
        &st,
        "",
    ));
    (fb, Flavor::ClientTsx)
}

// --- pattern (c): inline 'use server' function in a client component ------------------------
fn gen_row_comp(rng: &mut Rng, names: &mut Names) -> (FileBuilder, Flavor) {
    let st = names.stem("row", rng.pick(ENTITIES));
    let header = format!("{CLIENT_HEADER}import {{ revalidatePath }} from 'next/cache';\n");
    let mut fb = FileBuilder::new(&header);
    let body = if rng.chance(50) {
        "    await fetch(`${process.env.API_URL}/«es»/${item.id}`, { method: 'DELETE' });\n    revalidatePath('/«es»');\n"
    } else {
        "    const res = await fetch(`${process.env.API_URL}/«es»/${item.id}`, {\n      method: 'DELETE',\n      headers: { Authorization: `Bearer ${process.env.API_TOKEN}` },\n    });\n    if (!res.ok) {\n      throw new Error(`Could not delete «e» ${item.id}`);\n    }\n    revalidatePath(`/«es»/${item.id}`);\n"
    };
    let tpl = format!(
        r#"type «S»Item = {{ id: string; title: string; status: '«st1»' | '«st2»' }};

export default function «S»Row({{ item }}: {{ item: «S»Item }}) {{
  const [expanded, setExpanded] = useState(false);

  async function deleteItem() {{
    'use server';
{body}  }}

  return (
    <li className="flex items-center justify-between gap-3 py-2">
      <button type="button" onClick={{() => setExpanded((v) => !v)}} className="text-left">
        <span className="font-medium">{{item.title}}</span>
        {{expanded ? <span className="ml-2 text-xs text-gray-500">{{item.status}}</span> : null}}
      </button>
      <form action={{deleteItem}}>
        <button type="submit" className="text-sm text-red-600 hover:underline">
          Delete
        </button>
      </form>
    </li>
  );
}}
"#
    );
    fb.blocks.push(fill_block(rng, &tpl, &st, ""));
    (fb, Flavor::ClientTsx)
}

// --- pattern (d): redirect() inside try/catch in a 'use server' module -----------------------
const ACTIONS_HEADER: &str = "'use server';\n\nimport { revalidatePath } from 'next/cache';\nimport { redirect, notFound } from 'next/navigation';\n";

fn actions_main(rng: &mut Rng, names: &mut Names) -> String {
    let st = names.stem("action", rng.pick(ENTITIES));
    fill_block(
        rng,
        r#"const API = process.env.API_URL ?? 'http://localhost:4000';

export async function create«S»(prevState: { error?: string; message?: string | null } | undefined, formData: FormData) {
  const name = String(formData.get('name') ?? '').trim();
  if (!name) {
    return { error: 'Name is required' };
  }
  try {
    const res = await fetch(`${API}/«es»`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, description: formData.get('description') }),
    });
    if (!res.ok) throw new Error(`status ${res.status}`);
    const created = (await res.json()) as { id: string };
    revalidatePath('/«es»');
    redirect(`/«es»/${created.id}`);
  } catch (e) {
    return { error: 'Failed to create «e»' };
  }
}

export async function get«S»OrFail(id: string) {
  const res = await fetch(`${API}/«es»/${encodeURIComponent(id)}`, { cache: 'no-store' });
  if (res.status === 404) notFound();
  return (await res.json()) as { id: string; name: string };
}
"#,
        &st,
        "",
    )
}

fn gen_actions(rng: &mut Rng, names: &mut Names) -> (FileBuilder, Flavor) {
    let mut fb = FileBuilder::new(ACTIONS_HEADER);
    fb.blocks.push(actions_main(rng, names));
    (fb, Flavor::Actions)
}

// --- pattern (e): Server Actions imported through `@/lib/actions`, used as they should be ------
const TSCONFIG: &str = r#"{
  "compilerOptions": {
    "target": "ES2017",
    "lib": ["dom", "dom.iterable", "esnext"],
    "strict": true,
    "noEmit": true,
    "module": "esnext",
    "moduleResolution": "bundler",
    "jsx": "preserve",
    "baseUrl": ".",
    "paths": { "@/*": ["./*"] }
  },
  "include": ["next-env.d.ts", "**/*.ts", "**/*.tsx"],
  "exclude": ["node_modules"]
}
"#;

/// The app's `lib/actions.ts`: for every entity a state type, an action for useActionState
/// (`(prevState, formData)`, returning the state) and a form action returning nothing.
fn gen_shared_actions() -> String {
    let mut s = String::from(
        "'use server';\n\nimport { revalidatePath } from 'next/cache';\n\nconst API = process.env.API_URL ?? 'http://localhost:4000';\n",
    );
    for e in ENTITIES {
        let (p, es) = (pascal(e), format!("{e}s"));
        let _ = write!(
            s,
            r#"
export type {p}FormState = {{ message: string | null; errors?: Partial<Record<'name' | 'description', string[]>> }};

export async function save{p}(prevState: {p}FormState, formData: FormData): Promise<{p}FormState> {{
  const name = String(formData.get('name') ?? '').trim();
  if (!name) {{
    return {{ message: 'Name is required', errors: {{ name: ['Name is required'] }} }};
  }}
  const res = await fetch(`${{API}}/{es}`, {{
    method: 'POST',
    headers: {{ 'Content-Type': 'application/json' }},
    body: JSON.stringify({{ name, description: formData.get('description') }}),
  }});
  if (!res.ok) {{
    return {{ message: `Could not save the {e} (status ${{res.status}})` }};
  }}
  revalidatePath('/{es}');
  return {{ message: prevState.message === 'Saved' ? 'Saved again' : 'Saved' }};
}}

export async function archive{p}(id: string, formData: FormData): Promise<void> {{
  await fetch(`${{API}}/{es}/${{encodeURIComponent(id)}}/archive`, {{
    method: 'POST',
    body: JSON.stringify({{ reason: formData.get('reason') ?? '' }}),
  }});
  revalidatePath('/{es}');
}}
"#
        );
    }
    s
}

fn gen_action_user(rng: &mut Rng, names: &mut Names) -> (FileBuilder, Flavor) {
    let st = names.stem("editor", rng.pick(ENTITIES));
    let e = pascal(&st.e);
    let mut header = String::from(
        "'use client';\n\nimport { useActionState, useCallback, useEffect, useMemo, useState } from 'react';\nimport type { ReactNode } from 'react';\n",
    );
    let _ = writeln!(header, "import {{ archive{e}, save{e} }} from '@/lib/actions';");
    let _ = writeln!(header, "import type {{ {e}FormState }} from '@/lib/actions';");
    let mut fb = FileBuilder::new(&header);
    fb.blocks.push(fill_block(
        rng,
        r#"const initial«S»State: «E»FormState = { message: null };

export default function «S»Editor({ defaultName = '' }: { defaultName?: string }) {
  const [state, formAction, pending] = useActionState(save«E», initial«S»State);
  return (
    <form action={formAction} className="space-y-3">
      <div>
        <label htmlFor="«s»-name" className="block text-sm font-medium">
          Name
        </label>
        <input id="«s»-name" name="name" defaultValue={defaultName} required className="mt-1 w-full rounded border px-2 py-1" />
        {state.errors?.name ? <p className="text-sm text-red-600">{state.errors.name[0]}</p> : null}
      </div>
      <button type="submit" disabled={pending} className="rounded bg-black px-3 py-1.5 text-white">
        {pending ? 'Saving...' : 'Save «e»'}
      </button>
      <p aria-live="polite" className="text-sm text-gray-600">
        {state.message}
      </p>
    </form>
  );
}

export function «S»ArchiveButton({ id }: { id: string }) {
  return (
    <form action={archive«E».bind(null, id)} className="inline">
      <input type="hidden" name="reason" value="cleanup" />
      <button type="submit" className="text-sm text-red-600 hover:underline">
        Archive «e»
      </button>
    </form>
  );
}
"#,
        &st,
        "",
    ));
    (fb, Flavor::ClientTsx)
}

// --- next.config -------------------------------------------------------------------------------
fn gen_config(rng: &mut Rng, slot: &Slot, mode: Mode) -> String {
    let mjs = slot.path.ends_with(".mjs");
    let mut s =
        String::from("/** @type {import('next').NextConfig} */\nconst nextConfig = {\n  reactStrictMode: true,\n");
    if rng.chance(50) {
        s.push_str("  poweredByHeader: false,\n");
    }
    if rng.chance(50) {
        s.push_str("  output: 'standalone',\n");
    }
    let _ = writeln!(
        s,
        "  images: {{\n    remotePatterns: [{{ protocol: 'https', hostname: 'images.example.com' }}, {{ protocol: 'https', hostname: 'cdn{}.example.net' }}],\n  }},",
        rng.range(1, 9)
    );
    if slot.pattern == Some(Pattern::B) {
        let mb = rng.range(1, 8);
        let _ = writeln!(
            s,
            "  experimental: {{\n    serverActions: true,\n    serverActionsBodySizeLimit: '{mb}mb',\n    serverComponentsExternalPackages: ['sharp'],\n  }},"
        );
    } else if rng.chance(50) {
        s.push_str("  experimental: {\n    scrollRestoration: true,\n  },\n");
    }
    s.push_str("  async headers() {\n    return [\n      {\n        source: '/(.*)',\n        headers: [\n          { key: 'X-Frame-Options', value: 'DENY' },\n          { key: 'X-Content-Type-Options', value: 'nosniff' },\n        ],\n      },\n    ];\n  },\n");
    if mode == Mode::Words {
        s.push_str("  async redirects() {\n    return [\n      { source: '/old-blog/:slug', destination: '/blog/:slug', permanent: true },\n      { source: '/docs', destination: '/docs/getting-started', permanent: false },\n    ];\n  },\n");
    }
    s.push_str("};\n\n");
    if mjs {
        s.push_str("export default nextConfig;\n");
    } else {
        s.push_str("module.exports = nextConfig;\n");
    }
    s
}

// --- big generated files -------------------------------------------------------------------------
fn gen_big(rng: &mut Rng, slot: &Slot, mode: Mode) -> String {
    let target = slot.target;
    let mut s = String::with_capacity(target + 4096);
    let actions = slot.pattern == Some(Pattern::D);
    if actions {
        s.push_str(ACTIONS_HEADER);
        s.push('\n');
    }
    s.push_str("// This file is generated by scripts/codegen.ts. Do not edit by hand.\n/* eslint-disable */\n\n");
    let exp = if actions { "" } else { "export " };
    let words_at = if mode == Mode::Words {
        rng.range(target / 4, target * 3 / 4)
    } else {
        usize::MAX
    };
    let mut words_done = false;
    let variant = if slot.path.contains("messages") {
        1
    } else if slot.path.contains("icons") {
        2
    } else {
        0
    };
    match variant {
        0 => {
            let _ = write!(
                s,
                "{exp}type GeneratedField = {{\n  id: string;\n  table: string;\n  column: string;\n  type: 'string' | 'number' | 'boolean' | 'date' | 'json';\n  nullable: boolean;\n  label: string;\n  description: string;\n  validators: readonly string[];\n}};\n\n{exp}const FIELDS: readonly GeneratedField[] = [\n"
            );
            let types = ["string", "number", "boolean", "date", "json"];
            let mut i = 0usize;
            while s.len() < target {
                let ent = rng.pick(ENTITIES);
                let col = if !words_done && s.len() >= words_at {
                    words_done = true;
                    "redirect_url".to_string()
                } else {
                    format!("{}_{}", rng.pick(WORDS), rng.pick(WORDS))
                };
                let _ = write!(
                    s,
                    "  {{\n    id: 'fld_{i:06}',\n    table: '{ent}s',\n    column: '{col}',\n    type: '{}',\n    nullable: {},\n    label: '{}',\n    description: '{}',\n    validators: ['required', 'maxLength:{}'],\n  }},\n",
                    rng.pick(&types),
                    rng.chance(30),
                    pascal(&col.replace('_', " ")),
                    sentence(rng, 5, 14),
                    rng.range(8, 4096)
                );
                i += 1;
            }
            s.push_str("];\n\n");
            let _ = writeln!(s, "{exp}const FIELD_COUNT = {i};");
        }
        1 => {
            let _ = writeln!(s, "{exp}const messages: Record<string, string> = {{");
            let mut i = 0usize;
            while s.len() < target {
                let key = if !words_done && s.len() >= words_at {
                    words_done = true;
                    "auth.redirect.notice".to_string()
                } else {
                    format!("{}.{}.{}_{i}", rng.pick(ENTITIES), rng.pick(WORDS), rng.pick(WORDS))
                };
                let _ = writeln!(s, "  '{key}': '{}',", sentence(rng, 3, 18));
                i += 1;
            }
            s.push_str("};\n\n");
            let _ = writeln!(s, "{exp}const MESSAGE_COUNT = {i};");
        }
        _ => {
            let _ = writeln!(s, "{exp}const ICON_PATHS: Record<string, string> = {{");
            let mut i = 0usize;
            while s.len() < target {
                let key = if !words_done && s.len() >= words_at {
                    words_done = true;
                    "arrow-redirect".to_string()
                } else {
                    format!("{}-{}-{i}", rng.pick(WORDS), rng.range(12, 32))
                };
                let mut d = String::from("M");
                for k in 0..rng.range(6, 30) {
                    let _ = write!(
                        d,
                        "{}{}.{} {}.{}",
                        if k == 0 { "" } else { " L" },
                        rng.below(24),
                        rng.below(100),
                        rng.below(24),
                        rng.below(100)
                    );
                }
                d.push('Z');
                let _ = writeln!(s, "  '{key}': '{d}',");
                i += 1;
            }
            s.push_str("};\n\n");
            let _ = writeln!(s, "{exp}const ICON_COUNT = {i};");
        }
    }
    if actions {
        let mut names = Names::new();
        s.push('\n');
        s.push_str(&actions_main(rng, &mut names));
    }
    s
}

// --- words mode: trigger words that must not cause any change ---------------------------------
fn words_injection(rng: &mut Rng, names: &mut Names, fb: &mut FileBuilder, flavor: Flavor) {
    let st = names.stem("words", rng.pick(ENTITIES));
    let client_tsx = flavor == Flavor::ClientTsx;
    let n = if client_tsx { 12 } else { 11 };
    let block = match rng.below(n) {
        0 => "// TODO(forms): evaluate a useFormState-style pending UI once the design system supports it.\n".to_string(),
        1 => "/**\n * Shared helpers. Intentionally not a 'use server' module: safe to import from client code.\n */\n".to_string(),
        2 => "// Do not add \"use server\" here; mutations live in the actions module of the route.\n".to_string(),
        3 => "const AUDIT_EVENT_KINDS = ['create', 'update', 'redirect', 'archive'] as const;\n".to_string(),
        4 => fill_block(
            rng,
            "function is«S»Missing(rows: readonly unknown[]): boolean {\n  const notFound = rows.length === 0;\n  if (notFound) {\n    console.warn('no «es» returned');\n  }\n  return notFound;\n}\n",
            &st,
            "",
        ),
        5 => fill_block(
            rng,
            "async function probe«S»(url: string): Promise<number> {\n  const res = await fetch(url, { redirect: 'manual', cache: 'no-store' });\n  return res.status;\n}\n",
            &st,
            "",
        ),
        6 => "// Navigation is handled with <Link>; nothing from next/navigation is needed in this module.\n".to_string(),
        7 => "const CONFIG_DOCS_URL = 'https://nextjs.org/docs/app/api-reference/next-config-js/serverActions';\n".to_string(),
        8 => fill_block(
            rng,
            "function «s»LookupResult(found: boolean) {\n  return found ? { props: { ok: true } } : { notFound: true as const };\n}\n",
            &st,
            "",
        ),
        9 => "// Bundling options (serverComponentsExternalPackages, bundlePagesExternals) are configured in next.config.\n".to_string(),
        10 => "const DIRECTIVE_HINT = 'use server';\n".to_string(),
        _ => {
            fb.header.push_str("import { useFormState } from 'react-hook-form';\nimport type { Control, FieldValues } from 'react-hook-form';\n");
            fill_block(
                rng,
                "export function «S»DirtyIndicator({ control }: { control: Control<FieldValues> }) {\n  const { isDirty, isSubmitting } = useFormState({ control });\n  return <span className=\"text-xs text-gray-500\">{isSubmitting ? 'Saving...' : isDirty ? 'Unsaved changes' : 'All changes saved'}</span>;\n}\n",
                &st,
                "",
            )
        }
    };
    let pos = rng.below(fb.blocks.len() + 1);
    fb.blocks.insert(pos, block);
}

fn gen_content(slot: &Slot, mode: Mode, rng: &mut Rng, app_name: &str) -> String {
    match slot.kind {
        Kind::Config => return gen_config(rng, slot, mode),
        Kind::Big => return gen_big(rng, slot, mode),
        _ => {}
    }
    let mut names = Names::new();
    let (mut fb, flavor) = match slot.kind {
        Kind::Page => gen_page(rng, &mut names, slot),
        Kind::Layout => gen_layout(rng, &mut names, slot, app_name),
        Kind::Loading => gen_loading(rng, &mut names),
        Kind::ErrorBoundary => gen_error(rng, &mut names),
        Kind::ServerComp => gen_server_comp(rng, &mut names),
        Kind::ClientComp => gen_client_comp(rng, &mut names),
        Kind::Hook => gen_hook(rng, &mut names),
        Kind::Lib => gen_lib(rng, &mut names),
        Kind::Types => gen_types(rng, &mut names),
        Kind::ApiRoute => gen_api_route(rng, &mut names),
        Kind::Barrel => gen_barrel(rng),
        Kind::FormComp => gen_form_comp(rng, &mut names),
        Kind::RowComp => gen_row_comp(rng, &mut names),
        Kind::Actions => gen_actions(rng, &mut names),
        Kind::ActionUser => gen_action_user(rng, &mut names),
        Kind::SharedActions => return gen_shared_actions(),
        Kind::Config | Kind::Big => unreachable!(),
    };
    let small_kind = matches!(slot.kind, Kind::Barrel | Kind::Loading | Kind::ErrorBoundary)
        || (slot.kind == Kind::Layout && slot.path.ends_with("/app/layout.tsx"));
    if !small_kind {
        pad(&mut fb, rng, &mut names, flavor, slot.target);
    }
    if mode == Mode::Words {
        words_injection(rng, &mut names, &mut fb, flavor);
    }
    fb.render()
}

// ---------------------------------------------------------------------------------------------
// Planning: kinds, patterns, paths
// ---------------------------------------------------------------------------------------------

struct AppPaths {
    used: HashSet<String>,
    route_dirs: Vec<String>,
    specials: HashMap<String, u8>, // bit 0 page, 1 layout, 2 loading, 3 error, 4 actions
    areas_with_barrel: HashSet<String>,
}

const SP_PAGE: u8 = 1;
const SP_LAYOUT: u8 = 2;
const SP_LOADING: u8 = 4;
const SP_ERROR: u8 = 8;
const SP_ACTIONS: u8 = 16;

impl AppPaths {
    fn new() -> Self {
        AppPaths {
            used: HashSet::new(),
            route_dirs: Vec::new(),
            specials: HashMap::new(),
            areas_with_barrel: HashSet::new(),
        }
    }

    /// Make a path unique by numbering the file stem.
    fn unique(&mut self, path: String) -> String {
        if self.used.insert(path.clone()) {
            return path;
        }
        let (base, ext) = match path.rfind('.') {
            Some(i) if i > path.rfind('/').unwrap_or(0) => (path[..i].to_string(), path[i..].to_string()),
            _ => (path.clone(), String::new()),
        };
        let mut n = 2;
        loop {
            let p = format!("{base}{n}{ext}");
            if self.used.insert(p.clone()) {
                return p;
            }
            n += 1;
        }
    }

    fn new_route_dir(&mut self, rng: &mut Rng) -> String {
        if !self.specials.contains_key("app") {
            self.specials.insert("app".into(), 0);
            self.route_dirs.push("app".into());
            return "app".into();
        }
        for attempt in 0..20 {
            let depth = rng.range(1, 4);
            let mut d = String::from("app");
            for _ in 0..depth {
                d.push('/');
                d.push_str(rng.pick(ROUTE_SEGMENTS));
            }
            if attempt >= 10 {
                let _ = write!(d, "/{}-{}", rng.pick(WORDS), rng.below(1000));
            }
            if !self.specials.contains_key(&d) {
                self.specials.insert(d.clone(), 0);
                self.route_dirs.push(d.clone());
                return d;
            }
        }
        let d = format!("app/section-{}", self.route_dirs.len());
        self.specials.insert(d.clone(), 0);
        self.route_dirs.push(d.clone());
        d
    }

    /// A route dir that lacks `bit`: a random existing one when possible, else a new one.
    fn route_dir_for(&mut self, rng: &mut Rng, bit: u8, prefer_new: bool) -> String {
        if !prefer_new && !self.route_dirs.is_empty() {
            for _ in 0..6 {
                let d = self.route_dirs[rng.below(self.route_dirs.len())].clone();
                if self.specials[&d] & bit == 0 {
                    *self.specials.get_mut(&d).unwrap() |= bit;
                    return d;
                }
            }
        }
        loop {
            let d = self.new_route_dir(rng);
            if self.specials[&d] & bit == 0 {
                *self.specials.get_mut(&d).unwrap() |= bit;
                return d;
            }
        }
    }

    fn component_path(&mut self, rng: &mut Rng, suffix: Option<&str>) -> String {
        let name = format!(
            "{}{}",
            pascal(rng.pick(ENTITIES)),
            suffix.unwrap_or_else(|| rng.pick(COMPONENT_SUFFIXES))
        );
        let p = if !self.route_dirs.is_empty() && rng.chance(30) {
            let d = self.route_dirs[rng.below(self.route_dirs.len())].clone();
            format!("{d}/_components/{name}.tsx")
        } else {
            format!("components/{}/{name}.tsx", rng.pick(AREAS))
        };
        self.unique(p)
    }

    fn assign(&mut self, rng: &mut Rng, kind: Kind, app_index: usize) -> String {
        match kind {
            Kind::Config => {
                let p = if app_index.is_multiple_of(2) {
                    "next.config.mjs"
                } else {
                    "next.config.js"
                };
                self.unique(p.to_string())
            }
            Kind::Big => {
                let name = rng.pick(&["schema", "messages", "icons", "openapi-types", "fixtures", "countries"]);
                self.unique(format!("lib/generated/{name}.ts"))
            }
            Kind::Page => {
                let d = self.route_dir_for(rng, SP_PAGE, true);
                self.unique(format!("{d}/page.tsx"))
            }
            Kind::Layout => {
                let d = if self.specials.get("app").is_none_or(|b| b & SP_LAYOUT == 0) {
                    if !self.specials.contains_key("app") {
                        self.new_route_dir(rng);
                    }
                    *self.specials.get_mut("app").unwrap() |= SP_LAYOUT;
                    "app".to_string()
                } else {
                    self.route_dir_for(rng, SP_LAYOUT, false)
                };
                self.unique(format!("{d}/layout.tsx"))
            }
            Kind::Loading => {
                let d = self.route_dir_for(rng, SP_LOADING, false);
                self.unique(format!("{d}/loading.tsx"))
            }
            Kind::ErrorBoundary => {
                let d = self.route_dir_for(rng, SP_ERROR, false);
                self.unique(format!("{d}/error.tsx"))
            }
            Kind::ServerComp | Kind::ClientComp => self.component_path(rng, None),
            Kind::FormComp => self.component_path(rng, Some("Form")),
            Kind::ActionUser => self.component_path(rng, Some("Editor")),
            Kind::SharedActions => self.unique("lib/actions.ts".to_string()),
            Kind::RowComp => self.component_path(rng, Some("Row")),
            Kind::Hook => {
                let p = format!(
                    "hooks/use{}{}.ts",
                    pascal(rng.pick(ENTITIES)),
                    pascal(rng.pick(&[
                        "query",
                        "filters",
                        "debounced",
                        "stored",
                        "live",
                        "pagination",
                        "selection"
                    ]))
                );
                self.unique(p)
            }
            Kind::Lib => {
                let p = format!("lib/{}/{}.ts", rng.pick(ENTITIES), rng.pick(LIB_NAMES));
                self.unique(p)
            }
            Kind::Types => {
                let p = format!("types/{}.ts", rng.pick(ENTITIES));
                self.unique(p)
            }
            Kind::ApiRoute => {
                // Route handlers must be named route.ts: find a fresh folder instead of numbering.
                for attempt in 0..40 {
                    let mut d = format!("app/api/{}", rng.pick(API_SEGMENTS));
                    if rng.chance(40) {
                        d.push_str("/[id]");
                    }
                    if rng.chance(20) || attempt >= 10 {
                        let _ = write!(d, "/{}", rng.pick(&["events", "export", "sync", "preview", "status"]));
                    }
                    if attempt >= 20 {
                        let _ = write!(d, "/{}-{}", rng.pick(WORDS), rng.below(10_000));
                    }
                    let p = format!("{d}/route.ts");
                    if self.used.insert(p.clone()) {
                        return p;
                    }
                }
                self.unique(format!("app/api/v{}/route.ts", self.used.len()))
            }
            Kind::Barrel => {
                let area = rng.pick(AREAS);
                if self.areas_with_barrel.insert(area.to_string()) {
                    self.unique(format!("components/{area}/index.ts"))
                } else {
                    self.unique(format!("lib/{}/index.ts", rng.pick(ENTITIES)))
                }
            }
            Kind::Actions => {
                if rng.chance(60) {
                    let d = self.route_dir_for(rng, SP_ACTIONS, false);
                    self.unique(format!("{d}/actions.ts"))
                } else {
                    self.unique(format!("lib/actions/{}.ts", rng.pick(ENTITIES)))
                }
            }
        }
    }
}

fn app_name(i: usize) -> String {
    if i < APP_NAMES.len() {
        APP_NAMES[i].to_string()
    } else {
        format!("{}-{}", APP_NAMES[i % APP_NAMES.len()], i / APP_NAMES.len() + 1)
    }
}

fn plan(opts: &Opts) -> (Vec<Slot>, usize) {
    let n = opts.files;
    let mut rng = Rng::derive(opts.seed, 1, 0);
    let apps = n.div_ceil(2500).max(1);
    let default_big = if n >= 500 { (2 + n / 10_000).min(8) } else { 0 };
    let fixed = if opts.mode == Mode::Imports { 2 * apps } else { apps };
    let big = opts.big.unwrap_or(default_big).min(n.saturating_sub(fixed));
    let mut slots: Vec<Slot> = Vec::with_capacity(n);
    for a in 0..apps {
        slots.push(Slot {
            app: a,
            kind: Kind::Config,
            pattern: None,
            target: 0,
            path: String::new(),
        });
    }
    if opts.mode == Mode::Imports {
        // One actions module per app, the one `@/lib/actions` names.
        for a in 0..apps {
            slots.push(Slot {
                app: a,
                kind: Kind::SharedActions,
                pattern: None,
                target: 0,
                path: String::new(),
            });
        }
    }
    for b in 0..big {
        let target = rng.range(700_000, 2_500_000);
        slots.push(Slot {
            app: b % apps,
            kind: Kind::Big,
            pattern: None,
            target,
            path: String::new(),
        });
    }
    let weights: Vec<u32> = NORMAL_KINDS.iter().map(|k| k.1).collect();
    let normal_start = slots.len();
    while slots.len() < n {
        let i = slots.len() - normal_start;
        let kind = NORMAL_KINDS[rng.weighted(&weights)].0;
        let target = sample_size(&mut rng);
        slots.push(Slot {
            app: i % apps,
            kind,
            pattern: None,
            target,
            path: String::new(),
        });
    }

    let set = |slot: &mut Slot, p: Pattern| {
        slot.pattern = Some(p);
        match (slot.kind, p) {
            (Kind::Config, _) | (Kind::Big, _) => {}
            (_, Pattern::A) => slot.kind = Kind::FormComp,
            (_, Pattern::C) => slot.kind = Kind::RowComp,
            (_, Pattern::D) => slot.kind = Kind::Actions,
            (_, Pattern::E) => slot.kind = Kind::ActionUser,
            (_, Pattern::B) => unreachable!(),
        }
    };

    match opts.mode {
        Mode::Words => {}
        Mode::Imports => {
            let m = (((n as f64) * opts.matching / 100.0).round() as usize).min(n.saturating_sub(normal_start));
            let mut normals: Vec<usize> = (normal_start..n).collect();
            rng.shuffle(&mut normals);
            for &i in normals.iter().take(m) {
                set(&mut slots[i], Pattern::E);
            }
        }
        Mode::All => {
            let order = [Pattern::A, Pattern::C, Pattern::D];
            let mut k = 0;
            for slot in slots.iter_mut() {
                let p = match slot.kind {
                    Kind::Config => Pattern::B,
                    Kind::Big => Pattern::D,
                    _ => {
                        k += 1;
                        order[(k - 1) % 3]
                    }
                };
                set(slot, p);
            }
        }
        Mode::Mixed => {
            let m = ((n as f64) * opts.matching / 100.0).round() as usize;
            let m = m.min(n);
            let mut configs: Vec<usize> = (0..apps).collect();
            let mut normals: Vec<usize> = (normal_start..n).collect();
            let mut bigs: Vec<usize> = (apps..normal_start).collect();
            rng.shuffle(&mut configs);
            rng.shuffle(&mut normals);
            rng.shuffle(&mut bigs);
            let four = [Pattern::A, Pattern::B, Pattern::C, Pattern::D];
            let three = [Pattern::A, Pattern::C, Pattern::D];
            for k in 0..m {
                let mut p = four[k % 4];
                if p == Pattern::B && configs.is_empty() {
                    p = three[k % 3];
                }
                if p == Pattern::B {
                    let i = configs.pop().unwrap();
                    set(&mut slots[i], Pattern::B);
                } else if let Some(i) = normals.pop() {
                    set(&mut slots[i], p);
                } else if let Some(i) = configs.pop() {
                    set(&mut slots[i], Pattern::B);
                } else if let Some(i) = bigs.pop() {
                    set(&mut slots[i], Pattern::D);
                }
            }
        }
    }

    // Paths: per app, in slot order (root layout/page are created first by construction).
    let mut paths: Vec<AppPaths> = (0..apps).map(|_| AppPaths::new()).collect();
    let mut prng = Rng::derive(opts.seed, 2, 0);
    for slot in slots.iter_mut() {
        let p = paths[slot.app].assign(&mut prng, slot.kind, slot.app);
        slot.path = format!("apps/{}/{}", app_name(slot.app), p);
    }
    (slots, apps)
}

// ---------------------------------------------------------------------------------------------
// Ignored files (must be skipped by any tool that honours .gitignore)
// ---------------------------------------------------------------------------------------------

const GITIGNORE: &str = "# dependencies\nnode_modules\n/.pnp\n.pnp.js\n\n# build output\ndist/\n.next/\nout/\nbuild/\n\n# misc\n.DS_Store\n*.log\n.env*.local\ncoverage/\n*.tsbuildinfo\n";

fn ignored_files(rng: &mut Rng, apps: usize) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    let mut names = Names::new();
    let form = {
        let (fb, _) = gen_form_comp(rng, &mut names);
        fb.render()
    };
    let row = {
        let (fb, _) = gen_row_comp(rng, &mut names);
        fb.render()
    };
    let actions = {
        let (fb, _) = gen_actions(rng, &mut names);
        fb.render()
    };
    let cfg = "module.exports = {\n  experimental: { serverActions: true, serverActionsBodySizeLimit: '2mb', serverComponentsExternalPackages: ['sharp'] },\n};\n";
    v.push(("node_modules/@acme/ui/src/ProfileForm.tsx".into(), form.clone()));
    v.push(("node_modules/@acme/ui/src/DeleteRow.tsx".into(), row.clone()));
    v.push(("node_modules/@acme/actions/src/actions.ts".into(), actions.clone()));
    v.push((
        "node_modules/next/dist/client/components/navigation.js".into(),
        "'use strict';\nexports.redirect = function redirect(url) { throw new Error('NEXT_REDIRECT;' + url); };\nexports.notFound = function notFound() { throw new Error('NEXT_NOT_FOUND'); };\n".into(),
    ));
    let mut chunk = String::from("\"use strict\";\n");
    while chunk.len() < 300_000 {
        let _ = writeln!(
            chunk,
            "(self.webpackChunk=self.webpackChunk||[]).push([[{}],{{{}:function(e,t,n){{\"use server\";var r=n({});t.useFormState=r.useFormState;t.redirect=r.redirect;t.notFound=r.notFound}}}}]);",
            rng.below(9999),
            rng.below(99999),
            rng.below(99999)
        );
    }
    v.push((
        "node_modules/react-dom/cjs/react-dom.production.min.js".into(),
        chunk.clone(),
    ));
    v.push(("dist/static/chunks/app-main.js".into(), chunk));
    v.push((
        "dist/server/app/actions.js".into(),
        actions.replace("'use server';", "\"use server\";"),
    ));
    v.push(("dist/next.config.js".into(), cfg.into()));
    v.push(("dist/types/ProfileForm.tsx".into(), form.clone()));
    for a in 0..apps {
        let an = app_name(a);
        v.push((format!("apps/{an}/.next/server/app/page.js"), actions.clone()));
        v.push((format!("apps/{an}/.next/types/app/DeleteRow.tsx"), row.clone()));
        v.push((format!("apps/{an}/node_modules/@acme/forms/index.tsx"), form.clone()));
        v.push((format!("apps/{an}/node_modules/.cache/next.config.js"), cfg.into()));
    }
    v
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

fn write_file(root: &Path, rel: &str, content: &str) {
    let p = root.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| {
            eprintln!("gen-corpus: cannot create {}: {e}", parent.display());
            exit(1)
        });
    }
    fs::write(&p, content).unwrap_or_else(|e| {
        eprintln!("gen-corpus: cannot write {}: {e}", p.display());
        exit(1)
    });
}

fn has_trigger(s: &str) -> bool {
    TRIGGERS.iter().any(|t| s.contains(t))
}

fn main() {
    let opts = parse_args();
    let started = Instant::now();

    if opts.out.exists() {
        let non_empty = fs::read_dir(&opts.out).map(|mut d| d.next().is_some()).unwrap_or(true);
        if non_empty {
            if opts.force {
                fs::remove_dir_all(&opts.out).unwrap_or_else(|e| {
                    eprintln!("gen-corpus: cannot remove {}: {e}", opts.out.display());
                    exit(1)
                });
            } else {
                eprintln!(
                    "gen-corpus: {} exists and is not empty (use --force to replace it)",
                    opts.out.display()
                );
                exit(1);
            }
        }
    }
    fs::create_dir_all(&opts.out).unwrap_or_else(|e| {
        eprintln!("gen-corpus: cannot create {}: {e}", opts.out.display());
        exit(1)
    });

    let (slots, apps) = plan(&opts);

    let mut total_bytes = 0usize;
    let mut big_bytes = 0usize;
    let mut counts = [0usize; 5];
    let mut manifest = String::new();
    for (i, slot) in slots.iter().enumerate() {
        let mut rng = Rng::derive(opts.seed, 3, i as u64);
        let an = app_name(slot.app);
        let content = gen_content(slot, opts.mode, &mut rng, &an);
        // Self-checks: the corpus must mean what the mode says.
        match (opts.mode, slot.pattern) {
            (Mode::Imports, None) if slot.kind == Kind::SharedActions => {
                assert!(
                    content.starts_with("'use server';"),
                    "{} lacks its directive",
                    slot.path
                );
            }
            (Mode::Words, _) => {
                if !has_trigger(&content) {
                    panic!("words mode: {} holds no trigger word", slot.path);
                }
            }
            (_, None) => {
                if let Some(t) = TRIGGERS.iter().find(|t| content.contains(**t)) {
                    panic!("mixed mode: non-matching {} holds trigger word {t}", slot.path);
                }
            }
            (_, Some(p)) => {
                let marker = match p {
                    Pattern::A => "from 'react-dom'",
                    Pattern::B => "serverActions: true",
                    Pattern::C => "'use server';\n    ",
                    Pattern::D => "redirect(`",
                    Pattern::E => "from '@/lib/actions'",
                };
                assert!(content.contains(marker), "{} lacks pattern {:?}", slot.path, p);
            }
        }
        if let Some(p) = slot.pattern {
            counts[p as usize] += 1;
        }
        total_bytes += content.len();
        if slot.kind == Kind::Big {
            big_bytes += content.len();
        }
        if opts.manifest.is_some() {
            let _ = writeln!(
                manifest,
                "{}\t{:?}\t{}\t{}",
                slot.path,
                slot.kind,
                slot.pattern.map_or("-", |p| p.name()),
                content.len()
            );
        }
        write_file(&opts.out, &slot.path, &content);
    }

    // Root files, ignored folders, minimal git repo skeleton.
    write_file(&opts.out, ".gitignore", GITIGNORE);
    write_file(
        &opts.out,
        "package.json",
        "{\n  \"name\": \"acme-monorepo\",\n  \"private\": true,\n  \"workspaces\": [\"apps/*\"],\n  \"scripts\": { \"build\": \"turbo run build\", \"dev\": \"turbo run dev\" }\n}\n",
    );
    let mut irng = Rng::derive(opts.seed, 4, 0);
    let ignored = ignored_files(&mut irng, apps);
    let mut ignored_bytes = 0usize;
    for (p, c) in &ignored {
        ignored_bytes += c.len();
        write_file(&opts.out, p, c);
        if opts.manifest.is_some() {
            let _ = writeln!(manifest, "{p}\tIgnored\t-\t{}", c.len());
        }
    }
    if opts.mode == Mode::Imports {
        for a in 0..apps {
            write_file(&opts.out, &format!("apps/{}/tsconfig.json", app_name(a)), TSCONFIG);
        }
    }
    if opts.git {
        write_file(&opts.out, ".git/HEAD", "ref: refs/heads/main\n");
        write_file(
            &opts.out,
            ".git/config",
            "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n",
        );
        fs::create_dir_all(opts.out.join(".git/objects")).ok();
        fs::create_dir_all(opts.out.join(".git/refs/heads")).ok();
    }
    if let Some(m) = &opts.manifest {
        fs::write(m, manifest).unwrap_or_else(|e| {
            eprintln!("gen-corpus: cannot write manifest {}: {e}", m.display());
            exit(1)
        });
    }

    let matching: usize = counts.iter().sum();
    let mode = match opts.mode {
        Mode::Mixed => "mixed",
        Mode::Words => "words",
        Mode::All => "all",
        Mode::Imports => "imports",
    };
    // The other modes' summary line is unchanged: (e) only shows where it can occur.
    let e_count = if opts.mode == Mode::Imports {
        format!(" e={}", counts[4])
    } else {
        String::new()
    };
    eprintln!(
        "gen-corpus: mode={mode} seed={} files={} bytes={} ({:.1} MiB) matching={} [a={} b={} c={} d={}{e_count}] apps={} big={} ({:.1} MiB) ignored={} ({:.1} MiB) out={} in {:.2}s",
        opts.seed,
        slots.len(),
        total_bytes,
        total_bytes as f64 / 1048576.0,
        matching,
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        apps,
        slots.iter().filter(|s| s.kind == Kind::Big).count(),
        big_bytes as f64 / 1048576.0,
        ignored.len(),
        ignored_bytes as f64 / 1048576.0,
        opts.out.display(),
        started.elapsed().as_secs_f64()
    );
}
