using OrzDynamic.Metrics;
using OrzDynamic.Core.Aggregation;

namespace OrzDynamic.Core.Results;

/// <summary>Aggregated learning-dynamics metrics of one stratum (correct, incorrect, random tokens, custom).</summary>
public sealed record StratumResult
{
    /// <summary>Stratum names used in results keys (<c>ld_correct</c>, <c>ld_incorrect</c>, <c>ld_random</c>).</summary>
    public static class Names
    {
        /// <summary>Answers the checker accepted.</summary>
        public const string Correct = "correct";
        /// <summary>Answers the checker rejected.</summary>
        public const string Incorrect = "incorrect";
        /// <summary>Single response positions chosen at random.</summary>
        public const string Random = "random";
        /// <summary>All three, in chart order.</summary>
        public static IReadOnlyList<string> All { get; } = [Correct, Incorrect, Random];
    }

    /// <summary>Number of scored items in the stratum.</summary>
    public int Count { get; init; }

    /// <summary>Summary per metric name (see <see cref="LdMetricKeys"/>).</summary>
    public IReadOnlyDictionary<string, MetricStats> Metrics { get; init; } = new Dictionary<string, MetricStats>();

    /// <summary>Aggregates metric records into a stratum.</summary>
    public static StratumResult Of(IReadOnlyCollection<LdMetrics> items) => new()
    {
        Count = items.Count,
        Metrics = LdMetricKeys.All.ToDictionary(n => n, n => MetricStatistics.Of(items.Select(m => m.Get(n)).ToArray())),
    };
}
