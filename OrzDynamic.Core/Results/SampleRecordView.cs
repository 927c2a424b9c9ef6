namespace OrzDynamic.Core.Results;

/// <summary>
/// The fields of a journal line that merging and the checkpoint comparisons read (prompt, token ids and traces are
/// skipped unparsed). It repeats those properties of <see cref="SampleRecord"/> on purpose: a merge streams every
/// journal line through this projection, and parsing whole records would decode the prompts, token ids and traces it
/// never reads (the merge is bound by JSON parsing; tests/OrzDynamic.Benchmarks/RESULTS-merge.md).
/// </summary>
internal sealed record SampleRecordView
{
    [JsonPropertyName("dataset")] public string Dataset { get; init; } = "";
    [JsonPropertyName("index")] public int Index { get; init; }
    [JsonPropertyName("sample")] public int? Sample { get; init; }
    [JsonPropertyName("final_answer")] public string FinalAnswer { get; init; } = "";
    [JsonPropertyName("checkpoint")] public string Checkpoint { get; init; } = "";
    [JsonPropertyName("output")] public string Output { get; init; } = "";
    [JsonPropertyName("iscorrect")] public bool IsCorrect { get; init; }
    [JsonPropertyName("ld_metrics")] public LdMetrics? LdMetrics { get; init; }
    [JsonPropertyName("sampled_tokens")] public SampledMetricsView? SampledTokens { get; init; }
    [JsonPropertyName("invalid_reason")] public string? InvalidReason { get; init; }
    [JsonPropertyName("finish_reason")] public string FinishReason { get; init; } = "";
    [JsonPropertyName("padded_vocab_tokens")] public int? PaddedVocabTokens { get; init; }

    /// <summary>The line as the checkpoint comparisons hold it: identity, correctness, metrics and invalid reason.</summary>
    public SampleRecord ToComparisonRecord() => new()
    {
        Dataset = Dataset,
        Index = Index,
        Sample = Sample,
        Checkpoint = Checkpoint,
        IsCorrect = IsCorrect,
        LdMetrics = LdMetrics,
        InvalidReason = InvalidReason,
    };
}

/// <summary>The metrics of a sample's random-token positions.</summary>
internal sealed record SampledMetricsView
{
    [JsonPropertyName("ld_metrics")] public IReadOnlyList<LdMetrics> Metrics { get; init; } = [];
}

/// <summary>A line of a custom sentence results file.</summary>
internal sealed record CustomSentenceLineView
{
    [JsonPropertyName("index")] public int Index { get; init; }
    [JsonPropertyName("ld_metrics")] public LdMetrics? LdMetrics { get; init; }
}
