// The exceptions of one Cancel call's callbacks, thrown by that call as .NET's Cancel does.
using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;

namespace Enough
{
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
}
