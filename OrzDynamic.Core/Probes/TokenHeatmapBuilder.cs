namespace OrzDynamic.Core.Probes;

/// <summary>Builds <see cref="TokenHeatmap"/>s from the probe records of several checkpoints.</summary>
internal static class TokenHeatmapBuilder
{
    /// <summary>The heatmap of item <paramref name="key"/>.</summary>
    /// <param name="key">Item key ("source#index").</param>
    /// <param name="byCheckpoint">Records of every checkpoint.</param>
    /// <param name="tokenText">Display text of a token id (e.g. the tokenizer's decode of that one token).</param>
    /// <param name="titlePrefix">Text before the key in the title.</param>
    /// <exception cref="ProbeInputException">No checkpoint has a record for the key.</exception>
    public static TokenHeatmap Build(string key, IReadOnlyList<(ProbeCheckpoint Checkpoint, IReadOnlyList<ProbeRecord> Records)> byCheckpoint,
        Func<int, string> tokenText, string titlePrefix = "")
    {
        ArgumentNullException.ThrowIfNull(byCheckpoint);
        ArgumentNullException.ThrowIfNull(tokenText);
        var rows = byCheckpoint.OrderBy(c => c.Checkpoint.Iteration)
            .Select(c => (c.Checkpoint, Record: c.Records.FirstOrDefault(r => r.Key == key))).Where(x => x.Record is not null).ToArray();
        if (rows.Length == 0) throw new ProbeInputException($"No probe record for '{key}' at any checkpoint.");
        var ids = rows[0].Record!.TokenIds;
        // log_probs has one value per scored response token; with an empty prompt the first token is not scored.
        int n = rows.Max(r => r.Record!.LogProbs.Count);
        var shown = ids.Skip(ids.Count - n).ToArray();
        var values = rows.Select(r =>
        {
            var lp = r.Record!.LogProbs;
            var row = new double[n];
            for (int t = 0; t < n; t++) row[t] = t < lp.Count ? lp[t] : double.NaN;
            return (IReadOnlyList<double>)row;
        }).ToArray();
        var title = $"{titlePrefix}{key}: log p per token";
        return new TokenHeatmap(key, title, rows.Select(r => r.Checkpoint.Name).ToArray(), rows.Select(r => r.Checkpoint.Iteration).ToArray(),
            shown.Select(tokenText).ToArray(), values);
    }

    /// <summary>
    /// The <paramref name="count"/> items whose total log-probability (out_token) changed most between the first
    /// and the last checkpoint (ties by key).
    /// </summary>
    public static IReadOnlyList<string> LargestChange(IReadOnlyList<(ProbeCheckpoint Checkpoint, IReadOnlyList<ProbeRecord> Records)> byCheckpoint, int count)
    {
        ArgumentNullException.ThrowIfNull(byCheckpoint);
        if (byCheckpoint.Count == 0 || count <= 0) return [];
        var ordered = byCheckpoint.OrderBy(c => c.Checkpoint.Iteration).ToArray();
        var first = ordered[0].Records.Where(r => r.LdMetrics is { IsValid: true }).ToDictionary(r => r.Key, r => r.LdMetrics!.OutToken);
        return ordered[^1].Records.Where(r => r.LdMetrics is { IsValid: true } && first.ContainsKey(r.Key))
            .Select(r => (r.Key, Change: Math.Abs(r.LdMetrics!.OutToken - first[r.Key])))
            .OrderByDescending(x => x.Change).ThenBy(x => x.Key, StringComparer.Ordinal)
            .Take(count).Select(x => x.Key).ToArray();
    }
}
