// Tests of the installed package (node:test), run by CTest from a fresh project that
// installed the packed tarball: node --expose-gc --test.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { EnoughError, ErrorCode, Reason, Source, Token, liveObjects, version } from 'enough-cancel';

const require = createRequire(import.meta.url);

// Node 20 has Symbol.dispose but not the `using` syntax: own() plays its part, and
// everything owned by a test is disposed (last first) when it ends.
const owned = [];
const own = (handle) => (owned.push(handle), handle);
afterEach(() => owned.splice(0).reverse().forEach((handle) => handle.dispose()));

async function settled() {
  // Lets FinalizationRegistry callbacks run: collect, then yield to the event loop.
  for (let i = 0; i < 10; ++i) {
    global.gc();
    await sleep(5);
  }
}

test('the package loads the library it carries, from ESM and CommonJS alike', () => {
  assert.equal(process.env.ENOUGH_LIBRARY, undefined);
  assert.match(require.resolve('enough-cancel'), /node_modules[\\/]enough-cancel[\\/]index\.js$/);
  assert.equal(require('enough-cancel').Source, Source); // one copy of the module
  assert.match(version(), /^\d+\.\d+\.\d+$/);
});

// The file the package carries for this platform (what index.js loads).
const libraryFile = { win32: 'enough.dll', darwin: 'libenough.dylib' }[process.platform] ?? 'libenough.so';

// Where child processes cannot be started (qemu-user here), says why, and the test
// that needs one is reported as skipped with that reason.
const noChildren = process.env.ENOUGH_TEST_NO_CHILDREN;

test('ENOUGH_LIBRARY names another copy of the library', { skip: noChildren }, () => {
  const packaged = path.join(path.dirname(require.resolve('enough-cancel')), 'prebuilds',
    `${process.platform}-${process.arch}`, libraryFile);
  const copy = path.join(mkdtempSync(path.join(tmpdir(), 'enough-')), `other-${libraryFile}`);
  copyFileSync(packaged, copy);
  // The process report lists the shared objects loaded, on every system.
  const shown = execFileSync(process.execPath, ['--input-type=module', '-e',
    "import { liveObjects } from 'enough-cancel';" +
    'const loaded = process.report.getReport().sharedObjects.map((file) => file.toLowerCase());' +
    'console.log(loaded.includes(process.env.ENOUGH_LIBRARY.toLowerCase()), liveObjects());'],
  { env: { ...process.env, ENOUGH_LIBRARY: copy }, encoding: 'utf8' });
  assert.equal(shown.trim(), 'true 0');
});

test('cancel reaches the token with its reason; the first cancel wins; dispose releases', () => {
  const before = liveObjects();
  const source = new Source();
  const token = source.token();
  assert.equal(token.cancelled, false);
  assert.equal(token.mayCancel, true);
  assert.equal(source.cancel(300), true);
  assert.equal(source.cancel(), false);
  assert.equal(token.cancelled, true);
  assert.equal(token.reason, 300);
  token.dispose();
  source.dispose();
  source.dispose(); // idempotent
  assert.throws(() => token.cancelled, /after dispose/);
  assert.equal(liveObjects(), before);
});

test('Symbol.dispose releases (what `using` calls at the end of a block)', () => {
  const before = liveObjects();
  const source = new Source();
  const token = source.token();
  token[Symbol.dispose]();
  source[Symbol.dispose]();
  assert.equal(token.disposed && source.disposed, true);
  assert.equal(liveObjects(), before);
});

test('a token outlives its source and then never cancels', async () => {
  const source = new Source();
  const token = source.token();
  source.dispose();
  assert.equal(token.cancelled, false);
  assert.equal(token.mayCancel, false);
  assert.equal(await token.whenCancelled(), Reason.NONE);
  token.dispose();
});

test('throwIfCancelled throws the DOMException AbortSignal.throwIfAborted throws', () => {
  const source = own(new Source());
  const token = own(source.token());
  token.throwIfCancelled();
  source.cancel(Reason.TIMED_OUT);
  assert.throws(() => token.throwIfCancelled(), (error) =>
    error instanceof DOMException && error.name === 'TimeoutError' && error.reason === Reason.TIMED_OUT);
  const other = own(new Source());
  const otherToken = own(other.token());
  other.cancel(301);
  assert.throws(() => otherToken.throwIfCancelled(), (error) =>
    error instanceof DOMException && error.name === 'AbortError' && error.reason === 301);
});

