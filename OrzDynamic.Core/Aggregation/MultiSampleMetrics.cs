namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// The named metrics of several answers per prompt, as they appear in trends and charts: <c>avg@K</c>, <c>pass@k</c>
/// for each reported k, <c>maj@K</c>.
/// </summary>
internal static class MultiSampleMetrics
{
    /// <summary>The metrics of <paramref name="result"/>, in order: avg@K, pass@k (k ascending), maj@K.</summary>
    public static List<KeyValuePair<string, MetricStats>> Of(MultiSampleResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var list = new List<KeyValuePair<string, MetricStats>> { new(Name("avg", result.SamplesPerPrompt), result.AvgAtK) };
        list.AddRange(result.PassAtK.OrderBy(kv => kv.Key).Select(kv => new KeyValuePair<string, MetricStats>(Name("pass", kv.Key), kv.Value)));
        list.Add(new(Name("maj", result.SamplesPerPrompt), result.MajAtK));
        return list;
    }

    /// <summary>The name of a metric: <c>pass@8</c>.</summary>
    public static string Name(string kind, int k) => string.Create(CultureInfo.InvariantCulture, $"{kind}@{k}");

    /// <summary>Order of names: avg, then pass, then maj; by k within each.</summary>
    public static (int Kind, int K) SortKey(string name)
    {
        var at = name.IndexOf('@', StringComparison.Ordinal);
        var kind = name[..at] switch { "avg" => 0, "pass" => 1, _ => 2 };
        return (kind, int.Parse(name[(at + 1)..], CultureInfo.InvariantCulture));
    }
}
