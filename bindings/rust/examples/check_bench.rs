//! The figure for docs/performance.md: `Token::check` against a `Stop` built on an
//! `AtomicBool`, both through the seed's trait, interleaved rounds, median. Prints JSON.
//!     cargo run --release --example check_bench
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use enough::{Stop, StopReason};
use enough_cancel::Source;

struct AtomicStop(AtomicBool);
impl Stop for AtomicStop {
    #[inline]
    fn check(&self) -> Result<(), StopReason> {
        if self.0.load(Ordering::Acquire) { Err(StopReason::Cancelled) } else { Ok(()) }
    }
}

const CHECKS: u32 = 50_000_000;

fn per_check_ns(stop: &impl Stop) -> f64 {
    let start = Instant::now();
    for _ in 0..CHECKS {
        if black_box(stop).check().is_err() {
            panic!("nothing was cancelled");
        }
    }
    start.elapsed().as_nanos() as f64 / f64::from(CHECKS)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let source = Source::new();
    let token = source.token();
    let peer = AtomicStop(AtomicBool::new(false));
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        ours.push(per_check_ns(&token));
        theirs.push(per_check_ns(&peer));
    }
    println!("{{\"rust_check_ns\": {:.4}, \"rust_atomic_bool_ns\": {:.4}}}", median(ours), median(theirs));
}
