using System.Globalization;

namespace OrzDynamic.Core.Evaluation;

/// <summary>Names of the files an evaluation writes into its output directory.</summary>
public static class OutputFiles
{
    /// <summary>Append-only per-sample journal (resume source).</summary>
    public const string Journal = "results.jsonl";

    /// <summary>The typed results, flattened to Python-style keys.</summary>
    public const string Summary = "summary.json";

    /// <summary>Trend values of a multi-checkpoint run.</summary>
    public const string TrendsCsv = "trends.csv";

    /// <summary>Python-style per-dataset results file: <c>eval_results_&lt;dataset&gt;_&lt;accuracy&gt;.jsonl</c>.</summary>
    public static string DatasetResults(string dataset, double accuracy) =>
        string.Create(CultureInfo.InvariantCulture, $"eval_results_{dataset}_{(double.IsNaN(accuracy) ? "nan" : accuracy.ToString("0.0000", CultureInfo.InvariantCulture))}.jsonl");

    /// <summary>Glob matching every per-dataset results file of <paramref name="dataset"/>.</summary>
    public static string DatasetResultsPattern(string dataset) => $"eval_results_{dataset}_*.jsonl";

    /// <summary>Per-sentence metrics of one custom sentence file.</summary>
    public static string CustomSentences(string stem) => $"custom_sentence_{stem}.jsonl";

    /// <summary>Daily log file name used by the CLI: <c>eval_YYYYMMDD.log</c>.</summary>
    public static string LogFile(DateTime date) => $"eval_{date:yyyyMMdd}.log";
}
