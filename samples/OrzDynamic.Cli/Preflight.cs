using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Results;
using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Cli;

/// <summary>
/// Checks, before any checkpoint is loaded, everything that can fail late: the output directories (not files or
/// devices, results files not directories), every record of every data file and custom sentence file (JSON, fields,
/// UTF-8), and every checkpoint (<see cref="Evaluator.CheckCheckpoints"/>: config, safetensors headers, tokenizer, vocabulary,
/// template). A mistake then costs seconds, not a checkpoint's generation.
/// </summary>
internal static class Preflight
{
    public static void Check(CliSettings settings, IReadOnlyList<(string Path, EvaluatorConfig Config)> configs)
    {
        OutputLayout.CheckLocation(settings.OutputDir, []);
        foreach (var (_, config) in configs)
            OutputLayout.CheckLocation(config.OutputDir, [OutputLayout.Journal, OutputLayout.Summary, OutputLayout.Manifest]);
        if (settings.Data.Count > 0)
            new EvalDataLoader().Load(settings.Data, new EvalDataOptions { ReplaceInvalidUtf8 = settings.Run.AllowInvalidUtf8 });
        if (settings.CustomSentences.Count > 0)
            new CustomSentenceLoader().Load(settings.CustomSentences, skipInvalidRecords: false, replaceInvalidUtf8: settings.Run.AllowInvalidUtf8);
        // Every checkpoint's config, weight headers, tokenizer, vocabulary and template; all problems at once.
        Evaluator.CheckCheckpoints(configs.Select(c => c.Config));
    }
}
