//! Static checks on a submitted `lib.rs`, before anything of it is built or run.
//!
//! Two rules. **Forbidden constructs**: `unsafe`, `extern`, linkage attributes, `include!` and
//! its kin (which could read the grader's hidden tests into the submission), inline assembly,
//! and the parts of std that reach outside the process (`process`, `env`, `fs`, `net`, `os`,
//! raw stdout/stderr), unless the kata's manifest allows them. A kata that breaks this rule is
//! not built at all. **Loom bypass**: loom only sees operations made through `kata_sync`; a
//! loom-checked kata that uses `std::sync::Mutex` directly would pass loom checks without being
//! checked, so its loom checks fail instead, naming the line.
//!
//! Paths inside macro invocations are read from their tokens too, so `vec![std::process::exit(0)]`
//! does not slip through.

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

/// Something in the learner's code the kata does not allow, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line in `src/lib.rs`.
    pub line: usize,
    /// What was found, e.g. `std::sync::Mutex` or `an unsafe block`.
    pub what: String,
}

/// A path in the learner's code that loom cannot see through.
pub type Bypass = Finding;

impl Finding {
    /// A sentence for the learner about a loom bypass.
    pub fn explain(&self) -> String {
        let module = self.what.split("::").nth(1).unwrap_or("sync");
        format!(
            "src/lib.rs:{}: uses `{}` directly; import it from `kata_sync::{module}` instead \
             (the same API), so the loom checks can explore your code's interleavings",
            self.line, self.what
        )
    }
}

/// Everything in a source file the rules look at.
#[derive(Debug, Default)]
pub struct Scan {
    paths: Vec<(usize, Vec<String>)>,
    constructs: Vec<Finding>,
}

/// Reads `source`; `None` when it does not parse (the compiler will explain that better).
pub fn scan(source: &str) -> Option<Scan> {
    let file = syn::parse_file(source).ok()?;
    let mut scan = Scan::default();
    scan.visit_file(&file);
    Some(scan)
}

/// Items of `std::{sync,thread,hint}` that are plain data or pure functions: loom mode uses
/// the very same ones, so naming them through `std` is harmless.
const HARMLESS: &[&[&str]] = &[
    &["sync", "atomic", "Ordering"],
    &["sync", "LockResult"],
    &["sync", "PoisonError"],
    &["sync", "TryLockError"],
    &["sync", "TryLockResult"],
    &["sync", "mpsc", "SendError"],
    &["sync", "mpsc", "RecvError"],
    &["sync", "mpsc", "TryRecvError"],
    &["sync", "mpsc", "RecvTimeoutError"],
    &["sync", "mpsc", "TrySendError"],
    &["thread", "Result"],
    &["thread", "panicking"],
    &["hint", "black_box"],
    &["hint", "unreachable_unchecked"],
    &["hint", "assert_unchecked"],
];

/// Modules of std that reach outside the test process; a kata's manifest may allow them.
const OUTSIDE: &[&str] = &["process", "env", "fs", "net", "os"];
/// Items of `std::io` that write around libtest's output capture.
const RAW_STDIO: &[&str] = &["stdout", "stderr", "stdin", "Stdout", "Stderr", "Stdin"];
/// Attributes that change linkage or load other files.
const ATTRIBUTES: &[&str] = &[
    "no_mangle",
    "export_name",
    "link",
    "link_name",
    "link_section",
    "linkage",
    "path",
    "used",
    "naked",
    "unsafe",
];
/// Macros that read files or embed machine code.
const MACROS: &[&str] = &[
    "include",
    "include_str",
    "include_bytes",
    "asm",
    "global_asm",
    "naked_asm",
];

