'use strict';
// The watcher's thread (index.js): blocks in enough_watch_list_take, without taking,
// until a token that JavaScript awaits cancels or can never cancel, then tells the
// thread that made the list, which takes the events itself, and waits until it has.
// So the events are only ever taken by that thread: a cancel it makes itself is
// delivered before its cancel() returns, never raced here to a later turn. This thread
// runs no user code and holds no object of theirs. It ends when the owner sets `stop`
// and wakes both the list and `told` (at its 'exit').
const { parentPort, workerData } = require('node:worker_threads');
const koffi = require('koffi');

const lib = koffi.load(workerData.library);
const take = lib.func('size_t enough_watch_list_take(void *list, void *events, size_t capacity, int64_t timeout_ms)');
const list = koffi.decode(new BigUint64Array([workerData.list]), 'void *');
const stop = new Int32Array(workerData.stop);  // 1: end
const told = new Int32Array(workerData.told);  // 1: told, until the owner has taken

while (Atomics.load(stop, 0) === 0) {
  const queued = Number(take(list, null, 0, -1)); // no limit: an event or a wake ends it
  if (queued > 0 && Atomics.load(stop, 0) === 0) {
    Atomics.store(told, 0, 1);
    parentPort.postMessage(null);
    Atomics.wait(told, 0, 1);
  }
}
