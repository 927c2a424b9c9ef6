namespace OrzDynamic.Core.Probes;

/// <summary>
/// log p(token) of one fixed response under every checkpoint: the input of the per-token heatmap.
/// </summary>
/// <param name="Key">Item key ("dataset#index").</param>
/// <param name="Title">Chart title.</param>
/// <param name="Checkpoints">Checkpoint names, in iteration order (heatmap rows).</param>
/// <param name="Iterations">Iteration of each checkpoint.</param>
/// <param name="Tokens">Display text of each response token (heatmap columns).</param>
/// <param name="LogProbs">[checkpoint][token] log p(token); NaN where a checkpoint has no value.</param>
public sealed record TokenHeatmap(string Key, string Title, IReadOnlyList<string> Checkpoints, IReadOnlyList<int> Iterations,
    IReadOnlyList<string> Tokens, IReadOnlyList<IReadOnlyList<double>> LogProbs)
{
    /// <summary>Change of log p(token) from the first checkpoint: [checkpoint][token].</summary>
    public IReadOnlyList<IReadOnlyList<double>> DeltaFromFirst =>
        LogProbs.Select(row => (IReadOnlyList<double>)row.Select((v, t) => v - LogProbs[0][t]).ToArray()).ToArray();
}