test('deadlines: rounded up, 0 at once, Infinity never, negative refused', async () => {
  const source = own(new Source());
  const token = own(source.token());
  assert.throws(() => source.cancelAfter(-1), RangeError);
  assert.throws(() => source.cancelAfter(NaN), RangeError);
  assert.equal(source.cancelAfter(Infinity), true);
  assert.equal(source.cancelAfter(0.2), true); // re-armed: rounds up to 1 ms
  assert.equal(await token.whenCancelled(), Reason.TIMED_OUT);
  assert.equal(source.cancelAfter(10), false); // already cancelled
  const now = own(new Source());
  assert.equal(now.cancelAfter(0), true);
  assert.equal(now.cancelled, true);
});

test('a reason out of range is a RangeError that says the range', () => {
  const source = own(new Source());
  assert.throws(() => source.cancel(0), (error) =>
    error instanceof RangeError && /from 1 to 2147483647/.test(error.message));
  assert.throws(() => source.cancelAsync(-1), RangeError);
  assert.equal(new EnoughError(ErrorCode.BAD_ARGUMENT, 'x').code, 3); // the library's refusals
});

test('whenCancelled resolves for cancels made on other threads', async () => {
  const source = own(new Source());
  const token = own(source.token());
  const waiting = token.whenCancelled();
  source.cancelAsync(401); // callbacks on the library's thread; the word at once
  assert.equal(token.cancelled, true);
  assert.equal(await waiting, 401);
});

test('a busy loop on token.cancelled sees a cancel made on the library thread', () => {
  const source = own(new Source());
  const token = own(source.token());
  source.cancelAfter(100); // fires on the library's thread while this loop spins
  // Nothing but the getter in the loop, so the JIT optimizes it alone; if it ever
  // hoisted the load, this would spin until CTest's timeout fails the test.
  let spins = 0;
  while (!token.cancelled) {
    ++spins;
  }
  assert.equal(token.reason, Reason.TIMED_OUT);
  assert.ok(spins > 0);
});

test('many awaited tokens share one watcher and each resolves with its own reason', async () => {
  const sources = Array.from({ length: 50 }, () => new Source());
  const tokens = sources.map((s) => s.token());
  const waits = tokens.map((t) => t.whenCancelled());
  sources.forEach((s, i) => {
    if (i % 2 === 0) s.cancelAfter(5 + i);
    else setTimeout(() => s.cancel(1000 + i), 5);
  });
  const reasons = await Promise.all(waits);
  reasons.forEach((reason, i) => assert.equal(reason, i % 2 === 0 ? Reason.TIMED_OUT : 1000 + i));
  tokens.forEach((t) => t.dispose());
  sources.forEach((s) => s.dispose());
});

test('disposing an awaited token rejects its wait', async () => {
  const source = own(new Source());
  const token = source.token();
  const waiting = token.whenCancelled();
  token.dispose();
  await assert.rejects(waiting, /disposed while awaited/);
});

test('AbortSignal both ways', async () => {
  const controller = new AbortController();
  const fromSignal = own(Source.fromAbortSignal(controller.signal));
  const token = own(fromSignal.token());
  const signal = token.toAbortSignal();
  assert.equal(signal.aborted, false);
  controller.abort();
  assert.equal(token.reason, Reason.CANCELLED);
  assert.equal(signal.aborted, true); // in the same turn, as Node's own signals
  assert.equal(signal.reason.name, 'AbortError');
  assert.equal(signal.reason.reason, Reason.CANCELLED);

  const timed = own(Source.fromAbortSignal(AbortSignal.timeout(5)));
  const timedToken = own(timed.token());
  assert.equal(await timedToken.whenCancelled(), Reason.TIMED_OUT);
});

test('linked sources cancel with the parent reason, never upwards', () => {
  const a = own(new Source());
  const b = own(new Source());
  const ta = own(a.token());
  const tb = own(b.token());
  const child = own(Source.linked(ta, tb));
  const tc = own(child.token());
  b.cancel(444);
  assert.equal(tc.cancelled, true);
  assert.equal(tc.reason, 444);
  assert.equal(a.cancelled, false);
});

