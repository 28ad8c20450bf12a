// .NET's own CancellationTokenTests.cs (dotnet/runtime, System.Threading.Tasks.Tests),
// as the behaviour we hold ourselves to: each of its tests, written anew here against
// Enough (TestNet_<its name>), or listed in NetDifferences with the one-line reason we
// differ by design or what we lack. Where .NET's test relies on its callbacks running
// last-registered first, ours registers in the opposite order to build the same shape
// (callbacks run in registration order here: a difference listed once, below).
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Enough;

public static partial class Tests
{
    // Each of .NET's tests we do not pass as it is, and why.
    internal static readonly string[,] NetDifferences =
    {
        { "CallbacksOrderIsLifo", "by design", "callbacks run in registration order (FIFO), as C, C++ and every binding see them" },
        { "CancellationTokenEquality", "by design", "no pre-cancelled token constructor (new CancellationToken(true)); equality by state is TestNet_CancellationTokenEquality" },
        { "CancellationToken_EqualityAndDispose", "by design", "a token outlives its source: using it after the source's Dispose is allowed, not an ObjectDisposedException" },
        { "TokenSourceDispose_Negative", "by design", "a token outlives its source: its WaitHandle and registrations keep working after the source's Dispose" },
        { "CancellationTokenRegistration_EqualityAndHashCode", "by design", "a registration is an object (a SafeHandle) compared by reference; there are no shared dummy registrations" },
        { "CancellationTokenLinking_ODEinTarget", "by design", "a linked source's callbacks run in the parent's Cancel loop, not in a nested Cancel: Cancel(true) rethrows the child's exception itself, not wrapped in an AggregateException" },
        { "ThrowIfCancellationRequested", "by design", "TokenCancelledException carries the token's Reason, not a .NET CancellationToken" },
        { "DerivedCancellationTokenSource", "by design", "Source is sealed: no derived sources, no Dispose(bool) to override" },
        { "DerivedCancellationTokenSource_Negative", "by design", "Source is sealed" },
        { "CancellationTokenSourceWithTimer_Negative", "by design", "delays beyond uint.MaxValue - 1 ms are accepted (practically never) instead of refused" },
        { "CancellationTokenSource_TryReset_UnregistersAll", "by design", "TryReset refuses (false) while callbacks are registered instead of unregistering them" },
        { "CancellationTokenRegistration_UnregisterOnDefaultIsNop", "by design", "a registration is a class: there is no default(CancellationTokenRegistration)" },
        { "CancellationTokenRegistration_DisposeAsyncOnDefaultIsNop", "by design", "a registration is a class: there is no default(CancellationTokenRegistration)" },
        { "CancellationTokenSource_CancelAsync_NoRegistrations_CallbackCompletesImmediately", "by design", "CancelAsync's task completes once the library's thread has run the callbacks, even when there are none" },
        { "Register_ExecutionContextFlowsIfExpected(true)", "lack", "no Register(Action<object, CancellationToken>, object) overload (the reason is passed instead)" },
    };

    static void Throws<TException>(Action action, string what) where TException : Exception
    {
        try { action(); }
        catch (TException) { return; }
        catch (Exception other) { throw new Exception("check failed: " + what + ": threw " + other.GetType().Name); }
        throw new Exception("check failed: " + what + ": nothing thrown");
    }

    static bool CompletedSuccessfully(Task task) { return task.Status == TaskStatus.RanToCompletion; }

    // ---- registration arguments, equality ----------------------------------------------

    public static void TestNet_CancellationTokenRegister_Exceptions()
    {
        using (var token = Token.Never())
        {
            Throws<ArgumentNullException>(() => token.Register((Action)null), "Register(null)");
            Throws<ArgumentNullException>(() => token.Register((Action)null, false), "Register(null, false)");
            Throws<ArgumentNullException>(() => token.Register((Action<object>)null, null), "Register(null, state)");
            Throws<ArgumentNullException>(() => token.UnsafeRegister(null, null), "UnsafeRegister(null, state)");
        }
    }

