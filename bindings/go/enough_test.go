package enough

import (
	"bytes"
	"context"
	"errors"
	"log"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func eventually(t *testing.T, condition func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second) // a hang, not a measure of speed
	for !condition() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 60 s")
		}
		time.Sleep(time.Millisecond)
	}
}

// noLeaks checks that the test leaves no more goroutines and native objects than it
// found. It counts after earlier tests' garbage has been collected; what an earlier test's
// goroutine still holds may go during this test, so fewer is not a leak.
func noLeaks(t *testing.T) {
	goroutines := runtime.NumGoroutine()
	objects := settledLiveObjects()
	t.Cleanup(func() {
		eventually(t, func() bool {
			collect()
			return runtime.NumGoroutine() <= goroutines && LiveObjects() <= objects
		})
	})
}

func TestCancelReachesTheToken(t *testing.T) {
	noLeaks(t)
	source := NewSource()
	defer source.Close()
	token := source.Token()
	defer token.Close()
	if token.Cancelled() || !token.MayCancel() {
		t.Fatal("a new token is not cancelled and may cancel")
	}
	if !source.CancelWithReason(300) || source.Cancel() {
		t.Fatal("the first cancel wins")
	}
	if !token.Cancelled() || token.Reason() != 300 {
		t.Fatalf("reason %d", token.Reason())
	}
}

func TestTokensOutliveTheirSource(t *testing.T) {
	noLeaks(t)
	source := NewSource()
	token := source.Token()
	defer token.Close()
	source.Close()
	source.Close() // idempotent
	if token.Cancelled() || token.MayCancel() || token.Wait(-1) {
		t.Fatal("an orphan never cancels and never hangs")
	}
}

func TestDeadlinesAndLinks(t *testing.T) {
	noLeaks(t)
	parent := NewSource()
	defer parent.Close()
	parentToken := parent.Token()
	defer parentToken.Close()
	child := Linked(parentToken)
	defer child.Close()
	parent.CancelAfter(10 * time.Millisecond)
	childToken := child.Token()
	defer childToken.Close()
	if !childToken.Wait(5*time.Second) || childToken.Reason() != TimedOut {
		t.Fatalf("reason %d", childToken.Reason())
	}
}

func TestManyGoroutinesPoll(t *testing.T) {
	noLeaks(t)
	source := NewSource()
	defer source.Close()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		token := source.Token()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer token.Close()
			for !token.Cancelled() {
				runtime.Gosched()
			}
		}()
	}
	time.Sleep(10 * time.Millisecond)
	source.Cancel()
	wg.Wait()
}

func TestFromContextCancel(t *testing.T) {
	noLeaks(t)
	ctx, cancel := context.WithCancel(context.Background())
	token := FromContext(ctx)
	defer token.Close()
	if token.Cancelled() {
		t.Fatal("not yet")
	}
	cancel()
	eventually(t, token.Cancelled)
	if token.Reason() != Cancelled {
		t.Fatalf("reason %d", token.Reason())
	}
}

func TestFromContextDeadlineBecomesTimedOut(t *testing.T) {
	noLeaks(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	token := FromContext(ctx)
	defer token.Close()
	if !token.Wait(5 * time.Second) {
		t.Fatal("the context's deadline is the token's")
	}
	if token.Reason() != TimedOut {
		t.Fatalf("reason %d", token.Reason())
	}
}

func TestFromContextThatIsNeverDone(t *testing.T) {
	noLeaks(t)
	token := FromContext(context.Background())
	defer token.Close()
	if token.MayCancel() {
		t.Fatal("a context that is never done gives a token that never cancels")
	}
}

func TestClosingTheTokenStopsFollowingTheContext(t *testing.T) {
	noLeaks(t)
	for i := 0; i < 100; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		token := FromContext(ctx)
		token.Close()
		cancel()
	}
}

func TestTokenContextCarriesTheReason(t *testing.T) {
	noLeaks(t)
	source := NewSource()
	defer source.Close()
	token := source.Token()
	defer token.Close()
	ctx, cancel := token.Context(context.Background())
	defer cancel()
	if ctx.Err() != nil {
		t.Fatal("not yet")
	}
	source.CancelWithReason(TimedOut)
	<-ctx.Done()
	cause := context.Cause(ctx)
	var cancelErr *CancelError
	if !errors.As(cause, &cancelErr) || cancelErr.Reason != TimedOut {
		t.Fatalf("cause %v", cause)
	}
	if !errors.Is(cause, context.DeadlineExceeded) {
		t.Fatal("a timed-out token's cause is a deadline exceeded")
	}
}

func TestTokenContextOfACancelledTokenIsDoneAtOnce(t *testing.T) {
	noLeaks(t)
	source := NewSource()
	defer source.Close()
	source.CancelWithReason(301)
	token := source.Token()
	defer token.Close()
	ctx, cancel := token.Context(context.Background())
	defer cancel()
	if ctx.Err() == nil || context.Cause(ctx).(*CancelError).Reason != 301 {
		t.Fatal("done at once, with the reason")
	}
}

func TestTokenContextCancelledByItsParentUnregisters(t *testing.T) {
	noLeaks(t)
	source := NewSource()
	defer source.Close()
	token := source.Token()
	defer token.Close()
	for i := 0; i < 100; i++ {
		parent, cancelParent := context.WithCancel(context.Background())
		ctx, cancel := token.Context(parent)
		cancelParent()
		<-ctx.Done()
		cancel()
		if !errors.Is(context.Cause(ctx), context.Canceled) {
			t.Fatal("the parent's cause")
		}
	}
}

func BenchmarkCancelled(b *testing.B) {
	source := NewSource()
	defer source.Close()
	token := source.Token()
	defer token.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if token.Cancelled() {
			b.Fatal("cancelled")
		}
	}
}

func BenchmarkContextErr(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if ctx.Err() != nil {
			b.Fatal("cancelled")
		}
	}
}

// A panic in a callback the library runs stays in Go: recovered at the trampoline and
// logged; the cancel returns, the next callback still runs, and both registrations are
// released (noLeaks).
func TestAPanickingCallbackNeverUnwindsIntoTheLibrary(t *testing.T) {
	noLeaks(t)
	var logged bytes.Buffer
	log.SetOutput(&logged)
	defer log.SetOutput(os.Stderr)
	source := NewSource()
	token := source.Token()
	first := token.onCancel(func(Reason) { panic("a callback that panics") })
	ran := Reason(0)
	second := token.onCancel(func(reason Reason) { ran = reason })
	if !source.CancelWithReason(31) {
		t.Fatal("the cancel returns, and wins")
	}
	if ran != 31 {
		t.Fatalf("the next callback still ran: %d", ran)
	}
	if !strings.Contains(logged.String(), "a callback that panics") {
		t.Fatalf("the panic is reported: %q", logged.String())
	}
	first()
	second()
	token.Close()
	source.Close()
}
