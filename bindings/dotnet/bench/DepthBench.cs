// The depth figures of docs/performance.md for .NET (issue 33), under mono: a chain of
// 1,000,000 tokens, each the child of the one before, and 100,000 children of one
// parent; ours (Token.Linked) beside .NET's linked CancellationTokenSource
// (CreateLinkedTokenSource): built, cancelled from the root, then disposed. Each shape
// in a fresh process of this program ("time SHAPE": five rounds, the median; each on a
// thread with a 1 GiB stack, as .NET's cancel of a deep chain recurses), then its
// memory per token ("memory SHAPE": the growth of the resident set while a fresh
// process builds it). Prints JSON, as the Rust example depth_bench does.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Enough;

public static class DepthBench
{
    const int Depth = 1000000;
    const int Width = 100000;
    const int Rounds = 5;

    // A built shape: what cancels it, and what disposes it.
    sealed class Built
    {
        public Action Cancel;
        public Action Dispose;
    }

    static Built OursChildren()
    {
        var source = new Source();
        var parent = source.Token();
        var children = new Token[Width];
        for (int i = 0; i < Width; ++i) children[i] = Token.Linked(parent);
        return new Built
        {
            Cancel = () => source.Cancel(),
            Dispose = () => { foreach (var child in children) child.Dispose(); parent.Dispose(); source.Dispose(); },
        };
    }

    static Built DotnetChildren()
    {
        var root = new CancellationTokenSource();
        var children = new CancellationTokenSource[Width];
        for (int i = 0; i < Width; ++i) children[i] = CancellationTokenSource.CreateLinkedTokenSource(root.Token);
        return new Built
        {
            Cancel = () => root.Cancel(),
            Dispose = () => { foreach (var child in children) child.Dispose(); root.Dispose(); },
        };
    }

    static Built OursChain()
    {
        var source = new Source();
        var tokens = new Token[Depth + 1];
        tokens[0] = source.Token();
        for (int i = 1; i <= Depth; ++i) tokens[i] = Token.Linked(tokens[i - 1]);
        return new Built
        {
            Cancel = () => source.Cancel(),
            Dispose = () => { foreach (var token in tokens) token.Dispose(); source.Dispose(); },
        };
    }

    static Built DotnetChain()
    {
        var sources = new CancellationTokenSource[Depth + 1];
        sources[0] = new CancellationTokenSource();
        for (int i = 1; i <= Depth; ++i) sources[i] = CancellationTokenSource.CreateLinkedTokenSource(sources[i - 1].Token);
        return new Built
        {
            Cancel = () => sources[0].Cancel(),
            Dispose = () => { foreach (var source in sources) source.Dispose(); },
        };
    }

    static readonly Dictionary<string, Tuple<Func<Built>, int>> Shapes = new Dictionary<string, Tuple<Func<Built>, int>>
    {
        { "ours_chain_tokens", Tuple.Create<Func<Built>, int>(OursChain, Depth) },
        { "dotnet_chain", Tuple.Create<Func<Built>, int>(DotnetChain, Depth) },
        { "ours_children", Tuple.Create<Func<Built>, int>(OursChildren, Width) },
        { "dotnet_children", Tuple.Create<Func<Built>, int>(DotnetChildren, Width) },
    };

    static string F(double value) { return value.ToString("F2", CultureInfo.InvariantCulture); }

    static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    static void MeasureTime(string name)
    {
        var build = new List<double>();
        var cancel = new List<double>();
        var dispose = new List<double>();
        for (int round = 0; round < Rounds; ++round)
        {
            var thread = new Thread(() =>
            {
                GC.Collect();
                var watch = Stopwatch.StartNew();
                Built built = Shapes[name].Item1();
                build.Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                built.Cancel();
                cancel.Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                built.Dispose();
                dispose.Add(watch.Elapsed.TotalMilliseconds);
            }, 1 << 30);
            thread.Start();
            thread.Join();
        }
        Console.WriteLine(F(Median(build)) + " " + F(Median(cancel)) + " " + F(Median(dispose)));
    }

    static double ResidentBytes()
    {
        foreach (var line in File.ReadAllLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:"))
                return double.Parse(line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }

    static void MeasureMemory(string name)
    {
        using (var warm = Token.Linked(new Source().Token())) { } // the library set up first
        GC.Collect();
        double before = ResidentBytes();
        Built built = Shapes[name].Item1();
        double grown = ResidentBytes() - before;
        Console.WriteLine((grown / Shapes[name].Item2).ToString("F1", CultureInfo.InvariantCulture));
        GC.KeepAlive(built);
    }

    static string Ask(string mode, string name)
    {
        var start = new ProcessStartInfo("mono", "\"" + typeof(DepthBench).Assembly.Location + "\" " + mode + " " + name)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        using (var process = Process.Start(start))
        {
            string output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new Exception("DepthBench " + mode + " " + name + " failed");
            return output;
        }
    }

    public static void Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "time") { MeasureTime(args[1]); return; }
        if (args.Length == 2 && args[0] == "memory") { MeasureMemory(args[1]); return; }
        var fields = new List<string>();
        foreach (var name in new[] { "ours_chain_tokens", "dotnet_chain", "ours_children", "dotnet_children" })
        {
            var times = Ask("time", name).Split(' ');
            fields.Add("\"" + name + "\": {\"build_ms\": " + times[0] + ", \"cancel_ms\": " + times[1] +
                       ", \"drop_ms\": " + times[2] + ", \"bytes_per_token\": " + Ask("memory", name) + "}");
        }
        Console.WriteLine("{\"depth\": " + Depth + ", \"width\": " + Width + ", \"rounds\": " + Rounds + ", " +
                          string.Join(", ", fields) + "}");
    }
}
