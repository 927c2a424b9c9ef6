namespace OrzDynamic.Plotting.Charts;

/// <summary>
/// A linear x axis whose major ticks and labels sit exactly on the evaluated checkpoint iterations (e.g. 0, 45, 90)
/// instead of round numbers; with more than <see cref="MaxExplicitTicks"/> checkpoints it falls back to automatic ticks.
/// </summary>
public sealed class IterationAxis : LinearAxis
{
    /// <summary>Largest number of checkpoints that still get one labelled tick each.</summary>
    public const int MaxExplicitTicks = 12;

    /// <summary>Initializes a new instance of the <see cref="IterationAxis"/> class.</summary>
    /// <param name="iterations">The checkpoint iterations (any order, duplicates ignored).</param>
    public IterationAxis(IEnumerable<double> iterations)
    {
        ArgumentNullException.ThrowIfNull(iterations);
        Iterations = iterations.Distinct().Order().ToArray();
    }

    /// <summary>Gets the checkpoint iterations, ascending.</summary>
    public IReadOnlyList<double> Iterations { get; }

    /// <summary>Gets a value indicating whether ticks are placed on <see cref="Iterations"/>.</summary>
    public bool UsesExplicitTicks => Iterations.Count is > 0 and <= MaxExplicitTicks;

    /// <inheritdoc/>
    public override void GetTickValues(out IList<double> majorLabelValues, out IList<double> majorTickValues, out IList<double> minorTickValues)
    {
        if (!UsesExplicitTicks)
        {
            base.GetTickValues(out majorLabelValues, out majorTickValues, out minorTickValues);
            return;
        }

        majorLabelValues = Iterations.ToList();
        majorTickValues = Iterations.ToList();
        minorTickValues = [];
    }
}
