'use strict';
// enough-cancel: cooperative cancellation for native code, over enough's flat C API
// (carried in prebuilds/<platform>-<arch>[-musl]/: libenough.so, libenough.dylib on macOS,
// enough.dll on Windows)
// with koffi.
//
// Ownership: every Source and Token owns one library reference. dispose() (or `using`)
// releases it now; a FinalizationRegistry releases it if the object is collected
// without dispose() (a safety net: collection time is up to V8). A collected Source is
// abandoned, not destroyed (enough_cancellation_abandon): its armed deadline still
// fires and a linked Source still follows while a token of it lives, so what a token
// does never depends on when V8 collects.
//
// Threads: JavaScript runs on the main thread only, and the library never calls into
// JavaScript: we register no JS callback with it (koffi would block the cancelling
// thread until the event loop ran it, and a main thread unregistering at that moment
// would deadlock). Promises and signals learn of cancellations through the watcher
// below: a watch list whose descriptor this thread's loop polls (one thread of its own
// that tells this one when to take, on Windows). The event loop is never blocked, and
// the libuv pool gives up no thread.
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { randomFillSync } = require('node:crypto');
const { Worker, getEnvironmentData, setEnvironmentData } = require('node:worker_threads');
const koffi = require('koffi');

// The library's file name on each system the package carries a build for.
const LIBRARY_FILE = { win32: 'enough.dll', darwin: 'libenough.dylib' }[process.platform] ?? 'libenough.so';

// The prebuilds folder for this process: platform-arch, and -musl on a Linux without
// glibc (Alpine): glibc's processes report its version, musl's do not.
function prebuildTarget() {
  const target = `${process.platform}-${process.arch}`;
  if (process.platform !== 'linux') return target;
  return process.report.getReport().header.glibcVersionRuntime ? target : `${target}-musl`;
}

function libraryPath() {
  if (process.env.ENOUGH_LIBRARY) return process.env.ENOUGH_LIBRARY;
  const target = prebuildTarget();
  const file = path.join(__dirname, 'prebuilds', target, LIBRARY_FILE);
  if (!fs.existsSync(file)) {
    throw new Error(`enough-cancel carries no library for ${target} ` +
      `(it has: ${fs.readdirSync(path.join(__dirname, 'prebuilds')).join(', ')}); ` +
      'build enough and set ENOUGH_LIBRARY to its path');
  }
  return file;
}

// The file named in the error: the loader's own message may name only a dependency.
const lib = (() => {
  const file = libraryPath();
  try {
    return koffi.load(file);
  } catch (error) {
    throw new Error(`enough-cancel: cannot load ${file}: ${error.message}`, { cause: error });
  }
})();

const api = {
  create: lib.func('void *enough_cancellation_create(void)'),
  createLinked: lib.func('void *enough_cancellation_create_linked(void **tokens, size_t count)'),
  cancel: lib.func('bool enough_cancellation_cancel_with_reason(void *source, int32_t reason)'),
  cancelAsync: lib.func('bool enough_cancellation_cancel_async(void *source, int32_t reason)'),
  cancelAfter: lib.func('bool enough_cancellation_cancel_after(void *source, uint64_t ms)'),
  sourceReason: lib.func('int32_t enough_cancellation_reason(void *source)'),
  destroySource: lib.func('void enough_cancellation_destroy(void *source)'),
  abandonSource: lib.func('void enough_cancellation_abandon(void *source)'),
  tokenCreate: lib.func('void *enough_token_create(void *source)'),
  tokenNever: lib.func('void *enough_token_create_never(void)'),
  tokenClone: lib.func('void *enough_token_clone(void *token)'),
  tokenCreateLinked: lib.func('void *enough_token_create_linked(void **tokens, size_t count)'),
  tokenCancelled: lib.func('bool enough_token_is_cancelled(void *token)'),
  tokenMayCancel: lib.func('bool enough_token_may_cancel(void *token)'),
  tokenReason: lib.func('int32_t enough_token_reason(void *token)'),
  tokenStateWord: lib.func('const void *enough_token_state_word(void *token)'),
  watchListCreate: lib.func('void *enough_watch_list_create(void)'),
  watchListAdd: lib.func('void *enough_watch_list_add(void *list, void *token, uint64_t key)'),
  watchDestroy: lib.func('void enough_watch_destroy(void *watch)'),
  watchListTake: lib.func('size_t enough_watch_list_take(void *list, void *events, size_t capacity, int64_t timeout_ms)'),
  watchListWake: lib.func('void enough_watch_list_wake(void *list)'),
  watchListFd: lib.func('int enough_watch_list_fd(void *list)'),
  destroyToken: lib.func('void enough_token_destroy(void *token)'),
  lastError: lib.func('const char *enough_last_error(void)'),
  lastErrorCode: lib.func('int32_t enough_last_error_code(void)'),
  liveObjects: lib.func('size_t enough_live_objects(void)'),
  version: lib.func('const char *enough_version_string(void)'),
};

