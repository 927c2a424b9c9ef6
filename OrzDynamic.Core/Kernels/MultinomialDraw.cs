using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OrzDynamic.Metrics.Runtime;

namespace OrzDynamic.Core.Kernels;

/// <summary>
/// One draw per row from probabilities [B, V], row r from generator r, giving exactly what libtorch's
/// <c>p[r].multinomial(1, generator: g[r])</c> gives on the CPU and leaving each generator where libtorch would —
/// in C#, rows spread over the kernel workers.
/// <para>
/// libtorch draws one sample by an exponential race: q<sub>i</sub> ~ Exp(1) for every entry (the generator's MT19937,
/// two 32-bit outputs per entry made into a 53-bit uniform u, then −log1p(−u) in double, rounded to float32), and
/// returns the first index of the largest p<sub>i</sub> / q<sub>i</sub> (float32). It does so one entry at a time
/// (≈ 20 ns each): at a 152k-entry vocabulary and 32 rows that is ~100 ms per decoding step, more than the rest of the
/// sampling and a third of the step. Here the uniforms are made eight at a time and the logarithm is .NET's vector
/// one; an exponential whose float32 rounding that logarithm's last-bit error could change (about one entry in
/// 30,000) is recomputed with the C library's <c>log1p</c>, the function libtorch calls, so every q equals libtorch's.
/// </para>
/// </summary>
internal static class MultinomialDraw
{
    /// <summary>Entries drawn per pass (a buffer of twice as many 32-bit outputs).</summary>
    private const int Block = 4096;

    /// <summary>Relative distance from a float32 rounding boundary within which a vector logarithm is not trusted.</summary>
    private const double Margin = 1.0 / (1L << 40);

    /// <summary>The C library's log1p (the one libtorch's CPU exponential calls), or null where it cannot be found.</summary>
    private static readonly unsafe delegate* unmanaged<double, double> Log1p = FindLog1p();

    /// <summary>
    /// True when <see cref="Draw"/> may serve: decoding kernels on (<see cref="DecodeKernels.Enabled"/>), the C library's log1p found, float32 contiguous CPU
    /// probabilities [B, V] with V &gt; 0, and one CPU generator per row.
    /// </summary>
    public static unsafe bool Applies(Tensor probabilities, IReadOnlyList<torch.Generator> generators) =>
        DecodeKernels.Enabled && Log1p != null && probabilities.dtype == ScalarType.Float32 && probabilities.device_type == DeviceType.CPU
        && probabilities.is_contiguous() && TensorShape.Of(probabilities) is [var rows, > 0 and <= int.MaxValue]
        && rows == generators.Count && generators.All(g => g.device.type == DeviceType.CPU);

    /// <summary>
    /// The drawn index of every row (call when <see cref="Applies"/> is true), or null when a generator's state is not
    /// libtorch's MT19937 layout (then nothing was drawn and every generator is unchanged). <paramref name="probabilities"/>
    /// must be finite and non-negative with a positive sum in every row, as libtorch's multinomial requires.
    /// </summary>
    /// <exception cref="InvalidOperationException">A row whose probabilities are all zero.</exception>
    public static unsafe long[]? Draw(Tensor probabilities, IReadOnlyList<torch.Generator> generators)
    {
        var rows = generators.Count;
        var vocab = (int)probabilities.size(1);
        var states = new byte[rows][];
        var engines = new MersenneTwister[rows];
        for (var r = 0; r < rows; r++)
        {
            using var state = generators[r].get_state();
            states[r] = state.data<byte>().ToArray();
            if (MersenneTwister.FromState(states[r]) is not { } engine) return null;
            engines[r] = engine;
        }
        var chosen = new long[rows];
        var p = (float*)TensorMemory.Address(probabilities);
        var parts = Math.Min(rows, Math.Max(1, get_num_threads()));
        KernelWorkers.Run(parts, part =>
        {
            for (var r = part; r < rows; r += parts) chosen[r] = Race(engines[r], p + (long)r * vocab, vocab);
        });
        for (var r = 0; r < rows; r++)
        {
            if (chosen[r] < 0) throw new InvalidOperationException($"Row {r}: invalid multinomial distribution (sum of probabilities <= 0).");
            engines[r].WriteTo(states[r]);
            using var state = torch.tensor(states[r], ScalarType.Byte);
            generators[r].set_state(state);
        }
        return chosen;
    }

    /// <summary>
    /// The exponentials libtorch's <c>exponential_(1)</c> would write into <paramref name="output"/> from
    /// <paramref name="engine"/> (advancing it as libtorch advances the generator).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // run on the kernel workers: no shared tier-0 counters
    internal static unsafe void Exponentials(MersenneTwister engine, Span<float> output)
    {
        var words = ArrayPool<uint>.Shared.Rent(2 * Block);
        try
        {
            for (var start = 0; start < output.Length; start += Block)
            {
                var n = Math.Min(Block, output.Length - start);
                engine.Fill(words.AsSpan(0, 2 * n));
                ToExponentials(words, output.Slice(start, n));
            }
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(words);
        }
    }

