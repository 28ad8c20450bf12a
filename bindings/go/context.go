package enough

/*
#include <enough/enough.h>
#include <stdint.h>

extern void enoughGoOnCancel(uintptr_t handle, int32_t reason);

// The callback the library runs on the cancelling thread: into Go.
static void enough_go_callback(void *user_data, int32_t reason) {
    enoughGoOnCancel((uintptr_t)user_data, reason);
}
static void *enough_go_register(void *token, uintptr_t handle) {
    return enough_token_register(token, enough_go_callback, (void *)handle);
}
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/cgo"
	"sync"
	"time"
	"unsafe"
)

// CancelError is the cause (context.Cause) of a context that a token cancelled, and
// the error a context's cancellation becomes. It matches context.Canceled, or
// context.DeadlineExceeded for TimedOut, with errors.Is.
type CancelError struct {
	Reason Reason
}

// Error says "enough: timed out", or "enough: cancelled" with the reason.
func (e *CancelError) Error() string {
	if e.Reason == TimedOut {
		return "enough: timed out"
	}
	return fmt.Sprintf("enough: cancelled (reason %d)", int32(e.Reason))
}

// Is makes errors.Is(err, context.Canceled) (or context.DeadlineExceeded) hold.
func (e *CancelError) Is(target error) bool {
	if e.Reason == TimedOut {
		return target == context.DeadlineExceeded
	}
	return target == context.Canceled
}

//export enoughGoOnCancel
func enoughGoOnCancel(handle C.uintptr_t, reason C.int32_t) {
	// A panic must not unwind into the library's C frames (the cancelling thread may be
	// C code, or the library's own): recovered here and reported, as net/http reports a
	// handler's panic; the other callbacks of the cancel still run.
	defer func() {
		if panicked := recover(); panicked != nil {
			log.Printf("enough: a cancellation callback panicked: %v", panicked)
		}
	}()
	cgo.Handle(handle).Value().(func(Reason))(Reason(reason))
}

// onCancel runs f(reason) on the thread that cancels the token (at once if it already
// is), until the returned function is called; that function waits out a run in flight
// and may be called once. For a token already closed, f never runs.
func (t *Token) onCancel(f func(Reason)) (unregister func()) {
	handle := cgo.NewHandle(f)
	t.mu.RLock()
	var registration unsafe.Pointer
	if t.handle != nil {
		registration = C.enough_go_register(t.handle, C.uintptr_t(handle))
	}
	t.mu.RUnlock()
	return func() {
		C.enough_registration_destroy(registration) // waits out a callback in flight
		handle.Delete()
	}
}

// FromContext returns a token that cancels when ctx is done: with the reason its
// cause carries when that is a *CancelError (a token's, through Token.Context), with
// TimedOut when its error is context.DeadlineExceeded (ctx's deadline also becomes the token's deadline,
// kept by the library), else Cancelled. A context that can never be done gives a
// token that can never cancel. No goroutine runs until ctx is done; Close the token
// to stop following ctx.
func FromContext(ctx context.Context) *Token {
	source := NewSource()
	token := source.Token()
	if ctx.Done() == nil {
		source.Close() // never done: the token can never cancel
		return token
	}
	if deadline, ok := ctx.Deadline(); ok {
		source.CancelAfter(time.Until(deadline))
	}
	var mu sync.Mutex // the callback below against Close
	closed := false
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		if closed {
			return
		}
		reason := Cancelled
		var carried *CancelError
		if errors.As(context.Cause(ctx), &carried) && carried.Reason > None {
			reason = carried.Reason // a token's reason, through Token.Context and back
		} else if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			reason = TimedOut
		}
		source.CancelWithReason(reason)
		closed = true
		source.Close()
	})
	token.onClose = func() {
		stop()
		mu.Lock()
		defer mu.Unlock()
		if !closed {
			closed = true
			source.Close()
		}
	}
	return token
}

// Context returns a context derived from parent that is done when the token cancels
// (context.Cause tells the reason: a *CancelError), or when parent is, or when the
// returned CancelFunc is called. The token's callback runs on the thread that cancels
// it; no goroutine waits. Call the CancelFunc when done, as with any context.
//
// As a context whose deadline passed, one whose token timed out answers Err() with
// context.DeadlineExceeded (Cause: the *CancelError with TimedOut). The token's
// deadline, if it has one now, is its Deadline() (the earlier of it and parent's), so
// that gRPC and others pass the budget on; the token still decides when the context
// is done (a deadline re-armed later is not seen).
func (t *Token) Context(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	// A token already cancelled runs the callback right here.
	unregister := t.onCancel(func(reason Reason) { cancel(&CancelError{Reason: reason}) })
	context.AfterFunc(ctx, unregister)
	bridged := tokenContext{Context: ctx}
	if left, ok := t.Remaining(); ok {
		deadline := time.Now().Add(left)
		if earlier, has := parent.Deadline(); !has || deadline.Before(earlier) {
			bridged.deadline, bridged.hasDeadline = deadline, true
		}
	}
	return bridged, func() { cancel(context.Canceled) }
}

// tokenContext is the context Token.Context returns: the embedded one's Done, Value
// and so context.Cause, with two answers of its own: Err is context.DeadlineExceeded
// once the token timed out, and Deadline tells the token's deadline.
type tokenContext struct {
	context.Context
	deadline    time.Time
	hasDeadline bool
}

func (c tokenContext) Deadline() (time.Time, bool) {
	if c.hasDeadline {
		return c.deadline, true
	}
	return c.Context.Deadline()
}

func (c tokenContext) Err() error {
	err := c.Context.Err()
	var cancelled *CancelError
	if err == context.Canceled && errors.As(context.Cause(c.Context), &cancelled) && cancelled.Reason == TimedOut {
		return context.DeadlineExceeded
	}
	return err
}
