namespace OrzDynamic.Core.Probes;

/// <summary>Settings of <see cref="FixedResponseScorer"/>.</summary>
public sealed record ProbeOptions
{
    /// <summary>Tokenizer directory for every checkpoint (default: each checkpoint's own).</summary>
    public string? TokenizerPath { get; init; }

    /// <summary>Device ("cpu", "cuda", "cuda:N").</summary>
    public string Device { get; init; } = Evaluation.Defaults.Device;

    /// <summary>Model dtype (default: the loader's choice for the device, <see cref="Loading.ModelLoadOptions.DefaultDType"/>).</summary>
    public ScalarType? DType { get; init; }

    /// <summary>
    /// Dtype of the teacher-forced pass (default: the evaluator's default for the device,
    /// <see cref="Precision.PrecisionDefaults.Scoring"/>), so probes score exactly as the evaluator scores answers and
    /// custom sentences. Weights stored in a narrower dtype are widened layer by layer.
    /// </summary>
    public ScalarType? ScoringDType { get; init; }

    /// <summary>Positions projected through lm_head at once (as <c>EvaluatorConfig.ScoringChunkSize</c>).</summary>
    public int ScoringChunkSize { get; init; } = Evaluation.Defaults.ScoringChunkSize;

    /// <summary>Apply the Python tool's legacy clamps in the metrics (as <c>EvaluatorConfig.LegacyOrzClamps</c>).</summary>
    public bool LegacyOrzClamps { get; init; }

    /// <summary>
    /// The options that score probes as an evaluation with <paramref name="config"/> scores answers: its tokenizer,
    /// device, dtypes and scoring settings.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="config"/> names an unknown dtype.</exception>
    public static ProbeOptions Like(Evaluation.EvaluatorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Like(Evaluation.RunSettings.Of(config));
    }

    /// <summary>The options that score probes as an evaluation with the resolved <paramref name="settings"/> scores answers.</summary>
    internal static ProbeOptions Like(Evaluation.RunSettings settings) => new()
    {
        TokenizerPath = settings.Config.TokenizerPath, Device = settings.Config.Device, DType = settings.DType, ScoringDType = settings.ScoringDType,
        ScoringChunkSize = settings.Config.ScoringChunkSize, LegacyOrzClamps = settings.Config.LegacyOrzClamps,
    };
}
