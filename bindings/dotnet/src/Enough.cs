// Enough: cooperative cancellation for native code, from .NET. P/Invoke over enough's
// flat C API with SafeHandles; CancellationToken both ways.
//
// Every handle is a SafeHandle: released exactly once, by Dispose() or, if forgotten,
// by the finalizer; never while a P/Invoke call is using it (the marshaller adds a
// reference for the call's duration).
//
// Callbacks: the library calls one static trampoline for every registration (a
// delegate that lives as long as the process), with a GCHandle of the registration's
// state as user data, freed exactly once, when the registration is done with. The
// trampoline catches everything: no managed exception ever unwinds through the
// library's frames. A finalizer never waits for a callback running elsewhere.
//
// As in .NET, a registration stays registered until it runs, is disposed or
// unregistered, or its token can never cancel: dropping it does not unregister it.
// Exceptions a callback throws (without an onError) are collected by the Cancel call
// that ran it, on its thread, and thrown from there as an AggregateException.
using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Enough
{
    public enum Reason { None = 0, Cancelled = 1, TimedOut = 2 } // 256 and up: the application's

    internal static class Native
    {
        // libenough.so: .NET finds it in the package's runtimes/linux-x64/native/; mono
        // through LD_LIBRARY_PATH.
        private const string Lib = "enough";

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void Callback(IntPtr userData, int reason);

        [DllImport(Lib)] internal static extern SourceHandle enough_cancellation_create();
        [DllImport(Lib)] internal static extern SourceHandle enough_cancellation_create_linked(IntPtr[] tokens, UIntPtr count);
        [DllImport(Lib)] [return: MarshalAs(UnmanagedType.I1)]
        internal static extern bool enough_cancellation_cancel_with_reason(SourceHandle source, int reason);
        [DllImport(Lib)] [return: MarshalAs(UnmanagedType.I1)]
        internal static extern bool enough_cancellation_cancel_async(SourceHandle source, int reason);
        [DllImport(Lib)] [return: MarshalAs(UnmanagedType.I1)]
        internal static extern bool enough_cancellation_try_reset(SourceHandle source);
        [DllImport(Lib)] [return: MarshalAs(UnmanagedType.I1)]
        internal static extern bool enough_cancellation_cancel_after(SourceHandle source, ulong ms);
        [DllImport(Lib)] internal static extern int enough_cancellation_reason(SourceHandle source);
        [DllImport(Lib)] internal static extern void enough_cancellation_destroy(IntPtr source);
        [DllImport(Lib)] internal static extern TokenHandle enough_token_create(SourceHandle source);
        [DllImport(Lib)] internal static extern TokenHandle enough_token_create_never();
        [DllImport(Lib)] internal static extern TokenHandle enough_token_create_linked(IntPtr[] tokens, UIntPtr count);
        [DllImport(Lib)] [return: MarshalAs(UnmanagedType.I1)]
        internal static extern bool enough_token_is_cancelled(TokenHandle token);
        [DllImport(Lib)] [return: MarshalAs(UnmanagedType.I1)]
        internal static extern bool enough_token_may_cancel(TokenHandle token);
        [DllImport(Lib)] internal static extern int enough_token_reason(TokenHandle token);
        [DllImport(Lib)] [return: MarshalAs(UnmanagedType.I1)]
        internal static extern bool enough_token_wait(TokenHandle token, long timeoutMs);
        [DllImport(Lib)] internal static extern void enough_token_destroy(IntPtr token);
        [DllImport(Lib)] internal static extern RegistrationHandle enough_token_register(TokenHandle token, Callback callback, IntPtr userData);
        [DllImport(Lib)] internal static extern void enough_registration_destroy(IntPtr registration);
        [DllImport(Lib)] [return: MarshalAs(UnmanagedType.I1)]
        internal static extern bool enough_registration_try_destroy(IntPtr registration);
        [DllImport(Lib)] internal static extern UIntPtr enough_live_objects();

        // A registration's own reference to its token, to tell when it can never run.
        [DllImport(Lib, EntryPoint = "enough_token_clone")] internal static extern IntPtr CloneToken(IntPtr token);
        [DllImport(Lib, EntryPoint = "enough_token_may_cancel")] [return: MarshalAs(UnmanagedType.I1)]
        internal static extern bool MayCancel(IntPtr token);

        // The token's state word, asked once per token (IntPtr.Zero: it has none).
        [DllImport(Lib, EntryPoint = "enough_token_state_word")]
        internal static extern IntPtr StateWord(IntPtr token);
    }

    public sealed class SourceHandle : SafeHandle
    {
        private SourceHandle() : base(IntPtr.Zero, true) { }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        protected override bool ReleaseHandle() { Native.enough_cancellation_destroy(handle); return true; }
    }

    public sealed class TokenHandle : SafeHandle
    {
        private TokenHandle() : base(IntPtr.Zero, true) { }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        protected override bool ReleaseHandle() { Native.enough_token_destroy(handle); return true; }
    }

    /// <summary>A callback registration (.NET's CancellationTokenRegistration): it runs
    /// its callback once, when the token cancels, unless disposed or unregistered first.
    /// Dropping it does not unregister it.</summary>
    public sealed class RegistrationHandle : SafeHandle
    {
        internal IntPtr State; // a GCHandle of the registration's CallbackState
        private bool _disposing;
        private int _released; // the native registration was let go (one way or another)
        private RegistrationHandle() : base(IntPtr.Zero, true) { }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        /// <summary>Unregisters without waiting for a run in progress elsewhere (.NET's
        /// Unregister): true when the callback had not run and now never will; false if
        /// it ran, is running, or was unregistered already.</summary>
        public bool Unregister()
        {
            bool neverRan;
            if (!LetGo(out neverRan, null)) return false;
            return neverRan;
        }

        /// <summary>Unregisters; the task completes once the callback is not running
        /// (at once unless it runs on another thread now): Dispose without blocking.</summary>
        public Task DisposeAsync()
        {
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            bool neverRan;
            if (!LetGo(out neverRan, done)) done.TrySetResult(true);
            return done.Task;
        }

        // Lets the native registration go without waiting, once (Dispose, the finalizer,
        // Unregister and DisposeAsync race for it); `done` completes when the callback
        // is not running. False when it was let go already.
        private bool LetGo(out bool neverRan, TaskCompletionSource<bool> done)
        {
            neverRan = false;
            if (Interlocked.Exchange(ref _released, 1) != 0) return false;
            bool added = false;
            try
            {
                DangerousAddRef(ref added);
                neverRan = Native.enough_registration_try_destroy(handle);
                CallbackState.Release(State, neverRan, done);
            }
            catch (ObjectDisposedException) { return false; }
            finally
            {
                if (added)
                {
                    SetHandleAsInvalid(); // nothing left for ReleaseHandle to do
                    DangerousRelease();
                }
            }
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            _disposing = disposing;
            base.Dispose(disposing);
        }
        protected override bool ReleaseHandle()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return true;
            if (_disposing)
            {
                // After this returns the callback is not running and never will.
                Native.enough_registration_destroy(handle);
                CallbackState.Free(State);
            }
            else
            {
                // The finalizer thread never waits (a callback may be running elsewhere,
                // or the process exiting): whoever finishes last frees the state.
                bool neverRan = Native.enough_registration_try_destroy(handle);
                CallbackState.Release(State, neverRan, null);
            }
            return true;
        }
    }

    /// <summary>The exceptions callbacks throw during one Cancel call on this thread
    /// (.NET's Cancel throws them together once every callback has run).</summary>
    internal sealed class CancelScope
    {
        [ThreadStatic] internal static CancelScope Current;
        internal readonly bool ThrowOnFirst;
        internal List<Exception> Errors;
        internal bool Stopped; // ThrowOnFirst and one threw: the rest do not run
        internal CancelScope(bool throwOnFirst) { ThrowOnFirst = throwOnFirst; }

        internal void Add(Exception error)
        {
            if (Errors == null) Errors = new List<Exception>();
            Errors.Add(error);
            if (ThrowOnFirst) Stopped = true;
        }

        // Runs cancel() with this scope current, then throws what the callbacks threw.
        internal static bool Run(Func<bool> cancel, bool throwOnFirst)
        {
            var scope = new CancelScope(throwOnFirst);
            var outer = Current;
            Current = scope;
            bool won;
            try { won = cancel(); }
            finally { Current = outer; }
            if (scope.Errors != null)
            {
                if (throwOnFirst) ExceptionDispatchInfo.Capture(scope.Errors[0]).Throw();
                throw new AggregateException(scope.Errors);
            }
            return won;
        }
    }

    /// <summary>Mono before 6.10 waits at exit for every native thread that ever ran
    /// managed code (mono/mono#18656), and the library's own thread (deadlines,
    /// CancelAsync's callbacks) never ends: the process would hang once Main returns.
    /// On those monos, once a callback has run on a thread that no Cancel of ours made
    /// (the library's, or a native caller's), the process leaves with its exit code right
    /// after the ProcessExit handlers registered before that moment.</summary>
    internal static class MonoExit
    {
        [DllImport("libc")] private static extern void _exit(int status);
        private static int _armed;
        private static readonly bool Affected = WaitsForForeignThreads();

        private static bool WaitsForForeignThreads()
        {
            try
            {
                var mono = Type.GetType("Mono.Runtime");
                if (mono == null || Environment.OSVersion.Platform == PlatformID.Win32NT) return false;
                var name = (string)mono.GetMethod("GetDisplayName", System.Reflection.BindingFlags.NonPublic |
                                                  System.Reflection.BindingFlags.Static).Invoke(null, null);
                var version = new Version(name.Split(' ')[0]);
                return version < new Version(6, 10);
            }
            catch { return false; }
        }

        internal static void CallbackOnAForeignThread()
        {
            if (!Affected || Interlocked.Exchange(ref _armed, 1) != 0) return;
            AppDomain.CurrentDomain.ProcessExit += (sender, e) =>
            {
                Console.Out.Flush();
                Console.Error.Flush();
                _exit(Environment.ExitCode);
            };
        }
    }

    /// <summary>The registrations whose callbacks may still run, each rooted by its
    /// GCHandle (as a CancellationTokenSource roots its registrations). After every
    /// garbage collection, those whose token can never cancel any more are unrooted, so
    /// that a dropped one is collected by the next.</summary>
    internal static class Rooted
    {
        private static readonly HashSet<CallbackState> All = new HashSet<CallbackState>();

        // Finalized by every collection, and re-registered: the sweep runs after each.
        private sealed class Sweeper
        {
            ~Sweeper()
            {
                lock (All) All.RemoveWhere(each => each.UnrootIfItCanNeverRun());
                // Not while the process exits (mono finalizes everything then: a sweeper
                // that re-registered would keep it from ever leaving).
                if (!Environment.HasShutdownStarted && !AppDomain.CurrentDomain.IsFinalizingForUnload())
                    GC.ReRegisterForFinalize(this);
            }
        }

        static Rooted() { new Sweeper(); }

        internal static void Add(CallbackState state)
        {
            lock (All) All.Add(state);
        }

        internal static void Remove(CallbackState state)
        {
            lock (All) All.Remove(state);
        }
    }

    /// <summary>What one registration runs, reached through a GCHandle by the one
    /// static trampoline the library calls. Subclasses hold the user's delegate (and
    /// state), so that a registration with a state object needs no closure.</summary>
    internal abstract class CallbackState
    {
        private const int Idle = 0, Running = 1, Done = 2, Released = 3;
        private readonly Action<Exception> _onError;
        private int _phase = Idle;
        private ExecutionContext _context;         // flowed into the callback (Register)
        private SynchronizationContext _syncContext; // the callback runs through its Send
        private TaskCompletionSource<bool> _whenReleased; // DisposeAsync's, while it runs
        private IntPtr _token; // a reference of its own, to tell when it can never run
        // The registration while its callback may still run: rooted through the GCHandle.
        internal RegistrationHandle Registration;

        // TryRegister's registration on this thread, while enough_token_register runs:
        // the library runs a callback at once, on the registering thread, when the
        // token is already cancelled; for that one, the trampoline runs nothing and says
        // so here (dotnet/runtime#107094: never on the registering thread).
        [ThreadStatic] private static CallbackState _registering;
        [ThreadStatic] private static bool _inRegister; // a callback run here is no foreign thread's
        internal bool CancelledWhileRegistering;

        protected CallbackState(Action<Exception> onError) { _onError = onError; }

        protected abstract void Invoke(int reason);

        // One delegate for the process's life: the library holds its function pointer.
        internal static readonly Native.Callback Trampoline = Run;

        // flowContext: Register's ExecutionContext flow (UnsafeRegister's does not).
        internal void Capture(bool flowContext, bool useSynchronizationContext)
        {
            if (flowContext) _context = ExecutionContext.Capture();
            if (useSynchronizationContext) _syncContext = SynchronizationContext.Current;
        }

        internal static IntPtr Create(CallbackState self, IntPtr token)
        {
            self._token = Native.CloneToken(token);
            return GCHandle.ToIntPtr(GCHandle.Alloc(self));
        }

        internal static CallbackState Of(IntPtr state)
        {
            return (CallbackState)GCHandle.FromIntPtr(state).Target;
        }

        // The sweep's test (Rooted's lock held): true, and unrooted, when its token can
        // never cancel any more, so that the callback can never run.
        internal bool UnrootIfItCanNeverRun()
        {
            if (Native.MayCancel(_token)) return false;
            Registration = null;
            return true;
        }

        // Roots the registration while its callback may still run (a run that has begun
        // unroots it, and may have done so already).
        internal void RootUnlessRan(RegistrationHandle registration)
        {
            Registration = registration;
            if (Volatile.Read(ref _phase) != Idle) Unroot();
        }

        private void Unroot()
        {
            Registration = null;
            Rooted.Remove(this);
        }

        internal static void Free(IntPtr state)
        {
            if (state == IntPtr.Zero) return;
            var handle = GCHandle.FromIntPtr(state);
            var self = (CallbackState)handle.Target;
            self.Unroot();
            Native.enough_token_destroy(self._token);
            if (self._whenReleased != null) self._whenReleased.TrySetResult(true);
            handle.Free();
        }

        internal static void BeginRegistering(CallbackState self) { _registering = self; }
        internal static void EndRegistering() { _registering = null; }
        internal static bool InRegister { set { _inRegister = value; } }

        // The registration went without waiting. neverRan: the library will never call
        // the trampoline for it, so the state goes now. Otherwise the library has called
        // or is calling it: the state goes now if the callback is done, else the
        // trampoline runs it (a registration is rooted, so this is no finalizer) and then
        // frees it, completing `done`.
        internal static void Release(IntPtr state, bool neverRan, TaskCompletionSource<bool> done)
        {
            if (state == IntPtr.Zero) return;
            var self = Of(state);
            self._whenReleased = done; // before the exchange the trampoline reads after
            int before = Interlocked.Exchange(ref self._phase, Released);
            if (neverRan || before == Done) Free(state);
        }

        private static void Run(IntPtr state, int reason)
        {
            try
            {
                var self = Of(state);
                if (ReferenceEquals(self, _registering))
                {
                    self.CancelledWhileRegistering = true; // TryRegister says so instead
                    return;
                }
                // Released already: an Unregister (or DisposeAsync) raced this call and was
                // told "it runs" by the library, so it runs, and its state goes after.
                bool released = Interlocked.CompareExchange(ref self._phase, Running, Idle) == Released;
                var scope = CancelScope.Current;
                if (scope == null && !_inRegister) MonoExit.CallbackOnAForeignThread();
                if (scope == null || !scope.Stopped) self.RunInContexts(reason, scope);
                self.Unroot(); // ran: a dropped registration may be collected now
                if (released || Interlocked.CompareExchange(ref self._phase, Done, Running) == Released) Free(state);
            }
            catch { } // nothing managed unwinds through the library's frames
        }

        // The callback in its ExecutionContext and through its SynchronizationContext, as
        // .NET runs it; what it throws goes to onError, else to the Cancel on this thread.
        private void RunInContexts(int reason, CancelScope scope)
        {
            try
            {
                if (_context == null) RunThroughSyncContext(reason);
                else ExecutionContext.Run(_context, s => ((CallbackState)s).RunThroughSyncContext(reason), this);
            }
            catch (Exception error)
            {
                try
                {
                    if (_onError != null) _onError(error);
                    else if (scope != null) scope.Add(error);
                }
                catch { } // an onError that throws: still nothing crosses into native code
            }
        }

        private void RunThroughSyncContext(int reason)
        {
            if (_syncContext == null) Invoke(reason);
            else _syncContext.Send(s => ((CallbackState)s).Invoke(reason), this);
        }
    }

    internal sealed class ActionCallback : CallbackState
    {
        private readonly Action<int> _action;
        internal ActionCallback(Action<int> action, Action<Exception> onError) : base(onError) { _action = action; }
        protected override void Invoke(int reason) { _action(reason); }
    }

    internal sealed class StateCallback<TState> : CallbackState
    {
        private readonly Action<TState, int> _action;
        private readonly TState _state;
        internal StateCallback(Action<TState, int> action, TState state, Action<Exception> onError) : base(onError)
        {
            _action = action;
            _state = state;
        }
        protected override void Invoke(int reason) { _action(_state, reason); }
    }

    public static class Library
    {
        /// <summary>Objects the library created and has not freed yet (for leak checks).</summary>
        public static long LiveObjects { get { return (long)Native.enough_live_objects().ToUInt64(); } }
    }

    /// <summary>The right to cancel.</summary>
    public sealed class Source : IDisposable
    {
        private readonly SourceHandle _handle;
        private CancellationTokenRegistration _bridge;

        private int _reasonAtDispose; // what Reason says once disposed, as .NET's does

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
        public bool IsCancelled { get { return Reason != 0; } }
        public Token Token() { return new Token(Native.enough_token_create(_handle)); }

        public void Dispose()
        {
            _bridge.Dispose(); // first: no .NET callback may cancel a released source
            if (!_handle.IsClosed) _reasonAtDispose = Reason;
            _handle.Dispose();
        }
    }

    /// <summary>OperationCanceledException for a cancelled token, with its reason; a
    /// TimeoutException is the inner exception of a timed-out one.</summary>
    public sealed class TokenCancelledException : OperationCanceledException
    {
        public TokenCancelledException(int reason)
            : base(reason == (int)Enough.Reason.TimedOut ? "The operation timed out." : "The operation was canceled.",
                   reason == (int)Enough.Reason.TimedOut ? new TimeoutException() : null)
        {
            Reason = reason;
        }
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

        public TokenHandle Handle { get { return _handle; } }

        /// <summary>Tokens are equal when they observe the same state: the tokens of one
        /// source, clones, every never token.</summary>
        public override bool Equals(object other)
        {
            var token = other as Token;
            return token != null && token._identity == _identity;
        }
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
        public bool MayCancel { get { return Native.enough_token_may_cancel(_handle); } }
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
