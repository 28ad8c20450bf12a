//! Depth without recursion and tokens that follow on their own (issue 24): a chain of
//! a million linked sources and one of a million linked tokens cancel from a thread
//! with a 128 KiB stack and are dropped with nothing left alive; a hundred thousand
//! children of one parent cancel in one call; fan-in orphaning.
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use enough_cancel::{live_objects, Reason, Source, Token};

/// A million links; fewer where test-installed.sh says so (under qemu-user).
fn chain_length() -> usize {
    std::env::var("ENOUGH_TEST_CHAIN").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000_000)
}
const CHILDREN: usize = 100_000;
const SMALL_STACK: usize = 128 * 1024; // musl's default thread stack

/// One test at a time: each counts the library's live objects.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(SMALL_STACK).spawn(work).unwrap().join().unwrap()
}

/// A chain of chain_length() links below `root`; the sources it must keep (a linked source
/// follows while it lives) and the leaf's token.
fn chain(root: &Source, linked_sources: bool) -> (Vec<Source>, Token) {
    let mut sources = Vec::new();
    let mut token = root.token();
    for _ in 0..chain_length() {
        token = if linked_sources {
            sources.push(Source::linked([&token]));
            sources.last().unwrap().token()
        } else {
            token.child_token() // keeps its parent: nothing else to keep
        };
    }
    (sources, token)
}

fn cancel_a_chain_from_a_small_stack(linked_sources: bool) {
    let _serial = serial();
    let before = live_objects();
    let root = Arc::new(Source::new());
    let (sources, leaf) = chain(&root, linked_sources);
    let seen = Arc::new(AtomicI32::new(0));
    let registration = leaf.register({
        let seen = seen.clone();
        move |reason| seen.store(reason.0, Ordering::SeqCst)
    });
    let canceller = root.clone();
    on_small_stack(move || canceller.cancel_with_reason(Reason(4242)));
    assert_eq!(seen.load(Ordering::SeqCst), 4242); // ran before cancel returned
    assert_eq!(leaf.reason(), Reason(4242));
    drop(registration);
    on_small_stack(move || drop(leaf)); // the last reference to a chain of tokens
    drop(sources);
    drop(root);
    assert_eq!(live_objects(), before);
}

#[test]
fn a_million_linked_sources_cancel_from_a_small_stack() {
    cancel_a_chain_from_a_small_stack(true);
}

#[test]
fn a_million_linked_tokens_cancel_from_a_small_stack() {
    cancel_a_chain_from_a_small_stack(false);
}

#[test]
fn a_million_linked_tokens_are_orphaned_from_a_small_stack() {
    let _serial = serial();
    let before = live_objects();
    let root = Source::new();
    let (_, leaf) = chain(&root, false);
    on_small_stack(move || drop(root)); // none of them can ever cancel now
    assert!(!leaf.may_cancel());
    drop(leaf);
    assert_eq!(live_objects(), before);
}

#[test]
fn a_hundred_thousand_children_cancel_in_one_call() {
    let _serial = serial();
    let before = live_objects();
    let parent = Source::new();
    let parent_token = parent.token();
    let ran = Arc::new(AtomicUsize::new(0));
    let children: Vec<Token> = (0..CHILDREN).map(|_| parent_token.child_token()).collect();
    let registrations: Vec<_> = children
        .iter()
        .map(|child| {
            let ran = ran.clone();
            child.register(move |_| {
                ran.fetch_add(1, Ordering::Relaxed);
            })
        })
        .collect();
    parent.cancel();
    assert_eq!(ran.load(Ordering::SeqCst), CHILDREN); // all, before cancel returned
    drop(registrations);
    drop(children);
    drop((parent_token, parent));
    assert_eq!(live_objects(), before);
}

#[test]
fn fan_in_a_linked_token_is_orphaned_once_every_parent_is() {
    let _serial = serial();
    let before = live_objects();
    let (a, b) = (Source::new(), Source::new());
    let linked = Arc::new(Token::linked([&a.token(), &b.token()]));
    let waiter = std::thread::spawn({
        let linked = linked.clone();
        move || linked.wait(None) // no limit: a cancel or the orphaning ends it
    });
    drop(a);
    std::thread::sleep(Duration::from_millis(20));
    assert!(linked.may_cancel() && !waiter.is_finished()); // b still may cancel
    drop(b);
    assert!(!waiter.join().unwrap()); // woken by the orphaning
    assert!(!linked.may_cancel() && !linked.is_cancelled());
    drop(linked);
    assert_eq!(live_objects(), before);
}

#[test]
fn linking_to_none_one_four_or_nine_parents_follows_each_of_them() {
    // The parents' handles go on the stack up to four, into a Vec beyond: both ways,
    // every parent is linked (the last one cancels the child) and none is left over.
    let _serial = serial();
    let before = live_objects();
    for count in [0usize, 1, 4, 5, 9] {
        let sources: Vec<Source> = (0..count).map(|_| Source::new()).collect();
        let tokens: Vec<Token> = sources.iter().map(Source::token).collect();
        let linked_token = Token::linked(&tokens);
        let linked_source = Source::linked(&tokens);
        assert_eq!(linked_token.may_cancel(), count > 0, "{count} parents");
        if let Some(last) = sources.last() {
            last.cancel_with_reason(Reason(40 + count as i32));
            assert_eq!(linked_token.reason(), Reason(40 + count as i32), "{count} parents");
            assert_eq!(linked_source.reason(), Reason(40 + count as i32), "{count} parents");
        }
    }
    assert_eq!(live_objects(), before);
}

#[test]
fn a_child_token_follows_with_no_source_kept() {
    let _serial = serial();
    let parent = Source::new();
    let child = parent.token().child_token(); // the parent's token is dropped here
    let grandchild = child.child_token();
    drop(child);
    parent.cancel_with_reason(Reason(77));
    assert_eq!(grandchild.reason(), Reason(77));
}
