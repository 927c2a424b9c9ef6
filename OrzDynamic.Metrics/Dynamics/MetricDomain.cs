namespace OrzDynamic.Metrics;

/// <summary>
/// The closed interval [<see cref="Min"/>, <see cref="Max"/>] a metric's values can take (an infinite end for an
/// unbounded side), e.g. [0, 1] for <c>prob_energy</c> or (−∞, 0] for a sum of log-probabilities. Charts clip bands
/// such as mean ± std to it.
/// </summary>
/// <param name="Min">Smallest possible value (<see cref="double.NegativeInfinity"/> when unbounded below).</param>
/// <param name="Max">Largest possible value (<see cref="double.PositiveInfinity"/> when unbounded above).</param>
public readonly record struct MetricDomain(double Min, double Max)
{
    /// <summary>Gets the domain of all real numbers.</summary>
    public static MetricDomain Unbounded { get; } = new(double.NegativeInfinity, double.PositiveInfinity);

    /// <summary>Gets a value indicating whether both ends are finite.</summary>
    public bool IsBounded => double.IsFinite(Min) && double.IsFinite(Max);

    /// <summary>Gets a value indicating whether <paramref name="value"/> lies in the domain.</summary>
    /// <param name="value">The value.</param>
    /// <returns>True when <see cref="Min"/> ≤ value ≤ <see cref="Max"/>; false for NaN.</returns>
    public bool Contains(double value) => value >= Min && value <= Max;

    /// <summary>Clamps <paramref name="value"/> into the domain; NaN stays NaN.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The nearest value of the domain.</returns>
    public double Clamp(double value) => double.IsNaN(value) ? value : Math.Min(Math.Max(value, Min), Max);

    /// <inheritdoc/>
    public override string ToString() =>
        FormattableString.Invariant($"{(double.IsNegativeInfinity(Min) ? "(−∞" : $"[{Min:G4}")}, {(double.IsPositiveInfinity(Max) ? "∞)" : $"{Max:G4}]")}");
}
