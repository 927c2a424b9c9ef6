namespace OrzDynamic.Core.Kernels;

/// <summary>
/// The weights of the next matrix product of a decoding step, split as its threads will read them: one range per
/// thread share. <see cref="SmallBatchGemv"/> sets them when it has finished a product and reads them ahead in the
/// background; a long kernel in between that needs every worker (the split-key attention over a long cache) stops that
/// background read, takes the ranges instead and asks for them a slice per task, so the product after it starts
/// with its first lines in each core's L2 rather than in memory.
/// </summary>
internal static class WeightReadAhead
{
    private static Range[] _pending = [];

    /// <summary>One thread share's first bytes: <paramref name="Start"/> and <paramref name="Length"/>.</summary>
    internal readonly record struct Range(nint Start, long Length);

    /// <summary>Records the ranges of the next product (replacing any not taken).</summary>
    public static void Offer(Range[] ranges) => Volatile.Write(ref _pending, ranges);

    /// <summary>The ranges offered and not yet taken (empty when none), and forgets them.</summary>
    public static Range[] Take() => Interlocked.Exchange(ref _pending, []);

    /// <summary>
    /// Asks for slice <paramref name="slice"/> of <paramref name="slices"/> of <paramref name="range"/> to be brought into
    /// the cache (L2; never faults).
    /// </summary>
    public static unsafe void Fetch(Range range, int slice, int slices) =>
        CacheLines.Fetch((byte*)range.Start, range.Length, slice, slices, toL1: false);
}
