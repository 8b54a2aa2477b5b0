//! demo — what `make demo` runs heft on. Its generic functions are
//! instantiated with several types, so `heft symbols` shows several copies of
//! report::process and shapes::total_area, and `heft crates` shows how much
//! of the binary is std, shapes, report and demo itself.
use report::{file_label, human, process};
use shapes::{largest, summarize, total_area, Circle, Square, Triangle};
use std::path::PathBuf;

fn main() {
    let n = std::env::args().count() as f64;

    let circles: Vec<Circle> = (1..=4).map(|i| Circle { r: i as f64 * n }).collect();
    let squares: Vec<Square> = (1..=3).map(|i| Square { side: i as f64 + n }).collect();
    let triangles = vec![Triangle { a: 3.0, b: 4.0, c: 5.0 }, Triangle { a: n + 1.0, b: n + 1.0, c: n + 1.0 }];

    println!("total area: {:.2}", total_area(&circles) + total_area(&squares) + total_area(&triangles));
    for line in summarize(&circles).iter().chain(&summarize(&squares)).chain(&summarize(&triangles)) {
        println!("{line}");
    }
    if let (Some(c), Some(s)) = (largest(&circles), largest(&squares)) {
        println!("largest: {c} and {s}");
    }

    // report::process, three copies: String, i32, and paths (via Display).
    let names: Vec<String> = shapes::PALETTE.iter().map(|(name, rgb)| format!("{name} #{rgb:06x}")).collect();
    let numbers: Vec<i32> = (0..8).map(|i| i * i - 3 * i).collect();
    let paths: Vec<PathBuf> = ["src/main.rs", "shapes/src/lib.rs", "Cargo.toml"].iter().map(PathBuf::from).collect();
    let shown: Vec<_> = paths.iter().map(|p| p.display()).collect();
    print!("{}", process(&names));
    print!("{}", process(&numbers));
    print!("{}", process(&shown));

    // report::file_label, three copies: &str, String, PathBuf.
    println!("{}", file_label("examples/demo/src/main.rs"));
    println!("{}", file_label(String::from("/usr/lib/libc.so")));
    println!("{}", file_label(PathBuf::from("target/release/demo.o")));

    let pts: f32 = shapes::UNIT_POINTS.iter().map(|(x, y)| x * y).sum();
    println!("{} / {} / {:.3}", human(123), human(5 << 20), pts);
}
