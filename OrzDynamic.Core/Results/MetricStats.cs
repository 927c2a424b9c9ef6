namespace OrzDynamic.Core.Results;

/// <summary>
/// Aggregate of one metric over the answers of one stratum.
/// </summary>
/// <param name="Mean">Arithmetic mean; <see cref="double.NaN"/> (or any non-finite value) means "not available".</param>
/// <param name="Std">Standard deviation; NaN when undefined (e.g. a single answer). Must not be negative.</param>
/// <param name="Count">Number of answers that contributed a finite value. Must not be negative.</param>
public readonly record struct MetricStats(double Mean, double Std, int Count)
{
    /// <summary>A "no data" value: NaN mean and std, zero count.</summary>
    public static MetricStats Empty { get; } = new(double.NaN, double.NaN, 0);

    /// <summary>Gets a value indicating whether a bar can be drawn: finite mean and a positive count.</summary>
    public bool HasMean => double.IsFinite(Mean) && Count > 0;

    /// <summary>Gets a value indicating whether an error bar can be drawn: <see cref="HasMean"/> and a finite std.</summary>
    public bool HasStd => HasMean && double.IsFinite(Std);
}
