// Callbacks: the library calls one static trampoline for every registration (a
// delegate that lives as long as the process), with a GCHandle of the registration's
// state as user data, freed exactly once, when the registration is done with. The
// trampoline catches everything: no managed exception ever unwinds through the
// library's frames.
using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Enough
{
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
}
