using OrzDynamic.Core.Evaluation;

namespace OrzDynamic.Cli;

/// <summary>
/// Everything the command line asked for: the checkpoints, every evaluation setting (read once into
/// <see cref="Run"/>, the config each checkpoint's own is made from) and the options of the CLI's own outputs.
/// </summary>
internal sealed record CliSettings
{
    public required IReadOnlyList<string> CheckpointPaths { get; init; }

    /// <summary>The evaluation settings shared by every checkpoint (model path, name and output directory are set per checkpoint).</summary>
    public required EvaluatorConfig Run { get; init; }

    /// <summary>The run's output directory (one sub-directory per checkpoint).</summary>
    public string OutputDir => Run.OutputDir;

    public IReadOnlyList<string> Data => Run.EvalPromptData;
    public IReadOnlyList<string> CustomSentences => Run.CustomSentenceFiles;
    public string? TokenizerPath => Run.TokenizerPath;
    public double ConfidenceLevel => Run.ConfidenceLevel;
    public bool ErrorBarsCi { get; init; }
    public bool IsEmbeddedDefault { get; init; }
    public string? ProbeAnswersFrom { get; init; }
    public string? HeatmapSamples { get; init; }
    public int FixedItemLines { get; init; } = Defaults.FixedItemLines;

    /// <summary>The response segment the trend charts show: all, think or answer.</summary>
    public string TrendSegment { get; init; } = "all";

    /// <summary>List every testable comparison on the console, not only the significant ones.</summary>
    public bool AllComparisons { get; init; }
}
