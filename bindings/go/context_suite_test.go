package enough

// The context package's own tests (src/context/x_test.go and afterfunc_test.go),
// written anew for the contexts this package makes: what each of Go's tests checks of
// a context made by WithCancel or WithTimeout is checked here of one made by
// Token.Context (a token's cancel stands for the CancelFunc, a token's deadline for
// the timeout), and of the tokens FromContext makes. TestContextSuiteCounts prints
// the count and the reason for every test not ported.

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"runtime"
	"sync"
	"testing"
	"time"
)

// Go's tests, in their order, and what became of each here.
var contextSuite = []struct{ name, outcome, why string }{
	{"Background", "by design", "context's own root; Token.Context derives from the caller's"},
	{"TODO", "by design", "context's own root; Token.Context derives from the caller's"},
	{"WithCancel", "ported", ""},
	{"ParentFinishesChild", "ported", ""},
	{"ChildFinishesFirst", "ported", ""},
	{"Deadline", "ported", ""},
	{"Timeout", "ported", ""},
	{"CanceledTimeout", "ported", ""},
	{"Values", "ported", ""},
	{"Allocs", "by design", "a bridge allocates a library registration; allocations are the benchmarks' to count"},
	{"SimultaneousCancels", "ported", ""},
	{"InterlockedCancels", "ported", ""},
	{"LayersCancel", "ported", ""},
	{"LayersTimeout", "ported", ""},
	{"CancelRemoves", "ported", ""},
	{"WithCancelCanceledParent", "ported", ""},
	{"WithValueChecksKey", "by design", "WithValue's own argument checks: nothing of ours"},
	{"InvalidDerivedFail", "by design", "a broken custom Done channel of the caller's: nothing of ours"},
	{"DeadlineExceededSupportsTimeout", "ported", ""},
	{"CustomContextGoroutines", "ported", ""},
	{"Cause", "ported", ""},
	{"CauseRace", "ported", ""},
	{"WithoutCancel", "ported", ""},
	{"AfterFuncCalledAfterCancel", "ported", ""},
	{"AfterFuncNotCalledAfterStop", "ported", ""},
	{"AfterFuncCalledAsynchronously", "ported", ""},
}

func TestContextSuiteCounts(t *testing.T) {
	counts := map[string]int{}
	for _, test := range contextSuite {
		counts[test.outcome]++
		if test.outcome != "ported" {
			t.Logf("context %s: %s: %s", test.name, test.outcome, test.why)
		}
	}
	t.Logf("Go's context tests: %d ported (their outcome is their own test's), %d differ by design, %d lacking",
		counts["ported"], counts["by design"], counts["lacking"])
}

// bridged is a token context and the source that cancels it.
func bridged(t *testing.T, parent context.Context) (context.Context, *Source) {
	t.Helper()
	source := NewSource()
	token := source.Token()
	ctx, cancel := token.Context(parent)
	t.Cleanup(func() { cancel(); token.Close(); source.Close() })
	return ctx, source
}

func isDone(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return true
	default:
		return false
	}
}

// otherContext is a context of a type of its own, as Go's tests use one.
type otherContext struct{ context.Context }

func TestContext_WithCancel(t *testing.T) {
	ctx, source := bridged(t, context.Background())
	other := otherContext{ctx}
	derived, stop := context.WithCancel(other)
	defer stop()
	contexts := []context.Context{ctx, other, derived}
	for i, c := range contexts {
		if c.Done() == nil || c.Err() != nil || isDone(c) {
			t.Fatalf("context %d: done before the cancel", i)
		}
	}
	source.Cancel()
	for i, c := range contexts {
		select {
		case <-c.Done():
		case <-time.After(generous):
			t.Fatalf("context %d: never done", i)
		}
		if c.Err() != context.Canceled {
			t.Errorf("context %d: Err() = %v, want context.Canceled", i, c.Err())
		}
	}
}

func TestContext_ParentFinishesChild(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	ours, _ := bridged(t, parent)
	valued := context.WithValue(ours, "key", "value")
	timed, stop := context.WithTimeout(valued, 10000*time.Hour)
	defer stop()
	for _, c := range []context.Context{parent, ours, valued, timed} {
		if isDone(c) {
			t.Fatal("done before the parent")
		}
	}
	cancel()
	for name, c := range map[string]context.Context{"ours": ours, "valued": valued, "timed": timed} {
		<-c.Done()
		if c.Err() != context.Canceled {
			t.Errorf("%s: Err() = %v", name, c.Err())
		}
	}
	if pre := context.WithValue(ours, "key", "value"); !isDone(pre) || pre.Err() != context.Canceled {
		t.Error("a child made after the cancel is not done")
	}
}

