namespace OrzDynamic.Core.Results;

/// <summary>
/// Streams <see cref="LdMetrics"/> into a <see cref="StratumResult"/> in constant memory (one
/// <see cref="RunningMoments"/> per metric). <see cref="StratumResult.Of"/> and every aggregation path use it.
/// </summary>
internal sealed class StratumAccumulator
{
    private readonly string[] _names = LdMetricKeys.All.ToArray();
    private readonly RunningMoments[] _moments;

    /// <summary>Creates an empty accumulator.</summary>
    public StratumAccumulator() => _moments = new RunningMoments[_names.Length];

    /// <summary>Number of items added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds one item.</summary>
    public void Add(LdMetrics item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Count++;
        for (int i = 0; i < _names.Length; i++) _moments[i].Add(item.Get(_names[i]));
    }

    /// <summary>The stratum of everything added so far.</summary>
    public StratumResult ToResult()
    {
        var metrics = new Dictionary<string, MetricStats>(_names.Length);
        for (int i = 0; i < _names.Length; i++) metrics[_names[i]] = _moments[i].ToStats();
        return new StratumResult { Count = Count, Metrics = metrics };
    }
}
