using OrzDynamic.Datasets.Checking;
using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// How an evaluation picks its answer checkers: <see cref="EvaluatorConfig.AnswerCheckers"/> (dataset → checker name)
/// resolved in <see cref="EvaluatorConfig.CheckerRegistry"/> (the built-in checkers when null), the registry's
/// file-name/choices heuristic for datasets without a selection.
/// </summary>
internal static class AnswerCheckerSelection
{
    /// <summary>The registry a configuration refers to.</summary>
    public static AnswerCheckerRegistry RegistryOf(EvaluatorConfig config, ILoggerFactory? loggerFactory = null)
        => config.CheckerRegistry ?? new AnswerCheckerRegistry(loggerFactory: loggerFactory);

    /// <summary>One checker per dataset of <paramref name="samples"/>.</summary>
    public static IReadOnlyDictionary<string, IAnswerChecker> ForDatasets(EvaluatorConfig config, IEnumerable<EvalSample> samples, ILoggerFactory loggerFactory)
    {
        var checkers = RegistryOf(config, loggerFactory).ForDatasets(samples, config.AnswerCheckers);
        var logger = loggerFactory.CreateLogger("OrzDynamic.Core.Evaluation.AnswerCheckerSelection");
        foreach (var (dataset, checker) in checkers.OrderBy(k => k.Key, StringComparer.Ordinal))
            logger.LogInformation("Dataset {Dataset}: answer checker {Checker}", dataset, checker.GetType().Name);
        return checkers;
    }

    /// <summary>
    /// Problems of <see cref="EvaluatorConfig.AnswerCheckers"/>: unknown checker names (listing the known ones) and
    /// dataset names that no <see cref="EvaluatorConfig.EvalPromptData"/> file has.
    /// </summary>
    public static IEnumerable<string> Validate(EvaluatorConfig config)
    {
        if (config.AnswerCheckers is null) return ["AnswerCheckers must not be null (use an empty dictionary)"];
        if (config.AnswerCheckers.Count == 0) return [];
        var errors = RegistryOf(config).ValidateSelection(config.AnswerCheckers).Select(e => "AnswerCheckers: " + e).ToList();
        var datasets = config.EvalPromptData.Where(f => !string.IsNullOrWhiteSpace(f)).Select(Path.GetFileNameWithoutExtension)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var dataset in config.AnswerCheckers.Keys)
            if (!string.IsNullOrWhiteSpace(dataset) && dataset != AnswerCheckerRegistry.AllDatasets && !datasets.Contains(dataset))
                errors.Add($"AnswerCheckers names the dataset '{dataset}', which is not the name of an EvalPromptData file " +
                           $"(datasets: {(datasets.Count == 0 ? "none" : string.Join(", ", datasets.Order(StringComparer.Ordinal)))}; '*' selects all)");
        return errors;
    }

    /// <summary>Adds the explicit selection to the run manifest (absent when there is none, so older runs still resume).</summary>
    public static RunManifest WithAnswerCheckers(this RunManifest manifest, EvaluatorConfig config)
    {
        if (config.AnswerCheckers is not { Count: > 0 } selection) return manifest;
        var text = string.Join(", ", selection.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value.ToLowerInvariant()}"));
        return manifest.With("answer_checkers", text);
    }
}
