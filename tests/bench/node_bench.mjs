// Node figures, ours beside Node's own, printed as one JSON object. Run by scripts/bench
// from a project that installed the packed enough-cancel.
// - token.cancelled (a typed-array read of the state word) against AbortSignal.aborted,
//   interleaved, median of rounds;
// - when an awaited token learns of a cancel: one made on this thread (does the abort
//   listener run before cancel() returns, as AbortController.abort()'s does?), one made
//   on another thread (a Worker cancels a Source; Node's way: the Worker posts a message
//   and this thread aborts an AbortController), one made by a deadline (cancelAfter
//   beside AbortSignal.timeout: how late the listener runs); trials interleaved, medians;
// - what one more awaited token costs with 10 and with 100,000 pending.
// This file is also the Worker's script.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Source, Token } from 'enough-cancel';

const now = () => process.hrtime.bigint(); // one monotonic clock for every thread
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

if (!isMainThread) {
  // The other thread: told what to cancel, it waits for `go`, lets the main thread go
  // idle (1 ms), notes the time in `sent`, and cancels.
  const go = new Int32Array(workerData.go);
  const sent = new BigInt64Array(workerData.sent);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const whenTold = () => {
    Atomics.wait(go, 0, 0);
    Atomics.store(go, 0, 0);
    Atomics.wait(pause, 0, 0, 1);
    Atomics.store(sent, 0, now());
  };
  parentPort.on('message', (what) => {
    if (what === 'ours') {
      const source = new Source();
      const token = source.token();
      parentPort.postMessage(token.toTransferable());
      token.dispose();
      whenTold();
      source.cancel();
      source.dispose();
    } else if (what === 'peer') {
      whenTold();
      parentPort.postMessage('abort');
    } else {
      process.exit(0);
    }
  });
} else {
  const CHECKS = 20_000_000;
  const ROUNDS = 7;
  const TRIALS = 101;

  function perCheckNs(check) {
    let seen = 0;
    const start = now();
    for (let i = 0; i < CHECKS; ++i) if (check()) ++seen;
    const ns = Number(now() - start) / CHECKS;
    if (seen !== 0) throw new Error('nothing was cancelled');
    return ns;
  }

  const source = new Source();
  const token = source.token();
  const signal = new AbortController().signal;
  const oursCheck = [];
  const peerCheck = [];
  for (let round = 0; round < ROUNDS; ++round) {
    oursCheck.push(perCheckNs(() => token.cancelled));
    peerCheck.push(perCheckNs(() => signal.aborted));
  }

  // A cancel on this thread: the listener has run when cancel() / abort() returns.
  const sameTurn = (() => {
    const s = new Source();
    let ours = false;
    s.token().toAbortSignal().addEventListener('abort', () => { ours = true; });
    s.cancel();
    s.dispose();
    const controller = new AbortController();
    let peer = false;
    controller.signal.addEventListener('abort', () => { peer = true; });
    controller.abort();
    return { ours, peer };
  })();

  // A cancel on another thread.
  const go = new Int32Array(new SharedArrayBuffer(4));
  const sent = new BigInt64Array(new SharedArrayBuffer(8));
  const worker = new Worker(new URL(import.meta.url), { workerData: { go: go.buffer, sent: sent.buffer } });
  let onMessage = null;
  worker.on('message', (message) => onMessage(message));
  const start = () => { Atomics.store(go, 0, 1); Atomics.notify(go, 0); };
  const heard = (signal) => new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(Number(now() - Atomics.load(sent, 0)) / 1e3), { once: true }));
  const oursThread = async () => {
    const message = await new Promise((resolve) => { onMessage = resolve; worker.postMessage('ours'); });
    const awaited = Token.fromTransferable(message);
    const latency = heard(awaited.toAbortSignal());
    start();
    const us = await latency;
    awaited.dispose();
    return us;
  };
  const peerThread = async () => {
    const controller = new AbortController();
    const latency = heard(controller.signal);
    onMessage = () => controller.abort();
    worker.postMessage('peer');
    start();
    return latency;
  };

  // A deadline: how late the listener runs after it is due.
  const DEADLINE_MS = 2;
  const late = (signal, armed) => new Promise((resolve) => signal.addEventListener('abort',
    () => resolve(Number(now() - armed) / 1e3 - DEADLINE_MS * 1e3), { once: true }));
  const oursDeadline = async () => {
    const s = new Source();
    const lateness = late(s.token().toAbortSignal(), now());
    s.cancelAfter(DEADLINE_MS);
    const us = await lateness;
    s.dispose();
    return us;
  };
  const peerDeadline = () => late(AbortSignal.timeout(DEADLINE_MS), now());

  const threadOurs = [], threadPeer = [], deadlineOurs = [], deadlinePeer = [];
  for (let trial = 0; trial < TRIALS; ++trial) {
    threadOurs.push(await oursThread());
    threadPeer.push(await peerThread());
    deadlineOurs.push(await oursDeadline());
    deadlinePeer.push(await peerDeadline());
  }
  worker.postMessage('end');

  // One more awaited token, with 10 and with 100,000 pending: ns per add.
  const addNs = (pending) => {
    const s = new Source();
    const t = s.token();
    const waits = [];
    for (let i = 0; i < pending; ++i) waits.push(t.whenCancelled());
    const ADDS = 1000;
    const begin = now();
    for (let i = 0; i < ADDS; ++i) waits.push(t.whenCancelled());
    const ns = Number(now() - begin) / ADDS;
    s.cancel();
    t.dispose();
    s.dispose();
    return Promise.all(waits).then(() => ns);
  };
  const adds10 = [], adds100k = [];
  for (let round = 0; round < 3; ++round) {
    adds10.push(await addNs(10));
    adds100k.push(await addNs(100_000));
  }

  token.dispose();
  source.dispose();
  console.log(JSON.stringify({
    node_cancelled_ns: median(oursCheck),
    node_aborted_ns: median(peerCheck),
    node_same_turn: sameTurn.ours,
    node_same_turn_abortcontroller: sameTurn.peer,
    node_thread_us_p50: median(threadOurs),
    node_thread_postmessage_us_p50: median(threadPeer),
    node_deadline_late_us_p50: median(deadlineOurs),
    node_deadline_timeout_late_us_p50: median(deadlinePeer),
    node_add_ns_10_pending: median(adds10),
    node_add_ns_100k_pending: median(adds100k),
    trials: TRIALS,
  }, null, 2));
}
