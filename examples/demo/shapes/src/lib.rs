//! shapes — geometry with generic code: every shape type gets its own copy of
//! the generic functions below, in the crate that uses them.
use std::fmt;

pub trait Shape: fmt::Display {
    fn area(&self) -> f64;
    fn perimeter(&self) -> f64;
    fn name(&self) -> &'static str;
}

#[derive(Clone, Copy, Debug)]
pub struct Circle {
    pub r: f64,
}

#[derive(Clone, Copy, Debug)]
pub struct Square {
    pub side: f64,
}

#[derive(Clone, Copy, Debug)]
pub struct Triangle {
    pub a: f64,
    pub b: f64,
    pub c: f64,
}

impl Shape for Circle {
    fn area(&self) -> f64 {
        std::f64::consts::PI * self.r * self.r
    }
    fn perimeter(&self) -> f64 {
        2.0 * std::f64::consts::PI * self.r
    }
    fn name(&self) -> &'static str {
        "circle"
    }
}

impl Shape for Square {
    fn area(&self) -> f64 {
        self.side * self.side
    }
    fn perimeter(&self) -> f64 {
        4.0 * self.side
    }
    fn name(&self) -> &'static str {
        "square"
    }
}

impl Shape for Triangle {
    fn area(&self) -> f64 {
        let s = self.perimeter() / 2.0;
        (s * (s - self.a) * (s - self.b) * (s - self.c)).sqrt()
    }
    fn perimeter(&self) -> f64 {
        self.a + self.b + self.c
    }
    fn name(&self) -> &'static str {
        "triangle"
    }
}

impl fmt::Display for Circle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "circle(r={:.2})", self.r)
    }
}

impl fmt::Display for Square {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "square(side={:.2})", self.side)
    }
}

impl fmt::Display for Triangle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "triangle({:.1}, {:.1}, {:.1})", self.a, self.b, self.c)
    }
}

/// Generic: one copy per shape type.
#[inline(never)]
pub fn total_area<S: Shape>(items: &[S]) -> f64 {
    items.iter().map(Shape::area).sum()
}

/// Generic: one copy per shape type, with formatting inside.
#[inline(never)]
pub fn summarize<S: Shape>(items: &[S]) -> Vec<String> {
    items
        .iter()
        .map(|s| format!("{:<28} {:>10.3} {:>10.3} {}", s.to_string(), s.area(), s.perimeter(), s.name()))
        .collect()
}

/// The largest by area, generic over the shape type.
#[inline(never)]
pub fn largest<S: Shape + Copy>(items: &[S]) -> Option<S> {
    items.iter().copied().max_by(|a, b| a.area().total_cmp(&b.area()))
}

/// A static table: named colours (in .rodata, owned by shapes).
pub static PALETTE: [(&str, u32); 16] = [
    ("black", 0x000000), ("white", 0xffffff), ("red", 0xff0000), ("lime", 0x00ff00),
    ("blue", 0x0000ff), ("yellow", 0xffff00), ("cyan", 0x00ffff), ("magenta", 0xff00ff),
    ("silver", 0xc0c0c0), ("gray", 0x808080), ("maroon", 0x800000), ("olive", 0x808000),
    ("green", 0x008000), ("purple", 0x800080), ("teal", 0x008080), ("navy", 0x000080),
];

/// A precomputed table of unit-circle points (1 KiB).
pub static UNIT_POINTS: [(f32, f32); 128] = {
    let mut t = [(0.0f32, 0.0f32); 128];
    let mut i = 0;
    while i < 128 {
        // A cheap polygonal approximation, computable in a const context.
        let x = (i as f32 / 64.0) - 1.0;
        t[i] = (x, 1.0 - x * x);
        i += 1;
    }
    t
};
