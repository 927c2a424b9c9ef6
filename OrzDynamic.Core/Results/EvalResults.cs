using System.Collections;

namespace OrzDynamic.Core.Results;

/// <summary>
/// Results of one checkpoint's evaluation. Typed, and readable like the Python tool's dict:
/// <c>results["math500/accuracy"]</c>, <c>["math500/ld_correct/prob_energy"]</c> (mean),
/// <c>["math500/ld_correct/prob_energy_std"]</c>, <c>["math500/ld_incorrect/count"]</c>,
/// <c>["math500/ld_random/A_norm"]</c>, <c>["math500/invalid"]</c>, <c>["eval_accuracy"]</c> (mean of dataset
/// accuracies), <c>["math500/response_len_in_char"]</c>, <c>["custom_sentence_&lt;name&gt;/&lt;metric&gt;"]</c>. With K
/// answers per prompt also <c>["aime2024/avg@16"]</c>, <c>["aime2024/pass@8"]</c>, <c>["aime2024/maj@16"]</c> (each
/// with <c>_ci_low</c>/<c>_ci_high</c> over prompts), <c>["aime2024/prompts"]</c>, <c>["aime2024/samples_per_prompt"]</c>,
/// and within/between-prompt variances (<c>["aime2024/avg@16_var_within"]</c>,
/// <c>["aime2024/ld_correct/prob_energy_var_between"]</c>).
/// </summary>
public sealed class EvalResults : IReadOnlyDictionary<string, double>
{
    private Dictionary<string, double>? _flat;

    /// <summary>Checkpoint label.</summary>
    public string Checkpoint { get; init; } = "";

    /// <summary>Training iteration parsed from the checkpoint path (<c>iter(\d+)</c>), if any.</summary>
    public int? Iteration { get; init; }

    /// <summary>Per-dataset results, by dataset name.</summary>
    public IReadOnlyDictionary<string, DatasetResult> Datasets { get; init; } = new Dictionary<string, DatasetResult>();

    /// <summary>Custom sentence results, by file stem.</summary>
    public IReadOnlyDictionary<string, StratumResult> CustomSentences { get; init; } = new Dictionary<string, StratumResult>();

    /// <summary>
    /// Level of the intervals in the flat view (<c>…_ci_low</c>, <c>…_ci_high</c>): Wilson for accuracy, Student-t for
    /// metric means; default 0.95.
    /// </summary>
    public double ConfidenceLevel { get; init; } = Statistics.ConfidenceLevels.Default;

    /// <summary>
    /// The per-sample records the results were aggregated from (empty when the results were read back from a summary);
    /// the paired data of checkpoint comparisons (<see cref="Statistics.CheckpointComparer"/>). Not part of the flat view.
    /// </summary>
    public IReadOnlyCollection<SampleRecord> Samples { get; init; } = [];

    /// <summary>
    /// Interval of the accuracy of <paramref name="dataset"/> at <see cref="ConfidenceLevel"/>: Wilson, or with several
    /// answers per prompt the Student-t interval of the per-prompt accuracies; null when there is none.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such dataset.</exception>
    public Statistics.ConfidenceInterval? AccuracyInterval(string dataset) =>
        Datasets.TryGetValue(dataset, out var ds) ? Statistics.ResultIntervals.Accuracy(ds, ConfidenceLevel)
            : throw new KeyNotFoundException($"No dataset '{dataset}'. Known: {string.Join(", ", Datasets.Keys)}");

