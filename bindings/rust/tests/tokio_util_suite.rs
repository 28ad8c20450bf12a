//! tokio-util's own tests of `CancellationToken` (`tests/sync_cancellation_token.rs`),
//! written anew for this crate: what each of tokio's tests checks, checked here.
//! tokio's one type is two here: a `Source` cancels, its `Token`s observe. A tokio
//! token that is cancelled is a `Source` (its children: `Source::child`); one that is
//! only awaited is a `Token` (its children: `Token::child_token`). The futures are
//! polled by hand with a waker that counts its wakes, as tokio's tests do.
//!
//! tokio's 18 tests (tokio-util at tokio's 2026-08 head) come first, under their
//! names; four more checks of ours follow.
use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use enough_cancel::{Cancelled, Reason, Source, Token};

struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A waker and how often it was woken.
fn counting_waker() -> (Waker, Arc<CountingWaker>) {
    let counter = Arc::new(CountingWaker(AtomicUsize::new(0)));
    (Waker::from(Arc::clone(&counter)), counter)
}

fn wakes(counter: &CountingWaker) -> usize {
    counter.0.load(Ordering::SeqCst)
}

fn poll<F: Future + ?Sized>(future: Pin<&mut F>, waker: &Waker) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(waker))
}

fn pending(future: Pin<&mut Cancelled<'_>>, waker: &Waker) -> bool {
    poll(future, waker).is_pending()
}

#[test]
fn cancel_token() {
    let (waker, counter) = counting_waker();
    let source = Source::new();
    let token = source.token();
    assert!(!token.is_cancelled());
    let mut first = pin!(token.cancelled());
    assert!(pending(first.as_mut(), &waker));
    assert_eq!(wakes(&counter), 0);
    let mut second = pin!(token.cancelled()); // never polled before the cancel
    source.cancel();
    assert_eq!(wakes(&counter), 1);
    assert!(token.is_cancelled());
    assert_eq!(poll(first.as_mut(), &waker), Poll::Ready(Reason::CANCELLED));
    assert_eq!(poll(second.as_mut(), &waker), Poll::Ready(Reason::CANCELLED));
}

#[test]
fn cancel_token_owned() {
    let (waker, counter) = counting_waker();
    let source = Source::new();
    let mut first = pin!(source.token().cancelled_owned());
    assert!(pending(first.as_mut(), &waker));
    let mut second = pin!(source.token().cancelled_owned());
    source.cancel();
    assert_eq!(wakes(&counter), 1);
    assert_eq!(poll(first.as_mut(), &waker), Poll::Ready(Reason::CANCELLED));
    assert_eq!(poll(second.as_mut(), &waker), Poll::Ready(Reason::CANCELLED));
}

#[test]
fn cancel_token_owned_drop_test() {
    let (waker, counter) = counting_waker();
    let source = Source::new();
    let mut future = Box::pin(source.token().cancelled_owned());
    assert!(pending(future.as_mut(), &waker));
    drop(future); // unregisters: the cancel wakes nobody
    source.cancel();
    assert_eq!(wakes(&counter), 0);
}

#[test]
fn cancel_child_token_through_parent() {
    let (waker, counter) = counting_waker();
    let parent = Source::new();
    let child = parent.child();
    let (parent_token, child_token) = (parent.token(), child.token());
    assert!(!child_token.is_cancelled());
    let mut child_future = pin!(child_token.cancelled());
    let mut parent_future = pin!(parent_token.cancelled());
    assert!(pending(child_future.as_mut(), &waker));
    assert!(pending(parent_future.as_mut(), &waker));
    assert_eq!(wakes(&counter), 0);
    parent.cancel();
    assert_eq!(wakes(&counter), 2);
    assert!(parent_token.is_cancelled() && child_token.is_cancelled());
    assert!(poll(child_future.as_mut(), &waker).is_ready());
    assert!(poll(parent_future.as_mut(), &waker).is_ready());
}

#[test]
fn cancel_grandchild_token_through_parent_if_child_was_dropped() {
    let (waker, counter) = counting_waker();
    let root = Source::new();
    let middle = root.child();
    let grandchild = middle.child();
    drop(middle); // the grandchild stays linked to the root through it
    let (root_token, grandchild_token) = (root.token(), grandchild.token());
    assert!(!grandchild_token.is_cancelled());
    assert!(grandchild_token.may_cancel());
    let mut grandchild_future = pin!(grandchild_token.cancelled());
    let mut root_future = pin!(root_token.cancelled());
    assert!(pending(grandchild_future.as_mut(), &waker));
    assert!(pending(root_future.as_mut(), &waker));
    root.cancel_with_reason(Reason(4242));
    assert_eq!(wakes(&counter), 2);
    assert_eq!(grandchild_token.reason(), Reason(4242));
    assert_eq!(poll(grandchild_future.as_mut(), &waker), Poll::Ready(Reason(4242)));
    assert!(poll(root_future.as_mut(), &waker).is_ready());
}

