// Type declarations of enough-cancel.

/** Why a token was cancelled. Codes from 256 up belong to applications. */
export declare const Reason: {
  readonly NONE: 0;
  readonly CANCELLED: 1;
  readonly TIMED_OUT: 2;
  readonly FIRST_APPLICATION: 256;
};
export type Reason = number;

/** The ENOUGH_ERROR_* codes of <enough/error.h>. */
export declare const ErrorCode: {
  readonly NONE: 0;
  readonly NULL_HANDLE: 1;
  readonly WRONG_KIND: 2;
  readonly BAD_ARGUMENT: 3;
  readonly OUT_OF_MEMORY: 4;
  readonly UNSUPPORTED: 5;
  readonly ALREADY_CANCELLED: 6;
  readonly SYSTEM: 7;
  readonly FOREIGN_FAILURE: 8;
  readonly NOT_EXPORTED: 9;
};

/** A call the library refused. */
export declare class EnoughError extends Error {
  readonly code: number;
}

/** What a cancelled token throws and aborts its signals with. */
export interface CancellationError extends DOMException {
  /** "AbortError", or "TimeoutError" for a deadline. */
  readonly name: 'AbortError' | 'TimeoutError';
  readonly reason: Reason;
}

/** A raw handle: the C API's `void *`, to pass to native code. */
export type NativeHandle = unknown;

declare abstract class Handle {
  /** The raw handle; borrowed while this object is not disposed. */
  readonly handle: NativeHandle;
  readonly disposed: boolean;
  /** Releases the library reference now. Idempotent. */
  dispose(): void;
  [Symbol.dispose](): void;
}

/** The right to observe a cancellation. */
/** What Token.toTransferable() makes: structured-clonable, for one fromTransferable(). */
export interface TransferableToken {
  readonly enoughToken: bigint;
}

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
  readonly reason: Reason;
  readonly mayCancel: boolean;
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
  readonly reason: Reason;
  readonly cancelled: boolean;
  token(): Token;
}

/** Objects the native library has created and not freed yet (for leak checks). */
export declare function liveObjects(): number;
/** The loaded native library's version, "major.minor.patch". */
export declare function version(): string;
