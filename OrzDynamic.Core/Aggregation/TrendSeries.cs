namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// One value per checkpoint iteration. <see cref="Iterations"/> must be strictly increasing and have the same length
/// as <see cref="Values"/>; non-finite values are treated as missing points.
/// </summary>
/// <param name="Iterations">Checkpoint iterations (e.g. 0, 45, 90), strictly increasing.</param>
/// <param name="Values">The value at each iteration.</param>
public sealed record TrendSeries(IReadOnlyList<int> Iterations, IReadOnlyList<double> Values)
{
    /// <summary>A series without points.</summary>
    public static TrendSeries Empty { get; } = new([], []);

    /// <summary>Gets a value indicating whether at least one point has a finite value.</summary>
    public bool HasData
    {
        get
        {
            var n = Math.Min(this.Iterations.Count, this.Values.Count);
            for (var i = 0; i < n; i++)
            {
                if (double.IsFinite(this.Values[i]))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