    /// <summary>Student-t interval of a metric mean in a stratum at <see cref="ConfidenceLevel"/>; null for fewer than 2 values.</summary>
    /// <exception cref="KeyNotFoundException">No such dataset, stratum or metric.</exception>
    public Statistics.ConfidenceInterval? MetricInterval(string dataset, string stratum, string metric)
    {
        if (!Datasets.TryGetValue(dataset, out var ds)) throw new KeyNotFoundException($"No dataset '{dataset}'. Known: {string.Join(", ", Datasets.Keys)}");
        if (!ds.Strata.TryGetValue(stratum, out var sr)) throw new KeyNotFoundException($"No stratum '{stratum}' in '{dataset}'. Known: {string.Join(", ", ds.Strata.Keys)}");
        if (!sr.Metrics.TryGetValue(metric, out var m)) throw new KeyNotFoundException($"No metric '{metric}' in '{dataset}/{stratum}'.");
        return Statistics.ResultIntervals.Mean(m, ConfidenceLevel);
    }

    /// <summary>Mean of the dataset accuracies (NaN when there is none).</summary>
    public double EvalAccuracy
    {
        get
        {
            var accs = Datasets.Values.Where(d => d.Evaluated > 0).Select(d => d.Accuracy).ToArray();
            return accs.Length == 0 ? double.NaN : accs.Average();
        }
    }

    /// <summary>The flat Python-style view.</summary>
    public IReadOnlyDictionary<string, double> Flat => _flat ??= BuildFlat();

    private Dictionary<string, double> BuildFlat()
    {
        var d = new Dictionary<string, double>(StringComparer.Ordinal) { ["eval_accuracy"] = EvalAccuracy };
        foreach (var (name, ds) in Datasets)
        {
            d[$"{name}/accuracy"] = ds.Accuracy;
            if (Statistics.ResultIntervals.Accuracy(ds, ConfidenceLevel) is { } aci)
            {
                d[$"{name}/accuracy_ci_low"] = aci.Low;
                d[$"{name}/accuracy_ci_high"] = aci.High;
            }
            d[$"{name}/evaluated"] = ds.Evaluated;
            d[$"{name}/correct"] = ds.Correct;
            d[$"{name}/invalid"] = ds.Invalid;
            d[$"{name}/skipped_too_long"] = ds.SkippedTooLong;
            d[$"{name}/skipped_bad_records"] = ds.SkippedBadRecords;
            d[$"{name}/response_len_in_char"] = ds.ResponseLenInChar;
            d[$"{name}/context_limited"] = ds.ContextLimited;
            d[$"{name}/padded_vocab_tokens"] = ds.PaddedVocabTokens;
            foreach (var (stratum, sr) in ds.Strata)
                AddStratum(d, $"{name}/ld_{stratum}", sr, ConfidenceLevel, ds.MultiSample?.StratumClustered.GetValueOrDefault(stratum));
            if (ds.MultiSample is { } multi) AddMultiSample(d, name, multi, ConfidenceLevel);
            if (ds.ThinkSegments is { } think)
            {
                d[$"{name}/think_closed"] = think.Closed;
                d[$"{name}/think_missing"] = think.Missing;
                d[$"{name}/think_unclosed"] = think.Unclosed;
            }
            foreach (var (segment, strata) in ds.SegmentStrata)
                foreach (var (stratum, sr) in strata) AddStratum(d, $"{name}/ld_{stratum}/{segment}", sr, ConfidenceLevel);
        }
        foreach (var (name, sr) in CustomSentences) AddStratum(d, $"custom_sentence_{name}", sr, ConfidenceLevel);
        return d;
    }

    /// <summary>
    /// Adds a stratum's keys; with <paramref name="clustered"/> (several answers per prompt) the intervals are the
    /// cluster-robust ones (the prompt as the unit).
    /// </summary>
    private static void AddStratum(Dictionary<string, double> d, string prefix, StratumResult sr, double level,
        IReadOnlyDictionary<string, MetricStats>? clustered = null)
    {
        d[$"{prefix}/count"] = sr.Count;
        foreach (var (metric, s) in sr.Metrics)
        {
            d[$"{prefix}/{metric}"] = s.Mean;
            d[$"{prefix}/{metric}_std"] = s.Std;
            var basis = clustered is null ? s : clustered.GetValueOrDefault(metric, MetricStats.Empty);
            // Keys only where an interval exists (n ≥ 2): absent rather than NaN.
            if (Statistics.ResultIntervals.Mean(basis, level) is { } ci)
            {
                d[$"{prefix}/{metric}_ci_low"] = ci.Low;
                d[$"{prefix}/{metric}_ci_high"] = ci.High;
            }
        }
    }

