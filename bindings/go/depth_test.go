package enough

// Depth and LinkedToken (issue 24): a chain of a million linked sources and one of a
// million linked tokens cancel in one call and are closed with nothing left alive; a
// hundred thousand children of one parent cancel in one call; fan-in orphaning. The
// cancel runs on the thread cgo gives the goroutine (Go cannot choose a thread's stack
// size without C code in the package); the library's loop on a 128 KiB stack is tested
// by the C++, Rust, Python and C# suites.

import (
	"os"
	"strconv"
	"testing"
	"time"
)

const children = 100_000

// chainLength is a million, or less where test-installed.sh says so (under qemu-user).
func chainLength(t *testing.T) int {
	if value := os.Getenv("ENOUGH_TEST_CHAIN"); value != "" {
		n, err := strconv.Atoi(value)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	return 1_000_000
}

func cancelAChain(t *testing.T, linkedSources bool) {
	noLeaks(t)
	root := NewSource()
	var sources []*Source // a linked source follows while it is open: kept
	token := root.Token()
	for i := chainLength(t); i > 0; i-- {
		var child *Token
		if linkedSources {
			sources = append(sources, Linked(token))
			child = sources[len(sources)-1].Token()
		} else {
			child = LinkedToken(token) // keeps its parent: nothing else to keep
		}
		token.Close()
		token = child
	}
	if !root.CancelWithReason(4242) || token.Reason() != 4242 {
		t.Fatalf("the leaf's reason: %d", token.Reason())
	}
	token.Close()
	for _, source := range sources {
		source.Close()
	}
	root.Close()
}

func TestAChainOfLinkedSourcesCancelsInOneCall(t *testing.T) { cancelAChain(t, true) }
func TestAChainOfLinkedTokensCancelsInOneCall(t *testing.T)  { cancelAChain(t, false) }

func TestAHundredThousandChildrenCancelInOneCall(t *testing.T) {
	noLeaks(t)
	parent := NewSource()
	token := parent.Token()
	linked := make([]*Token, children)
	for i := range linked {
		linked[i] = LinkedToken(token)
	}
	parent.CancelWithReason(7)
	for i, child := range linked {
		if child.Reason() != 7 {
			t.Fatalf("child %d: %d", i, child.Reason())
		}
		child.Close()
	}
	token.Close()
	parent.Close()
}

func TestALinkedTokenIsOrphanedOnceEveryParentIs(t *testing.T) {
	noLeaks(t)
	a, b := NewSource(), NewSource()
	ta, tb := a.Token(), b.Token()
	linked := LinkedToken(ta, tb)
	ta.Close()
	tb.Close() // the linked token needs no parent handle kept
	woken := make(chan bool)
	go func() { woken <- linked.Wait(-1) }() // no limit: a cancel or the orphaning ends it
	a.Close()
	time.Sleep(20 * time.Millisecond)
	if !linked.MayCancel() {
		t.Fatal("b may still cancel")
	}
	b.Close()
	if <-woken || linked.MayCancel() || linked.Cancelled() {
		t.Fatal("orphaned: never cancelled, and the waiter woke")
	}
	linked.Close()
}
