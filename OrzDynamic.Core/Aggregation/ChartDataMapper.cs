using OrzDynamic.Core.Results;

namespace OrzDynamic.Core.Aggregation;

/// <summary>Maps typed evaluation results onto the Plotting library's input records.</summary>
internal static class ChartDataMapper
{
    /// <summary>The chart stratum of a results stratum name (<see cref="Strata"/>), or null.</summary>
    public static Stratum? ToStratum(string name) => name switch
    {
        Strata.Correct => Stratum.Correct,
        Strata.Incorrect => Stratum.Incorrect,
        Strata.Random => Stratum.Random,
        _ => null,
    };

    /// <summary>The comparison-chart input of one dataset of one checkpoint.</summary>
    public static DatasetComparison ToComparison(DatasetResult dataset, string? checkpoint)
    {
        var strata = new Dictionary<Stratum, StratumSummary>();
        foreach (var (name, sr) in dataset.Strata)
            if (ToStratum(name) is { } s)
                strata[s] = new StratumSummary(sr.Count, sr.Metrics);
        return new DatasetComparison(dataset.Name, strata, checkpoint);
    }
}
