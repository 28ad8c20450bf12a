//! Our token as `enough::Stop`, any `enough::Stop` as our token, threads, and a C
//! function taking a token from Rust.
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use enough::{Stop, StopReason};
use enough_cancel::{live_objects, Reason, Source, Token};

/// A library written against the seed crate only: it takes `impl Stop`.
fn seed_style_decode(blocks: usize, stop: impl Stop) -> Result<usize, StopReason> {
    for block in 0..blocks {
        stop.check()?;
        if block == blocks - 1 {
            return Ok(blocks);
        }
    }
    Ok(0)
}

#[test]
fn our_token_is_a_stop() {
    let source = Source::new();
    let token = source.token();
    assert_eq!(seed_style_decode(10, token.clone()), Ok(10));
    assert!(token.may_stop());
    source.cancel();
    assert_eq!(seed_style_decode(10, token.clone()), Err(StopReason::Cancelled));
    assert!(token.should_stop());
}

#[test]
fn timed_out_maps_to_the_seeds_timed_out() {
    let source = Source::new();
    let token = source.token();
    assert!(source.cancel_after(Duration::from_millis(10)));
    assert!(token.wait(Some(Duration::from_secs(5))));
    assert_eq!(token.reason(), Reason::TIMED_OUT);
    assert_eq!(token.check(), Err(StopReason::TimedOut));
    let zero = Source::new();
    assert!(zero.cancel_after(Duration::ZERO)); // cancels now
    assert_eq!(zero.token().check(), Err(StopReason::TimedOut));
}

#[test]
fn application_reasons_read_as_cancelled_through_the_trait() {
    let source = Source::new();
    source.cancel_with_reason(Reason(300));
    let token = source.token();
    assert_eq!(token.reason(), Reason(300));
    assert_eq!(token.check(), Err(StopReason::Cancelled));
}

#[test]
fn orphans_never_stop_and_may_not() {
    let token = {
        let source = Source::new();
        source.token()
    };
    assert!(!token.may_stop());
    assert_eq!(token.check(), Ok(()));
    assert!(!Token::never().may_stop());
}

struct Flag {
    stopped: Arc<AtomicBool>,
    timed_out: bool,
}

impl Stop for Flag {
    fn check(&self) -> Result<(), StopReason> {
        match (self.stopped.load(Ordering::Acquire), self.timed_out) {
            (false, _) => Ok(()),
            (true, false) => Err(StopReason::Cancelled),
            (true, true) => Err(StopReason::TimedOut),
        }
    }
}

#[test]
fn any_stop_becomes_a_token_of_the_abi() {
    let stopped = Arc::new(AtomicBool::new(false));
    let token = Token::from_stop(Flag { stopped: stopped.clone(), timed_out: true });
    assert!(!token.is_cancelled());
    assert!(token.may_cancel());

    // C-side use: a callback registered through the flat API, and a linked source.
    static SEEN: AtomicI32 = AtomicI32::new(0);
    unsafe extern "C" fn on_cancel(_data: *mut core::ffi::c_void, reason: i32) {
        SEEN.store(reason, Ordering::SeqCst);
    }
    extern "C" {
        fn enough_token_register(
            token: *mut core::ffi::c_void,
            callback: unsafe extern "C" fn(*mut core::ffi::c_void, i32),
            data: *mut core::ffi::c_void,
        ) -> *mut core::ffi::c_void;
        fn enough_registration_destroy(registration: *mut core::ffi::c_void);
    }
    let registration = unsafe { enough_token_register(token.as_raw(), on_cancel, core::ptr::null_mut()) };
    assert!(!registration.is_null());
    let child = Source::linked([&token]);

    stopped.store(true, Ordering::Release);
    assert!(token.is_cancelled());
    assert_eq!(token.reason(), Reason::TIMED_OUT); // TimedOut crosses
    let deadline = Instant::now() + Duration::from_secs(5);
    while (SEEN.load(Ordering::SeqCst) == 0 || !child.is_cancelled()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(SEEN.load(Ordering::SeqCst), Reason::TIMED_OUT.0); // the library watched it
    assert_eq!(child.reason(), Reason::TIMED_OUT);
    unsafe { enough_registration_destroy(registration) };
}

#[test]
fn a_panicking_stop_never_unwinds_into_c() {
    struct Panics;
    impl Stop for Panics {
        fn check(&self) -> Result<(), StopReason> {
            panic!("a bug in someone's Stop")
        }
    }
    let token = Token::from_stop(Panics);
    assert!(token.is_cancelled()); // reported as cancelled, no unwind across the ABI
}

#[test]
fn tokens_cross_threads() {
    let source = Source::new();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let token = source.token();
            std::thread::spawn(move || {
                let mut spins = 0u64;
                while token.check().is_ok() {
                    spins += 1;
                }
                (spins, token.reason())
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(20));
    source.cancel_with_reason(Reason(777));
    for worker in workers {
        let (_spins, reason) = worker.join().unwrap();
        assert_eq!(reason, Reason(777));
    }
}

#[test]
fn raw_handles_round_trip() {
    let source = Source::new();
    let raw = source.token().into_raw();
    let token = unsafe { Token::from_raw(raw) }.unwrap();
    source.cancel();
    assert!(token.is_cancelled());
    assert!(unsafe { Token::from_raw(core::ptr::null_mut()) }.is_none());
}

#[cfg(feature = "c-example")]
#[test]
fn a_c_function_takes_a_token_from_rust() {
    extern "C" {
        fn enough_cancel_decode_example(blocks: usize, token: *mut core::ffi::c_void) -> usize;
    }
    let source = Source::new();
    let token = source.token();
    assert_eq!(unsafe { enough_cancel_decode_example(1000, token.as_raw()) }, 1000);
    source.cancel();
    assert_eq!(unsafe { enough_cancel_decode_example(1000, token.as_raw()) }, 0);
    // And a Stop written in Rust, checked by the C function.
    let stopped = Arc::new(AtomicBool::new(true));
    let from_stop = Token::from_stop(Flag { stopped, timed_out: false });
    assert_eq!(unsafe { enough_cancel_decode_example(1000, from_stop.as_raw()) }, 0);
}

#[test]
fn nothing_leaks() {
    let before = live_objects();
    {
        let source = Source::new();
        let _clone = source.clone();
        let token = source.token();
        let _linked = Source::linked([&token]);
        source.cancel();
    }
    assert_eq!(live_objects(), before);
}
