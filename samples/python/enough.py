"""enough for Python: cooperative cancellation over the flat C API, in pure ctypes.

    with enough.Source() as source, source.token() as token:
        run_native_job(token.handle)          # hand the raw handle to native code
        ...
        source.cancel()                       # from any thread

Handles are released by ``with`` blocks or ``close()``; a finalizer releases anything
forgotten when the garbage collector gets to it. Callbacks run on the thread that
cancels (ctypes takes the GIL for them); their ctypes function objects are kept alive
for as long as they are registered. ``await token.wait_cancelled()`` integrates with
asyncio through the token's eventfd and ``loop.add_reader``.

The library is found through $ENOUGH_LIBRARY, else ctypes.util.find_library("enough").
"""

import asyncio
import ctypes
import ctypes.util
import enum
import os
import threading

__all__ = ["Reason", "Source", "Token", "Registration", "library", "live_objects"]


def _load():
    path = os.environ.get("ENOUGH_LIBRARY") or ctypes.util.find_library("enough")
    if not path:
        raise OSError("libenough not found: set ENOUGH_LIBRARY to its path")
    lib = ctypes.CDLL(path)
    p, b, i32, u64, i64 = ctypes.c_void_p, ctypes.c_bool, ctypes.c_int32, ctypes.c_uint64, ctypes.c_int64
    signatures = {
        "enough_cancellation_create": (p, []),
        "enough_cancellation_create_linked": (p, [ctypes.POINTER(p), ctypes.c_size_t]),
        "enough_cancellation_cancel": (None, [p]),
        "enough_cancellation_cancel_with_reason": (b, [p, i32]),
        "enough_cancellation_cancel_after": (b, [p, u64]),
        "enough_cancellation_is_cancelled": (b, [p]),
        "enough_cancellation_reason": (i32, [p]),
        "enough_cancellation_destroy": (None, [p]),
        "enough_token_create": (p, [p]),
        "enough_token_create_never": (p, []),
        "enough_token_clone": (p, [p]),
        "enough_token_is_cancelled": (b, [p]),
        "enough_token_may_cancel": (b, [p]),
        "enough_token_reason": (i32, [p]),
        "enough_token_register": (p, [p, _CALLBACK, p]),
        "enough_registration_destroy": (None, [p]),
        "enough_token_wait": (b, [p, i64]),
        "enough_token_fd": (ctypes.c_int, [p]),
        "enough_token_destroy": (None, [p]),
        "enough_live_objects": (ctypes.c_size_t, []),
        "enough_version_string": (ctypes.c_char_p, []),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype, function.argtypes = restype, argtypes
    return lib


_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int32)
library = _load()


def live_objects():
    """Objects the library has created and not freed yet (for leak checks)."""
    return library.enough_live_objects()


class Reason(enum.IntEnum):
    NONE = 0
    CANCELLED = 1
    TIMED_OUT = 2
    # 256 and up belong to applications: pass any int >= 256.


def _reason(value):
    try:
        return Reason(value)
    except ValueError:
        return value


