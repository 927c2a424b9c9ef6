namespace OrzDynamic.Cli;

/// <summary>
/// The demo shipped with the CLI: checkpoints trained by the project (samples/demo-checkpoints/iter*), its held-out
/// eval set (samples/demo-data/*.json) and a custom sentence file, copied next to the executable at build time.
/// </summary>
internal static class EmbeddedDefault
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "demo");

    public static IReadOnlyList<string> Checkpoints =>
        Directory.Exists(Path.Combine(Root, "checkpoints"))
            ? Directory.GetDirectories(Path.Combine(Root, "checkpoints"), "iter*").Order(StringComparer.Ordinal).ToArray()
            : [];

    public static IReadOnlyList<string> DataFiles =>
        Directory.Exists(Path.Combine(Root, "data")) ? Directory.GetFiles(Path.Combine(Root, "data"), "*.json").Order(StringComparer.Ordinal).ToArray() : [];

    public static IReadOnlyList<string> CustomSentenceFiles =>
        Directory.Exists(Path.Combine(Root, "custom")) ? Directory.GetFiles(Path.Combine(Root, "custom"), "*.json*").Order(StringComparer.Ordinal).ToArray() : [];

    public static bool IsAvailable => Checkpoints.Count > 0 && DataFiles.Count > 0;

    /// <summary>Options that may be given on top of the embedded demo (they add to the run, they do not define it).</summary>
    public static IReadOnlySet<string> AddOnOptions { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "--probe_answers_from", "--heatmap_samples", "--fixed_item_lines", "--output_dir", "--verbose", "--greedy", "--seed",
        "--max_eval_samples", "--generate_max_len", "--n_samples", "--batch_size", "--device", "--dtype", "--error_bars", "--confidence_level", "--all_comparisons",
    };

    /// <summary>True when every option in <paramref name="args"/> is an add-on option (no checkpoints, no data).</summary>
    public static bool OnlyAddsToTheDemo(IReadOnlyList<string> args) =>
        args.Count > 0 && args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).All(AddOnOptions.Contains)
        && args[0].StartsWith("--", StringComparison.Ordinal);

    /// <summary>The demo's arguments with the user's options appended; a demo option the user also gave is dropped.</summary>
    public static string[] MergeArgs(IReadOnlyList<string> demo, IReadOnlyList<string> user)
    {
        var given = user.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var merged = new List<string>();
        bool skipping = false;
        foreach (var a in demo)
        {
            if (a.StartsWith("--", StringComparison.Ordinal)) skipping = given.Contains(a);
            if (!skipping) merged.Add(a);
        }
        merged.AddRange(user);
        return [.. merged];
    }
}
