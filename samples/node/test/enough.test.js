// Tests of the Node.js binding (node:test). Run with ENOUGH_LIBRARY set and --expose-gc.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { Reason, Source, Token, liveObjects } from '../enough.js';

async function settled() {
  // Let FinalizationRegistry callbacks run: collect, then yield to the event loop.
  for (let i = 0; i < 10; ++i) {
    global.gc();
    await sleep(5);
  }
}

test('cancel is seen by tokens, first wins, dispose releases', () => {
  const before = liveObjects();
  const source = new Source();
  const token = source.token();
  assert.equal(token.cancelled, false);
  assert.equal(token.mayCancel, true);
  assert.equal(source.cancel(300), true);
  assert.equal(source.cancel(), false);
  assert.equal(token.reason, 300);
  token.dispose();
  source.dispose();
  source.dispose(); // idempotent
  assert.throws(() => token.cancelled, /after dispose/);
  assert.equal(liveObjects(), before);
});

test('a token outlives its source and then never cancels', () => {
  const source = new Source();
  const token = source.token();
  source.dispose();
  assert.equal(token.cancelled, false);
  assert.equal(token.mayCancel, false);
  token.dispose();
});

test('whenCancelled resolves from a deadline on the library timer thread', async () => {
  const source = new Source();
  const token = source.token();
  source.cancelAfter(30);
  const started = Date.now();
  let ticks = 0;
  const ticking = setInterval(() => ++ticks, 2); // the event loop stays free
  assert.equal(await token.whenCancelled(), Reason.TIMED_OUT);
  clearInterval(ticking);
  assert.ok(Date.now() - started >= 29);
  assert.ok(ticks > 3, `event loop ran ${ticks} times while waiting`);
  token.dispose();
  source.dispose();
});

test('whenCancelled resolves NONE once the token can never cancel', async () => {
  const source = new Source();
  const token = source.token();
  const pending = token.whenCancelled({ sliceMs: 20 });
  token.dispose(); // the wait holds its own reference
  source.dispose();
  assert.equal(await pending, Reason.NONE);
});

test('onCancel runs once on the main thread; its stop function prevents it', async () => {
  const source = new Source();
  const token = source.token();
  const seen = [];
  token.onCancel((reason) => seen.push(reason));
  const stop = token.onCancel((reason) => seen.push(-reason));
  stop();
  source.cancel(42);
  await sleep(50);
  assert.deepEqual(seen, [42]);
  token.dispose();
  source.dispose();
});

test('AbortSignal bridges both ways', async () => {
  const controller = new AbortController();
  const source = Source.fromAbortSignal(controller.signal);
  const token = source.token();
  const signal = token.toAbortSignal();
  controller.abort();
  assert.equal(token.cancelled, true);
  await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  assert.equal(signal.reason.name, 'AbortError');
  assert.equal(signal.reason.reason, Reason.CANCELLED);
  token.dispose();
  source.dispose();

  const aborted = Source.fromAbortSignal(AbortSignal.abort(), 777);
  assert.equal(aborted.reason, 777);
  aborted.dispose();
});

test('linked sources follow their parents', () => {
  const parent = new Source();
  const parentToken = parent.token();
  const child = Source.linked(parentToken, Token.never());
  parent.cancel(900);
  assert.equal(child.reason, 900);
  for (const h of [child, parentToken, parent]) h.dispose();
});

test('the FinalizationRegistry releases what dispose() was never called on', async () => {
  await settled();
  const before = liveObjects();
  (() => {
    const source = new Source();
    for (let i = 0; i < 10; ++i) source.token();
  })();
  assert.ok(liveObjects() > before);
  await settled();
  assert.equal(liveObjects(), before);
});
