namespace OrzDynamic.Core.Results;

/// <summary>
/// Streams the sample records of one dataset into a <see cref="DatasetResult"/> in constant memory: counts, mean
/// response length and the correct / incorrect / random strata. Records must arrive in ascending sample index, and with
/// several answers per prompt in ascending sample number within a prompt (the canonical order every aggregation path
/// uses, so single-process, resumed and merged results are bit-identical). With several answers per prompt the
/// answers are also kept per prompt (memory grows with the answers) for <see cref="MultiSampleResult"/>.
/// </summary>
internal sealed class DatasetAccumulator
{
    private readonly StratumAccumulator _correct = new();
    private readonly StratumAccumulator _incorrect = new();
    private readonly StratumAccumulator _random = new();
    private double _responseChars;
    private readonly Dictionary<string, StratumAccumulator> _segments = new(StringComparer.Ordinal);
    private int _thinkClosed, _thinkMissing, _thinkUnclosed;
    private bool _hasThinkSegments;

    private readonly MultiSampleAccumulator? _multi;

    /// <summary>
    /// Creates an accumulator for dataset <paramref name="name"/> with <paramref name="samplesPerPrompt"/> answers per
    /// prompt; with more than one, answers are also grouped by prompt for avg@K, pass@k and maj@K, where
    /// <paramref name="equivalent"/> (the dataset's answer checker) decides which extracted answers are the same.
    /// </summary>
    public DatasetAccumulator(string name, int samplesPerPrompt = 1, Func<string, string, bool>? equivalent = null)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerPrompt, 1);
        _multi = samplesPerPrompt > 1 ? new MultiSampleAccumulator(samplesPerPrompt, equivalent) : null;
    }

    /// <summary>Dataset name.</summary>
    public string Name { get; }

    /// <summary>Samples added.</summary>
    public int Evaluated { get; private set; }

    /// <summary>Samples the checker accepted.</summary>
    public int Correct { get; private set; }

    /// <summary>Samples kept out of the metric strata.</summary>
    public int Invalid { get; private set; }

    /// <summary>Answers stopped by the model's position limit (finish_reason <c>context_limit</c>).</summary>
    public int ContextLimited { get; private set; }

    /// <summary>Generated token ids outside the tokenizer's vocabulary (padded embedding rows), summed.</summary>
    public int PaddedVocabTokens { get; private set; }

    /// <summary>Adds one sample record.</summary>
    public void Add(SampleRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Add(record.IsCorrect, record.Output.Length, record.InvalidReason is null ? record.LdMetrics : null, record.SampledTokens?.Metrics,
            record.FinishReason == FinishReasons.ContextLimit, record.PaddedVocabTokens ?? 0);
        if (record.ThinkSegments is { } segments) AddThinkSegments(record.IsCorrect, segments);
        AddToPrompt(record.Index, record.Sample ?? 0, record.IsCorrect, record.FinalAnswer, record.InvalidReason is null ? record.LdMetrics : null,
            record.SampledTokens?.Metrics);
    }

    /// <summary>
    /// With several answers per prompt, files the answer under its prompt (for avg@K, pass@k, maj@K and the variance
    /// components); nothing with one answer per prompt. <see cref="Add(SampleRecord)"/> calls it.
    /// </summary>
    public void AddToPrompt(int index, int sample, bool isCorrect, string? finalAnswer, LdMetrics? validMetrics, IReadOnlyList<LdMetrics>? sampledTokens) =>
        _multi?.Add(index, sample, isCorrect, finalAnswer, validMetrics, sampledTokens);

    /// <summary>
    /// Counts the think status of one answer and, when closed, adds each segment's metrics (when valid) to the
    /// correct or incorrect stratum of that segment.
    /// </summary>
    private void AddThinkSegments(bool isCorrect, ThinkSegmentRecord segments)
    {
        _hasThinkSegments = true;
        switch (segments.Status)
        {
            case ThinkSegmentRecord.Closed: _thinkClosed++; break;
            case ThinkSegmentRecord.Unclosed: _thinkUnclosed++; return;
            default: _thinkMissing++; return;
        }
        foreach (var segment in ResponseSegments.Split)
            if (segments.MetricsOf(segment) is { IsValid: true } m)
                SegmentStratum(segment, isCorrect ? Strata.Correct : Strata.Incorrect).Add(m);
    }

    private StratumAccumulator SegmentStratum(string segment, string stratum)
    {
        var key = segment + "/" + stratum;
        if (!_segments.TryGetValue(key, out var acc)) _segments[key] = acc = new StratumAccumulator();
        return acc;
    }

    /// <summary>
    /// Adds one sample: whether it is correct, its answer length in UTF-16 chars, its metrics when valid (null keeps it
    /// out of the strata and counts it as invalid), the metrics of its random-token positions, whether the position
    /// limit stopped it and how many of its token ids lie outside the tokenizer's vocabulary.
    /// </summary>
    public void Add(bool isCorrect, int outputChars, LdMetrics? validMetrics, IReadOnlyList<LdMetrics>? sampledTokens,
        bool contextLimited = false, int paddedVocabTokens = 0)
    {
        Evaluated++;
        if (isCorrect) Correct++;
        if (contextLimited) ContextLimited++;
        PaddedVocabTokens += paddedVocabTokens;
        _responseChars += outputChars;
        if (validMetrics is null)
        {
            Invalid++;
            return;
        }
        (isCorrect ? _correct : _incorrect).Add(validMetrics);
        if (sampledTokens is null) return;
        foreach (var m in sampledTokens) _random.Add(m);
    }

    /// <summary>The dataset result of everything added so far.</summary>
    public DatasetResult ToResult(int skippedTooLong = 0, int skippedBadRecords = 0, CancellationToken cancellationToken = default) => new()
    {
        MultiSample = _multi?.ToResult(cancellationToken),
        Name = Name,
        Evaluated = Evaluated,
        Correct = Correct,
        ResponseLenInChar = Evaluated == 0 ? double.NaN : _responseChars / Evaluated,
        Invalid = Invalid,
        SkippedTooLong = skippedTooLong,
        SkippedBadRecords = skippedBadRecords,
        ContextLimited = ContextLimited,
        PaddedVocabTokens = PaddedVocabTokens,
        Strata = new Dictionary<string, StratumResult>
        {
            [Strata.Correct] = _correct.ToResult(),
            [Strata.Incorrect] = _incorrect.ToResult(),
            [Strata.Random] = _random.ToResult(),
        },
        ThinkSegments = _hasThinkSegments ? new ThinkSegmentCounts(_thinkClosed, _thinkMissing, _thinkUnclosed) : null,
        SegmentStrata = !_hasThinkSegments ? new Dictionary<string, IReadOnlyDictionary<string, StratumResult>>() : ResponseSegments.Split.ToDictionary(
            segment => segment,
            segment => (IReadOnlyDictionary<string, StratumResult>)new Dictionary<string, StratumResult>
            {
                [Strata.Correct] = SegmentStratum(segment, Strata.Correct).ToResult(),
                [Strata.Incorrect] = SegmentStratum(segment, Strata.Incorrect).ToResult(),
            }),
    };
}
