// enough for Node.js: cooperative cancellation over the flat C API, with koffi.
//
//   const source = new Source();                 // or Source.fromAbortSignal(signal)
//   const token = source.token();
//   nativeJob(token.handle);                      // hand the raw handle to native code
//   source.cancel();
//   token.dispose(); source.dispose();            // or `using` where available
//
// Ownership: every Source, Token and wait owns one library reference. dispose()
// releases it now; a FinalizationRegistry releases it if the object is collected
// without dispose() (a safety net: collection time is up to V8).
//
// Threads: JS runs on the main thread only. A cancellation that happens on another
// thread (a deadline fires on the library's timer thread, native code cancels) is
// observed with koffi's async calls to enough_token_wait, which block a libuv pool
// thread, never the event loop. We never hand the library a JS callback: koffi would
// run it on the main thread while the cancelling thread blocks, and a main thread
// unregistering at that moment would deadlock.
import koffi from 'koffi';

const path = process.env.ENOUGH_LIBRARY ?? 'libenough.so.0';
const lib = koffi.load(path);

const api = {
  create: lib.func('void *enough_cancellation_create(void)'),
  createLinked: lib.func('void *enough_cancellation_create_linked(void **tokens, size_t count)'),
  cancel: lib.func('bool enough_cancellation_cancel_with_reason(void *source, int32_t reason)'),
  cancelAfter: lib.func('bool enough_cancellation_cancel_after(void *source, uint64_t ms)'),
  sourceReason: lib.func('int32_t enough_cancellation_reason(void *source)'),
  destroySource: lib.func('void enough_cancellation_destroy(void *source)'),
  tokenCreate: lib.func('void *enough_token_create(void *source)'),
  tokenNever: lib.func('void *enough_token_create_never(void)'),
  tokenClone: lib.func('void *enough_token_clone(void *token)'),
  tokenCancelled: lib.func('bool enough_token_is_cancelled(void *token)'),
  tokenMayCancel: lib.func('bool enough_token_may_cancel(void *token)'),
  tokenReason: lib.func('int32_t enough_token_reason(void *token)'),
  tokenWait: lib.func('bool enough_token_wait(void *token, int64_t ms)'),
  destroyToken: lib.func('void enough_token_destroy(void *token)'),
  liveObjects: lib.func('size_t enough_live_objects(void)'),
  version: lib.func('const char *enough_version_string(void)'),
};

export const Reason = Object.freeze({ NONE: 0, CANCELLED: 1, TIMED_OUT: 2 });

/** Objects the library has created and not freed yet (for leak checks). */
export const liveObjects = () => Number(api.liveObjects());
export const version = () => api.version();

// The safety net: releases a handle whose owner was collected without dispose().
const finalizer = new FinalizationRegistry(({ handle, destroy }) => destroy(handle));

class Handle {
  #handle;
  #destroy;

  constructor(handle, destroy) {
    if (!handle) throw new Error('enough: out of memory');
    this.#handle = handle;
    this.#destroy = destroy;
    finalizer.register(this, { handle, destroy }, this);
  }

  /** The raw handle (an interface pointer) for native code; borrowed while not disposed. */
  get handle() {
    if (this.#handle === null) throw new Error('enough: handle used after dispose()');
    return this.#handle;
  }

  get disposed() { return this.#handle === null; }

  /** Releases the library reference now. Idempotent. */
  dispose() {
    if (this.#handle === null) return;
    finalizer.unregister(this);
    const handle = this.#handle;
    this.#handle = null;
    this.#destroy(handle);
  }
}
if (Symbol.dispose) Handle.prototype[Symbol.dispose] = Handle.prototype.dispose;

export class Token extends Handle {
  static never() { return new Token(api.tokenNever()); }

  get cancelled() { return api.tokenCancelled(this.handle); }
  get reason() { return api.tokenReason(this.handle); }
  get mayCancel() { return api.tokenMayCancel(this.handle); }
  clone() { return new Token(api.tokenClone(this.handle)); }

  /**
   * Resolves with the reason once the token is cancelled, or with Reason.NONE once it
   * never can be. The wait holds its own reference (a clone), so disposing this token
   * meanwhile is safe; it blocks a libuv pool thread, not the event loop, in slices so
   * that `signal` (an AbortSignal) can stop it.
   */
  whenCancelled({ signal, sliceMs = 250 } = {}) {
    const mine = api.tokenClone(this.handle);
    return new Promise((resolve, reject) => {
      const finish = (settle) => { api.destroyToken(mine); settle(); };
      const slice = () => {
        if (signal?.aborted) return finish(() => reject(signal.reason));
        api.tokenWait.async(mine, sliceMs, (error, cancelled) => {
          if (error) return finish(() => reject(error));
          if (cancelled) return finish(() => resolve(api.tokenReason(mine)));
          if (!api.tokenMayCancel(mine)) return finish(() => resolve(Reason.NONE));
          slice();
        });
      };
      slice();
    });
  }

  /** Runs fn(reason) on the main thread once the token is cancelled; returns a
   *  function that stops waiting (after it, fn never runs). */
  onCancel(fn) {
    const stop = new AbortController();
    this.whenCancelled({ signal: stop.signal }).then(
      (reason) => { if (reason !== Reason.NONE && !stop.signal.aborted) fn(reason); },
      () => {});
    return () => stop.abort();
  }

  /** An AbortSignal that aborts (with an Error carrying `.reason`) when the token is
   *  cancelled: hand it to fetch(), streams, timers. */
  toAbortSignal() {
    const controller = new AbortController();
    if (this.cancelled) {
      controller.abort(cancellationError(this.reason));
    } else {
      this.whenCancelled().then((reason) => {
        if (reason !== Reason.NONE) controller.abort(cancellationError(reason));
      });
    }
    return controller.signal;
  }

  constructor(handle) { super(handle, api.destroyToken); }
}

function cancellationError(reason) {
  const error = new Error(reason === Reason.TIMED_OUT ? 'timed out' : 'cancelled');
  error.name = 'AbortError';
  error.reason = reason;
  return error;
}

export class Source extends Handle {
  constructor(handle = api.create()) { super(handle, api.destroySource); }

  /** A source cancelled (with the parent's reason) as soon as any token is. */
  static linked(...tokens) {
    return new Source(api.createLinked(tokens.map((t) => t.handle), tokens.length));
  }

  /** A source cancelled when `signal` aborts. The listener goes with dispose(). */
  static fromAbortSignal(signal, reason = Reason.CANCELLED) {
    const source = new Source();
    if (signal.aborted) {
      source.cancel(reason);
      return source;
    }
    const onAbort = () => { if (!source.disposed) source.cancel(reason); };
    signal.addEventListener('abort', onAbort, { once: true });
    const dispose = source.dispose.bind(source);
    source.dispose = () => { signal.removeEventListener('abort', onAbort); dispose(); };
    return source;
  }

  /** True for the call that cancelled (the first one wins). */
  cancel(reason = Reason.CANCELLED) { return api.cancel(this.handle, reason); }
  /** Arms or re-arms a deadline: cancels with Reason.TIMED_OUT after `ms`. */
  cancelAfter(ms) { return api.cancelAfter(this.handle, Math.max(0, Math.floor(ms))); }
  get reason() { return api.sourceReason(this.handle); }
  get cancelled() { return this.reason !== Reason.NONE; }
  token() { return new Token(api.tokenCreate(this.handle)); }
}
