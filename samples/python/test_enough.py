"""Tests of the Python binding (unittest). Run with ENOUGH_LIBRARY set."""

import asyncio
import gc
import threading
import time
import unittest

import enough


class LeakCheck(unittest.TestCase):
    def setUp(self):
        gc.collect()
        self.live_before = enough.live_objects()

    def tearDown(self):
        gc.collect()
        self.assertEqual(enough.live_objects(), self.live_before, "handles leaked")


class TestSourceAndToken(LeakCheck):
    def test_with_blocks_release_handles(self):
        with enough.Source() as source, source.token() as token:
            self.assertFalse(token.cancelled)
            self.assertTrue(token.may_cancel)
            self.assertIs(token.reason, enough.Reason.NONE)
            self.assertTrue(source.cancel())
            self.assertFalse(source.cancel())
            self.assertTrue(token.cancelled)
            self.assertIs(token.reason, enough.Reason.CANCELLED)
        with self.assertRaises(ValueError):
            token.handle  # used after close

    def test_application_reasons_and_first_wins(self):
        with enough.Source() as source, source.token() as token:
            self.assertTrue(source.cancel(300))
            self.assertFalse(source.cancel(enough.Reason.TIMED_OUT))
            self.assertEqual(token.reason, 300)
            self.assertEqual(source.reason, 300)

    def test_token_outlives_source_and_never_cancels(self):
        source = enough.Source()
        token = source.token()
        source.close()
        self.assertFalse(token.cancelled)
        self.assertFalse(token.may_cancel)
        token.close()

    def test_never_token(self):
        with enough.Token.never() as never:
            self.assertFalse(never.cancelled)
            self.assertFalse(never.may_cancel)
            self.assertFalse(never.wait(10))

    def test_garbage_collector_is_a_safety_net(self):
        source = enough.Source()
        tokens = [source.token() for _ in range(10)]
        self.assertGreater(enough.live_objects(), self.live_before)
        del source, tokens
        gc.collect()
        self.assertEqual(enough.live_objects(), self.live_before)

    def test_deadline(self):
        with enough.Source() as source, source.token() as token:
            self.assertTrue(source.cancel_after(0.03))
            start = time.monotonic()
            self.assertTrue(token.wait(5))
            self.assertGreaterEqual(time.monotonic() - start, 0.029)
            self.assertIs(token.reason, enough.Reason.TIMED_OUT)

    def test_linked(self):
        with enough.Source() as parent, parent.token() as parent_token:
            with enough.Source.linked(parent_token) as child, child.token() as child_token:
                parent.cancel(404)
                self.assertEqual(child_token.reason, 404)

    def test_wait_is_woken_from_another_thread(self):
        with enough.Source() as source, source.token() as token:
            self.assertFalse(token.wait(0.01))
            threading.Timer(0.02, source.cancel).start()
            self.assertTrue(token.wait(5))


class TestCallbacks(LeakCheck):
    def test_callback_runs_once_on_the_cancelling_thread(self):
        seen = []
        with enough.Source() as source, source.token() as token:
            with token.on_cancel(lambda reason: seen.append((reason, threading.get_ident()))):
                gc.collect()  # the ctypes thunk must survive: the registration keeps it
                worker = threading.Thread(target=source.cancel, args=(512,))
                worker.start()
                worker.join()
        self.assertEqual(seen, [(512, worker.ident)])

    def test_closed_registration_never_runs(self):
        seen = []
        with enough.Source() as source, source.token() as token:
            token.on_cancel(seen.append).close()
            source.cancel()
        self.assertEqual(seen, [])

    def test_already_cancelled_runs_at_once(self):
        seen = []
        with enough.Source() as source, source.token() as token:
            source.cancel()
            with token.on_cancel(seen.append):
                self.assertEqual(seen, [enough.Reason.CANCELLED])

    def test_exceptions_stay_in_python(self):
        with enough.Source() as source, source.token() as token:
            def boom(reason):
                raise RuntimeError("boom")
            with token.on_cancel(boom) as registration:
                source.cancel()
                self.assertIsInstance(registration.errors[0], RuntimeError)

    def test_close_from_inside_the_callback(self):
        box = {}
        with enough.Source() as source, source.token() as token:
            def close_self(reason):
                box["registration"].close()
                box["reason"] = reason
            box["registration"] = token.on_cancel(close_self)
            source.cancel()
        self.assertEqual(box["reason"], enough.Reason.CANCELLED)
        del box
        with enough.Source() as source, source.token() as token:
            token.on_cancel(lambda reason: None).close()  # prunes the retired thunk
        self.assertEqual(enough.Registration._retired, [])


class TestAsyncio(LeakCheck):
    def test_wait_cancelled_uses_the_event_loop(self):
        async def main():
            with enough.Source() as source, source.token() as token:
                asyncio.get_running_loop().call_later(0.02, source.cancel, 777)
                return await asyncio.wait_for(token.wait_cancelled(), 5)
        self.assertEqual(asyncio.run(main()), 777)

    def test_deadline_seen_by_asyncio_while_other_tasks_run(self):
        async def main():
            ticks = 0
            with enough.Source() as source, source.token() as token:
                source.cancel_after(0.05)
                waiter = asyncio.create_task(token.wait_cancelled())
                while not waiter.done():
                    ticks += 1
                    await asyncio.sleep(0.005)
                return waiter.result(), ticks
        reason, ticks = asyncio.run(main())
        self.assertIs(reason, enough.Reason.TIMED_OUT)
        self.assertGreater(ticks, 3)  # the loop kept running while we waited


if __name__ == "__main__":
    unittest.main()