func TestContext_ChildFinishesFirst(t *testing.T) {
	cancellable, stop := context.WithCancel(context.Background())
	defer stop()
	for _, parent := range []context.Context{context.Background(), cancellable} {
		source := NewSource()
		token := source.Token()
		child, cancel := token.Context(parent)
		if isDone(parent) || isDone(child) {
			t.Fatal("done before the cancel")
		}
		cancel()
		if !isDone(child) || child.Err() != context.Canceled {
			t.Errorf("child: Err() = %v", child.Err())
		}
		if isDone(parent) || parent.Err() != nil {
			t.Error("the parent finished with its child")
		}
		token.Close()
		source.Close()
	}
}

// timingOut is a token context whose token times out after d.
func timingOut(t *testing.T, parent context.Context, d time.Duration) context.Context {
	t.Helper()
	source := NewSource()
	source.CancelAfter(d)
	token := source.Token()
	ctx, cancel := token.Context(parent)
	t.Cleanup(func() { cancel(); token.Close(); source.Close() })
	return ctx
}

func expectDeadlineExceeded(t *testing.T, name string, c context.Context) {
	t.Helper()
	select {
	case <-c.Done():
	case <-time.After(generous):
		t.Fatalf("%s: never timed out", name)
	}
	if c.Err() != context.DeadlineExceeded {
		t.Errorf("%s: Err() = %v, want context.DeadlineExceeded", name, c.Err())
	}
}

func TestContext_Deadline(t *testing.T) {
	c := timingOut(t, context.Background(), 50*time.Millisecond)
	if _, ok := c.Deadline(); !ok {
		t.Error("no Deadline() for a token with one")
	}
	expectDeadlineExceeded(t, "token", c)
	expectDeadlineExceeded(t, "token+otherContext", otherContext{timingOut(t, context.Background(), 50*time.Millisecond)})
	outer, stop := context.WithDeadline(otherContext{timingOut(t, context.Background(), 50*time.Millisecond)},
		time.Now().Add(time.Hour))
	defer stop()
	if d, ok := outer.Deadline(); !ok || time.Until(d) > time.Hour-time.Minute {
		t.Error("a context derived from ours does not see its earlier deadline")
	}
	<-outer.Done()
	if !errors.Is(outer.Err(), context.Canceled) && !errors.Is(outer.Err(), context.DeadlineExceeded) {
		t.Errorf("derived: Err() = %v", outer.Err())
	}
	expectDeadlineExceeded(t, "token+now", timingOut(t, context.Background(), 0))
}

func TestContext_Timeout(t *testing.T) {
	expectDeadlineExceeded(t, "timeout", timingOut(t, context.Background(), 50*time.Millisecond))
	inner, stop := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer stop()
	ours := timingOut(t, otherContext{inner}, time.Hour) // the parent's is earlier
	if d, _ := ours.Deadline(); time.Until(d) > time.Minute {
		t.Error("the parent's earlier deadline is not ours")
	}
	<-ours.Done()
	if ours.Err() != context.DeadlineExceeded {
		t.Errorf("Err() = %v", ours.Err())
	}
}

func TestContext_CanceledTimeout(t *testing.T) {
	source := NewSource()
	defer source.Close()
	source.CancelAfter(time.Hour)
	token := source.Token()
	defer token.Close()
	c, cancel := token.Context(otherContext{context.Background()})
	cancel()
	if !isDone(c) || c.Err() != context.Canceled {
		t.Errorf("Err() = %v, want context.Canceled", c.Err())
	}
}

type key1 int
type key2 int

func TestContext_Values(t *testing.T) {
	base := context.WithValue(context.WithValue(context.Background(), key1(1), "one"), key2(1), "two")
	ours, _ := bridged(t, base)
	for _, c := range []context.Context{ours, otherContext{ours}, context.WithValue(ours, key2(3), "three")} {
		if c.Value(key1(1)) != "one" || c.Value(key2(1)) != "two" || c.Value(key1(2)) != nil {
			t.Error("values do not pass through")
		}
	}
}

