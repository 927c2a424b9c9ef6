namespace OrzDynamic.Core.Results;

/// <summary>Results of one dataset for one checkpoint.</summary>
public sealed record DatasetResult
{
    /// <summary>Dataset name.</summary>
    public string Name { get; init; } = "";
    /// <summary>Samples generated and checked.</summary>
    public int Evaluated { get; init; }
    /// <summary>Samples the checker accepted.</summary>
    public int Correct { get; init; }
    /// <summary>Correct / evaluated (NaN when nothing was evaluated); with several answers per prompt, avg@K.</summary>
    public double Accuracy => Evaluated == 0 ? double.NaN : (double)Correct / Evaluated;
    /// <summary>Mean length of the generated answers in characters.</summary>
    public double ResponseLenInChar { get; init; } = double.NaN;
    /// <summary>Samples kept out of the metric means (no response tokens or non-finite metrics).</summary>
    public int Invalid { get; init; }
    /// <summary>Prompts skipped for exceeding PromptMaxLen.</summary>
    public int SkippedTooLong { get; init; }
    /// <summary>Records skipped as malformed (only when skipping bad records was requested).</summary>
    public int SkippedBadRecords { get; init; }
    /// <summary>Answers stopped at the model's position limit (finish_reason <c>context_limit</c>).</summary>
    public int ContextLimited { get; init; }
    /// <summary>Generated tokens with ids beyond the tokenizer (padded model vocabulary), over all answers.</summary>
    public int PaddedVocabTokens { get; init; }
    /// <summary>The metrics of several answers per prompt (avg@K, pass@k, maj@K, variance components); null with one answer per prompt.</summary>
    public MultiSampleResult? MultiSample { get; init; }
    /// <summary>Strata by name (<see cref="Strata"/>).</summary>
    public IReadOnlyDictionary<string, StratumResult> Strata { get; init; } = new Dictionary<string, StratumResult>();
    /// <summary>How many answers were closed by <c>&lt;/think&gt;</c>, had none, or left it unclosed; null when think segments were off.</summary>
    public ThinkSegmentCounts? ThinkSegments { get; init; }
    /// <summary>
    /// Segment (<see cref="ResponseSegments.Think"/>, <see cref="ResponseSegments.Answer"/>) → the correct and incorrect
    /// strata over that segment of the closed answers; empty when think segments were off.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, StratumResult>> SegmentStrata { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, StratumResult>>();
}

/// <summary>How the answers of a dataset relate to <c>&lt;/think&gt;</c>.</summary>
/// <param name="Closed">Answers split into think and answer.</param>
/// <param name="Missing">Answers without <c>&lt;/think&gt;</c> and without an opened reasoning block.</param>
/// <param name="Unclosed">Answers whose reasoning was opened and never closed (no answer segment).</param>
public sealed record ThinkSegmentCounts(int Closed, int Missing, int Unclosed);
