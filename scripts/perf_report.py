#!/usr/bin/env python3
"""Writes docs/performance.md and docs/performance.svg from one run of the suite.

    perf_report.py RESULTS_DIR DOCS_DIR

RESULTS_DIR holds peers.json (Google Benchmark, repetitions with aggregates),
measure.json (enough_measure), python.json (python_bench.py) and node.json
(node_bench.mjs). Every figure in the
report comes from those files; nothing is typed in by hand.
"""
import datetime
import json
import os
import platform
import subprocess
import sys

HOT_LOOP_CHECKS = 256  # checks per iteration of t1 (peers_bench.cpp)



def grpc_lines(grpc: dict) -> list:
    """The gRPC figures (enough_grpc_measure): a client's cancel to a native loop one and
    two hops away returning, beside gRPC's own delivery, both APIs, one run."""
    def pair(name: str) -> str:
        return f"p50 {grpc[f'grpc_{name}_p50_ms']:.3f} ms, p99 {grpc[f'grpc_{name}_p99_ms']:.3f} ms"
    return [
        f"- gRPC, from a client's cancel to a native loop returning ({grpc['grpc_trials']} calls each, "
        f"interleaved). Callback API (the interceptor tells each hop; nothing polls): one hop "
        f"{pair('callback_one_hop')}, two hops {pair('callback_two_hops')}; gRPC's own delivery, "
        f"to a reactor's OnCancel one hop away: {pair('plain_callback_one_hop')}, two hops (an "
        f"OnCancel that cancels the next call): {pair('plain_callback_two_hops')}. Synchronous API "
        f"(one watcher asks every call's context every 250 us): one hop {pair('sync_one_hop')}, two "
        f"hops {pair('sync_two_hops')}; gRPC alone, a handler spinning on IsCancelled(): "
        f"{pair('plain_sync_one_hop')}.",
    ]

def medians(path):
    """Median real time (ns) of every benchmark run name."""
    with open(path) as f:
        data = json.load(f)
    result = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") == "median":
            scale = {"ns": 1.0, "us": 1e3, "ms": 1e6}[b["time_unit"]]
            result[b["run_name"]] = b["real_time"] * scale
    return result


def load(path):
    with open(path) as f:
        return json.load(f)