impl Scan {
    /// Every use of std's synchronisation paths that bypasses `kata_sync`.
    pub fn loom_bypasses(&self) -> Vec<Bypass> {
        let mut found: Vec<Finding> = self
            .paths
            .iter()
            .filter(|(_, p)| is_sync_bypass(p))
            .map(|(line, p)| Finding {
                line: *line,
                what: p.join("::"),
            })
            .collect();
        found.sort_by_key(|f| f.line);
        found.dedup();
        found
    }

    /// Every forbidden construct, except paths under a prefix in `allow` (e.g. `std::process`).
    pub fn forbidden(&self, allow: &[String]) -> Vec<Finding> {
        let allowed = |path: &[String]| {
            let joined = path.join("::");
            allow
                .iter()
                .any(|a| joined == *a || joined.starts_with(&format!("{a}::")))
        };
        let mut found = self.constructs.clone();
        for (line, path) in &self.paths {
            if is_outside(path) && !allowed(path) {
                found.push(Finding {
                    line: *line,
                    what: format!("`{}`", path.join("::")),
                });
            }
        }
        found.sort_by_key(|f| f.line);
        found.dedup();
        found
    }

    fn construct(&mut self, line: usize, what: impl Into<String>) {
        self.constructs.push(Finding {
            line,
            what: what.into(),
        });
    }

    fn walk_use(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.walk_use(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.use_path(prefix, &n.ident),
            syn::UseTree::Rename(r) => self.use_path(prefix, &r.ident),
            syn::UseTree::Glob(g) => {
                let mut full = prefix.clone();
                full.push("*".into());
                self.paths.push((g.star_token.span.start().line, full));
            }
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.walk_use(prefix, item);
                }
            }
        }
    }

    fn use_path(&mut self, prefix: &[String], ident: &syn::Ident) {
        let mut full = prefix.to_vec();
        if ident != "self" {
            full.push(ident.to_string());
        }
        self.paths.push((ident.span().start().line, full));
    }

    /// Paths written inside a macro's tokens: `a::b::c` sequences of identifiers.
    fn token_paths(&mut self, tokens: TokenStream) {
        let mut current: Vec<String> = Vec::new();
        let mut line = 0;
        let mut colons = 0;
        let flush = |scan: &mut Scan, current: &mut Vec<String>, line: usize| {
            if current.len() > 1 {
                scan.paths.push((line, std::mem::take(current)));
            }
            current.clear();
        };
        for tree in tokens {
            match tree {
                TokenTree::Ident(ident) => {
                    if current.is_empty() || colons != 2 {
                        flush(self, &mut current, line);
                        line = ident.span().start().line;
                    }
                    current.push(ident.to_string());
                    colons = 0;
                }
                TokenTree::Punct(p) if p.as_char() == ':' => colons += 1,
                TokenTree::Group(group) => {
                    flush(self, &mut current, line);
                    colons = 0;
                    self.token_paths(group.stream());
                }
                _ => {
                    flush(self, &mut current, line);
                    colons = 0;
                }
            }
        }
        flush(self, &mut current, line);
    }
}

