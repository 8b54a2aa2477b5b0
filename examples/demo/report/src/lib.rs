//! report — formatting helpers: a generic `process` (one copy per item type)
//! and `file_label` taking `impl AsRef<Path>` (one copy per argument type).
use std::fmt::{Display, Write};
use std::path::Path;

/// Generic over anything printable: String, i32, paths' Display, ...
#[inline(never)]
pub fn process<T: Display>(items: &[T]) -> String {
    let mut out = String::new();
    for (i, it) in items.iter().enumerate() {
        let s = it.to_string();
        let _ = writeln!(out, "{:>3}. {:<40} ({} chars)", i + 1, s, s.chars().count());
    }
    out
}

/// `impl AsRef<Path>`: a copy for &str, for String and for PathBuf.
#[inline(never)]
pub fn file_label(p: impl AsRef<Path>) -> String {
    let p = p.as_ref();
    let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
    let kind = KINDS.iter().find(|(e, _)| *e == ext).map(|(_, k)| *k).unwrap_or("file");
    format!("{} [{}] in {}", p.file_name().and_then(|n| n.to_str()).unwrap_or("?"), kind,
            p.parent().map(|d| d.display().to_string()).unwrap_or_default())
}

/// Human sizes, with a static table of units.
#[inline(never)]
pub fn human(bytes: u64) -> String {
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 { format!("{} {}", bytes, UNITS[0]) } else { format!("{:.1} {}", v, UNITS[u]) }
}

static UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/// File kinds by extension.
pub static KINDS: [(&str, &str); 12] = [
    ("rs", "Rust source"), ("c", "C source"), ("h", "C header"), ("cpp", "C++ source"),
    ("toml", "TOML"), ("json", "JSON"), ("md", "Markdown"), ("txt", "text"),
    ("so", "shared library"), ("o", "object"), ("a", "archive"), ("elf", "ELF file"),
];
