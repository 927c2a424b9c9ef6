namespace OrzDynamic.Core.Statistics;

/// <summary>
/// The rows of one dataset × comparison as they are made: every row names the same dataset, kind and pair of
/// checkpoints, and differs in the metric, stratum, test and counts. Also cuts a checkpoint's samples down to the
/// dataset, keyed by record index.
/// </summary>
internal sealed class ComparisonRowFamily(CheckpointSamples from, CheckpointSamples to, ComparisonKind kind, string dataset)
{
    /// <summary>The rows added so far, in order.</summary>
    public List<ComparisonRow> Rows { get; } = [];

    /// <summary>The entries of <paramref name="samples"/> (records or prompts of a checkpoint) in the dataset, by index.</summary>
    public Dictionary<int, T> OfDataset<T>(IReadOnlyDictionary<(string Dataset, int Index), T> samples) =>
        samples.Where(kv => kv.Key.Dataset == dataset).ToDictionary(kv => kv.Key.Index, kv => kv.Value);

    /// <summary>Adds the row of one test.</summary>
    public void Add(string metric, string stratum, HypothesisTestResult test, int nFrom, int nTo, int unpaired,
        double? meanFrom, double? meanTo, HypothesisTestResult? pairedT = null) => Rows.Add(new()
    {
        Dataset = dataset, Kind = kind,
        FromCheckpoint = from.Checkpoint, FromIteration = from.Iteration,
        ToCheckpoint = to.Checkpoint, ToIteration = to.Iteration,
        Metric = metric, Stratum = stratum, Test = test, PairedT = pairedT,
        NFrom = nFrom, NTo = nTo, Unpaired = unpaired, MeanFrom = meanFrom, MeanTo = meanTo,
    });
}
