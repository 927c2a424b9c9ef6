using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OrzDynamic.Metrics.Kernels;
using OrzDynamic.Metrics.Runtime;

namespace OrzDynamic.Metrics;

/// <summary>
/// The per-position reductions of <see cref="PositionReduction"/> as one vectorised CPU kernel for contiguous float32
/// logits: per row, one pass finds max and argmax (first index on ties) and a second pass — over a row that is still in
/// the core's cache — sums e^{z−m} and e^{2(z−m)} over v ≠ argmax (float32 lanes, folded into float64 every 256
/// entries). Everything after those two sums is scalar float64. The rows are split between the torch thread count's
/// worth of <see cref="KernelWorkers"/> (the caller's thread and dedicated workers); each
/// row's values depend only on that row, so results do not depend on the thread count or on the chunking.
/// <para>
/// Compared with the tensor-op path this reads the logits about twice instead of about eight times, opens one parallel
/// region per chunk instead of about ten, and needs no [N, V] working buffer. Rows with NaN or an infinite maximum are
/// not handled here (the caller falls back to the tensor-op path, whose NaN semantics are torch's).
/// </para>
/// </summary>
internal static class CpuRowReduction
{
    private const int FoldBlock = 256;

    /// <summary>True when the CPU has the 256-bit vectors and FMA the kernel is written for.</summary>
    public static bool IsSupported { get; } = Vector256.IsHardwareAccelerated && Fma.IsSupported;

    /// <summary>
    /// Reduces <paramref name="rows"/> rows of length <paramref name="vocab"/> (row-major in <paramref name="logits"/>).
    /// Returns false, with the outputs unspecified, when some row holds NaN or has an infinite maximum.
    /// </summary>
    /// <param name="logits">rows × vocab float32 values.</param>
    /// <param name="labels">rows labels, −100 = ignored (others in [0, vocab)).</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="vocab">Row length V.</param>
    /// <param name="argmax">Output: argmax per row.</param>
    /// <param name="values">Output: rows × <see cref="PositionValues.Width"/> values (see <see cref="PositionValues"/>).</param>
    /// <param name="threads">Worker count (≥ 1).</param>
    public static unsafe bool TryReduce(ReadOnlySpan<float> logits, ReadOnlySpan<long> labels, int rows, int vocab,
        Span<long> argmax, Span<double> values, int threads)
    {
        if (rows == 0) return true;
        fixed (float* zp = logits)
        fixed (long* yp = labels)
        fixed (long* ap = argmax)
        fixed (double* vp = values)
        {
            var buffers = new RowBuffers((nint)zp, (nint)yp, (nint)ap, (nint)vp, vocab);
            var workers = Math.Clamp(threads, 1, rows);
            var ok = 1;
            KernelWorkers.Run(workers, w =>
            {
                var start = (int)((long)rows * w / workers);
                var end = (int)((long)rows * (w + 1) / workers);
                if (!ReduceRange(buffers, start, end)) Volatile.Write(ref ok, 0);
            });
            return ok == 1;
        }
    }

    /// <summary>Pinned addresses of the inputs and outputs (valid while <see cref="TryReduce"/> runs).</summary>
    private readonly record struct RowBuffers(nint Logits, nint Labels, nint Argmax, nint Values, int Vocab);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe bool ReduceRange(RowBuffers b, int start, int end)
    {
        for (var row = start; row < end; row++)
        {
            var span = new ReadOnlySpan<float>((float*)b.Logits + (long)row * b.Vocab, b.Vocab);
            var label = ((long*)b.Labels)[row];
            var values = new Span<double>((double*)b.Values + (long)row * PositionValues.Width, PositionValues.Width);
            if (!ReduceRow(span, label, out ((long*)b.Argmax)[row], values)) return false;
        }
        return true;
    }

    /// <summary>One row: argmax and the <see cref="PositionValues"/>; false for NaN or an infinite maximum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool ReduceRow(ReadOnlySpan<float> z, long label, out long argmax, Span<double> values)
    {
        if (!MaxArgmax(z, out var m, out var a))
        {
            argmax = a;
            return false;
        }
        argmax = a;
        var s = 0.0;
        var q = 0.0;
        SumExp(z[..a], m, ref s, ref q);
        SumExp(z[(a + 1)..], m, ref s, ref q);
        double d;
        if (s == 0 && z.Length > 1)
            d = SecondMaxLogSum(z, a, m);
        else
            d = Math.Log(s);
        var zy = label < 0 ? m : z[(int)label];
        PositionValues.Fill(values, d, q, zy - (double)m, a == label);
        return true;
    }

