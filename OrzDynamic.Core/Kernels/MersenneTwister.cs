using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OrzDynamic.Core.Kernels;

/// <summary>
/// The 32-bit Mersenne Twister (MT19937) of a libtorch CPU generator, read from and written back to the generator's
/// state (<c>torch.Generator.get_state()</c>), so that C# kernels can draw the same numbers libtorch would and leave
/// the generator where libtorch would have left it.
/// <para>
/// The state is libtorch's 5,056-byte CPU generator layout: initial seed (u64), <c>left</c> (i32), <c>seeded</c> (i32),
/// <c>next</c> (u64), the 624 state words (one per u64), then the normal-distribution caches, which are kept as they
/// are. A call of the engine decrements <c>left</c>, regenerates the 624 words when it reaches 0 and returns word
/// <c>next++</c>, tempered.
/// </para>
/// </summary>
internal sealed class MersenneTwister
{
    /// <summary>Words of state (N) and the twist's offset (M); bytes of a libtorch CPU generator's state, and where its fields start.</summary>
    private const int N = 624, M = 397, StateBytes = 5056, LeftOffset = 8, SeededOffset = 12, NextOffset = 16, WordsOffset = 24;

    private readonly uint[] _words = new uint[N];
    private int _left;
    private int _next;

    private MersenneTwister()
    {
    }

    /// <summary>
    /// The engine in <paramref name="state"/> (a libtorch CPU generator's state), or null when the bytes are not that
    /// layout: another size, not seeded, or counters outside the state.
    /// </summary>
    public static MersenneTwister? FromState(ReadOnlySpan<byte> state)
    {
        if (state.Length != StateBytes || BinaryPrimitives.ReadInt32LittleEndian(state[SeededOffset..]) != 1) return null;
        var left = BinaryPrimitives.ReadInt32LittleEndian(state[LeftOffset..]);
        var next = BinaryPrimitives.ReadUInt64LittleEndian(state[NextOffset..]);
        if (left < 1 || left > N || next > N || (long)next + left - 1 > N) return null;
        var engine = new MersenneTwister { _left = left, _next = (int)next };
        for (var i = 0; i < N; i++)
        {
            var word = BinaryPrimitives.ReadUInt64LittleEndian(state[(WordsOffset + 8 * i)..]);
            if (word > uint.MaxValue) return null;
            engine._words[i] = (uint)word;
        }
        return engine;
    }

    /// <summary>Writes the engine's counters and words into <paramref name="state"/> (read by <see cref="FromState"/>), leaving its other fields.</summary>
    public void WriteTo(Span<byte> state)
    {
        BinaryPrimitives.WriteInt32LittleEndian(state[LeftOffset..], _left);
        BinaryPrimitives.WriteUInt64LittleEndian(state[NextOffset..], (ulong)_next);
        for (var i = 0; i < N; i++) BinaryPrimitives.WriteUInt64LittleEndian(state[(WordsOffset + 8 * i)..], _words[i]);
    }

    /// <summary>Fills <paramref name="output"/> with the engine's next outputs, in order (as that many engine calls).</summary>
    public void Fill(Span<uint> output)
    {
        while (!output.IsEmpty)
        {
            if (_left == 1)
            {
                Twist();
                // The call that twists returns word 0 without decrementing again: 624 outputs until the next twist.
                _left = N + 1;
                _next = 0;
            }
            var take = Math.Min(output.Length, _left - 1);
            Temper(_words.AsSpan(_next, take), output[..take]);
            _next += take;
            _left -= take;
            output = output[take..];
        }
    }

    /// <summary>
    /// Regenerates the 624 words (the reference MT19937 recurrence), eight at a time: word i reads words i + 1 (not yet
    /// regenerated) and i + 397 (not yet, for i &lt; 227) or i − 227 (already regenerated), so eight consecutive words
    /// never read each other.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Twist()
    {
        var s = _words.AsSpan();
        const int Lanes = 8;
        var i = 0;
        for (; i + Lanes <= N - M; i += Lanes) Mix(s.Slice(i + M, Lanes), s.Slice(i, Lanes + 1), s[i..]);
        for (; i < N - M; i++) s[i] = s[i + M] ^ Mix(s[i], s[i + 1]);
        for (; i + Lanes < N; i += Lanes) Mix(s.Slice(i + M - N, Lanes), s.Slice(i, Lanes + 1), s[i..]);
        for (; i < N - 1; i++) s[i] = s[i + M - N] ^ Mix(s[i], s[i + 1]);
        s[N - 1] = s[M - 1] ^ Mix(s[N - 1], s[0]);
    }

    /// <summary>Eight words at once: output[l] = far[l] ^ Mix(near[l], near[l + 1]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mix(ReadOnlySpan<uint> far, ReadOnlySpan<uint> near, Span<uint> output)
    {
        var u = Vector256.Create(near);
        var v = Vector256.Create(near[1..]);
        var y = (u & Vector256.Create(0x80000000u)) | (v & Vector256.Create(0x7fffffffu));
        var twisted = Vector256.Create(far) ^ (y >>> 1) ^ ((Vector256<uint>.Zero - (v & Vector256<uint>.One)) & Vector256.Create(0x9908b0dfu));
        twisted.CopyTo(output);
    }

    /// <summary>The upper bit of <paramref name="u"/> and the lower 31 of <paramref name="v"/>, shifted and twisted.</summary>
    private static uint Mix(uint u, uint v)
    {
        var y = (u & 0x80000000u) | (v & 0x7fffffffu);
        return (y >> 1) ^ ((v & 1u) != 0 ? 0x9908b0dfu : 0u);
    }

    /// <summary>MT19937's output tempering of <paramref name="words"/> into <paramref name="output"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Temper(ReadOnlySpan<uint> words, Span<uint> output)
    {
        var i = 0;
        for (; i + Vector256<uint>.Count <= words.Length; i += Vector256<uint>.Count)
        {
            var y = Vector256.Create(words.Slice(i, Vector256<uint>.Count));
            y ^= y >>> 11;
            y ^= (y << 7) & Vector256.Create(0x9d2c5680u);
            y ^= (y << 15) & Vector256.Create(0xefc60000u);
            y ^= y >>> 18;
            y.CopyTo(output[i..]);
        }
        for (; i < words.Length; i++)
        {
            var y = words[i];
            y ^= y >> 11;
            y ^= (y << 7) & 0x9d2c5680u;
            y ^= (y << 15) & 0xefc60000u;
            y ^= y >> 18;
            output[i] = y;
        }
    }
}
