namespace OrzDynamic.Datasets.Loading;

/// <summary>The warning logged when invalid UTF-8 in a data file was replaced with U+FFFD on request.</summary>
internal static class Utf8Warnings
{
    public static void Log(ILogger logger, string path, IReadOnlyList<(long Offset, int Line)> replaced)
    {
        if (replaced.Count == 0) return;
        logger.LogWarning("{File}: {Count} invalid UTF-8 sequence(s) replaced with U+FFFD (first at byte offset {Offset}, line {Line}): {Offsets}",
            path, replaced.Count, replaced[0].Offset, replaced[0].Line,
            string.Join(", ", replaced.Take(10).Select(r => r.Offset)) + (replaced.Count > 10 ? ", …" : ""));
    }
}
