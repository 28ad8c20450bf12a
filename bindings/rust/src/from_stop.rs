//! `Token::from_stop`: any `enough::Stop` as a token of the C ABI, written in Rust.
//!
//! The object answers `enough_token` and `enough_token2`. It can only be polled (a
//! `Stop` pushes nothing), so `state_word` is NULL and `register_callback` answers
//! `ENOUGH_E_NOTIMPL`: the library then watches it on its own thread (polling every
//! millisecond) to run callbacks, wake waits and cancel linked sources, and asks
//! `reason`, so `StopReason::TimedOut` crosses as `ENOUGH_REASON_TIMED_OUT`. A panic
//! in the `Stop` never unwinds into C: the object then reports itself cancelled.

use core::ffi::c_void;
use core::sync::atomic::{AtomicU32, Ordering};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use enough::{Stop, StopReason};

use crate::ffi;

#[repr(C)] // the ABI face first: the object's pointer is its interface pointer
struct StopToken<S> {
    face: ffi::Token2,
    refs: AtomicU32,
    stop: S,
}

/// The reason code for what `stop.check()` says now; 0 while it does not stop.
fn reason_of<S: Stop>(stop: &S) -> i32 {
    match catch_unwind(AssertUnwindSafe(|| stop.check())) {
        Ok(Ok(())) => 0,
        Ok(Err(StopReason::TimedOut)) => ffi::REASON_TIMED_OUT,
        Ok(Err(_)) | Err(_) => ffi::REASON_CANCELLED,
    }
}

impl<S: Stop + 'static> StopToken<S> {
    const VTABLE: ffi::Token2Vtbl = ffi::Token2Vtbl {
        query_interface: Self::query_interface,
        add_ref: Self::add_ref,
        release: Self::release,
        is_cancelled: Self::is_cancelled,
        may_cancel: Self::may_cancel,
        state_word: Self::state_word,
        reason: Self::reason,
        register_callback: Self::register_callback,
        wait: Self::wait,
        fd: Self::fd,
    };

    fn new(stop: S) -> *mut c_void {
        let object = Box::new(StopToken { face: ffi::Token2 { vtbl: &Self::VTABLE }, refs: AtomicU32::new(1), stop });
        Box::into_raw(object).cast()
    }

    unsafe fn this<'a>(face: *mut ffi::Token2) -> &'a Self {
        &*face.cast::<Self>()
    }

    unsafe extern "C" fn query_interface(
        face: *mut ffi::Token2,
        iid: *const ffi::Iid,
        out: *mut *mut c_void,
    ) -> i32 {
        if out.is_null() {
            return ffi::E_POINTER;
        }
        *out = core::ptr::null_mut();
        if iid.is_null() {
            return ffi::E_POINTER;
        }
        let iid = *iid;
        if iid == ffi::IID_UNKNOWN || iid == ffi::IID_TOKEN || iid == ffi::IID_TOKEN2 {
            Self::add_ref(face);
            *out = face.cast();
            return ffi::OK;
        }
        ffi::E_NOINTERFACE
    }

    unsafe extern "C" fn add_ref(face: *mut ffi::Token2) -> u32 {
        Self::this(face).refs.fetch_add(1, Ordering::Relaxed) + 1
    }

    unsafe extern "C" fn release(face: *mut ffi::Token2) -> u32 {
        let left = Self::this(face).refs.fetch_sub(1, Ordering::AcqRel) - 1;
        if left == 0 {
            let object = Box::from_raw(face.cast::<Self>());
            // Dropping the Stop must not unwind into C either.
            let _ = catch_unwind(AssertUnwindSafe(move || drop(object)));
        }
        left
    }

    unsafe extern "C" fn is_cancelled(face: *mut ffi::Token2) -> i32 {
        i32::from(reason_of(&Self::this(face).stop) != 0)
    }

    unsafe extern "C" fn may_cancel(face: *mut ffi::Token2) -> i32 {
        let stop = &Self::this(face).stop;
        let may = catch_unwind(AssertUnwindSafe(|| stop.may_stop())).unwrap_or(true);
        i32::from(may || reason_of(stop) != 0)
    }

    unsafe extern "C" fn state_word(_face: *mut ffi::Token2) -> *const u32 {
        core::ptr::null() // nothing pushes into a word: holders ask is_cancelled
    }

    unsafe extern "C" fn reason(face: *mut ffi::Token2) -> i32 {
        reason_of(&Self::this(face).stop)
    }

    unsafe extern "C" fn register_callback(
        _face: *mut ffi::Token2,
        _callback: Option<ffi::Callback>,
        _user_data: *mut c_void,
        registration: *mut *mut c_void,
    ) -> i32 {
        if !registration.is_null() {
            *registration = core::ptr::null_mut();
        }
        ffi::E_NOTIMPL // the library watches us instead (see the module's comment)
    }

    unsafe extern "C" fn wait(face: *mut ffi::Token2, timeout_ms: i64) -> i32 {
        // Polls: the Stop cannot wake anyone. 1 ms steps, like the library's watch.
        let deadline = u64::try_from(timeout_ms).ok().map(|ms| Instant::now() + Duration::from_millis(ms));
        loop {
            if Self::is_cancelled(face) != 0 {
                return 1;
            }
            if Self::may_cancel(face) == 0 || deadline.is_some_and(|d| Instant::now() >= d) {
                return 0;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    unsafe extern "C" fn fd(_face: *mut ffi::Token2) -> i32 {
        -1
    }
}

/// A new token of the C ABI (one reference) that asks `stop`.
pub(crate) fn token_for<S: Stop + 'static>(stop: S) -> *mut c_void {
    StopToken::new(stop)
}
