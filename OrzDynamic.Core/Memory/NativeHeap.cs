using System.Runtime.InteropServices;

namespace OrzDynamic.Core.Memory;

/// <summary>
/// Returns freed native memory to the operating system. libtorch allocates tensors with malloc; glibc keeps freed
/// heap memory (and raises its mmap threshold after large frees), so a process's RSS stays at the high-water mark of
/// the largest batch seen so far (longest prompt, longest answer) even though the memory is free. Calling
/// <see cref="Trim"/> after each batch keeps RSS near what the current batch needs. A no-op where glibc's
/// <c>malloc_trim</c> is not available (other OSes, musl), and when the environment variable <c>ORZDYNAMIC_MALLOC_TRIM=0</c>
/// turns it off (to measure its effect).
/// </summary>
internal static class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("ORZDYNAMIC_MALLOC_TRIM") == "0";

    /// <summary>Releases free heap memory at the top and inside the arenas; returns whether any was released.</summary>
    public static bool Trim()
    {
        if (_unavailable) return false;
        try
        {
            return MallocTrim(0) != 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return false;
        }
    }

    // A plain DllImport (blittable signature, no marshalling): LibraryImport would need unsafe code in the library.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "malloc_trim", ExactSpelling = true)]
    private static extern int MallocTrim(nuint pad);
#pragma warning restore SYSLIB1054
}
