//! `token.cancelled()` with tokio and with a minimal executor; callbacks; drop guards;
//! child sources.
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use enough_cancel::{live_objects, Reason, Source, Token};

/// The tests of this file run one at a time: two of them count the library's live
/// objects, which the others would change.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A block_on of a few lines: no runtime, the waker unparks this thread.
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::park();
    }
}

#[test]
fn cancelled_with_a_minimal_executor() {
    let _serial = serial();
    let source = Source::new();
    let token = source.token();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        source.cancel_with_reason(Reason(300));
    });
    assert_eq!(block_on(token.cancelled()), Reason(300));
    canceller.join().unwrap();
    assert_eq!(block_on(token.cancelled()), Reason(300)); // ready at once now
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_against_cancelled() {
    let _serial = serial();
    let source = Source::new();
    let token = source.token();
    let worker = tokio::spawn(async move {
        let mut ticks = 0u32;
        loop {
            tokio::select! {
                reason = token.cancelled() => return (reason, ticks),
                _ = tokio::time::sleep(Duration::from_millis(1)) => ticks += 1,
            }
        }
    });
    tokio::time::sleep(Duration::from_millis(30)).await;
    source.cancel();
    let (reason, ticks) = worker.await.unwrap();
    assert_eq!(reason, Reason::CANCELLED);
    assert!(ticks > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_tasks_await_one_token() {
    let _serial = serial();
    let before = live_objects();
    let source = Source::new();
    let tasks: Vec<_> = (0..200).map(|_| tokio::spawn(source.token().cancelled_owned())).collect();
    tokio::time::sleep(Duration::from_millis(10)).await;
    source.cancel_with_reason(Reason::TIMED_OUT);
    for task in tasks {
        assert_eq!(task.await.unwrap(), Reason::TIMED_OUT);
    }
    drop(source);
    assert_eq!(live_objects(), before);
}

#[tokio::test]
async fn dropping_the_future_unregisters() {
    let _serial = serial();
    let before = live_objects();
    let source = Source::new();
    let token = source.token();
    // Polled once (registered), then dropped by the timeout.
    assert!(tokio::time::timeout(Duration::from_millis(5), token.cancelled()).await.is_err());
    drop(token);
    drop(source);
    assert_eq!(live_objects(), before, "the registration went with the future");
}

#[test]
fn a_token_that_can_never_cancel_stays_pending() {
    let _serial = serial();
    let never = Token::never();
    let waker = Waker::noop();
    let mut future = pin!(never.cancelled());
    assert!(future.as_mut().poll(&mut Context::from_waker(waker)).is_pending());
}

#[test]
fn register_runs_once_and_a_dropped_registration_never_runs() {
    let _serial = serial();
    let source = Source::new();
    let token = source.token();
    let runs = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(None));
    let (r, s) = (Arc::clone(&runs), Arc::clone(&seen));
    let kept = token.register(move |reason| {
        r.fetch_add(1, Ordering::SeqCst);
        *s.lock().unwrap() = Some(reason);
    });
    let r = Arc::clone(&runs);
    let dropped = token.register(move |_| {
        r.fetch_add(100, Ordering::SeqCst);
    });
    drop(dropped);
    source.cancel_with_reason(Reason(4242));
    source.cancel();
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    assert_eq!(*seen.lock().unwrap(), Some(Reason(4242)));
    drop(kept);
    // Already cancelled: runs at once, on this thread.
    let here = std::thread::current().id();
    let ran_on = Arc::new(Mutex::new(None));
    let r = Arc::clone(&ran_on);
    let _late = token.register(move |_| *r.lock().unwrap() = Some(std::thread::current().id()));
    assert_eq!(*ran_on.lock().unwrap(), Some(here));
}

#[test]
fn a_panicking_callback_never_unwinds_into_the_library() {
    let _serial = serial();
    let before = live_objects();
    let source = Source::new();
    let token = source.token();
    let after = Arc::new(AtomicUsize::new(0));
    let _first = token.register(|_| panic!("a callback that panics"));
    let a = Arc::clone(&after);
    let _second = token.register(move |_| {
        a.fetch_add(1, Ordering::SeqCst);
    });
    assert!(source.cancel()); // returns: the panic stayed in its callback
    assert_eq!(after.load(Ordering::SeqCst), 1, "the next callback still ran");
    drop((_first, _second, token, source));
    assert_eq!(live_objects(), before, "both registrations released");
}

#[test]
fn a_drop_guard_cancels_and_disarm_gives_the_source_back() {
    let _serial = serial();
    let source = Source::new();
    let token = source.token();
    let guard = source.drop_guard();
    let source = guard.disarm();
    assert!(!token.is_cancelled());
    drop(source.drop_guard());
    assert_eq!(token.reason(), Reason::CANCELLED);
}

#[test]
fn a_drop_guard_on_panic_cancels_only_when_unwinding() {
    let _serial = serial();
    let calm = Source::new();
    let calm_token = calm.token();
    drop(calm.drop_guard_on_panic());
    assert!(!calm_token.is_cancelled());

    let source = Source::new();
    let token = source.token();
    let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        let _guard = source.drop_guard_on_panic();
        panic!("the scope fails");
    }));
    assert!(unwound.is_err());
    assert_eq!(token.reason(), Reason::CANCELLED);
}

#[test]
fn a_child_follows_its_parent_and_not_the_other_way() {
    let _serial = serial();
    let parent = Source::new();
    let child = parent.child();
    let (parent_token, child_token) = (parent.token(), child.token());
    let grandchild = child.child();
    grandchild.cancel();
    assert!(!child_token.is_cancelled() && !parent_token.is_cancelled());
    parent.cancel_with_reason(Reason(500));
    assert_eq!(child_token.reason(), Reason(500));
}