/** Why a token was cancelled. Codes from 256 up belong to applications. */
const Reason = Object.freeze({ NONE: 0, CANCELLED: 1, TIMED_OUT: 2, FIRST_APPLICATION: 256 });

/** A call the library refused; `code` is an ENOUGH_ERROR_* of <enough/error.h>. */
class EnoughError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'EnoughError';
    this.code = code;
  }
}
const ErrorCode = Object.freeze({
  NONE: 0, NULL_HANDLE: 1, WRONG_KIND: 2, BAD_ARGUMENT: 3, OUT_OF_MEMORY: 4,
  UNSUPPORTED: 5, ALREADY_CANCELLED: 6, SYSTEM: 7, FOREIGN_FAILURE: 8, NOT_EXPORTED: 9,
});
function lastError() {
  return new EnoughError(api.lastErrorCode(), api.lastError() ?? 'refused');
}

/** Objects the library has created and not freed yet (for leak checks). */
const liveObjects = () => Number(api.liveObjects());
const version = () => api.version();

// Milliseconds from a caller's number: rounded up, never negative, NaN refused,
// Infinity and huge values saturated (the library clamps to about 31 years).
function milliseconds(ms) {
  if (Number.isNaN(ms)) throw new RangeError('enough: a time cannot be NaN');
  if (ms >= Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
  return Math.max(0, Math.ceil(ms));
}

// The error a cancelled token throws and aborts signals with: a DOMException, as
// AbortSignal.throwIfAborted() throws, named TimeoutError for a deadline.
function cancellationError(reason, { stack = true } = {}) {
  const timedOut = reason === Reason.TIMED_OUT;
  const limit = Error.stackTraceLimit;
  if (!stack) Error.stackTraceLimit = 0;
  const error = new DOMException(timedOut ? 'The operation timed out.' : 'The operation was aborted.',
    timedOut ? 'TimeoutError' : 'AbortError');
  Error.stackTraceLimit = limit;
  Object.defineProperty(error, 'reason', { value: reason, enumerable: true });
  return error;
}

// The largest reason the ABI carries (an int32_t above 0).
const REASON_MAX = 2 ** 31 - 1;

// A reason the ABI can carry, or a RangeError (TypeError for what is no number): never
// read as "already cancelled", never rounded.
function reasonArgument(reason) {
  if (typeof reason !== 'number') {
    throw new TypeError(`enough: a reason must be a number, not ${typeof reason}`);
  }
  if (!Number.isInteger(reason) || reason < 1 || reason > REASON_MAX) {
    throw new RangeError(`enough: a reason must be an integer from 1 to ${REASON_MAX}, not ${reason}`);
  }
  return reason;
}

// The safety net: releases a handle whose owner was collected without dispose().
const finalizer = new FinalizationRegistry(({ handle, collected }) => collected(handle));

class Handle {
  #handle;
  #destroy;

  // `collected` releases the handle when V8 collects its owner undisposed.
  constructor(handle, destroy, collected = destroy) {
    if (!handle) throw lastError();
    this.#handle = handle;
    this.#destroy = destroy;
    finalizer.register(this, { handle, collected }, this);
  }

  /** The raw handle (the C API's void*) of `object`, which must be a `type` (a
   *  TypeError otherwise: a method called on anything else, a parent that is no
   *  Token); an Error once disposed. */
  static of(object, type) {
    if (!(object instanceof type) || !(#handle in object)) {
      throw new TypeError(`enough: expected a ${type.name}, got ${describe(object)}`);
    }
    if (object.#handle === null) throw new Error(`enough: ${type.name} used after dispose()`);
    return object.#handle;
  }

  /** The raw handle (the C API's void*) to pass to native code; borrowed while not disposed. */
  get handle() { return Handle.of(this, Handle); }

  get disposed() { return this.#handle === null; } // a TypeError for a wrong receiver

  /** Releases the library reference now. Idempotent. */
  dispose() {
    if (this.#handle === null) return; // reading it is a TypeError for a wrong receiver
    finalizer.unregister(this);
    const handle = this.#handle;
    this.#handle = null;
    this.#destroy(handle);
  }

  [Symbol.dispose]() { this.dispose(); }
}

function describe(value) {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'an object';
}

// The reason an AbortSignal's abort reason stands for: ours (a cancellationError carries
// it), TIMED_OUT for any TimeoutError, CANCELLED for anything else.
function reasonOfAbort(abortReason) {
  const carried = abortReason?.reason;
  if (abortReason instanceof DOMException && Number.isInteger(carried) && carried >= 1 && carried <= REASON_MAX) {
    return carried;
  }
  return abortReason?.name === 'TimeoutError' ? Reason.TIMED_OUT : Reason.CANCELLED;
}

// ---- transfers: references in flight between threads ---------------------------------
//
// A message names a place and a random nonce, never an address: the address is kept
// here, in one SharedArrayBuffer that every thread this one spawns shares (worker_threads'
// environment data), and taken out once. A message taken twice, forged or from another
// process finds nothing to take: a TypeError, never a handle. Each place is two words,
// [nonce (FREE, CLAIMED while written or taken, or the message's), address].
const transfers = {
  places: 4096,
  words: (() => {
    const key = 'enough-cancel/transfers';
    let buffer = getEnvironmentData(key);
    if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength !== 4096 * 16) {
      buffer = new SharedArrayBuffer(4096 * 16);
      setEnvironmentData(key, buffer); // for the workers spawned from here on
    }
    return new BigInt64Array(buffer);
  })(),
  FREE: 0n,
  CLAIMED: -1n,
  next: 0,

  // Keeps the reference makeReference() gives in a free place; { place, nonce }.
  put(makeReference) {
    for (let i = 0; i < this.places; ++i) {
      const place = (this.next + i) % this.places;
      if (Atomics.compareExchange(this.words, 2 * place, this.FREE, this.CLAIMED) !== this.FREE) continue;
      this.next = place + 1;
      const nonce = BigInt.asUintN(63, randomFillSync(new BigUint64Array(1))[0]) || 1n;
      const reference = makeReference();
      Atomics.store(this.words, 2 * place + 1, BigInt.asIntN(64, koffi.address(reference)));
      Atomics.store(this.words, 2 * place, nonce);
      return { place, nonce };
    }
    throw new RangeError('enough: 4096 transfers are in flight (messages never taken)');
  },

  // The reference a put() kept for `ticket`, taken out: once.
  take(ticket) {
    const { place, nonce } = ticket ?? {};
    if (!Number.isInteger(place) || place < 0 || place >= this.places || typeof nonce !== 'bigint' || nonce <= 0n ||
        Atomics.compareExchange(this.words, 2 * place, nonce, this.CLAIMED) !== nonce) {
      throw new TypeError('enough: not a message of Token.toTransferable(), or one taken already');
    }
    const address = BigInt.asUintN(64, Atomics.exchange(this.words, 2 * place + 1, 0n));
    Atomics.store(this.words, 2 * place, this.FREE);
    return koffi.decode(new BigUint64Array([address]), 'void *'); // the address as a pointer again
  },
};

// ---- the watcher: awaited tokens, learnt of on one thread of its own ----------------
//
// Every token that JavaScript awaits (whenCancelled, toAbortSignal) is one watch on one
// watch list (enough_watch_list_*): adding and removing one costs the same whether 10
// or 100,000 are pending. This thread takes the events, when the list's descriptor (a
// pipe, opened as a stream on this thread's loop: enough_watch_list_fd) becomes
// readable: a cancel on another thread or by a deadline reaches it in one wake of the
// loop. On Windows, whose loops wait on handles, a thread of the watcher's own
// (watcher-thread.js, a Worker started at the first wait) blocks until events are
// queued and tells this thread to take them. A cancel made by this thread
// (Source.cancel, an AbortSignal followed by fromAbortSignal) is delivered before it
// returns, as Node's own. The watcher keeps the process alive only while a
// whenCancelled() promise is pending: an AbortSignal never does, as Node's own never do.

const EVENT_SIZE = 16; // enough_watch_event: uint64_t key, int32_t reason, padding

const watcher = {
  list: null,         // the watch list, made at the first wait (and kept for good)
  wakes: null,        // what wakes this thread: the list's descriptor as a stream, or the Worker
  waits: new Map(),   // key -> { watch, deliver(reason), drop(), holds, keys }
  next: 1,            // the next key
  holding: 0,         // waits that keep the process alive (whenCancelled promises)
  byOwner: new WeakMap(), // Token -> Set of its waits' keys, for dispose()
  buffer: new Uint8Array(EVENT_SIZE * 64), // what drain() takes into

  start() {
    this.list = api.watchListCreate();
    if (!this.list) throw lastError();
    const fd = process.platform === 'win32' ? -1 : api.watchListFd(this.list);
    if (fd >= 0) {
      // onread: each read goes straight to drain(), past the stream's buffering and
      // 'data' events (what it read only woke us: the bytes are thrown away).
      this.wakes = new net.Socket({
        fd, readable: true, writable: false,
        onread: { buffer: Buffer.alloc(64), callback: () => { this.drain(); } },
      });
      this.wakes.on('error', (error) => process.emitWarning(
        `enough: the watch list's descriptor failed; awaited tokens will not settle: ${error}`, 'EnoughWarning'));
      this.wakes.unref();
      return;
    }
    this.startThread();
  },

  // Windows: a thread of the watcher's own waits in the list's take.
  startThread() {
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const told = new Int32Array(new SharedArrayBuffer(4));
    this.wakes = new Worker(path.join(__dirname, 'watcher-thread.js'), {
      workerData: { library: libraryPath(), list: BigInt(koffi.address(this.list)), stop: stop.buffer, told: told.buffer },
    });
    this.wakes.on('message', () => {
      this.drain();
      Atomics.store(told, 0, 0);
      Atomics.notify(told, 0);
    });
    this.wakes.on('error', (error) => process.emitWarning(
      `enough: the watcher's thread failed; awaited tokens will not settle: ${error}`, 'EnoughWarning'));
    this.wakes.unref();
    // The thread must leave its blocking take for this thread to exit.
    process.on('exit', () => {
      Atomics.store(stop, 0, 1);
      api.watchListWake(this.list);
      Atomics.store(told, 0, 0);
      Atomics.notify(told, 0);
    });
  },

  // Watches `handle` (a token) for `wait`; its deliver(reason) runs once the token
  // cancels, or can never cancel (Reason.NONE). The key, to forget() the wait by.
  add(handle, owner, wait) {
    if (this.list === null) this.start();
    const key = this.next++;
    wait.watch = api.watchListAdd(this.list, handle, key);
    if (!wait.watch) throw lastError();
    let keys = this.byOwner.get(owner);
    if (keys === undefined) this.byOwner.set(owner, keys = new Set());
    keys.add(key);
    wait.keys = keys;
    this.waits.set(key, wait);
    if (wait.holds && this.holding++ === 0) this.wakes.ref();
    return key;
  },

  // Ends the wait of `key` without delivering (its signal was collected).
  forget(key) {
    const wait = this.waits.get(key);
    if (wait !== undefined) this.remove(key, wait);
  },

  remove(key, wait) {
    this.unlist(key, wait);
    api.watchDestroy(wait.watch);
  },

  // Forgets the wait (the library's watch stays until destroyed).
  unlist(key, wait) {
    this.waits.delete(key);
    wait.keys.delete(key);
    if (wait.holds && --this.holding === 0) this.wakes.unref();
  },

  // Delivers `count` events from `events` (enough_watch_event records). Each wait is
  // unlisted first (what its listeners do to the token no longer reaches it), and its
  // watch destroyed after its listeners ran: they learn of the cancel a call sooner.
  deliver(events, count) {
    const view = new DataView(events.buffer, events.byteOffset, events.byteLength);
    for (let i = 0; i < count; ++i) {
      const key = Number(view.getBigUint64(i * EVENT_SIZE, true));
      const wait = this.waits.get(key);
      if (wait === undefined) continue; // forgotten or dropped meanwhile
      this.unlist(key, wait);
      try {
        wait.deliver(view.getInt32(i * EVENT_SIZE + 8, true));
      } finally {
        api.watchDestroy(wait.watch);
      }
    }
  },

  // Delivers what is queued now: after a cancel on this thread, and after an add (a
  // token cancelled already, or one that never can, is queued at once).
  drain() {
    if (this.list === null) return;
    const capacity = this.buffer.length / EVENT_SIZE;
    for (let count; (count = Number(api.watchListTake(this.list, this.buffer, capacity, 0))) > 0;) {
      this.deliver(this.buffer, count);
    }
  },

  // Stops the waits on `owner`'s tokens (it is being disposed).
  drop(owner) {
    const keys = this.byOwner.get(owner);
    if (keys === undefined) return;
    for (const key of [...keys]) {
      const wait = this.waits.get(key);
      this.remove(key, wait);
      wait.drop();
    }
  },
};

// The AbortController of each signal toAbortSignal() made, kept for as long as the signal.
const controllers = new WeakMap();
// Collected AbortSignals of toAbortSignal(): their waits go.
const signalFinalizer = new FinalizationRegistry((key) => watcher.forget(key));
const onabortProperty = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'onabort');

// The watcher's wait for a toAbortSignal() signal. Made here, apart from the signal's
// scope: what the watcher holds must reference the signal weakly (a closure made beside
// one that captures the signal would share its scope, and hold it).
function signalWait(weakSignal) {
  const wait = {
    holds: false,
    held: null, // the signal, while something listens to it (whileListened)
    deliver(reason) {
      signalFinalizer.unregister(wait);
      const signal = weakSignal.deref();
      // No stack: it would show only the watcher (capturing one cost 10-20 us of the
      // 60-90 from a cancel on another thread to the listeners, measured).
      if (signal !== undefined && reason !== Reason.NONE) {
        controllers.get(signal).abort(cancellationError(reason, { stack: false }));
      }
    },
    drop() { signalFinalizer.unregister(wait); },
  };
  return wait;
}

// Keeps `signal` in wait.held while it has an 'abort' listener (or an onabort handler),
// and lets it go once it has none: as Node holds its own AbortSignal.any() and timeout()
// signals strongly only while something listens, so that a forgotten signal goes.
function whileListened(signal, wait) {
  const listeners = new Map(); // listener -> its capture flags (1: bubble, 2: capture)
  let settingHandler = false;  // Node adds its onabort wrapper through addEventListener
  const flag = (options) => ((typeof options === 'boolean' ? options : Boolean(options?.capture)) ? 2 : 1);
  const update = () => {
    wait.held = listeners.size > 0 || onabortProperty.get.call(signal) != null ? signal : null;
  };
  Object.defineProperties(signal, {
    addEventListener: {
      configurable: true, writable: true,
      value(type, listener, options) {
        EventTarget.prototype.addEventListener.call(this, type, listener, options);
        if (type === 'abort' && listener != null && !settingHandler) {
          listeners.set(listener, (listeners.get(listener) ?? 0) | flag(options));
          update();
        }
      },
    },
    removeEventListener: {
      configurable: true, writable: true,
      value(type, listener, options) {
        EventTarget.prototype.removeEventListener.call(this, type, listener, options);
        const flags = (listeners.get(listener) ?? 0) & ~flag(options);
        if (type === 'abort' && listeners.has(listener)) {
          if (flags === 0) listeners.delete(listener); else listeners.set(listener, flags);
          update();
        }
      },
    },
    onabort: {
      configurable: true,
      get() { return onabortProperty.get.call(this); },
      set(handler) {
        settingHandler = true;
        try { onabortProperty.set.call(this, handler); } finally { settingHandler = false; }
        update();
      },
    },
  });
}

class Token extends Handle {
  #word; // a Uint32Array over the token's state word, or null (none, or disposed)

  constructor(handle) {
    super(handle, api.destroyToken);
    const word = api.tokenStateWord(handle);
    this.#word = word ? new Uint32Array(koffi.view(word, 4)) : null;
  }

  /** The token that is never cancelled. */
  static never() { return new Token(api.tokenNever()); }
  /** A Token owning a new reference to a handle made by native code. */
  static fromHandle(handle) { return new Token(api.tokenClone(handle)); }

  /** As AbortSignal.any(signals): a token cancelled, with the first parent's reason,
   *  as soon as any of `tokens` (an iterable) is; it needs no Source kept alive and
   *  follows until disposed. Once none of them can cancel any more, neither can it. */
  static any(tokens) {
    const handles = Array.from(tokens, (t) => Handle.of(t, Token));
    return new Token(api.tokenCreateLinked(handles, handles.length));
  }

  /** True once cancelled: one read of the state word through a typed array. A plain
   *  aligned 32-bit load (acquire on x64); Atomics.load on a non-shared buffer leaves
   *  V8's fast path and costs three times as much. V8 does not hoist loads from an
   *  external buffer out of a loop: a test spins on this getter while the library's
   *  thread cancels. */
  get cancelled() {
    const word = this.#word;
    if (word !== null) return word[0] !== 0;
    return api.tokenCancelled(Handle.of(this, Token)); // no word (a foreign token), or disposed: throws
  }
  /** Reason.NONE while not cancelled, else why. */
  get reason() { return api.tokenReason(Handle.of(this, Token)); }
  /** False once the token can never be cancelled (its sources are gone). */
  get mayCancel() { return api.tokenMayCancel(Handle.of(this, Token)); }
  clone() { return new Token(api.tokenClone(Handle.of(this, Token))); }

  /** A message for another thread (worker_threads' postMessage, workerData): carries a
   *  reference of its own to this token, which Token.fromTransferable() on the other
   *  side takes over. Every thread of the process shares the library and the token's
   *  state word, so the other side's `cancelled` is the same one load. Hand each one to
   *  exactly one fromTransferable(): a message never received keeps its reference (and
   *  one of 4096 places for messages in flight). */
  toTransferable() {
    const handle = Handle.of(this, Token);
    return { enoughToken: transfers.put(() => api.tokenClone(handle)) };
  }

  /** The Token a toTransferable() message carries, owning its reference. A message
   *  taken already, or anything that is no such message, is a TypeError. */
  static fromTransferable(message) {
    return new Token(transfers.take(message?.enoughToken));
  }

  /** Throws a DOMException named AbortError (TimeoutError for a deadline) once cancelled,
   *  as AbortSignal.throwIfAborted() does; its `reason` is the token's reason. */
  throwIfCancelled() {
    if (this.cancelled) throw cancellationError(this.reason);
  }

  /** Resolves with the reason once cancelled, or with Reason.NONE once the token can
   *  never be (its sources are gone). Rejects if this Token is disposed meanwhile. While
   *  it is pending, the process stays alive (as for a timer's promise). */
  whenCancelled() {
    if (this.cancelled) return Promise.resolve(this.reason);
    const handle = Handle.of(this, Token);
    return new Promise((resolve, reject) => {
      watcher.add(handle, this, {
        holds: true,
        deliver: resolve,
        drop: () => reject(new Error('enough: token disposed while awaited')),
      });
      watcher.drain(); // a token that can never cancel resolves now
    });
  }

  /** An AbortSignal that aborts, with cancellationError(reason), when the token cancels:
   *  hand it to fetch(), streams, timers. It stops following the token on dispose().
   *  As Node's own signals: it never keeps the process alive, and one that nothing
   *  references or listens to any more is collected, with what it held. */
  toAbortSignal() {
    const controller = new AbortController();
    const { signal } = controller;
    if (this.cancelled) {
      controller.abort(cancellationError(this.reason));
      return signal;
    }
    controllers.set(signal, controller); // the controller lives as long as its signal
    const wait = signalWait(new WeakRef(signal));
    const key = watcher.add(Handle.of(this, Token), this, wait);
    signalFinalizer.register(signal, key, wait);
    whileListened(signal, wait);
    watcher.drain();
    return signal;
  }

  dispose() {
    if (!this.disposed) watcher.drop(this);
    this.#word = null; // before the memory may go
    super.dispose();
  }
}

const ADOPT = Symbol('adopt'); // module-private

// The hidden source that follows an AbortSignal for fromAbortSignal(): one per signal,
// with one listener on it. Cancelled with the abort's reason (and released) when the
// signal aborts, destroyed if the signal is collected first (it can never abort then).
const hubs = new WeakMap(); // AbortSignal -> { source, token } (raw handles)
const hubFinalizer = new FinalizationRegistry(({ source, token }) => {
  api.destroyToken(token);
  api.destroySource(source);
});
function signalHub(signal) {
  let hub = hubs.get(signal);
  if (hub !== undefined) return hub;
  const source = api.create();
  if (!source) throw lastError();
  hub = { source, token: api.tokenCreate(source) };
  const held = { ...hub };
  hubs.set(signal, hub);
  hubFinalizer.register(signal, held, hub);
  signal.addEventListener('abort', () => {
    hubs.delete(signal);
    hubFinalizer.unregister(hub);
    api.cancel(source, reasonOfAbort(signal.reason));
    watcher.drain();
    api.destroyToken(held.token);
    api.destroySource(source);
  }, { once: true });
  return hub;
}

class Source extends Handle {
  // new Source(): a new source. Only this file hands it a handle of its own (ADOPT): a
  // caller's number or object never becomes one.
  constructor(adopt, handle) {
    super(adopt === ADOPT ? handle : api.create(), api.destroySource, api.abandonSource);
  }

  /** A source cancelled (with the parent's reason) as soon as any token is. While a
   *  token of it lives it follows its parents, collected or not, until dispose(). */
  static linked(...tokens) {
    const handles = tokens.map((t) => Handle.of(t, Token));
    return new Source(ADOPT, api.createLinked(handles, handles.length));
  }

  /** A source cancelled when `signal` aborts (a TimeoutError aborts with
   *  Reason.TIMED_OUT), linked to the one hidden source that follows `signal` through
   *  one listener, however many sources follow it: a call costs the same at the
   *  100,000th, and a source forgotten undisposed goes as linked sources do (it follows
   *  while a token of it lives). dispose() unlinks it. */
  static fromAbortSignal(signal) {
    if (!(signal instanceof AbortSignal)) {
      throw new TypeError(`enough: expected an AbortSignal, got ${describe(signal)}`);
    }
    if (signal.aborted) {
      const source = new Source();
      source.cancel(reasonOfAbort(signal.reason));
      return source;
    }
    const hub = signalHub(signal);
    return new Source(ADOPT, api.createLinked([hub.token], 1));
  }

  /** Cancels with `reason` (an integer from 1 to 2 ** 31 - 1; RangeError otherwise).
   *  True for the call that cancelled: the first one wins. */
  cancel(reason = Reason.CANCELLED) {
    const handle = Handle.of(this, Source);
    const cancelled = api.cancel(handle, reasonArgument(reason));
    if (cancelled) watcher.drain(); // awaited tokens learn of it before this returns
    return cancelled;
  }
  /** As cancel(), but the library's callbacks run on its own thread, never on this one. */
  cancelAsync(reason = Reason.CANCELLED) {
    const handle = Handle.of(this, Source);
    return api.cancelAsync(handle, reasonArgument(reason));
  }
  /** Arms or re-arms a deadline: cancels with Reason.TIMED_OUT after `ms` (rounded up;
   *  0 cancels now). False if already cancelled; a negative delay throws RangeError. */
  cancelAfter(ms) {
    if (ms < 0) throw new RangeError('enough: a deadline cannot be in the past');
    if (api.cancelAfter(Handle.of(this, Source), milliseconds(ms))) return true;
    const error = lastError();
    if (error.code === ErrorCode.ALREADY_CANCELLED) return false;
    throw error;
  }
  get reason() { return api.sourceReason(Handle.of(this, Source)); }
  get cancelled() { return this.reason !== Reason.NONE; }
  /** A token of this source (a new reference, no allocation). */
  token() { return new Token(api.tokenCreate(Handle.of(this, Source))); }
}

module.exports = {
  EnoughError, ErrorCode, Reason, Source, Token, liveObjects, version,
};
