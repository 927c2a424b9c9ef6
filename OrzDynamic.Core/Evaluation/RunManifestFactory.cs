using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Precision;

namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// The result-relevant settings of one checkpoint's evaluation (<see cref="RunManifest"/>): written beside every
/// journal and hashed into sharded work plans, so neither a resumed run nor a shard mixes incomparable results.
/// </summary>
internal static class RunManifestFactory
{
    /// <summary>
    /// The manifest of <paramref name="config"/> run with the given tokenizer source, generation dtype and scoring
    /// dtype (the batching mode comes from <see cref="EvaluatorConfig.GenerationMode"/>); the chat template source
    /// is <paramref name="tokenizer"/>'s when given, else read from the tokenizer directory.
    /// </summary>
    public static RunManifest For(EvaluatorConfig config, string tokenizerSource, ScalarType generationDType, ScalarType scoringDType,
        Tokenization.HfTokenizer? tokenizer = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var manifest = new RunManifest()
            .With("model_path", string.IsNullOrEmpty(config.ModelPath) ? "(in-memory model)" : RunSettings.Absolute(config.ModelPath))
            .With("tokenizer", RunSettings.Absolute(tokenizerSource))
            .With("generation_dtype", PrecisionPlan.Name(generationDType))
            .With("scoring_dtype", PrecisionPlan.Name(scoringDType))
            .With("batching", BatchingName(config.GenerationMode))
            .With("temperature", config.DoSample ? config.Temperature : 0.0)
            .With("top_p", config.TopP)
            .With("top_k", config.TopK)
            .With("generate_max_len", config.GenerateMaxLen)
            .With("seed", config.Seed)
            .With("batch_size", config.BatchSize)
            .With("random_tokens_per_sample", config.RandomTokensPerSample)
            .With("legacy_orz_clamps", config.LegacyOrzClamps)
            .With("prompt_template", PromptRendering.Fingerprint(config, tokenizer))
            .WithAnswerCheckers(config)
            .WithSelection(config);
        // Recorded only when on, so the manifests of runs without segments stay as they were.
        return PromptRendering.ThinkSegmentsOn(config) ? manifest.With("think_segments", true) : manifest;
    }

    /// <summary>The manifest's name of a batching mode ("static" or "continuous").</summary>
    public static string BatchingName(GenerationMode mode) => mode == GenerationMode.Static ? "static" : "continuous";
}
