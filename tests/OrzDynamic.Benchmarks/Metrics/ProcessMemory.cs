namespace OrzDynamic.Benchmarks.Metrics;

/// <summary>
/// Resident-set figures of the current process from /proc/self/status. The peak (VmHWM) can be reset by writing
/// "5" to /proc/self/clear_refs (Linux ≥ 4.0), which lets one process measure the peak of a single phase.
/// </summary>
internal static class ProcessMemory
{
    public static long RssBytes() => ReadKb("VmRSS:") * 1024;

    public static long PeakRssBytes() => ReadKb("VmHWM:") * 1024;

    /// <summary>Resets VmHWM to the current RSS; returns false where the kernel does not allow it.</summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long ReadKb(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        throw new InvalidOperationException($"/proc/self/status has no {key} line.");
    }
}
