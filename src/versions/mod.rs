//! Versions: what the code needs against what its package.json declares. The check reads the
//! code as it is after this run (so `--check` after `--write` keeps failing until the versions
//! are bumped), names every package that is behind, points at the declared value, and builds
//! the upgrade command for the repository's package manager and workspace layout.

use crate::fix::{Finding, line_col};
use crate::target::{Needs, Target, Version};
use crate::walk::display_path;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use tree_sitter::{Node, Tree};

mod catalogs;

use catalogs::CatalogCache;

/// Words a file must hold for its imports to need newer versions. The engine's prefilter looks
/// for them in its one pass; only files holding one group are parsed for it.
pub const USE_WORDS: &[&[&str]] = &[&["useActionState", "react"], &["unstable_rethrow", "next/navigation"]];

/// The APIs this tool emits that an older install lacks: (module, export, what it needs).
const NEEDY_IMPORTS: &[(&str, &str, Needs)] = &[
    ("react", "useActionState", Needs::REACT_19),
    ("next/navigation", "unstable_rethrow", Needs::NEXT_15),
];

/// What the imports of a file need: `import { useActionState } from 'react'` needs React 19,
/// `import { unstable_rethrow } from 'next/navigation'` Next 15; `React.useActionState` through
/// a default or namespace import of react counts too.
pub fn needs_of_imports(tree: &Tree, text: &str) -> Needs {
    let mut needs = Needs::NOTHING;
    let root = tree.root_node();
    let mut cursor = root.walk();
    let mut react_objects: Vec<&str> = Vec::new();
    for statement in root.named_children(&mut cursor) {
        if statement.kind() != "import_statement" {
            continue;
        }
        let Some(source) = statement.child_by_field_name("source") else {
            continue;
        };
        let source = text[source.byte_range()].trim_matches(['\'', '"']);
        let mut inner = statement.walk();
        let Some(clause) = statement
            .named_children(&mut inner)
            .find(|n| n.kind() == "import_clause")
        else {
            continue;
        };
        let mut parts = clause.walk();
        for part in clause.named_children(&mut parts) {
            match part.kind() {
                "named_imports" => {
                    let mut specs = part.walk();
                    for spec in part
                        .named_children(&mut specs)
                        .filter(|s| s.kind() == "import_specifier")
                    {
                        let Some(name) = spec.child_by_field_name("name") else {
                            continue;
                        };
                        let name = text[name.byte_range()].trim_matches(['\'', '"']);
                        if let Some((_, _, n)) = NEEDY_IMPORTS.iter().find(|(m, e, _)| *m == source && *e == name) {
                            needs = needs.max(*n);
                        }
                    }
                }
                "identifier" if source == "react" => react_objects.push(&text[part.byte_range()]),
                "namespace_import" if source == "react" => {
                    let mut ids = part.walk();
                    if let Some(id) = part.named_children(&mut ids).find(|n| n.kind() == "identifier") {
                        react_objects.push(&text[id.byte_range()]);
                    }
                }
                _ => {}
            }
        }
    }
    if !react_objects.is_empty() && member_use(root, text, &react_objects, "useActionState") {
        needs = needs.max(Needs::REACT_19);
    }
    needs
}

/// Whether `OBJECT.property` occurs for one of `objects` (found by text, confirmed on the tree).
fn member_use(root: Node, text: &str, objects: &[&str], property: &str) -> bool {
    text.match_indices(property).any(|(at, _)| {
        let Some(node) = root.descendant_for_byte_range(at, at + property.len()) else {
            return false;
        };
        let Some(member) = node.parent().filter(|p| p.kind() == "member_expression") else {
            return false;
        };
        member
            .child_by_field_name("object")
            .is_some_and(|o| objects.contains(&&text[o.byte_range()]))
    })
}

/// The lowest version a package.json range admits, as major.minor: `^15.1.0` is 15.1, `~14` is
/// 14.0, `>=14.2 <16` is 14.2, `^18 || ^19` is 18.0. Tags, URLs, paths and `*` give none.
pub fn lowest(range: &str) -> Option<Version> {
    let range = range.trim();
    if range.contains(':') || range.contains('/') {
        return None;
    }
    range.split("||").filter_map(lowest_of_one).min()
}

fn lowest_of_one(alternative: &str) -> Option<Version> {
    let start = alternative.find(|c: char| c.is_ascii_digit())?;
    // `latest`, `next`, `canary`: a tag, not a version (a digit inside a word is not one).
    if alternative[..start].chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut numbers = alternative[start..].split('.').map(|part| {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u32>().ok()
    });
    let major = numbers.next()??;
    let minor = numbers.next().flatten().unwrap_or(0);
    Some(Version::new(major, minor))
}