def go_medians(path):
    """Median ns/op of each Go benchmark in `go test -bench` output."""
    runs = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts and parts[0].startswith("Benchmark") and "ns/op" in parts:
                name = parts[0].split("-")[0]
                runs.setdefault(name, []).append(float(parts[parts.index("ns/op") - 1]))
    return {name: sorted(values)[len(values) // 2] for name, values in runs.items()}


def row(target, what, ours, peer, unit, limit, peer_name, higher_is_better=False):
    """One table row: ratio = ours / peer (or peer / ours when higher is better)."""
    ratio = (ours / peer) if peer else 0.0
    if higher_is_better:
        met = round(ratio, 2) >= limit
        rule = f">= {limit:g}x"
    else:
        met = round(ratio, 2) <= limit
        rule = f"<= {limit:g}x"
    return {"target": target, "what": what, "ours": ours, "peer": peer, "unit": unit,
            "ratio": ratio, "rule": rule, "met": met, "peer_name": peer_name}


def build_rows(bench, measure, python, node, langs):
    rows = [
        row("1", "hot-loop check: token_view::is_cancelled vs std::stop_token::stop_requested",
            bench["t1/ours"] / HOT_LOOP_CHECKS, bench["t1/peer"] / HOT_LOOP_CHECKS, "ns", 1.0,
            "std::stop_token"),
        row("2", "flat enough_token_is_cancelled vs boxed-flag flat call (shared library)",
            bench["t2/ours"], bench["t2/boxed"], "ns", 1.0, "boxed design"),
        row("3a", "token create+destroy (flat) vs copying a std::stop_token",
            bench["t3/ours"], bench["t3/peer"], "ns", 1.0, "std::stop_token"),
        row("3b", "token create+destroy (flat) vs the boxed design",
            bench["t3/ours"], bench["t3/boxed"], "ns", 0.6, "boxed design"),
        row("4", "source create+destroy vs std::stop_source",
            bench["t4/ours"], bench["t4/peer"], "ns", 1.0, "std::stop_source"),
        row("5", "callback register+unregister (C ABI) vs std::stop_callback",
            bench["t5/ours"], bench["t5/peer"], "ns", 1.0, "std::stop_callback"),
        row("6", "cancel with 1000 callbacks (register, cancel, unregister) vs std::stop_callback",
            bench["t6/ours"] / 1000, bench["t6/peer"] / 1000, "us", 1.0, "std::stop_callback"),
        row("8", "Python: token.cancelled (the word, read in C) vs a ctypes call of enough_token_is_cancelled",
            python["python_cancelled_ns"], python["python_ctypes_call_ns"], "ns", 0.5, "ctypes call"),
        row("9a", "wake latency p50: enough_token_wait vs condition_variable_any + stop_token",
            measure["t9_wake_p50_us_ours"], measure["t9_wake_p50_us_peer"], "us", 1.0,
            "condition_variable_any"),
        row("9b", "wake latency p99: enough_token_wait vs condition_variable_any + stop_token",
            measure["t9_wake_p99_us_ours"], measure["t9_wake_p99_us_peer"], "us", 1.0,
            "condition_variable_any"),
        row("10", "polling throughput with concurrent clone/destroy vs quiet (checks/us)",
            measure["t10_polls_per_us_busy"], measure["t10_polls_per_us_quiet"], "/us", 0.8,
            "quiet case", higher_is_better=True),
        row("13", "hot-loop check through an imported token (word in a page shared with another process) vs the in-process token",
            bench["t13/ours"] / HOT_LOOP_CHECKS, bench["t13/peer"] / HOT_LOOP_CHECKS, "ns", 1.1,
            "in-process token"),
        row("11", "Python: token.cancelled vs threading.Event.is_set()",
            python["python_cancelled_ns"], python["python_event_is_set_ns"], "ns", 2.0,
            "threading.Event"),
        row("12", "Node.js: token.cancelled vs AbortSignal.aborted",
            node["node_cancelled_ns"], node["node_aborted_ns"], "ns", 2.0, "AbortSignal"),
        row("15", "Rust: Token::check (enough::Stop) vs a Stop on an AtomicBool",
            langs["rust"]["rust_check_ns"], langs["rust"]["rust_atomic_bool_ns"], "ns", 2.0,
            "AtomicBool Stop"),
        row("16", "Go: Token.Cancelled() vs ctx.Err()",
            langs["go"]["BenchmarkCancelled"], langs["go"]["BenchmarkContextErr"], "ns", 2.0,
            "context.Context"),
        row("17", "C# (mono): Token.IsCancelled vs CancellationToken.IsCancellationRequested",
            langs["dotnet"]["dotnet_is_cancelled_ns"], langs["dotnet"]["dotnet_is_cancellation_requested_ns"],
            "ns", 2.0, "CancellationToken"),
    ]
    memory = [
        {"target": "7a", "what": "heap bytes per source, including its state (heap in use / 200,000 "
                                 "live sources: slab headers and slack included)",
         "ours": measure["t7_source_bytes_ours"], "peer": measure["t7_source_bytes_boxed"],
         "limit": 64, "met": round(measure["t7_source_bytes_ours"]) <= 64},
        {"target": "7b", "what": "heap bytes per additional token handle",
         "ours": measure["t7_token_bytes_ours"], "peer": measure["t7_token_bytes_boxed"],
         "limit": 0, "met": round(measure["t7_token_bytes_ours"]) <= 0},
    ]
    return rows, memory


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        compiler = subprocess.run(["c++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        compiler = "unknown"
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; {compiler}"


def bar_chart(title, items, left):
    """Horizontal bars of (label, ratio, limit, met); a tick marks each limit."""
    width, bar_h, top = left + 700, 22, 40
    scale_max = max(2.0, max(i[1] for i in items) * 1.1)
    plot_w = width - left - 30
    height = top + len(items) * (bar_h + 8) + 40
    x = lambda v: left + v / scale_max * plot_w
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<text x="{left}" y="20" font-size="13">{title}</text>']
    step = 0.5 if scale_max <= 4 else (1 if scale_max <= 10 else 5)
    for n in range(0, int(scale_max / step) + 1):
        v = n * step
        out.append(f'<line x1="{x(v):.1f}" y1="{top - 5}" x2="{x(v):.1f}" y2="{height - 30}" '
                   f'stroke="#ddd"/><text x="{x(v):.1f}" y="{height - 15}" '
                   f'text-anchor="middle">{v:g}x</text>')
    for n, (label, ratio, limit, met) in enumerate(items):
        y = top + n * (bar_h + 8)
        colour = "#3a7d44" if met else "#c0392b"
        out.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">{label}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{max(1.0, x(ratio) - left):.1f}" '
                   f'height="{bar_h}" fill="{colour}"/>')
        out.append(f'<text x="{x(ratio) + 4:.1f}" y="{y + 16}">{ratio:.2f}</text>')
        out.append(f'<line x1="{x(limit):.1f}" y1="{y - 2}" x2="{x(limit):.1f}" '
                   f'y2="{y + bar_h + 2}" stroke="#000" stroke-width="2"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def svg(rows, memory):
    """Each target's ratio, with its limit marked."""
    items = [(r["target"], r["ratio"], float(r["rule"].split()[1][:-1]), r["met"]) for r in rows]
    items += [(m["target"], m["ours"] / 64.0 if m["target"] == "7a" else m["ours"] / 32.0,
               1.0 if m["target"] == "7a" else 0.0, m["met"]) for m in memory]
    return bar_chart("ratio to peer per target (10: busy/quiet; 7: bytes/64, bytes/32); "
                     "tick = limit; green = met", items, 60)


PLATFORM_FIGURES = [
    ("check_ns", "check: `token_view::is_cancelled` (one read of the state word)", "ns"),
    ("flat_check_ns", "check through the flat API (`enough_token_is_cancelled`)", "ns"),
    ("token_create_destroy_ns", "token create + destroy", "ns"),
    ("wake_p50_us", "wake latency, in-process, p50", "us"),
    ("wake_p99_us", "wake latency, in-process, p99", "us"),
    ("process_wake_p50_us", "wake latency, child process on an imported token, p50", "us"),
    ("process_wake_p99_us", "wake latency, child process on an imported token, p99", "us"),
]


def platform_section(platforms):
    """One table: `enough_platform_measure` of each build, run on this machine."""
    if not platforms:
        return []
    names = list(platforms)
    lines = [
        "## The same figures on each platform built here",
        "",
        "`enough_platform_measure`, one program built for each platform and run on this",
        "machine. Figures of emulated builds are the emulator's, not the platform's: Wine",
        "translates system calls (Windows's waits, events and processes run on Wine's",
        "server), and qemu-user translates every arm64 instruction (a check costs what",
        "qemu's translation costs), so they say what the port does, not what Windows or an",
        "arm64 machine would measure. Under qemu only ratios within its column mean",
        "anything (the flat check against the word's, for instance).",
        "",
        "| figure | " + " | ".join(names) + " |",
        "| --- |" + " --- |" * len(names),
    ]
    for key, what, unit in PLATFORM_FIGURES:
        lines.append(f"| {what} | " + " | ".join(
            f"{platforms[name][key]:.3g} {unit}" for name in names) + " |")
    return lines + [""]


# Per language: its program, and per shape its rows (ours first, the peer last).
DEPTH_LANGUAGES = [
    ("Rust, beside tokio-util", "depth", "the Rust example `depth_bench`", [
        ("a chain: each token the child of the one before", [
            ("ours: `Token::child_token` (linked tokens)", "ours_chain_tokens"),
            ("ours: `Source::child` (linked sources)", "ours_chain_sources"),
            ("tokio-util: `CancellationToken::child_token`", "tokio_chain"),
        ]),
        ("children of one parent", [
            ("ours: `Token::child_token`", "ours_children"),
            ("tokio-util: `CancellationToken::child_token`", "tokio_children"),
        ]),
    ]),
    ("Go, beside context.WithCancel", "depth-go", "`bindings/go/internal/depthbench`", [
        ("a chain", [("ours: `enough.LinkedToken`", "ours_chain_tokens"),
                     ("Go: `context.WithCancel`", "go_chain")]),
        ("children of one parent", [("ours: `enough.LinkedToken`", "ours_children"),
                                    ("Go: `context.WithCancel`", "go_children")]),
    ]),
    (".NET (mono), beside linked CancellationTokenSources", "depth-dotnet",
     "`bindings/dotnet/bench/DepthBench.cs`", [
        ("a chain", [("ours: `Token.Linked`", "ours_chain_tokens"),
                     (".NET: `CancellationTokenSource.CreateLinkedTokenSource`", "dotnet_chain")]),
        ("children of one parent", [("ours: `Token.Linked`", "ours_children"),
                                    (".NET: `CancellationTokenSource.CreateLinkedTokenSource`", "dotnet_children")]),
    ]),
]
DEPTH_FIGURES = [("build_ms", "ms"), ("cancel_ms", "ms"), ("drop_ms", "ms"), ("bytes_per_token", "B")]


def depth_rows(depth, shapes):
    """Table rows of one language's shapes; each of ours with its ratio to the peer."""
    lines = []
    for title, entries in shapes:
        peer = depth[entries[-1][1]]
        for name, key in entries:
            f = depth[key]
            cells = []
            for figure, unit in DEPTH_FIGURES:
                value = f.get(figure)
                if value is None:
                    cells.append("n/a")
                    continue
                cell = f"{value:.1f} {unit}"
                if f is not peer and peer.get(figure):
                    cell += f" ({value / peer[figure]:.2f}x)"
                cells.append(cell)
            lines.append(f"| {title}, {name} | " + " | ".join(cells) + " |")
    return lines


def depth_ratios(depths):
    """(label, ratio) of each of ours against its peer, for the chart."""
    ratios = []
    for language, key, _, shapes in DEPTH_LANGUAGES:
        depth = depths.get(key)
        if not depth:
            continue
        for title, entries in shapes:
            peer = depth[entries[-1][1]]
            for name, entry in entries[:-1]:
                for figure, _ in DEPTH_FIGURES:
                    ours, theirs = depth[entry].get(figure), peer.get(figure)
                    if ours and theirs:
                        label = f"{language.split(',')[0]}: {title.split(':')[0]}, {entry}, {figure.split('_')[0]}"
                        ratios.append((label, ours / theirs))
    return ratios


def depth_svg(depths):
    """Each of our depth figures as a ratio to its language's own (1x: the same)."""
    items = [(label, ratio, 1.0, round(ratio, 2) <= 1.0) for label, ratio in depth_ratios(depths)]
    return bar_chart("ours / the language's own, per shape and figure (under 1: ours is cheaper); "
                     "green = at or under 1", items, 330) if items else None


def depth_section(depths):
    """Deep and wide shapes, ours beside each language's own primitive."""
    depth = depths.get("depth")
    if not depth:
        return []
    lines = [
        "## Depth: a deep chain and a wide fan-out, beside each language's own",
        "",
        f"A chain of {depth['depth']:,} tokens and {depth['width']:,} children of one parent, built,",
        "cancelled from the root, then dropped (released, disposed); each shape in a fresh process",
        f"of its own (no shape runs on a heap another left behind), the median of {depth['rounds']} rounds;",
        "in Rust and .NET each round on a thread with a 1 GiB stack reserved for either library",
        "(tokio-util's drop and .NET's cancel of a deep chain recurse; Go's stacks grow). Every token is kept until the cancel is",
        "measured: tokio-util re-parents the children of a dropped token, which would flatten",
        "the chain. Our cancel and drop are loops (a work list on the cancelling thread): the",
        "`Depth` tests run the same chains on a 128 KiB stack.",
        "",
        "Memory: the resident set's growth while a fresh process builds the shape, per token,",
        "the array that keeps the tokens included (our Rust `Token` is 16 bytes, a handle and",
        "its state word's address; tokio-util's is 8). Each of ours is followed by its ratio to",
        "the peer's (under 1: ours is cheaper); the chart below draws them. In Go and .NET ours",
        "pays the language's native call (cgo, P/Invoke) and its own finalizable object per token.",
        "",
        "![depth ratios](performance-depth.svg)",
        "",
    ]
    for language, key, program, shapes in DEPTH_LANGUAGES:
        if not depths.get(key):
            continue
        lines += [f"### {language} ({program})", "",
                  "| shape | build | cancel | drop | memory per token |", "| --- | --- | --- | --- | --- |",
                  *depth_rows(depths[key], shapes), ""]
    return lines


def node_lines(node):
    """When an awaited token learns of a cancel, beside Node's own AbortSignal."""
    if "node_thread_us_p50" not in node:
        return []
    yes = lambda flag: "yes" if flag else "no"
    thread, posted = node["node_thread_us_p50"], node["node_thread_postmessage_us_p50"]
    late, timeout = node["node_deadline_late_us_p50"], node["node_deadline_timeout_late_us_p50"]
    return [
        f"- Node.js, when an awaited token's AbortSignal learns of a cancel ({node['trials']} trials "
        f"each, interleaved with Node's own). Made on this thread: its listener has run when "
        f"`cancel()` returns: {yes(node['node_same_turn'])} (`AbortController.abort()`: "
        f"{yes(node['node_same_turn_abortcontroller'])}). Made on another thread (a Worker "
        f"cancels): p50 {thread:.0f} us; Node's way, the Worker posts a message and this thread "
        f"aborts: {posted:.0f} us ({thread / posted:.2f}x). By a 2 ms deadline: p50 {late:.0f} us "
        f"late; `AbortSignal.timeout(2)`: {timeout:.0f} us ({late / timeout:.2f}x). One more "
        f"awaited token costs {node['node_add_ns_10_pending'] / 1e3:.1f} us with 10 pending, "
        f"{node['node_add_ns_100k_pending'] / 1e3:.1f} us with 100,000.",
    ]


def markdown(rows, memory, measure, python, grpc, platforms, depths=None, node=None):
    met = sum(r["met"] for r in rows) + sum(m["met"] for m in memory)
    total = len(rows) + len(memory)
    lines = [
        "# Performance",
        "",
        f"Generated by `scripts/bench` on {datetime.date.today().isoformat()}: {machine()}.",
        "Ratios are of medians, ours against the peer, measured interleaved in one process",
        "(Google Benchmark with random interleaving and 10 repetitions; the latency and",
        "throughput figures alternate ours and the peer trial by trial). A target is met",
        "when the ratio, rounded to two decimals, is within its limit.",
        "",
        f"**{met} of {total} targets met.**",
        "",
        "![ratios](performance.svg)",
        "",
        "| # | target | ours | peer | ratio | limit | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(f"| {r['target']} | {r['what']} | {r['ours']:.3g} {r['unit']} | "
                     f"{r['peer']:.3g} {r['unit']} ({r['peer_name']}) | {r['ratio']:.2f}x | "
                     f"{r['rule']} | {'met' if r['met'] else '**not met**'} |")
    for m in memory:
        lines.append(f"| {m['target']} | {m['what']} | {m['ours']:.0f} B | {m['peer']:.0f} B "
                     f"(boxed design) | | <= {m['limit']} B | "
                     f"{'met' if m['met'] else '**not met**'} |")
    lines += [
        "",
        "## Other figures from the same run",
        "",
        f"- Deadline lateness (5 ms deadlines): p50 {measure['deadline_late_p50_us']:.0f} us, "
        f"p99 {measure['deadline_late_p99_us']:.0f} us, earliest "
        f"{measure['deadline_late_min_us']:.0f} us late (never early).",
        f"- Linked sources under one parent: {measure['linked_cycles']:.0f} create/destroy "
        f"cycles, {measure['linked_cycle_ns']:.0f} ns each, heap growth "
        f"{measure['linked_heap_growth_bytes']:.0f} bytes.",
        f"- Across processes: a wait blocked in a child process on an imported token wakes "
        f"p50 {measure['t14_wake_p50_us_child']:.1f} us, p99 {measure['t14_wake_p99_us_child']:.1f} us "
        f"after the parent cancels; the same wait in-process: p50 "
        f"{measure['t14_wake_p50_us_in_process']:.1f} us, p99 {measure['t14_wake_p99_us_in_process']:.1f} us "
        f"(trials interleaved).",
        *(grpc_lines(grpc) if grpc else []),
        *(node_lines(node) if node else []),
        f"- Ctrl-C: from `SIGINT` to a native loop polling a `cancel_on_sigint()` token "
        f"returning, in a child Python process ({python['sigint_trials']} trials): p50 "
        f"{python['sigint_to_native_p50_ms']:.3f} ms, p99 {python['sigint_to_native_p99_ms']:.3f} ms.",
        "",
        *depth_section(depths or {}),
        *platform_section(platforms),
        "## How to reproduce",
        "",
        "```",
        "scripts/bench",
        "```",
        "",
        "It builds the default preset, runs `enough_bench` (targets 1-6), `enough_measure`",
        "(7, 9, 10, 14), `tests/bench/python_bench.py` (8, 11, Ctrl-C; the wheel in a fresh venv)",
        "`tests/bench/node_bench.mjs` (12, and the Node.js latencies; the packed tarball in an",
        "empty npm project),",
        "the Rust examples `check_bench` (15) and `depth_bench`, the Go benchmarks (16) and",
        "`internal/depthbench`, `bindings/dotnet/bench/Bench.cs` (17) and `DepthBench.cs` under",
        "mono, `enough_platform_measure` of the",
        "default, windows-x64 (under Wine) and linux-arm64 (under qemu-user) builds,",
        "and rewrites this page and the chart.",
        "",
    ]
    return "\n".join(lines)


def main():
    results, docs = sys.argv[1], sys.argv[2]
    bench = medians(os.path.join(results, "peers.json"))
    measure = load(os.path.join(results, "measure.json"))
    python = load(os.path.join(results, "python.json"))
    node = load(os.path.join(results, "node.json"))
    langs = {"rust": load(os.path.join(results, "rust.json")),
             "go": go_medians(os.path.join(results, "go.txt")),
             "dotnet": load(os.path.join(results, "dotnet.json"))}
    rows, memory = build_rows(bench, measure, python, node, langs)
    with open(os.path.join(docs, "performance.md"), "w") as f:
        platforms = {name: load(os.path.join(results, f"platform-{file}.json"))
                     for name, file in (("Linux x86-64", "linux-x64"),
                                        ("Windows x64 under Wine", "windows-x64"),
                                        ("Linux arm64 under qemu-user", "linux-arm64"))
                     if os.path.exists(os.path.join(results, f"platform-{file}.json"))}
        depths = {key: load(os.path.join(results, f"{key}.json"))
                  for _, key, _, _ in DEPTH_LANGUAGES if os.path.exists(os.path.join(results, f"{key}.json"))}
        f.write(markdown(rows, memory, measure, python, load(os.path.join(results, "grpc.json")),
                         platforms, depths, node))
    with open(os.path.join(docs, "performance.svg"), "w") as f:
        f.write(svg(rows, memory))
    if (chart := depth_svg(depths)) is not None:
        with open(os.path.join(docs, "performance-depth.svg"), "w") as f:
            f.write(chart)
    for r in rows:
        print(f"{r['target']:>4} {r['ratio']:6.2f}x {r['rule']:>8} {'met' if r['met'] else 'NOT MET'}")
    for m in memory:
        print(f"{m['target']:>4} {m['ours']:6.0f} B  <= {m['limit']} B {'met' if m['met'] else 'NOT MET'}")


if __name__ == "__main__":
    main()
