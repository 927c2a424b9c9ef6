namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// The default of every run setting, in one place: <see cref="EvaluatorConfig"/>, the probe options, the scorer and
/// the command line all take their defaults from here.
/// </summary>
public static class Defaults
{
    /// <summary>Sampling temperature (the Python tool's 1.0).</summary>
    public const double Temperature = 1.0;

    /// <summary>Nucleus sampling mass (1 = off).</summary>
    public const double TopP = 1.0;

    /// <summary>Top-k sampling (−1 = off).</summary>
    public const int TopK = -1;

    /// <summary>Maximum generated tokens per answer.</summary>
    public const int GenerateMaxLen = 8000;

    /// <summary>Maximum generated tokens per answer in a debug run.</summary>
    public const int DebugGenerateMaxLen = 256;

    /// <summary>Samples per data file in a debug run.</summary>
    public const int DebugNumSamples = 2;

    /// <summary>Prompts longer than this many tokens are skipped.</summary>
    public const int PromptMaxLen = 2048;

    /// <summary>Output directory.</summary>
    public const string OutputDir = "orz_dynamic_log";

    /// <summary>Seed of subset selection, sampling and the random-token stratum.</summary>
    public const int Seed = 42;

    /// <summary>Device.</summary>
    public const string Device = "cpu";

    /// <summary>Prompts generated together.</summary>
    public const int BatchSize = 8;

    /// <summary>Response positions scored alone per sample for the random-token stratum.</summary>
    public const int RandomTokensPerSample = 5;

    /// <summary>Positions per lm_head chunk in the scoring pass (the scorer's own default).</summary>
    public const int ScoringChunkSize = Scoring.SequenceScorer.DefaultPositionChunk;

    /// <summary>Level of the confidence intervals.</summary>
    public const double ConfidenceLevel = Statistics.ConfidenceLevels.Default;

    /// <summary>Single-text lines per fixed-response trend chart.</summary>
    public const int FixedItemLines = 8;
}
