'use strict';
// enough-cancel: cooperative cancellation for native code, over enough's flat C API
// (carried in prebuilds/<platform>-<arch>/: libenough.so, or enough.dll on Windows)
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
// would deadlock). Cancellations made elsewhere (another thread, a deadline on the
// library's thread, native code) are observed by one watcher: a single koffi async
// enough_token_wait, on one libuv pool thread, on a source linked to every token being
// awaited. The event loop is never blocked, and the pool gives up one thread at most.
const fs = require('node:fs');
const path = require('node:path');
const { randomFillSync } = require('node:crypto');
const { getEnvironmentData, setEnvironmentData } = require('node:worker_threads');
const koffi = require('koffi');

// The library's file name on each system the package carries a build for.
const LIBRARY_FILE = { win32: 'enough.dll', darwin: 'libenough.dylib' }[process.platform] ?? 'libenough.so';

function libraryPath() {
  if (process.env.ENOUGH_LIBRARY) return process.env.ENOUGH_LIBRARY;
  const target = `${process.platform}-${process.arch}`;
  const file = path.join(__dirname, 'prebuilds', target, LIBRARY_FILE);
  if (!fs.existsSync(file)) {
    throw new Error(`enough-cancel carries no library for ${target} ` +
      `(it has: ${fs.readdirSync(path.join(__dirname, 'prebuilds')).join(', ')}); ` +
      'build enough and set ENOUGH_LIBRARY to its path');
  }
  return file;
}

const lib = koffi.load(libraryPath());

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
  tokenWait: lib.func('bool enough_token_wait(void *token, int64_t ms)'),
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
function cancellationError(reason) {
  const timedOut = reason === Reason.TIMED_OUT;
  const error = new DOMException(timedOut ? 'The operation timed out.' : 'The operation was aborted.',
    timedOut ? 'TimeoutError' : 'AbortError');
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

// ---- the watcher: every awaited token on one libuv pool thread ----------------------

const watcher = {
  waits: new Set(), // { token: cloned handle, resolve, reject, owner }
  wake: null,       // the source that interrupts the native wait when the set changes
  running: false,
  sliceMs: 1000,    // re-checks orphans (tokens that can no longer cancel) this often

  add(owner, resolve, reject) {
    const wait = { token: api.tokenClone(owner.handle), resolve, reject, owner };
    this.waits.add(wait);
    if (this.running) {
      if (this.wake) api.cancel(this.wake, Reason.CANCELLED); // rebuild with the new one
    } else {
      this.running = true;
      setImmediate(() => this.cycle());
    }
    return wait;
  },

  settle(wait, outcome) {
    this.waits.delete(wait);
    api.destroyToken(wait.token);
    outcome();
  },

  // Stops waiting for `owner`'s tokens (it is being disposed).
  drop(owner) {
    for (const wait of this.waits) {
      if (wait.owner === owner) {
        this.settle(wait, () => wait.reject(new Error('enough: token disposed while awaited')));
      }
    }
  },

  cycle() {
    for (const wait of this.waits) {
      if (api.tokenCancelled(wait.token)) {
        const reason = api.tokenReason(wait.token);
        this.settle(wait, () => wait.resolve(reason));
      } else if (!api.tokenMayCancel(wait.token)) {
        this.settle(wait, () => wait.resolve(Reason.NONE));
      }
    }
    if (this.waits.size === 0) {
      this.running = false;
      return;
    }
    const wake = api.create();
    const wakeToken = api.tokenCreate(wake);
    const parents = [...this.waits].map((w) => w.token);
    parents.push(wakeToken);
    const combined = api.createLinked(parents, parents.length);
    const combinedToken = api.tokenCreate(combined);
    this.wake = wake;
    api.tokenWait.async(combinedToken, this.sliceMs, () => {
      this.wake = null;
      api.destroyToken(combinedToken);
      api.destroySource(combined);
      api.destroyToken(wakeToken);
      api.destroySource(wake);
      this.cycle();
    });
  },
};

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
   *  never be (its sources are gone). Rejects if this Token is disposed meanwhile. */
  whenCancelled() {
    if (this.cancelled) return Promise.resolve(this.reason);
    return new Promise((resolve, reject) => watcher.add(this, resolve, reject));
  }

  /** An AbortSignal that aborts, with cancellationError(reason), when the token cancels:
   *  hand it to fetch(), streams, timers. It stops following the token on dispose(). */
  toAbortSignal() {
    const controller = new AbortController();
    if (this.cancelled) {
      controller.abort(cancellationError(this.reason));
    } else {
      this.whenCancelled().then((reason) => {
        if (reason !== Reason.NONE) controller.abort(cancellationError(reason));
      }, () => {});
    }
    return controller.signal;
  }

  dispose() {
    if (!this.disposed) watcher.drop(this);
    this.#word = null; // before the memory may go
    super.dispose();
  }
}

const ADOPT = Symbol('adopt'); // module-private

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
   *  Reason.TIMED_OUT). The listener goes with dispose(). */
  static fromAbortSignal(signal) {
    const source = new Source();
    const reasonOf = () => reasonOfAbort(signal.reason);
    if (signal.aborted) {
      source.cancel(reasonOf());
      return source;
    }
    const onAbort = () => { if (!source.disposed) source.cancel(reasonOf()); };
    signal.addEventListener('abort', onAbort, { once: true });
    const dispose = source.dispose.bind(source);
    source.dispose = () => { signal.removeEventListener('abort', onAbort); dispose(); };
    return source;
  }

  /** Cancels with `reason` (an integer from 1 to 2 ** 31 - 1; RangeError otherwise).
   *  True for the call that cancelled: the first one wins. */
  cancel(reason = Reason.CANCELLED) {
    const handle = Handle.of(this, Source);
    return api.cancel(handle, reasonArgument(reason));
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
