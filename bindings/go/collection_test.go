package enough

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// What a token does never depends on when the collector runs: a Source dropped
// without Close is abandoned, not closed.

const generous = 60 * time.Second // a hang fails the test, never its speed

// dropAndCollect runs make, drops what it returns, and collects until its finalizer
// has run.
func dropAndCollect(t *testing.T, make func() *Source) {
	t.Helper()
	var collected atomic.Int32
	sourceCollected = func() { collected.Add(1) }
	defer func() { sourceCollected = nil }()
	func() { _ = make() }()
	for i := 0; i < 1000 && collected.Load() == 0; i++ {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if collected.Load() == 0 {
		t.Fatal("the dropped Source was never collected")
	}
}

func TestACollectedSourceWithAnArmedDeadlineStillFires(t *testing.T) {
	var token *Token
	dropAndCollect(t, func() *Source {
		source := NewSource()
		token = source.Token()
		source.CancelAfter(50 * time.Millisecond)
		return source
	})
	defer token.Close()
	if !token.MayCancel() {
		t.Fatal("orphaned by the collector")
	}
	if !token.Wait(generous) || token.Reason() != TimedOut {
		t.Fatalf("reason %d, want TimedOut", token.Reason())
	}
}

func TestCloseStillDisarmsTheDeadline(t *testing.T) {
	source := NewSource()
	token := source.Token()
	defer token.Close()
	source.CancelAfter(50 * time.Millisecond)
	source.Close()
	if token.MayCancel() || token.Wait(generous) {
		t.Fatal("a closed source's deadline fired")
	}
}

func TestACollectedLinkedSourceKeepsFollowing(t *testing.T) {
	parent := NewSource()
	defer parent.Close()
	var token *Token
	dropAndCollect(t, func() *Source {
		parentToken := parent.Token()
		defer parentToken.Close()
		child := Linked(parentToken)
		token = child.Token()
		return child
	})
	defer token.Close()
	parent.CancelWithReason(4242)
	if token.Reason() != 4242 {
		t.Fatalf("reason %d, want 4242", token.Reason())
	}
}

func TestReasonsOfZeroOrLessPanic(t *testing.T) {
	source := NewSource()
	defer source.Close()
	for _, reason := range []Reason{0, -1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("CancelWithReason(%d) did not panic", reason)
				}
			}()
			source.CancelWithReason(reason)
		}()
	}
	if source.Reason() != None {
		t.Fatal("a refused reason cancelled")
	}
}

func TestAContextTellsTheTokensDeadline(t *testing.T) {
	source := NewSource()
	defer source.Close()
	token := source.Token()
	defer token.Close()
	ctx, cancel := token.Context(context.Background())
	if _, ok := ctx.Deadline(); ok {
		t.Fatal("a deadline without one armed")
	}
	cancel()
	before := time.Now()
	source.CancelAfter(time.Hour)
	ctx, cancel = token.Context(context.Background())
	defer cancel()
	deadline, ok := ctx.Deadline()
	if !ok || deadline.Before(before) || deadline.After(time.Now().Add(time.Hour+time.Millisecond)) {
		t.Fatalf("Deadline() = %v, %v", deadline, ok)
	}
	// The earlier parent's deadline stays.
	parent, cancelParent := context.WithTimeout(context.Background(), time.Minute)
	defer cancelParent()
	want, _ := parent.Deadline()
	ctx, cancel = token.Context(parent)
	defer cancel()
	if got, _ := ctx.Deadline(); !got.Equal(want) {
		t.Fatalf("Deadline() = %v, want the parent's %v", got, want)
	}
	source.CancelWithReason(300)
	<-ctx.Done()
	if cause, ok := context.Cause(ctx).(*CancelError); !ok || cause.Reason != 300 {
		t.Fatalf("Cause = %v", context.Cause(ctx))
	}
}