    /// <summary>
    /// The first index of the largest p<sub>i</sub> / q<sub>i</sub> over the <paramref name="vocab"/> entries at
    /// <paramref name="p"/> (a NaN ratio, from p = q = 0, counts as largest, as in libtorch's argmax), or −1 when every
    /// ratio is 0 (libtorch refuses such a row).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe long Race(MersenneTwister engine, float* p, int vocab)
    {
        var q = ArrayPool<float>.Shared.Rent(Block);
        var bestValue = Vector256.Create(-1f);
        var bestIndex = Vector256<int>.Zero;
        var lane = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        float tailValue = -1f;
        long tailIndex = -1, firstNaN = -1;
        try
        {
            for (var start = 0; start < vocab; start += Block)
            {
                var n = Math.Min(Block, vocab - start);
                Exponentials(engine, q.AsSpan(0, n));
                var i = 0;
                fixed (float* qp = q)
                {
                    for (; i + 8 <= n; i += 8)
                    {
                        var ratio = Vector256.Load(p + start + i) / Vector256.Load(qp + i);
                        if (firstNaN < 0 && !Vector256.EqualsAll(ratio, ratio))
                            firstNaN = start + i + FirstNaN(ratio);
                        var better = Vector256.GreaterThan(ratio, bestValue);
                        bestValue = Vector256.ConditionalSelect(better, ratio, bestValue);
                        bestIndex = Vector256.ConditionalSelect(better.AsInt32(), lane + Vector256.Create(start + i), bestIndex);
                    }
                }
                for (; i < n; i++)
                {
                    var ratio = p[start + i] / q[i];
                    if (float.IsNaN(ratio) && firstNaN < 0) firstNaN = start + i;
                    if (ratio > tailValue) (tailValue, tailIndex) = (ratio, start + i);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(q);
        }
        if (firstNaN >= 0) return firstNaN;
        // Across lanes (and the tail, whose indices come last): the largest ratio, the smallest index on ties.
        float best = tailValue;
        long index = tailIndex;
        for (var l = 0; l < 8; l++)
        {
            var v = bestValue.GetElement(l);
            var at = bestIndex.GetElement(l);
            if (v > best || (v == best && at < index)) (best, index) = (v, at);
        }
        return best > 0 ? index : -1;
    }

    /// <summary>The lane of the first NaN in <paramref name="v"/> (which has one).</summary>
    private static int FirstNaN(Vector256<float> v)
    {
        for (var l = 0; l < 8; l++) if (float.IsNaN(v.GetElement(l))) return l;
        return 0;
    }

    /// <summary>
    /// q<sub>i</sub> = (float)(−log1p(−u<sub>i</sub>)) for the uniforms u<sub>i</sub> = (w<sub>2i</sub>·2³² + w<sub>2i+1</sub>
    /// mod 2⁵³)·2⁻⁵³ of <paramref name="words"/>. 1 − u is exact in double, so −log(1 − u) differs from the C library's
    /// −log1p(−u) only in the last bits; where those bits could change the float32 rounding (or u = 0), the C library's
    /// value is used.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ToExponentials(uint[] words, Span<float> q)
    {
        var mask = Vector256.Create((1UL << 53) - 1);
        var scale = Vector256.Create(1.0 / (1UL << 53));
        var one = Vector256.Create(1.0);
        var below = Vector256.Create(1 - Margin);
        var above = Vector256.Create(1 + Margin);
        var i = 0;
        fixed (uint* w = words)
        fixed (float* qp = q)
        {
            for (; i + 8 <= q.Length; i += 8)
            {
                var d0 = -Vector256.Log(one - Uniforms(w + 2 * i, mask, scale));
                var d1 = -Vector256.Log(one - Uniforms(w + 2 * i + 8, mask, scale));
                var f = Vector256.Narrow(d0, d1);
                var lo = Vector256.Narrow(d0 * below, d1 * below);
                var hi = Vector256.Narrow(d0 * above, d1 * above);
                if (!Vector256.EqualsAll(lo, hi) || Vector256.EqualsAny(f, Vector256<float>.Zero))
                {
                    for (var l = 0; l < 8; l++) qp[i + l] = Exact(w, i + l);
                    continue;
                }
                f.Store(qp + i);
            }
            for (; i < q.Length; i++) qp[i] = Exact(w, i);
        }
    }

    /// <summary>Four uniforms from eight words: each pair read as one u64 with the first word high, masked to 53 bits, × 2⁻⁵³.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<double> Uniforms(uint* w, Vector256<ulong> mask, Vector256<double> scale)
    {
        var pairs = Vector256.Load((ulong*)w); // little-endian: the first word is the low half
        var value = ((pairs << 32) | (pairs >>> 32)) & mask;
        return Vector256.ConvertToDouble(value) * scale;
    }

    /// <summary>Entry <paramref name="i"/>'s exponential exactly as libtorch computes it.</summary>
    private static unsafe float Exact(uint* w, int i)
    {
        var value = (((ulong)w[2 * i] << 32) | w[2 * i + 1]) & ((1UL << 53) - 1);
        var u = value * (1.0 / (1UL << 53));
        return (float)(-1.0 * Log1p(-u));
    }

    /// <summary>log1p from the platform's C library (the one libtorch links), or null.</summary>
    private static unsafe delegate* unmanaged<double, double> FindLog1p()
    {
        string[] names = OperatingSystem.IsWindows() ? ["ucrtbase.dll"] : OperatingSystem.IsMacOS() ? ["libSystem.dylib"] : ["libm.so.6", "libm.so"];
        foreach (var name in names)
            if (NativeLibrary.TryLoad(name, out var library) && NativeLibrary.TryGetExport(library, "log1p", out var address))
                return (delegate* unmanaged<double, double>)address;
        return null;
    }
}
