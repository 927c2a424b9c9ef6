using OrzDynamic.Core.Results;
using OrzDynamic.Metrics;
using OrzDynamic.Core.Aggregation;

namespace OrzDynamic.Plotting.Tests;

/// <summary>Synthetic but realistically scaled evaluator outputs.</summary>
internal static class SampleData
{
    public static readonly IReadOnlyDictionary<Stratum, (double[] Means, double[] Stds)> Typical = new Dictionary<Stratum, (double[], double[])>
    {
        // out_token, out_argmax, A_norm, prob_gap2_mean, prob_energy
        [Stratum.Correct] = ([-312.4, -298.7, 182.3, 0.0412, 0.731], [41.2, 38.9, 24.6, 0.0081, 0.052]),
        [Stratum.Incorrect] = ([-356.9, -331.2, 241.8, 0.0667, 0.612], [55.8, 47.1, 36.2, 0.0123, 0.074]),
        [Stratum.Random] = ([-1187.5, -402.6, 388.1, 0.1834, 0.204], [96.3, 51.7, 44.9, 0.0291, 0.038]),
    };

    public static readonly IReadOnlyDictionary<Stratum, int> TypicalCounts = new Dictionary<Stratum, int>
    {
        [Stratum.Correct] = 118,
        [Stratum.Incorrect] = 82,
        [Stratum.Random] = 50,
    };

    public static StratumSummary Summary(Stratum stratum, double shift = 0)
    {
        var (means, stds) = Typical[stratum];
        var count = TypicalCounts[stratum];
        var metrics = new Dictionary<string, MetricStats>();
        for (var i = 0; i < LdMetricKeys.Charted.Count; i++)
        {
            metrics[LdMetricKeys.Charted[i]] = new MetricStats(means[i] * (1 + shift), stds[i], count);
        }

        return new StratumSummary(count, metrics);
    }

    public static DatasetComparison Comparison(string dataset = "gsm8k", bool withRandom = true, string? checkpoint = "iter90")
    {
        var strata = new Dictionary<Stratum, StratumSummary>
        {
            [Stratum.Correct] = Summary(Stratum.Correct),
            [Stratum.Incorrect] = Summary(Stratum.Incorrect),
        };
        if (withRandom)
        {
            strata[Stratum.Random] = Summary(Stratum.Random);
        }

        return new DatasetComparison(dataset, strata, checkpoint);
    }

    /// <summary>Three checkpoints with drifting means; prob_gap2_mean has no data at all.</summary>
    public static DatasetTrend Trend(string dataset = "gsm8k")
    {
        int[] iterations = [0, 45, 90];
        var metrics = new Dictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>>();
        foreach (var stratum in Strata.Values)
        {
            var (means, _) = Typical[stratum];
            var byMetric = new Dictionary<string, TrendSeries>();
            for (var m = 0; m < LdMetricKeys.Charted.Count; m++)
            {
                var metric = LdMetricKeys.Charted[m];
                double[] values = metric == LdMetricKeys.ProbGap2Mean
                    ? [double.NaN, double.NaN, double.NaN]
                    : iterations.Select((it, k) => means[m] * (1 + ((stratum == Stratum.Random ? 0.01 : 0.12) * k * (m % 2 == 0 ? 1 : -1)))).ToArray();
                byMetric[metric] = new TrendSeries(iterations, values);
            }

            metrics[stratum] = byMetric;
        }

        return new DatasetTrend(dataset, metrics, new TrendSeries(iterations, [0.412, 0.538, 0.591]));
    }
}
