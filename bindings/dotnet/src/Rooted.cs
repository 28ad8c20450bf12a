// Registrations rooted until they run, are let go, or can never run.
using System;
using System.Collections.Generic;

namespace Enough
{
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
}
