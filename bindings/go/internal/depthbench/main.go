// Command depthbench: the depth figures of docs/performance.md for Go (issue 33). A
// chain of 1,000,000 tokens, each the child of the one before, and 100,000 children of
// one parent; ours (enough.LinkedToken) beside Go's context.WithCancel: built,
// cancelled from the root, then released (Close; a context's cancel function). Each
// shape in a fresh process of this program (`depthbench time SHAPE`: five rounds, the
// median), then its memory per token (`depthbench memory SHAPE`: the growth of the
// resident set while a fresh process builds it, the slice that keeps them included).
// Prints JSON, as the Rust example depth_bench does.
//
//	go run -tags enough_system ./internal/depthbench
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"enough.example/enough"
)

const (
	depth  = 1_000_000
	width  = 100_000
	rounds = 5
)

// A shape: build returns what cancels it and what releases it.
type shape func() (cancel func(), release func())

func oursChildren() (func(), func()) {
	source := enough.NewSource()
	parent := source.Token()
	children := make([]*enough.Token, width)
	for i := range children {
		children[i] = enough.LinkedToken(parent)
	}
	return func() { source.Cancel() }, func() {
		for _, child := range children {
			child.Close()
		}
		parent.Close()
		source.Close()
	}
}

func goChildren() (func(), func()) {
	root, cancelRoot := context.WithCancel(context.Background())
	cancels := make([]context.CancelFunc, width)
	for i := range cancels {
		_, cancels[i] = context.WithCancel(root)
	}
	return cancelRoot, func() {
		for _, cancel := range cancels {
			cancel()
		}
	}
}

func oursChain() (func(), func()) {
	source := enough.NewSource()
	tokens := make([]*enough.Token, 0, depth+1)
	tokens = append(tokens, source.Token())
	for i := 0; i < depth; i++ {
		tokens = append(tokens, enough.LinkedToken(tokens[len(tokens)-1]))
	}
	return func() { source.Cancel() }, func() {
		for _, token := range tokens {
			token.Close()
		}
		source.Close()
	}
}

func goChain() (func(), func()) {
	ctx, cancelRoot := context.WithCancel(context.Background())
	cancels := make([]context.CancelFunc, 0, depth)
	for i := 0; i < depth; i++ {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		cancels = append(cancels, cancel)
	}
	return cancelRoot, func() {
		for _, cancel := range cancels {
			cancel()
		}
	}
}

var shapes = map[string]struct {
	build shape
	count int
}{
	"ours_chain_tokens": {oursChain, depth},
	"go_chain":          {goChain, depth},
	"ours_children":     {oursChildren, width},
	"go_children":       {goChildren, width},
}

func ms(since time.Time) float64 { return float64(time.Since(since).Nanoseconds()) / 1e6 }

func median(values []float64) float64 {
	sort.Float64s(values)
	return values[len(values)/2]
}

// measureTime prints the median milliseconds to build, cancel and release `name`.
func measureTime(name string) {
	var build, cancel, release []float64
	for round := 0; round < rounds; round++ {
		runtime.GC()
		start := time.Now()
		cancelIt, releaseIt := shapes[name].build()
		build = append(build, ms(start))
		start = time.Now()
		cancelIt()
		cancel = append(cancel, ms(start))
		start = time.Now()
		releaseIt()
		release = append(release, ms(start))
	}
	fmt.Printf("%.2f %.2f %.2f\n", median(build), median(cancel), median(release))
}

func residentBytes() float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if fields := strings.Fields(line); len(fields) >= 2 && fields[0] == "VmRSS:" {
			kib, _ := strconv.ParseFloat(fields[1], 64)
			return kib * 1024
		}
	}
	return 0
}

// measureMemory prints the resident bytes per token that building `name` took. The
// collector is off: what the shape holds is all that grows.
func measureMemory(name string) {
	debug.SetGCPercent(-1)
	enough.LinkedToken(enough.NewSource().Token()).Close() // the library set up first
	before := residentBytes()
	cancelIt, releaseIt := shapes[name].build()
	grown := residentBytes() - before
	fmt.Printf("%.1f\n", grown/float64(shapes[name].count))
	runtime.KeepAlive(cancelIt)
	runtime.KeepAlive(releaseIt)
}

func ask(mode, name string) string {
	out, err := exec.Command(os.Args[0], mode, name).Output()
	if err != nil {
		fmt.Fprintf(os.Stderr, "depthbench %s %s: %v\n", mode, name, err)
		os.Exit(1)
	}
	return strings.TrimSpace(string(out))
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "time" {
		measureTime(os.Args[2])
		return
	}
	if len(os.Args) == 3 && os.Args[1] == "memory" {
		measureMemory(os.Args[2])
		return
	}
	var fields []string
	for _, name := range []string{"ours_chain_tokens", "go_chain", "ours_children", "go_children"} {
		times := strings.Fields(ask("time", name))
		fields = append(fields, fmt.Sprintf(`"%s": {"build_ms": %s, "cancel_ms": %s, "drop_ms": %s, "bytes_per_token": %s}`,
			name, times[0], times[1], times[2], ask("memory", name)))
	}
	fmt.Printf(`{"depth": %d, "width": %d, "rounds": %d, %s}`+"\n", depth, width, rounds, strings.Join(fields, ", "))
}
