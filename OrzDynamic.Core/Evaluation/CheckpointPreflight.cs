using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// Checks every checkpoint of a run before any model work, from its files alone (no weight is read): the config
/// (required keys, supported architecture and features), every safetensors header of the weights (offsets, dtypes,
/// the names and shapes the config implies), that the tokenizer loads, that its ids fit the model's vocabulary
/// (<c>vocab_size</c>; a padded vocabulary is fine), and that the prompt template renders (the chat template when it is
/// used). Every problem of every checkpoint is reported at once, so a broken last checkpoint is found before the first
/// one generates anything.
/// </summary>
internal static class CheckpointPreflight
{
    private const string SampleQuestion = "What is 1 + 1?";

    /// <summary>The problems of one checkpoint, each naming the checkpoint directory (empty when none is found).</summary>
    /// <param name="config">The checkpoint's evaluation config (<see cref="EvaluatorConfig.ModelPath"/>, tokenizer, template).</param>
    public static IReadOnlyList<string> Problems(EvaluatorConfig config) => Problems(config, new Dictionary<string, Lazy<HfTokenizer>>(StringComparer.Ordinal));

    /// <summary>The problems of one checkpoint; <paramref name="tokenizers"/> shares each tokenizer among the checkpoints that use it.</summary>
    private static List<string> Problems(EvaluatorConfig config, Dictionary<string, Lazy<HfTokenizer>> tokenizers)
    {
        ArgumentNullException.ThrowIfNull(config);
        var dir = config.ModelPath;
        var problems = new List<string>();
        ModelConfig? model = Try(problems, dir, () => CheckpointLoader.ReadConfig(dir));
        if (model is not null) Try(problems, dir, () => CheckpointLoader.CheckWeights(dir, model));
        var path = config.EffectiveTokenizerPath;
        if (!tokenizers.TryGetValue(path, out var shared))
            tokenizers[path] = shared = new Lazy<HfTokenizer>(() => HfTokenizer.FromDirectory(path), LazyThreadSafetyMode.PublicationOnly);
        var tokenizer = Try(problems, dir, () => shared.Value);   // PublicationOnly: a failed load is retried (and reported) per checkpoint
        if (tokenizer is null) return problems;
        if (model is not null && tokenizer.VocabSize > model.VocabSize)
            problems.Add($"{dir}: tokenizer '{tokenizer.Source}' has ids up to {tokenizer.VocabSize - 1}, but config.json has vocab_size {model.VocabSize}");
        Try(problems, dir, () => PromptRendering.Template(config, tokenizer).Render(SampleQuestion, tokenizer));
        return problems;
    }

    /// <summary>Checks every checkpoint of <paramref name="configs"/> and reports all problems together.</summary>
    /// <exception cref="OrzDynamicException">Some checkpoint has a problem (the message lists every problem of every checkpoint).</exception>
    public static void Check(IEnumerable<EvaluatorConfig> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        var tokenizers = new Dictionary<string, Lazy<HfTokenizer>>(StringComparer.Ordinal);
        var problems = configs.SelectMany(c => Problems(c, tokenizers)).ToArray();
        if (problems.Length > 0) throw new CheckpointPreflightException(problems);
    }

    private static T? Try<T>(List<string> problems, string dir, Func<T> check) where T : class
    {
        try
        {
            return check();
        }
        catch (Exception ex) when (ex is OrzDynamicException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            problems.Add(ex.Message.StartsWith(dir, StringComparison.Ordinal) ? ex.Message : $"{dir}: {ex.Message}");
            return null;
        }
    }

    private static void Try(List<string> problems, string dir, Action check) => Try<object>(problems, dir, () =>
    {
        check();
        return new object();
    });
}
