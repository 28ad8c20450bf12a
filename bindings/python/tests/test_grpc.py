"""enough.grpc (the grpc extra) over real gRPC servers on 127.0.0.1: each served call's
handler gets a token that the client's cancel, its going away, the deadline and an
application reason reach; the protocol's shared vectors (docs/grpc-vectors.txt)."""
import asyncio
import json
import threading
import time
from concurrent import futures
from pathlib import Path

import pytest

grpc = pytest.importorskip("grpc", reason="the grpc extra is not installed (pip install enough-cancel[grpc])")

import enough  # noqa: E402
import enough.grpc as enough_grpc  # noqa: E402
from enough import Reason  # noqa: E402


def vectors():
    here = Path(__file__).resolve().parent
    # Beside the tests (as installed tests are run), or in docs/ of the checkout above.
    for path in (here / "grpc-vectors.txt", *(parent / "docs" / "grpc-vectors.txt" for parent in here.parents)):
        if path.exists():
            return [line.split() for line in path.read_text().splitlines() if line and not line.startswith("#")]
    raise FileNotFoundError("grpc-vectors.txt")


def dash(value):
    return "" if value == "-" else value


def test_the_shared_vectors():
    checked = 0
    for kind, *fields in vectors():
        if kind == "key":
            expected = {"metadata": enough_grpc.CALL_ID_KEY, "method": enough_grpc.CANCEL_METHOD,
                        "deadline_grace_ms": str(int(enough_grpc.DEADLINE_GRACE * 1000))}
            assert expected[fields[0]] == fields[1]
        elif kind == "call_id":
            assert enough_grpc.plausible_call_id(dash(fields[1])) == (fields[0] == "valid"), fields
        elif kind == "request":
            call_id, reason, encoded = dash(fields[0]), int(fields[1]), bytes.fromhex(dash(fields[2]))
            assert enough_grpc.encode_cancel_request(call_id, reason) == encoded
            assert enough_grpc.decode_cancel_request(encoded) == (call_id, reason)
        elif kind == "reply":
            assert enough_grpc.encode_cancel_reply(fields[0] == "true") == bytes.fromhex(dash(fields[1]))
            assert enough_grpc.decode_cancel_reply(bytes.fromhex(dash(fields[1]))) == (fields[0] == "true")
        elif kind == "accepts":
            with enough.Source() as source:
                call_id = enough_grpc.new_call_id()
                assert enough_grpc._call_ids.register(call_id, source)
                try:
                    reply = enough_grpc.cancel_request(enough_grpc.encode_cancel_request(call_id, int(fields[0])))
                finally:
                    enough_grpc._call_ids.unregister(call_id)
                assert enough_grpc.decode_cancel_reply(reply) == (fields[1] == "yes"), fields
                assert source.cancelled == (fields[1] == "yes")
        elif kind == "status":
            assert enough_grpc.status_for(Reason(int(fields[0]))).name == fields[1]
        elif kind == "reason":
            assert int(enough_grpc.reason_for(getattr(grpc.StatusCode, fields[0]))) == int(fields[1])
        else:
            raise AssertionError(f"unknown vector {kind}")
        checked += 1
    assert checked > 30


class Loops:
    """What the handlers' loops saw: one report per call, in order."""

    def __init__(self):
        self.started = threading.Semaphore(0)
        self.reports = []
        self.finished = threading.Semaphore(0)

    def work(self, request, context):
        token = enough_grpc.current_token()
        limit = time.monotonic() + json.loads(request)["limit"]
        remaining = token.remaining
        self.started.release()
        while not token.cancelled and time.monotonic() < limit:  # native code polls the same way
            time.sleep(0.0005)
        self.reports.append({"reason": int(token.reason), "remaining": remaining})
        self.finished.release()
        if token.cancelled:  # as a handler finishes a cancelled call
            context.abort(enough_grpc.status_for(token.reason), f"cancelled: {int(token.reason)}")
        return json.dumps(self.reports[-1]).encode()

    def wait(self, semaphore):
        assert semaphore.acquire(timeout=20)


@pytest.fixture
def server():
    loops = Loops()
    served = grpc.server(futures.ThreadPoolExecutor(8), interceptors=[enough_grpc.ServerInterceptor()])
    served.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
        "enough.test.Hop", {"Work": grpc.unary_unary_rpc_method_handler(loops.work)}),))
    enough_grpc.add_cancellation_service(served)
    port = served.add_insecure_port("127.0.0.1:0")
    served.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    yield loops, channel
    channel.close()
    served.stop(5).wait()


def start_call(channel, token, limit=20.0):
    method = channel.unary_unary("/enough.test.Hop/Work")
    outcome = {}

    def run():
        try:
            outcome["reply"] = enough_grpc.call(method, json.dumps({"limit": limit}).encode(), token, channel=channel)
        except grpc.RpcError as error:
            outcome["code"] = error.code()
    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_a_client_cancel_reaches_the_handlers_token(server):
    loops, channel = server
    with enough.Source() as source, source.token() as token:
        thread, outcome = start_call(channel, token)
        loops.wait(loops.started)
        source.cancel()
        loops.wait(loops.finished)
        thread.join(20)
    assert loops.reports[0]["reason"] == Reason.CANCELLED
    assert outcome["code"] == grpc.StatusCode.CANCELLED


