using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OrzDynamic.Metrics.Kernels;
using OrzDynamic.Metrics.Runtime;

namespace OrzDynamic.Core.Kernels;

/// <summary>
/// The attention of one decoding step over the cache, split along the keys (flash-decoding): for each row, key/value
/// head and chunk of <see cref="ChunkKeys"/> visible keys, one task scores the chunk's keys for the G query heads that
/// share the key/value head, takes the chunk's softmax (its maximum, its sum of exponentials) and sums p·v; the
/// chunks of a row are then combined, each weighted by e^(its maximum − the row's maximum).
/// <para>
/// Each key and value block is read from the cache once (in its dtype) and converted to float32 into a small block
/// that all G heads use while it sits in L1; the scores of a chunk (G × <see cref="ChunkKeys"/> floats) stay in L1
/// too, so a long cache is read once per step at close to the rate the cores can multiply and add. Tasks are spread
/// over <see cref="KernelWorkers"/>, so even batch 1 with one key/value head uses every core on a long cache.
/// </para>
/// <para>
/// The chunks depend only on the number of keys a row sees, and the keys are gathered in order first (skipping
/// padding), so a row's result is the same bits whatever its padding, its batch-mates and the thread count. A row
/// that sees at most <see cref="ChunkKeys"/> keys is one chunk and no combination takes place.
/// </para>
/// <para>
/// The chunks of a longer row over a bfloat16 cache go to <see cref="LongRowChunk"/> where the CPU has 512-bit vectors:
/// it reads the cache rows in place and scores sixteen keys per pass without lane reductions, in a little over half
/// the time on a long cache. Rows of one chunk keep the eight-key kernels below, so short answers keep their numbers.
/// </para>
/// <para>
/// Every method that runs per block is compiled fully optimised from its first call
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>): the tiered JIT's first, instrumented code updates shared
/// counters, and two threads running it at once slowed the step several times over until it was replaced.
/// </para>
/// </summary>
internal static class SplitKeyAttention
{
    /// <summary>Visible keys per task (a multiple of <see cref="KeyBlock"/>'s eight-key groups).</summary>
    internal const int ChunkKeys = 256;

    /// <summary>
    /// Whether each task asks for its next block while it works on the current one, and for the next product's weights
    /// (<see cref="WeightReadAhead"/>) between tasks (benchmarks turn it off to compare).
    /// </summary>
    internal static bool Prefetching { get; set; } = true;

    /// <summary>
    /// Multiply–adds of one step (keys × heads × rows × D, for q·k and again for the values) below which it runs on
    /// the calling thread: 2^18, about 40 µs of arithmetic here, several times a hand-off to a worker.
    /// </summary>
    private const long ParallelWork = 1L << 18;

    /// <summary>Float32 bytes of a converted key or value block: 16 KB, a half of L1.</summary>
    private const int BlockBytes = 16 * 1024;

    /// <summary>Keys per converted block at head size <paramref name="d"/>: a multiple of 8, at least 8.</summary>
    private static int KeyBlock(int d) => Math.Max(8, BlockBytes / 4 / d / 8 * 8);