test('never, clone and fromHandle', () => {
  const never = own(Token.never());
  assert.equal(never.cancelled, false);
  assert.equal(never.mayCancel, false);
  const source = own(new Source());
  const token = own(source.token());
  const clone = own(token.clone());
  const adopted = own(Token.fromHandle(token.handle));
  source.cancel();
  assert.equal(clone.cancelled && adopted.cancelled, true);
});

test('the FinalizationRegistry releases what was never disposed', async () => {
  await settled();
  const before = liveObjects();
  (() => {
    const source = new Source();
    source.token();
  })();
  await settled();
  assert.equal(liveObjects(), before);
});

// ---- tokens across worker_threads ---------------------------------------------------

import { Worker } from 'node:worker_threads';

// A worker of the installed package: its script as an ES module, its result posted back.
function runWorker(source, workerData) {
  const worker = new Worker(source, { eval: true, workerData: { ...workerData, url: import.meta.url } });
  const messages = [];
  const done = new Promise((resolve, reject) => {
    worker.on('message', (message) => messages.push(message));
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve(messages) : reject(new Error(`worker exited ${code}`))));
  });
  return { worker, done, messages };
}

// The worker scripts import the package as the test does (from this project).
const preamble = `
const { workerData, parentPort } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { Reason, Source, Token, liveObjects } = createRequire(workerData.url)('enough-cancel');
`;

async function until(condition) {
  for (let i = 0; i < 4000 && !condition(); ++i) await sleep(5);
  assert.ok(condition());
}

test('a token crosses to a worker; native code there waits on it; the main thread cancels', async () => {
  const source = own(new Source());
  const token = own(source.token());
  const { done, messages } = runWorker(`${preamble}
    // Native code in the worker: the library's own wait, called through koffi on the
    // library the package carries, blocks this thread until the token cancels.
    const path = require('node:path');
    const load = createRequire(workerData.url);
    const library = load('koffi').load(path.join(path.dirname(load.resolve('enough-cancel')), 'prebuilds',
      process.platform + '-' + process.arch, workerData.libraryFile));
    const wait = library.func('bool enough_token_wait(void *token, int64_t ms)');
    const token = Token.fromTransferable(workerData.token);
    parentPort.postMessage('ready');
    const woke = wait(token.handle, 20000);
    parentPort.postMessage({ woke, cancelled: token.cancelled, reason: token.reason });
    token.dispose();
  `, { token: token.toTransferable(), libraryFile });
  await until(() => messages.includes('ready'));
  source.cancel(4242);
  const posted = await done;
  assert.deepEqual(posted.at(-1), { woke: true, cancelled: true, reason: 4242 });
});

test('an AbortSignal in a worker aborts when the main thread cancels', async () => {
  const source = own(new Source());
  const token = own(source.token());
  const { done, messages } = runWorker(`${preamble}
    const token = Token.fromTransferable(workerData.token);
    const signal = token.toAbortSignal();
    // As Node's own signals, ours keep no thread alive: the open port does, until the abort.
    parentPort.on('message', () => {});
    signal.addEventListener('abort', () => {
      parentPort.postMessage({ name: signal.reason.name, reason: signal.reason.reason });
      token.dispose();
      parentPort.close();
    });
    parentPort.postMessage('ready');
  `, { token: token.toTransferable() });
  await until(() => messages.includes('ready'));
  source.cancel(Reason.TIMED_OUT);
  const posted = await done;
  assert.deepEqual(posted.at(-1), { name: 'TimeoutError', reason: Reason.TIMED_OUT });
});

test('Source.fromAbortSignal in a worker cancels a token the main thread holds', async () => {
  const { worker, done, messages } = runWorker(`${preamble}
    const controller = new AbortController();
    const source = Source.fromAbortSignal(controller.signal);
    const token = source.token();
    parentPort.postMessage(token.toTransferable());
    token.dispose();
    parentPort.on('message', () => {
      controller.abort();
      source.dispose();
      parentPort.close();
    });
  `, {});
  await until(() => messages.length === 1);
  const token = own(Token.fromTransferable(messages[0]));
  assert.equal(token.cancelled, false);
  worker.postMessage('abort');
  assert.equal(await token.whenCancelled(), Reason.CANCELLED);
  await done;
});
