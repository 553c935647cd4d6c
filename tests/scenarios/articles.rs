//! Article traceability: `docs/ARTICLES.md` maps each of the regulation's 17 articles to the
//! domain rules, the endpoints and the tests that implement it, read from the code itself:
//! a rule cites its article in its doc comment, an endpoint in its description, a test in its
//! name (`art_4_5_…`, the first number being the article) or its doc comment.
//!
//! The test fails when the committed table is not what the code says (regenerate it with
//! `GUWEN_BLESS=1 cargo test --test scenarios articles`), or when an article has a rule or an
//! endpoint but no test.

use std::{collections::BTreeSet, fs, path::Path};

/// The articles, with what each is about. Articles 1, 2 and 17 (purpose, definition, entry
/// into force) carry no behaviour.
const ARTICLES: [(&str, bool); 17] = [
    ("Purpose (制定目的)", false),
    ("Definition of an advisor (顾问定义)", false),
    (
        "Leadership, dynamic appointment, terms of 1–3 years, HRSS's daily work (聘期与管理)",
        true,
    ),
    (
        "Appointment procedure: nomination, background check, review, approval, 7-day public notice, appointment (聘任程序)",
        true,
    ),
    ("Qualifications (任职条件)", true),
    ("Duties (顾问职责)", true),
    (
        "Rules of conduct: confidentiality, conflicts, inability (遵守规定)",
        true,
    ),
    ("Seminars, reports and consultations (参加活动)", true),
    ("Written opinions on major issues (书面意见)", true),
    ("Recusal (回避)", true),
    ("Services requested through HRSS, minutes (服务程序)", true),
    ("Dismissal (解聘)", true),
    ("Resignation (辞聘)", true),
    (
        "Expenses and work subsidies within the budget (经费保障)",
        true,
    ),
    (
        "Guidance, supervision and financial internal control (指导监督)",
        true,
    ),
    ("Annual assessment (年度考核)", true),
    ("Entry into force (施行)", false),
];

#[derive(Default)]
struct Trace {
    rules: BTreeSet<String>,
    endpoints: BTreeSet<String>,
    tests: BTreeSet<String>,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The articles a text cites: `Art. 4.5`, `Art. 3, 4.1, 4.6`, `Art. 6–11`, `Art. 12 ¶3`.
fn cited(text: &str) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    for part in text.split("Art. ").skip(1) {
        let mut chars = part.chars().peekable();
        let mut previous: Option<usize> = None;
        let mut range = false;
        loop {
            let digits: String =
                std::iter::from_fn(|| chars.next_if(char::is_ascii_digit)).collect();
            let Ok(n) = digits.parse::<usize>() else {
                break;
            };
            if (1..=17).contains(&n) {
                match previous {
                    Some(p) if range => out.extend(p..=n),
                    _ => {
                        out.insert(n);
                    }
                }
                previous = Some(n);
            }
            // Skip a paragraph number (`.5`, `.5.1`).
            while chars.next_if_eq(&'.').is_some() {
                while chars.next_if(char::is_ascii_digit).is_some() {}
            }
            range = false;
            match chars.peek() {
                Some(',') => {
                    chars.next();
                    while chars.next_if_eq(&' ').is_some() {}
                }
                Some('–' | '-') => {
                    chars.next();
                    range = true;
                }
                _ => break,
            }
        }
    }
    out
}

/// The article a test's name cites first: `art_4_5_…` is Art. 4.
fn named(name: &str) -> Option<usize> {
    let rest = name.split("art_").nth(1)?;
    let n: usize = rest.split('_').next()?.parse().ok()?;
    (1..=17).contains(&n).then_some(n)
}

/// Walks the items of a file: each `fn` with the doc comment and attributes above it.
fn functions(text: &str) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    let mut doc = String::new();
    let mut is_test = false;
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(d) = t.strip_prefix("///") {
            doc.push_str(d);
            doc.push(' ');
        } else if t.starts_with("#[") {
            is_test |= t.ends_with("test]") || t.contains("::test]") || t.starts_with("#[test");
        } else if let Some(i) = t.find("fn ").filter(|_| {
            t.starts_with("fn ")
                || t.starts_with("pub ")
                || t.starts_with("async ")
                || t.starts_with("pub(")
        }) {
            let name: String = t[i + 3..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push((name, std::mem::take(&mut doc), is_test));
            is_test = false;
        } else {
            doc.clear();
            is_test = false;
        }
    }
    out
}

