//! Cancelling when a scope ends: tokio-util's `DropGuard`, and a guard that cancels
//! only when the scope ends by a panic.

use crate::Source;

/// Cancels its source when dropped ([`Source::drop_guard`]); or, made by
/// [`Source::drop_guard_on_panic`], only when dropped while the thread panics.
/// [`DropGuard::disarm`] gives the source back uncancelled.
#[must_use = "dropping the guard at once cancels at once"]
pub struct DropGuard {
    source: Option<Source>,
    only_on_panic: bool,
}

impl Source {
    /// A guard that cancels this source when it is dropped.
    pub fn drop_guard(self) -> DropGuard {
        DropGuard { source: Some(self), only_on_panic: false }
    }

    /// A guard that cancels this source only when it is dropped during a panic (the
    /// scope unwinding), and otherwise lets it go uncancelled.
    pub fn drop_guard_on_panic(self) -> DropGuard {
        DropGuard { source: Some(self), only_on_panic: true }
    }

    /// A new source linked to this one: cancelled with this one's reason when it
    /// cancels, and cancellable on its own without touching this one.
    pub fn child(&self) -> Source {
        Source::linked([&self.token()])
    }
}

impl DropGuard {
    /// The source, uncancelled; the guard no longer cancels anything.
    pub fn disarm(mut self) -> Source {
        self.source.take().expect("a guard holds its source until disarmed or dropped")
    }
}

impl Drop for DropGuard {
    fn drop(&mut self) {
        if let Some(source) = self.source.take() {
            if !self.only_on_panic || std::thread::panicking() {
                source.cancel();
            }
        }
    }
}
