//! Equality, hashing and Debug, as tokio-util's tests use them.
use std::collections::HashSet;

use enough_cancel::{Reason, Source, Token};

#[test]
fn tokens_of_one_state_are_equal_and_hash_alike() {
    let source = Source::new();
    let (a, b) = (source.token(), source.token());
    assert_eq!(a, b);
    assert_eq!(a, a.clone());
    let other = Source::new();
    assert_ne!(a, other.token());
    assert_ne!(a, source.child().token()); // a linked source is another state
    let set: HashSet<Token> = [a.clone(), b, other.token(), Token::never()].into_iter().collect();
    assert_eq!(set.len(), 3);
    assert!(set.contains(&a));
}

#[test]
fn debug_shows_the_reason() {
    let source = Source::new();
    let token = source.token();
    source.cancel_with_reason(Reason(4242));
    let shown = format!("{token:?} {source:?}");
    assert!(shown.starts_with("Token {") && shown.contains("Source {"), "{shown}");
    assert!(shown.contains("Reason(4242)") && shown.contains("may_cancel: true"), "{shown}");
}
