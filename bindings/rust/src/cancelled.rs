//! `token.cancelled().await`, with any executor: the future registers a callback on
//! the token that wakes its task; nothing polls, and no runtime is needed.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::sync::{Arc, Mutex};

use crate::{Reason, Registration, Token};

/// The future of [`Token::cancelled`] and [`Token::cancelled_owned`]: ready with the
/// reason once the token cancels. Dropping it unregisters its callback.
#[must_use = "futures do nothing unless polled"]
pub struct Cancelled<'a> {
    token: Held<'a>,
    waiting: Option<(Arc<Mutex<Option<Waker>>>, Registration)>,
}

enum Held<'a> {
    Borrowed(&'a Token),
    Owned(Token),
}

impl Token {
    /// A future ready with the reason once this token cancels (never, for a token that
    /// can never cancel). Cancel-safe: drop it any time.
    pub fn cancelled(&self) -> Cancelled<'_> {
        Cancelled { token: Held::Borrowed(self), waiting: None }
    }

    /// The same, owning the token: for a future that must be `'static`.
    pub fn cancelled_owned(self) -> Cancelled<'static> {
        Cancelled { token: Held::Owned(self), waiting: None }
    }
}

impl Future for Cancelled<'_> {
    type Output = Reason;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Reason> {
        let this = self.get_mut(); // every field is Unpin
        let token = match &this.token {
            Held::Borrowed(token) => *token,
            Held::Owned(token) => token,
        };
        if token.is_cancelled() {
            return Poll::Ready(token.reason());
        }
        match &this.waiting {
            Some((waker, _)) => {
                let mut slot = waker.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                if !slot.as_ref().is_some_and(|w| w.will_wake(context.waker())) {
                    *slot = Some(context.waker().clone());
                }
            }
            None => {
                let waker = Arc::new(Mutex::new(Some(context.waker().clone())));
                let woken = Arc::clone(&waker);
                let registration = token.register(move |_| {
                    let taken = woken.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
                    if let Some(waker) = taken {
                        waker.wake(); // outside the lock
                    }
                });
                this.waiting = Some((waker, registration));
            }
        }
        // Cancelled between the first check and the waker's store: do not miss it.
        if token.is_cancelled() {
            Poll::Ready(token.reason())
        } else {
            Poll::Pending
        }
    }
}

impl Token {
    /// tokio-util's `run_until_cancelled`: runs `future` until this token cancels;
    /// `Some` of its output if it finishes first, `None` if the token cancels first (a
    /// token already cancelled never polls it: cancellation is looked at first).
    pub async fn run_until_cancelled<F: Future>(&self, future: F) -> Option<F::Output> {
        race(self.cancelled(), future).await
    }

    /// The same, owning the token: for a future that must be `'static`.
    pub async fn run_until_cancelled_owned<F: Future>(self, future: F) -> Option<F::Output> {
        race(self.cancelled_owned(), future).await
    }
}

/// `future`'s output unless `cancelled` is ready first (looked at first on every poll).
async fn race<F: Future>(mut cancelled: Cancelled<'_>, future: F) -> Option<F::Output> {
    let mut future = core::pin::pin!(future);
    core::future::poll_fn(|context| {
        if Pin::new(&mut cancelled).poll(context).is_ready() {
            return Poll::Ready(None);
        }
        future.as_mut().poll(context).map(Some)
    })
    .await
}