    /// <summary>
    /// Max and first argmax; false when a NaN occurs or the maximum is ±∞. The vector loop keeps only lane maxima and a
    /// lane sum (NaN or ±∞ anywhere makes the sum non-finite; a merely overflowing sum just sends the row to the
    /// tensor-op path); the argmax is then the first entry equal to the maximum, found by a scan that stops there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool MaxArgmax(ReadOnlySpan<float> z, out float max, out int argmax)
    {
        ref var start = ref MemoryMarshal.GetReference(z);
        var n = z.Length;
        var i = 0;
        var m = float.NegativeInfinity;
        var finite = true;
        if (n >= 4 * Vector256<float>.Count)
        {
            var m0 = Vector256.Create(float.NegativeInfinity);
            var m1 = m0;
            var s0 = Vector256<float>.Zero;
            var s1 = Vector256<float>.Zero;
            for (; i + 2 * Vector256<float>.Count <= n; i += 2 * Vector256<float>.Count)
            {
                var a = Vector256.LoadUnsafe(ref start, (nuint)i);
                var b = Vector256.LoadUnsafe(ref start, (nuint)(i + Vector256<float>.Count));
                m0 = Avx.Max(m0, a);
                m1 = Avx.Max(m1, b);
                s0 += a;
                s1 += b;
            }
            var mv = Avx.Max(m0, m1);
            m = mv.GetElement(0);
            for (var l = 1; l < Vector256<float>.Count; l++) m = Math.Max(m, mv.GetElement(l));
            finite = float.IsFinite(Vector256.Sum(s0 + s1));
        }
        for (; i < n; i++)
        {
            var v = Unsafe.Add(ref start, i);
            if (!float.IsFinite(v)) finite = false;
            else if (v > m) m = v;
        }
        max = m;
        argmax = 0;
        if (!finite || !float.IsFinite(m)) return false;
        argmax = FirstIndexOf(z, m);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FirstIndexOf(ReadOnlySpan<float> z, float value)
    {
        ref var start = ref MemoryMarshal.GetReference(z);
        var i = 0;
        var target = Vector256.Create(value);
        for (; i + Vector256<float>.Count <= z.Length; i += Vector256<float>.Count)
        {
            var mask = Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)i), target).ExtractMostSignificantBits();
            if (mask != 0) return i + System.Numerics.BitOperations.TrailingZeroCount(mask);
        }
        for (; i < z.Length; i++)
            if (Unsafe.Add(ref start, i) == value) return i;
        throw new InvalidOperationException("The maximum was not found in its own row.");
    }

    /// <summary>Adds Σ e^{z−m} to <paramref name="s"/> and Σ e^{2(z−m)} to <paramref name="q"/> (terms below e^−87.33 are 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumExp(ReadOnlySpan<float> z, float m, ref double s, ref double q)
    {
        ref var start = ref MemoryMarshal.GetReference(z);
        var n = z.Length;
        var i = 0;
        var vm = Vector256.Create(m);
        var sd = Vector256<double>.Zero;
        var qd = Vector256<double>.Zero;
        while (i + Vector256<float>.Count <= n)
        {
            var limit = Math.Min(n, i + FoldBlock);
            var vs = Vector256<float>.Zero;
            var vq = Vector256<float>.Zero;
            for (; i + Vector256<float>.Count <= limit; i += Vector256<float>.Count)
            {
                var e = VectorExp.ExpNonPositive(Vector256.LoadUnsafe(ref start, (nuint)i) - vm);
                vs += e;
                vq = Vector256.FusedMultiplyAdd(e, e, vq);
            }
            sd += Vector256.WidenLower(vs) + Vector256.WidenUpper(vs);
            qd += Vector256.WidenLower(vq) + Vector256.WidenUpper(vq);
        }
        var ts = 0.0;
        var tq = 0.0;
        for (; i < n; i++)
        {
            var x = Unsafe.Add(ref start, i) - m;
            if (x < VectorExp.FlushBelow) continue;
            var e = (double)MathF.Exp(x);
            ts += e;
            tq += e * e;
        }
        s += Vector256.Sum(sd) + ts;
        q += Vector256.Sum(qd) + tq;
    }

    /// <summary>log Σ_{v≠a} e^{z_v − m} when every term underflowed: computed relative to the second largest logit.</summary>
    private static double SecondMaxLogSum(ReadOnlySpan<float> z, int a, float m)
    {
        var m2 = float.NegativeInfinity;
        for (var i = 0; i < z.Length; i++)
            if (i != a && z[i] > m2) m2 = z[i];
        if (float.IsNegativeInfinity(m2)) return double.NegativeInfinity; // every other logit is −∞: p_max = 1 exactly
        var s2 = 0.0;
        for (var i = 0; i < z.Length; i++)
            if (i != a) s2 += Math.Exp((double)z[i] - m2);
        return ((double)m2 - m) + Math.Log(s2);
    }
}
