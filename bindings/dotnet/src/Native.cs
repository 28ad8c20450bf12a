// The flat C API as P/Invoke declarations, and a SafeHandle for each handle kind:
// released exactly once, by Dispose() or, if forgotten, by the finalizer; never while a
// P/Invoke call is using it (the marshaller adds a reference for the call's duration).
using System;
using System.Runtime.InteropServices;

namespace Enough
{
    /// <summary>Why a token was cancelled; 256 and up are the application's own codes.</summary>
    public enum Reason
    {
        /// <summary>Not cancelled.</summary>
        None = 0,
        /// <summary>Cancelled by a caller (Source.Cancel).</summary>
        Cancelled = 1,
        /// <summary>A deadline passed (Source.CancelAfter).</summary>
        TimedOut = 2,
    }

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
        [DllImport(Lib)] internal static extern void enough_cancellation_abandon(IntPtr source);
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

    /// <summary>A source's handle. Disposed, it destroys the source (its deadline is
    /// disarmed, its links dropped); finalized (collected undisposed), it abandons it
    /// (enough_cancellation_abandon): an armed deadline still fires and a linked source
    /// still follows while a token of it lives, as .NET's CancellationTokenSource does
    /// whenever the collector runs.</summary>
    public sealed class SourceHandle : SafeHandle
    {
        private volatile bool _disposed; // by Dispose(), not by the finalizer
        private SourceHandle() : base(IntPtr.Zero, true) { }
        /// <summary>True for a null handle (the library was out of memory).</summary>
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        /// <summary>Marks a disposal (destroy) apart from finalization (abandon).</summary>
        protected override void Dispose(bool disposing)
        {
            if (disposing) _disposed = true;
            base.Dispose(disposing);
        }
        /// <summary>Destroys (disposed) or abandons (finalized) the source.</summary>
        protected override bool ReleaseHandle()
        {
            if (_disposed) Native.enough_cancellation_destroy(handle);
            else Native.enough_cancellation_abandon(handle);
            return true;
        }
    }

    /// <summary>A token's handle, the void* the flat C API takes: released
    /// (enough_token_destroy) when disposed or finalized.</summary>
    public sealed class TokenHandle : SafeHandle
    {
        private TokenHandle() : base(IntPtr.Zero, true) { }
        /// <summary>True for a null handle (the library was out of memory).</summary>
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        /// <summary>Releases the token's reference.</summary>
        protected override bool ReleaseHandle() { Native.enough_token_destroy(handle); return true; }
    }

    /// <summary>The native library as a whole.</summary>
    public static class Library
    {
        /// <summary>Objects the library created and has not freed yet (for leak checks).</summary>
        public static long LiveObjects { get { return (long)Native.enough_live_objects().ToUInt64(); } }
    }
}
