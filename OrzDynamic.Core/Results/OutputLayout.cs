namespace OrzDynamic.Core.Results;

/// <summary>
/// The name of every file and folder an evaluation writes, in one place:
/// <code>
/// DIR/&lt;checkpoint&gt;/results.jsonl, summary.json, run_manifest.json, eval_results_&lt;dataset&gt;_&lt;accuracy&gt;.jsonl,
///                 custom_sentence_&lt;stem&gt;.jsonl, probes_&lt;set&gt;.jsonl, ld_comparison_&lt;dataset&gt;.png
/// DIR/trends.csv, comparisons.csv, comparisons.json, probe_trends_&lt;set&gt;.csv, ld_trends_&lt;dataset&gt;.png,
///     ld_fixed_&lt;key&gt;.png, ld_heatmap_&lt;key&gt;.png, eval_YYYYMMDD.log
/// DIR/plan.json, shards/shard-NNNN/unit-NNNNN.&lt;planid&gt;.*, slurm/          (sharded runs)
/// </code>
/// Chart names are stable: a rerun replaces a chart instead of adding another file.
/// </summary>
public static class OutputLayout
{
    /// <summary>
    /// Checks, before any model work, that <paramref name="outputDir"/> can hold results: it is not an existing file or
    /// device, no parent of it is a file, and none of <paramref name="fileNames"/> inside it exists as a directory.
    /// </summary>
    /// <exception cref="ResultsFileException">The directory or one of the files cannot be used (names the path).</exception>
    public static void CheckLocation(string outputDir, IEnumerable<string> fileNames) => OutputLocation.Check(outputDir, fileNames);

    /// <summary>Append-only per-sample journal of a checkpoint (resume source).</summary>
    public const string Journal = "results.jsonl";

    /// <summary>The typed results of a checkpoint, flattened to Python-style keys.</summary>
    public const string Summary = "summary.json";

    /// <summary>The result-relevant settings of a checkpoint's run.</summary>
    public const string Manifest = "run_manifest.json";

    /// <summary>Trend values of a multi-checkpoint run.</summary>
    public const string TrendsCsv = "trends.csv";

    /// <summary>Checkpoint comparisons, one row per change.</summary>
    public const string ComparisonsCsv = "comparisons.csv";

    /// <summary>Checkpoint comparisons with their settings.</summary>
    public const string ComparisonsJson = "comparisons.json";

    /// <summary>Work plan of a sharded run.</summary>
    public const string PlanFile = "plan.json";

    /// <summary>Folder of the shard journals of a sharded run.</summary>
    public const string ShardsFolder = "shards";

    /// <summary>Folder of the Slurm scripts and logs of a sharded run.</summary>
    public const string SlurmFolder = "slurm";

    /// <summary>Python-style per-dataset results file: <c>eval_results_&lt;dataset&gt;_&lt;accuracy&gt;.jsonl</c>.</summary>
    public static string DatasetResults(string dataset, double accuracy) =>
        string.Create(CultureInfo.InvariantCulture, $"eval_results_{dataset}_{(double.IsNaN(accuracy) ? "nan" : accuracy.ToString("0.0000", CultureInfo.InvariantCulture))}.jsonl");

    /// <summary>Glob matching every per-dataset results file of <paramref name="dataset"/>.</summary>
    public static string DatasetResultsPattern(string dataset) => $"eval_results_{dataset}_*.jsonl";

    /// <summary>Per-sentence metrics of one custom sentence file.</summary>
    public static string CustomSentences(string stem) => $"custom_sentence_{stem}.jsonl";

    /// <summary>Daily log file name used by the CLI: <c>eval_YYYYMMDD.log</c>.</summary>
    public static string LogFile(DateTime date) => $"eval_{date:yyyyMMdd}.log";

    /// <summary>Journal of one probe set under one checkpoint: <c>probes_&lt;set&gt;.jsonl</c> in the checkpoint's directory.</summary>
    public static string ProbeJournal(string setName) => $"probes_{setName}.jsonl";

    /// <summary>The set name of answer probes taken from checkpoint <paramref name="reference"/>.</summary>
    public static string AnswerSet(string reference) => $"answers_from_{reference}";

    /// <summary>Per-checkpoint, per-stratum probe means: <c>probe_trends_&lt;set&gt;.csv</c>.</summary>
    public static string ProbeTrendsCsv(string setName) => $"probe_trends_{setName}.csv";

    /// <summary>Comparison chart of one dataset at one checkpoint, e.g. <c>ld_comparison_gsm8k.png</c>.</summary>
    public static string ComparisonChart(string dataset) => $"ld_comparison_{SafeName(dataset)}.png";

    /// <summary>Trends chart of one dataset across checkpoints, e.g. <c>ld_trends_gsm8k.png</c>.</summary>
    public static string TrendsChart(string dataset) => $"ld_trends_{SafeName(dataset)}.png";

    /// <summary>pass@k chart of one dataset across checkpoints (several answers per prompt), e.g. <c>ld_pass_at_k_aime2024.png</c>.</summary>
    public static string PassAtKChart(string dataset) => $"ld_pass_at_k_{SafeName(dataset)}.png";

    /// <summary>Trend chart of one fixed-text source (custom sentence file or probed dataset).</summary>
    public static string FixedResponseChart(string key) => $"ld_fixed_{SafeName(key)}.png";

    /// <summary>Per-token heatmap of one probed answer.</summary>
    public static string HeatmapChart(string key) => $"ld_heatmap_{SafeName(key)}.png";

    /// <summary>Folder of one shard: <c>shards/shard-NNNN</c>.</summary>
    public static string ShardFolder(int shard) => Path.Combine(ShardsFolder, string.Create(CultureInfo.InvariantCulture, $"shard-{shard:D4}"));

    /// <summary>A unit's file in its shard folder: <c>unit-NNNNN.&lt;planid&gt;&lt;suffix&gt;</c>.</summary>
    public static string UnitFile(int unitId, string planId, string suffix) =>
        string.Create(CultureInfo.InvariantCulture, $"unit-{unitId:D5}.{planId}{suffix}");

    /// <summary>
    /// Makes a dataset name or chart key safe for a file name on every OS: letters, digits, '-', '_' and '.' are kept,
    /// anything else (path separators, spaces, ':' …) becomes '_'.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or whitespace.</exception>
    public static string SafeName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Trim())
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        var result = builder.ToString().Trim('.');
        return result.Length == 0 ? "_" : result;
    }
}
