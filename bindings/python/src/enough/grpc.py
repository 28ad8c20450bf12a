"""enough for gRPC services (the ``grpc`` extra: ``pip install enough-cancel[grpc]``).

The same protocol as the C++ ``enough::grpc`` and the Go ``enough.example/enough/enoughgrpc`` package
(docs/guide-grpc.md): a served call's token cancels when the client cancels or goes
away (``Reason.CANCELLED``), when the call's deadline passes (``Reason.TIMED_OUT``), or
with an application reason (256 and up) that the client sent to the server's
Cancellation service, naming the call by the ``enough-call-id`` metadata it set.
Nothing else from the client can cancel a token or change its reason.

Server::

    server = grpc.server(pool, interceptors=[enough.grpc.ServerInterceptor()])
    enough.grpc.add_cancellation_service(server)

    def Transcode(self, request, context):
        token = enough.grpc.current_token()   # handed to native code, polled there

Client::

    reply = enough.grpc.call(stub.Transcode, request, token, channel=channel)

For ``grpc.aio``: ``AioServerInterceptor`` and ``await enough.grpc.call_async(...)``.
Which thread cancels: gRPC's, when it learns of the client's cancel (callbacks
registered on the token run there, holding no lock of ours).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import secrets
import threading
import time
from typing import Any, Awaitable, Callable, Dict, Iterator, Optional, Tuple

import grpc
import grpc.aio

from ._handles import Source, Token
from ._reason import Reason

CALL_ID_KEY = "enough-call-id"
CANCEL_METHOD = "/enough.grpc.Cancellation/Cancel"
# Around a deadline the two ends see it at slightly different times: within this of
# the deadline, a client leaves the call to gRPC's deadline and a server ignores a
# cancel, so that a deadline reads as TIMED_OUT at every hop.
DEADLINE_GRACE = 0.050
FIRST_USER_REASON = 256
_NO_DEADLINE = 1e8  # seconds: more than three years is no deadline

_current: contextvars.ContextVar[Optional[Token]] = contextvars.ContextVar("enough_grpc_token", default=None)


def current_token() -> Token:
    """The token of the call this handler serves (set by the interceptor)."""
    token = _current.get()
    if token is None:
        raise LookupError("no enough.grpc token: is enough.grpc.ServerInterceptor on the server?")
    return token


# ---- the protocol's messages (protobuf's wire format, written out: no generated code) --

def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # an int32 below 0 is ten bytes, as protobuf writes it
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _fields(data: bytes) -> Dict[int, Any]:
    """The last value of each field (protobuf's rule); unknown wire types end the parse."""
    fields: Dict[int, Any] = {}
    at = 0

    def read_varint() -> int:
        nonlocal at
        value = shift = 0
        while True:
            if at >= len(data) or shift > 63:
                raise ValueError("truncated varint")
            byte = data[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value

    while at < len(data):
        key = read_varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            fields[number] = read_varint()
        elif wire == 2:
            size = read_varint()
            if at + size > len(data):
                raise ValueError("truncated field")
            fields[number] = data[at:at + size]
            at += size
        elif wire in (1, 5):
            at += 8 if wire == 1 else 4
        else:
            raise ValueError(f"wire type {wire}")
    return fields


def encode_cancel_request(call_id: str, reason: int) -> bytes:
    """``CancelRequest { string call_id = 1; int32 reason = 2; }``"""
    out = b""
    if call_id:
        raw = call_id.encode()
        out += b"\x0a" + _varint(len(raw)) + raw
    if reason:
        out += b"\x10" + _varint(reason)
    return out


def decode_cancel_request(data: bytes) -> Tuple[str, int]:
    """The call id and reason of a ``CancelRequest``."""
    fields = _fields(data)
    raw_id = fields.get(1, b"")
    reason = fields.get(2, 0) & 0xFFFFFFFF
    reason = reason - (1 << 32) if reason >= 1 << 31 else reason  # int32
    return (raw_id.decode("utf-8", "replace") if isinstance(raw_id, bytes) else ""), reason


def encode_cancel_reply(cancelled: bool) -> bytes:
    """``CancelReply { bool cancelled = 1; }``"""
    return b"\x08\x01" if cancelled else b""


def decode_cancel_reply(data: bytes) -> bool:
    """The ``cancelled`` field of a ``CancelReply``."""
    return bool(_fields(data).get(1, 0))


def plausible_call_id(call_id: str) -> bool:
    """32 lowercase hexadecimal digits: 128 random bits, as clients make them."""
    return len(call_id) == 32 and all(c in "0123456789abcdef" for c in call_id)


def new_call_id() -> str:
    """A new call id: 128 random bits as 32 lowercase hexadecimal digits."""
    return secrets.token_hex(16)


# ---- server side -------------------------------------------------------------------------

class _CallIds:
    """The calls being served that a client named, for the Cancellation service."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: Dict[str, Source] = {}

    def register(self, call_id: str, source: Source) -> bool:
        if not plausible_call_id(call_id):
            return False
        with self._lock:
            if call_id in self._calls:
                return False  # a duplicate id is ignored
            self._calls[call_id] = source
            return True

    def unregister(self, call_id: str) -> None:
        with self._lock:
            self._calls.pop(call_id, None)

    def cancel(self, call_id: str, reason: int) -> bool:
        if reason < FIRST_USER_REASON:  # 1 and 2 travel by gRPC itself
            return False
        with self._lock:
            source = self._calls.get(call_id)
        return source is not None and source.cancel(reason)  # outside the lock: callbacks run


_call_ids = _CallIds()


def cancel_request(data: bytes) -> bytes:
    """The Cancellation service's answer to one request (both servers use it)."""
    try:
        call_id, reason = decode_cancel_request(data)
    except ValueError:
        return encode_cancel_reply(False)
    return encode_cancel_reply(_call_ids.cancel(call_id, reason))


def add_cancellation_service(server: Any) -> None:
    """Registers the Cancellation service on a ``grpc`` or ``grpc.aio`` server."""
    if isinstance(server, grpc.aio.Server):
        async def behavior(request: bytes, _context: Any) -> bytes:
            return cancel_request(request)
    else:
        def behavior(request: bytes, _context: Any) -> bytes:  # type: ignore[misc]
            return cancel_request(request)
    handler = grpc.method_handlers_generic_handler("enough.grpc.Cancellation", {
        "Cancel": grpc.unary_unary_rpc_method_handler(behavior)})  # bytes in, bytes out
    server.add_generic_rpc_handlers((handler,))


class _ServedCall:
    """One call's source: its deadline, its client's cancel (gRPC's done callback), the
    reason a client sends by its call id."""

    def __init__(self, context: Any) -> None:
        self.source = Source()
        self._lock = threading.Lock()
        self._over = False
        remaining = context.time_remaining()
        if remaining is not None and remaining > _NO_DEADLINE:
            remaining = None  # gRPC Python's answer for a call without a deadline
        self._deadline = None if remaining is None else time.monotonic() + remaining
        if remaining is not None:
            self.source.cancel_after(max(remaining, 0.0))
        self._call_id = ""
        for key, value in context.invocation_metadata() or ():
            if key == CALL_ID_KEY and isinstance(value, str) and _call_ids.register(value, self.source):
                self._call_id = value
                break
        self.token = self.source.token()

    def done(self, *_: Any) -> None:
        """gRPC says the call is over: a cancel, unless the handler finished first."""
        with self._lock:
            if self._over:
                return
            near_deadline = self._deadline is not None and self._deadline - time.monotonic() <= DEADLINE_GRACE
            if not near_deadline:
                self.source.cancel(Reason.CANCELLED)

    def close(self) -> None:
        with self._lock:
            self._over = True
        if self._call_id:
            _call_ids.unregister(self._call_id)
        self.token.close()
        self.source.close()


@contextlib.contextmanager
def _serving(context: Any, on_done: Callable[[Any, Callable[..., None]], Any]) -> Iterator[Token]:
    call = _ServedCall(context)
    on_done(context, call.done)
    reset = _current.set(call.token)
    try:
        yield call.token
    except GeneratorExit:  # a stream closed before its end: the client cancelled or left
        call.done()
        raise
    finally:
        _current.reset(reset)
        call.close()


def _sync_done(context: Any, done: Callable[..., None]) -> None:
    context.add_callback(done)


def _aio_done(context: Any, done: Callable[..., None]) -> None:
    context.add_done_callback(done)


def _wrap_sync(handler: Any) -> Any:
    if handler is None:
        return None
    if handler.unary_unary or handler.stream_unary:
        kind = "unary_unary" if handler.unary_unary else "stream_unary"
        behavior = getattr(handler, kind)

        def unary(request: Any, context: Any) -> Any:
            with _serving(context, _sync_done):
                return behavior(request, context)
        return handler._replace(**{kind: unary})
    kind = "unary_stream" if handler.unary_stream else "stream_stream"
    behavior = getattr(handler, kind)

    def streaming(request: Any, context: Any) -> Iterator[Any]:
        with _serving(context, _sync_done):
            yield from behavior(request, context)
    return handler._replace(**{kind: streaming})


def _wrap_aio(handler: Any) -> Any:
    if handler is None:
        return None
    if handler.unary_unary or handler.stream_unary:
        kind = "unary_unary" if handler.unary_unary else "stream_unary"
        behavior = getattr(handler, kind)

        async def unary(request: Any, context: Any) -> Any:
            with _serving(context, _aio_done):
                return await behavior(request, context)
        return handler._replace(**{kind: unary})
    kind = "unary_stream" if handler.unary_stream else "stream_stream"
    behavior = getattr(handler, kind)

    async def streaming(request: Any, context: Any) -> Any:
        with _serving(context, _aio_done):
            async for response in behavior(request, context):
                yield response
    return handler._replace(**{kind: streaming})


class ServerInterceptor(grpc.ServerInterceptor):
    """Gives each call's handler a token (``current_token()``), on a ``grpc`` server."""

    def intercept_service(self, continuation: Callable[[Any], Any], handler_call_details: Any) -> Any:
        return _wrap_sync(continuation(handler_call_details))


class AioServerInterceptor(grpc.aio.ServerInterceptor):
    """The same on a ``grpc.aio`` server (async handlers)."""

    async def intercept_service(self, continuation: Callable[[Any], Awaitable[Any]],
                                handler_call_details: Any) -> Any:
        return _wrap_aio(await continuation(handler_call_details))


# ---- client side -------------------------------------------------------------------------

class CancelledError(grpc.RpcError):
    """A call that :func:`call` cancelled because its token cancelled: the status
    ``CANCELLED``, as gRPC's own ``RpcError`` reports it."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(f"enough: cancelled (reason {int(reason)})")
        self.reason = reason

    def code(self) -> grpc.StatusCode:
        """``StatusCode.CANCELLED``, as gRPC's own error for a cancelled call."""
        return grpc.StatusCode.CANCELLED

    def details(self) -> str:
        """The message: which reason cancelled the call."""
        return str(self)


def _call_arguments(token: Token, metadata: Any, timeout: Optional[float]) -> Tuple[str, Dict[str, Any]]:
    call_id = new_call_id()
    remaining = token.remaining
    if remaining is not None:
        timeout = remaining if timeout is None else min(timeout, remaining)
    return call_id, {"timeout": timeout, "metadata": tuple(metadata or ()) + ((CALL_ID_KEY, call_id),)}


def _leave_to_deadline(reason: Reason, started: float, timeout: Optional[float]) -> bool:
    """A timed-out token whose deadline is the call's own: gRPC's deadline ends it."""
    return (reason == Reason.TIMED_OUT and timeout is not None
            and started + timeout <= time.monotonic() + DEADLINE_GRACE)


def call(method: Any, request: Any, token: Token, *, channel: Optional[grpc.Channel] = None,
         metadata: Any = None, timeout: Optional[float] = None) -> Any:
    """Calls a unary method of a ``grpc`` stub following ``token``: the call's timeout is
    the token's remaining time, and when the token cancels the call is cancelled, an
    application reason (256 and up) first sent to the server's Cancellation service over
    ``channel``. Returns the response; raises ``grpc.RpcError`` as the method does."""
    call_id, arguments = _call_arguments(token, metadata, timeout)
    started = time.monotonic()
    future = method.future(request, **arguments)

    def on_cancel(reason: Reason) -> None:  # on the cancelling thread: nothing blocks here
        if _leave_to_deadline(reason, started, arguments["timeout"]):
            return
        if int(reason) < FIRST_USER_REASON or channel is None:
            future.cancel()
            return
        cancel = channel.unary_unary(CANCEL_METHOD)
        sent = cancel.future(encode_cancel_request(call_id, int(reason)), timeout=2.0)
        sent.add_done_callback(lambda _: future.cancel())

    with token.on_cancel(on_cancel):
        try:
            return future.result()
        except grpc.FutureCancelledError:
            raise CancelledError(token.reason) from None


async def call_async(method: Any, request: Any, token: Token, *, channel: Optional[grpc.aio.Channel] = None,
                     metadata: Any = None, timeout: Optional[float] = None) -> Any:
    """:func:`call` for a ``grpc.aio`` stub's unary method, awaited."""
    call_id, arguments = _call_arguments(token, metadata, timeout)
    started = time.monotonic()
    loop = asyncio.get_running_loop()
    pending = method(request, **arguments)

    async def cancel(reason: Reason) -> None:
        if int(reason) >= FIRST_USER_REASON and channel is not None:
            with contextlib.suppress(grpc.RpcError):
                await channel.unary_unary(CANCEL_METHOD)(encode_cancel_request(call_id, int(reason)), timeout=2.0)
        pending.cancel()

    def on_cancel(reason: Reason) -> None:  # any thread: the loop does the rest
        if not _leave_to_deadline(reason, started, arguments["timeout"]):
            loop.call_soon_threadsafe(lambda: loop.create_task(cancel(reason)))

    with token.on_cancel(on_cancel):
        try:
            return await pending
        except asyncio.CancelledError:
            if token.cancelled:  # the call, not this task, was cancelled
                raise CancelledError(token.reason) from None
            raise


def status_for(reason: Reason) -> grpc.StatusCode:
    """``TIMED_OUT`` -> DEADLINE_EXCEEDED; any other reason -> CANCELLED; NONE -> OK."""
    if reason == Reason.NONE:
        return grpc.StatusCode.OK
    return grpc.StatusCode.DEADLINE_EXCEEDED if reason == Reason.TIMED_OUT else grpc.StatusCode.CANCELLED


def reason_for(code: grpc.StatusCode) -> Reason:
    """The reverse, on the client: CANCELLED, DEADLINE_EXCEEDED, else NONE."""
    return {grpc.StatusCode.CANCELLED: Reason.CANCELLED,
            grpc.StatusCode.DEADLINE_EXCEEDED: Reason.TIMED_OUT}.get(code, Reason.NONE)
