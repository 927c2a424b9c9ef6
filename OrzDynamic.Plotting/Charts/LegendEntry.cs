namespace OrzDynamic.Plotting.Charts;

/// <summary>One entry of the shared legend drawn above a composed chart.</summary>
/// <param name="Label">The label, e.g. "Random tokens".</param>
/// <param name="Color">The swatch colour.</param>
public sealed record LegendEntry(string Label, OxyColor Color);
