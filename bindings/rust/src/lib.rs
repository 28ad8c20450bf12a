//! enough-cancel: cooperative cancellation across threads, modules, processes and
//! languages, on the C ABI of the `enough` native library, speaking the seed crate's
//! [`enough::Stop`] trait in both directions.
//!
//! ```no_run
//! use enough::Stop;
//! use enough_cancel::Source;
//!
//! let source = Source::new();
//! let token = source.token();
//! std::thread::spawn(move || {
//!     while token.check().is_ok() { /* work */ }   // any library taking `impl Stop`
//! });
//! source.cancel();
//! ```
//!
//! A [`Token`] crosses the FFI as a `void*` ([`Token::as_raw`], [`Token::from_raw`]):
//! C, Python, Node.js or C# code checks the same object. [`Token::from_stop`] goes the
//! other way: any `impl Stop` becomes a token that C code can check, register on and
//! link to.

#![deny(missing_docs)]

mod cancelled;
mod drop_guard;
mod ffi;
mod from_stop;
mod registration;

pub use cancelled::Cancelled;
pub use drop_guard::DropGuard;
pub use registration::Registration;

use core::ffi::c_void;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

pub use enough::{Stop, StopReason};

/// Why a token was cancelled: `CANCELLED`, `TIMED_OUT`, or an application's code (256 and up).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reason(pub i32);

impl Reason {
    /// Not cancelled (what `reason()` gives before a cancel).
    pub const NONE: Reason = Reason(0);
    /// Cancelled by a caller (`Source::cancel`).
    pub const CANCELLED: Reason = Reason(ffi::REASON_CANCELLED);
    /// A deadline passed (`Source::cancel_after`).
    pub const TIMED_OUT: Reason = Reason(ffi::REASON_TIMED_OUT);
}

/// The right to cancel. `Clone` adds a reference; `Drop` releases it. Its tokens
/// outlive it: once every source is dropped without cancelling, they never cancel.
pub struct Source(NonNull<c_void>);

/// The right to observe. `Clone` adds a reference (no allocation); `Drop` releases it.
/// It keeps the token's state word (when the token has one), so that [`Stop::check`]
/// is one acquire load.
pub struct Token {
    handle: NonNull<c_void>,
    word: *const AtomicU32, // the token's state word, or ASK_THE_TOKEN
}

/// The word of tokens without one: not a reason (reasons are positive i32), it sends
/// the check to the library. Keeps the check one load and one compare.
static ASK_THE_TOKEN: AtomicU32 = AtomicU32::new(u32::MAX);

// The library's objects are thread-safe: every call may come from any thread.
unsafe impl Send for Source {}
unsafe impl Sync for Source {}
unsafe impl Send for Token {}
unsafe impl Sync for Token {}

/// The handles of a linked source's or token's parents, for the flat API.
/// Calls `create` with the parents' handles: on the stack for up to four parents (a
/// child's one, usually), in a `Vec` beyond (no allocation per child).
fn with_raw_handles<'a, R>(
    parents: impl IntoIterator<Item = &'a Token>,
    create: impl FnOnce(*const *mut c_void, usize) -> R,
) -> R {
    let mut parents = parents.into_iter();
    let mut inline = [std::ptr::null_mut::<c_void>(); 4];
    for count in 0..inline.len() {
        match parents.next() {
            Some(parent) => inline[count] = parent.as_raw(),
            None => return create(inline.as_ptr(), count),
        }
    }
    match parents.next() {
        None => create(inline.as_ptr(), inline.len()),
        Some(fifth) => {
            let mut all = inline.to_vec();
            all.push(fifth.as_raw());
            all.extend(parents.map(Token::as_raw));
            create(all.as_ptr(), all.len())
        }
    }
}

fn owned(handle: *mut c_void) -> NonNull<c_void> {
    NonNull::new(handle).expect("enough: out of memory")
}

impl Token {
    fn adopt(handle: NonNull<c_void>) -> Token {
        // state_word is the sixth entry of every token's vtable.
        let word = unsafe {
            let token2 = handle.as_ptr().cast::<ffi::Token2>();
            ((*token2).vtbl.state_word)(token2)
        };
        let word = if word.is_null() { &ASK_THE_TOKEN as *const AtomicU32 } else { word.cast() };
        Token { handle, word }
    }
}

impl Source {
    /// A new source. Panics only when memory is exhausted.
    pub fn new() -> Source {
        Source(owned(unsafe { ffi::enough_cancellation_create() }))
    }

