// Package enough is cooperative cancellation for native code: tokens that a long
// native call polls, cancelled from Go, from a context.Context, or on a deadline.
//
// It binds enough's C library with cgo: compiled from its sources into the program
// (bundled.go: a packaged module carries them), or, with the build tag enough_system,
// an installed library found with pkg-config (system.go). A Token is the same object
// C, C++, Python or Node code checks: pass Token.Handle() to native code.
//
//	source := enough.NewSource()
//	defer source.Close()
//	token := source.Token()
//	defer token.Close()
//	go func() { C.decode(data, token.Handle()) }() // native code polls the token
//	source.CancelWithReason(300)
//
// Every Source and Token owns one reference: Close releases it (a finalizer is only a
// safety net). Every method may be called from any goroutine; Token.Cancelled, the
// one-load check, must not overlap the token's Close.
package enough

/*
#include <enough/enough.h>

// The source's add_ref (the flat API has no source clone).
static void enough_go_source_add_ref(void *source) {
    enough_source *s = (enough_source *)source;
    s->vtbl->add_ref(s);
}
*/
import "C"

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// Reason tells why a token was cancelled; codes from 256 up belong to applications.
type Reason int32

// The reasons enough gives; 3 to 255 are reserved.
const (
	None      Reason = 0 // not cancelled
	Cancelled Reason = 1 // cancelled by a caller (Source.Cancel)
	TimedOut  Reason = 2 // a deadline passed (Source.CancelAfter)
)

// Source is the right to cancel. Its tokens outlive it: once every source is closed
// without cancelling, they can never be cancelled.
type Source struct {
	mu     sync.RWMutex // Close against calls in flight
	handle unsafe.Pointer
}

// Token is the right to observe a cancellation.
type Token struct {
	mu      sync.RWMutex
	handle  unsafe.Pointer
	word    *uint32 // the token's state word; nil: it has none
	onClose func()  // what FromContext set up
}

// NewSource makes a source. It panics only when memory is exhausted.
func NewSource() *Source {
	return adoptSource(C.enough_cancellation_create())
}

func adoptSource(handle unsafe.Pointer) *Source {
	if handle == nil {
		panic("enough: out of memory")
	}
	s := &Source{handle: handle}
	runtime.SetFinalizer(s, (*Source).collected)
	return s
}

func adoptToken(handle unsafe.Pointer) *Token {
	if handle == nil {
		panic("enough: out of memory")
	}
	t := &Token{handle: handle, word: (*uint32)(unsafe.Pointer(C.enough_token_state_word(handle)))}
	runtime.SetFinalizer(t, (*Token).Close)
	return t
}

// with calls f with the handle while it is open; false when closed.
func (s *Source) with(f func(h unsafe.Pointer)) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.handle == nil {
		return false
	}
	f(s.handle)
	return true
}

// Linked makes a source that cancels, with the parent's reason, as soon as any of
// the tokens does. It follows them until it is closed: for a token that follows on its
// own, see LinkedToken.
func Linked(parents ...*Token) *Source {
	var linked unsafe.Pointer
	withHandles(parents, func(first *unsafe.Pointer, count C.size_t) {
		linked = C.enough_cancellation_create_linked(first, count)
	})
	return adoptSource(linked)
}

// LinkedToken makes a token that cancels, with the parent's reason, as soon as any of
// the tokens does, and needs no source kept open (tokio's child_token, JavaScript's
// AbortSignal.any): it follows until it is closed (or collected). Once none of the
// parents can cancel any more, neither can it.
func LinkedToken(parents ...*Token) *Token {
	var linked unsafe.Pointer
	withHandles(parents, func(first *unsafe.Pointer, count C.size_t) {
		linked = C.enough_token_create_linked(first, count)
	})
	return adoptToken(linked)
}

// withHandles calls f with the parents' handles as a C array (a closed parent is NULL,
// which the library skips), holding each parent open for the call. The library keeps
// nothing of the array: it only has to live for the call.
func withHandles(parents []*Token, f func(first *unsafe.Pointer, count C.size_t)) {
	handles := make([]unsafe.Pointer, 0, len(parents))
	for _, parent := range parents {
		parent.mu.RLock()
		defer parent.mu.RUnlock()
		handles = append(handles, parent.handle)
	}
	var first *unsafe.Pointer
	if len(handles) > 0 {
		first = &handles[0]
	}
	f(first, C.size_t(len(handles)))
}

// Token returns a token of this source (a new reference, no allocation).
func (s *Source) Token() *Token {
	var handle unsafe.Pointer
	if !s.with(func(h unsafe.Pointer) { handle = C.enough_token_create(h) }) {
		handle = C.enough_token_create_never()
	}
	return adoptToken(handle)
}

// Cancel cancels with Cancelled; true for the call that cancelled.
func (s *Source) Cancel() bool { return s.CancelWithReason(Cancelled) }

