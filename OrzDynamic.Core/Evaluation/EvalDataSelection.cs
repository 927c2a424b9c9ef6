using OrzDynamic.Core.Tokenization;
using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// The samples an evaluation selects from its data files (subset, debug cut, prompt length limit), in the order the
/// generation batches partition them. The Evaluator, the shard planner and every shard use this one function, so all
/// agree on the selection and its batches.
/// </summary>
internal static class EvalDataSelection
{
    /// <summary>
    /// Loads and selects the evaluation samples of <paramref name="config"/> with <paramref name="tokenizer"/>, skipping
    /// prompts over <paramref name="promptMaxLen"/> tokens (the resolved limit, <see cref="GenerationLimits.PromptLimit"/>).
    /// </summary>
    /// <exception cref="DataFormatException">Malformed data files (every bad record listed).</exception>
    /// <exception cref="EvaluatorConfigException">The chat template is asked for and the checkpoint has none.</exception>
    public static EvalDataSet Load(EvaluatorConfig config, int promptMaxLen, HfTokenizer tokenizer, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tokenizer);
        loggerFactory ??= NullLoggerFactory.Instance;
        if (config.EvalPromptData.Count == 0) return new EvalDataSet([], [], 0, [], 0);
        var options = new EvalDataOptions
        {
            MaxEvalSamples = config.MaxEvalSamples,
            Seed = config.Seed,
            DebugMode = config.DebugNumSamples is not null,
            DebugSamplesPerFile = config.DebugNumSamples ?? 2,
            PromptMaxLen = promptMaxLen,
            SkipInvalidRecords = config.SkipInvalidRecords,
            ReplaceInvalidUtf8 = config.AllowInvalidUtf8,
            Template = PromptRendering.Template(config, tokenizer),
        };
        return new EvalDataLoader(loggerFactory.CreateLogger<EvalDataLoader>()).Load(config.EvalPromptData, options, tokenizer, cancellationToken);
    }
}
