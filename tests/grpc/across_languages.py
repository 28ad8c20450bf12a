"""One chain across languages on 127.0.0.1: a Python client calls a C++ server, which
calls a Go server, which calls a Python server running the loop. Each server prints
what its call's token saw ("start remaining_ms=...", "end reason=..."); this checks:
a reason sent by the client reaches every hop's token; a deadline shrinks hop by hop
and reads as TIMED_OUT at each; a client killed mid-call cancels every hop; metadata
and Cancellation requests of a peer that is not the caller cancel nothing.
    across_languages.py CPP_FORWARDING_SERVER GO_PEER     (run by across_languages.sh)
"""
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from concurrent import futures

import grpc

import enough
import enough.grpc as enough_grpc
from enough.grpc import _fields, _varint  # the wire format, for tests/grpc/hop.proto

WORK = "/enough.test.Hop/Work"


def work_request(hops_left, loop_limit_ms, forward_after_ms=0):
    return (b"\x08" + _varint(hops_left) + b"\x10" + _varint(loop_limit_ms)
            + b"\x18" + _varint(forward_after_ms))


class Hop:
    """A server's lines, read as they come."""

    def __init__(self, name):
        self.name = name
        self.lines = queue.Queue()

    def expect(self, prefix, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                raise AssertionError(f"{self.name}: no '{prefix}' line in {timeout} s") from None
            if line.startswith(prefix):
                return line[len(prefix):]


class Peer(Hop):
    """A server in another process (C++ or Go): NEXT_ADDRESS in, lines out."""

    def __init__(self, name, program, next_address):
        super().__init__(name)
        self.process = subprocess.Popen([program, next_address], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.address = f"127.0.0.1:{self.expect('port ')}"

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.strip())

    def stop(self):
        self.process.stdin.close()
        self.process.wait(10)


class PythonHop(Hop):
    """The last hop, in this process: the loop polls its call's token."""

    def __init__(self):
        super().__init__("python")
        self.server = grpc.server(futures.ThreadPoolExecutor(8), interceptors=[enough_grpc.ServerInterceptor()])
        self.server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
            "enough.test.Hop", {"Work": grpc.unary_unary_rpc_method_handler(self.work)}),))
        enough_grpc.add_cancellation_service(self.server)
        self.address = f"127.0.0.1:{self.server.add_insecure_port('127.0.0.1:0')}"
        self.server.start()

    def work(self, request, context):
        token = enough_grpc.current_token()
        remaining = token.remaining
        self.lines.put(f"start remaining_ms={-1 if remaining is None else int(remaining * 1000)}")
        limit = time.monotonic() + _fields(request).get(2, 0) / 1000
        while not token.cancelled and time.monotonic() < limit:  # native code polls the same way
            time.sleep(0.0005)
        self.lines.put(f"end reason={int(token.reason)}")
        if token.cancelled:
            context.abort(enough_grpc.status_for(token.reason), f"cancelled: {int(token.reason)}")
        return b"\x08" + _varint(int(token.reason))


def started(hops):
    return [int(hop.expect("start remaining_ms=")) for hop in hops]


def ended(hops):
    return [int(hop.expect("end reason=")) for hop in hops]


def call_on_thread(channel, token, loop_limit_ms=20_000, forward_after_ms=0):
    outcome = {}

    def run():
        try:
            enough_grpc.call(channel.unary_unary(WORK), work_request(2, loop_limit_ms, forward_after_ms), token,
                             channel=channel)
            outcome["code"] = grpc.StatusCode.OK
        except grpc.RpcError as error:
            outcome["code"] = error.code()
    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def main():
    cpp_program, go_program = sys.argv[1], sys.argv[2]
    python_hop = PythonHop()
    go_hop = Peer("go", go_program, python_hop.address)
    cpp_hop = Peer("c++", cpp_program, go_hop.address)
    chain = [cpp_hop, go_hop, python_hop]
    channel = grpc.insecure_channel(cpp_hop.address)
    try:
        # A reason of the application, 4242, reaches every hop's token.
        with enough.Source() as source, source.token() as token:
            thread, outcome = call_on_thread(channel, token)
            started(chain)
            source.cancel(4242)
            reasons = ended(list(reversed(chain)))
            thread.join(20)
        print(f"reason 4242: python, go, c++ saw {reasons}; the client's call: {outcome['code']}")
        assert reasons == [4242, 4242, 4242], reasons
        assert outcome["code"] == grpc.StatusCode.CANCELLED

        # A deadline shrinks hop by hop (each forwarding hop works 200 ms first) and
        # reads as TIMED_OUT at each. gRPC rounds a timeout up a little on the wire.
        with enough.Source() as source, source.token() as token:
            source.cancel_after(1.5)
            thread, outcome = call_on_thread(channel, token, forward_after_ms=200)
            remaining = started(chain)
            reasons = ended(list(reversed(chain)))
            thread.join(20)
        print(f"deadline 1500 ms: remaining at c++, go, python {remaining} ms; reasons {reasons}; "
              f"the client's call: {outcome['code']}")
        assert 1400 < remaining[0] <= 1520, remaining
        assert remaining[0] - remaining[1] > 150 and remaining[1] - remaining[2] > 150, remaining
        assert reasons == [2, 2, 2], reasons
        assert outcome["code"] == grpc.StatusCode.DEADLINE_EXCEEDED

        # A client killed in the middle of its call cancels every hop.
        client = subprocess.Popen([sys.executable, "-c", (
            "import grpc, sys\n"
            f"channel = grpc.insecure_channel('{cpp_hop.address}')\n"
            f"channel.unary_unary('{WORK}')({work_request(2, 60_000)!r})\n")])
        started(chain)
        client.send_signal(signal.SIGKILL)
        client.wait(10)
        reasons = ended(list(reversed(chain)))
        print(f"client killed: python, go, c++ saw {reasons}")
        assert reasons == [1, 1, 1], reasons

        # Someone else names a call (its metadata) or asks the Cancellation service:
        # nothing is cancelled, and no reason changes.
        call_id = enough_grpc.new_call_id()
        pending = channel.unary_unary(WORK).future(work_request(2, 600),
                                                   metadata=((enough_grpc.CALL_ID_KEY, call_id),))
        started(chain)
        cancel = channel.unary_unary(enough_grpc.CANCEL_METHOD)
        refused = [enough_grpc.decode_cancel_reply(cancel(enough_grpc.encode_cancel_request(call_id, reason)))
                   for reason in (1, 2, 255)]
        refused.append(enough_grpc.decode_cancel_reply(
            cancel(enough_grpc.encode_cancel_request(enough_grpc.new_call_id(), 4242))))
        pending.result(20)
        reasons = ended(list(reversed(chain)))
        print(f"untrusted requests: accepted {refused}; python, go, c++ saw {reasons}")
        assert refused == [False] * 4, refused
        assert reasons == [0, 0, 0], reasons
    finally:
        channel.close()
        cpp_hop.stop()
        go_hop.stop()
        python_hop.server.stop(2).wait()
    print("across languages: ok")


if __name__ == "__main__":
    main()