impl<'ast> Visit<'ast> for Scan {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.walk_use(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if let Some(first) = path.segments.first() {
            let segments = path.segments.iter().map(|s| s.ident.to_string()).collect();
            self.paths.push((first.ident.span().start().line, segments));
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if let Some(last) = mac.path.segments.last()
            && MACROS.contains(&last.ident.to_string().as_str())
        {
            self.construct(last.ident.span().start().line, format!("`{}!`", last.ident));
        }
        self.token_paths(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }

    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        if let Some(first) = attr.path().segments.first()
            && ATTRIBUTES.contains(&first.ident.to_string().as_str())
        {
            let written = quote::ToTokens::to_token_stream(&attr.meta)
                .to_string()
                .replace(" (", "(")
                .replace("( ", "(")
                .replace(" )", ")");
            self.construct(
                first.ident.span().start().line,
                format!("the attribute `#[{written}]`"),
            );
        }
        syn::visit::visit_attribute(self, attr);
    }

    fn visit_expr_unsafe(&mut self, e: &'ast syn::ExprUnsafe) {
        self.construct(e.unsafe_token.span.start().line, "an `unsafe` block");
        syn::visit::visit_expr_unsafe(self, e);
    }

    fn visit_signature(&mut self, sig: &'ast syn::Signature) {
        if let Some(u) = &sig.unsafety {
            self.construct(u.span.start().line, "an `unsafe fn`");
        }
        if let Some(abi) = &sig.abi {
            self.construct(abi.extern_token.span.start().line, "an `extern` function");
        }
        syn::visit::visit_signature(self, sig);
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        if let Some(u) = &item.unsafety {
            self.construct(u.span.start().line, "an `unsafe impl`");
        }
        syn::visit::visit_item_impl(self, item);
    }

    fn visit_item_trait(&mut self, item: &'ast syn::ItemTrait) {
        if let Some(u) = &item.unsafety {
            self.construct(u.span.start().line, "an `unsafe trait`");
        }
        syn::visit::visit_item_trait(self, item);
    }

    fn visit_item_foreign_mod(&mut self, item: &'ast syn::ItemForeignMod) {
        self.construct(item.abi.extern_token.span.start().line, "an `extern` block");
        syn::visit::visit_item_foreign_mod(self, item);
    }

    fn visit_item_extern_crate(&mut self, item: &'ast syn::ItemExternCrate) {
        self.construct(item.extern_token.span.start().line, "`extern crate`");
        syn::visit::visit_item_extern_crate(self, item);
    }
}

fn std_like(root: &str) -> bool {
    matches!(root, "std" | "core" | "alloc")
}

fn is_sync_bypass(segments: &[String]) -> bool {
    let [root, module, rest @ ..] = segments else {
        return false;
    };
    if !std_like(root) || !matches!(module.as_str(), "sync" | "thread" | "hint") {
        return false;
    }
    let tail: Vec<&str> = std::iter::once(module.as_str())
        .chain(rest.iter().map(String::as_str))
        .collect();
    !HARMLESS
        .iter()
        .any(|allowed| tail.len() >= allowed.len() && tail[..allowed.len()] == **allowed)
}

fn is_outside(segments: &[String]) -> bool {
    match segments {
        [root, module, ..] if std_like(root) && OUTSIDE.contains(&module.as_str()) => true,
        [root, io, item, ..] if std_like(root) && io == "io" => {
            RAW_STDIO.contains(&item.as_str()) || item == "*"
        }
        _ => false,
    }
}

/// Sentences for the learner about forbidden constructs.
pub fn explain_forbidden(dir_name: &str, found: &[Finding]) -> String {
    let mut out = format!(
        "{dir_name}/src/lib.rs was not built: it uses what this kata does not allow, so every \
         check scores 0."
    );
    for f in found.iter().take(10) {
        out.push_str(&format!("\n  src/lib.rs:{}: {}", f.line, f.what));
    }
    if found.len() > 10 {
        out.push_str(&format!("\n  ... and {} more", found.len() - 10));
    }
    out.push_str(
        "\nThe katas need none of these: use kata_sync and std's collections, and keep the \
         code in this one file.",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bypasses(src: &str) -> Vec<(usize, String)> {
        scan(src)
            .unwrap()
            .loom_bypasses()
            .into_iter()
            .map(|b| (b.line, b.what))
            .collect()
    }

    fn forbidden(src: &str, allow: &[&str]) -> Vec<(usize, String)> {
        let allow: Vec<String> = allow.iter().map(|s| s.to_string()).collect();
        scan(src)
            .unwrap()
            .forbidden(&allow)
            .into_iter()
            .map(|f| (f.line, f.what))
            .collect()
    }

    #[test]
    fn kata_sync_imports_are_fine() {
        let src = "use kata_sync::sync::{Arc, Mutex};\nuse kata_sync::thread;\n\
                   use std::sync::atomic::Ordering;\nuse std::collections::VecDeque;\n\
                   fn f() { let _ = std::sync::atomic::Ordering::SeqCst; println!(\"{}\", 1); }";
        assert_eq!(bypasses(src), vec![]);
        assert_eq!(forbidden(src, &[]), vec![]);
    }

    #[test]
    fn finds_std_sync_imports_globs_and_inline_paths() {
        let src = "use std::sync::{Mutex, atomic::{AtomicU64, Ordering}};\n\
                   use std::thread;\n\
                   use core::sync::atomic::*;\n\
                   fn f() { let m = ::std::sync::Condvar::new(); std::hint::spin_loop(); }";
        assert_eq!(
            bypasses(src),
            vec![
                (1, "std::sync::Mutex".into()),
                (1, "std::sync::atomic::AtomicU64".into()),
                (2, "std::thread".into()),
                (3, "core::sync::atomic::*".into()),
                (4, "std::sync::Condvar::new".into()),
                (4, "std::hint::spin_loop".into()),
            ]
        );
    }

    #[test]
    fn explains_a_bypass_with_line_and_replacement() {
        let b = &scan("\n\nuse std::sync::Mutex;").unwrap().loom_bypasses()[0];
        let msg = b.explain();
        assert!(msg.starts_with("src/lib.rs:3:"), "{msg}");
        assert!(msg.contains("kata_sync::sync"), "{msg}");
    }

    #[test]
    fn finds_paths_hidden_in_macros() {
        let src = "fn f() { let v = vec![std::process::exit(0)]; }\n\
                   macro_rules! m { () => { std::sync::Mutex::new(1) } }";
        assert_eq!(
            forbidden(src, &[]),
            vec![(1, "`std::process::exit`".into())]
        );
        assert_eq!(bypasses(src), vec![(2, "std::sync::Mutex::new".into())]);
    }

    #[test]
    fn forbids_escapes_unless_allowed() {
        let src = "use std::process::Command;\n\
                   fn a() { unsafe { } }\n\
                   #[unsafe(no_mangle)] pub extern \"C\" fn b() {}\n\
                   const H: &str = include_str!(\"../tests/hidden.rs\");\n\
                   #[path = \"x.rs\"] mod x;\n\
                   extern crate core as c;\n\
                   fn w() { use std::io::Write; let _ = std::io::stdout().write_all(b\"ok\"); }\n\
                   fn e() { let _ = std::env::var(\"T\"); let _ = std::fs::read(\"/x\"); }";
        let found = forbidden(src, &[]);
        let whats: Vec<&str> = found.iter().map(|(_, w)| w.as_str()).collect();
        for expected in [
            "`std::process::Command`",
            "an `unsafe` block",
            "the attribute `#[unsafe(no_mangle)]`",
            "an `extern` function",
            "`include_str!`",
            "the attribute `#[path = \"x.rs\"]`",
            "`extern crate`",
            "`std::io::stdout`",
            "`std::env::var`",
            "`std::fs::read`",
        ] {
            assert!(whats.contains(&expected), "{expected} not in {whats:?}");
        }
        // The processes kata allows std::process.
        let allowed = forbidden("use std::process::Command;", &["std::process"]);
        assert_eq!(allowed, vec![]);
        // std::io's traits and types are fine; only the raw streams are not.
        assert_eq!(forbidden("use std::io::{self, Read};", &[]), vec![]);
    }

    #[test]
    fn explains_forbidden_code_with_lines() {
        let found = scan("\nfn a() { unsafe {} }").unwrap().forbidden(&[]);
        let msg = explain_forbidden("03-race", &found);
        assert!(msg.contains("src/lib.rs:2: an `unsafe` block"), "{msg}");
        assert!(msg.contains("was not built"), "{msg}");
    }

    #[test]
    fn unparsable_source_is_left_to_the_compiler() {
        assert!(scan("fn f( {").is_none());
    }
}