class _Handle:
    """Owns one reference to a library handle; releases it exactly once."""

    _destroy = None  # the flat destroy function, set by subclasses

    def __init__(self, handle):
        if not handle:
            raise MemoryError("enough: out of memory")
        self._handle = handle

    @property
    def handle(self):
        """The raw handle (an interface pointer) for native code. Borrowed: valid while
        this object is open."""
        if self._handle is None:
            raise ValueError("enough: handle used after close()")
        return self._handle

    def close(self):
        handle, self._handle = self._handle, None
        if handle is not None:
            type(self)._destroy(handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        # Safety net only: prefer with-blocks. Runs when the collector frees us.
        try:
            self.close()
        except Exception:
            pass


class Token(_Handle):
    """The right to observe a cancellation."""

    _destroy = staticmethod(library.enough_token_destroy)

    def __init__(self, handle):
        super().__init__(handle)
        word = _state_word(handle)
        self._word = ctypes.c_uint32.from_address(word) if word else None

    @classmethod
    def never(cls):
        return cls(library.enough_token_create_never())

    @property
    def cancelled(self):
        """One read of the token's state word where it has one (aligned 32-bit reads
        are atomic, and on x86/x64 they have acquire order), else a flat call."""
        if self._word is not None and self._handle is not None:
            return self._word.value != 0
        return library.enough_token_is_cancelled(self.handle)

    @property
    def reason(self):
        return _reason(library.enough_token_reason(self.handle))

    @property
    def may_cancel(self):
        return library.enough_token_may_cancel(self.handle)

    def clone(self):
        return Token(library.enough_token_clone(self.handle))

    def wait(self, timeout=None):
        """Blocks (without the GIL) until cancelled (True) or `timeout` seconds pass
        (False). False at once for a token that can never cancel."""
        ms = -1 if timeout is None else max(0, int(timeout * 1000))
        return library.enough_token_wait(self.handle, ms)

    def fileno(self):
        """The token's eventfd: readable once cancelled. Owned by the token: never
        read or close it; valid while this token is open."""
        return library.enough_token_fd(self.handle)

    def on_cancel(self, function):
        """Runs function(reason) once, on the cancelling thread (now, if already
        cancelled), while the returned Registration is open."""
        return Registration(self, function)

    async def wait_cancelled(self):
        """Waits on the running asyncio loop, without a thread; returns the reason."""
        if self.cancelled:
            return self.reason
        fd = self.fileno()
        if fd < 0:
            await asyncio.get_running_loop().run_in_executor(None, self.wait)
            return self.reason
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        try:
            await ready
        finally:
            loop.remove_reader(fd)
        return self.reason


def _state_word(handle):
    """The address of the token's state word via its vtable, or 0."""
    vtbl = ctypes.cast(handle, ctypes.POINTER(ctypes.c_void_p))[0]
    state_word_fn = ctypes.cast(vtbl, ctypes.POINTER(ctypes.c_void_p))[5]  # vtable slot 5
    function = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p)(state_word_fn)
    return function(handle) or 0


class Source(_Handle):
    """The right to cancel."""

    _destroy = staticmethod(library.enough_cancellation_destroy)

    def __init__(self):
        super().__init__(library.enough_cancellation_create())

    @classmethod
    def linked(cls, *tokens):
        """A source cancelled (with the parent's reason) as soon as any token is."""
        array = (ctypes.c_void_p * len(tokens))(*(t.handle for t in tokens))
        source = cls.__new__(cls)
        _Handle.__init__(source, library.enough_cancellation_create_linked(array, len(tokens)))
        return source

    def cancel(self, reason=Reason.CANCELLED):
        """True for the call that cancelled (the first one wins)."""
        return library.enough_cancellation_cancel_with_reason(self.handle, int(reason))

    def cancel_after(self, seconds):
        """Arms or re-arms a deadline; the source then cancels with Reason.TIMED_OUT."""
        return library.enough_cancellation_cancel_after(self.handle, max(0, int(seconds * 1000)))

    @property
    def cancelled(self):
        return library.enough_cancellation_is_cancelled(self.handle)

    @property
    def reason(self):
        return _reason(library.enough_cancellation_reason(self.handle))

    def token(self):
        return Token(library.enough_token_create(self.handle))


class Registration(_Handle):
    """A registered callback. close() unregisters: afterwards the callback is not
    running and never runs (it waits for a run in progress on another thread; from
    inside the callback itself it returns at once)."""

    _destroy = staticmethod(library.enough_registration_destroy)
    _running = threading.local()  # the registrations whose callback this thread runs
    _retired = []                 # closed from inside their callback: thunks kept alive
    _retired_lock = threading.Lock()

    def __init__(self, token, function):
        self.errors = []  # exceptions the callback raised (they never reach C)
        self._returned = False

        def trampoline(_user_data, reason):
            stack = Registration._running.__dict__.setdefault("stack", [])
            stack.append(self)
            try:
                function(_reason(reason))
            except BaseException as error:  # never unwind into the cancelling thread
                self.errors.append(error)
            finally:
                stack.pop()
                self._returned = True

        self._thunk = _CALLBACK(trampoline)  # kept alive while registered
        super().__init__(library.enough_token_register(token.handle, self._thunk, None))

    def close(self):
        inside = self in getattr(Registration._running, "stack", ())
        super().close()  # the library's guarantee: not running now, unless inside it
        with Registration._retired_lock:
            # Thunks retired earlier can go once their callback has returned.
            Registration._retired[:] = [r for r in Registration._retired if not r._returned]
            if inside:
                Registration._retired.append(self)  # its thunk is still on our stack
            else:
                self._thunk = None