def test_an_application_reason_arrives_before_the_cancel(server):
    loops, channel = server
    with enough.Source() as source, source.token() as token:
        thread, outcome = start_call(channel, token)
        loops.wait(loops.started)
        source.cancel(4242)
        loops.wait(loops.finished)
        thread.join(20)
    assert loops.reports[0]["reason"] == 4242
    assert outcome["code"] == grpc.StatusCode.CANCELLED


def test_the_deadline_travels_and_reads_as_timed_out(server):
    loops, channel = server
    with enough.Source() as source, source.token() as token:
        source.cancel_after(0.5)
        thread, outcome = start_call(channel, token)
        loops.wait(loops.finished)
        thread.join(20)
    report = loops.reports[0]
    assert report["reason"] == Reason.TIMED_OUT
    assert 0.2 < report["remaining"] <= 0.52  # gRPC rounds a timeout up a little on the wire
    assert outcome["code"] == grpc.StatusCode.DEADLINE_EXCEEDED


def test_a_call_that_is_never_cancelled_completes(server):
    loops, channel = server
    with enough.Source() as source, source.token() as token:
        thread, outcome = start_call(channel, token, limit=0.05)
        thread.join(20)
    assert json.loads(outcome["reply"]) == {"reason": 0, "remaining": None}


def test_metadata_alone_cannot_cancel(server):
    loops, channel = server
    cancel = channel.unary_unary(enough_grpc.CANCEL_METHOD)
    with enough.Source() as source, source.token() as token:
        # A call with an id, then the Cancellation service asked by someone else: with
        # a small reason, and with an id no call has.
        call_id = "0123456789abcdef0123456789abcdef"
        method = channel.unary_unary("/enough.test.Hop/Work")
        future = method.future(json.dumps({"limit": 0.5}).encode(),
                               metadata=((enough_grpc.CALL_ID_KEY, call_id),))
        loops.wait(loops.started)
        assert enough_grpc.decode_cancel_reply(cancel(enough_grpc.encode_cancel_request(call_id, 1))) is False
        assert enough_grpc.decode_cancel_reply(
            cancel(enough_grpc.encode_cancel_request("ffffffffffffffffffffffffffffffff", 4242))) is False
        future.result(20)
        assert not token.cancelled
    assert loops.reports[0]["reason"] == 0


def test_grpc_aio_server_and_client():
    async def scenario():
        started = asyncio.Event()
        seen = {}

        async def work(request, context):
            token = enough_grpc.current_token()
            started.set()
            try:
                while not token.cancelled:
                    await asyncio.sleep(0.001)
            finally:  # also when gRPC cancels this task for the client's cancel
                seen["reason"] = int(token.reason)
            await context.abort(enough_grpc.status_for(token.reason), f"cancelled: {int(token.reason)}")
        served = grpc.aio.server(interceptors=[enough_grpc.AioServerInterceptor()])
        served.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
            "enough.test.Hop", {"Work": grpc.unary_unary_rpc_method_handler(work)}),))
        enough_grpc.add_cancellation_service(served)
        port = served.add_insecure_port("127.0.0.1:0")
        await served.start()
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            with enough.Source() as source, source.token() as token:
                task = asyncio.ensure_future(enough_grpc.call_async(
                    channel.unary_unary("/enough.test.Hop/Work"), b"", token, channel=channel))
                await asyncio.wait_for(started.wait(), 20)
                source.cancel(4242)
                with pytest.raises(grpc.RpcError) as raised:
                    await asyncio.wait_for(task, 20)
                assert raised.value.code() == grpc.StatusCode.CANCELLED
        for _ in range(2000):
            if "reason" in seen:
                break
            await asyncio.sleep(0.01)
        await served.stop(5)
        return seen["reason"]
    assert asyncio.run(scenario()) == 4242


def test_a_streaming_handler_gets_its_token_too():
    tokens = []
    given = threading.Event()
    release = threading.Event()  # the handler goes on only once the test has seen the cancel

    def stream(request, context):
        tokens.append(enough_grpc.current_token().clone())  # the test's own reference
        given.set()
        yield b"first"
        release.wait(20)
        yield b"second"
    served = grpc.server(futures.ThreadPoolExecutor(4), interceptors=[enough_grpc.ServerInterceptor()])
    served.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
        "enough.test.Hop", {"Stream": grpc.unary_stream_rpc_method_handler(stream)}),))
    port = served.add_insecure_port("127.0.0.1:0")
    served.start()
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        responses = channel.unary_stream("/enough.test.Hop/Stream")(b"")
        assert next(responses) == b"first"
        assert given.wait(20)
        responses.cancel()  # the client cancels the stream
        with tokens[0] as token:
            assert token.wait(20)
            assert token.reason == Reason.CANCELLED
        release.set()
    served.stop(5).wait()
