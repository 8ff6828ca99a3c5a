//! Static checks on a submitted `lib.rs`, before anything of it runs.
//!
//! Loom can only explore interleavings of operations it sees. A learner who imports
//! `std::sync::Mutex` instead of `kata_sync::sync::Mutex` compiles fine, but loom then models
//! nothing (or hangs on a real lock), so a loom pass would mean nothing. This check finds such
//! paths and names the line, so the loom checks can fail with a sentence instead.

use syn::visit::Visit;

/// A path in the learner's code that loom cannot see through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bypass {
    /// 1-based line in `src/lib.rs`.
    pub line: usize,
    /// The path as written, e.g. `std::sync::Mutex`.
    pub path: String,
}

impl Bypass {
    /// A sentence for the learner.
    pub fn explain(&self) -> String {
        let module = self.path.split("::").nth(1).unwrap_or("sync");
        format!(
            "src/lib.rs:{}: uses `{}` directly; import it from `kata_sync::{module}` instead \
             (the same API), so the loom checks can explore your code's interleavings",
            self.line, self.path
        )
    }
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

/// Every use of std's synchronisation paths that bypasses `kata_sync`. Source that does not
/// parse yields nothing: the compiler will explain that better.
pub fn loom_bypasses(source: &str) -> Vec<Bypass> {
    let Ok(file) = syn::parse_file(source) else {
        return Vec::new();
    };
    let mut finder = Finder::default();
    finder.visit_file(&file);
    finder.found.sort_by_key(|b| b.line);
    finder.found.dedup();
    finder.found
}

#[derive(Default)]
struct Finder {
    found: Vec<Bypass>,
}

impl Finder {
    fn check(&mut self, segments: &[String], line: usize) {
        if is_bypass(segments) {
            self.found.push(Bypass {
                line,
                path: segments.join("::"),
            });
        }
    }

    fn walk_use(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.walk_use(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut full = prefix.clone();
                if n.ident != "self" {
                    full.push(n.ident.to_string());
                }
                self.check(&full, n.ident.span().start().line);
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix.clone();
                if r.ident != "self" {
                    full.push(r.ident.to_string());
                }
                self.check(&full, r.ident.span().start().line);
            }
            syn::UseTree::Glob(g) => {
                let mut full = prefix.clone();
                full.push("*".into());
                self.check(&full, g.star_token.span.start().line);
            }
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.walk_use(prefix, item);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.walk_use(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(first) = path.segments.first() {
            self.check(&segments, first.ident.span().start().line);
        }
        syn::visit::visit_path(self, path);
    }
}

fn is_bypass(segments: &[String]) -> bool {
    let [root, module, rest @ ..] = segments else {
        return false;
    };
    if !matches!(root.as_str(), "std" | "core" | "alloc") {
        return false;
    }
    if !matches!(module.as_str(), "sync" | "thread" | "hint") {
        return false;
    }
    let tail: Vec<&str> = std::iter::once(module.as_str())
        .chain(rest.iter().map(String::as_str))
        .collect();
    !HARMLESS
        .iter()
        .any(|allowed| tail.len() >= allowed.len() && tail[..allowed.len()] == **allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(src: &str) -> Vec<(usize, String)> {
        loom_bypasses(src)
            .into_iter()
            .map(|b| (b.line, b.path))
            .collect()
    }

    #[test]
    fn kata_sync_imports_are_fine() {
        let src = "use kata_sync::sync::{Arc, Mutex};\nuse kata_sync::thread;\n\
                   use std::sync::atomic::Ordering;\nuse std::collections::VecDeque;\n\
                   fn f() { let _ = std::sync::atomic::Ordering::SeqCst; }";
        assert_eq!(paths(src), vec![]);
    }

    #[test]
    fn finds_std_imports_globs_and_inline_paths() {
        let src = "use std::sync::{Mutex, atomic::{AtomicU64, Ordering}};\n\
                   use std::thread;\n\
                   use core::sync::atomic::*;\n\
                   fn f() { let m = ::std::sync::Condvar::new(); std::hint::spin_loop(); }";
        assert_eq!(
            paths(src),
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
    fn explains_with_line_and_replacement() {
        let b = &loom_bypasses("\n\nuse std::sync::Mutex;")[0];
        let msg = b.explain();
        assert!(msg.starts_with("src/lib.rs:3:"), "{msg}");
        assert!(msg.contains("kata_sync::sync"), "{msg}");
    }

    #[test]
    fn unparsable_source_is_left_to_the_compiler() {
        assert_eq!(paths("fn f( {"), vec![]);
    }
}
