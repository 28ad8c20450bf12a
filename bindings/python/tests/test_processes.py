"""Tokens across processes: token.export() in the parent, Token.import_fd() in a child
started by subprocess (pass_fds; on Windows a handle_list) or multiprocessing."""
import multiprocessing
import os
import subprocess
import sys
import textwrap

import pytest

import enough
from enough import Reason
from conftest import WINDOWS, forks, posix_only

CHILD = textwrap.dedent("""
    import sys
    import enough
    with enough.Token.import_fd(int(sys.argv[1])) as token:
        print("ready", flush=True)
        token.wait()
        print(int(token.reason), token.may_cancel, flush=True)
""")


def start_child(exported):
    """The child, given the exported value the way each system passes one."""
    if WINDOWS:
        passing = {"startupinfo": subprocess.STARTUPINFO(lpAttributeList={"handle_list": [exported]})}
    else:
        passing = {"pass_fds": [exported]}
    return subprocess.Popen([sys.executable, "-c", CHILD, str(exported)], stdout=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, **passing)


def test_subprocess_with_the_exported_value():
    with enough.Source() as source, source.token() as token:
        fd = token.export()
        try:
            child = start_child(fd)
        finally:
            enough.Token.close_export(fd)
        assert child.stdout.readline().strip() == "ready"
        source.cancel(300)
        assert child.stdout.readline().split() == ["300", "True"]
        assert child.wait(20) == 0


def test_subprocess_sees_the_orphan_when_the_source_goes():
    source = enough.Source()
    with source.token() as token:
        fd = token.export()
    child = start_child(fd)
    enough.Token.close_export(fd)
    assert child.stdout.readline().strip() == "ready"
    source.close()
    assert child.stdout.readline().split() == ["0", "False"]
    assert child.wait(20) == 0


def _worker(fd, results):
    with enough.Token.import_fd(fd) as token:
        results.put("ready")
        token.wait(30)
        results.put((int(token.reason), token.cancelled))


@posix_only("Windows has no fork, and multiprocessing's spawn does not inherit handles (subprocess with a handle_list does: the tests above)")
@forks
def test_multiprocessing_fork_worker():
    context = multiprocessing.get_context("fork")  # the child inherits the descriptor
    results = context.Queue()
    with enough.Source() as source, source.token() as token:
        fd = token.export()
        worker = context.Process(target=_worker, args=(fd, results))
        worker.start()
        os.close(fd)
        assert results.get(timeout=20) == "ready"
        source.cancel(Reason.TIMED_OUT)
        assert results.get(timeout=20) == (int(Reason.TIMED_OUT), True)
        worker.join(20)
        assert worker.exitcode == 0


def test_import_refuses_what_is_not_an_exported_token():
    if WINDOWS:  # HANDLEs of another kind
        import _winapi
        read_end, write_end = _winapi.CreatePipe(None, 0)
        close = _winapi.CloseHandle
    else:
        read_end, write_end = os.pipe()
        close = os.close
    try:
        with pytest.raises(enough.Error) as raised:
            enough.Token.import_fd(read_end)
        assert raised.value.code == 9  # ENOUGH_ERROR_NOT_EXPORTED
    finally:
        close(read_end)
        close(write_end)
    with pytest.raises(enough.BadArgumentError):
        enough.Token.import_fd(-1)
