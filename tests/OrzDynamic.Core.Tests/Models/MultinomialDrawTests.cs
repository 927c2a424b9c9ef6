using NUnit.Framework;
using OrzDynamic.Core.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Models;

/// <summary>
/// The C# multinomial draw against libtorch itself: the same exponentials as <c>exponential_</c>, the same index as
/// <c>multinomial(1)</c>, and the generator left in the same state, from fresh and half-used generators.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MultinomialDrawTests
{
    [TestCase(1234UL, 0, 8)]
    [TestCase(7UL, 0, 151_936)]
    [TestCase(99UL, 301, 1_000_003)] // starts mid-way through the engine's words, odd length
    [TestCase(5UL, 623, 2_500_000)]
    public void ExponentialsEqualLibtorchsBitForBit(ulong seed, int used, int count)
    {
        using var scope = NewDisposeScope();
        var mine = new Generator(seed);
        var theirs = new Generator(seed);
        if (used > 0)
        {
            empty(used).uniform_(0, 1, generator: mine); // one 32-bit output per float32 element
            empty(used).uniform_(0, 1, generator: theirs);
        }
        var engine = MersenneTwister.FromState(mine.get_state().data<byte>().ToArray());
        Assert.That(engine, Is.Not.Null, "libtorch's CPU generator state is the MT19937 layout");
        var q = new float[count];
        MultinomialDraw.Exponentials(engine!, q);
        var expected = empty(count).exponential_(1, generator: theirs).data<float>().ToArray();
        var first = Enumerable.Range(0, count).FirstOrDefault(i => BitConverter.SingleToInt32Bits(q[i]) != BitConverter.SingleToInt32Bits(expected[i]), -1);
        Assert.That(first, Is.EqualTo(-1), first < 0 ? "" : $"entry {first}: {q[first]:R} against libtorch's {expected[first]:R}");

        // The engine written back continues exactly where libtorch's generator is.
        var state = mine.get_state().data<byte>().ToArray();
        engine!.WriteTo(state);
        using var written = tensor(state, ScalarType.Byte);
        mine.set_state(written);
        Assert.That(empty(1000).uniform_(0, 1, generator: mine).data<float>().ToArray(),
            Is.EqualTo(empty(1000).uniform_(0, 1, generator: theirs).data<float>().ToArray()), "the next draws after the exponentials");
    }

    [TestCase(1, 16)]
    [TestCase(5, 1001)]
    [TestCase(32, 151_936)]
    public void DrawsEqualLibtorchsMultinomialRowByRow(int rows, int vocab)
    {
        using var scope = NewDisposeScope();
        // Peaked, flat and one-hot rows; ties between equal probabilities included.
        var logits = SeededTensors.Normal([rows, vocab], ScalarType.Float32, 3, 4.0);
        logits[0] = zeros(vocab);
        if (rows > 2)
        {
            var oneHot = full(vocab, -1e4f);
            oneHot[vocab / 2] = tensor(0f);
            logits[2] = oneHot;
        }
        var p = logits.softmax(-1).contiguous();
        for (var step = 0; step < 3; step++)
        {
            var mine = Enumerable.Range(0, rows).Select(r => new Generator((ulong)(1000 * step + r))).ToArray();
            var theirs = Enumerable.Range(0, rows).Select(r => new Generator((ulong)(1000 * step + r))).ToArray();
            Assert.That(MultinomialDraw.Applies(p, mine), Is.True);
            var drawn = MultinomialDraw.Draw(p, mine);
            var expected = Enumerable.Range(0, rows).Select(r => p[r].multinomial(1, generator: theirs[r]).item<long>()).ToArray();
            Assert.That(drawn, Is.EqualTo(expected), $"step {step}");
            for (var r = 0; r < rows; r++)
                Assert.That(mine[r].get_state().data<byte>().ToArray(), Is.EqualTo(theirs[r].get_state().data<byte>().ToArray()), $"generator {r} after step {step}");
        }
    }

    [Test]
    public void DeclinesWhatItDoesNotServe()
    {
        using var scope = NewDisposeScope();
        var p = ones(2, 10).softmax(-1);
        Generator[] two = [new Generator(1), new Generator(2)];
        Assert.That(MultinomialDraw.Applies(p.to(ScalarType.Float64), two), Is.False, "float64");
        Assert.That(MultinomialDraw.Applies(p.t(), two), Is.False, "not contiguous");
        Assert.That(MultinomialDraw.Applies(p, [two[0]]), Is.False, "a generator per row");
        Assert.That(MultinomialDraw.Applies(p.view(20), two), Is.False, "[B, V] only");
        Assert.That(MersenneTwister.FromState(new byte[100]), Is.Null, "another layout");
    }

    [Test]
    public void ARowOfZerosIsRefusedAsLibtorchRefusesIt()
    {
        using var scope = NewDisposeScope();
        var p = zeros(1, 40);
        Assert.That(() => MultinomialDraw.Draw(p, [new Generator(1)]), Throws.InvalidOperationException.With.Message.Contains("sum of probabilities"));
        Assert.That(() => p[0].multinomial(1, generator: new Generator(1)), Throws.Exception);
    }
}