func TestContext_SimultaneousCancels(t *testing.T) {
	root := NewSource()
	defer root.Close()
	type node struct {
		ctx    context.Context
		source *Source
	}
	var nodes []node
	queue := []*Token{root.Token()}
	for len(queue) > 0 && len(nodes) < 100 {
		parent := queue[0]
		queue = queue[1:]
		for i := 0; i < 4; i++ {
			source := Linked(parent)
			token := source.Token()
			ctx, cancel := token.Context(context.Background())
			defer cancel()
			defer token.Close()
			defer source.Close()
			nodes = append(nodes, node{ctx, source})
			queue = append(queue, token)
		}
		parent.Close()
	}
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Add(1)
		go func(s *Source) { defer wg.Done(); s.Cancel() }(n.source)
	}
	go root.Cancel()
	for _, n := range nodes {
		select {
		case <-n.ctx.Done():
		case <-time.After(generous):
			t.Fatal("a context was never done")
		}
	}
	wg.Wait()
}

func TestContext_InterlockedCancels(t *testing.T) {
	parent, source := bridged(t, context.Background())
	child, cancelChild := context.WithCancel(parent)
	go func() {
		<-parent.Done()
		cancelChild()
	}()
	source.Cancel()
	select {
	case <-child.Done():
	case <-time.After(generous):
		t.Fatal("the child was never done")
	}
}

func testLayers(t *testing.T, timeout bool) {
	seed := time.Now().UnixNano()
	random := rand.New(rand.NewSource(seed))
	type value int
	var values []*value
	var sources []*Source
	timers := 0
	ctx := context.Background()
	for i := 0; i < 30 || len(sources) == 0 || len(values) == 0 || (timeout && timers == 0); i++ {
		if random.Intn(3) == 0 {
			v := new(value)
			ctx = context.WithValue(ctx, v, v)
			values = append(values, v)
			continue
		}
		source := NewSource()
		if timeout && random.Intn(2) == 0 {
			source.CancelAfter(200 * time.Millisecond)
			timers++
		}
		token := source.Token()
		var cancel context.CancelFunc
		ctx, cancel = token.Context(ctx)
		defer cancel()
		defer token.Close()
		defer source.Close()
		sources = append(sources, source)
	}
	check := func(when string) {
		for _, key := range values {
			if got := ctx.Value(key).(*value); got != key {
				t.Errorf("seed %d, %s: the value of %p is %p", seed, when, key, got)
			}
		}
	}
	if isDone(ctx) {
		t.Fatalf("seed %d: done before any cancel", seed)
	}
	check("before")
	if !timeout {
		sources[random.Intn(len(sources))].Cancel()
		if !isDone(ctx) { // the token's callback ran before Cancel returned
			t.Errorf("seed %d: not done after the cancel", seed)
		}
	} else {
		select {
		case <-ctx.Done():
		case <-time.After(generous):
			t.Fatalf("seed %d: never timed out", seed)
		}
	}
	check("after")
}

func TestContext_LayersCancel(t *testing.T)  { testLayers(t, false) }
func TestContext_LayersTimeout(t *testing.T) { testLayers(t, true) }

func TestContext_CancelRemoves(t *testing.T) {
	// Go counts a parent's children; ours is the token's registration: cancelling the
	// context lets it go, so the source is as good as new (nothing registered).
	source := NewSource()
	defer source.Close()
	token := source.Token()
	defer token.Close()
	before := settledLiveObjects() // what earlier tests left to the collector has gone
	_, cancel := token.Context(context.Background())
	cancel()
	eventually(t, func() bool { return LiveObjects() == before })
}

// settledLiveObjects collects until the library's count of live objects stays put.
func settledLiveObjects() int {
	for {
		collect()
		before := LiveObjects()
		collect()
		if LiveObjects() == before {
			return before
		}
	}
}

// collect runs a collection and waits until the finalizers it queued have run: they run
// in batches on one goroutine, so a sentinel queued by a second collection runs after
// every finalizer that the first one queued.
func collect() {
	for i := 0; i < 2; i++ {
		done := make(chan struct{})
		// holds pointers, so it is not batched with other tiny objects (whose
		// finalizers may never run)
		runtime.SetFinalizer(new([2]*int), func(*[2]*int) { close(done) })
		runtime.GC()
		<-done
	}
}

func TestContext_WithCancelCanceledParent(t *testing.T) {
	parent, cancelParent := context.WithCancelCause(context.Background())
	cause := fmt.Errorf("the parent's cause")
	cancelParent(cause)
	ours, _ := bridged(t, parent)
	if !isDone(ours) || ours.Err() != context.Canceled || context.Cause(ours) != cause {
		t.Errorf("Err() = %v, Cause = %v", ours.Err(), context.Cause(ours))
	}
}

