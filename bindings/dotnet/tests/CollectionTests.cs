// What a token does never depends on when the collector runs (issue 31): a Source
// collected without Dispose() is abandoned, not destroyed, so an armed deadline still
// fires and a linked source still follows, as .NET's CancellationTokenSource does.
using System;
using System.Runtime.CompilerServices;
using Enough;

public static partial class Tests
{
    const int Generous = 60000; // ms: a hang fails the test, never its speed

    // Makes a source the caller never sees again, on a thread of its own that ends: mono
    // scans stacks conservatively, and a stale copy of the reference in a frame of ours
    // would keep it alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static WeakReference Forgotten(Func<Source> make)
    {
        WeakReference forgotten = null;
        var maker = new System.Threading.Thread(() => forgotten = new WeakReference(make()));
        maker.Start();
        maker.Join();
        return forgotten;
    }

    static void CollectUntilGone(WeakReference forgotten)
    {
        for (int i = 0; i < 100 && forgotten.IsAlive; ++i)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        GC.Collect();
        GC.WaitForPendingFinalizers(); // the handle's own finalizer too
        Check(!forgotten.IsAlive, "the forgotten source was collected");
    }

    public static void TestCollection_ACollectedSourceWithAnArmedDeadlineStillFires()
    {
        Token token = null;
        CollectUntilGone(Forgotten(() =>
        {
            var source = new Source();
            token = source.Token();
            source.CancelAfter(TimeSpan.FromMilliseconds(50));
            return source;
        }));
        using (token)
        {
            Check(token.MayCancel, "not orphaned by the collector");
            Check(token.Wait(TimeSpan.FromMilliseconds(Generous)), "the deadline fired");
            Check(token.Reason == (int)Reason.TimedOut, "with TimedOut");
        }
    }

    public static void TestCollection_DisposeStillDisarmsTheDeadline()
    {
        var source = new Source();
        using (Token token = source.Token())
        {
            source.CancelAfter(TimeSpan.FromMilliseconds(50));
            source.Dispose();
            Check(!token.MayCancel, "orphaned by Dispose");
            Check(!token.Wait(TimeSpan.FromMilliseconds(Generous)), "never fires");
        }
    }

    public static void TestCollection_ACollectedLinkedSourceKeepsFollowing()
    {
        using (var parent = new Source())
        {
            Token token = null;
            CollectUntilGone(Forgotten(() =>
            {
                using (Token parentToken = parent.Token())
                {
                    Source child = Source.Linked(parentToken);
                    token = child.Token();
                    return child;
                }
            }));
            using (token)
            {
                parent.Cancel(4242);
                Check(token.Reason == 4242, "the parent's reason arrived");
            }
        }
    }
}

public static partial class Tests
{
    // What CoreCLR does and mono does not (issue 31): a compacting collector moves
    // objects under registered callbacks. Registrations, cancels and disposals race
    // full compacting collections; every callback runs once, with its own state.
    public static void TestCollection_CompactingCollectionsRaceRegistrationsAndCancels()
    {
        const int rounds = 500;
        // Earlier tests' garbage finalized first: the collections below would otherwise
        // release it meanwhile, and the count would end below where it started.
        Collect();
        var before = Library.LiveObjects;
        bool stop = false;
        int collections = 0;
        var collector = new System.Threading.Thread(() =>
        {
            while (!System.Threading.Volatile.Read(ref stop))
            {
                System.Runtime.GCSettings.LargeObjectHeapCompactionMode =
                    System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(2, GCCollectionMode.Forced, true, true);
                ++collections;
                System.Threading.Thread.Sleep(1); // the others make progress between them
            }
        });
        collector.Start();
        int wrong = 0;
        for (int i = 0; i < rounds; ++i)
        {
            using (var source = new Source())
            using (Token token = source.Token())
            {
                var seen = new int[1];
                var state = new byte[64 + i % 512]; // objects of many sizes to move
                state[0] = (byte)i;
                using (token.Register(reason => { if (state[0] == (byte)i) seen[0] += reason; }))
                {
                    var canceller = new System.Threading.Thread(() => source.Cancel(5 + i % 3));
                    canceller.Start();
                    canceller.Join();
                }
                if (seen[0] != 5 + i % 3) ++wrong;
            }
        }
        System.Threading.Volatile.Write(ref stop, true);
        collector.Join();
        Check(wrong == 0, wrong + " callbacks ran wrongly under " + collections + " compacting collections");
        var after = Library.LiveObjects;
        Check(after == before, "nothing left alive (everything disposed): " + before + " live before, " + after + " after");
    }
}
