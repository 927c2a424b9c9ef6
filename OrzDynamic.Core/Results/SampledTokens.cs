namespace OrzDynamic.Core.Results;

/// <summary>The random-token stratum of one sample: response positions scored alone.</summary>
public sealed record SampledTokens
{
    /// <summary>Positions in the full prompt+response sequence (the label positions).</summary>
    [JsonPropertyName("positions")] public IReadOnlyList<int> Positions { get; init; } = [];
    /// <summary>Token id at each position.</summary>
    [JsonPropertyName("token_ids")] public IReadOnlyList<int> TokenIds { get; init; } = [];
    /// <summary>Decoded text of each token.</summary>
    [JsonPropertyName("tokens")] public IReadOnlyList<string> Tokens { get; init; } = [];
    /// <summary>log p(token) at each position.</summary>
    [JsonPropertyName("log_probs")] public IReadOnlyList<double> LogProbs { get; init; } = [];
    /// <summary>p(token) at each position.</summary>
    [JsonPropertyName("probs")] public IReadOnlyList<double> Probs { get; init; } = [];
    /// <summary>The metrics of each position scored alone (single-position labels).</summary>
    [JsonPropertyName("ld_metrics")] public IReadOnlyList<LdMetrics> Metrics { get; init; } = [];
}
