using System.Globalization;

namespace OrzDynamic.Tests;

/// <summary>
/// The kernel's resettable peak-RSS counter (Linux): <see cref="TryReset"/> writes 5 to /proc/self/clear_refs, which
/// sets VmHWM to the current VmRSS; <see cref="PeakBytes"/> and <see cref="CurrentBytes"/> read /proc/self/status.
/// </summary>
public static class PeakRss
{
    /// <summary>True when this system has the counter (Linux with /proc/self/clear_refs).</summary>
    public static bool IsAvailable => OperatingSystem.IsLinux() && File.Exists("/proc/self/clear_refs");

    /// <summary>Resets the peak to the current resident size; false when the system refuses.</summary>
    public static bool TryReset()
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

    /// <summary>VmRSS in bytes.</summary>
    public static long CurrentBytes() => StatusKb("VmRSS:") * 1024L;

    /// <summary>VmHWM (peak resident size since the last reset) in bytes.</summary>
    public static long PeakBytes() => StatusKb("VmHWM:") * 1024L;

    private static long StatusKb(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        throw new InvalidOperationException($"/proc/self/status has no {key} line.");
    }
}