/// The packages the check judges, grouped by what they follow.
const NEXT_PACKAGES: &[&str] = &["next", "eslint-config-next"];
const REACT_PACKAGES: &[&str] = &["react", "react-dom", "@types/react", "@types/react-dom"];
const SECTIONS: &[&str] = &["dependencies", "devDependencies", "peerDependencies"];

/// One declared dependency, as the check reads it.
#[derive(Debug, Clone)]
struct Declared {
    package: &'static str,
    section: &'static str,
    /// What package.json says (`^14.2.3`, `catalog:`).
    raw: String,
    /// The catalog that `catalog:` names, and the range it gives.
    catalog: Option<(String, String)>,
    version: Option<Version>,
    /// 1-based position of the value in package.json.
    line: usize,
    column: usize,
}

/// A package.json and what the check needs of it.
struct Manifest {
    path: PathBuf,
    json: serde_json::Value,
    declared: Vec<Declared>,
}

impl Manifest {
    fn read(path: &Path, catalogs: &mut CatalogCache) -> Option<Manifest> {
        let text = std::fs::read_to_string(path).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        let mut declared = Vec::new();
        for package in NEXT_PACKAGES.iter().chain(REACT_PACKAGES) {
            let Some((section, raw)) = SECTIONS.iter().find_map(|section| {
                let raw = json.get(section)?.get(package)?.as_str()?;
                Some((*section, raw.to_string()))
            }) else {
                continue;
            };
            // `workspace:` points at a package of this repository: nothing to judge.
            if raw.starts_with("workspace:") {
                continue;
            }
            let catalog = raw.strip_prefix("catalog:").map(|name| {
                let name = if name.trim().is_empty() { "default" } else { name.trim() };
                let range = catalogs.lookup(path, name, package);
                (name.to_string(), range.unwrap_or_default())
            });
            let version = match &catalog {
                Some((_, range)) => lowest(range),
                None => lowest(&raw),
            };
            let (line, column) = value_position(&text, package, &raw);
            declared.push(Declared {
                package,
                section,
                raw,
                catalog,
                version,
                line,
                column,
            });
        }
        Some(Manifest {
            path: path.to_path_buf(),
            json,
            declared,
        })
    }

    fn get(&self, package: &str) -> Option<&Declared> {
        self.declared.iter().find(|d| d.package == package)
    }

