// What a token does never depends on when V8 collects, and no call made from
// JavaScript alone is misread: a wrong receiver, a parent that is no Token, a reason
// the ABI cannot carry each give JavaScript's own error. Run with --expose-gc.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { Reason, Source, Token } from 'enough-cancel';

// Drops what make() returns, and collects until V8 has finalised it (its
// FinalizationRegistry callback has run), so the test knows the collection happened.
async function collected(make) {
  let finalised = false;
  const registry = new FinalizationRegistry(() => { finalised = true; });
  (() => { registry.register(make(), null); })();
  for (let round = 0; round < 1000 && !finalised; ++round) {
    global.gc();
    await sleep(1);
  }
  assert.ok(finalised, 'V8 collected the dropped object');
}

test('a dropped Source with an armed deadline still fires once collected', async () => {
  let token;
  await collected(() => {
    const source = new Source();
    token = source.token();
    source.cancelAfter(50);
    return source;
  });
  assert.equal(token.mayCancel, true); // dispose() would have orphaned it
  assert.equal(await token.whenCancelled(), Reason.TIMED_OUT);
  token.dispose();
});

test('dispose() still disarms the deadline', async () => {
  const source = new Source();
  const token = source.token();
  source.cancelAfter(50);
  source.dispose();
  assert.equal(token.mayCancel, false);
  assert.equal(await token.whenCancelled(), Reason.NONE);
  token.dispose();
});

test('a dropped linked Source keeps following its parent while its token lives', async () => {
  const parent = new Source();
  let token;
  await collected(() => {
    const parentToken = parent.token();
    const child = Source.linked(parentToken);
    parentToken.dispose();
    token = child.token();
    return child;
  });
  assert.equal(token.mayCancel, true);
  parent.cancel(4242);
  assert.equal(token.reason, 4242);
  token.dispose();
  parent.dispose();
});

test('reasons the ABI cannot carry are RangeErrors, never "already cancelled"', () => {
  const source = new Source();
  for (const reason of [2 ** 31, Infinity, -1, 0, 1.5, NaN]) {
    assert.throws(() => source.cancel(reason), RangeError, String(reason));
    assert.throws(() => source.cancelAsync(reason), RangeError, String(reason));
  }
  for (const reason of ['3', null, 1n, {}]) {
    assert.throws(() => source.cancel(reason), TypeError, String(reason));
  }
  assert.equal(source.cancelled, false);
  assert.equal(source.cancel(2 ** 31 - 1), true); // the largest arrives whole
  assert.equal(source.reason, 2 ** 31 - 1);
  source.dispose();
});

test('parents that are not Tokens are TypeErrors', () => {
  const signal = new AbortController().signal;
  for (const parent of [signal, {}, 42, null, new Source()]) {
    assert.throws(() => Token.any([parent]), TypeError);
    assert.throws(() => Source.linked(parent), TypeError);
  }
});

test('methods called on anything but their own kind are TypeErrors', () => {
  assert.throws(() => Source.prototype.token.call(0), TypeError);
  assert.throws(() => Source.prototype.cancel.call('x'), TypeError);
  assert.throws(() => Source.prototype.cancel.call(Token.never()), TypeError);
  assert.throws(() => Token.prototype.clone.call({}), TypeError);
  assert.throws(() => Token.prototype.toTransferable.call(new Source()), TypeError);
  assert.throws(() => Object.getOwnPropertyDescriptor(Token.prototype, 'reason').get.call(1), TypeError);
});

test('a caller never hands the Source constructor a handle', () => {
  const source = new Source(0x1234); // ignored: a new source
  const token = source.token();
  assert.equal(source.cancel(7), true);
  assert.equal(token.reason, 7);
  token.dispose();
  source.dispose();
});

test('a reason survives AbortSignal both ways', async () => {
  const source = new Source();
  const token = source.token();
  source.cancel(300);
  const back = Source.fromAbortSignal(token.toAbortSignal());
  assert.equal(back.reason, 300);
  back.dispose();

  const later = new Source();
  const laterToken = later.token();
  const signal = laterToken.toAbortSignal();
  const again = Source.fromAbortSignal(signal);
  later.cancel(301);
  await new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', resolve)));
  assert.equal(again.reason, 301);
  for (const handle of [again, laterToken, later, token, source]) handle.dispose();
});

test('a transfer message is taken once; a forged one is a TypeError, never a handle', () => {
  const source = new Source();
  const token = source.token();
  const message = token.toTransferable();
  const taken = Token.fromTransferable(structuredClone(message));
  assert.throws(() => Token.fromTransferable(message), TypeError); // taken already
  source.cancel(9);
  assert.equal(taken.reason, 9);
  for (const forged of [{ enoughToken: 0x1234n }, { enoughToken: { place: 0, nonce: 1n } },
    { enoughToken: { place: -1, nonce: 5n } }, { enoughToken: { place: 1e9, nonce: 5n } }, {}, null, 42]) {
    assert.throws(() => Token.fromTransferable(forged), TypeError);
  }
  for (const handle of [taken, token, source]) handle.dispose();
});
