// A callback registration: Dispose waits out a run elsewhere, Unregister and
// DisposeAsync never block, the finalizer never waits.
using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Enough
{
    /// <summary>A callback registration (.NET's CancellationTokenRegistration): it runs
    /// its callback once, when the token cancels, unless disposed or unregistered first.
    /// Dropping it does not unregister it.</summary>
    public sealed class RegistrationHandle : SafeHandle
    {
        internal IntPtr State; // a GCHandle of the registration's CallbackState
        private bool _disposing;
        private int _released; // the native registration was let go (one way or another)
        private RegistrationHandle() : base(IntPtr.Zero, true) { }
        /// <summary>True for a null handle.</summary>
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        /// <summary>The token registered on (.NET's CancellationTokenRegistration.Token):
        /// still this Token after the registration is disposed or its source is.</summary>
        public Token Token { get; internal set; }

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

        /// <summary>Marks a disposal (waits for a running callback) apart from
        /// finalization (never waits).</summary>
        protected override void Dispose(bool disposing)
        {
            _disposing = disposing;
            base.Dispose(disposing);
        }
        /// <summary>Unregisters: disposed, as enough_registration_destroy (the callback
        /// is not running when it returns); finalized, without waiting.</summary>
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
}
