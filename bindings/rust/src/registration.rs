//! Callbacks on a token: each runs once, on the thread that cancels it, holding no lock
//! of the library's.

use core::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::{ffi, Reason, Token};

type Callback = Option<Box<dyn FnOnce(Reason) + Send>>; // taken when it runs

/// A callback registered on a token ([`Token::register`]). Dropping it unregisters:
/// once `drop` returns, the callback is not running and never will (the flat API's
/// guarantee, `std::stop_callback`'s); dropped from inside the callback itself, it
/// returns at once.
#[must_use = "dropping the registration unregisters the callback"]
pub struct Registration {
    handle: *mut c_void,
    callback: *mut Callback, // ours: freed once unregistered
}

// The library's registrations are thread-safe; the callback is Send.
unsafe impl Send for Registration {}
unsafe impl Sync for Registration {}

/// The one function the library calls for every Rust callback. A panic never unwinds
/// into the library's frames: it is caught here, after the panic hook has reported it
/// (stderr, as for a thread's panic), and the cancel goes on with the next callback.
unsafe extern "C" fn trampoline(user_data: *mut c_void, reason: i32) {
    let slot = &mut *user_data.cast::<Callback>();
    if let Some(callback) = slot.take() {
        let _ = catch_unwind(AssertUnwindSafe(move || callback(Reason(reason))));
    }
}

impl Token {
    /// Runs `callback(reason)` once when the token cancels, on the cancelling thread;
    /// at once, on this thread, if it already has. A token that can never cancel keeps
    /// it and never runs it.
    pub fn register(&self, callback: impl FnOnce(Reason) + Send + 'static) -> Registration {
        let boxed: Box<Callback> = Box::new(Some(Box::new(callback)));
        let callback = Box::into_raw(boxed);
        let handle = unsafe { ffi::enough_token_register(self.as_raw(), trampoline, callback.cast()) };
        if handle.is_null() {
            drop(unsafe { Box::from_raw(callback) });
            panic!("enough: out of memory");
        }
        Registration { handle, callback }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        unsafe {
            ffi::enough_registration_destroy(self.handle); // waits out a run in progress
            drop(Box::from_raw(self.callback));
        }
    }
}
