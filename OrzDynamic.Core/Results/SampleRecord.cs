namespace OrzDynamic.Core.Results;

/// <summary>
/// One evaluated sample: a line of the results JSONL. Keys follow the Python tool
/// (<c>prompt, output, final_answer, answer, iscorrect, token_ids, ld_metrics, sampled_tokens</c>) plus
/// <c>dataset</c>, <c>index</c> and <c>checkpoint</c>.
/// </summary>
public sealed record SampleRecord
{
    /// <summary>Dataset name (data file name without extension).</summary>
    [JsonPropertyName("dataset")] public string Dataset { get; init; } = "";
    /// <summary>Index of the record in its data file.</summary>
    [JsonPropertyName("index")] public int Index { get; init; }
    /// <summary>
    /// Sample number of the answer among the prompt's answers (0 … K − 1); written only when several answers per prompt
    /// are generated (null, not written, with one answer per prompt, which counts as sample 0).
    /// </summary>
    [JsonPropertyName("sample")] public int? Sample { get; init; }
    /// <summary>Checkpoint label.</summary>
    [JsonPropertyName("checkpoint")] public string Checkpoint { get; init; } = "";
    /// <summary>The rendered prompt.</summary>
    [JsonPropertyName("prompt")] public string Prompt { get; init; } = "";
    /// <summary>The generated answer text.</summary>
    [JsonPropertyName("output")] public string Output { get; init; } = "";
    /// <summary>The answer extracted from the output.</summary>
    [JsonPropertyName("final_answer")] public string FinalAnswer { get; init; } = "";
    /// <summary>The gold answer.</summary>
    [JsonPropertyName("answer")] public string Answer { get; init; } = "";
    /// <summary>Whether the checker accepted the answer.</summary>
    [JsonPropertyName("iscorrect")] public bool IsCorrect { get; init; }
    /// <summary>Generated token ids.</summary>
    [JsonPropertyName("token_ids")] public IReadOnlyList<int> TokenIds { get; init; } = [];
    /// <summary>Number of prompt tokens.</summary>
    [JsonPropertyName("prompt_tokens")] public int PromptTokens { get; init; }
    /// <summary>Why generation stopped ("eos", "length", or "context_limit" when prompt + answer reached the model's positions).</summary>
    [JsonPropertyName("finish_reason")] public string FinishReason { get; init; } = "";
    /// <summary>Metrics of the whole response; null when it could not be scored.</summary>
    [JsonPropertyName("ld_metrics")] public LdMetrics? LdMetrics { get; init; }
    /// <summary>The random-token stratum of this sample.</summary>
    [JsonPropertyName("sampled_tokens")] public SampledTokens? SampledTokens { get; init; }
    /// <summary>Per-token traces of the response (only with <c>SaveTokenTraces</c>).</summary>
    [JsonPropertyName("token_traces")] public TokenTraces? TokenTraces { get; init; }
    /// <summary>
    /// Generated ids the tokenizer does not have (the model's padded vocabulary); they decode as empty text and are
    /// scored normally. Null (not written) when there is none.
    /// </summary>
    [JsonPropertyName("padded_vocab_tokens")] public int? PaddedVocabTokens { get; init; }
    /// <summary>Why the sample is kept out of the metric means (zero response tokens, non-finite metrics), or null.</summary>
    [JsonPropertyName("invalid_reason")] public string? InvalidReason { get; init; }
    /// <summary>The response's think and answer segments with their metrics (only when think segments are on; null otherwise).</summary>
    [JsonPropertyName("think_segments")] public ThinkSegmentRecord? ThinkSegments { get; init; }
}
