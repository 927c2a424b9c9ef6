namespace OrzDynamic.Cli;

/// <summary>Everything the command line asked for.</summary>
internal sealed record CliSettings
{
    public required IReadOnlyList<string> CheckpointPaths { get; init; }
    public string? TokenizerPath { get; init; }
    public required IReadOnlyList<string> Data { get; init; }
    public required IReadOnlyList<string> CustomSentences { get; init; }
    public int? MaxEvalSamples { get; init; }
    public required string OutputDir { get; init; }
    public int GenerateMaxLen { get; init; }
    public double Temperature { get; init; }
    public double TopP { get; init; }
    public int TopK { get; init; }
    public bool Greedy { get; init; }
    public bool Debug { get; init; }
    public int Seed { get; init; }
    public required string Device { get; init; }
    public string? DType { get; init; }
    public string? GenerationDType { get; init; }
    public string? ScoringDType { get; init; }
    public string Batching { get; init; } = "continuous";
    public int BatchSize { get; init; }
    public bool Verbose { get; init; }
    public bool AllowInvalidUtf8 { get; init; }
    public bool ErrorBarsCi { get; init; }
    public double ConfidenceLevel { get; init; } = OrzDynamic.Core.Evaluation.Defaults.ConfidenceLevel;
    public IReadOnlyDictionary<string, string> AnswerCheckers { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;
    public bool IsEmbeddedDefault { get; init; }
    public string? ProbeAnswersFrom { get; init; }
    public string? HeatmapSamples { get; init; }
    public int FixedItemLines { get; init; }
}
