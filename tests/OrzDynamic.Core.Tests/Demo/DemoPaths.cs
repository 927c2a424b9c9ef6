using NUnit.Framework;

namespace OrzDynamic.Core.Tests.Demo;

/// <summary>Locates the committed demo files (samples/demo-*) by walking up from the test binaries.</summary>
internal static class DemoPaths
{
    private static readonly Lazy<string?> SamplesRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "samples", "demo-checkpoints"))) return Path.Combine(dir.FullName, "samples");
        return null;
    });

    /// <summary>The repository's samples/ folder (fails the test when the demo files are not found).</summary>
    public static string Samples => SamplesRoot.Value
        ?? throw new AssertionException($"samples/demo-checkpoints not found above {AppContext.BaseDirectory}");

    /// <summary>samples/demo-checkpoints.</summary>
    public static string Checkpoints => Path.Combine(Samples, "demo-checkpoints");

    /// <summary>Checkpoint directories iter*, ordered by step.</summary>
    public static IReadOnlyList<(int Step, string Path)> CheckpointDirectories =>
        Directory.GetDirectories(Checkpoints, "iter*")
            .Select(d => (Step: int.Parse(Path.GetFileName(d)["iter".Length..], System.Globalization.CultureInfo.InvariantCulture), Path: d))
            .OrderBy(c => c.Step).ToArray();

    /// <summary>samples/demo-data/arith_demo.json.</summary>
    public static string EvalData => Path.Combine(Samples, "demo-data", "arith_demo.json");

    /// <summary>samples/demo-custom/arith_sentences.json.</summary>
    public static string CustomSentences => Path.Combine(Samples, "demo-custom", "arith_sentences.json");
}
