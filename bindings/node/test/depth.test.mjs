// Depth and Token.any (issue 24): a chain of a million linked sources and one of a
// million linked tokens cancel in one call and are disposed with nothing left alive;
// a hundred thousand children of one parent cancel in one call; fan-in orphaning.
// The cancels run on the main thread: Node gives JavaScript no way to choose a
// thread's stack size (the library's loop on a 128 KiB stack is tested by the C++,
// Rust, Python and C# suites).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Reason, Source, Token, liveObjects } from 'enough-cancel';

// Under Wine and qemu-user test-installed.sh sets a shallower chain, and says so.
const CHAIN = Number(process.env.ENOUGH_TEST_CHAIN ?? 1_000_000);
const CHILDREN = 100_000;

function cancelAChain(linkedSources) {
  const before = liveObjects();
  const root = new Source();
  const sources = []; // a linked source follows while it lives: kept
  let token = root.token();
  for (let i = 0; i < CHAIN; ++i) {
    let child;
    if (linkedSources) {
      sources.push(Source.linked(token));
      child = sources.at(-1).token();
    } else {
      child = Token.any([token]); // keeps its parent: nothing else to keep
    }
    token.dispose();
    token = child;
  }
  assert.equal(token.mayCancel, true);
  assert.equal(root.cancel(4242), true);
  assert.equal(token.reason, 4242); // a million links down, before cancel returned
  token.dispose();
  for (const source of sources) source.dispose();
  root.dispose();
  assert.equal(liveObjects(), before);
}

test(`a chain of ${CHAIN} linked sources cancels in one call`, () => cancelAChain(true));
test(`a chain of ${CHAIN} linked tokens (Token.any) cancels in one call`, () => cancelAChain(false));

test(`${CHILDREN} children of one parent cancel in one call`, () => {
  const before = liveObjects();
  const parent = new Source();
  const token = parent.token();
  const children = Array.from({ length: CHILDREN }, () => Token.any([token]));
  parent.cancel(7);
  assert.equal(children.every((child) => child.reason === 7), true);
  for (const child of children) child.dispose();
  token.dispose();
  parent.dispose();
  assert.equal(liveObjects(), before);
});

test('Token.any: the first parent wins; fan-in orphaning; like AbortSignal.any', async () => {
  const a = new Source();
  const b = new Source();
  const [ta, tb] = [a.token(), b.token()];
  const any = Token.any(new Set([ta, tb])); // any iterable, as AbortSignal.any takes
  const orphaned = Token.any([ta, tb]);
  const waiting = orphaned.whenCancelled();
  ta.dispose();
  tb.dispose(); // the linked tokens need no parent handle kept
  b.cancel(Reason.TIMED_OUT);
  a.cancel(9);
  assert.equal(any.reason, Reason.TIMED_OUT);
  assert.equal(any.toAbortSignal().reason.name, 'TimeoutError'); // as AbortSignal.any's
  // `orphaned` was cancelled too; a fresh fan-in shows the orphaning.
  assert.equal(await waiting, Reason.TIMED_OUT);
  const c = new Source();
  const d = new Source();
  const fanIn = Token.any([c.token(), d.token()]);
  const resolution = fanIn.whenCancelled();
  c.dispose();
  assert.equal(fanIn.mayCancel, true); // d still may cancel
  d.dispose();
  assert.equal(fanIn.mayCancel, false);
  assert.equal(await resolution, Reason.NONE); // can never cancel now
  for (const each of [any, orphaned, fanIn]) each.dispose();
  a.dispose();
  b.dispose();
});