    /// A source that cancels, with the parent's reason, as soon as any of `parents` does.
    /// It follows them while a clone of it, or a token of it, lives (dropped, it keeps
    /// following for its tokens and linked children, as tokio-util's child tokens do);
    /// [`Source::close`] stops it. For a token that follows on its own, see
    /// [`Token::linked`].
    pub fn linked<'a>(parents: impl IntoIterator<Item = &'a Token>) -> Source {
        Source(owned(with_raw_handles(parents, |handles, count| unsafe {
            ffi::enough_cancellation_create_linked(handles, count)
        })))
    }

    /// Cancels with `Reason::CANCELLED`; true for the call that cancelled.
    pub fn cancel(&self) -> bool {
        self.cancel_with_reason(Reason::CANCELLED)
    }

    /// Cancels with `reason` (> 0); true for the call that cancelled (the first wins).
    pub fn cancel_with_reason(&self, reason: Reason) -> bool {
        unsafe { ffi::enough_cancellation_cancel_with_reason(self.0.as_ptr(), reason.0) }
    }

    /// Arms or re-arms a deadline: the source cancels with `Reason::TIMED_OUT` after
    /// `delay` (rounded up to a millisecond; zero cancels now). False if already cancelled.
    pub fn cancel_after(&self, delay: Duration) -> bool {
        let ms = u64::try_from(delay.as_nanos().div_ceil(1_000_000)).unwrap_or(u64::MAX);
        unsafe { ffi::enough_cancellation_cancel_after(self.0.as_ptr(), ms) }
    }

    /// True once the source is cancelled.
    pub fn is_cancelled(&self) -> bool {
        unsafe { ffi::enough_cancellation_is_cancelled(self.0.as_ptr()) }
    }

    /// Why it was cancelled; `Reason::NONE` while not.
    pub fn reason(&self) -> Reason {
        Reason(unsafe { ffi::enough_cancellation_reason(self.0.as_ptr()) })
    }

    /// A token of this source (a new reference, no allocation).
    pub fn token(&self) -> Token {
        Token::adopt(owned(unsafe { ffi::enough_token_create(self.0.as_ptr()) }))
    }
}

impl Default for Source {
    fn default() -> Self {
        Source::new()
    }
}

impl Clone for Source {
    fn clone(&self) -> Self {
        // The flat API has no source clone: add_ref is the interface's second entry.
        unsafe {
            let vtbl = *self.0.as_ptr().cast::<*const unsafe extern "C" fn(*mut c_void) -> u32>();
            (*vtbl.add(1))(self.0.as_ptr());
        }
        Source(self.0)
    }
}

impl Source {
    /// Lets go of this source and stops what it was set to do: an armed deadline is
    /// disarmed and a linked source stops following, so (unless it cancelled already)
    /// its tokens can never cancel once no clone of it is left. Dropping a source
    /// instead lets those go on while a token of it lives.
    pub fn close(self) {
        let handle = self.0.as_ptr();
        std::mem::forget(self);
        unsafe { ffi::enough_cancellation_destroy(handle) }
    }
}

/// Dropping a source abandons it (`enough_cancellation_abandon`): it no longer cancels
/// on request, but an armed deadline still fires and a linked source still follows its
/// parents while a token of it lives (tokio-util's child tokens stay linked when a
/// middle one is dropped). A plain source without a deadline leaves its tokens unable
/// ever to cancel, as before. [`Source::close`] disarms and unlinks instead.
impl Drop for Source {
    fn drop(&mut self) {
        unsafe { ffi::enough_cancellation_abandon(self.0.as_ptr()) }
    }
}

