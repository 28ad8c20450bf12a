"""The gRPC sample's chain begun in Python: this client (enough.grpc, the grpc extra)
calls the C++ gateway, which calls the C++ transcoder running a native loop. One job
is cancelled with the application's own reason, 4242, another given 150 ms: the loop
two hops away stops either way, and says why.
    python client.py SAMPLE_GRPC        (sample_grpc, started here with --serve)
"""
import subprocess
import sys
import threading
import time

import grpc

import enough
import enough.grpc
import transcode_pb2  # generated from transcode.proto by grpcio-tools
import transcode_pb2_grpc


def main():
    services = subprocess.Popen([sys.argv[1], "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    address = services.stdout.readline().split()[1]
    threading.Thread(target=lambda: [print(line, end="") for line in services.stdout], daemon=True).start()
    channel = grpc.insecure_channel(address)
    stub = transcode_pb2_grpc.TranscoderStub(channel)
    failures = 0

    def run_job(token, expected):
        try:
            enough.grpc.call(stub.Transcode, transcode_pb2.Job(frames=100_000), token, channel=channel)
            return 1  # it should not have finished
        except grpc.RpcError as error:
            print(f"  client: {error.code().name}")
            return int(error.code() != expected)

    print("job 1 (Python client): cancelled with the application's reason 4242 after 100 ms")
    with enough.Source() as source, source.token() as token:
        threading.Timer(0.1, source.cancel, args=(4242,)).start()
        failures += run_job(token, grpc.StatusCode.CANCELLED)

    print("job 2 (Python client): 150 ms to do it")
    with enough.Source() as source, source.token() as token:
        source.cancel_after(0.15)
        failures += run_job(token, grpc.StatusCode.DEADLINE_EXCEEDED)

    time.sleep(0.2)  # the transcoder's last report
    channel.close()
    services.stdin.close()
    services.wait(10)
    print("all jobs stopped as asked" if failures == 0 else f"{failures} jobs did not")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
