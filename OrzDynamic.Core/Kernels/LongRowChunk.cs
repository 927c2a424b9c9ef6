using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OrzDynamic.Core.Kernels;

/// <summary>
/// One chunk of <see cref="SplitKeyAttention"/> for a row that sees more than <see cref="SplitKeyAttention.ChunkKeys"/>
/// keys of a bfloat16 cache, on 512-bit vectors, straight from the cache rows (no float32 copy of a block):
/// <list type="bullet">
/// <item>Scores, sixteen keys at a time. Each 64-byte line of the sixteen key rows (32 bfloat16, read as 16 words of
/// two) is transposed in registers, so that one vector holds one pair of elements of all sixteen keys; its two halves
/// become float32 by a shift and a mask. Every query head of the group multiplies it by its broadcast element and adds
/// it to its own vector of sixteen scores: each score is one multiply–add chain over D in element order, with no
/// reduction across lanes, and each key line is read and converted once for all the heads.</item>
/// <item>Σ p·v, 32 elements of D at a time: each value line is converted in registers (even and odd elements) and
/// added, weighted, into every head's two accumulators; each output element sums over the keys in order, as
/// <see cref="SplitKeyAttention"/>'s short rows do.</item>
/// </list>
/// Heads go in passes of at most eight (eight score vectors beside a transposed line, or sixteen value accumulators,
/// fit the 32 vector registers). The next chunk's rows are asked into L2 one line per step of the arithmetic (hints
/// only: a line past the cache's end is never read). The
/// arithmetic depends only on the row's own keys, so a row's result is the same bits whatever its padding, its
/// batch-mates and the thread count; rows of at most <see cref="SplitKeyAttention.ChunkKeys"/> keys never come here
/// (their numbers stay those of the eight-key kernels).
/// </summary>
internal static class LongRowChunk
{
    /// <summary>Keys scored together (one per lane of a 512-bit vector).</summary>
    internal const int GroupKeys = 16;

    /// <summary>Query heads per pass (each needs one score vector, or two accumulators for the values).</summary>
    private const int PassHeads = 8;

    /// <summary>Set to false (benchmarks) to run long rows on <see cref="SplitKeyAttention"/>'s eight-key kernels too.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>
    /// True when a row that sees <paramref name="visible"/> keys of a cache of this kind takes this path: a bfloat16
    /// cache, D a multiple of 32 (whole 64-byte lines), 512-bit vectors, and more than one chunk of keys.
    /// </summary>
    public static bool Applies(bool bfloat16, int d, int visible) =>
        bfloat16 && d % 32 == 0 && visible > SplitKeyAttention.ChunkKeys && Avx512F.IsSupported && Enabled;

    /// <summary>Bytes of work space <see cref="Run"/> needs at head size <paramref name="d"/>: key row addresses and a zero row.</summary>
    public static int WorkBytes(int d) => (SplitKeyAttention.ChunkKeys + GroupKeys) * sizeof(long) + d * 2;

