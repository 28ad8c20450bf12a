// The figure for docs/performance.md: Token.IsCancelled against
// CancellationToken.IsCancellationRequested, interleaved rounds, median. Prints JSON.
using System;
using System.Diagnostics;
using System.Threading;
using Enough;

public static class Bench
{
    const int Checks = 20000000;

    static double PerCheckNs(Func<bool> check)
    {
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < Checks; ++i)
        {
            if (check()) throw new Exception("cancelled");
        }
        return watch.Elapsed.TotalMilliseconds * 1e6 / Checks;
    }

    static double Median(double[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }

    public static void Main()
    {
        using (var source = new Source())
        using (var token = source.Token())
        using (var cts = new CancellationTokenSource())
        {
            CancellationToken dotnet = cts.Token;
            var ours = new double[7];
            var theirs = new double[7];
            for (int round = 0; round < 7; ++round)
            {
                ours[round] = PerCheckNs(() => token.IsCancelled);
                theirs[round] = PerCheckNs(() => dotnet.IsCancellationRequested);
            }
            Console.WriteLine("{\"dotnet_is_cancelled_ns\": " + Median(ours).ToString("F3",
                System.Globalization.CultureInfo.InvariantCulture) + ", \"dotnet_is_cancellation_requested_ns\": " +
                Median(theirs).ToString("F3", System.Globalization.CultureInfo.InvariantCulture) + "}");
        }
    }
}
