namespace OrzDynamic.Plotting.Charts;

/// <summary>
/// The Okabe–Ito palette (Okabe &amp; Ito, "Color Universal Design"): eight hues that stay distinguishable under the
/// common forms of colour-vision deficiency. Strata and well-known groups have fixed hues; further series take the
/// hues left over.
/// </summary>
public static class ChartPalette
{
    /// <summary>Gets black (#000000).</summary>
    public static OxyColor Black { get; } = OxyColor.FromRgb(0x00, 0x00, 0x00);

    /// <summary>Gets orange (#e69f00).</summary>
    public static OxyColor Orange { get; } = OxyColor.FromRgb(0xe6, 0x9f, 0x00);

    /// <summary>Gets sky blue (#56b4e9).</summary>
    public static OxyColor SkyBlue { get; } = OxyColor.FromRgb(0x56, 0xb4, 0xe9);

    /// <summary>Gets bluish green (#009e73), the colour of Correct.</summary>
    public static OxyColor BluishGreen { get; } = OxyColor.FromRgb(0x00, 0x9e, 0x73);

    /// <summary>Gets yellow (#f0e442).</summary>
    public static OxyColor Yellow { get; } = OxyColor.FromRgb(0xf0, 0xe4, 0x42);

    /// <summary>Gets blue (#0072b2), the colour of Random tokens.</summary>
    public static OxyColor Blue { get; } = OxyColor.FromRgb(0x00, 0x72, 0xb2);

    /// <summary>Gets vermillion (#d55e00), the colour of Incorrect.</summary>
    public static OxyColor Vermillion { get; } = OxyColor.FromRgb(0xd5, 0x5e, 0x00);

    /// <summary>Gets reddish purple (#cc79a7), the colour of the accuracy line.</summary>
    public static OxyColor ReddishPurple { get; } = OxyColor.FromRgb(0xcc, 0x79, 0xa7);

    /// <summary>Gets all eight colours in the palette's order (black, orange, sky blue, bluish green, yellow, blue,
    /// vermillion, reddish purple).</summary>
    public static IReadOnlyList<OxyColor> All { get; } = [Black, Orange, SkyBlue, BluishGreen, Yellow, Blue, Vermillion, ReddishPurple];
}