#[test]
fn cancel_child_token_without_parent() {
    let (waker, counter) = counting_waker();
    let parent = Source::new();
    let parent_token = parent.token();
    let first_child = parent.child();
    let first_child_token = first_child.token();
    let mut child_future = pin!(first_child_token.cancelled());
    let mut parent_future = pin!(parent_token.cancelled());
    assert!(pending(child_future.as_mut(), &waker));
    assert!(pending(parent_future.as_mut(), &waker));
    first_child.cancel(); // the child alone
    assert_eq!(wakes(&counter), 1);
    assert!(!parent_token.is_cancelled() && first_child_token.is_cancelled());
    assert!(poll(child_future.as_mut(), &waker).is_ready());
    assert!(pending(parent_future.as_mut(), &waker));
    let second_child = parent.child();
    let second_child_token = second_child.token();
    let mut second_future = pin!(second_child_token.cancelled());
    assert!(pending(second_future.as_mut(), &waker));
    parent.cancel();
    assert_eq!(wakes(&counter), 3);
    assert!(parent_token.is_cancelled() && second_child_token.is_cancelled());
    assert!(poll(second_future.as_mut(), &waker).is_ready());
    assert!(poll(parent_future.as_mut(), &waker).is_ready());
}

#[test]
fn create_child_token_after_parent_was_cancelled() {
    for drop_child_first in [true, false] {
        let (waker, counter) = counting_waker();
        let parent = Source::new();
        parent.cancel();
        let child = parent.child();
        let child_token = child.token();
        assert!(child_token.is_cancelled());
        {
            let parent_token = parent.token();
            let mut child_future = pin!(child_token.cancelled());
            let mut parent_future = pin!(parent_token.cancelled());
            assert!(poll(child_future.as_mut(), &waker).is_ready());
            assert!(poll(parent_future.as_mut(), &waker).is_ready());
            assert_eq!(wakes(&counter), 0); // ready at once: nothing to wake
        }
        if drop_child_first {
            drop(child);
            drop(parent);
        } else {
            drop(parent);
            drop(child);
        }
    }
}

#[test]
fn drop_multiple_child_tokens() {
    for drop_first_child_first in [true, false] {
        let parent = Source::new();
        let mut children: Vec<Option<Source>> = (0..3).map(|_| Some(parent.child())).collect();
        assert!(!parent.is_cancelled());
        assert!(!children[0].as_ref().unwrap().is_cancelled());
        for i in 0..children.len() {
            let index = if drop_first_child_first { i } else { children.len() - 1 - i };
            children[index] = None;
            assert!(!parent.is_cancelled());
        }
    }
}

#[test]
fn cancel_only_all_descendants() {
    let (waker, counter) = counting_waker();
    let parent = Source::new();
    let node = parent.child();
    let sibling = parent.child();
    let child1 = node.child();
    let child2 = node.child();
    let grandchild = child1.child();
    let grandchild2 = child1.child();
    let great_grandchild = grandchild.child();
    let sources = [&parent, &node, &sibling, &child1, &child2, &grandchild, &grandchild2, &great_grandchild];
    let tokens: Vec<Token> = sources.iter().map(|s| s.token()).collect();
    assert!(tokens.iter().all(|t| !t.is_cancelled()));
    let mut futures: Vec<Pin<Box<Cancelled<'_>>>> = tokens.iter().map(|t| Box::pin(t.cancelled())).collect();
    assert!(futures.iter_mut().all(|f| pending(f.as_mut(), &waker)));
    assert_eq!(wakes(&counter), 0);
    node.cancel();
    assert_eq!(wakes(&counter), 6); // the node and its five descendants
    let expected = [false, true, false, true, true, true, true, true];
    for (token, cancelled) in tokens.iter().zip(expected) {
        assert_eq!(token.is_cancelled(), cancelled);
    }
    for (future, cancelled) in futures.iter_mut().zip(expected) {
        assert_eq!(poll(future.as_mut(), &waker).is_ready(), cancelled);
    }
    assert_eq!(wakes(&counter), 6);
}

#[test]
fn drop_parent_before_child_tokens() {
    let parent = Source::new();
    let first = parent.child();
    let second = parent.child();
    drop(parent);
    assert!(!first.is_cancelled());
    drop(first);
    drop(second);
}

#[test]
fn derives_send_sync() {
    fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<Source>();
    send_and_sync::<Token>();
    send_and_sync::<Cancelled<'static>>();
}

