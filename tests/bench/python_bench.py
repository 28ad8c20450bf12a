"""Target 8: from Python, polling a token's state word through ctypes against a
ctypes call of enough_token_is_cancelled. Prints one JSON object (ns per check).

    ENOUGH_LIBRARY=... PYTHONPATH=samples/python python3 tests/bench/python_bench.py
"""
import json
import statistics
import timeit

import enough

NUMBER = 200_000
ROUNDS = 7


def per_check_ns(statement, scope):
    times = timeit.repeat(statement, globals=scope, number=NUMBER, repeat=ROUNDS)
    return statistics.median(times) / NUMBER * 1e9


with enough.Source() as source, source.token() as token:
    scope = {
        "token": token,
        "word": token._word,  # the state word as a ctypes c_uint32 at its address
        "call": enough.library.enough_token_is_cancelled,
        "handle": token.handle,
    }
    # Interleaved rounds: ours (the word), then the peer (the call), several times.
    word_ns, call_ns, property_ns = [], [], []
    for _ in range(3):
        word_ns.append(per_check_ns("word.value != 0", scope))
        call_ns.append(per_check_ns("call(handle)", scope))
        property_ns.append(per_check_ns("token.cancelled", scope))
    print(json.dumps({
        "t8_word_ns": statistics.median(word_ns),
        "t8_call_ns": statistics.median(call_ns),
        "t8_property_ns": statistics.median(property_ns),
    }, indent=2))
