//! The depth figures for docs/performance.md (issues 24 and 33): the time to build,
//! cancel and drop a chain of 1,000,000 tokens, each the child of the one before, and
//! 100,000 children of one parent; ours (`Token::child_token`, and linked sources for
//! the chain) beside tokio-util's `CancellationToken::child_token`. Each shape is
//! measured in a fresh process of this program (`depth_bench time SHAPE`: five rounds,
//! the median), so that no shape runs on a heap another left behind. Every token is
//! kept until the cancel has been measured (tokio-util re-parents the children of a
//! dropped token, which would flatten the chain). Each round runs on a thread of its
//! own with a large stack: dropping a deep chain of tokio-util's tokens recurses. Then
//! the memory each shape takes per token: the growth of the resident set (Linux's
//! VmRSS) of a fresh process (`depth_bench memory SHAPE`) while it builds the shape,
//! divided by the number of tokens (the Vec that keeps them, 8 bytes a token for
//! either library, included). Prints JSON.
//!     cargo run --release --example depth_bench
use std::time::Instant;

use enough_cancel::{Source, Token};
use tokio_util::sync::CancellationToken;

const DEPTH: usize = 1_000_000;
const WIDTH: usize = 100_000;
const ROUNDS: usize = 5;
const STACK: usize = 1 << 30; // reserved, not committed

/// Milliseconds to build, to cancel, and to drop one shape.
#[derive(Clone, Copy)]
struct Figures {
    build: f64,
    cancel: f64,
    drop: f64,
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// Times `build`, then `cancel` on what it built, then dropping it, on a big stack.
fn time<T: Send + 'static>(build: fn() -> T, cancel: fn(&T)) -> Figures {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let start = Instant::now();
            let built = build();
            let build_ms = ms(start);
            let start = Instant::now();
            cancel(&built);
            let cancel_ms = ms(start);
            let start = Instant::now();
            drop(built);
            Figures { build: build_ms, cancel: cancel_ms, drop: ms(start) }
        })
        .unwrap()
        .join()
        .unwrap()
}

fn ours_chain() -> (Source, Vec<Token>) {
    let root = Source::new();
    let mut tokens = vec![root.token()];
    for _ in 0..DEPTH {
        let next = tokens.last().unwrap().child_token();
        tokens.push(next);
    }
    (root, tokens)
}

fn ours_source_chain() -> Vec<Source> {
    let mut sources = vec![Source::new()];
    for _ in 0..DEPTH {
        let next = sources.last().unwrap().child();
        sources.push(next);
    }
    sources
}

fn ours_children() -> (Source, Vec<Token>) {
    let root = Source::new();
    let parent = root.token();
    let children = (0..WIDTH).map(|_| parent.child_token()).collect();
    (root, children)
}

fn tokio_chain() -> Vec<CancellationToken> {
    let mut tokens = vec![CancellationToken::new()];
    for _ in 0..DEPTH {
        let next = tokens.last().unwrap().child_token();
        tokens.push(next);
    }
    tokens
}

fn tokio_children() -> (CancellationToken, Vec<CancellationToken>) {
    let root = CancellationToken::new();
    let children = (0..WIDTH).map(|_| root.child_token()).collect();
    (root, children)
}

fn median(mut rounds: Vec<Figures>) -> Figures {
    let pick = |key: fn(&Figures) -> f64, rounds: &mut Vec<Figures>| {
        rounds.sort_by(|a, b| key(a).total_cmp(&key(b)));
        key(&rounds[rounds.len() / 2])
    };
    Figures {
        build: pick(|f| f.build, &mut rounds),
        cancel: pick(|f| f.cancel, &mut rounds),
        drop: pick(|f| f.drop, &mut rounds),
    }
}

/// The resident set of this process in bytes (Linux), or None.
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// `depth_bench memory SHAPE`: builds SHAPE in this fresh process and prints the bytes
/// its tokens took, per token.
fn measure_memory(shape: &str) {
    // The library and its thread cache set up, and the Vec's growth paid, first.
    drop(Source::new().token().child_token());
    drop(CancellationToken::new().child_token());
    let before = resident_bytes().expect("VmRSS");
    let (count, kept): (usize, Box<dyn std::any::Any>) = match shape {
        "ours_children" => (WIDTH, Box::new(ours_children())),
        "tokio_children" => (WIDTH, Box::new(tokio_children())),
        "ours_chain_tokens" => (DEPTH, Box::new(ours_chain())),
        "ours_chain_sources" => (DEPTH, Box::new(ours_source_chain())),
        "tokio_chain" => (DEPTH, Box::new(tokio_chain())),
        _ => panic!("no shape {shape}"),
    };
    let grown = resident_bytes().expect("VmRSS").saturating_sub(before);
    println!("{:.1}", grown as f64 / count as f64);
    std::mem::forget(kept); // the process ends: no need to drop (a deep tokio chain recurses)
}

/// `depth_bench time SHAPE`: ROUNDS rounds of SHAPE in this fresh process; prints the
/// median milliseconds to build, cancel and drop it.
fn measure_time(shape: &str) {
    let run: fn() -> Figures = match shape {
        "ours_chain_tokens" => || time(ours_chain, |(root, _)| assert!(root.cancel())),
        "ours_chain_sources" => || time(ours_source_chain, |sources| assert!(sources[0].cancel())),
        "tokio_chain" => || time(tokio_chain, |tokens| tokens[0].cancel()),
        "ours_children" => || time(ours_children, |(root, _)| assert!(root.cancel())),
        "tokio_children" => || time(tokio_children, |(root, _)| root.cancel()),
        _ => panic!("no shape {shape}"),
    };
    let f = median((0..ROUNDS).map(|_| run()).collect());
    println!("{:.2} {:.2} {:.2}", f.build, f.cancel, f.drop);
}

/// What a fresh process of this program prints for `mode shape`, or None.
fn ask(mode: &str, shape: &str) -> Option<String> {
    let program = std::env::current_exe().ok()?;
    let output = std::process::Command::new(program).args([mode, shape]).output().ok()?;
    output.status.success().then(|| String::from_utf8(output.stdout).ok()).flatten()
}

fn main() {
    let arguments: Vec<String> = std::env::args().collect();
    if arguments.len() == 3 && arguments[1] == "memory" {
        return measure_memory(&arguments[2]);
    }
    if arguments.len() == 3 && arguments[1] == "time" {
        return measure_time(&arguments[2]);
    }
    let shapes = ["ours_chain_tokens", "ours_chain_sources", "tokio_chain", "ours_children", "tokio_children"];
    let fields: Vec<String> = shapes
        .iter()
        .map(|name| {
            let times = ask("time", name).unwrap_or_else(|| panic!("{name}: its process failed"));
            let f: Vec<&str> = times.split_whitespace().collect();
            let bytes = ask("memory", name)
                .and_then(|b| b.trim().parse::<f64>().ok())
                .map_or("null".to_string(), |b| format!("{b:.1}"));
            format!(
                "\"{name}\": {{\"build_ms\": {}, \"cancel_ms\": {}, \"drop_ms\": {}, \"bytes_per_token\": {bytes}}}",
                f[0], f[1], f[2]
            )
        })
        .collect();
    println!("{{\"depth\": {DEPTH}, \"width\": {WIDTH}, \"rounds\": {ROUNDS}, {}}}", fields.join(", "));
}