#[test]
fn run_until_cancelled_test() {
    let (waker, _) = counting_waker();
    {
        let source = Source::new();
        let token = source.token();
        let mut future = pin!(token.run_until_cancelled(std::future::pending::<()>()));
        assert!(poll(future.as_mut(), &waker).is_pending());
        source.cancel();
        assert_eq!(poll(future.as_mut(), &waker), Poll::Ready(None));
    }
    {
        let (sender, receiver) = tokio::sync::oneshot::channel::<()>();
        let source = Source::new();
        let token = source.token();
        let mut future = pin!(token.run_until_cancelled(async move {
            receiver.await.unwrap();
            42
        }));
        assert!(poll(future.as_mut(), &waker).is_pending());
        sender.send(()).unwrap();
        assert_eq!(poll(future.as_mut(), &waker), Poll::Ready(Some(42)));
    }
    {
        // Already cancelled: the future is never polled.
        let source = Source::new();
        let token = source.token();
        let mut future = pin!(token.run_until_cancelled(async { panic!("polled after the cancel") }));
        source.cancel();
        assert_eq!(poll(future.as_mut(), &waker), Poll::Ready(None));
    }
}

#[test]
fn run_until_cancelled_owned_test() {
    let (waker, _) = counting_waker();
    {
        let source = Source::new();
        let takes_ownership = |token: Token| token.run_until_cancelled_owned(std::future::pending::<()>());
        let mut future = pin!(takes_ownership(source.token()));
        assert!(poll(future.as_mut(), &waker).is_pending());
        source.cancel();
        assert_eq!(poll(future.as_mut(), &waker), Poll::Ready(None));
    }
    {
        let (sender, receiver) = tokio::sync::oneshot::channel::<()>();
        let source = Source::new();
        let takes_ownership = |token: Token, receiver: tokio::sync::oneshot::Receiver<()>| {
            token.run_until_cancelled_owned(async move {
                receiver.await.unwrap();
                42
            })
        };
        let mut future = pin!(takes_ownership(source.token(), receiver));
        assert!(poll(future.as_mut(), &waker).is_pending());
        sender.send(()).unwrap();
        assert_eq!(poll(future.as_mut(), &waker), Poll::Ready(Some(42)));
    }
}

#[test]
fn cloned_cancellation_tokens_are_considered_equal() {
    let source = Source::new();
    let token = source.token();
    assert_eq!(token.clone(), token);
    assert_eq!(source.token(), token); // the tokens of one source are one token
}

#[test]
fn child_cancellation_tokens_are_not_considered_equal() {
    let source = Source::new();
    let token = source.token();
    assert_ne!(token.child_token(), token);
    assert_ne!(source.child().token(), token);
}

#[test]
fn independent_cancellation_tokens_are_not_considered_equal() {
    assert_ne!(Source::new().token(), Source::new().token());
}

fn hash_of(token: &Token) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(token)
}

#[test]
fn cloned_cancellation_tokens_have_same_hash() {
    let token = Source::new().token();
    assert_eq!(hash_of(&token), hash_of(&token.clone()));
}

#[test]
fn different_cancellation_tokens_have_different_hash() {
    let (first, second) = (Source::new(), Source::new());
    assert_ne!(hash_of(&first.token()), hash_of(&second.token()));
}

// ---- beyond tokio's file: what its users also rely on ------------------------------

#[test]
fn a_cancelled_future_is_woken_once_however_often_it_was_polled() {
    let (waker, counter) = counting_waker();
    let source = Source::new();
    let token = source.token();
    let mut future = pin!(token.cancelled());
    for _ in 0..3 {
        assert!(pending(future.as_mut(), &waker));
    }
    source.cancel();
    assert_eq!(wakes(&counter), 1);
}

#[test]
fn the_waker_of_the_last_poll_is_the_one_woken() {
    let (first, first_counter) = counting_waker();
    let (second, second_counter) = counting_waker();
    let source = Source::new();
    let token = source.token();
    let mut future = pin!(token.cancelled());
    assert!(pending(future.as_mut(), &first));
    assert!(pending(future.as_mut(), &second)); // moved to another task
    source.cancel();
    assert_eq!((wakes(&first_counter), wakes(&second_counter)), (0, 1));
}

#[test]
fn child_tokens_that_only_observe_follow_their_parent() {
    // tokio's child_token() whose child is only awaited: Token::child_token, needing
    // no source kept alive.
    let (waker, counter) = counting_waker();
    let source = Source::new();
    let child = source.token().child_token();
    let grandchild = child.child_token();
    drop(child);
    let mut future = pin!(grandchild.cancelled());
    assert!(pending(future.as_mut(), &waker));
    source.cancel_with_reason(Reason(9));
    assert_eq!(wakes(&counter), 1);
    assert_eq!(poll(future.as_mut(), &waker), Poll::Ready(Reason(9)));
}

#[test]
fn close_stops_a_middle_child_where_drop_does_not() {
    // Beyond tokio: closing (not dropping) the middle one unlinks what hangs below it.
    let root = Source::new();
    let middle = root.child();
    let grandchild = middle.child();
    let token = grandchild.token();
    middle.close();
    root.cancel();
    assert!(!token.is_cancelled());
}
