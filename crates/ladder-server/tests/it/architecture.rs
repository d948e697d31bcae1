//! The server's folder rule, checked on its source: one shared floor
//! (`http/`, with the `clients/` below it) and one folder per feature;
//! features never import each other, the floor imports no feature, and no
//! two modules import each other in a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const FEATURES: [&str; 5] = ["frameworks", "accounts", "jobspecs", "interviews", "people"];

/// Every module of the crate (`http::access`, `people`, …) and its source,
/// without its `#[cfg(test)]` part.
fn modules() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).expect("src is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).expect("under src");
                let mut parts: Vec<String> = relative
                    .with_extension("")
                    .iter()
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect();
                if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
                    parts.pop();
                }
                if parts.last().is_some_and(|p| p == "tests") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("readable");
                let code = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
                out.insert(parts.join("::"), code);
            }
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    walk(&root, &root, &mut out);
    out
}

/// The modules `module` refers to through `crate::…` and `super::…` paths.
fn imports(module: &str, code: &str, all: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let own: Vec<&str> = if module.is_empty() {
        vec![]
    } else {
        module.split("::").collect()
    };
    for (index, _) in code
        .match_indices("crate::")
        .chain(code.match_indices("super::"))
    {
        if index > 0
            && code[..index].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':')
        {
            continue;
        }
        let rest = &code[index..];
        let path: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        let mut base: Vec<&str> = if segments.first() == Some(&"crate") {
            segments.remove(0);
            vec![]
        } else {
            let mut base = own.clone();
            while segments.first() == Some(&"super") {
                segments.remove(0);
                base.pop();
            }
            base
        };
        base.extend(segments);
        // The longest prefix that names a module.
        for length in (1..=base.len()).rev() {
            let candidate = base[..length].join("::");
            if candidate != module
                && all.contains_key(&candidate)
                && !module.starts_with(&format!("{candidate}::"))
            {
                found.insert(candidate);
                break;
            }
        }
    }
    found
}

fn top(module: &str) -> &str {
    module.split("::").next().unwrap_or("")
}

#[test]
fn features_never_import_each_other_and_the_floor_imports_no_feature() {
    let all = modules();
    assert!(
        all.contains_key("http::access") && all.contains_key("people"),
        "{:?}",
        all.keys()
    );
    let mut problems = Vec::new();
    for (module, code) in &all {
        for target in imports(module, code, &all) {
            let (from, to) = (top(module), top(&target));
            let crosses_features = FEATURES.contains(&from) && FEATURES.contains(&to) && from != to;
            let floor_reaches_up = matches!(from, "http" | "clients") && FEATURES.contains(&to);
            let client_reaches_up = from == "clients" && to == "http";
            if crosses_features || floor_reaches_up || client_reaches_up {
                problems.push(format!("{module} imports {target}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn no_two_modules_import_each_other_in_a_circle() {
    let all = modules();
    let graph: BTreeMap<&String, BTreeSet<String>> = all
        .iter()
        .map(|(module, code)| (module, imports(module, code, &all)))
        .collect();
    // Depth-first search for a path back to where it started.
    fn reaches(
        graph: &BTreeMap<&String, BTreeSet<String>>,
        from: &str,
        goal: &str,
        seen: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> bool {
        let Some(next) = graph.get(&from.to_string()) else {
            return false;
        };
        for target in next {
            if target == goal {
                path.push(target.clone());
                return true;
            }
            if seen.insert(target.clone()) {
                path.push(target.clone());
                if reaches(graph, target, goal, seen, path) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    for module in graph.keys() {
        let mut path = vec![module.to_string()];
        let mut seen = BTreeSet::new();
        assert!(
            !reaches(&graph, module, module, &mut seen, &mut path),
            "an import circle: {}",
            path.join(" -> ")
        );
    }
}

#[test]
fn the_checker_sees_a_circle_and_a_crossing_when_there_is_one() {
    let mut all = BTreeMap::new();
    all.insert("a".to_string(), "use crate::b::X;".to_string());
    all.insert("b".to_string(), "fn f() { super::a::g(); }".to_string());
    all.insert(
        "people".to_string(),
        "use crate::jobspecs::service;".to_string(),
    );
    all.insert("jobspecs".to_string(), String::new());
    assert_eq!(
        imports("a", &all["a"], &all),
        BTreeSet::from(["b".to_string()])
    );
    assert_eq!(
        imports("b", &all["b"], &all),
        BTreeSet::from(["a".to_string()])
    );
    assert_eq!(
        imports("people", &all["people"], &all),
        BTreeSet::from(["jobspecs".to_string()])
    );
}

/// Modules that may hold state in process memory, and why each is safe with
/// several servers on one database. Anything else that must hold across
/// instances — idempotency claims, rate counts, sessions — lives in the
/// database, so a new lock or global anywhere else needs a reason here.
const PROCESS_STATE: [(&str, &str); 5] = [
    (
        "http::state",
        "caches of framework versions, which never change, and of a setting and a list that may be a moment stale",
    ),
    ("http::metrics", "the Prometheus recorder, per process by design"),
    ("clients", "installs the TLS crypto provider once"),
    ("http::auth", "the dummy password hash, computed once and never changed"),
    ("openapi", "the OpenAPI document, built once from the route lists"),
];

/// The words that declare state shared between requests of one process.
const SHARED_STATE_MARKERS: [&str; 7] = [
    "Mutex",
    "RwLock",
    "OnceLock",
    "OnceCell",
    "LazyLock",
    "static mut",
    "std::sync::Once",
];

fn shared_state_in(code: &str) -> Vec<&'static str> {
    SHARED_STATE_MARKERS
        .into_iter()
        .filter(|marker| code.contains(marker))
        .collect()
}

#[test]
fn only_caches_live_in_process_memory() {
    let allowed: BTreeSet<&str> = PROCESS_STATE.iter().map(|(module, _)| *module).collect();
    let offenders: Vec<String> = modules()
        .iter()
        .filter(|(module, _)| !allowed.contains(module.as_str()))
        .filter_map(|(module, code)| {
            let found = shared_state_in(code);
            (!found.is_empty()).then(|| format!("{module}: {}", found.join(", ")))
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "state shared between requests outside the allowed modules (keep it in the database, or add the module to PROCESS_STATE with the reason): {offenders:?}"
    );
    // The checker sees what it looks for.
    assert_eq!(
        shared_state_in("static HITS: Mutex<HashMap<String, u32>> = …;"),
        ["Mutex"]
    );
    assert!(shared_state_in("let total = hits.len();").is_empty());
}
