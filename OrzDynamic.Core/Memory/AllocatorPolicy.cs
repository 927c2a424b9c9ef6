using System.Runtime.InteropServices;

namespace OrzDynamic.Core.Memory;

/// <summary>
/// Keeps the process's peak resident memory near the memory actually in use. libtorch allocates tensors with glibc's
/// malloc, whose mmap threshold is dynamic: each freed mmapped block raises it (up to 32 MiB), so later blocks of
/// that size come from the heap, and a freed heap block is neither returned to the OS nor, at another size, reused.
/// Scoring a long answer frees buffers of every size layer after layer ([T, intermediate] MLP activations, attention
/// chunks), and the heap then grows by gigabytes above the live memory. Fixing the threshold at 128 KiB (glibc's
/// initial value, which also turns its dynamic adjustment off) gives every large tensor its own mapping, returned
/// to the OS when freed.
/// <para>
/// Applied once per process when Core is first used (Linux with glibc only). Skipped when the environment variable
/// <c>ORZDYNAMIC_MALLOC_TUNING=0</c> (the opt-out) or when the user tuned malloc already (<c>MALLOC_MMAP_THRESHOLD_</c>,
/// <c>MALLOC_TRIM_THRESHOLD_</c> or <c>GLIBC_TUNABLES</c> naming <c>glibc.malloc</c>).
/// </para>
/// </summary>
internal static class AllocatorPolicy
{
    /// <summary>The environment variable that turns the tuning off when set to <c>0</c>.</summary>
    public const string OptOutVariable = "ORZDYNAMIC_MALLOC_TUNING";

    /// <summary>The fixed mmap threshold: allocations of this size and more get their own mapping.</summary>
    public const int MmapThresholdBytes = 128 * 1024;

    private const int MMmapThreshold = -3;   // glibc's M_MMAP_THRESHOLD parameter number

    private static int _applied;

    /// <summary>Whether the tuning is in force in this process.</summary>
    public static bool IsApplied { get; private set; }

    /// <summary>Applies the tuning once per process (later calls do nothing); returns whether it is in force.</summary>
    public static bool EnsureApplied()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1) return IsApplied;
        if (!OperatingSystem.IsLinux() || UserChoseOtherwise()) return false;
        try
        {
            IsApplied = MallOpt(MMmapThreshold, MmapThresholdBytes) == 1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            IsApplied = false;    // not glibc (musl has no mallopt tuning)
        }
        return IsApplied;
    }

    private static bool UserChoseOtherwise()
    {
        if (Environment.GetEnvironmentVariable(OptOutVariable) == "0") return true;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_"))) return true;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_"))) return true;
        var tunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES");
        return tunables is not null && tunables.Contains("glibc.malloc", StringComparison.Ordinal);
    }

    // A plain DllImport (blittable signature, no marshalling): LibraryImport would need unsafe code in the library.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "mallopt", ExactSpelling = true)]
    private static extern int MallOpt(int parameter, int value);
#pragma warning restore SYSLIB1054
}
