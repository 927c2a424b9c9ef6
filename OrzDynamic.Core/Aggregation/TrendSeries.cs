namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// One value per checkpoint iteration. <see cref="Iterations"/> must be strictly increasing and have the same length
/// as <see cref="Values"/>; non-finite values are treated as missing points.
/// </summary>
/// <param name="Iterations">Checkpoint iterations (e.g. 0, 45, 90), strictly increasing.</param>
/// <param name="Values">The value at each iteration.</param>
public sealed record TrendSeries(IReadOnlyList<int> Iterations, IReadOnlyList<double> Values)
{
    /// <summary>Standard deviation at each point (same length as <see cref="Values"/>; NaN where unknown); null = none.</summary>
    public IReadOnlyList<double>? Std { get; init; }

    /// <summary>Lower confidence bound at each point (NaN where no interval exists, e.g. n &lt; 2); null = none.</summary>
    public IReadOnlyList<double>? CiLow { get; init; }

    /// <summary>Upper confidence bound at each point (NaN where no interval exists); null = none.</summary>
    public IReadOnlyList<double>? CiHigh { get; init; }

    /// <summary>
    /// Whether the change from the point before is significant (entry i is about the segment i−1 → i; entry 0 is
    /// always false, and false also when the change was not testable); null = not tested (see <c>OrzDynamic.Core.Statistics.TrendSignificance</c>).
    /// </summary>
    public IReadOnlyList<bool>? SignificantChange { get; init; }

    /// <summary>A series without points.</summary>
    public static TrendSeries Empty { get; } = new([], []);

    /// <summary>Gets a value indicating whether at least one point has a finite value.</summary>
    public bool HasData
    {
        get
        {
            var n = Math.Min(Iterations.Count, Values.Count);
            for (var i = 0; i < n; i++)
            {
                if (double.IsFinite(Values[i]))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
