using System.Security.Cryptography;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Precision;

namespace OrzDynamic.Core.Sharding;

/// <summary>
/// The settings that make results incomparable, per checkpoint: the run manifest (<see cref="RunManifestFactory"/>)
/// plus what decides the selection, and their SHA-256 hash recorded in <c>plan.json</c>.
/// </summary>
internal static class PlanSettings
{
    /// <summary>The settings of one checkpoint run with the given tokenizer source and generation/scoring dtypes.</summary>
    public static SortedDictionary<string, string> Of(string key, EvaluatorConfig config, string tokenizerSource, ScalarType generationDType,
        ScalarType scoringDType)
    {
        ArgumentNullException.ThrowIfNull(config);
        var manifest = RunManifestFactory.For(config, tokenizerSource, generationDType, scoringDType)
            .With("checkpoint_key", key)
            .With("checkpoint_name", config.EffectiveCheckpointName)
            .With("data", string.Join("|", config.EvalPromptData.Select(Path.GetFullPath)))
            .With("custom_sentence_files", string.Join("|", config.CustomSentenceFiles.Select(Path.GetFullPath)))
            .With("save_token_traces", config.SaveTokenTraces)
            .With("save_detailed_results", config.SaveDetailedResults)
            .With("enable_visualization", config.EnableVisualization)
            .With("scoring_chunk_size", config.ScoringChunkSize)
            .With("confidence_level", config.ConfidenceLevel);
        return manifest.Settings;
    }

    /// <summary>
    /// The generation and scoring dtypes a checkpoint will be evaluated in, without loading it: the requested ones
    /// (<see cref="RunSettings.GenerationDType"/>, <see cref="RunSettings.ScoringDType"/>),
    /// else <see cref="PrecisionDefaults"/> of the device, as <see cref="MixedPrecisionModel.Load"/> chooses them.
    /// </summary>
    public static (ScalarType Generation, ScalarType Scoring) ExpectedDTypes(EvaluatorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return RunSettings.Of(config).DeviceDTypes();
    }

    /// <summary>SHA-256 (hex) of every checkpoint's settings, in plan order, and the batch size.</summary>
    public static string Hash(IEnumerable<SortedDictionary<string, string>> perCheckpoint)
    {
        ArgumentNullException.ThrowIfNull(perCheckpoint);
        var json = JsonSerializer.Serialize(perCheckpoint.ToArray());
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    /// <summary>Lines "key: 'a' in the plan, 'b' here" for every setting that differs.</summary>
    public static IReadOnlyList<string> Differences(string checkpoint, IReadOnlyDictionary<string, string> planned, IReadOnlyDictionary<string, string> actual)
    {
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(actual);
        return planned.Keys.Union(actual.Keys).Order(StringComparer.Ordinal)
            .Where(k => planned.GetValueOrDefault(k) != actual.GetValueOrDefault(k))
            .Select(k => string.Create(CultureInfo.InvariantCulture,
                $"{checkpoint} {k}: '{Shorten(planned.GetValueOrDefault(k))}' in the plan, '{Shorten(actual.GetValueOrDefault(k))}' now"))
            .ToArray();
    }

    private static string Shorten(string? s) => s is null ? "(absent)" : s.Length <= 60 ? s : s[..57] + "...";
}
