// The right to observe, and the exception a cancelled token throws.
using System;
using System.Threading;

namespace Enough
{
    /// <summary>OperationCanceledException for a cancelled token, with its reason; a
    /// TimeoutException is the inner exception of a timed-out one.</summary>
    public sealed class TokenCancelledException : OperationCanceledException
    {
        /// <summary>For a token cancelled with <paramref name="reason"/>.</summary>
        public TokenCancelledException(int reason)
            : base(reason == (int)Enough.Reason.TimedOut ? "The operation timed out." : "The operation was canceled.",
                   reason == (int)Enough.Reason.TimedOut ? new TimeoutException() : null)
        {
            Reason = reason;
        }
        /// <summary>Why the token was cancelled.</summary>
        public int Reason { get; private set; }
    }

    /// <summary>The right to observe a cancellation.</summary>
    public sealed class Token : IDisposable
    {
        private readonly TokenHandle _handle;
        private readonly IntPtr _word; // the state word, or zero: none
        private readonly IntPtr _identity; // the interface pointer: one per state
        private readonly object _waitLock = new object();
        private ManualResetEvent _waitHandle;
        private RegistrationHandle _waitRegistration;

        internal Token(TokenHandle handle)
        {
            if (handle.IsInvalid) throw new OutOfMemoryException("enough: out of memory");
            _handle = handle;
            _identity = handle.DangerousGetHandle();
            _word = Native.StateWord(_identity);
        }
        /// <summary>The never token: never cancelled, MayCancel false.</summary>
        public static Token Never() { return new Token(Native.enough_token_create_never()); }

        /// <summary>A token cancelled, with the first parent's reason, as soon as any parent
        /// is, that needs no source kept alive (tokio's child_token, JavaScript's
        /// AbortSignal.any): it follows until disposed. Once no parent can cancel any more,
        /// neither can it (MayCancel turns false).</summary>
        public static Token Linked(params Token[] parents)
        {
            return WithHandles(parents, (raw, count) => new Token(Native.enough_token_create_linked(raw, count)));
        }

        /// <summary>Calls make with the parents' raw handles, each kept alive for the call
        /// (the library keeps references of its own).</summary>
        internal static T WithHandles<T>(Token[] parents, Func<IntPtr[], UIntPtr, T> make)
        {
            if (parents == null) throw new ArgumentNullException("parents");
            var raw = new IntPtr[parents.Length];
            var added = new bool[parents.Length];
            try
            {
                for (int i = 0; i < parents.Length; ++i)
                {
                    parents[i].Handle.DangerousAddRef(ref added[i]);
                    raw[i] = parents[i].Handle.DangerousGetHandle();
                }
                return make(raw, (UIntPtr)parents.Length);
            }
            finally
            {
                for (int i = 0; i < parents.Length; ++i) if (added[i]) parents[i].Handle.DangerousRelease();
            }
        }

        /// <summary>The handle, the void* the flat C API and other languages take.</summary>
        public TokenHandle Handle { get { return _handle; } }

        /// <summary>Tokens are equal when they observe the same state: the tokens of one
        /// source, clones, every never token.</summary>
        public override bool Equals(object other)
        {
            var token = other as Token;
            return token != null && token._identity == _identity;
        }
        /// <summary>The hash of the observed state, consistent with Equals.</summary>
        public override int GetHashCode() { return _identity.GetHashCode(); }

        /// <summary>True once cancelled: one volatile read of the token's state word (no
        /// native call). It may run on many threads at once, not during Dispose.</summary>
        public bool IsCancelled
        {
            get
            {
                if (_word != IntPtr.Zero && !_handle.IsClosed)
                {
                    unsafe { return Volatile.Read(ref *(int*)_word) != 0; }
                }
                return Native.enough_token_is_cancelled(_handle);
            }
        }

        /// <summary>Throws TokenCancelledException (an OperationCanceledException) once
        /// cancelled; its inner exception is a TimeoutException for a deadline.</summary>
        public void ThrowIfCancellationRequested()
        {
            if (IsCancelled) throw new TokenCancelledException(Reason);
        }

        /// <summary>A WaitHandle signalled once the token is cancelled (made on first
        /// use, by a registration on the token; it goes with Dispose).</summary>
        public WaitHandle WaitHandle
        {
            get
            {
                lock (_waitLock)
                {
                    if (_waitHandle == null)
                    {
                        var signalled = new ManualResetEvent(false);
                        _waitRegistration = Register(reason => signalled.Set());
                        _waitHandle = signalled;
                    }
                    return _waitHandle;
                }
            }
        }
        /// <summary>True while cancelled or still able to be; false for the never token
        /// and once every source is gone without cancelling (then forever).</summary>
        public bool MayCancel { get { return Native.enough_token_may_cancel(_handle); } }
        /// <summary>Reason.None while not cancelled, else why.</summary>
        public int Reason { get { return Native.enough_token_reason(_handle); } }

        /// <summary>Blocks until cancelled (true) or the timeout passes (false).</summary>
        public bool Wait(TimeSpan timeout)
        {
            return Native.enough_token_wait(_handle, timeout < TimeSpan.Zero ? -1 : (long)timeout.TotalMilliseconds);
        }