fn trace() -> Vec<Trace> {
    let mut traces: Vec<Trace> = (0..17).map(|_| Trace::default()).collect();
    let root = root();
    let mut files = Vec::new();
    for dir in [
        "crates/domain/src",
        "crates/api/src",
        "crates/persistence/src",
        "tests",
    ] {
        rust_files(&root.join(dir), &mut files);
    }
    for file in files {
        let text = fs::read_to_string(&file).expect("readable source");
        let rel = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .display()
            .to_string();
        let (code, tests) = match text.find("#[cfg(test)]") {
            Some(i) => text.split_at(i),
            None if rel.starts_with("tests/") || rel.ends_with("tests.rs") => ("", text.as_str()),
            None => (text.as_str(), ""),
        };
        if rel.starts_with("crates/domain/") {
            for (name, doc, _) in functions(code) {
                for a in cited(&doc) {
                    let module = rel
                        .trim_start_matches("crates/domain/src/")
                        .trim_end_matches(".rs");
                    traces[a - 1].rules.insert(format!("`{module}::{name}`"));
                }
            }
        }
        for (name, doc, is_test) in functions(tests) {
            if !is_test {
                continue;
            }
            let mut articles = cited(&doc);
            articles.extend(named(&name));
            for a in articles {
                traces[a - 1].tests.insert(format!("`{name}`"));
            }
        }
    }
    let doc = guwen_api::openapi_document();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            let text = format!(
                "{} {}",
                op["summary"].as_str().unwrap_or_default(),
                op["description"].as_str().unwrap_or_default()
            );
            for a in cited(&text) {
                traces[a - 1].endpoints.insert(format!(
                    "`{} {path}` ({})",
                    method.to_uppercase(),
                    op["operationId"].as_str().unwrap_or_default()
                ));
            }
        }
    }
    traces
}

fn render(traces: &[Trace]) -> String {
    let mut out = String::from(
        "# Article traceability\n\n\
         Generated from the code by the `articles` scenario test (`GUWEN_BLESS=1 cargo test --test scenarios articles` rewrites it): \
         each article of the *Advisor Work System (Trial)* with the domain rules whose doc comment cites it, \
         the endpoints whose description cites it and the tests that name it (`art_N_…`) or cite it.\n\n\
         | article | about | rules | endpoints | tests |\n|---|---|---|---|---|\n",
    );
    for (i, ((about, _), t)) in ARTICLES.iter().zip(traces).enumerate() {
        out.push_str(&format!(
            "| [Art. {n}](#art-{n}) | {about} | {} | {} | {} |\n",
            t.rules.len(),
            t.endpoints.len(),
            t.tests.len(),
            n = i + 1
        ));
    }
    for (i, ((about, behaviour), t)) in ARTICLES.iter().zip(traces).enumerate() {
        out.push_str(&format!("\n## Art. {}\n\n{about}\n", i + 1));
        if !behaviour {
            out.push_str("\nNo behaviour to implement.\n");
        } else if t.rules.is_empty() && t.endpoints.is_empty() {
            out.push_str("\nNot implemented yet: no rule or endpoint cites this article.\n");
        }
        for (label, items) in [
            ("Rules", &t.rules),
            ("Endpoints", &t.endpoints),
            ("Tests", &t.tests),
        ] {
            if items.is_empty() {
                continue;
            }
            out.push_str(&format!("\n{label}:\n\n"));
            for item in items {
                out.push_str(&format!("- {item}\n"));
            }
        }
    }
    out
}

#[test]
fn articles_each_rule_and_endpoint_has_its_tests_and_the_table_is_current() {
    let traces = trace();
    for (i, ((_, behaviour), t)) in ARTICLES.iter().zip(&traces).enumerate() {
        let n = i + 1;
        if *behaviour {
            let implemented = !t.rules.is_empty() || !t.endpoints.is_empty();
            assert!(
                !implemented || !t.tests.is_empty(),
                "Art. {n} has rules or endpoints ({} / {}) but no test names or cites it",
                t.rules.len(),
                t.endpoints.len()
            );
        } else {
            assert!(
                t.rules.is_empty() && t.endpoints.is_empty(),
                "Art. {n} is listed as having no behaviour, but the code cites it"
            );
        }
    }
    let generated = render(&traces);
    let path = root().join("docs/ARTICLES.md");
    if std::env::var_os("GUWEN_BLESS").is_some() {
        fs::create_dir_all(path.parent().expect("docs")).expect("docs dir");
        fs::write(&path, &generated).expect("write docs/ARTICLES.md");
        return;
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/ARTICLES.md is not what the code says: run `GUWEN_BLESS=1 cargo test --test scenarios articles` and commit it"
    );
}

#[test]
fn articles_citations_are_read_as_written() {
    assert_eq!(cited("(Art. 4.5)"), BTreeSet::from([4]));
    assert_eq!(cited("Art. 3, 4.1, 4.6, 5.5)"), BTreeSet::from([3, 4, 5]));
    assert_eq!(cited("Art. 6–11"), BTreeSet::from([6, 7, 8, 9, 10, 11]));
    assert_eq!(cited("Art. 12.3, 16"), BTreeSet::from([12, 16]));
    assert_eq!(named("art_4_5_notice_runs_seven_days"), Some(4));
    assert_eq!(named("verification_finds_removed_events"), None);
}
