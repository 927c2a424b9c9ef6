namespace OrzDynamic.Core.Results;

/// <summary>
/// How one response splits at <c>&lt;/think&gt;</c> (the <c>think_segments</c> object of a results line, written only
/// when think segments are on). Spans are [start, length] over the generated token ids (<c>token_ids</c>).
/// </summary>
public sealed record ThinkSegmentRecord
{
    /// <summary>The status when a <c>&lt;/think&gt;</c> closes the reasoning.</summary>
    public const string Closed = "closed";

    /// <summary>The status of a response without <c>&lt;/think&gt;</c> whose reasoning was never opened.</summary>
    public const string Missing = "missing";

    /// <summary>The status of a response whose reasoning was opened (by the prompt or the response) and never closed.</summary>
    public const string Unclosed = "unclosed";

    /// <summary><see cref="Closed"/>, <see cref="Missing"/> or <see cref="Unclosed"/>; segment metrics exist only when closed.</summary>
    [JsonPropertyName("status")] public string Status { get; init; } = "";

    /// <summary>The reasoning tokens between the tags, tags excluded (null unless closed).</summary>
    [JsonPropertyName("reasoning")] public IReadOnlyList<int>? Reasoning { get; init; }

    /// <summary>The think segment the metrics cover: every token before the answer, tags included (null unless closed).</summary>
    [JsonPropertyName("think")] public IReadOnlyList<int>? Think { get; init; }

    /// <summary>The answer segment: the tokens after <c>&lt;/think&gt;</c> (null unless closed).</summary>
    [JsonPropertyName("answer")] public IReadOnlyList<int>? Answer { get; init; }

    /// <summary>Metrics over the think segment alone (null unless closed; invalid when the segment is empty).</summary>
    [JsonPropertyName("ld_metrics_think")] public LdMetrics? LdMetricsThink { get; init; }

    /// <summary>Metrics over the answer segment alone (null unless closed; invalid when the segment is empty).</summary>
    [JsonPropertyName("ld_metrics_answer")] public LdMetrics? LdMetricsAnswer { get; init; }

    /// <summary>The metrics of <paramref name="segment"/> (<see cref="ResponseSegments.Think"/> or <see cref="ResponseSegments.Answer"/>).</summary>
    public LdMetrics? MetricsOf(string segment) => segment switch
    {
        ResponseSegments.Think => LdMetricsThink,
        ResponseSegments.Answer => LdMetricsAnswer,
        _ => throw new ArgumentException($"No segment '{segment}' (think or answer).", nameof(segment)),
    };
}
