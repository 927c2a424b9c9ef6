namespace OrzDynamic.Cli;

/// <summary>
/// The demo shipped with the CLI: checkpoints trained by the project (samples/demo-checkpoints/iter*), its held-out
/// eval set (samples/demo-data/*.json) and a custom sentence file, copied next to the executable at build time.
/// </summary>
internal static class EmbeddedDefault
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "demo");

    public static IReadOnlyList<string> Checkpoints =>
        Directory.Exists(Path.Combine(Root, "checkpoints"))
            ? Directory.GetDirectories(Path.Combine(Root, "checkpoints"), "iter*").Order(StringComparer.Ordinal).ToArray()
            : [];

    public static IReadOnlyList<string> DataFiles =>
        Directory.Exists(Path.Combine(Root, "data")) ? Directory.GetFiles(Path.Combine(Root, "data"), "*.json").Order(StringComparer.Ordinal).ToArray() : [];

    public static IReadOnlyList<string> CustomSentenceFiles =>
        Directory.Exists(Path.Combine(Root, "custom")) ? Directory.GetFiles(Path.Combine(Root, "custom"), "*.json*").Order(StringComparer.Ordinal).ToArray() : [];

    public static bool IsAvailable => Checkpoints.Count > 0 && DataFiles.Count > 0;
}
