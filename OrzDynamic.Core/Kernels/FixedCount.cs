namespace OrzDynamic.Core.Kernels;

/// <summary>
/// A count fixed when a kernel is compiled. A kernel generic over one of the <see cref="FixedCount"/> structs is
/// compiled once per struct with <see cref="Value"/> as a constant, so the JIT folds it into offsets and drops the
/// branches it decides: head sizes for <see cref="SplitKeyAttention"/>, heads per pass for <see cref="LongRowChunk"/>.
/// </summary>
internal interface IFixedCount
{
    /// <summary>The count (0: not fixed, the kernel reads it at run time).</summary>
    static abstract int Value { get; }
}

/// <summary>The counts the kernels are compiled for.</summary>
internal static class FixedCount
{
    /// <summary>Not fixed: the kernel takes the count at run time.</summary>
    internal readonly struct AtRunTime : IFixedCount
    {
        public static int Value => 0;
    }

    /// <summary>1 (a pass of one head).</summary>
    internal readonly struct One : IFixedCount
    {
        public static int Value => 1;
    }

    /// <summary>2 (Qwen3-0.6B's query heads per key/value head).</summary>
    internal readonly struct Two : IFixedCount
    {
        public static int Value => 2;
    }

    /// <summary>3.</summary>
    internal readonly struct Three : IFixedCount
    {
        public static int Value => 3;
    }

    /// <summary>4 (Llama 3 8B, Mistral 7B).</summary>
    internal readonly struct Four : IFixedCount
    {
        public static int Value => 4;
    }

    /// <summary>5.</summary>
    internal readonly struct Five : IFixedCount
    {
        public static int Value => 5;
    }

    /// <summary>6 (Qwen2.5-1.5B).</summary>
    internal readonly struct Six : IFixedCount
    {
        public static int Value => 6;
    }

    /// <summary>7 (Qwen2.5-0.5B, 7B).</summary>
    internal readonly struct Seven : IFixedCount
    {
        public static int Value => 7;
    }

    /// <summary>8, a full pass of <see cref="LongRowChunk"/>.</summary>
    internal readonly struct Eight : IFixedCount
    {
        public static int Value => 8;
    }

    /// <summary>Head size 64 (Qwen2.5, Llama 3.2 1B, …).</summary>
    internal readonly struct SixtyFour : IFixedCount
    {
        public static int Value => 64;
    }

    /// <summary>Head size 128 (Qwen3, Llama 3 8B, Mistral, …).</summary>
    internal readonly struct OneHundredTwentyEight : IFixedCount
    {
        public static int Value => 128;
    }
}
