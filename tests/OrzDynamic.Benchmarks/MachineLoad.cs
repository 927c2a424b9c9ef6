namespace OrzDynamic.Benchmarks;

/// <summary>The machine's load, as every benchmark reports it next to its figures (Linux /proc/loadavg; "n/a" elsewhere).</summary>
internal static class MachineLoad
{
    /// <summary>The 1-, 5- and 15-minute load averages joined by <paramref name="separator"/>, after <paramref name="prefix"/>.</summary>
    public static string Averages(string separator = " ", string prefix = "") =>
        Read() is { } line ? prefix + string.Join(separator, line.Split(' ').Take(3)) : "n/a";

    /// <summary>The whole /proc/loadavg line: the three averages, running/total tasks and the last pid.</summary>
    public static string Line() => Read() ?? "n/a";

    private static string? Read()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
