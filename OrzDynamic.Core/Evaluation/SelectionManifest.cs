using System.Security.Cryptography;
using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// The sample-selection part of the run manifest: data files (by name and content hash), subset size, debug mode,
/// prompt length limit and record/UTF-8 leniency. Answers are generated in batches of the selection with a seed per
/// batch, so a different selection would produce different answers for the same samples; resuming with another
/// selection is therefore refused (with the list of differences) rather than silently mixed.
/// </summary>
internal static class SelectionManifest
{
    /// <summary>Adds the selection settings of <paramref name="config"/> to <paramref name="manifest"/>.</summary>
    public static RunManifest WithSelection(this RunManifest manifest, EvaluatorConfig config)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(config);
        var files = config.EvalPromptData.Count == 0 ? [] : EvalDataLoader.ExpandPaths(config.EvalPromptData);
        return manifest
            .With("data_files", string.Join(", ", files.Select(Path.GetFileName)))
            .With("data_sha256", string.Join(", ", files.Select(Hash)))
            .With("max_eval_samples", config.MaxEvalSamples is { } n ? n : "all")
            .With("debug_num_samples", config.DebugNumSamples is { } d ? d : "off")
            .With("prompt_max_len", config.PromptMaxLen)
            .With("skip_invalid_records", config.SkipInvalidRecords)
            .With("allow_invalid_utf8", config.AllowInvalidUtf8);
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
    }
}