    /// <summary>The keys of several answers per prompt: avg@K, pass@k, maj@K with prompt-level intervals, variance components.</summary>
    private static void AddMultiSample(Dictionary<string, double> d, string name, MultiSampleResult multi, double level)
    {
        var ci = CultureInfo.InvariantCulture;
        d[$"{name}/prompts"] = multi.Prompts;
        d[$"{name}/samples_per_prompt"] = multi.SamplesPerPrompt;
        var avg = string.Create(ci, $"{name}/avg@{multi.SamplesPerPrompt}");
        AddMean(d, avg, multi.AvgAtK, level);
        d[avg + "_var_within"] = multi.Accuracy.Within;
        d[avg + "_var_between"] = multi.Accuracy.Between;
        foreach (var (k, stats) in multi.PassAtK) AddMean(d, string.Create(ci, $"{name}/pass@{k}"), stats, level);
        AddMean(d, string.Create(ci, $"{name}/maj@{multi.SamplesPerPrompt}"), multi.MajAtK, level);
        foreach (var (stratum, metrics) in multi.StratumVariance)
            foreach (var (metric, v) in metrics)
            {
                d[$"{name}/ld_{stratum}/{metric}_var_within"] = v.Within;
                d[$"{name}/ld_{stratum}/{metric}_var_between"] = v.Between;
            }
    }

    private static void AddMean(Dictionary<string, double> d, string key, MetricStats stats, double level)
    {
        d[key] = stats.Mean;
        if (Statistics.ResultIntervals.Proportion(stats, level) is { } ci)
        {
            d[key + "_ci_low"] = ci.Low;
            d[key + "_ci_high"] = ci.High;
        }
    }

    /// <summary>Value of a Python-style key.</summary>
    /// <exception cref="KeyNotFoundException">The key names no result; the message lists similar keys.</exception>
    public double this[string key] => Flat.TryGetValue(key, out var v) ? v
        : throw new KeyNotFoundException($"No result '{key}'. Known keys start with: {string.Join(", ", Flat.Keys.Select(k => k.Split('/')[0]).Distinct())}");

    /// <inheritdoc />
    public IEnumerable<string> Keys => Flat.Keys;
    /// <inheritdoc />
    public IEnumerable<double> Values => Flat.Values;
    /// <inheritdoc />
    public int Count => Flat.Count;
    /// <inheritdoc />
    public bool ContainsKey(string key) => Flat.ContainsKey(key);
    /// <inheritdoc />
    public bool TryGetValue(string key, out double value) => Flat.TryGetValue(key, out value);
    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => Flat.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>JSON options used for summary.json (missing values are written as <c>null</c> by <see cref="WriteSummary"/>).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes <c>summary.json</c>: the checkpoint, iteration and the flat key → value map (sorted); a value
    /// that is not available (NaN) is written as <c>null</c>.</summary>
    public void WriteSummary(string path)
    {
        var doc = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["checkpoint"] = Checkpoint,
            ["iteration"] = Iteration,
            ["confidence_level"] = ConfidenceLevel,
            // A value that is not available (NaN, ±Infinity) is written as JSON null, never as a string.
            ["results"] = new SortedDictionary<string, double?>(
                Flat.ToDictionary(kv => kv.Key, kv => double.IsFinite(kv.Value) ? kv.Value : (double?)null), StringComparer.Ordinal),
        };
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(doc, JsonOptions));
        File.Move(tmp, path, overwrite: true);
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Checkpoint}: eval_accuracy={EvalAccuracy:0.####} over {Datasets.Count} dataset(s)");
}
