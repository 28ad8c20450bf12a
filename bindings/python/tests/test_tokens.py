"""Sources, tokens, reasons, deadlines, links, waits and errors."""
import math
import platform
import sys
import threading

import pytest

import enough
from enough import Reason
from conftest import WINDOWS, posix_only, windows_only


def test_cancel_reaches_the_token_with_its_reason():
    with enough.Source() as source, source.token() as token:
        assert not token.cancelled and token.reason == Reason.NONE and token.may_cancel
        assert source.cancel(300) is True
        assert source.cancel() is False  # the first cancel wins
        assert token.cancelled and source.cancelled
        assert token.reason == 300 and token.reason.name == "APPLICATION_300"
        assert source.reason == 300


def test_reason_enum_leaves_room_for_application_codes():
    assert Reason(2) is Reason.TIMED_OUT
    assert Reason(4096) == 4096 and isinstance(Reason(4096), Reason)
    with pytest.raises(ValueError):
        Reason(-1)


def test_tokens_outlive_their_source_and_orphans_never_cancel():
    source = enough.Source()
    token = source.token()
    source.close()
    assert not token.cancelled and not token.may_cancel
    assert token.wait(None) is False  # no hang: it can never cancel
    token.close()


def test_never_clone_and_from_handle():
    with enough.Token.never() as never:
        assert not never.cancelled and not never.may_cancel
        if WINDOWS:  # an event that is never signalled
            assert never.wait_handle() != 0
        else:  # a descriptor that never becomes readable
            assert never.fileno() >= 0
    with enough.Source() as source, source.token() as token:
        with token.clone() as clone, enough.Token.from_handle(token.handle) as adopted:
            source.cancel()
            assert clone.cancelled and adopted.cancelled


def test_closed_handles_raise():
    token = enough.Token.never()
    token.close()
    token.close()  # twice is harmless
    with pytest.raises(ValueError):
        token.cancelled
    with pytest.raises(ValueError):
        token.handle


def test_raise_if_cancelled_distinguishes_deadlines():
    with enough.Source() as source, source.token() as token:
        token.raise_if_cancelled()  # not cancelled: nothing
        source.cancel(Reason.TIMED_OUT)
        with pytest.raises(enough.TimedOut) as raised:
            token.raise_if_cancelled()
        assert raised.value.reason == Reason.TIMED_OUT
    with enough.Source() as source, source.token() as token:
        source.cancel(301)
        with pytest.raises(enough.Cancelled) as raised:
            token.raise_if_cancelled()
        assert not isinstance(raised.value, enough.TimedOut) and raised.value.reason == 301


def test_deadlines_in_seconds():
    with enough.Source() as source, source.token() as token:
        assert source.cancel_after(0.02)
        assert token.wait(5)
        assert token.reason == Reason.TIMED_OUT
        assert source.cancel_after(1) is False  # already cancelled
    with enough.Source() as source, source.token() as token:
        assert source.cancel_after(0)  # cancels before it returns
        assert token.cancelled
    with enough.Source() as source, source.token() as token:
        assert source.cancel_after(math.inf)  # practically never, no overflow
        with pytest.raises(ValueError):
            source.cancel_after(-1)
        with pytest.raises(ValueError):
            source.cancel_after(math.nan)
        assert not token.cancelled


def test_wait_timeouts_of_every_range():
    with enough.Source() as source, source.token() as token:
        # A wait taken for "no limit" would end only by this cancel, and return True.
        guard = threading.Timer(60, source.cancel)
        guard.start()
        assert token.wait(0) is False
        assert token.wait(-5) is False  # already passed: a check
        assert token.wait(0.001) is False
        guard.cancel()
        with pytest.raises(ValueError):
            token.wait(math.nan)
        threading.Timer(0.02, source.cancel).start()
        assert token.wait(math.inf) is True  # no limit, no overflow


def test_linked_sources():
    with enough.Source() as a, enough.Source() as b:
        with a.token() as ta, b.token() as tb, enough.Source.linked(ta, tb) as child:
            with child.token() as tc:
                b.cancel(444)
                assert tc.cancelled and tc.reason == 444
                assert not a.cancelled  # never upwards


def test_refusals_raise_exceptions_chosen_by_code():
    with enough.Source() as source:
        with pytest.raises(enough.BadArgumentError) as raised:
            source.cancel(0)
        assert raised.value.code == 3 and isinstance(raised.value, ValueError)
        assert "greater than 0" in raised.value.message
        with pytest.raises(ValueError):
            source.cancel_async(0)


def test_callbacks_run_on_the_cancelling_thread_and_keep_their_errors():
    seen = []
    with enough.Source() as source, source.token() as token:
        with token.on_cancel(lambda why: seen.append((why, threading.get_ident()))) as ok:
            with token.on_cancel(lambda why: 1 / 0) as failing:
                worker = threading.Thread(target=source.cancel, args=(77,))
                worker.start()
                worker.join()
                assert seen == [(77, worker.ident)]
                assert ok.errors == []
                assert len(failing.errors) == 1 and isinstance(failing.errors[0], ZeroDivisionError)


def test_a_callback_may_close_its_own_registration():
    with enough.Source() as source, source.token() as token:
        holder = {}

        def once(_why):
            holder["registration"].close()  # returns at once from inside

        holder["registration"] = token.on_cancel(once)
        source.cancel()
        assert holder["registration"].closed


def test_cancel_async_runs_callbacks_on_the_librarys_thread():
    ran = threading.Event()
    where = []
    with enough.Source() as source, source.token() as token:
        with token.on_cancel(lambda why: (where.append(threading.get_ident()), ran.set())):
            assert source.cancel_async(500)
            assert token.cancelled  # before it returned
            assert ran.wait(5)
            assert where != [threading.get_ident()]


@posix_only("Windows hands out an event HANDLE instead of a descriptor (see the wait handle test)")
def test_the_token_descriptor_works_with_selectors():
    import selectors

    with enough.Source() as source, source.token() as token:
        with selectors.DefaultSelector() as selector:
            selector.register(token.fileno(), selectors.EVENT_READ)
            assert selector.select(0) == []
            source.cancel()
            assert len(selector.select(5)) == 1


@windows_only("event HANDLEs")
def test_the_wait_handle_is_signalled_once_cancelled():
    import _winapi

    with enough.Source() as source, source.token() as token:
        handle = token.wait_handle()
        assert handle == token.wait_handle()  # owned by the token: the same each time
        assert _winapi.WaitForSingleObject(handle, 0) == _winapi.WAIT_TIMEOUT
        threading.Timer(0.05, source.cancel).start()
        assert _winapi.WaitForMultipleObjects([handle], False, 5000) == _winapi.WAIT_OBJECT_0
        with pytest.raises(enough.UnsupportedError):
            token.fileno()


@posix_only("checks that only Windows hands out event HANDLEs")
def test_there_is_no_wait_handle_but_on_windows():
    with enough.Source() as source, source.token() as token:
        with pytest.raises(enough.UnsupportedError):
            token.wait_handle()


@pytest.mark.skipif(sys.platform != "linux" or platform.libc_ver()[0] != "glibc",
                    reason="the wheels for Windows, macOS and musl read the state word through ctypes")
def test_a_glibc_wheel_reads_the_state_word_in_c():
    # Where the wheel carries the C extension it must be the one in use: a missing one
    # would fall back to ctypes silently (enough/_handles.py).
    from enough._handles import StateWord
    assert StateWord.__module__ == "enough._state_word"
