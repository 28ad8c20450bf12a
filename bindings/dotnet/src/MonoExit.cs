// Leaving at exit on monos that would wait forever for the library's thread.
using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Enough
{
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
}