    public static void TestNet_CancellationTokenRegistration_Token_MatchesExpectedValue()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            for (int i = 0; i < 3; ++i)
            {
                using (var registration = token.Register(() => { }))
                {
                    Check(ReferenceEquals(registration.Token, token), "the registration's Token is the one registered on");
                    Check(registration.Token.Equals(source.Token()), "equal to the source's token");
                }
            }
        }
    }

    public static void TestNet_CancellationTokenRegistration_Token_AccessibleAfterCtsDispose()
    {
        var source = new Source();
        using (var token = source.Token())
        {
            var registration = token.Register(() => { });
            source.Dispose();
            Check(ReferenceEquals(registration.Token, token), "still the Token after the source's Dispose");
            registration.Dispose();
            Check(ReferenceEquals(registration.Token, token), "and after the registration's");
        }
    }

    public static void TestNet_CancellationTokenEquality()
    {
        using (var source = new Source())
        using (var other = new Source())
        using (Token a = source.Token(), b = source.Token(), c = other.Token(), n1 = Token.Never(), n2 = Token.Never())
        {
            Check(a.Equals(b) && b.Equals(a), "tokens of one source are equal");
            Check(n1.Equals(n2), "never tokens are equal");
            Check(!a.Equals(c) && !a.Equals(n1), "tokens of other states differ");
        }
    }

    public static void TestNet_CancellationToken_GetHashCode()
    {
        using (var source = new Source())
        using (Token a = source.Token(), b = source.Token(), n1 = Token.Never(), n2 = Token.Never())
        {
            Check(a.GetHashCode() == b.GetHashCode(), "one source: one hash");
            Check(n1.GetHashCode() == n2.GetHashCode(), "never tokens: one hash");
            Check(a.GetHashCode() != n1.GetHashCode(), "a source's token and the never token hash apart");
        }
    }

    // ---- disposing -----------------------------------------------------------------

    public static void TestNet_TokenSourceDispose()
    {
        var source = new Source();
        var token = source.Token();
        var registration = token.Register(() => { });
        Check(token.WaitHandle != null, "a wait handle");
        source.Dispose();
        registration.Dispose(); // after the source's Dispose: fine
        Check(!source.IsCancelled, "IsCancelled answers after Dispose");
        source.Dispose(); // twice: fine
        token.Dispose();
    }

    public static void TestNet_ODEWhenDisposingLinkedCTS()
    {
        var user = new Source();
        var timeout = new Source();
        Source linked;
        using (Token t1 = timeout.Token(), t2 = user.Token()) linked = Source.Linked(t1, t2);
        user.Cancel();
        user.Dispose();
        linked.Dispose(); // a parent already disposed: no exception
        timeout.Dispose();
    }

    // ---- listening --------------------------------------------------------------------

    public static void TestNet_CancellationTokenPassiveListening()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            Check(!token.IsCancelled, "not yet");
            source.Cancel();
            Check(token.IsCancelled, "now");
        }
    }

    public static void TestNet_CancellationTokenActiveListening()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            bool signalled = false;
            token.Register(() => signalled = true);
            Check(!signalled, "not yet");
            source.Cancel();
            Check(signalled, "the callback ran before Cancel returned");
        }
    }

    public static void TestNet_AddAndRemoveDelegates()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            var output = new List<string>();
            Action action1 = () => output.Add("action1");
            Action action2 = () => output.Add("action2");
            token.Register(action1);
            var r2 = token.Register(action2);
            var r3 = token.Register(action2);
            var r4 = token.Register(action1);
            r2.Dispose();
            r3.Dispose();
            r4.Dispose();
            source.Cancel();
            Check(output.Count == 1 && output[0] == "action1", "only the one left registered ran");
        }
    }

    public static void TestNet_CancellationTokenLateEnlistment()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            source.Cancel();
            bool signalled = false;
            token.Register(() => signalled = true);
            Check(signalled, "a late registration runs at once");
        }
    }

    public static void TestNet_Enlist_EarlyAndLate()
    {
        using (var source = new Source())
        using (var token = source.Token())
        using (var early = new Source())
        using (var late = new Source())
        {
            token.Register(() => early.Cancel());
            source.Cancel();
            Check(early.IsCancelled, "early");
            token.Register(() => late.Cancel());
            Check(late.IsCancelled, "late");
        }
    }

    public static void TestNet_BehaviourAfterCancelSignalled()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            token.Register(() => { });
            source.Cancel();
        }
    }

    public static void TestNet_DeregisterFromWithinACallbackIsSafe_BasicTest()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            RegistrationHandle first = null;
            token.Register(() => first.Dispose()); // runs first here: the other is listed
            first = token.Register(() => { });
            source.Cancel(); // no deadlock
        }
    }

    // ---- wait handles ---------------------------------------------------------------

    public static void TestNet_CancellationTokenWaitHandle_SignalAfterWait()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            Task.Run(() => source.Cancel());
            token.WaitHandle.WaitOne();
            Check(token.IsCancelled, "cancelled");
        }
    }

    public static void TestNet_CancellationTokenWaitHandle_SignalBeforeWait()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            source.Cancel();
            token.WaitHandle.WaitOne();
            Check(token.IsCancelled, "cancelled");
        }
    }

    public static void TestNet_CancellationTokenWaitHandle_WaitAny()
    {
        using (var source = new Source())
        using (var token = source.Token())
        using (var never = Token.Never())
        {
            source.Cancel();
            WaitHandle.WaitAny(new[] { token.WaitHandle, never.WaitHandle });
            Check(token.IsCancelled, "cancelled");
        }
    }

    public static void TestNet_WaitAll()
    {
        using (var first = new Source())
        using (var second = new Source())
        using (Token t1 = first.Token(), t2 = second.Token())
        using (var mre = new ManualResetEvent(false))
        {
            var waiter = Task.Run(() => WaitHandle.WaitAll(new WaitHandle[] { t1.WaitHandle, t2.WaitHandle, mre }));
            first.Cancel();
            second.Cancel();
            mre.Set();
            Check(waiter.Wait(10000), "WaitAll returned");
        }
    }

    // ---- linked sources -------------------------------------------------------------

    static Source LinkedTo(params Source[] parents)
    {
        var tokens = Array.ConvertAll(parents, p => p.Token());
        try { return Source.Linked(tokens); }
        finally { foreach (var t in tokens) t.Dispose(); }
    }

    public static void TestNet_CreateLinkedTokenSource_OneToken()
    {
        var original = new Source();
        using (var linked = LinkedTo(original))
        {
            Check(!linked.IsCancelled, "not yet");
            original.Cancel();
            Check(linked.IsCancelled, "the parent cancelled it");
        }
        original = new Source();
        using (var linked = LinkedTo(original))
        {
            linked.Cancel();
            Check(linked.IsCancelled && !original.IsCancelled, "never upwards");
        }
        original = new Source();
        using (var linked = LinkedTo(original))
        {
            original.Dispose();
            Check(!linked.IsCancelled, "a disposed parent cancels nothing");
        }
    }

    public static void TestNet_CreateLinkedTokenSource_Simple_TwoToken()
    {
        using (Source a = new Source(), b = new Source())
        using (var combined = LinkedTo(a, b))
        {
            Check(!combined.IsCancelled, "not yet");
            a.Cancel();
            Check(combined.IsCancelled, "either parent");
        }
    }

    public static void TestNet_CreateLinkedTokenSource_Simple_MultiToken()
    {
        using (Source a = new Source(), b = new Source(), c = new Source())
        using (var combined = LinkedTo(a, b, c))
        {
            Check(!combined.IsCancelled, "not yet");
            a.Cancel();
            Check(combined.IsCancelled, "any parent");
        }
    }

    public static void TestNet_CreateLinkedToken_SourceTokenAlreadySignalled_OneToken()
    {
        using (var signal = new Source())
        {
            signal.Cancel();
            using (var combined = LinkedTo(signal)) Check(combined.IsCancelled, "at once");
        }
    }

    public static void TestNet_CreateLinkedToken_SourceTokenAlreadySignalled_TwoTokens()
    {
        using (Source a = new Source(), b = new Source())
        {
            a.Cancel();
            using (var combined = LinkedTo(a, b)) Check(combined.IsCancelled, "at once");
        }
    }

    public static void TestNet_CreateLinkedToken_MultistepComposition_SourceTokenAlreadySignalled()
    {
        using (Source s1 = new Source(), s2 = new Source(), s3 = new Source())
        {
            s1.Cancel();
            using (var combined1 = LinkedTo(s1, s2))
            using (var combined2 = LinkedTo(s3, combined1))
                Check(combined2.IsCancelled, "two steps, at once");
        }
    }

    // ---- exceptions from callbacks ----------------------------------------------------

    public static void TestNet_Cancel_ThrowOnFirstException()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            bool secondRan = false;
            token.Register(() => { throw new ArgumentException(); }); // runs first here
            token.Register(() => { secondRan = true; throw new InvalidOperationException(); });
            Exception caught = null;
            Task.Run(() =>
            {
                try { source.Cancel(true); }
                catch (Exception e) { caught = e; }
            }).Wait();
            Check(caught is ArgumentException, "the first exception, as it is");
            Check(!secondRan, "the callbacks after it did not run");
        }
    }

    public static void TestNet_Cancel_DontThrowOnFirstException()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            token.Register(() => { throw new InvalidOperationException(); }); // runs first here
            token.Register(() => { throw new ArgumentException(); });
            AggregateException caught = null;
            Task.Run(() =>
            {
                try { source.Cancel(false); }
                catch (AggregateException e) { caught = e; }
            }).Wait();
            Check(caught != null && caught.InnerExceptions.Count == 2, "both, together");
            Check(caught.InnerExceptions[0] is InvalidOperationException &&
                  caught.InnerExceptions[1] is ArgumentException, "in the order they ran");
        }
    }

    public static void TestNet_CancellationRegistration_RepeatDispose()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            var registration = token.Register(() => { });
            registration.Dispose();
            registration.Dispose();
        }
    }

    // ---- deadlines and TryReset ------------------------------------------------------

    public static void TestNet_CancellationTokenSourceWithTimer()
    {
        using (var source = new Source(-1)) // infinite
        using (var token = source.Token())
        using (var fired = new ManualResetEventSlim(false))
        {
            token.Register(() => fired.Set());
            Check(!token.IsCancelled, "infinite: not cancelled");
            source.CancelAfter(1000000);
            Check(!token.IsCancelled, "a long delay: not yet");
            source.CancelAfter(1);
            Check(fired.Wait(10000), "a short delay fires");
        }
        using (var source = new Source(TimeSpan.FromHours(1)))
        using (var token = source.Token())
        using (var fired = new ManualResetEventSlim(false))
        {
            token.Register(() => fired.Set());
            source.CancelAfter(TimeSpan.FromHours(1));
            Check(!token.IsCancelled, "an hour: not yet");
            source.CancelAfter(new TimeSpan(1000));
            Check(fired.Wait(10000), "0.1 ms fires");
        }
    }

    public static void TestNet_CancellationTokenSourceWithTimer_SupportsInfinite()
    {
        var source = new Source(TimeSpan.FromDays(1));
        source.CancelAfter(Timeout.InfiniteTimeSpan);
        Check(!source.IsCancelled, "infinite");
        Check(source.TryReset(), "reset");
        source.CancelAfter(TimeSpan.FromDays(1));
        source.CancelAfter(Timeout.Infinite);
        Check(!source.IsCancelled && source.TryReset(), "infinite, reset");
        source.Dispose();
        using (var infinite = new Source(Timeout.InfiniteTimeSpan)) Check(!infinite.IsCancelled, "TimeSpan");
        using (var infinite = new Source(Timeout.Infinite)) Check(!infinite.IsCancelled, "int");
    }

    public static void TestNet_CancellationTokenSource_TryReset_ReturnsFalseIfAlreadyCanceled()
    {
        using (var source = new Source())
        {
            source.Cancel();
            Check(!source.TryReset() && source.IsCancelled, "cancelled stays cancelled");
        }
    }

    public static void TestNet_CancellationTokenSource_TryReset_ReturnsTrueIfNotCanceledAndNoTimer()
    {
        using (var source = new Source()) Check(source.TryReset() && source.TryReset(), "twice");
    }

    public static void TestNet_CancellationTokenSource_TryReset_ReturnsTrueIfNotCanceledAndTimerHasntFired()
    {
        using (var source = new Source())
        {
            source.CancelAfter(TimeSpan.FromDays(1));
            Check(source.TryReset(), "the deadline is disarmed");
        }
    }

    public static void TestNet_CancellationTokenSource_Ctor_ZeroTimeout()
    {
        foreach (bool timeSpan in new[] { false, true })
        {
            using (var source = timeSpan ? new Source(TimeSpan.Zero) : new Source(0))
            using (var token = source.Token())
            {
                Check(source.IsCancelled && token.IsCancelled, "zero: cancelled at once");
                for (int i = 0; i < 2; i++)
                {
                    int invoked = 0;
                    var registration = token.Register(() => invoked++);
                    Check(invoked == 1 && !registration.Unregister(), "ran at once: nothing to unregister");
                }
            }
        }
    }

    // ---- synchronization contexts ------------------------------------------------------

    sealed class SendCountingContext : SynchronizationContext
    {
        public bool DidSend;
        public override void Send(SendOrPostCallback d, object state)
        {
            DidSend = true;
            base.Send(d, state);
        }
    }

    // Runs the callback on another thread, and wraps what it throws (as WinForms does).
    sealed class ThreadCrossingContext : SynchronizationContext
    {
        public override void Send(SendOrPostCallback d, object state)
        {
            Exception thrown = null;
            Task.Run(() =>
            {
                try { d(state); }
                catch (Exception e) { thrown = e; }
            }).Wait();
            if (thrown != null) throw new AggregateException("marshalled", thrown);
        }
    }

    static void WithContext(SynchronizationContext context, Action body)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        try { body(); }
        finally { SynchronizationContext.SetSynchronizationContext(previous); }
    }

    public static void TestNet_EnlistWithSyncContext_BeforeCancel()
    {
        var context = new SendCountingContext();
        using (var source = new Source())
        using (var token = source.Token())
        {
            WithContext(context, () => token.Register(() => { }, true));
            Task.Run(() => source.Cancel()).Wait();
            Check(context.DidSend, "run through the captured context's Send");
        }
    }

    public static void TestNet_EnlistWithSyncContext_BeforeCancel_ThrowingExceptionInSyncContextDelegate()
    {
        var context = new SendCountingContext();
        using (var source = new Source())
        using (var token = source.Token())
        {
            WithContext(context, () => token.Register(() => { throw new ArgumentException(); }, true));
            AggregateException caught = null;
            Task.Run(() =>
            {
                try { source.Cancel(); }
                catch (AggregateException e) { caught = e; }
            }).Wait();
            Check(context.DidSend, "through Send");
            Check(caught != null && caught.InnerExceptions.Count == 1 && caught.InnerExceptions[0] is ArgumentException,
                  "thrown back to Cancel");
        }
    }

    public static void TestNet_EnlistWithSyncContext_BeforeCancel_ThrowingExceptionInSyncContextDelegate_ThrowOnFirst()
    {
        var context = new SendCountingContext();
        using (var source = new Source())
        using (var token = source.Token())
        {
            WithContext(context, () => token.Register(() => { throw new ArgumentException(); }, true));
            Exception caught = null;
            Task.Run(() =>
            {
                try { source.Cancel(true); }
                catch (Exception e) { caught = e; }
            }).Wait();
            Check(context.DidSend && caught is ArgumentException, "the first, as it is");
        }
    }

    public static void TestNet_SyncContextWithExceptionThrowingCallback()
    {
        WithContext(new ThreadCrossingContext(), () =>
        {
            using (var source = new Source())
            using (var token = source.Token())
            {
                token.Register(() => { throw new Exception("testEx1"); }, true);
                Exception first = null;
                try { source.Cancel(true); }
                catch (Exception e) { first = e; }
                Check(first is AggregateException, "the context's marshalled exception, as it is");
            }
            using (var source = new Source())
            using (var token = source.Token())
            {
                token.Register(() => { throw new ArgumentException("testEx2"); }, true);
                AggregateException all = null;
                try { source.Cancel(false); }
                catch (AggregateException e) { all = e; }
                Check(all != null && all.InnerExceptions.Count == 1, "one, aggregated");
            }
        });
    }

    public static void TestNet_Bug720327_DeregisterFromWithinACallbackIsSafe_SyncContextTest()
    {
        WithContext(new ThreadCrossingContext(), () =>
        {
            using (var source = new Source())
            using (var token = source.Token())
            {
                var registrations = new RegistrationHandle[4];
                // Registered first, so that they run first (as .NET's LIFO runs its last).
                token.Register(() => registrations[0].Dispose(), true);
                token.Register(() => registrations[1].Dispose(), false);
                token.Register(() => registrations[2].Dispose(), true);
                token.Register(() => registrations[3].Dispose(), false);
                for (int i = 0; i < 4; ++i) registrations[i] = token.Register(() => { });
                var cancel = Task.Run(() => source.Cancel());
                Check(cancel.Wait(10000), "no deadlock");
            }
        });
    }

    // ---- disposing and unregistering during a cancel ---------------------------------

    // .NET's shape: three registrations, the one that runs first blocks; while it does,
    // the second is removed; the third still runs. Here they run in registration order.
    static void RemoveWhileAnotherRuns(Func<RegistrationHandle, bool> removeBlocked,
                                       Func<RegistrationHandle, bool> removeNext,
                                       Func<RegistrationHandle, bool> afterLast)
    {
        using (var ranLast = new ManualResetEventSlim())
        using (var blocked = new ManualResetEventSlim())
        using (var running = new ManualResetEventSlim())
        using (var source = new Source())
        using (var token = source.Token())
        {
            var first = token.Register(() => { running.Set(); blocked.Wait(); });
            bool nextInvoked = false;
            var next = token.Register(() => nextInvoked = true);
            var last = token.Register(() => ranLast.Set());
            Task.Run(() => source.Cancel());
            running.Wait();
            Check(removeBlocked(first), "removing the running one");
            Check(removeNext(next), "removing the one not yet run");
            blocked.Set();
            ranLast.Wait();
            Check(afterLast(last), "the last one");
            Check(!nextInvoked, "the removed one never ran");
        }
    }

    public static void TestNet_CancellationTokenRegistration_DisposeDuringCancellation_SuccessfullyRemovedIfNotYetInvoked()
    {
        RemoveWhileAnotherRuns(first => true, next => { next.Dispose(); return true; }, last => true);
    }

    public static void TestNet_CancellationTokenRegistration_UnregisterDuringCancellation_SuccessfullyRemovedIfNotYetInvoked()
    {
        RemoveWhileAnotherRuns(first => !first.Unregister(), next => next.Unregister(), last => !last.Unregister());
    }

    public static void TestNet_CancellationTokenRegistration_DisposeAsyncDuringCancellation_SuccessfullyRemovedIfNotYetInvoked()
    {
        Task disposingFirst = null;
        RemoveWhileAnotherRuns(
            first => { disposingFirst = first.DisposeAsync(); return !disposingFirst.IsCompleted; },
            next => CompletedSuccessfully(next.DisposeAsync()),
            last => last.DisposeAsync().Wait(10000));
        Check(disposingFirst.Wait(10000), "the running one's DisposeAsync completes after it");
    }

    // Removed before the cancel: the callback never runs. `remove` says how it went.
    static void RemoveBeforeItRuns(Func<RegistrationHandle, bool> remove)
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            bool invoked = false;
            var registration = token.Register(() => invoked = true);
            Check(remove(registration), "removed before it ran");
            source.Cancel();
            Check(!invoked, "never ran");
        }
    }

    // Removed while it runs on another thread: `remove` must not block (else a deadlock),
    // and `afterwards` checks what removing gave once the callback is let go.
    static void RemoveWhileItRuns(Func<RegistrationHandle, Task> remove, Action<Task> afterwards)
    {
        using (var barrier = new Barrier(2))
        using (var source = new Source())
        using (var token = source.Token())
        {
            var registration = token.Register(() => { barrier.SignalAndWait(); barrier.SignalAndWait(); });
            var cancel = Task.Run(() => source.Cancel());
            barrier.SignalAndWait();
            Task removing = remove(registration);
            Thread.Sleep(1);
            Check(!removing.IsCompleted, "not done while the callback runs");
            barrier.SignalAndWait();
            afterwards(removing);
            cancel.Wait();
        }
    }

    public static void TestNet_CancellationTokenRegistration_UnregisterRemovesDelegate()
    {
        RemoveBeforeItRuns(registration => registration.Unregister() && !registration.Unregister());
    }

    public static void TestNet_CancellationTokenRegistration_UnregisterWhileCallbackRunning_UnregisterDoesntWaitForCallbackToComplete()
    {
        bool unregistered = true;
        RemoveWhileItRuns(registration =>
        {
            unregistered = registration.Unregister(); // returns at once
            return new TaskCompletionSource<bool>().Task; // nothing to wait for
        }, removing => Check(!unregistered, "running: false"));
    }

    public static void TestNet_CancellationTokenRegistration_ConcurrentUnregisterWithCancel_ReturnsFalseOrCallbackInvoked()
    {
        const int Iterations = 2000;
        using (var barrier = new Barrier(2))
        {
            var source = new Source();
            bool unregistered = false, invoked = false;
            var violations = new List<string>(); // not thrown: the other task would wait forever
            var registering = Task.Factory.StartNew(() =>
            {
                for (int i = 0; i < Iterations; i++)
                {
                    barrier.SignalAndWait();
                    RegistrationHandle registration;
                    using (var token = source.Token()) registration = token.Register(() => invoked = true);
                    barrier.SignalAndWait();
                    unregistered = registration.Unregister();
                    barrier.SignalAndWait();
                }
            }, TaskCreationOptions.LongRunning);
            var cancelling = Task.Factory.StartNew(() =>
            {
                for (int i = 0; i < Iterations; i++)
                {
                    barrier.SignalAndWait();
                    barrier.SignalAndWait();
                    source.Cancel();
                    barrier.SignalAndWait();
                    if (unregistered == invoked) violations.Add(i + ": unregistered " + unregistered + ", invoked " + invoked);
                    unregistered = invoked = false;
                    source.Dispose();
                    source = new Source();
                }
            }, TaskCreationOptions.LongRunning);
            Task.WaitAll(registering, cancelling);
            source.Dispose();
            Check(violations.Count == 0, "exactly one of unregistered and invoked: " + string.Join("; ", violations));
        }
    }

    public static void TestNet_Unregister_ConcurrentUse_ThreadSafe()
    {
        RegistrationHandle shared = null;
        using (var source = new Source())
        using (var token = source.Token())
        {
            DateTime end = DateTime.UtcNow.AddSeconds(1);
            Task.WaitAll(
                Task.Run(() =>
                {
                    while (DateTime.UtcNow < end)
                    {
                        var registration = token.Register(() => { });
                        Volatile.Write(ref shared, registration);
                        registration.Unregister();
                    }
                }),
                Task.Run(() =>
                {
                    while (DateTime.UtcNow < end)
                    {
                        var registration = Volatile.Read(ref shared);
                        if (registration != null) registration.Unregister();
                    }
                }));
        }
    }

    // ---- ExecutionContext ---------------------------------------------------------------

    public static void TestNet_Register_ExecutionContextFlowsIfExpected()
    {
        using (var source = new Source())
        using (var token = source.Token())
        {
            const int Iterations = 5;
            int invoked = 0;
            var local = new AsyncLocal<int>();
            for (int i = 1; i <= Iterations; i++)
            {
                bool flow = i % 2 == 0;
                local.Value = i;
                Action<object> callback = s =>
                {
                    invoked++;
                    Check(local.Value == (flow ? (int)s : 0), "the registering context, or none");
                };
                if (flow) token.Register(callback, i);
                else token.UnsafeRegister(callback, i);
            }
            local.Value = 0;
            source.Cancel();
            Check(invoked == Iterations, "all ran");
        }
    }

    // ---- DisposeAsync -------------------------------------------------------------------

    public static void TestNet_CancellationTokenRegistration_DisposeAsyncRemovesDelegate()
    {
        RemoveBeforeItRuns(registration => CompletedSuccessfully(registration.DisposeAsync()));
    }

    public static void TestNet_CancellationTokenRegistration_DisposeAsyncWhileCallbackRunning_WaitsForCallbackToComplete()
    {
        RemoveWhileItRuns(registration => registration.DisposeAsync(),
                          removing => Check(removing.Wait(10000), "completes once the callback has run"));
    }

    public static void TestNet_CancellationTokenRegistration_DisposeAsync_NopAfterDispose()
    {
        for (int mode = 0; mode < 3; mode++)
        {
            using (var source = new Source())
            using (var token = source.Token())
            {
                var registration = token.Register(() => { });
                switch (mode)
                {
                    case 0: registration.Dispose(); break;
                    case 1: registration.DisposeAsync(); break;
                    case 2: registration.Unregister(); break;
                }
                Check(CompletedSuccessfully(registration.DisposeAsync()), "a no-op, completed");
            }
        }
    }

    // ---- CancelAsync ---------------------------------------------------------------------

    public static void TestNet_CancellationTokenSource_CancelAsync_CallbacksInvokedAsynchronously()
    {
        using (var release = new ManualResetEventSlim())
        using (var source = new Source())
        using (var token = source.Token())
        {
            token.Register(() => release.Wait());
            Task cancelling = source.CancelAsync();
            Check(!cancelling.IsCompleted && source.IsCancelled, "cancelled at once; callbacks elsewhere");
            Check(CompletedSuccessfully(source.CancelAsync()), "a second call completes at once");
            release.Set();
            Check(cancelling.Wait(10000), "completes once they ran");
        }
    }

    public static void TestNet_CancellationTokenSource_CancelAsync_AllCallbacksInvoked()
    {
        const int Iterations = 1000;
        int sum = 0;
        int caller = Thread.CurrentThread.ManagedThreadId;
        bool onCaller = false;
        using (var source = new Source())
        using (var token = source.Token())
        {
            for (int i = 1; i <= Iterations; i++)
            {
                token.Register(s =>
                {
                    if (Thread.CurrentThread.ManagedThreadId == caller) onCaller = true;
                    sum += (int)s;
                }, i);
            }
            Task cancelling = source.CancelAsync();
            Check(source.IsCancelled, "cancelled at once");
            Check(cancelling.Wait(10000), "completed");
        }
        Check(sum == Iterations * (Iterations + 1) / 2 && !onCaller, "all ran, none on the calling thread");
    }
}
