// Depth and Token.Linked (issue 24): a chain of a million linked sources and one of a
// million linked tokens cancel from a thread with a 128 KiB stack and are disposed with
// nothing left alive; a hundred thousand children of one parent cancel in one call; a
// linked token with several parents can never cancel once none of them can (fan-in).
using System;
using System.Collections.Generic;
using System.Threading;
using Enough;

public static partial class Tests
{
    const int Children = 100000;
    const int SmallStack = 128 * 1024; // musl's default thread stack

    // A million, or fewer where test-installed.sh says so (an emulator).
    static int ChainLength()
    {
        string value = Environment.GetEnvironmentVariable("ENOUGH_TEST_CHAIN");
        return string.IsNullOrEmpty(value) ? 1000000 : int.Parse(value);
    }

    static void OnSmallStack(ThreadStart work)
    {
        var thread = new Thread(work, SmallStack);
        thread.Start();
        thread.Join();
    }

    static void CancelAChain(bool linkedSources)
    {
        var before = Library.LiveObjects;
        var root = new Source();
        var sources = new List<Source>(); // a linked source follows while it lives: kept
        var token = root.Token();
        for (int i = ChainLength(); i > 0; --i)
        {
            Token child;
            if (linkedSources)
            {
                sources.Add(Source.Linked(token));
                child = sources[sources.Count - 1].Token();
            }
            else
            {
                child = Token.Linked(token); // keeps its parent: nothing else to keep
            }
            token.Dispose();
            token = child;
        }
        int seen = 0;
        using (token.Register(reason => seen = reason))
        {
            OnSmallStack(() => root.Cancel(4242));
            Check(seen == 4242, "the leaf's callback ran before cancel returned");
        }
        var leaf = token;
        OnSmallStack(leaf.Dispose); // the last reference to the whole chain of tokens
        foreach (var source in sources) source.Dispose();
        root.Dispose();
        Check(Library.LiveObjects == before, "nothing left alive");
    }

    public static void TestAChainOfLinkedSourcesCancelsFromASmallStack() { CancelAChain(true); }
    public static void TestAChainOfLinkedTokensCancelsFromASmallStack() { CancelAChain(false); }

    public static void TestAHundredThousandLinkedTokensCancelInOneCall()
    {
        var before = Library.LiveObjects;
        using (var parent = new Source())
        using (var token = parent.Token())
        {
            var children = new Token[Children];
            for (int i = 0; i < Children; ++i) children[i] = Token.Linked(token);
            parent.Cancel(7);
            foreach (var child in children)
            {
                Check(child.Reason == 7, "every child, before cancel returned");
                child.Dispose();
            }
        }
        Check(Library.LiveObjects == before, "nothing left alive");
    }

    public static void TestALinkedTokenIsOrphanedOnceEveryParentIs()
    {
        var a = new Source();
        var b = new Source();
        Token linked;
        using (var ta = a.Token())
        using (var tb = b.Token()) linked = Token.Linked(ta, tb); // needs no parent handle kept
        using (linked)
        {
            bool woken = true;
            var waiter = new Thread(() => woken = linked.Wait(Timeout.InfiniteTimeSpan));
            waiter.Start();
            a.Dispose();
            Thread.Sleep(20);
            Check(linked.MayCancel && waiter.IsAlive, "b may still cancel");
            b.Dispose();
            waiter.Join();
            Check(!woken && !linked.MayCancel && !linked.IsCancelled, "orphaned: the waiter woke, never cancelled");
        }
        bool threw = false;
        try { Token.Linked(null); } catch (ArgumentNullException) { threw = true; }
        Check(threw, "Linked(null) is refused");
    }
}