    /// <summary>
    /// Keys [<paramref name="first"/>, first + <paramref name="count"/>) of the row's visible keys (cache slots
    /// <paramref name="slots"/>[0 …) or, without padding, first …) of one key/value head, for its
    /// <paramref name="g"/> query heads (float32, <paramref name="queries"/>, G × D): per head, the chunk's maximum score,
    /// its sum of e^(s − max) and Σ e^(s − max)·v into <paramref name="partial"/> (G × (2 + D) floats).
    /// <paramref name="scores"/> (G × <see cref="SplitKeyAttention.ChunkKeys"/> floats) and <paramref name="work"/>
    /// (<see cref="WorkBytes"/>, 64-byte aligned) are work space. While the chunk is worked on, the next
    /// <paramref name="following"/> keys (consecutive slots) are asked into L2, a line per step of the arithmetic.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(byte* keys, byte* values, int* slots, int first, int count, int following, int d, int g, float* queries,
        float scale, float* scores, byte* work, float* partial)
    {
        var rowBytes = d * 2L;
        // The address of each key row of the chunk, then zero rows up to a whole group (their scores are masked).
        var zero = work + (SplitKeyAttention.ChunkKeys + GroupKeys) * sizeof(long);
        new Span<byte>(zero, d * 2).Clear();
        var rows = (byte**)work;
        var groups = (count + GroupKeys - 1) / GroupKeys;
        if (slots is null)
        {
            // Eight addresses per step: first + t … first + t + 7 rows on.
            var step = Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7) * rowBytes + Vector512.Create((long)(keys + first * rowBytes));
            for (var t = 0; t < count; t += 8) (step + Vector512.Create(t * rowBytes)).Store((long*)rows + t);
        }
        else
        {
            for (var t = 0; t < count; t++) rows[t] = keys + slots[t] * rowBytes;
        }
        for (var t = count; t < groups * GroupKeys; t++) rows[t] = zero;

        // The next chunk's rows are asked into L2 a line at a time between the multiply–adds: its keys while this chunk's
        // are scored (the rows of group j while group j is), its values while these values are added. Without a next chunk
        // (or with prefetching off) the hints point at this chunk's own first rows, which are cached already.
        var fetching = following > 0 && SplitKeyAttention.Prefetching;
        var ahead = fetching ? (first + count) * rowBytes : (slots is null ? first : slots[0]) * rowBytes;
        for (var group = 0; group < groups; group++)
            for (var h = 0; h < g; h += PassHeads)
                ScoreGroup(rows + group * GroupKeys, d, Math.Min(PassHeads, g - h), queries + h * d, scale, scores + h * SplitKeyAttention.ChunkKeys + group * GroupKeys,
                    keys + ahead + (fetching ? group * GroupKeys * rowBytes : 0));
        var width = (count + 7) & ~7;
        for (var h = 0; h < g; h++)
        {
            var p = partial + h * (d + 2);
            p[1] = SplitKeyAttention.Softmax(scores + h * SplitKeyAttention.ChunkKeys, count, width, out p[0]);
        }
        var valueShift = values - keys;
        for (var h = 0; h < g; h += PassHeads)
            for (var slice = 0; slice < d; slice += 32)
                AccumulateSlice(rows, valueShift + slice * 2, count, Math.Min(PassHeads, g - h), scores + h * SplitKeyAttention.ChunkKeys,
                    partial + h * (d + 2) + 2 + slice, d + 2, values + ahead + slice * 2, fetching ? rowBytes : 0);
    }

    /// <summary>Scores of sixteen keys (row addresses <paramref name="rows"/>) for <paramref name="heads"/> heads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ScoreGroup(byte** rows, int d, int heads, float* q, float scale, float* scores, byte* ahead)
    {
        switch (heads)
        {
            case 1: ScoreGroup<FixedCount.One>(rows, d, q, scale, scores, ahead); break;
            case 2: ScoreGroup<FixedCount.Two>(rows, d, q, scale, scores, ahead); break;
            case 3: ScoreGroup<FixedCount.Three>(rows, d, q, scale, scores, ahead); break;
            case 4: ScoreGroup<FixedCount.Four>(rows, d, q, scale, scores, ahead); break;
            case 5: ScoreGroup<FixedCount.Five>(rows, d, q, scale, scores, ahead); break;
            case 6: ScoreGroup<FixedCount.Six>(rows, d, q, scale, scores, ahead); break;
            case 7: ScoreGroup<FixedCount.Seven>(rows, d, q, scale, scores, ahead); break;
            default: ScoreGroup<FixedCount.Eight>(rows, d, q, scale, scores, ahead); break;
        }
    }

    /// <summary>Σ p·v of one 32-element slice for <paramref name="heads"/> heads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AccumulateSlice(byte** rows, long shift, int count, int heads, float* p, float* o, int stride, byte* ahead, long aheadStride)
    {
        switch (heads)
        {
            case 1: AccumulateSlice<FixedCount.One>(rows, shift, count, p, o, stride, ahead, aheadStride); break;
            case 2: AccumulateSlice<FixedCount.Two>(rows, shift, count, p, o, stride, ahead, aheadStride); break;
            case 3: AccumulateSlice<FixedCount.Three>(rows, shift, count, p, o, stride, ahead, aheadStride); break;
            case 4: AccumulateSlice<FixedCount.Four>(rows, shift, count, p, o, stride, ahead, aheadStride); break;
            case 5: AccumulateSlice<FixedCount.Five>(rows, shift, count, p, o, stride, ahead, aheadStride); break;
            case 6: AccumulateSlice<FixedCount.Six>(rows, shift, count, p, o, stride, ahead, aheadStride); break;
            case 7: AccumulateSlice<FixedCount.Seven>(rows, shift, count, p, o, stride, ahead, aheadStride); break;
            default: AccumulateSlice<FixedCount.Eight>(rows, shift, count, p, o, stride, ahead, aheadStride); break;
        }
    }

    /// <summary>
    /// scores[h·ChunkKeys + j] = (q_h · key j) · scale for the sixteen keys and <typeparamref name="THeads"/> heads
    /// (q_h = <paramref name="q"/> + h·D): per 64-byte line of the key rows, a 16 × 16 transpose of 32-bit words (four
    /// rounds of sixteen shuffles), then per word two multiply–adds per head. The transpose is written out on purpose
    /// (sixteen registers in flight; a loop over arrays would live in memory).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ScoreGroup<THeads>(byte** rows, int d, float* q, float scale, float* scores, byte* ahead) where THeads : struct, IFixedCount
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (var line = 0; line < d * 2; line += 64)
        {
            var r0 = Vector512.Load((uint*)(rows[0] + line));
            var r1 = Vector512.Load((uint*)(rows[1] + line));
            var r2 = Vector512.Load((uint*)(rows[2] + line));
            var r3 = Vector512.Load((uint*)(rows[3] + line));
            var r4 = Vector512.Load((uint*)(rows[4] + line));
            var r5 = Vector512.Load((uint*)(rows[5] + line));
            var r6 = Vector512.Load((uint*)(rows[6] + line));
            var r7 = Vector512.Load((uint*)(rows[7] + line));
            var r8 = Vector512.Load((uint*)(rows[8] + line));
            var r9 = Vector512.Load((uint*)(rows[9] + line));
            var r10 = Vector512.Load((uint*)(rows[10] + line));
            var r11 = Vector512.Load((uint*)(rows[11] + line));
            var r12 = Vector512.Load((uint*)(rows[12] + line));
            var r13 = Vector512.Load((uint*)(rows[13] + line));
            var r14 = Vector512.Load((uint*)(rows[14] + line));
            var r15 = Vector512.Load((uint*)(rows[15] + line));
            // Round 1, words of key pairs interleaved: t(2i) = [k(2i)w0, k(2i+1)w0, k(2i)w1, k(2i+1)w1] per 128-bit block.
            var t0 = Avx512F.UnpackLow(r0, r1);
            var t1 = Avx512F.UnpackHigh(r0, r1);
            var t2 = Avx512F.UnpackLow(r2, r3);
            var t3 = Avx512F.UnpackHigh(r2, r3);
            var t4 = Avx512F.UnpackLow(r4, r5);
            var t5 = Avx512F.UnpackHigh(r4, r5);
            var t6 = Avx512F.UnpackLow(r6, r7);
            var t7 = Avx512F.UnpackHigh(r6, r7);
            var t8 = Avx512F.UnpackLow(r8, r9);
            var t9 = Avx512F.UnpackHigh(r8, r9);
            var t10 = Avx512F.UnpackLow(r10, r11);
            var t11 = Avx512F.UnpackHigh(r10, r11);
            var t12 = Avx512F.UnpackLow(r12, r13);
            var t13 = Avx512F.UnpackHigh(r12, r13);
            var t14 = Avx512F.UnpackLow(r14, r15);
            var t15 = Avx512F.UnpackHigh(r14, r15);
            // Round 2, pairs of words: each 128-bit block holds one word of four keys (block b: word 4b + the offset).
            r0 = UnpackLow64(t0, t2);   // word 0 (+4b) of keys 0–3
            r1 = UnpackHigh64(t0, t2);  // word 1
            r2 = UnpackLow64(t1, t3);   // word 2
            r3 = UnpackHigh64(t1, t3);  // word 3
            r4 = UnpackLow64(t4, t6);   // keys 4–7
            r5 = UnpackHigh64(t4, t6);
            r6 = UnpackLow64(t5, t7);
            r7 = UnpackHigh64(t5, t7);
            r8 = UnpackLow64(t8, t10);  // keys 8–11
            r9 = UnpackHigh64(t8, t10);
            r10 = UnpackLow64(t9, t11);
            r11 = UnpackHigh64(t9, t11);
            r12 = UnpackLow64(t12, t14); // keys 12–15
            r13 = UnpackHigh64(t12, t14);
            r14 = UnpackLow64(t13, t15);
            r15 = UnpackHigh64(t13, t15);
            // Round 3, blocks of keys 0–3 with 4–7 and 8–11 with 12–15: even blocks (words 0–3, 8–11) and odd blocks (4–7, 12–15).
            t0 = Avx512F.Shuffle4x128(r0, r4, 0x88);
            t1 = Avx512F.Shuffle4x128(r0, r4, 0xDD);
            t2 = Avx512F.Shuffle4x128(r1, r5, 0x88);
            t3 = Avx512F.Shuffle4x128(r1, r5, 0xDD);
            t4 = Avx512F.Shuffle4x128(r2, r6, 0x88);
            t5 = Avx512F.Shuffle4x128(r2, r6, 0xDD);
            t6 = Avx512F.Shuffle4x128(r3, r7, 0x88);
            t7 = Avx512F.Shuffle4x128(r3, r7, 0xDD);
            t8 = Avx512F.Shuffle4x128(r8, r12, 0x88);
            t9 = Avx512F.Shuffle4x128(r8, r12, 0xDD);
            t10 = Avx512F.Shuffle4x128(r9, r13, 0x88);
            t11 = Avx512F.Shuffle4x128(r9, r13, 0xDD);
            t12 = Avx512F.Shuffle4x128(r10, r14, 0x88);
            t13 = Avx512F.Shuffle4x128(r10, r14, 0xDD);
            t14 = Avx512F.Shuffle4x128(r11, r15, 0x88);
            t15 = Avx512F.Shuffle4x128(r11, r15, 0xDD);
            // Round 4: one word of all sixteen keys per vector (word w of the line: its elements 2w and 2w + 1).
            var e = (float*)q + line / 2;
            var f = ahead + line * GroupKeys; // the line-th sixteenth of the next rows, a line per word
            Word<THeads>(Avx512F.Shuffle4x128(t0, t8, 0x88), e, d, f + 0, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);      // word 0
            Word<THeads>(Avx512F.Shuffle4x128(t2, t10, 0x88), e + 2, d, f + 64, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7); // word 1
            Word<THeads>(Avx512F.Shuffle4x128(t4, t12, 0x88), e + 4, d, f + 128, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
            Word<THeads>(Avx512F.Shuffle4x128(t6, t14, 0x88), e + 6, d, f + 192, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
            Word<THeads>(Avx512F.Shuffle4x128(t1, t9, 0x88), e + 8, d, f + 256, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
            Word<THeads>(Avx512F.Shuffle4x128(t3, t11, 0x88), e + 10, d, f + 320, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
            Word<THeads>(Avx512F.Shuffle4x128(t5, t13, 0x88), e + 12, d, f + 384, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
            Word<THeads>(Avx512F.Shuffle4x128(t7, t15, 0x88), e + 14, d, f + 448, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
            Word<THeads>(Avx512F.Shuffle4x128(t0, t8, 0xDD), e + 16, d, f + 512, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
            Word<THeads>(Avx512F.Shuffle4x128(t2, t10, 0xDD), e + 18, d, f + 576, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
            Word<THeads>(Avx512F.Shuffle4x128(t4, t12, 0xDD), e + 20, d, f + 640, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
            Word<THeads>(Avx512F.Shuffle4x128(t6, t14, 0xDD), e + 22, d, f + 704, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
            Word<THeads>(Avx512F.Shuffle4x128(t1, t9, 0xDD), e + 24, d, f + 768, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
            Word<THeads>(Avx512F.Shuffle4x128(t3, t11, 0xDD), e + 26, d, f + 832, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
            Word<THeads>(Avx512F.Shuffle4x128(t5, t13, 0xDD), e + 28, d, f + 896, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
            Word<THeads>(Avx512F.Shuffle4x128(t7, t15, 0xDD), e + 30, d, f + 960, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
        }
        var factor = Vector512.Create(scale);
        const int stride = SplitKeyAttention.ChunkKeys;
        (a0 * factor).Store(scores);
        if (THeads.Value > 1) (a1 * factor).Store(scores + stride);
        if (THeads.Value > 2) (a2 * factor).Store(scores + 2 * stride);
        if (THeads.Value > 3) (a3 * factor).Store(scores + 3 * stride);
        if (THeads.Value > 4) (a4 * factor).Store(scores + 4 * stride);
        if (THeads.Value > 5) (a5 * factor).Store(scores + 5 * stride);
        if (THeads.Value > 6) (a6 * factor).Store(scores + 6 * stride);
        if (THeads.Value > 7) (a7 * factor).Store(scores + 7 * stride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> UnpackLow64(Vector512<uint> a, Vector512<uint> b) => Avx512F.UnpackLow(a.AsUInt64(), b.AsUInt64()).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> UnpackHigh64(Vector512<uint> a, Vector512<uint> b) => Avx512F.UnpackHigh(a.AsUInt64(), b.AsUInt64()).AsUInt32();

    /// <summary>
    /// One word (elements e and e + 1) of sixteen keys into each head's scores: a_h += q_h[e]·even + q_h[e+1]·odd, where
    /// <paramref name="q"/> points at q_0[e] and heads are <paramref name="d"/> floats apart; the line at
    /// <paramref name="fetch"/> is asked into L2 meanwhile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Word<THeads>(Vector512<uint> word, float* q, int d, byte* fetch, ref Vector512<float> a0, ref Vector512<float> a1, ref Vector512<float> a2,
        ref Vector512<float> a3, ref Vector512<float> a4, ref Vector512<float> a5, ref Vector512<float> a6, ref Vector512<float> a7)
        where THeads : struct, IFixedCount
    {
        Sse.Prefetch1(fetch);
        BFloat16Bits.SplitPairs(word, out var even, out var odd);
        a0 = Vector512.FusedMultiplyAdd(Vector512.Create(q[0]), even, a0);
        if (THeads.Value > 1) a1 = Vector512.FusedMultiplyAdd(Vector512.Create(q[d]), even, a1);
        if (THeads.Value > 2) a2 = Vector512.FusedMultiplyAdd(Vector512.Create(q[2 * d]), even, a2);
        if (THeads.Value > 3) a3 = Vector512.FusedMultiplyAdd(Vector512.Create(q[3 * d]), even, a3);
        if (THeads.Value > 4) a4 = Vector512.FusedMultiplyAdd(Vector512.Create(q[4 * d]), even, a4);
        if (THeads.Value > 5) a5 = Vector512.FusedMultiplyAdd(Vector512.Create(q[5 * d]), even, a5);
        if (THeads.Value > 6) a6 = Vector512.FusedMultiplyAdd(Vector512.Create(q[6 * d]), even, a6);
        if (THeads.Value > 7) a7 = Vector512.FusedMultiplyAdd(Vector512.Create(q[7 * d]), even, a7);
        a0 = Vector512.FusedMultiplyAdd(Vector512.Create(q[1]), odd, a0);
        if (THeads.Value > 1) a1 = Vector512.FusedMultiplyAdd(Vector512.Create(q[d + 1]), odd, a1);
        if (THeads.Value > 2) a2 = Vector512.FusedMultiplyAdd(Vector512.Create(q[2 * d + 1]), odd, a2);
        if (THeads.Value > 3) a3 = Vector512.FusedMultiplyAdd(Vector512.Create(q[3 * d + 1]), odd, a3);
        if (THeads.Value > 4) a4 = Vector512.FusedMultiplyAdd(Vector512.Create(q[4 * d + 1]), odd, a4);
        if (THeads.Value > 5) a5 = Vector512.FusedMultiplyAdd(Vector512.Create(q[5 * d + 1]), odd, a5);
        if (THeads.Value > 6) a6 = Vector512.FusedMultiplyAdd(Vector512.Create(q[6 * d + 1]), odd, a6);
        if (THeads.Value > 7) a7 = Vector512.FusedMultiplyAdd(Vector512.Create(q[7 * d + 1]), odd, a7);
    }

    /// <summary>
    /// o_h[0 … 32) = Σₜ p_h[t]·v_t[0 … 32) over t &lt; <paramref name="count"/> in order, for <typeparamref name="THeads"/>
    /// heads (p_h = <paramref name="p"/> + h·ChunkKeys, o_h = <paramref name="o"/> + h·<paramref name="stride"/>); value
    /// row t's slice is at rows[t] + <paramref name="shift"/>. Its 32 bfloat16 become float32 as the even and the odd
    /// elements (a shift and a mask), each head adds into two accumulators, and the two are interleaved at the end. Per
    /// key, the line at <paramref name="ahead"/> + t·<paramref name="aheadStride"/> is asked into L2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AccumulateSlice<THeads>(byte** rows, long shift, int count, float* p, float* o, int stride, byte* ahead, long aheadStride)
        where THeads : struct, IFixedCount
    {
        const int s = SplitKeyAttention.ChunkKeys;
        Vector512<float> e0 = default, o0 = default, e1 = default, o1 = default, e2 = default, o2 = default, e3 = default, o3 = default;
        Vector512<float> e4 = default, o4 = default, e5 = default, o5 = default, e6 = default, o6 = default, e7 = default, o7 = default;
        for (var t = 0; t < count; t++)
        {
            var word = Vector512.Load((uint*)(rows[t] + shift));
            Sse.Prefetch1(ahead + t * aheadStride);
            BFloat16Bits.SplitPairs(word, out var even, out var odd);
            var w = p + t;
            Add(w[0], even, odd, ref e0, ref o0);
            if (THeads.Value > 1) Add(w[s], even, odd, ref e1, ref o1);
            if (THeads.Value > 2) Add(w[2 * s], even, odd, ref e2, ref o2);
            if (THeads.Value > 3) Add(w[3 * s], even, odd, ref e3, ref o3);
            if (THeads.Value > 4) Add(w[4 * s], even, odd, ref e4, ref o4);
            if (THeads.Value > 5) Add(w[5 * s], even, odd, ref e5, ref o5);
            if (THeads.Value > 6) Add(w[6 * s], even, odd, ref e6, ref o6);
            if (THeads.Value > 7) Add(w[7 * s], even, odd, ref e7, ref o7);
        }
        Interleave(e0, o0, o);
        if (THeads.Value > 1) Interleave(e1, o1, o + stride);
        if (THeads.Value > 2) Interleave(e2, o2, o + 2 * stride);
        if (THeads.Value > 3) Interleave(e3, o3, o + 3 * stride);
        if (THeads.Value > 4) Interleave(e4, o4, o + 4 * stride);
        if (THeads.Value > 5) Interleave(e5, o5, o + 5 * stride);
        if (THeads.Value > 6) Interleave(e6, o6, o + 6 * stride);
        if (THeads.Value > 7) Interleave(e7, o7, o + 7 * stride);
    }

    /// <summary>One head's weight <paramref name="p"/> times a value line's even and odd elements, into its two accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float p, Vector512<float> even, Vector512<float> odd, ref Vector512<float> sumEven, ref Vector512<float> sumOdd)
    {
        var weight = Vector512.Create(p);
        sumEven = Vector512.FusedMultiplyAdd(weight, even, sumEven);
        sumOdd = Vector512.FusedMultiplyAdd(weight, odd, sumOdd);
    }

    /// <summary>The 32 elements whose even ones are <paramref name="even"/> and odd ones <paramref name="odd"/>, in order at <paramref name="o"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Interleave(Vector512<float> even, Vector512<float> odd, float* o)
    {
        var low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        var high = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        Avx512F.PermuteVar16x32x2(even, low, odd).Store(o);
        Avx512F.PermuteVar16x32x2(even, high, odd).Store(o + 16);
    }
}
