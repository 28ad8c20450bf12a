// The C# sample: a long job on a worker thread checks an enough token; the caller
// cancels it through a .NET CancellationToken (CancelAfter), bridged to the token.
// Uses the Enough library (bindings/dotnet).
using System;
using System.Threading;
using Enough;

public static class Program
{
    // A library author's side: a long loop that checks the token between units of work.
    static long Decode(Token token)
    {
        long units = 0;
        while (!token.IsCancelled) // one read of the state word
        {
            ++units;
        }
        return units;
    }

    public static int Main()
    {
        using (var cts = new CancellationTokenSource())
        using (var source = Source.FromCancellationToken(cts.Token))
        using (var token = source.Token())
        {
            long units = 0;
            var worker = new Thread(() => units = Decode(token));
            worker.Start();
            cts.CancelAfter(50); // .NET's own timer cancels the bridged source
            worker.Join();
            Console.WriteLine("stopped after " + units + " units, reason " + token.Reason);
            try
            {
                token.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("OperationCanceledException, as .NET code expects");
                return token.Reason == (int)Reason.Cancelled ? 0 : 1;
            }
            return 1;
        }
    }
}
