// Type declarations of enough-cancel.

/** Why a token was cancelled. Codes from 256 up belong to applications. */
export declare const Reason: {
  /** Not cancelled. */
  readonly NONE: 0;
  /** Cancelled by a caller (Source.cancel()). */
  readonly CANCELLED: 1;
  /** A deadline passed (Source.cancelAfter()). */
  readonly TIMED_OUT: 2;
  /** The first of the application's own codes. */
  readonly FIRST_APPLICATION: 256;
};
export type Reason = number;

/** The ENOUGH_ERROR_* codes of <enough/error.h>. */
export declare const ErrorCode: {
  /** No call on this thread has been refused. */
  readonly NONE: 0;
  /** A required handle (or callback) was null. */
  readonly NULL_HANDLE: 1;
  /** A source was given where a token was expected, or the reverse. */
  readonly WRONG_KIND: 2;
  /** An argument out of its documented range. */
  readonly BAD_ARGUMENT: 3;
  /** The library ran out of memory. */
  readonly OUT_OF_MEMORY: 4;
  /** A foreign object does not offer the operation. */
  readonly UNSUPPORTED: 5;
  /** The source is cancelled, or can no longer be. */
  readonly ALREADY_CANCELLED: 6;
  /** The operating system refused a resource. */
  readonly SYSTEM: 7;
  /** A foreign object's method reported a failure. */
  readonly FOREIGN_FAILURE: 8;
  /** A descriptor that is no exported token (of this version). */
  readonly NOT_EXPORTED: 9;
};

/** A call the library refused. */
export declare class EnoughError extends Error {
  /** An ErrorCode. */
  readonly code: number;
}

/** What a cancelled token throws and aborts its signals with. */
export interface CancellationError extends DOMException {
  /** "AbortError", or "TimeoutError" for a deadline. */
  readonly name: 'AbortError' | 'TimeoutError';
  /** Why the token was cancelled. */
  readonly reason: Reason;
}

/** A raw handle: the C API's `void *`, to pass to native code. */
export type NativeHandle = unknown;

/** What Token and Source share: a native handle, released by dispose(). */
declare abstract class Handle {
  /** The raw handle; borrowed while this object is not disposed. */
  readonly handle: NativeHandle;
  /** True once dispose() has run. */
  readonly disposed: boolean;
  /** Releases the library reference now. Idempotent. */
  dispose(): void;
  /** dispose(), for `using` declarations. */
  [Symbol.dispose](): void;
}

/** What Token.toTransferable() makes: structured-clonable, for one fromTransferable(). */
export interface TransferableToken {
  /** The handle, carrying its own reference. */
  readonly enoughToken: bigint;
}

/** The right to observe a cancellation. */
export declare class Token extends Handle {
  /** The token that is never cancelled. */
  static never(): Token;
  /** A Token owning a new reference to a handle made by native code. */
  static fromHandle(handle: NativeHandle): Token;
  /** As AbortSignal.any(): cancelled, with the first parent's reason, as soon as any
   *  of `tokens` is; needs no Source kept alive; follows until disposed. */
  static any(tokens: Iterable<Token>): Token;
  /** True once cancelled: one read of the state word, no native call. */
  readonly cancelled: boolean;
  /** Reason.NONE while not cancelled, else why. */
  readonly reason: Reason;
  /** True while cancelled or still able to be; false for the never token and once
   *  every source is gone without cancelling (then forever). */
  readonly mayCancel: boolean;
  /** Another Token for the same state, with a reference of its own. */
  clone(): Token;
  /** A message for a Worker (postMessage, workerData) carrying a reference of its own. */
  toTransferable(): TransferableToken;
  /** The Token a toTransferable() message carries, owning its reference. */
  static fromTransferable(message: TransferableToken): Token;
  /** Throws a CancellationError once cancelled (as AbortSignal.throwIfAborted()). */
  throwIfCancelled(): void;
  /** The reason once cancelled, or Reason.NONE once it never can be. Settled before
   *  cancel() returns for a cancel made on this thread. While pending it keeps the
   *  process alive (as a timer's promise); dispose() rejects it. */
  whenCancelled(): Promise<Reason>;
  /** An AbortSignal that aborts with a CancellationError when the token cancels (before
   *  cancel() returns, for a cancel made on this thread). As Node's own signals, it
   *  never keeps the process alive, and once nothing references it or listens to its
   *  'abort' it is collected with what it holds. */
  toAbortSignal(): AbortSignal;
}

/** The right to cancel. Collected without dispose(), it is abandoned, not destroyed:
 *  an armed deadline still fires and a linked Source still follows while a token of it
 *  lives. dispose() disarms and unlinks it. */
export declare class Source extends Handle {
  constructor();
  /** Cancelled, with the parent's reason, as soon as any of `tokens` is (each must be
   *  a Token: a TypeError otherwise). */
  static linked(...tokens: Token[]): Source;
  /** Cancelled when `signal` aborts: with the reason its abort carries when that is a
   *  token's (toAbortSignal()), Reason.TIMED_OUT for a TimeoutError, else CANCELLED.
   *  Linked to one hidden source per signal (one listener on it, however many calls);
   *  collected undisposed, it follows while a token of it lives. */
  static fromAbortSignal(signal: AbortSignal): Source;
  /** True for the call that cancelled: the first one wins. `reason` is an integer from
   *  1 to 2 ** 31 - 1 (a RangeError otherwise; a TypeError for what is no number). */
  cancel(reason?: Reason): boolean;
  /** As cancel(); the library's callbacks run on its own thread. */
  cancelAsync(reason?: Reason): boolean;
  /** Cancels with Reason.TIMED_OUT after `ms` milliseconds; false if already cancelled. */
  cancelAfter(ms: number): boolean;
  /** Reason.NONE while not cancelled, else why. */
  readonly reason: Reason;
  /** True once cancelled. */
  readonly cancelled: boolean;
  /** A token of this source, with a reference of its own. */
  token(): Token;
}

/** Objects the native library has created and not freed yet (for leak checks). */
export declare function liveObjects(): number;
/** The loaded native library's version, "major.minor.patch". */
export declare function version(): string;
