namespace OrzDynamic.Core.Probes;

/// <summary>Settings of <see cref="FixedResponseScorer"/>.</summary>
public sealed record ProbeOptions
{
    /// <summary>Tokenizer directory for every checkpoint (default: each checkpoint's own).</summary>
    public string? TokenizerPath { get; init; }

    /// <summary>Device ("cpu", "cuda", "cuda:N").</summary>
    public string Device { get; init; } = Evaluation.Defaults.Device;

    /// <summary>Model dtype (float32, bfloat16, float16; default: the loader's choice for the device).</summary>
    public string? DType { get; init; }

    /// <summary>
    /// Dtype of the teacher-forced pass (float32, bfloat16, float16; default: the evaluator's default for the device,
    /// <see cref="Precision.PrecisionDefaults.Scoring"/>), so probes score exactly as the evaluator scores answers and
    /// custom sentences. Weights stored in a narrower dtype are widened layer by layer.
    /// </summary>
    public string? ScoringDType { get; init; }

    /// <summary>Positions projected through lm_head at once (as <c>EvaluatorConfig.ScoringChunkSize</c>).</summary>
    public int ScoringChunkSize { get; init; } = Evaluation.Defaults.ScoringChunkSize;

    /// <summary>Apply the Python tool's legacy clamps in the metrics (as <c>EvaluatorConfig.LegacyOrzClamps</c>).</summary>
    public bool LegacyOrzClamps { get; init; }

    /// <summary>
    /// The options that score probes as an evaluation with <paramref name="config"/> scores answers: its tokenizer,
    /// device, dtypes and scoring settings.
    /// </summary>
    public static ProbeOptions Like(Evaluation.EvaluatorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ProbeOptions
        {
            TokenizerPath = config.TokenizerPath, Device = config.Device, DType = config.DType, ScoringDType = config.RequestedScoringDType,
            ScoringChunkSize = config.ScoringChunkSize, LegacyOrzClamps = config.LegacyOrzClamps,
        };
    }
}
