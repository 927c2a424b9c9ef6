namespace OrzDynamic.Core.Results;

/// <summary>Per-token traces of one response, in response order (written on request).</summary>
public sealed record TokenTraces
{
    /// <summary>log p(token) of each response token under the teacher-forced pass.</summary>
    [JsonPropertyName("log_probs")] public IReadOnlyList<double> LogProbs { get; init; } = [];
    /// <summary>The most likely token id at each response position.</summary>
    [JsonPropertyName("argmax_ids")] public IReadOnlyList<long> ArgmaxIds { get; init; } = [];
    /// <summary>max_v p_v at each response position.</summary>
    [JsonPropertyName("prob_max")] public IReadOnlyList<double> ProbMax { get; init; } = [];
}
