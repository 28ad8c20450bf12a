"""What a token does never depends on when the collector runs, and no call made
from Python alone can be misread: the rules the peer suites (asyncio's, .NET's,
AbortSignal's) rely on."""
import gc

import pytest

import enough
from enough import Reason

GENEROUS = 60  # seconds: a hang fails the test, never its speed


def test_a_dropped_source_with_an_armed_deadline_still_fires():
    source = enough.Source()
    token = source.token()
    source.cancel_after(0.05)
    del source  # forgotten, and collected (CPython: at once, by its refcount)
    gc.collect()
    assert token.may_cancel  # close() would have orphaned it
    assert token.wait(GENEROUS)
    assert token.reason == Reason.TIMED_OUT
    token.close()


def test_close_still_disarms_the_deadline():
    source = enough.Source()
    token = source.token()
    source.cancel_after(0.05)
    source.close()
    assert not token.may_cancel
    assert not token.wait(GENEROUS)  # orphaned: returns at once
    token.close()


def test_a_dropped_linked_source_keeps_following_while_its_token_lives():
    with enough.Source() as parent:
        with parent.token() as parent_token:
            child = enough.Source.linked(parent_token)
        token = child.token()
        del child
        gc.collect()
        assert token.may_cancel
        parent.cancel(4242)
        assert token.reason == 4242
        token.close()


def test_a_dropped_linked_source_without_tokens_lets_go_of_its_parent():
    before = enough.live_objects()
    with enough.Source() as parent:
        with parent.token() as parent_token:
            enough.Source.linked(parent_token)  # dropped at once
        gc.collect()
        assert enough.live_objects() == before + 1  # the parent alone
    assert enough.live_objects() == before


@pytest.mark.parametrize("reason", [2**31, 2**63, -1, 0])
def test_reasons_the_abi_cannot_carry_are_refused(reason):
    with enough.Source() as source:
        with pytest.raises(ValueError):
            source.cancel(reason)
        with pytest.raises(ValueError):
            source.cancel_async(reason)
        assert not source.cancelled  # refused, never read as "already cancelled"


@pytest.mark.parametrize("reason", [1.5, "3", None, True])
def test_reasons_that_are_not_integers_are_type_errors(reason):
    with enough.Source() as source:
        with pytest.raises(TypeError):
            source.cancel(reason)
        assert not source.cancelled


def test_the_largest_reason_arrives_whole():
    with enough.Source() as source, source.token() as token:
        assert source.cancel(2**31 - 1)
        assert token.reason == 2**31 - 1


@pytest.mark.parametrize("parent", [object(), 42, None, {}])
def test_parents_that_are_not_tokens_are_type_errors(parent):
    with pytest.raises(TypeError):
        enough.Token.linked(parent)
    with pytest.raises(TypeError):
        enough.Source.linked(parent)
