namespace OrzDynamic.Plotting.Charts;

/// <summary>Compact, culture-invariant number formatting for value labels.</summary>
public static class ValueFormatter
{
    /// <summary>The text shown where a value is not available.</summary>
    public const string NotAvailable = "n/a";

    /// <summary>
    /// Formats <paramref name="value"/> with about four significant digits: −312.4, 45.67, 0.4523, 1.2E-05,
    /// whole numbers from 10 000 on; non-finite values give <see cref="NotAvailable"/>.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The label text.</returns>
    public static string Format(double value)
    {
        if (!double.IsFinite(value))
        {
            return NotAvailable;
        }

        var abs = Math.Abs(value);
        if (abs >= 10_000)
        {
            return value.ToString("0", CultureInfo.InvariantCulture);
        }

        if (abs != 0 && abs < 1e-3)
        {
            return value.ToString("0.0E+00", CultureInfo.InvariantCulture);
        }

        return value.ToString("G4", CultureInfo.InvariantCulture);
    }
}
