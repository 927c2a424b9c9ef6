using System.Runtime.InteropServices;

namespace OrzDynamic.Metrics.Runtime;

/// <summary>
/// Asks libtorch's OpenMP runtime (GNU libgomp on Linux) to put its idle threads to sleep at once
/// (<c>OMP_WAIT_POLICY=PASSIVE</c>) instead of spinning for a while after every parallel region. OrzDynamic runs its own
/// vectorised CPU kernels between libtorch operations (the metrics reduction, the decoding-step GEMV); on a machine
/// with few cores a spinning OpenMP thread holds the core those kernels need, and a decoding step measured 34 ms with
/// passive waiting against 52 ms without (Qwen2.5-0.5B shape, bfloat16, 2 cores). libgomp reads the variable once,
/// when libtorch is loaded, so this runs from the module initializers that register the native loader — before
/// TorchSharp can be touched. A value the user set is left alone; <c>ORZDYNAMIC_OMP_PASSIVE=0</c> turns this off.
/// </summary>
public static class OpenMpWaitPolicy
{
    /// <summary>The OpenMP variable this sets.</summary>
    public const string Variable = "OMP_WAIT_POLICY";

    /// <summary>Environment variable that turns this off when set to <c>0</c>, <c>false</c> or <c>off</c>.</summary>
    public const string DisableVariable = "ORZDYNAMIC_OMP_PASSIVE";

    private static int _applied;

    /// <summary>True when this process set <see cref="Variable"/> (it was unset and this was not turned off).</summary>
    public static bool SetByOrzDynamic { get; private set; }

    /// <summary>Sets OMP_WAIT_POLICY=PASSIVE in the native environment when it is unset (Linux; idempotent).</summary>
    public static void Apply()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (Interlocked.Exchange(ref _applied, 1) == 1) return;
        if (Environment.GetEnvironmentVariable(DisableVariable)?.Trim().ToLowerInvariant() is "0" or "false" or "off" or "no") return;
        try
        {
            if (getenv(Variable) != IntPtr.Zero) return;
            SetByOrzDynamic = setenv(Variable, "PASSIVE", 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc/musl: leave the runtime's default.
        }
    }

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern IntPtr getenv(string name);

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