    fn folder(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// The declared packages below `needs`: next's group when next is behind, react's when react
    /// is. Packages whose version cannot be read are not judged.
    fn behind(&self, needs: Needs) -> Vec<&Declared> {
        let lags = |d: &&Declared, wanted: Version| !wanted.is_any() && d.version.is_some_and(|v| v < wanted);
        let next_behind = self.get("next").is_some_and(|d| lags(&d, needs.next));
        let react_behind = self.get("react").is_some_and(|d| lags(&d, needs.react));
        self.declared
            .iter()
            .filter(|d| {
                if NEXT_PACKAGES.contains(&d.package) {
                    next_behind && lags(d, needs.next)
                } else {
                    react_behind && lags(d, needs.react)
                }
            })
            .collect()
    }
}

/// The position of `"package": "raw"` value's opening quote; the first such pair wins (scripts
/// rarely hold a key named like a package with that exact value). 1:1 when it is not found.
fn value_position(text: &str, package: &str, raw: &str) -> (usize, usize) {
    let key = format!("\"{package}\"");
    for (at, _) in text.match_indices(&key) {
        let rest = &text[at + key.len()..];
        let after_colon = rest.trim_start();
        let Some(value) = after_colon.strip_prefix(':') else {
            continue;
        };
        let value = value.trim_start();
        let quoted = serde_json::to_string(raw).unwrap_or_default();
        if value.starts_with(&quoted) {
            let offset = text.len() - value.len();
            return line_col(text, offset);
        }
    }
    (1, 1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PackageManager {
    Npm,
    Pnpm,
    Yarn,
    Bun,
}

impl PackageManager {
    fn name(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm",
            PackageManager::Pnpm => "pnpm",
            PackageManager::Yarn => "yarn",
            PackageManager::Bun => "bun",
        }
    }
}

/// Where the app sits: its package manager, and the workspace root when it is one package of a
/// workspace (the root's folder, not the app's).
struct Layout {
    manager: PackageManager,
    workspace_root: Option<PathBuf>,
}

/// The package manager from the nearest `packageManager` field, else from the nearest lockfile,
/// looking up from the app to the repository root (the folder holding `.git`).
fn layout(app: &Manifest) -> Layout {
    let folder = app.folder();
    let mut manager = None;
    let mut lockfile = None;
    let mut workspace_root = None;
    for dir in folder.ancestors() {
        let package = if dir == folder {
            Some(app.json.clone())
        } else {
            std::fs::read_to_string(dir.join("package.json"))
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        };
        if manager.is_none() {
            manager = package
                .as_ref()
                .and_then(|p| p.get("packageManager")?.as_str().map(str::to_string))
                .and_then(|field| match field.split('@').next()? {
                    "npm" => Some(PackageManager::Npm),
                    "pnpm" => Some(PackageManager::Pnpm),
                    "yarn" => Some(PackageManager::Yarn),
                    "bun" => Some(PackageManager::Bun),
                    _ => None,
                });
        }
        if lockfile.is_none() {
            lockfile = [
                ("pnpm-lock.yaml", PackageManager::Pnpm),
                ("yarn.lock", PackageManager::Yarn),
                ("bun.lock", PackageManager::Bun),
                ("bun.lockb", PackageManager::Bun),
                ("package-lock.json", PackageManager::Npm),
            ]
            .into_iter()
            .find(|(name, _)| dir.join(name).is_file())
            .map(|(_, manager)| manager);
        }
        let declares_workspace = dir.join("pnpm-workspace.yaml").is_file()
            || package.as_ref().is_some_and(|p| p.get("workspaces").is_some());
        if dir != folder && declares_workspace && workspace_root.is_none() {
            workspace_root = Some(dir.to_path_buf());
        }
        if dir == folder && declares_workspace {
            // The app is the workspace root itself: plain commands.
            break;
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    Layout {
        manager: manager.or(lockfile).unwrap_or(PackageManager::Npm),
        workspace_root,
    }
}

/// What upgrades the `behind` packages of `app` to `needs`: for a catalog, the catalog edit; then
/// one command line (`cd FOLDER && ...` when it must run elsewhere than the current folder) that
/// installs, each package kept in its section (`-D` for devDependencies).
fn upgrade_command(app: &Manifest, behind: &[&Declared], needs: Needs, cwd: &Path) -> String {
    let wanted = |d: &Declared| {
        let version = if NEXT_PACKAGES.contains(&d.package) {
            needs.next
        } else {
            needs.react
        };
        if version.minor == 0 {
            format!("{}", version.major)
        } else {
            format!("^{}.{}.0", version.major, version.minor)
        }
    };
    let catalog_range = |d: &Declared| {
        let version = if NEXT_PACKAGES.contains(&d.package) {
            needs.next
        } else {
            needs.react
        };
        format!("^{}.{}.0", version.major, version.minor)
    };
    let layout = layout(app);
    let manager = layout.manager;
    let app_name = app.json.get("name").and_then(|n| n.as_str());
    // Where the commands run, and how they name the app.
    let (folder, prefix, suffix): (PathBuf, Vec<String>, Vec<String>) =
        match (&layout.workspace_root, manager, app_name) {
            (Some(root), PackageManager::Pnpm, Some(name)) => (
                root.clone(),
                vec!["pnpm".into(), "--filter".into(), name.into(), "add".into()],
                vec![],
            ),
            (Some(root), PackageManager::Yarn, Some(name)) => (
                root.clone(),
                vec!["yarn".into(), "workspace".into(), name.into(), "add".into()],
                vec![],
            ),
            (Some(root), PackageManager::Npm, _) => {
                let relative = app.folder().strip_prefix(root).unwrap_or(app.folder());
                let relative = relative.to_string_lossy().replace('\\', "/");
                (
                    root.clone(),
                    vec!["npm".into(), "install".into()],
                    vec!["-w".into(), relative],
                )
            }
            // bun, or a workspace package without a name: from the app's own folder.
            _ => {
                let verb = if manager == PackageManager::Npm {
                    "install"
                } else {
                    "add"
                };
                (
                    app.folder().to_path_buf(),
                    vec![manager.name().into(), verb.into()],
                    vec![],
                )
            }
        };
    let mut commands = Vec::new();
    for section in SECTIONS {
        let packages: Vec<String> = behind
            .iter()
            .filter(|d| d.section == *section && d.catalog.is_none())
            .map(|d| format!("{}@{}", d.package, wanted(d)))
            .collect();
        if packages.is_empty() {
            continue;
        }
        let flag = match (*section, manager) {
            ("devDependencies", _) => Some("-D"),
            ("peerDependencies", PackageManager::Yarn) => Some("-P"),
            ("peerDependencies", PackageManager::Bun) => Some("--peer"),
            ("peerDependencies", _) => Some("--save-peer"),
            _ => None,
        };
        let mut words = prefix.clone();
        words.extend(flag.map(str::to_string));
        words.extend(packages);
        words.extend(suffix.iter().cloned());
        commands.push(words.join(" "));
    }
    let mut by_catalog: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for d in behind {
        if let Some((name, _)) = &d.catalog {
            by_catalog
                .entry(name.as_str())
                .or_default()
                .push(format!("{}: {}", d.package, catalog_range(d)));
        }
    }
    let mut text = String::new();
    if !by_catalog.is_empty() {
        let file = if manager == PackageManager::Pnpm {
            "pnpm-workspace.yaml"
        } else {
            "the root package.json"
        };
        let edits: Vec<String> = by_catalog
            .into_iter()
            .map(|(name, entries)| {
                let which = if name == "default" {
                    "`catalog`".to_string()
                } else {
                    format!("catalog `{name}`")
                };
                format!("set {} in {file}'s {which}", entries.join(", "))
            })
            .collect();
        text.push_str(&edits.join("; "));
        text.push_str(", then: ");
        commands.insert(0, format!("{} install", manager.name()));
        let root = layout.workspace_root.as_deref().unwrap_or(app.folder());
        // The install runs at the workspace root; the adds too, when the app is named there.
        if root != folder {
            text.push_str(&in_folder(root, &commands.remove(0), cwd));
            if commands.is_empty() {
                return text;
            }
            text.push_str(", then: ");
        }
    }
    text.push_str(&in_folder(&folder, &commands.join(" && "), cwd));
    text
}

/// `cd FOLDER && COMMAND`, or the command alone when FOLDER is the current folder.
fn in_folder(folder: &Path, command: &str, cwd: &Path) -> String {
    match display_path(folder, cwd).as_str() {
        "." => command.to_string(),
        shown => format!("cd {shown} && {command}"),
    }
}

/// The version findings and the upgrade steps of one run.
#[derive(Debug, Default)]
pub struct VersionReport {
    pub findings: Vec<Finding>,
    /// One upgrade command per app the run leaves below Next 15 / React 19 (for the next steps).
    pub upgrades: Vec<String>,
}

/// A file of the run and what its code needs (this run's edits and its imports).
pub struct FileNeeds<'a> {
    pub path: &'a Path,
    pub display: &'a str,
    pub needs: Needs,
}

/// One `target-version` finding per package.json (the nearest above each file) that declares
/// less than its files need; and, for `--to 15`, the upgrade of every app (a package.json that
/// declares next: the walked ones and those above the run's files) left below Next 15 / React 19.
pub fn check(files: &[FileNeeds], walked_manifests: &[PathBuf], target: Target, cwd: &Path) -> VersionReport {
    let mut nearest: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    let mut catalogs = CatalogCache::default();
    // package.json → (what its files need, the first file needing the most).
    let mut by_package: BTreeMap<PathBuf, (Needs, &str)> = BTreeMap::new();
    let mut apps: Vec<PathBuf> = walked_manifests
        .iter()
        .filter_map(|p| std::path::absolute(p).ok())
        .collect();
    for file in files {
        let Some(package) = nearest_package_json(file.path, &mut nearest) else {
            continue;
        };
        apps.push(package.clone());
        if file.needs.is_nothing() {
            continue;
        }
        let entry = by_package.entry(package).or_insert((Needs::NOTHING, file.display));
        if file.needs.max(entry.0) != entry.0 {
            *entry = (file.needs.max(entry.0), file.display);
        }
    }
    let mut report = VersionReport::default();
    for (package, (needs, example)) in &by_package {
        let Some(manifest) = Manifest::read(package, &mut catalogs) else {
            continue;
        };
        let behind = manifest.behind(*needs);
        if behind.is_empty() {
            continue;
        }
        let anchor = behind
            .iter()
            .find(|d| d.package == "next")
            .or_else(|| behind.iter().find(|d| d.package == "react"))
            .unwrap_or(&behind[0]);
        let names: Vec<String> = behind.iter().map(|d| describe_declared(d)).collect();
        report.findings.push(Finding {
            path: display_path(package, cwd),
            line: anchor.line,
            column: anchor.column,
            transform: "target-version".into(),
            message: format!(
                "{} {} behind what the code needs, {} (e.g. {example}); upgrade in the same change: {}",
                names.join(", "),
                if names.len() == 1 { "is" } else { "are" },
                needs.describe(),
                upgrade_command(&manifest, &behind, *needs, cwd)
            ),
        });
    }
    if target.next.major >= 15 {
        apps.sort();
        apps.dedup();
        for package in apps {
            let Some(manifest) = Manifest::read(&package, &mut catalogs) else {
                continue;
            };
            if manifest.get("next").is_none() {
                continue;
            }
            let behind = manifest.behind(Needs::REACT_19);
            if !behind.is_empty() {
                report
                    .upgrades
                    .push(upgrade_command(&manifest, &behind, Needs::REACT_19, cwd));
            }
        }
        report.upgrades.dedup();
    }
    report.findings.sort();
    report
}

/// The lowest Next.js version the package.json nearest above `file` declares (`^15.1.0` is
/// 15.1; a `catalog:` entry is looked up), when it declares one that can be read. Rules whose
/// output needs a minor release hold back for an app already on an older 15.x.
pub fn declared_next(file: &Path) -> Option<Version> {
    let package = nearest_package_json(file, &mut HashMap::new())?;
    Manifest::read(&package, &mut CatalogCache::default())?
        .get("next")?
        .version
}

fn describe_declared(d: &Declared) -> String {
    match &d.catalog {
        Some((_, range)) if range.is_empty() => format!("{} \"{}\" (not found in the catalog)", d.package, d.raw),
        Some((_, range)) => format!("{} \"{}\" ({range})", d.package, d.raw),
        None => format!("{} \"{}\"", d.package, d.raw),
    }
}

fn nearest_package_json(file: &Path, cache: &mut HashMap<PathBuf, Option<PathBuf>>) -> Option<PathBuf> {
    let absolute = std::path::absolute(file).ok()?;
    let mut folder = absolute.parent()?.to_path_buf();
    let mut visited = Vec::new();
    let found = loop {
        if let Some(hit) = cache.get(&folder) {
            break hit.clone();
        }
        visited.push(folder.clone());
        let candidate = folder.join("package.json");
        if candidate.is_file() {
            break Some(candidate);
        }
        if !folder.pop() {
            break None;
        }
    };
    for v in visited {
        cache.insert(v, found.clone());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::catalogs::pnpm_catalogs;
    use super::*;

    #[test]
    fn reads_the_lowest_version_of_a_range() {
        assert_eq!(lowest("^14.2.3"), Some(Version::new(14, 2)));
        assert_eq!(lowest("^15.1.0"), Some(Version::new(15, 1)));
        assert_eq!(lowest("14.2.x"), Some(Version::new(14, 2)));
        assert_eq!(lowest("~15"), Some(Version::new(15, 0)));
        assert_eq!(lowest(">=15.0.0-rc.1"), Some(Version::new(15, 0)));
        assert_eq!(lowest("^19 || ^18.2"), Some(Version::new(18, 2)));
        assert_eq!(lowest("13.3.2-canary.13"), Some(Version::new(13, 3)));
        assert_eq!(lowest("latest"), None);
        assert_eq!(lowest("canary"), None);
        assert_eq!(lowest("*"), None);
        assert_eq!(lowest("workspace:*"), None);
        assert_eq!(lowest("file:../next"), None);
    }

    #[test]
    fn reads_pnpm_catalogs() {
        let yaml = "packages:\n  - apps/*\n\ncatalog:\n  # the framework\n  next: 14.2.3\n  \"@types/react\": '^18.3.0' # types\n  react: ^18.3.1\ncatalogs:\n  react19:\n    react: ^19.0.0\n    react-dom: ^19.0.0\n  legacy:\n    next: 13.5.6\nonlyBuiltDependencies:\n  - sharp\n";
        let catalogs = pnpm_catalogs(yaml);
        assert_eq!(catalogs["default"]["next"], "14.2.3");
        assert_eq!(catalogs["default"]["@types/react"], "^18.3.0");
        assert_eq!(catalogs["default"]["react"], "^18.3.1");
        assert_eq!(catalogs["react19"]["react-dom"], "^19.0.0");
        assert_eq!(catalogs["legacy"]["next"], "13.5.6");
        assert_eq!(catalogs.len(), 3);
    }

    #[test]
    fn finds_the_value_of_a_key() {
        let text =
            "{\n  \"scripts\": { \"next\": \"next dev\" },\n  \"dependencies\": {\n    \"next\":  \"14.2.3\"\n  }\n}\n";
        assert_eq!(value_position(text, "next", "14.2.3"), (4, 14));
        assert_eq!(value_position(text, "react", "18"), (1, 1));
    }
}