func TestContext_DeadlineExceededSupportsTimeout(t *testing.T) {
	c := timingOut(t, context.Background(), 10*time.Millisecond)
	<-c.Done()
	timeout, ok := c.Err().(interface{ Timeout() bool })
	if !ok || !timeout.Timeout() {
		t.Errorf("Err() = %v has no Timeout() true", c.Err())
	}
}

func TestContext_CustomContextGoroutines(t *testing.T) {
	// No goroutine waits for a token context: the token's callback cancels it.
	source := NewSource()
	defer source.Close()
	runtime.GC()
	before := runtime.NumGoroutine()
	var cancels []context.CancelFunc
	for i := 0; i < 100; i++ {
		token := source.Token()
		ctx, cancel := token.Context(otherContext{context.Background()})
		_, stop := context.WithCancel(ctx) // a child of ours needs none either
		cancels = append(cancels, cancel, stop)
		defer token.Close()
	}
	// Goroutines of earlier tests may still be ending: one that waited for ours would
	// never end.
	eventually(t, func() bool { return runtime.NumGoroutine() <= before })
	for _, cancel := range cancels {
		cancel()
	}
}

func TestContext_Cause(t *testing.T) {
	ours, source := bridged(t, context.Background())
	if context.Cause(ours) != nil {
		t.Fatal("a cause before the cancel")
	}
	source.CancelWithReason(300)
	var cancelled *CancelError
	if !errors.As(context.Cause(ours), &cancelled) || cancelled.Reason != 300 {
		t.Errorf("Cause = %v, want the reason 300", context.Cause(ours))
	}
	if !errors.Is(context.Cause(ours), context.Canceled) {
		t.Error("the cause is not context.Canceled for errors.Is")
	}
	// A CancelFunc's cause is context.Canceled.
	other, _ := bridged(t, context.Background())
	ctx, cancel := context.WithCancel(other)
	cancel()
	if context.Cause(ctx) != context.Canceled {
		t.Errorf("Cause = %v", context.Cause(ctx))
	}
	// And back: FromContext keeps the reason a token context carries.
	back := FromContext(ours)
	defer back.Close()
	if !back.Wait(generous) || back.Reason() != 300 {
		t.Errorf("FromContext(Token.Context) reason %d, want 300", back.Reason())
	}
}

func TestContext_CauseRace(t *testing.T) {
	ours, source := bridged(t, context.Background())
	go source.CancelWithReason(301)
	for !isDone(ours) {
		_ = context.Cause(ours)
	}
	var cancelled *CancelError
	if !errors.As(context.Cause(ours), &cancelled) || cancelled.Reason != 301 {
		t.Errorf("Cause = %v", context.Cause(ours))
	}
}

func TestContext_WithoutCancel(t *testing.T) {
	ours, source := bridged(t, context.WithValue(context.Background(), key1(1), "kept"))
	detached := context.WithoutCancel(ours)
	source.Cancel()
	if isDone(detached) || detached.Err() != nil || detached.Done() != nil || detached.Value(key1(1)) != "kept" {
		t.Error("WithoutCancel of a token context follows it, or lost its values")
	}
}

func TestContext_AfterFuncCalledAfterCancel(t *testing.T) {
	ours, source := bridged(t, context.Background())
	ran := make(chan struct{})
	context.AfterFunc(ours, func() { close(ran) })
	source.Cancel()
	select {
	case <-ran:
	case <-time.After(generous):
		t.Fatal("AfterFunc never ran")
	}
}

func TestContext_AfterFuncNotCalledAfterStop(t *testing.T) {
	ours, source := bridged(t, context.Background())
	ran := make(chan struct{}, 1)
	stop := context.AfterFunc(ours, func() { ran <- struct{}{} })
	if !stop() {
		t.Fatal("stop() false before the cancel")
	}
	source.Cancel()
	if stop() {
		t.Error("stop() true twice")
	}
	time.Sleep(10 * time.Millisecond) // AfterFunc would start its goroutine by now
	if len(ran) != 0 {
		t.Error("a stopped AfterFunc ran")
	}
}

func TestContext_AfterFuncCalledAsynchronously(t *testing.T) {
	ours, source := bridged(t, context.Background())
	var mu sync.Mutex
	mu.Lock()
	ran := make(chan struct{})
	context.AfterFunc(ours, func() { mu.Lock(); close(ran); mu.Unlock() })
	source.Cancel() // would deadlock if AfterFunc ran on this goroutine
	mu.Unlock()
	<-ran
}
