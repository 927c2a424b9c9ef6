namespace OrzDynamic.Core.Probes;

/// <summary>
/// Which probed answers get a per-token heatmap: explicit samples (<c>math500:12,aime2024:3</c>) or the N with the
/// largest change of out_token between the first and last checkpoint (<c>5</c>).
/// </summary>
public sealed record HeatmapSelection
{
    /// <summary>Explicit (dataset, record index) samples, in the order given.</summary>
    public IReadOnlyList<(string Dataset, int Index)> Samples { get; init; } = [];

    /// <summary>Number of largest-change items, when no explicit samples are given.</summary>
    public int? LargestChange { get; init; }

    /// <summary>Parses the command-line form.</summary>
    /// <exception cref="ProbeInputException">Malformed text.</exception>
    public static HeatmapSelection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            if (n < 1) throw new ProbeInputException($"--heatmap_samples {text}: give a positive count or dataset:index pairs.");
            return new HeatmapSelection { LargestChange = n };
        }
        var samples = new List<(string, int)>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int colon = part.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(part[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                throw new ProbeInputException($"--heatmap_samples: '{part}' is not dataset:index (e.g. math500:12) and the whole value is not a count.");
            samples.Add((part[..colon], index));
        }
        if (samples.Count == 0) throw new ProbeInputException("--heatmap_samples is empty.");
        return new HeatmapSelection { Samples = samples };
    }

    /// <summary>
    /// Checks the explicit samples against the probed answers before any checkpoint is scored: a dataset not probed
    /// or an index that is not among the probed answers is a <see cref="ProbeInputException"/>.
    /// </summary>
    public void CheckSamples(IReadOnlyList<ProbeItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (Samples.Count > 0) Resolve(items, []);
    }

    /// <summary>
    /// The item keys to draw. Explicit samples must name probed answers: a dataset not probed or an index that is not
    /// among the probed answers is a <see cref="ProbeInputException"/> listing what is available.
    /// </summary>
    internal IReadOnlyList<string> Resolve(IReadOnlyList<ProbeItem> items, IReadOnlyList<(ProbeCheckpoint Checkpoint, IReadOnlyList<ProbeRecord> Records)> byCheckpoint)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (LargestChange is { } n) return TokenHeatmapBuilder.LargestChange(byCheckpoint, n);
        var keys = new List<string>();
        foreach (var (dataset, index) in Samples)
        {
            var mine = items.Where(i => i.Source == dataset).Select(i => i.Index).Order().ToArray();
            if (mine.Length == 0)
                throw new ProbeInputException($"--heatmap_samples {dataset}:{index}: dataset '{dataset}' has no probed answers (probed: {string.Join(", ", items.Select(i => i.Source).Distinct())}).");
            if (Array.BinarySearch(mine, index) < 0)
                throw new ProbeInputException($"--heatmap_samples {dataset}:{index}: index out of range: the reference answers of '{dataset}' have indices {Describe(mine)}.");
            keys.Add($"{dataset}#{index}");
        }
        return keys;
    }

    private static string Describe(int[] indices) =>
        indices.Length <= 12 ? string.Join(", ", indices) : $"{indices.Length} indices from {indices[0]} to {indices[^1]} ({string.Join(", ", indices.Take(8))}, …)";
}
