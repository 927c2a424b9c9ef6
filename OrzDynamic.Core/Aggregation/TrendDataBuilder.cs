namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// Accumulates per-checkpoint <see cref="DatasetComparison"/>s into <see cref="TrendData"/>: the trend value of a
/// metric is the stratum mean at that checkpoint, accuracy is the one given or else derived from the counts.
/// </summary>
internal sealed class TrendDataBuilder
{
    private readonly List<string> _datasetOrder = [];
    private readonly Dictionary<string, SortedDictionary<int, (DatasetComparison Comparison, double Accuracy, Statistics.ConfidenceInterval? AccuracyCi, MultiSampleResult? MultiSample)>> _byDataset =
        new(StringComparer.Ordinal);

    /// <summary>Level of the Student-t bands of the metric means (default 0.95); accuracy bands come with <see cref="Add"/>.</summary>
    public double ConfidenceLevel { get; init; } = Statistics.ConfidenceLevels.Default;

    /// <summary>Gets the number of (dataset, iteration) entries added so far.</summary>
    public int Count => _byDataset.Values.Sum(d => d.Count);

    /// <summary>Adds the comparison of one dataset at one checkpoint.</summary>
    /// <param name="iteration">The checkpoint iteration (see <see cref="IterationParser"/>).</param>
    /// <param name="comparison">The per-stratum aggregates at that checkpoint.</param>
    /// <param name="accuracy">Accuracy as a fraction in [0, 1]; <c>null</c> to use <see cref="DatasetComparison.Accuracy"/>.</param>
    /// <param name="accuracyInterval">Interval of the accuracy (e.g. Wilson); <c>null</c> when unknown.</param>
    /// <param name="multiSample">avg@K, pass@k and maj@K of the dataset at that checkpoint (several answers per prompt), else null.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="PlotDataException">Duplicate (dataset, iteration), or accuracy outside [0, 1].</exception>
    public TrendDataBuilder Add(int iteration, DatasetComparison comparison, double? accuracy = null, Statistics.ConfidenceInterval? accuracyInterval = null,
        MultiSampleResult? multiSample = null)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        DataValidation.Validate(comparison);
        var acc = accuracy ?? comparison.Accuracy;
        if (!double.IsNaN(acc) && (acc < 0 || acc > 1))
        {
            throw new PlotDataException(comparison.Dataset, $"iteration {iteration}", "accuracy",
                $"{acc} is outside [0, 1] (give a fraction, not a percentage)");
        }

        if (!_byDataset.TryGetValue(comparison.Dataset, out var perIteration))
        {
            perIteration = [];
            _byDataset.Add(comparison.Dataset, perIteration);
            _datasetOrder.Add(comparison.Dataset);
        }

        if (!perIteration.TryAdd(iteration, (comparison, acc, accuracyInterval, multiSample)))
        {
            throw new PlotDataException(comparison.Dataset, $"iteration {iteration}", "iteration",
                "a comparison for this dataset and iteration was already added");
        }

        return this;
    }

    /// <summary>Builds the trends: datasets in insertion order, iterations ascending, one series per stratum and metric
    /// of <see cref="LdMetricKeys.Charted"/> plus any further metric seen in the input.</summary>
    /// <returns>The trend data.</returns>
    public TrendData Build()
    {
        var datasets = new List<DatasetTrend>(_datasetOrder.Count);
        foreach (var name in _datasetOrder)
        {
            var perIteration = _byDataset[name];
            var iterations = perIteration.Keys.ToArray();
            var metricNames = LdMetricKeys.Charted
                .Concat(perIteration.Values.SelectMany(v => v.Comparison.Strata.Values.SelectMany(s => s.Metrics.Keys)))
                .Distinct(StringComparer.Ordinal)
                .ToList();

            var metrics = new Dictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>>();
            foreach (var stratum in Strata.Values)
            {
                if (!perIteration.Values.Any(v => v.Comparison.Strata.ContainsKey(stratum)))
                {
                    continue;
                }

                var byMetric = new Dictionary<string, TrendSeries>(StringComparer.Ordinal);
                foreach (var metric in metricNames)
                {
                    var stats = perIteration.Values
                        .Select(v => v.Comparison.Get(stratum) is { } s ? s.Get(metric) : MetricStats.Empty)
                        .ToArray();
                    var intervals = stats.Select(m => m.HasStd ? Statistics.StudentTInterval.FromSummary(m.Mean, m.Std, m.Count, ConfidenceLevel) : null).ToArray();
                    byMetric[metric] = new TrendSeries(iterations, stats.Select(m => m.HasMean ? m.Mean : double.NaN).ToArray())
                    {
                        Std = stats.Select(m => m.HasStd ? m.Std : double.NaN).ToArray(),
                        CiLow = intervals.Select(ci => ci?.Low ?? double.NaN).ToArray(),
                        CiHigh = intervals.Select(ci => ci?.High ?? double.NaN).ToArray(),
                    };
                }

                metrics[stratum] = byMetric;
            }

            var accuracy = new TrendSeries(iterations, perIteration.Values.Select(v => v.Accuracy).ToArray())
            {
                CiLow = perIteration.Values.Select(v => v.AccuracyCi?.Low ?? double.NaN).ToArray(),
                CiHigh = perIteration.Values.Select(v => v.AccuracyCi?.High ?? double.NaN).ToArray(),
            };
            datasets.Add(new DatasetTrend(name, metrics, accuracy) { ConfidenceLevel = ConfidenceLevel, SampleMetrics = SampleMetricsOf(iterations, perIteration.Values) });
        }

        return new TrendData(datasets);
    }

    /// <summary>
    /// The avg@K, pass@k and maj@K series (in that order, k ascending) of the checkpoints with several answers per
    /// prompt; NaN at the others. Bands: Student-t over prompts, cut to [0, 1] (<see cref="Statistics.ResultIntervals.Proportion"/>).
    /// </summary>
    private Dictionary<string, TrendSeries> SampleMetricsOf(int[] iterations,
        IEnumerable<(DatasetComparison Comparison, double Accuracy, Statistics.ConfidenceInterval? AccuracyCi, MultiSampleResult? MultiSample)> points)
    {
        var perPoint = points.Select(p => p.MultiSample is { } m ? MultiSampleMetrics.Of(m) : []).ToArray();
        var names = perPoint.SelectMany(p => p.Select(kv => kv.Key)).Distinct(StringComparer.Ordinal).OrderBy(MultiSampleMetrics.SortKey).ToArray();
        var result = new Dictionary<string, TrendSeries>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var stats = perPoint.Select(p => p.FirstOrDefault(kv => kv.Key == name).Value).ToArray();
            var intervals = stats.Select(m => Statistics.ResultIntervals.Proportion(m, ConfidenceLevel)).ToArray();
            result[name] = new TrendSeries(iterations, stats.Select(m => m.HasMean ? m.Mean : double.NaN).ToArray())
            {
                Std = stats.Select(m => m.HasStd ? m.Std : double.NaN).ToArray(),
                CiLow = intervals.Select(ci => ci?.Low ?? double.NaN).ToArray(),
                CiHigh = intervals.Select(ci => ci?.High ?? double.NaN).ToArray(),
            };
        }
        return result;
    }
}
