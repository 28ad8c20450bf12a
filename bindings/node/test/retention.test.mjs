// What a forgotten signal or source costs, as Node's own AbortSignal.any() would: a
// toAbortSignal() nobody references or listens to any more, and a fromAbortSignal()
// Source dropped undisposed, are collected with what they held in the library, however
// long their token or signal lives; neither ever keeps a process alive. A pending
// whenCancelled() promise does (as a timer's promise). Run with --expose-gc.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { Reason, Source, liveObjects } from 'enough-cancel';

const fixture = fileURLToPath(new URL('./fixtures/keeps-alive.cjs', import.meta.url));
const noChildren = process.env.ENOUGH_TEST_NO_CHILDREN; // qemu-user here: says why
const forgotten = 2000;

// Collects until `done()` holds (V8 runs finalizers after a collection, on a later turn).
async function collectUntil(done = () => false, rounds = 2000) {
  for (let round = 0; round < rounds && !done(); ++round) {
    global.gc();
    await sleep(1);
  }
  return done();
}

test('forgotten toAbortSignal()s of a long-lived token are collected with their watches', async () => {
  const source = new Source();
  const token = source.token();
  const before = liveObjects();
  for (let i = 0; i < forgotten; ++i) token.toAbortSignal();
  assert.equal(liveObjects(), before + forgotten); // a watch's registration each
  assert.ok(await collectUntil(() => liveObjects() === before), `${liveObjects() - before} left`);
  token.dispose();
  source.dispose();
});

test('a forgotten signal that is listened to stays, and aborts; unlistened, it goes', async () => {
  const source = new Source();
  const token = source.token();
  const before = liveObjects();
  let fired = 0;
  const listener = () => { ++fired; };
  const listened = new WeakRef((() => {
    const signal = token.toAbortSignal();
    signal.addEventListener('abort', listener);
    return signal;
  })());
  await collectUntil(undefined, 50); // V8's chances to drop it
  assert.ok(listened.deref() !== undefined, 'the listened-to signal is kept');
  source.cancel(333);
  assert.equal(fired, 1);
  assert.equal(listened.deref()?.reason.reason, 333);

  const other = new Source();
  const otherToken = other.token();
  const base = liveObjects();
  (() => {
    const signal = otherToken.toAbortSignal();
    signal.addEventListener('abort', listener);
    signal.removeEventListener('abort', listener);
    signal.onabort = listener;
    signal.onabort = null;
  })();
  assert.ok(await collectUntil(() => liveObjects() === base), 'a signal without listeners goes');
  for (const each of [token, source, otherToken, other]) each.dispose();
});

test('forgotten fromAbortSignal() Sources of a long-lived signal go; a kept token still follows', async () => {
  const controller = new AbortController();
  const warnings = [];
  const onWarning = (warning) => warnings.push(warning.name);
  process.on('warning', onWarning);
  await collectUntil(undefined, 20); // what earlier tests dropped goes first
  const before = liveObjects();
  const kept = Source.fromAbortSignal(controller.signal).token(); // its Source forgotten too
  for (let i = 0; i < forgotten; ++i) Source.fromAbortSignal(controller.signal);
  assert.ok(await collectUntil(() => liveObjects() <= before + 3),
    `${liveObjects() - before} left (the signal's hidden source and the kept token's)`);
  controller.abort();
  assert.equal(kept.cancelled, true);
  assert.equal(kept.reason, Reason.CANCELLED);
  kept.dispose();
  assert.ok(await collectUntil(() => liveObjects() === before), `${liveObjects() - before} left`);
  process.off('warning', onWarning);
  assert.deepEqual(warnings, []); // one listener on the signal, whatever the count
});

test("a signal's reason survives the round trip through fromAbortSignal()", () => {
  const source = new Source();
  const token = source.token();
  const back = Source.fromAbortSignal(token.toAbortSignal());
  const backToken = back.token();
  source.cancel(300);
  assert.equal(backToken.reason, 300); // in the same turn
  for (const each of [backToken, back, token, source]) each.dispose();
});

// Runs the fixture; resolves with its output once it exits by itself, or once it has
// printed `made` and is still running `aliveFor` ms later (then killed: 'running').
function run(how, aliveFor) {
  const child = spawn(process.execPath, [fixture, how]);
  let output = '';
  child.stdout.on('data', (data) => { output += data; });
  child.stderr.on('data', (data) => { output += data; });
  return new Promise((resolve) => {
    const killer = setTimeout(() => { child.kill(); resolve({ output, status: 'killed at 60 s' }); }, 60000);
    child.on('exit', (code) => { clearTimeout(killer); resolve({ output, status: code }); });
    if (aliveFor !== undefined) {
      const check = setInterval(() => {
        if (!output.includes('made')) return;
        clearInterval(check);
        setTimeout(() => { if (child.exitCode === null) { child.kill(); resolve({ output, status: 'running' }); } }, aliveFor);
      }, 5);
    }
  });
}

test('a forgotten signal never keeps the process alive', { skip: noChildren }, async () => {
  const { output, status } = await run('signal');
  assert.equal(status, 0, output);
  assert.equal(output, 'made\n');
});

test('a pending whenCancelled() keeps the process alive until it settles', { skip: noChildren }, async () => {
  const settled = await run('promise');
  assert.equal(settled.status, 0, settled.output);
  assert.equal(settled.output, `made\nsettled ${Reason.TIMED_OUT}\n`);
  const pending = await run('pending', 300);
  assert.equal(pending.status, 'running', pending.output); // still waiting when killed
});
