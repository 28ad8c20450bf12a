#!/usr/bin/env python3
"""Writes the fuzz target's named seeds into tests/fuzz/corpus: short programs that
reach every call, in the byte format flat_calls_fuzz.cpp reads. The hash-named files
beside them are inputs libFuzzer found from these (scripts/fuzz --merge). Run it after
changing the format (and then drop the hash-named files, which follow the old one)."""
import pathlib

# Opcodes and their argument bytes, as in program::step().
CREATE, LINKED, TOKEN, CLONE, CANCEL, CANCEL_REASON, AFTER_FAR, AFTER_NOW, REGISTER, \
    UNREGISTER, WAIT0, FD, DESTROY_TOKEN, DESTROY_SOURCE, ADD_SOURCE_REF, WRONG_KIND, \
    NULLS = range(17)
NULL_PARENT = 7  # a parent pick of 7 (mod 8) is a NULL entry

SEEDS = {
    "cancel_reaches_callback": [CREATE, 0, TOKEN, 0, 0, REGISTER, 0, 0, CANCEL, 0, WAIT0, 0,
                                UNREGISTER, 0, DESTROY_TOKEN, 0, DESTROY_SOURCE, 0],
    "reasons": [CREATE, 0, TOKEN, 0, 0, CANCEL_REASON, 0, 2, CANCEL_REASON, 0, 6,
                CANCEL_REASON, 0, 1, CANCEL_REASON, 0, 0],
    "linked_chain": [CREATE, 0, TOKEN, 0, 0, LINKED, 1, 2, 0, NULL_PARENT, TOKEN, 1, 1,
                     LINKED, 2, 1, 1, TOKEN, 2, 2, REGISTER, 2, 0, CANCEL, 0],
    "linked_to_cancelled": [CREATE, 0, TOKEN, 0, 0, CANCEL, 0, LINKED, 1, 1, 0, TOKEN, 1, 1],
    "orphan_never_cancels": [CREATE, 0, TOKEN, 0, 0, ADD_SOURCE_REF, 0, 1, REGISTER, 0, 0,
                             DESTROY_SOURCE, 0, DESTROY_SOURCE, 1, WAIT0, 0, CANCEL, 1],
    "orphaned_parent": [CREATE, 0, TOKEN, 0, 0, LINKED, 1, 1, 0, DESTROY_SOURCE, 0,
                        TOKEN, 1, 1, CANCEL, 1],
    "deadline_now": [CREATE, 0, TOKEN, 0, 0, REGISTER, 0, 0, LINKED, 1, 1, 0, TOKEN, 1, 1,
                     REGISTER, 1, 1, AFTER_NOW, 0, FD, 0, FD, 1],
    "deadline_far_then_destroy": [CREATE, 0, AFTER_FAR, 0, AFTER_FAR, 0, TOKEN, 0, 0,
                                  DESTROY_SOURCE, 0, WAIT0, 0],
    "clones_and_fd": [CREATE, 0, TOKEN, 0, 0, CLONE, 0, 1, CLONE, 1, 2, FD, 2, DESTROY_TOKEN, 0,
                      CANCEL, 0, FD, 1],
    "never_token": [TOKEN, 5, 0, CLONE, 0, 1, REGISTER, 0, 0, FD, 0, WAIT0, 1, LINKED, 2, 1, 0,
                    TOKEN, 2, 2],
    "wrong_kind_and_null": [CREATE, 0, TOKEN, 0, 0, WRONG_KIND, 0, 0, NULLS, CANCEL, 0,
                            WRONG_KIND, 0, 0],
    "unregister_before_cancel": [CREATE, 0, TOKEN, 0, 0, REGISTER, 0, 0, REGISTER, 0, 1,
                                 UNREGISTER, 0, CANCEL, 0, UNREGISTER, 1],
}

def main():
    folder = pathlib.Path(__file__).resolve().parent / "corpus"
    folder.mkdir(exist_ok=True)
    for name, program in SEEDS.items():
        (folder / name).write_bytes(bytes(program))

if __name__ == "__main__":
    main()