impl Token {
    /// A token that cancels, with the parent's reason, as soon as any of `parents`
    /// does, and needs nothing kept alive but itself (JavaScript's `AbortSignal.any`):
    /// it follows while a clone of it lives, and its links go with the last one. Once
    /// none of `parents` can cancel any more (their sources all dropped), neither can
    /// it. Panics only when memory is exhausted.
    pub fn linked<'a>(parents: impl IntoIterator<Item = &'a Token>) -> Token {
        Token::adopt(owned(with_raw_handles(parents, |handles, count| unsafe {
            ffi::enough_token_create_linked(handles, count)
        })))
    }

    /// tokio-util's `child_token`: a token cancelled when this one is, that needs no
    /// source kept alive. Unlike tokio's, a child cannot be cancelled on its own (a
    /// token only observes); for that, see [`Source::child`].
    pub fn child_token(&self) -> Token {
        Token::linked([self])
    }

    /// The token that is never cancelled.
    pub fn never() -> Token {
        Token::adopt(owned(unsafe { ffi::enough_token_create_never() }))
    }

    /// Any `impl Stop` as a token of the C ABI: C, Python or Node code can check it,
    /// register on it and link to it; `StopReason::TimedOut` crosses as
    /// `Reason::TIMED_OUT`. Such a token can only be polled: the library watches it
    /// (every millisecond) for callbacks, waits and linked sources.
    pub fn from_stop<S: Stop + 'static>(stop: S) -> Token {
        Token::adopt(owned(from_stop::token_for(stop)))
    }

    /// Takes over one reference to a token handle (`void*` from C, or `into_raw`).
    ///
    /// # Safety
    /// `handle` must be a token handle of the C ABI carrying a reference the caller owns.
    pub unsafe fn from_raw(handle: *mut c_void) -> Option<Token> {
        NonNull::new(handle).map(Token::adopt)
    }

    /// The handle to pass to C, still owned by this Token (valid while it lives).
    pub fn as_raw(&self) -> *mut c_void {
        self.handle.as_ptr()
    }

    /// Gives up ownership: the caller releases the handle (`enough_token_destroy`).
    pub fn into_raw(self) -> *mut c_void {
        let handle = self.handle.as_ptr();
        core::mem::forget(self);
        handle
    }

    /// True once cancelled: one load of the state word (a call for a token without one).
    #[inline]
    pub fn is_cancelled(&self) -> bool {
        self.reason() != Reason::NONE
    }

    /// False once the token can never be cancelled.
    pub fn may_cancel(&self) -> bool {
        unsafe { ffi::enough_token_may_cancel(self.handle.as_ptr()) }
    }

    /// `Reason::NONE` while not cancelled, else why: one load of the state word.
    #[inline]
    pub fn reason(&self) -> Reason {
        // The word is the reason; it lives as long as the token, which we hold.
        let word = unsafe { (*self.word).load(Ordering::Acquire) };
        if word <= i32::MAX as u32 {
            return Reason(word as i32);
        }
        self.reason_from_the_library()
    }

    #[cold]
    fn reason_from_the_library(&self) -> Reason {
        Reason(unsafe { ffi::enough_token_reason(self.handle.as_ptr()) })
    }

    /// Blocks until cancelled (true), `timeout` passes (false), or the token can never
    /// be cancelled (false). `None` waits without limit.
    pub fn wait(&self, timeout: Option<Duration>) -> bool {
        let ms = timeout.map_or(-1, |t| i64::try_from(t.as_millis()).unwrap_or(i64::MAX));
        unsafe { ffi::enough_token_wait(self.handle.as_ptr(), ms) }
    }
}

impl Clone for Token {
    fn clone(&self) -> Self {
        let handle = owned(unsafe { ffi::enough_token_clone(self.handle.as_ptr()) });
        Token { handle, word: self.word } // the same object: the same word
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        unsafe { ffi::enough_token_destroy(self.handle.as_ptr()) }
    }
}

/// Our token as the seed's trait: any library written against `enough` accepts it.
impl Stop for Token {
    #[inline]
    fn check(&self) -> Result<(), StopReason> {
        if unsafe { (*self.word).load(Ordering::Acquire) } == 0 {
            return Ok(()); // the hot path: one load, one compare
        }
        match self.reason().0 {
            0 => Ok(()),
            ffi::REASON_TIMED_OUT => Err(StopReason::TimedOut),
            _ => Err(StopReason::Cancelled),
        }
    }

    fn may_stop(&self) -> bool {
        self.may_cancel()
    }
}

/// Two tokens are equal when they are the same object: clones, and the tokens of one
/// source (which share its state). A token of a linked source is another object.
impl PartialEq for Token {
    fn eq(&self, other: &Token) -> bool {
        self.handle == other.handle
    }
}

impl Eq for Token {}

impl core::hash::Hash for Token {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.handle.hash(state);
    }
}

impl core::fmt::Debug for Token {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Token")
            .field("handle", &self.handle)
            .field("reason", &self.reason())
            .field("may_cancel", &self.may_cancel())
            .finish()
    }
}

impl core::fmt::Debug for Source {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Source").field("handle", &self.0).field("reason", &self.reason()).finish()
    }
}

/// Objects the native library has created and not freed yet (for leak checks).
pub fn live_objects() -> usize {
    unsafe { ffi::enough_live_objects() }
}
