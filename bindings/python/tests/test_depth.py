"""Depth without recursion, and linked tokens that need no source (issue 24): a chain
of a million linked sources and one of a million linked tokens cancel from a thread
with a 128 KiB stack and are destroyed with nothing left alive; a hundred thousand
children of one parent cancel in one call; a linked token with several parents can
never cancel once none of them can (fan-in orphaning)."""

import os
import threading

import enough

# Under Wine and qemu-user the interpreter takes minutes per million links: there
# test-installed.sh sets a shallower chain and says so (the native run does a million).
CHAIN = int(os.environ.get("ENOUGH_TEST_CHAIN", 1_000_000))
CHILDREN = 100_000
SMALL_STACK = 128 * 1024  # musl's default thread stack


def on_small_stack(work):
    """Runs ``work`` on a new thread with a 128 KiB stack; re-raises what it raised."""
    failure = []

    def run():
        try:
            work()
        except BaseException as error:  # reported on the calling thread
            failure.append(error)

    previous = threading.stack_size(SMALL_STACK)
    try:
        thread = threading.Thread(target=run)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    if failure:
        raise failure[0]


def cancel_chain_from_a_small_stack(linked_source):
    """A chain of CHAIN links below a root source, each made from the token before it
    (which is then closed: a link keeps its own reference to its parent)."""
    root = enough.Source()
    sources = []  # a linked source follows while it is open: kept
    token = root.token()
    for _ in range(CHAIN):
        if linked_source:
            sources.append(enough.Source.linked(token))
            child = sources[-1].token()
        else:
            child = enough.Token.linked(token)  # needs nothing kept but the leaf
        token.close()
        token = child
    seen = []
    registration = token.on_cancel(seen.append)
    on_small_stack(lambda: root.cancel(4242))
    assert seen == [4242]  # the leaf's callback ran before cancel returned
    assert token.reason == 4242
    registration.close()
    on_small_stack(token.close)  # the last reference to a million-deep chain of tokens
    for source in sources:
        source.close()
    root.close()


def test_a_chain_of_linked_sources_cancels_from_a_small_stack():
    cancel_chain_from_a_small_stack(linked_source=True)


def test_a_chain_of_linked_tokens_cancels_from_a_small_stack():
    cancel_chain_from_a_small_stack(linked_source=False)


def test_a_hundred_thousand_children_cancel_in_one_call():
    with enough.Source() as parent, parent.token() as token:
        ran = []
        children = [enough.Token.linked(token) for _ in range(CHILDREN)]
        registrations = [child.on_cancel(ran.append) for child in children]
        parent.cancel()
        assert len(ran) == CHILDREN  # every callback, before cancel returned
        for each in registrations + children:
            each.close()


def test_a_linked_token_is_orphaned_once_every_parent_can_never_cancel():
    a, b = enough.Source(), enough.Source()
    with a.token() as ta, b.token() as tb, enough.Token.linked(ta, tb) as linked:
        waited = []
        waiter = threading.Thread(target=lambda: waited.append(linked.wait()))
        waiter.start()
        a.close()
        assert linked.may_cancel  # b still may
        b.close()
        waiter.join(10)
        assert waited == [False]  # woken by the orphaning, not cancelled
        assert not linked.may_cancel and not linked.cancelled


def test_a_linked_token_follows_with_no_source_kept():
    with enough.Source() as parent:
        with parent.token() as token:
            linked = enough.Token.linked(token)
        # Only the linked token is left open: it still follows its parent.
        parent.cancel(77)
        assert linked.reason == 77
        linked.close()
