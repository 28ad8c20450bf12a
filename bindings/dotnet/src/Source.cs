// The right to cancel.
using System;
using System.Threading;
using System.Threading.Tasks;

namespace Enough
{
    /// <summary>The right to cancel.</summary>
    public sealed class Source : IDisposable
    {
        private readonly SourceHandle _handle;
        private CancellationTokenRegistration _bridge;

        private int _reasonAtDispose; // what Reason says once disposed, as .NET's does

        /// <summary>A new source, not cancelled.</summary>
        public Source() : this(Native.enough_cancellation_create()) { }
        /// <summary>A source that cancels with Reason.TimedOut after the delay (.NET's
        /// CancellationTokenSource(TimeSpan)); see CancelAfter.</summary>
        public Source(TimeSpan delay) : this() { CancelAfter(delay); }
        /// <summary>A source that cancels after millisecondsDelay (Timeout.Infinite: never).</summary>
        public Source(int millisecondsDelay) : this() { CancelAfter(millisecondsDelay); }
        private Source(SourceHandle handle)
        {
            if (handle.IsInvalid) throw new OutOfMemoryException("enough: out of memory");
            _handle = handle;
        }

        /// <summary>A source cancelled, with the parent's reason, when any parent token is
        /// (CreateLinkedTokenSource). It follows them until disposed; for a token that
        /// follows on its own, see Token.Linked.</summary>
        public static Source Linked(params Token[] parents)
        {
            return Enough.Token.WithHandles(parents, (raw, count) => new Source(Native.enough_cancellation_create_linked(raw, count)));
        }

        /// <summary>A source cancelled when the .NET token is (CancellationToken.Register);
        /// the registration goes with Dispose().</summary>
        public static Source FromCancellationToken(CancellationToken token, int reason = (int)Enough.Reason.Cancelled)
        {
            var source = new Source();
            source._bridge = token.Register(() => source.Cancel(reason));
            return source;
        }

        /// <summary>The handle, the void* the flat C API and other languages take.</summary>
        public SourceHandle Handle { get { return _handle; } }
        /// <summary>Cancels with the reason; true for the call that cancelled (the first
        /// one wins). Every callback runs on this thread before it returns; then, as
        /// .NET's Cancel(), it throws an AggregateException of what they threw (those
        /// without an onError), in the order they ran.</summary>
        public bool Cancel(int reason = (int)Enough.Reason.Cancelled)
        {
            return CancelScope.Run(() => !_handle.IsClosed && Native.enough_cancellation_cancel_with_reason(_handle, reason),
                                   false);
        }
        /// <summary>.NET's Cancel(bool): with throwOnFirstException, the first exception a
        /// callback throws propagates as it is and the callbacks after it do not run;
        /// without, an AggregateException once all have run.</summary>
        public void Cancel(bool throwOnFirstException)
        {
            CancelScope.Run(() => !_handle.IsClosed && Native.enough_cancellation_cancel_with_reason(
                                      _handle, (int)Enough.Reason.Cancelled), throwOnFirstException);
        }
        /// <summary>.NET's CancelAsync: the token reads cancelled when this returns; the
        /// callbacks run on the library's thread, never this one, and the task completes
        /// once those registered before this call have run (what they throw goes to their
        /// onError, or is dropped: no Cancel call is there to throw it).</summary>
        public Task CancelAsync(int reason = (int)Enough.Reason.Cancelled)
        {
            if (IsCancelled) return Task.FromResult(true);
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (var token = Token())
            {
                // Registered last: callbacks run in registration order, so it runs after them.
                token.UnsafeRegister(_ => done.TrySetResult(true), null);
            }
            Native.enough_cancellation_cancel_async(_handle, reason); // lost a race: it ran anyway
            return done.Task;
        }
        /// <summary>.NET's TryReset: true when not cancelled and nothing is registered on
        /// its token (no callback, linked child or export); an armed deadline is then
        /// disarmed. Unlike .NET's it does not unregister callbacks: with any, false.</summary>
        public bool TryReset() { return Native.enough_cancellation_try_reset(_handle); }
        /// <summary>Cancels with Reason.TimedOut after the delay (rounded up to whole
        /// milliseconds; zero cancels now), re-arming an earlier one. As in .NET,
        /// Timeout.InfiniteTimeSpan means never (an armed deadline no longer fires) and any
        /// other negative delay throws ArgumentOutOfRangeException. False once cancelled.</summary>
        public bool CancelAfter(TimeSpan delay)
        {
            if (delay == Timeout.InfiniteTimeSpan)
                return Native.enough_cancellation_cancel_after(_handle, ulong.MaxValue); // never
            if (delay < TimeSpan.Zero)
                throw new ArgumentOutOfRangeException("delay", "a negative delay other than Timeout.InfiniteTimeSpan");
            return Native.enough_cancellation_cancel_after(_handle, (ulong)Math.Ceiling(delay.TotalMilliseconds));
        }
        /// <summary>CancelAfter in milliseconds: Timeout.Infinite (-1) means never.</summary>
        public bool CancelAfter(int millisecondsDelay)
        {
            if (millisecondsDelay < Timeout.Infinite)
                throw new ArgumentOutOfRangeException("millisecondsDelay", "a negative delay other than Timeout.Infinite");
            return CancelAfter(millisecondsDelay == Timeout.Infinite ? Timeout.InfiniteTimeSpan
                                                                     : TimeSpan.FromMilliseconds(millisecondsDelay));
        }
        /// <summary>Reason.None while not cancelled, else why; still answered once disposed.</summary>
        public int Reason { get { return _handle.IsClosed ? _reasonAtDispose : Native.enough_cancellation_reason(_handle); } }
        /// <summary>True once cancelled (still answered once disposed).</summary>
        public bool IsCancelled { get { return Reason != 0; } }
        /// <summary>A token of this source, yours to dispose.</summary>
        public Token Token() { return new Token(Native.enough_token_create(_handle)); }

        /// <summary>Releases the source: its tokens keep their state, and never cancel
        /// if it had not cancelled.</summary>
        public void Dispose()
        {
            _bridge.Dispose(); // first: no .NET callback may cancel a released source
            if (!_handle.IsClosed) _reasonAtDispose = Reason;
            _handle.Dispose();
        }
    }
}
