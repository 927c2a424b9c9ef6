namespace OrzDynamic.Core.Generation;

/// <summary>One answer to generate.</summary>
/// <param name="PromptIds">Prompt token ids (non-empty).</param>
/// <param name="Seed">
/// Seed of this answer's own sampling generator (e.g. from run seed, dataset and sample index), so a sampled answer does
/// not depend on which other answers share its batch, beyond float rounding.
/// </param>
/// <param name="MaxNewTokens">Per-answer cap below <see cref="GenerationOptions.MaxNewTokens"/> (null = that one).</param>
internal sealed record GenerationRequest(IReadOnlyList<int> PromptIds, long Seed, int? MaxNewTokens = null)
{
    /// <summary>The cap that applies to this request under <paramref name="options"/>.</summary>
    public int EffectiveMaxNewTokens(GenerationOptions options) =>
        MaxNewTokens is int n ? Math.Min(n, options.MaxNewTokens) : options.MaxNewTokens;

    /// <summary>Seed of row <paramref name="row"/> when a whole batch shares one seed (older API): mixes both.</summary>
    public static long RowSeed(long batchSeed, int row) =>
        row == 0 ? batchSeed : unchecked((long)((ulong)batchSeed * 0x9E3779B97F4A7C15UL + (ulong)row * 0xBF58476D1CE4E5B9UL) & long.MaxValue);
}