    /// <summary>
    /// Attention from float32 queries [B, heads, D] (<paramref name="queries"/>) over cache slots
    /// [0, <paramref name="keyCount"/>) of <paramref name="keys"/> and <paramref name="values"/> [B, kvHeads, capacity, D]
    /// into <paramref name="output"/> [B, heads, …, D] (the storage's dtype); a row sees slot j when
    /// <paramref name="keyPadding"/>[b, j] is true (or it is null) and always its own, last slot.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Attend(float* queries, Tensor keys, Tensor values, Tensor output, int heads, long keyCount, Tensor? keyPadding)
    {
        int rows = (int)keys.size(0), kvHeads = (int)keys.size(1), capacity = (int)keys.size(2), d = (int)keys.size(3);
        var count = (int)keyCount;
        var g = heads / kvHeads;
        var padding = keyPadding is null ? null : (bool*)TensorMemory.Address(keyPadding);
        var paddingStride = keyPadding is null ? 0 : (int)keyPadding.size(1);
        // The slots each row sees, in order (only with padding: without, row r sees slots 0 … count − 1).
        var slots = padding is null ? null : ArrayPool<int>.Shared.Rent(rows * count);
        var visible = new int[rows];
        var firstTask = new int[rows + 1];
        for (var r = 0; r < rows; r++)
        {
            var n = count;
            if (slots is not null)
            {
                n = 0;
                var row = padding + (long)r * paddingStride;
                for (var j = 0; j < count; j++)
                    if (j == count - 1 || row[j]) slots[r * count + n++] = j;
            }
            visible[r] = n;
            firstTask[r + 1] = firstTask[r] + kvHeads * Chunks(n);
        }
        var tasks = firstTask[rows];
        var partials = ArrayPool<float>.Shared.Rent(tasks * g * (d + 2));
        try
        {
            fixed (int* slotList = slots)
            fixed (float* partial = partials)
            {
                var job = new Job((nint)queries, (nint)TensorMemory.Address(keys), (nint)TensorMemory.Address(values), (nint)slotList, heads, kvHeads, d,
                    capacity, count, keys.dtype == ScalarType.BFloat16, 1f / MathF.Sqrt(d), (nint)partial);
                var work = (long)visible.Sum() * g * kvHeads * d;
                var threads = Math.Max(1, torch.get_num_threads());
                var parts = work < ParallelWork ? 1 : Math.Clamp(threads, 1, tasks);
                // Handing tasks to the workers stops their background read of the next product's weights: each part
                // fetches its thread's share of them instead, a slice per task (see WeightReadAhead).
                var ahead = parts > 1 && Prefetching ? WeightReadAhead.Take() : [];
                KernelWorkers.Run(parts, part => RunTasks(job, visible, firstTask, (int)((long)tasks * part / parts), (int)((long)tasks * (part + 1) / parts),
                    part < ahead.Length ? ahead[part] : default));
                var op = (byte*)TensorMemory.Address(output);
                for (var r = 0; r < rows; r++)
                    for (var h = 0; h < kvHeads; h++)
                        Combine(job, partial, firstTask[r], Chunks(visible[r]), r, h, op);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partials);
            if (slots is not null) ArrayPool<int>.Shared.Return(slots);
        }
    }

    /// <summary>Chunks of a row that sees <paramref name="visible"/> keys.</summary>
    private static int Chunks(int visible) => (visible + ChunkKeys - 1) / ChunkKeys;

    /// <summary>
    /// Addresses and sizes of one step: float32 queries [B, heads, D], the cache storage, the rows' visible slots
    /// (B × KeyCount ints, row-major; 0 without padding) and the tasks' partial results (per task and head: maximum, sum,
    /// then D floats of Σ p·v).
    /// </summary>
    private readonly record struct Job(nint Q, nint Keys, nint Values, nint Slots, int Heads, int KvHeads, int D, int Capacity, int KeyCount,
        bool BFloat16, float Scale, nint Partials)
    {
        /// <summary>Query heads per key/value head (G).</summary>
        public int Group => Heads / KvHeads;

        /// <summary>Bytes of one cache element (2 for bfloat16, 4 for float32).</summary>
        public int ElementBytes => BFloat16 ? 2 : 4;

        /// <summary>
        /// Where the chunk of visible keys [<paramref name="first"/>, first + <paramref name="count"/>) of row
        /// <paramref name="row"/> and key/value head <paramref name="kvHead"/> lives: see <see cref="ChunkPlace"/>.
        /// </summary>
        public unsafe ChunkPlace Place(int row, int kvHead, int first, int count)
        {
            var headBytes = ((long)row * KvHeads + kvHead) * Capacity * D * ElementBytes;
            var slots = Slots == 0 ? null : (int*)Slots + (long)row * KeyCount + first;
            return new ChunkPlace((float*)Q + ((long)row * Heads + kvHead * Group) * D, (byte*)Keys + headBytes, (byte*)Values + headBytes, slots,
                slots is null ? Math.Min(ChunkKeys, KeyCount - first - count) : 0);
        }
    }

