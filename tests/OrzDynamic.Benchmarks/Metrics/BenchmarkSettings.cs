using System.Globalization;

namespace OrzDynamic.Benchmarks.Metrics;

/// <summary>Command-line settings of the metrics benchmark.</summary>
internal sealed record BenchmarkSettings
{
    public int Positions { get; init; } = 2048;
    public int Vocab { get; init; } = 151936;
    public int Warmup { get; init; } = 1;
    public int Runs { get; init; } = 5;
    public int[] Chunks { get; init; } = [16, 32, 64, 128, 256];
    public bool Naive { get; init; } = true;
    public string? Output { get; init; }
    public string? ChildVariant { get; init; }
    public int ChildChunk { get; init; } = 64;

    public static BenchmarkSettings Parse(string[] args)
    {
        var s = new BenchmarkSettings();
        for (var i = 0; i < args.Length; i++)
        {
            string next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int nextInt() => int.Parse(next(), CultureInfo.InvariantCulture);
            s = args[i] switch
            {
                "--positions" => s with { Positions = nextInt() },
                "--vocab" => s with { Vocab = nextInt() },
                "--warmup" => s with { Warmup = nextInt() },
                "--runs" => s with { Runs = nextInt() },
                "--chunks" => s with { Chunks = next().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray() },
                "--no-naive" => s with { Naive = false },
                "--out" => s with { Output = next() },
                "--child" => s with { ChildVariant = next() },
                "--chunk" => s with { ChildChunk = nextInt() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        if (s.Positions < 2 || s.Vocab < 2 || s.Runs < 1 || s.Warmup < 0 || s.Chunks.Length == 0 || s.Chunks.Any(c => c < 1))
            throw new ArgumentException("positions/vocab must be ≥ 2, runs ≥ 1, warmup ≥ 0, chunks positive.");
        return s;
    }

    /// <summary>Arguments that make a child process measure one variant with the same input.</summary>
    public string[] ChildArgs(string variant, int chunk) =>
    [
        "metrics", "--child", variant, "--chunk", chunk.ToString(CultureInfo.InvariantCulture),
        "--positions", Positions.ToString(CultureInfo.InvariantCulture), "--vocab", Vocab.ToString(CultureInfo.InvariantCulture),
        "--warmup", Warmup.ToString(CultureInfo.InvariantCulture), "--runs", Runs.ToString(CultureInfo.InvariantCulture),
    ];
}
