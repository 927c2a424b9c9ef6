using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace OrzDynamic.Core.Kernels;

/// <summary>Software prefetch of a byte range, whole or a slice at a time (hints only: never faults, never changes a result).</summary>
internal static class CacheLines
{
    /// <summary>
    /// Asks for slice <paramref name="slice"/> of <paramref name="slices"/> of the 64-byte lines that cover
    /// [<paramref name="start"/>, start + <paramref name="bytes"/>) to be brought into L1 (<paramref name="toL1"/>) or L2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Fetch(byte* start, long bytes, int slice, int slices, bool toL1)
    {
        if (!Sse.IsSupported || bytes <= 0 || slices <= 0) return;
        var first = (byte*)((nint)start & ~(nint)63);
        var lines = (start + bytes - first + 63) / 64;
        for (long line = lines * slice / slices, to = lines * (slice + 1) / slices; line < to; line++)
        {
            if (toL1) Sse.Prefetch0(first + line * 64);
            else Sse.Prefetch1(first + line * 64);
        }
    }
}