    /// <summary>
    /// A chunk's inputs: the G float32 queries of its key/value head, the head's key and value storage (slot 0), its
    /// visible slots (null without padding: slots first … follow on) and how many keys the next chunk of the row has
    /// (0 with padding, whose slots need not follow on: nothing is fetched ahead).
    /// </summary>
    private readonly unsafe ref struct ChunkPlace(float* queries, byte* keys, byte* values, int* slots, int following)
    {
        public readonly float* Queries = queries;
        public readonly byte* Keys = keys;
        public readonly byte* Values = values;
        public readonly int* Slots = slots;
        public readonly int Following = following;
    }

    /// <summary>
    /// Tasks [<paramref name="start"/>, <paramref name="end"/>) with one work space (a key block and a chunk's scores),
    /// fetching a slice of <paramref name="ahead"/> (the next product's weights read by this thread) after each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RunTasks(Job job, int[] visible, int[] firstTask, int start, int end, WeightReadAhead.Range ahead)
    {
        if (start >= end) return;
        int d = job.D, g = job.Group, block = KeyBlock(d);
        // The key block, the chunk's scores and the group's queries, from a 64-byte boundary: vector loads that cross a
        // cache line cost two, and the loops here are bound by their loads.
        // The long rows' chunks (LongRowChunk) use the scores and their own work space after the queries.
        var floats = ArrayPool<float>.Shared.Rent(block * d + g * ChunkKeys + g * d + 16 + LongRowChunk.WorkBytes(d) / 4 + 16);
        try
        {
            fixed (float* pinned = floats)
            {
                var space = (float*)(((nint)pinned + 63) & ~(nint)63);
                var row = 0;
                for (var task = start; task < end; task++)
                {
                    while (task >= firstTask[row + 1]) row++;
                    var chunks = Chunks(visible[row]);
                    var local = task - firstTask[row];
                    var first = local % chunks * ChunkKeys;
                    int kvHead = local / chunks, count = Math.Min(ChunkKeys, visible[row] - first);
                    float* scores = space + block * d, queries = scores + g * ChunkKeys, partial = (float*)job.Partials + (long)task * g * (d + 2);
                    if (LongRowChunk.Applies(job.BFloat16, d, visible[row]))
                    {
                        RunLongChunk(job, row, kvHead, first, count, scores, (byte*)(((nint)(queries + g * d) + 63) & ~(nint)63), partial);
                        WeightReadAhead.Fetch(ahead, task - start, end - start);
                        continue;
                    }
                    // The common head sizes get code compiled for their size (constant offsets, fewer live registers).
                    if (d == 64) RunChunk<FixedCount.SixtyFour>(job, row, kvHead, first, count, space, scores, queries, partial);
                    else if (d == 128) RunChunk<FixedCount.OneHundredTwentyEight>(job, row, kvHead, first, count, space, scores, queries, partial);
                    else RunChunk<FixedCount.AtRunTime>(job, row, kvHead, first, count, space, scores, queries, partial);
                    WeightReadAhead.Fetch(ahead, task - start, end - start);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(floats);
        }
    }

    /// <summary>
    /// Visible keys [<paramref name="first"/>, first + <paramref name="count"/>) of row <paramref name="row"/>, key/value
    /// head <paramref name="kvHead"/> and its G query heads: per head, the chunk's maximum score, its sum of e^(s − max)
    /// and Σ e^(s − max)·v into <paramref name="partial"/> (G × (2 + D) floats). <paramref name="block"/>,
    /// <paramref name="scores"/> and <paramref name="queries"/> are work space (a key block, G × <see cref="ChunkKeys"/>
    /// scores, the G queries).
    /// </summary>
    /// <remarks>
    /// Scores come eight keys at a time (eight multiply–add chains over D, then one transposing lane reduction), the
    /// last group padded with zero keys, so every score is reduced the same way; each output element accumulates p·v
    /// over the keys in order.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RunChunk<TSize>(Job job, int row, int kvHead, int first, int count, float* block, float* scores, float* queries, float* partial)
        where TSize : struct, IFixedCount
    {
        int d = TSize.Value == 0 ? job.D : TSize.Value, g = job.Group, size = job.ElementBytes, blockKeys = KeyBlock(d);
        var place = job.Place(row, kvHead, first, count);
        new ReadOnlySpan<float>(place.Queries, g * d).CopyTo(new Span<float>(queries, g * d));
        byte* keys = place.Keys, values = place.Values;
        var slots = place.Slots;
        var width = (count + 7) & ~7; // score rows padded to whole vectors (the padding lanes get weight 0)

        var rowBytes = (long)d * size;
        // The next chunk of this row and head (without padding: slots follow on), fetched into L2 a slice per block step
        // while this chunk is worked on, so its read has a whole chunk's arithmetic to hide behind.
        var following = place.Following;
        int step = 0, steps = 2 * ((count + blockKeys - 1) / blockKeys);
        for (var b = 0; b < count; b += blockKeys)
        {
            var n = Math.Min(blockKeys, count - b);
            Load(keys, slots is null ? null : slots + b, first + b, n, d, job.BFloat16, block);
            PrefetchChunk(keys, values, first + count, following, rowBytes, step++, steps);
            // While this block is scored, the memory system fetches the next one (keys, or the chunk's first values).
            if (b + n < count) Prefetch(keys, slots is null ? null : slots + b + n, first + b + n, Math.Min(blockKeys, count - b - n), rowBytes);
            else Prefetch(values, slots, first, Math.Min(blockKeys, count), rowBytes);
            var h = 0;
            for (; h + 2 <= g; h += 2)
                ScorePair(queries + h * d, queries + (h + 1) * d, block, n, d, job.Scale, scores + h * ChunkKeys + b, scores + (h + 1) * ChunkKeys + b);
            if (h < g) ScoreBlock(queries + h * d, block, n, d, job.Scale, scores + h * ChunkKeys + b);
        }
        for (var h = 0; h < g; h++)
        {
            var p = partial + h * (d + 2);
            p[1] = Softmax(scores + h * ChunkKeys, count, width, out p[0]);
            new Span<float>(p + 2, d).Clear();
        }
        for (var b = 0; b < count; b += blockKeys)
        {
            var n = Math.Min(blockKeys, count - b);
            Load(values, slots is null ? null : slots + b, first + b, n, d, job.BFloat16, block);
            PrefetchChunk(keys, values, first + count, following, rowBytes, step++, steps);
            if (b + n < count) Prefetch(values, slots is null ? null : slots + b + n, first + b + n, Math.Min(blockKeys, count - b - n), rowBytes);
            var h = 0;
            for (; h + 2 <= g && d % 64 == 0; h += 2)
                AccumulatePair(partial + h * (d + 2) + 2, partial + (h + 1) * (d + 2) + 2, block, scores + h * ChunkKeys + b, scores + (h + 1) * ChunkKeys + b, n, d);
            for (; h < g; h++) AccumulateBlock(partial + h * (d + 2) + 2, block, scores + h * ChunkKeys + b, n, d);
        }
    }

    /// <summary>
    /// <see cref="RunChunk{TSize}"/> for a row that <see cref="LongRowChunk"/> serves: the chunk's keys read straight
    /// from the bfloat16 cache, with <paramref name="work"/> (64-byte aligned) as its work space.
    /// </summary>
    private static unsafe void RunLongChunk(Job job, int row, int kvHead, int first, int count, float* scores, byte* work, float* partial)
    {
        var place = job.Place(row, kvHead, first, count);
        LongRowChunk.Run(place.Keys, place.Values, place.Slots, first, count, place.Following, job.D, job.Group, place.Queries, job.Scale, scores, work, partial);
    }

    /// <summary>
    /// Row, key/value head <paramref name="kvHead"/>: its chunks' partial results combined into the output of its G heads
    /// (one chunk: Σ p·v ÷ Σ p; several: each chunk weighted by e^(its maximum − the largest), in chunk order).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Combine(Job job, float* partials, int firstTask, int chunks, int row, int kvHead, byte* output)
    {
        int d = job.D, g = job.Group, stride = g * (d + 2), size = job.ElementBytes;
        var first = partials + (long)(firstTask + kvHead * chunks) * stride;
        Span<float> sums = d <= 256 ? stackalloc float[d] : new float[d];
        fixed (float* o = sums)
        {
            for (var h = 0; h < g; h++)
            {
                var head = first + h * (d + 2);
                float inverse;
                if (chunks == 1)
                {
                    new Span<float>(head + 2, d).CopyTo(sums);
                    inverse = 1f / head[1];
                }
                else
                {
                    var max = float.NegativeInfinity;
                    var nan = false;
                    for (var c = 0; c < chunks; c++)
                    {
                        var part = head + (long)c * stride;
                        nan |= float.IsNaN(part[1]);
                        max = MathF.Max(max, part[0]);
                    }
                    sums.Clear();
                    var total = 0f;
                    for (var c = 0; c < chunks; c++)
                    {
                        var part = head + (long)c * stride;
                        var weight = MathF.Exp(part[0] - max);
                        total += part[1] * weight;
                        var w = Vector256.Create(weight);
                        for (var i = 0; i < d; i += 8)
                            Vector256.FusedMultiplyAdd(w, Vector256.Load(part + 2 + i), Vector256.Load(o + i)).Store(o + i);
                    }
                    // A NaN or infinite score in any chunk: the head's output is NaN, as in libtorch, not a silent 0.
                    inverse = nan ? float.NaN : 1f / total;
                }
                for (var i = 0; i < d; i++) o[i] *= inverse;
                BFloat16Bits.FromFloat(o, job.BFloat16, output + ((long)row * job.Heads + kvHead * g + h) * d * size, d);
            }
        }
    }

    /// <summary>
    /// Visible keys [<paramref name="first"/>, first + <paramref name="count"/>) of a cache head ([capacity, D] in the
    /// storage dtype) as float32 [count, D], then zero rows up to the next multiple of 8: slots first … without padding,
    /// else slots[0 … count). A run of consecutive slots (no padding, or padding only before it) is converted in one pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Load(byte* head, int* slots, int first, int count, int d, bool bf16, float* block)
    {
        var size = bf16 ? 2 : 4;
        if (slots is null || slots[count - 1] - slots[0] == count - 1)
        {
            var start = slots is null ? first : slots[0];
            BFloat16Bits.ToFloat(head + (long)start * d * size, bf16, block, count * d);
        }
        else
        {
            for (var t = 0; t < count; t++) BFloat16Bits.ToFloat(head + (long)slots[t] * d * size, bf16, block + t * d, d);
        }
        var padded = (count + 7) & ~7;
        if (padded > count) new Span<float>(block + count * d, (padded - count) * d).Clear();
    }

    /// <summary>
    /// Asks for the cache rows of visible keys [<paramref name="first"/>, first + <paramref name="count"/>) to be brought
    /// into the cache (slots as <see cref="Load"/> takes them; only a run of consecutive slots), so their read overlaps
    /// the arithmetic on the block before them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Prefetch(byte* head, int* slots, int first, int count, long rowBytes)
    {
        if (count <= 0 || !Prefetching) return;
        if (slots is not null && slots[count - 1] - slots[0] != count - 1) return;
        CacheLines.Fetch(head + (slots is null ? first : slots[0]) * rowBytes, count * rowBytes, 0, 1, toL1: true);
    }

    /// <summary>
    /// Slice <paramref name="part"/> of <paramref name="parts"/> of the keys and values of slots [<paramref name="start"/>,
    /// start + <paramref name="count"/>) asked into L2: the first half of the parts (an even number) fetch the keys, the
    /// second half the values.
    /// </summary>
    private static unsafe void PrefetchChunk(byte* keys, byte* values, int start, int count, long rowBytes, int part, int parts)
    {
        if (count <= 0 || !Prefetching) return;
        var half = parts / 2;
        CacheLines.Fetch((part < half ? keys : values) + start * rowBytes, count * rowBytes, part % half, half, toL1: false);
    }

    /// <summary>
    /// scores[t] = (q · block[t]) · scale for t &lt; count, eight keys per pass (block holds zero rows up to a multiple
    /// of 8, so every pass runs whole).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void ScoreBlock(float* q, float* block, int count, int d, float scale, float* scores)
    {
        var factor = Vector256.Create(scale);
        for (var t = 0; t < count; t += 8)
        {
            float* k0 = block + t * d, k1 = k0 + d, k2 = k1 + d, k3 = k2 + d, k4 = k3 + d, k5 = k4 + d, k6 = k5 + d, k7 = k6 + d;
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (var i = 0; i < d; i += 8)
            {
                var qv = Vector256.Load(q + i);
                a0 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k0 + i), a0);
                a1 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k1 + i), a1);
                a2 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k2 + i), a2);
                a3 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k3 + i), a3);
                a4 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k4 + i), a4);
                a5 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k5 + i), a5);
                a6 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k6 + i), a6);
                a7 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k7 + i), a7);
            }
            var sums = LaneSums(a0, a1, a2, a3, a4, a5, a6, a7) * factor;
            if (count - t >= 8)
            {
                sums.Store(scores + t);
            }
            else
            {
                for (var j = 0; j < count - t; j++) scores[t + j] = sums.GetElement(j);
            }
        }
    }

    /// <summary>
    /// <see cref="ScoreBlock"/> for two heads at once (<paramref name="qa"/> into <paramref name="sa"/>, <paramref name="qb"/>
    /// into <paramref name="sb"/>): each key vector loaded once feeds both heads' chains, so the loop is bound by the
    /// multiply–adds rather than the loads. Each head's arithmetic is <see cref="ScoreBlock"/>'s, in the same order.
    /// The eight keys' chains are written out on purpose (a deliberate unroll: sixteen accumulators in registers).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void ScorePair(float* qa, float* qb, float* block, int count, int d, float scale, float* sa, float* sb)
    {
        var factor = Vector256.Create(scale);
        for (var t = 0; t < count; t += 8)
        {
            float* k0 = block + t * d, k1 = k0 + d, k2 = k1 + d, k3 = k2 + d, k4 = k3 + d, k5 = k4 + d, k6 = k5 + d, k7 = k6 + d;
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
            for (var i = 0; i < d; i += 8)
            {
                var va = Vector256.Load(qa + i);
                var vb = Vector256.Load(qb + i);
                var k = Vector256.Load(k0 + i);
                a0 = Vector256.FusedMultiplyAdd(va, k, a0);
                b0 = Vector256.FusedMultiplyAdd(vb, k, b0);
                k = Vector256.Load(k1 + i);
                a1 = Vector256.FusedMultiplyAdd(va, k, a1);
                b1 = Vector256.FusedMultiplyAdd(vb, k, b1);
                k = Vector256.Load(k2 + i);
                a2 = Vector256.FusedMultiplyAdd(va, k, a2);
                b2 = Vector256.FusedMultiplyAdd(vb, k, b2);
                k = Vector256.Load(k3 + i);
                a3 = Vector256.FusedMultiplyAdd(va, k, a3);
                b3 = Vector256.FusedMultiplyAdd(vb, k, b3);
                k = Vector256.Load(k4 + i);
                a4 = Vector256.FusedMultiplyAdd(va, k, a4);
                b4 = Vector256.FusedMultiplyAdd(vb, k, b4);
                k = Vector256.Load(k5 + i);
                a5 = Vector256.FusedMultiplyAdd(va, k, a5);
                b5 = Vector256.FusedMultiplyAdd(vb, k, b5);
                k = Vector256.Load(k6 + i);
                a6 = Vector256.FusedMultiplyAdd(va, k, a6);
                b6 = Vector256.FusedMultiplyAdd(vb, k, b6);
                k = Vector256.Load(k7 + i);
                a7 = Vector256.FusedMultiplyAdd(va, k, a7);
                b7 = Vector256.FusedMultiplyAdd(vb, k, b7);
            }
            var scoresA = LaneSums(a0, a1, a2, a3, a4, a5, a6, a7) * factor;
            var scoresB = LaneSums(b0, b1, b2, b3, b4, b5, b6, b7) * factor;
            if (count - t >= 8)
            {
                scoresA.Store(sa + t);
                scoresB.Store(sb + t);
            }
            else
            {
                for (var j = 0; j < count - t; j++)
                {
                    sa[t + j] = scoresA.GetElement(j);
                    sb[t + j] = scoresB.GetElement(j);
                }
            }
        }
    }

    /// <summary>
    /// <see cref="AccumulateBlock"/> for two heads at once (D a multiple of 64): each value vector loaded once feeds both
    /// heads' sums. Each head's arithmetic is <see cref="AccumulateBlock"/>'s, in the same order. The eight vectors of
    /// each head are written out on purpose (a deliberate unroll: sixteen accumulators in registers).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AccumulatePair(float* oa, float* ob, float* block, float* pa, float* pb, int count, int d)
    {
        for (var c = 0; c < d; c += 64)
        {
            var a0 = Vector256.Load(oa + c);
            var a1 = Vector256.Load(oa + c + 8);
            var a2 = Vector256.Load(oa + c + 16);
            var a3 = Vector256.Load(oa + c + 24);
            var a4 = Vector256.Load(oa + c + 32);
            var a5 = Vector256.Load(oa + c + 40);
            var a6 = Vector256.Load(oa + c + 48);
            var a7 = Vector256.Load(oa + c + 56);
            var b0 = Vector256.Load(ob + c);
            var b1 = Vector256.Load(ob + c + 8);
            var b2 = Vector256.Load(ob + c + 16);
            var b3 = Vector256.Load(ob + c + 24);
            var b4 = Vector256.Load(ob + c + 32);
            var b5 = Vector256.Load(ob + c + 40);
            var b6 = Vector256.Load(ob + c + 48);
            var b7 = Vector256.Load(ob + c + 56);
            for (var t = 0; t < count; t++)
            {
                var wa = Vector256.Create(pa[t]);
                var wb = Vector256.Create(pb[t]);
                var v = block + t * d + c;
                var x = Vector256.Load(v);
                a0 = Vector256.FusedMultiplyAdd(wa, x, a0);
                b0 = Vector256.FusedMultiplyAdd(wb, x, b0);
                x = Vector256.Load(v + 8);
                a1 = Vector256.FusedMultiplyAdd(wa, x, a1);
                b1 = Vector256.FusedMultiplyAdd(wb, x, b1);
                x = Vector256.Load(v + 16);
                a2 = Vector256.FusedMultiplyAdd(wa, x, a2);
                b2 = Vector256.FusedMultiplyAdd(wb, x, b2);
                x = Vector256.Load(v + 24);
                a3 = Vector256.FusedMultiplyAdd(wa, x, a3);
                b3 = Vector256.FusedMultiplyAdd(wb, x, b3);
                x = Vector256.Load(v + 32);
                a4 = Vector256.FusedMultiplyAdd(wa, x, a4);
                b4 = Vector256.FusedMultiplyAdd(wb, x, b4);
                x = Vector256.Load(v + 40);
                a5 = Vector256.FusedMultiplyAdd(wa, x, a5);
                b5 = Vector256.FusedMultiplyAdd(wb, x, b5);
                x = Vector256.Load(v + 48);
                a6 = Vector256.FusedMultiplyAdd(wa, x, a6);
                b6 = Vector256.FusedMultiplyAdd(wb, x, b6);
                x = Vector256.Load(v + 56);
                a7 = Vector256.FusedMultiplyAdd(wa, x, a7);
                b7 = Vector256.FusedMultiplyAdd(wb, x, b7);
            }
            a0.Store(oa + c);
            a1.Store(oa + c + 8);
            a2.Store(oa + c + 16);
            a3.Store(oa + c + 24);
            a4.Store(oa + c + 32);
            a5.Store(oa + c + 40);
            a6.Store(oa + c + 48);
            a7.Store(oa + c + 56);
            b0.Store(ob + c);
            b1.Store(ob + c + 8);
            b2.Store(ob + c + 16);
            b3.Store(ob + c + 24);
            b4.Store(ob + c + 32);
            b5.Store(ob + c + 40);
            b6.Store(ob + c + 48);
            b7.Store(ob + c + 56);
        }
    }

    /// <summary>Lane j of the result = the sum of the eight lanes of aj (a transposing reduction).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LaneSums(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        Vector256<float> a4, Vector256<float> a5, Vector256<float> a6, Vector256<float> a7)
    {
        var t0 = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
        var t1 = Avx.HorizontalAdd(Avx.HorizontalAdd(a4, a5), Avx.HorizontalAdd(a6, a7));
        return Avx.Permute2x128(t0, t1, 0x20) + Avx.Permute2x128(t0, t1, 0x31);
    }

    /// <summary>o += Σₜ p[t]·block[t] over t &lt; count in order, in registers 64 elements of D at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AccumulateBlock(float* o, float* block, float* p, int count, int d)
    {
        var c = 0;
        for (; c + 64 <= d; c += 64)
        {
            var o0 = Vector256.Load(o + c);
            var o1 = Vector256.Load(o + c + 8);
            var o2 = Vector256.Load(o + c + 16);
            var o3 = Vector256.Load(o + c + 24);
            var o4 = Vector256.Load(o + c + 32);
            var o5 = Vector256.Load(o + c + 40);
            var o6 = Vector256.Load(o + c + 48);
            var o7 = Vector256.Load(o + c + 56);
            for (var t = 0; t < count; t++)
            {
                var w = Vector256.Create(p[t]);
                var v = block + t * d + c;
                o0 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v), o0);
                o1 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 8), o1);
                o2 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 16), o2);
                o3 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 24), o3);
                o4 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 32), o4);
                o5 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 40), o5);
                o6 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 48), o6);
                o7 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 56), o7);
            }
            o0.Store(o + c);
            o1.Store(o + c + 8);
            o2.Store(o + c + 16);
            o3.Store(o + c + 24);
            o4.Store(o + c + 32);
            o5.Store(o + c + 40);
            o6.Store(o + c + 48);
            o7.Store(o + c + 56);
        }
        for (; c < d; c += 8)
        {
            var acc = Vector256.Load(o + c);
            for (var t = 0; t < count; t++) acc = Vector256.FusedMultiplyAdd(Vector256.Create(p[t]), Vector256.Load(block + t * d + c), acc);
            acc.Store(o + c);
        }
    }

    /// <summary>
    /// Replaces scores[0, n) by e^(s − max) (lanes n … width−1 by 0), sets <paramref name="max"/> and returns their sum,
    /// accumulated lane-wise in order and then across lanes (NaN everywhere when a score is NaN or infinite).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe float Softmax(float* scores, int n, int width, out float max)
    {
        // The largest score, eight lanes at a time (any order gives the same maximum), and whether any is NaN.
        var lanes = Vector256.Create(float.NegativeInfinity);
        var numbers = Vector256<float>.AllBitsSet;
        var i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var x = Vector256.Load(scores + i);
            lanes = Avx.Max(lanes, x);
            numbers &= Vector256.Equals(x, x);
        }
        max = float.NegativeInfinity;
        for (var j = 0; j < 8; j++) max = MathF.Max(max, lanes.GetElement(j));
        for (; i < n; i++) max = MathF.Max(max, scores[i]);
        if (!Vector256.EqualsAll(numbers.AsInt32(), Vector256<int>.AllBitsSet)) max = float.NaN;
        if (!float.IsFinite(max))
        {
            // A NaN or infinite score (from NaN/∞ activations): the head's output is NaN, as in libtorch, not a silent 0.
            new Span<float>(scores, width).Fill(float.NaN);
            return float.NaN;
        }
        for (var t = n; t < width; t++) scores[t] = float.NegativeInfinity;
        var shift = Vector256.Create(max);
        var sum = Vector256<float>.Zero;
        for (var t = 0; t < width; t += 8)
        {
            var e = VectorExp.ExpNonPositive(Vector256.Load(scores + t) - shift);
            e.Store(scores + t);
            sum += e;
        }
        return Vector256.Sum(sum);
    }
}