        /// <summary>Runs action(reason) once, on the cancelling thread, while the returned
        /// registration is not disposed (at once, on this thread, if the token already is
        /// cancelled: see TryRegister for a registration that never does). Exceptions it
        /// throws are passed to onError (or dropped), never to native code.</summary>
        public RegistrationHandle Register(Action<int> action, Action<Exception> onError = null)
        {
            if (action == null) throw new ArgumentNullException("action");
            return Registered(new ActionCallback(action, onError), true, false);
        }

        /// <summary>.NET's Register(Action): the ExecutionContext of this call flows into
        /// the callback; an exception it throws is thrown by the Cancel that ran it.</summary>
        public RegistrationHandle Register(Action callback)
        {
            return Register(callback, false);
        }

        /// <summary>.NET's Register(Action, bool): with useSynchronizationContext, the
        /// callback runs through SynchronizationContext.Current's Send, as captured now.</summary>
        public RegistrationHandle Register(Action callback, bool useSynchronizationContext)
        {
            if (callback == null) throw new ArgumentNullException("callback");
            return Registered(new ActionCallback(reason => callback(), null), true, useSynchronizationContext);
        }

        /// <summary>.NET's Register(Action&lt;object&gt;, object).</summary>
        public RegistrationHandle Register(Action<object> callback, object state)
        {
            if (callback == null) throw new ArgumentNullException("callback");
            return Registered(new StateCallback<object>((s, reason) => callback(s), state, null), true, false);
        }

        /// <summary>.NET's UnsafeRegister: as Register, without flowing the ExecutionContext.</summary>
        public RegistrationHandle UnsafeRegister(Action<object> callback, object state)
        {
            if (callback == null) throw new ArgumentNullException("callback");
            return Registered(new StateCallback<object>((s, reason) => callback(s), state, null), false, false);
        }

        /// <summary>Runs action(state, reason): a static lambda and a state object, so
        /// that no closure is allocated (CancellationToken.Register(Action&lt;object&gt;,
        /// object)'s form).</summary>
        public RegistrationHandle Register<TState>(Action<TState, int> action, TState state,
                                                   Action<Exception> onError = null)
        {
            if (action == null) throw new ArgumentNullException("action");
            return Registered(new StateCallback<TState>(action, state, onError), true, false);
        }

        /// <summary>Registers action(reason) unless the token is already cancelled: then
        /// it returns false, registration is null, and nothing is scheduled or run. The
        /// action never runs on this thread, under locks the caller holds
        /// (dotnet/runtime#107094).</summary>
        public bool TryRegister(Action<int> action, out RegistrationHandle registration,
                                Action<Exception> onError = null)
        {
            if (action == null) throw new ArgumentNullException("action");
            return TryRegistered(new ActionCallback(action, onError), out registration);
        }

        /// <summary>TryRegister with a state object: no closure.</summary>
        public bool TryRegister<TState>(Action<TState, int> action, TState state,
                                        out RegistrationHandle registration, Action<Exception> onError = null)
        {
            if (action == null) throw new ArgumentNullException("action");
            return TryRegistered(new StateCallback<TState>(action, state, onError), out registration);
        }

        private RegistrationHandle Registered(CallbackState callback, bool flowContext, bool useSynchronizationContext)
        {
            callback.Capture(flowContext, useSynchronizationContext);
            IntPtr state = CallbackState.Create(callback, _handle.DangerousGetHandle());
            // Rooted before the library may run it (it unroots itself once it has run).
            Rooted.Add(callback);
            RegistrationHandle registration;
            CallbackState.InRegister = true; // an already cancelled token runs it here, now
            try { registration = Native.enough_token_register(_handle, CallbackState.Trampoline, state); }
            finally { CallbackState.InRegister = false; }
            if (registration.IsInvalid)
            {
                CallbackState.Free(state); // never registered: nothing runs it
                throw new OutOfMemoryException("enough: out of memory");
            }
            registration.State = state;
            registration.Token = this;
            callback.RootUnlessRan(registration);
            return registration;
        }

        private bool TryRegistered(CallbackState callback, out RegistrationHandle registration)
        {
            registration = null;
            if (IsCancelled) return false; // nothing scheduled
            RegistrationHandle made;
            CallbackState.BeginRegistering(callback);
            try { made = Registered(callback, true, false); }
            finally { CallbackState.EndRegistering(); }
            if (callback.CancelledWhileRegistering) // cancelled in between: it did not run
            {
                made.Dispose();
                return false;
            }
            registration = made;
            return true;
        }

        /// <summary>A .NET CancellationToken cancelled when this token is. Dispose the
        /// returned source to stop following.</summary>
        public CancellationTokenSource ToCancellationTokenSource(out RegistrationHandle registration)
        {
            var cts = new CancellationTokenSource();
            registration = Register(reason => cts.Cancel());
            return cts;
        }

        /// <summary>Releases the token's reference (its WaitHandle too).</summary>
        public void Dispose()
        {
            lock (_waitLock)
            {
                if (_waitRegistration != null) _waitRegistration.Dispose(); // before the event
                if (_waitHandle != null) _waitHandle.Dispose();
            }
            _handle.Dispose();
        }
    }
}
