// Tests of the Enough library, run under mono against Enough.dll laid out as its NuGet
// package is (lib/ and runtimes/linux-x64/native/). A tiny runner: every public static
// void method named Test* runs; the last line is "N passed, N failed".
using System;
using System.Reflection;
using System.Threading;
using Enough;

public static partial class Tests
{
    static void Check(bool condition, string what)
    {
        if (!condition) throw new Exception("check failed: " + what);
    }

    static void Collect()
    {
        for (int i = 0; i < 3; ++i) { GC.Collect(); GC.WaitForPendingFinalizers(); }
    }

    sealed class Box { public int Reason; public int Thread; }

    [System.Runtime.InteropServices.DllImport("enough")] static extern uint enough_version();

    public static void TestTheAssemblyVersionIsTheNativeLibrarysVersion()
    {
        Version assembly = typeof(Source).Assembly.GetName().Version;
        uint native = enough_version();
        Check(assembly.Major == (int)(native >> 16) && assembly.Minor == (int)((native >> 8) & 0xff) &&
              assembly.Build == (int)(native & 0xff), "Enough.dll " + assembly + ", libenough " + native.ToString("x"));
    }

    public static void TestRegisterWithAStateObject()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            var box = new Box();
            // A lambda that captures nothing: the state travels as an argument.
            using (token.Register<Box>((state, reason) => state.Reason = reason, box))
            {
                source.Cancel(4242);
            }
            Check(box.Reason == 4242, "the state object received the reason");
        }
    }

    public static void TestTryRegisterOnACancelledTokenSchedulesNothing()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            source.Cancel(300);
            int runs = 0;
            RegistrationHandle registration;
            Check(!token.TryRegister(reason => runs++, out registration), "already cancelled: false");
            Check(registration == null && runs == 0, "no registration, nothing run");
            var box = new Box();
            Check(!token.TryRegister<Box>((state, reason) => state.Reason = reason, box, out registration),
                  "the state form too");
            Check(box.Reason == 0, "nothing run");
        }
    }

    public static void TestTryRegisterNeverRunsOnTheRegisteringThread()
    {
        // Cancels race the registration: whichever wins, the action never runs on the
        // registering thread; when TryRegister says true it runs on the canceller's.
        int registeringThread = Thread.CurrentThread.ManagedThreadId;
        int trues = 0, falses = 0;
        for (int i = 0; i < 300; ++i)
        {
            using (var source = new Source())
            using (var token = source.Token())
            {
                var box = new Box();
                var canceller = new Thread(() => source.Cancel(7));
                canceller.Start();
                RegistrationHandle registration;
                bool registered = token.TryRegister<Box>((state, reason) =>
                {
                    state.Thread = Thread.CurrentThread.ManagedThreadId;
                    Volatile.Write(ref state.Reason, reason);
                }, box, out registration);
                canceller.Join();
                if (registered)
                {
                    ++trues;
                    Check(Volatile.Read(ref box.Reason) == 7, "registered: it ran with the reason");
                    Check(box.Thread != registeringThread, "never on the registering thread");
                    registration.Dispose();
                }
                else
                {
                    ++falses;
                    Check(registration == null && box.Reason == 0, "not registered: never ran");
                }
            }
        }
        Check(trues + falses == 300, "every attempt answered");
        Console.WriteLine("  TryRegister racing Cancel: " + trues + " registered, " + falses + " already cancelled");
    }

    public static void TestCancelReasonAndDispose()
    {
        long before = Library.LiveObjects;
        using (var source = new Source())
        using (var token = source.Token())
        {
            Check(!token.IsCancelled && token.MayCancel, "fresh token");
            Check(source.Cancel(300), "first cancel wins");
            Check(!source.Cancel(), "second cancel changes nothing");
            Check(token.Reason == 300, "reason 300");
        }
        Check(Library.LiveObjects == before, "disposed handles are released");
    }

    public static void TestTokenOutlivesSource()
    {
        var source = new Source();
        var token = source.Token();
        source.Dispose();
        Check(!token.IsCancelled && !token.MayCancel, "orphaned token never cancels");
        token.Dispose();
    }

    public static void TestCancellationTokenRegisterCancelsTheSource()
    {
        using (var cts = new CancellationTokenSource())
        using (var source = Source.FromCancellationToken(cts.Token, 512))
        using (var token = source.Token())
        {
            cts.Cancel();
            Check(token.IsCancelled && token.Reason == 512, "bridged .NET cancel");
        }
    }

    public static void TestCallbackOnTheCancellingThreadAndBackToDotNet()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            int seenReason = 0, seenThread = 0;
            RegistrationHandle bridge;
            using (var cts = token.ToCancellationTokenSource(out bridge))
            using (bridge)
            using (token.Register(reason => { seenReason = reason; seenThread = Thread.CurrentThread.ManagedThreadId; }))
            {
                Collect(); // the delegate must survive: the registration holds it
                int canceller = 0;
                var thread = new Thread(() => { canceller = Thread.CurrentThread.ManagedThreadId; source.Cancel(77); });
                thread.Start();
                thread.Join();
                Check(seenReason == 77 && seenThread == canceller, "ran on the cancelling thread");
                Check(cts.IsCancellationRequested, "the .NET token followed");
            }
        }
    }

    public static void TestDisposedRegistrationNeverRuns()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            bool ran = false;
            token.Register(reason => ran = true).Dispose();
            source.Cancel();
            Check(!ran, "disposed registration did not run");
        }
    }

    public static void TestExceptionsNeverReachNativeCode()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            Exception caught = null;
            using (token.Register(reason => { throw new InvalidOperationException("boom"); }, e => caught = e))
            {
                source.Cancel();
            }
            Check(caught is InvalidOperationException, "exception handed to onError");
        }
    }

    public static void TestDeadlineAndWait()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            Check(!token.Wait(TimeSpan.FromMilliseconds(10)), "times out");
            source.CancelAfter(TimeSpan.FromMilliseconds(20));
            Check(token.Wait(TimeSpan.FromSeconds(5)), "deadline wakes the waiter");
            Check(token.Reason == (int)Reason.TimedOut, "timed out");
        }
    }

    public static void TestLinked()
    {
        using (var parent = new Source())
        using (var parentToken = parent.Token())
        using (var never = Token.Never())
        using (var child = Source.Linked(parentToken, never))
        {
            parent.Cancel(900);
            Check(child.Reason == 900, "child follows parent");
        }
    }

    public static void TestFinalizersAreASafetyNet()
    {
        Collect();
        long before = Library.LiveObjects;
        MakeGarbage();
        Check(Library.LiveObjects > before, "objects alive before collection");
        Collect();
        Check(Library.LiveObjects == before, "finalizers released forgotten handles");
    }

    public static void TestThrowIfCancellationRequestedCarriesTheReason()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            token.ThrowIfCancellationRequested(); // not cancelled: nothing
            source.Cancel(301);
            try { token.ThrowIfCancellationRequested(); Check(false, "throws"); }
            catch (TokenCancelledException e)
            {
                Check(e.Reason == 301 && e.InnerException == null, "the reason, no inner exception");
                Check(e is OperationCanceledException, "an OperationCanceledException");
            }
        }
        using (var source = new Source())
        using (var token = source.Token())
        {
            source.CancelAfter(TimeSpan.Zero);
            try { token.ThrowIfCancellationRequested(); Check(false, "throws"); }
            catch (OperationCanceledException e)
            {
                Check(e.InnerException is TimeoutException, "a TimeoutException inside for a deadline");
                Check(((TokenCancelledException)e).Reason == (int)Reason.TimedOut, "timed out");
            }
        }
    }

    public static void TestWaitHandleIsSignalledByACancelOnAnotherThread()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            WaitHandle handle = token.WaitHandle;
            Check(!handle.WaitOne(10), "not yet");
            Check(ReferenceEquals(handle, token.WaitHandle), "one WaitHandle per token");
            new Thread(() => source.Cancel(5)).Start();
            Check(handle.WaitOne(5000), "signalled");
            Check(WaitHandle.WaitAny(new[] { handle }, 0) == 0, "usable with WaitAny");
        }
    }

    public static void TestIsCancelledReadsTheWordAndDisposedTokensAreSafe()
    {
        var source = new Source();
        var token = source.Token();
        source.Cancel(9);
        Check(token.IsCancelled, "read from the word");
        token.Dispose();
        bool threw = false;
        try { bool unused = token.IsCancelled; } catch (ObjectDisposedException) { threw = true; }
        Check(threw, "a disposed token refuses instead of reading freed memory");
        source.Dispose();
    }

    // ---- nothing managed crosses the library's frames -----------------------------------

    public static void TestACallbackAndItsOnErrorThatThrowLeaveTheProcessAndRegistrationUnharmed()
    {
        long before = Library.LiveObjects;
        using (var source = new Source())
        using (var token = source.Token())
        {
            int after = 0;
            var throwing = token.Register(reason => { throw new InvalidOperationException("boom"); },
                                          error => { throw new ApplicationException("and again"); });
            var next = token.Register(reason => after = reason);
            Check(source.Cancel(21), "the cancel returns normally");
            Check(after == 21, "the callback after the throwing one ran");
            throwing.Dispose(); // would block for good had the exception crossed native frames
            next.Dispose();
        }
        Check(Library.LiveObjects == before, "the registrations were released");
    }

    public static void TestRegisterRefusesNull()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            bool threw = false;
            try { token.Register(null); } catch (ArgumentNullException) { threw = true; }
            Check(threw, "Register(null) throws ArgumentNullException");
        }
    }

    public static void TestAFinalizedRegistrationNeverWaitsForItsRunningCallback()
    {
        var source = new Source();
        var token = source.Token();
        var entered = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        RegisterAndDrop(token, entered, release);
        var canceller = new Thread(() => source.Cancel(3));
        canceller.Start();
        Check(entered.Wait(5000), "the callback runs on the cancelling thread");
        var collected = new Thread(() => Collect());
        collected.Start();
        Check(collected.Join(10000), "the finalizer thread did not wait for the running callback");
        release.Set();
        Check(canceller.Join(5000), "the callback returned");
        token.Dispose();
        source.Dispose();
    }

    static void RegisterAndDrop(Token token, ManualResetEventSlim entered, ManualResetEventSlim release)
    {
        token.Register(reason => { entered.Set(); release.Wait(); }); // dropped: finalized
    }

    public static void TestRegistrationsDroppedWhileACancelRacesTheCollectorAreSafe()
    {
        for (int round = 0; round < 20; ++round)
        {
            var source = new Source();
            var token = source.Token();
            int ran = 0;
            for (int i = 0; i < 200; ++i) token.Register(reason => Interlocked.Increment(ref ran));
            var collector = new Thread(() => Collect());
            collector.Start();
            source.Cancel();
            Check(collector.Join(10000), "collection finished");
            Check(ran <= 200, "each callback ran at most once");
            token.Dispose();
            source.Dispose();
        }
        Collect();
    }

    public static void TestAProcessExitingWhileACallbackRunsElsewhereLeavesAtOnce()
    {
        var mono = System.Diagnostics.Process.GetCurrentProcess().MainModule.FileName;
        var self = typeof(Tests).Assembly.Location;
        var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(mono, "\"" + self + "\" exit-inside-callback") { UseShellExecute = false });
        Check(child.WaitForExit(20000), "the process left (it took about 42 s when finalizers waited)");
        Check(child.ExitCode == 0, "and exited normally");
    }

    public static void TestAProcessWhoseCallbackRanOnTheLibrarysThreadLeavesWithItsExitCode()
    {
        var mono = System.Diagnostics.Process.GetCurrentProcess().MainModule.FileName;
        var self = typeof(Tests).Assembly.Location;
        var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(mono, "\"" + self + "\" exit-after-deadline") { UseShellExecute = false });
        Check(child.WaitForExit(20000), "the process left (mono 6.8 waits for the library's thread forever: mono/mono#18656)");
        Check(child.ExitCode == 7, "with Main's exit code");
    }

    // The child of the test above: a deadline's callback runs on the library's thread.
    static int ExitAfterDeadline()
    {
        var source = new Source();
        var token = source.Token();
        var ran = new ManualResetEventSlim();
        token.Register(reason => ran.Set());
        source.CancelAfter(1);
        ran.Wait();
        return 7;
    }

    // The child of the test above: a callback blocks on another thread, Main returns.
    static int ExitInsideCallback()
    {
        var source = new Source();
        var token = source.Token();
        var entered = new ManualResetEventSlim();
        token.Register(reason => { entered.Set(); Thread.Sleep(Timeout.Infinite); });
        new Thread(() => source.Cancel()) { IsBackground = true }.Start();
        entered.Wait();
        return 0;
    }

    public static void TestCancelAfterInfiniteMeansNeverAndOtherNegativesThrow()
    {
        // A deadline replaced before it falls never fires. A stalled machine may let it
        // fall before the re-arm (it then rightly cancels): that attempt proves nothing,
        // and is made again on a fresh source.
        bool replaced = false;
        for (int attempt = 0; attempt < 100 && !replaced; attempt++)
        {
            using (var source = new Source())
            using (var token = source.Token())
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                Check(source.CancelAfter(TimeSpan.FromMilliseconds(50)), "armed");
                if (!source.CancelAfter(Timeout.InfiniteTimeSpan) || clock.ElapsedMilliseconds >= 50) continue;
                replaced = true;
                Check(!token.Wait(TimeSpan.FromMilliseconds(200)), "the 50 ms deadline no longer fires");
            }
        }
        Check(replaced, "a re-arm to never came within 50 ms in one of 100 tries");
        using (var source = new Source())
        using (var token = source.Token())
        {
            Check(source.CancelAfter(Timeout.Infinite), "the int overload: never too");
            bool threw = false;
            try { source.CancelAfter(TimeSpan.FromMilliseconds(-2)); } catch (ArgumentOutOfRangeException) { threw = true; }
            Check(threw, "-2 ms throws");
            threw = false;
            try { source.CancelAfter(-2); } catch (ArgumentOutOfRangeException) { threw = true; }
            Check(threw, "-2 throws");
            Check(!token.IsCancelled, "nothing cancelled it");
            Check(source.CancelAfter(0), "zero cancels now");
            Check(token.IsCancelled && token.Reason == (int)Reason.TimedOut, "timed out");
        }
    }

    static void MakeGarbage()
    {
        var source = new Source();
        for (int i = 0; i < 10; ++i) source.Token();
        source.Token().Register(reason => { });
    }

    [System.Runtime.InteropServices.DllImport("libc")] static extern int kill(int pid, int signal);
    [System.Runtime.InteropServices.DllImport("libc")] static extern int getpid();

    // No process waits at exit for a callback (issue 31): a deadline's callback blocks
    // for good on the library's thread while the process leaves by Environment.Exit,
    // by returning from Main, or by SIGTERM (the runtime's handling, or its default).
    public static void TestNoProcessWaitsAtExitForABlockedCallback()
    {
        var runtime = System.Diagnostics.Process.GetCurrentProcess().MainModule.FileName;
        var self = typeof(Tests).Assembly.Location;
        foreach (var how in new[] { "exit", "return", "sigterm" })
        {
            var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
                runtime, "\"" + self + "\" block-then-" + how) { UseShellExecute = false });
            bool left = child.WaitForExit(60000);
            if (!left) child.Kill();
            Check(left, how + ": the process left while its callback blocked");
            if (how != "sigterm") Check(child.ExitCode == 7, how + ": with its exit code (" + child.ExitCode + ")");
        }
    }

    static int BlockThenLeave(string how)
    {
        var source = new Source();
        var token = source.Token();
        var entered = new ManualResetEventSlim();
        token.Register(reason => { entered.Set(); Thread.Sleep(Timeout.Infinite); });
        source.CancelAfter(1);
        entered.Wait();
        if (how == "exit") Environment.Exit(7);
        if (how == "sigterm")
        {
            kill(getpid(), 15);
            Thread.Sleep(60000);
            return 3; // not reached: SIGTERM ended the process
        }
        return 7;
    }

    public static int Main(string[] args)
    {
        if (args.Length == 1 && args[0].StartsWith("block-then-")) return BlockThenLeave(args[0].Substring(11));
        if (args.Length == 1 && args[0] == "exit-inside-callback") return ExitInsideCallback();
        if (args.Length == 1 && args[0] == "exit-after-deadline") return ExitAfterDeadline();
        int passed = 0, failed = 0;
        foreach (MethodInfo test in typeof(Tests).GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            if (!test.Name.StartsWith("Test")) continue;
            try { test.Invoke(null, null); ++passed; Console.WriteLine("ok   " + test.Name); }
            catch (TargetInvocationException e) { ++failed; Console.WriteLine("FAIL " + test.Name + ": " + e.InnerException.Message); }
        }
        int ported = 0, byDesign = 0, lacking = 0;
        foreach (MethodInfo test in typeof(Tests).GetMethods(BindingFlags.Public | BindingFlags.Static))
            if (test.Name.StartsWith("TestNet_")) ++ported;
        for (int i = 0; i < NetDifferences.GetLength(0); ++i)
        {
            if (NetDifferences[i, 1] == "by design") ++byDesign; else ++lacking;
            Console.WriteLine("net  " + NetDifferences[i, 0] + ": " + NetDifferences[i, 1] + ": " + NetDifferences[i, 2]);
        }
        Console.WriteLine(".NET's CancellationTokenTests.cs: " + ported + " ported (their outcome is above), " +
                          byDesign + " differ by design, " + lacking + " lacking");
        Console.WriteLine(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