// CancelWithReason cancels with reason (> 0); true for the call that cancelled (the
// first one wins). The token's callbacks run on this goroutine's thread. A reason of
// 0 or less is a caller's mistake and panics (as a negative sync.WaitGroup counter
// does), never read as "already cancelled".
func (s *Source) CancelWithReason(reason Reason) bool {
	if reason <= None {
		panic(fmt.Sprintf("enough: a reason must be greater than 0, not %d", reason))
	}
	won := false
	s.with(func(h unsafe.Pointer) { won = bool(C.enough_cancellation_cancel_with_reason(h, C.int32_t(reason))) })
	return won
}

// CancelAfter arms or re-arms a deadline: the source cancels with TimedOut after d
// (rounded up to a millisecond; zero or less cancels now). False if already cancelled.
func (s *Source) CancelAfter(d time.Duration) bool {
	if d < 0 {
		d = 0
	}
	ms := uint64((d + time.Millisecond - 1) / time.Millisecond)
	armed := false
	s.with(func(h unsafe.Pointer) { armed = bool(C.enough_cancellation_cancel_after(h, C.uint64_t(ms))) })
	return armed
}

// Reason is None while not cancelled, else why.
func (s *Source) Reason() Reason {
	reason := None
	s.with(func(h unsafe.Pointer) { reason = Reason(C.enough_cancellation_reason(h)) })
	return reason
}

// Close releases this reference: its tokens can no longer cancel unless it did, and
// an armed deadline is disarmed. Idempotent.
func (s *Source) Close() {
	if handle := s.take(); handle != nil {
		runtime.SetFinalizer(s, nil)
		C.enough_cancellation_destroy(handle)
	}
}

// collected is the finalizer of a Source dropped without Close: it is abandoned
// (enough_cancellation_abandon), so an armed deadline still fires and a Linked source
// still follows while a token of it lives, whenever the collector runs.
func (s *Source) collected() {
	if handle := s.take(); handle != nil {
		C.enough_cancellation_abandon(handle)
	}
	if sourceCollected != nil {
		sourceCollected()
	}
}

// sourceCollected, when set (by the tests), is told of each collected Source.
var sourceCollected func()

// take empties the source, giving its handle (nil once taken).
func (s *Source) take() unsafe.Pointer {
	s.mu.Lock()
	defer s.mu.Unlock()
	handle := s.handle
	s.handle = nil
	return handle
}

// Never returns the token that is never cancelled.
func Never() *Token { return adoptToken(C.enough_token_create_never()) }

// FromHandle adopts a new reference to a token handle made by native code.
func FromHandle(handle unsafe.Pointer) *Token { return adoptToken(C.enough_token_clone(handle)) }

// Handle is the token's C handle (void*) to pass to native code, valid until Close.
func (t *Token) Handle() unsafe.Pointer {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.handle
}

// Cancelled reports whether the token is cancelled: one atomic load of its state word,
// no lock and no cgo call. Like every method it may run on many goroutines at once,
// but not at the same time as Close (the word goes with the token).
func (t *Token) Cancelled() bool {
	if word := t.word; word != nil {
		return atomic.LoadUint32(word) != 0 // the word lives while the token is open
	}
	return t.Reason() != None
}

// Reason is None while not cancelled, else why.
func (t *Token) Reason() Reason {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.handle == nil {
		return None
	}
	return Reason(C.enough_token_reason(t.handle))
}

// MayCancel is false once the token can never be cancelled.
func (t *Token) MayCancel() bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.handle != nil && bool(C.enough_token_may_cancel(t.handle))
}

// Wait blocks (in native code) until the token is cancelled (true) or timeout passes
// (false); a negative timeout waits without limit. False at once for a token that can
// never cancel.
func (t *Token) Wait(timeout time.Duration) bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.handle == nil {
		return false
	}
	ms := int64(-1)
	if timeout >= 0 {
		ms = int64((timeout + time.Millisecond - 1) / time.Millisecond)
	}
	return bool(C.enough_token_wait(t.handle, C.int64_t(ms)))
}

// Remaining returns the time left until the token's deadline (0 once cancelled), and
// false when no deadline applies: the budget a call can pass on.
func (t *Token) Remaining() (time.Duration, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.handle == nil {
		return 0, false
	}
	left := int64(C.enough_token_remaining_ms(t.handle))
	if left < 0 {
		return 0, false
	}
	return time.Duration(left) * time.Millisecond, true
}

// Close releases this reference (and whatever FromContext set up). Idempotent.
func (t *Token) Close() {
	t.mu.Lock()
	handle, onClose := t.handle, t.onClose
	t.handle, t.word, t.onClose = nil, nil, nil
	t.mu.Unlock()
	if handle == nil {
		return
	}
	runtime.SetFinalizer(t, nil)
	if onClose != nil {
		onClose()
	}
	C.enough_token_destroy(handle)
}

// LiveObjects counts the native objects not freed yet (for leak checks).
func LiveObjects() int { return int(C.enough_live_objects()) }
