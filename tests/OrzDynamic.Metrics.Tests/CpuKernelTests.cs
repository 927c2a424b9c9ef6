using System.Runtime.Intrinsics;
using NUnit.Framework;
using OrzDynamic.Metrics.Kernels;
using OrzDynamic.Metrics.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics.Tests;

/// <summary>The vectorised CPU kernel (<see cref="MetricsKernel.Auto"/>) against the tensor-op path, and its pieces.</summary>
[TestFixture]
public sealed class CpuKernelTests
{
    private static readonly MetricsOptions Ops = new() { Kernel = MetricsKernel.TensorOps };

    [SetUp]
    public void RequireKernel()
    {
        if (!CpuRowReduction.IsSupported) Assert.Ignore("This CPU has no 256-bit vectors with FMA: the kernel is not used here.");
    }

    private static void AssertClose(SequenceMetrics a, SequenceMetrics b, double rtol, string what) => Close.Metrics(a, b, rtol, what, 1e-9);

    private static void AssertBitIdentical(SequenceMetrics a, SequenceMetrics b, string what)
    {
        Assert.Multiple(() =>
        {
            Assert.That(a.LabelsArgmax, Is.EqualTo(b.LabelsArgmax), what);
            Assert.That(BitConverter.DoubleToInt64Bits(a.OutToken), Is.EqualTo(BitConverter.DoubleToInt64Bits(b.OutToken)), $"{what} out_token");
            Assert.That(BitConverter.DoubleToInt64Bits(a.OutExceptArgmax), Is.EqualTo(BitConverter.DoubleToInt64Bits(b.OutExceptArgmax)), $"{what} out_except_argmax");
            Assert.That(BitConverter.DoubleToInt64Bits(a.ProbGap2Mean), Is.EqualTo(BitConverter.DoubleToInt64Bits(b.ProbGap2Mean)), $"{what} prob_gap2_mean");
            Assert.That(BitConverter.DoubleToInt64Bits(a.ProbEnergy), Is.EqualTo(BitConverter.DoubleToInt64Bits(b.ProbEnergy)), $"{what} prob_energy");
            Assert.That(BitConverter.DoubleToInt64Bits(a.ANorm), Is.EqualTo(BitConverter.DoubleToInt64Bits(b.ANorm)), $"{what} A_norm");
        });
    }

    [Test]
    public void AgreesWithTheTensorOpPathOnTheReferenceCases([Values("small", "peaked", "qwen_vocab")] string name)
    {
        var t = TestSafeTensors.Load(ReferenceCase.Get(name).SafeTensorsPath);
        using var logits = t["logits"];
        using var labels = t["labels"];
        var kernel = LearningDynamics.GetBatchLogps(logits, labels);
        var ops = LearningDynamics.GetBatchLogps(logits, labels, options: Ops);
        Assert.That(kernel.Count, Is.EqualTo(logits.shape[0]).And.GreaterThan(0));
        Assert.That(ops.Count, Is.EqualTo(kernel.Count));
        for (var row = 0; row < kernel.Count; row++)
            AssertClose(kernel.Rows[row], ops.Rows[row], 2e-6, $"{name} row {row}");
    }

    [Test]
    public void AgreesWithTheTensorOpPathOnWideRangeLogits([Values(1, 7, 151_936)] int vocab)
    {
        using var g = new Generator(1234);
        using var logits = (randn([2, 40, vocab], generator: g) * 9).to_type(ScalarType.Float32);
        using var labels = randint(0, vocab, [2, 40], generator: g);
        labels[0, 5] = tensor(LearningDynamics.IgnoreIndex);
        // A peaked position whose label is the argmax (p_max close to 1).
        logits[1, 3, 0] = tensor(60f);
        labels[1, 4] = tensor(0L);
        var kernel = LearningDynamics.GetBatchLogps(logits, labels);
        var ops = LearningDynamics.GetBatchLogps(logits, labels, options: Ops);
        for (var row = 0; row < 2; row++)
            AssertClose(kernel.Rows[row], ops.Rows[row], 2e-6, $"V {vocab} row {row}");
    }

    [Test]
    public void ResultsAreBitIdenticalForAnyChunkSizeAndThreadCount()
    {
        using var g = new Generator(7);
        using var logits = randn([1, 90, 5000], generator: g) * 4;
        using var labels = randint(0, 5000, [1, 90], generator: g);
        var threads = get_num_threads();
        var baseline = LearningDynamics.GetBatchLogps(logits, labels, options: new MetricsOptions { ChunkSize = 64 });
        try
        {
            foreach (var (chunk, nThreads) in new[] { (1, threads), (7, threads), (1000, 1), (13, 2) })
            {
                set_num_threads(nThreads);
                var r = LearningDynamics.GetBatchLogps(logits, labels, options: new MetricsOptions { ChunkSize = chunk });
                AssertBitIdentical(r.Rows[0], baseline.Rows[0], $"chunk {chunk}, {nThreads} thread(s)");
            }
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Test]
    public void ArgmaxIsTheFirstIndexOnTiesAcrossVectorLanesAndTheTail()
    {
        var z = new float[29];
        z[11] = 3; z[3] = 3; z[20] = 3; z[28] = 3;
        Assert.That(Reduce(z, 0).Argmax, Is.EqualTo(3));
        var tailOnly = new float[29];
        tailOnly[27] = 1;
        Assert.That(Reduce(tailOnly, 0).Argmax, Is.EqualTo(27));
        var shortRow = new float[] { -1, 2, 2 };
        Assert.That(Reduce(shortRow, 0).Argmax, Is.EqualTo(1));
        var negative = Enumerable.Repeat(-50f, 17).ToArray();
        Assert.That(Reduce(negative, 0).Argmax, Is.EqualTo(0));
    }

    [Test]
    public void NonFiniteRowsAreLeftToTheTensorOpPath()
    {
        Assert.That(CpuRowReduction.ReduceRow([1f, float.NaN, 0f], 0, out _, new double[PositionValues.Width]), Is.False);
        Assert.That(CpuRowReduction.ReduceRow([1f, float.PositiveInfinity, 0f], 0, out _, new double[PositionValues.Width]), Is.False);
        Assert.That(CpuRowReduction.ReduceRow([float.NegativeInfinity, float.NegativeInfinity], 0, out _, new double[PositionValues.Width]), Is.False);

        // Through the public API, a chunk with such a row gives exactly the tensor-op path's results.
        using var logits = tensor(new float[] { 0, 1, 2, 3, float.NaN, 1, 2, 2, 0 }, [1, 3, 3]);
        using var labels = tensor(new long[] { 0, 2, 1 }, [1, 3]);
        var kernel = LearningDynamics.GetBatchLogps(logits, labels);
        var ops = LearningDynamics.GetBatchLogps(logits, labels, options: Ops);
        Assert.That(kernel.Rows[0].OutToken, Is.EqualTo(ops.Rows[0].OutToken));
        Assert.That(kernel.Rows[0].ProbEnergy, Is.EqualTo(ops.Rows[0].ProbEnergy));
        Assert.That(kernel.Rows[0].LabelsArgmax, Is.EqualTo(ops.Rows[0].LabelsArgmax));
    }

    [Test]
    public void NonContiguousLogitsGiveTheSameMetrics()
    {
        using var g = new Generator(3);
        using var wide = randn([1, 3000, 50], generator: g) * 5;
        using var logits = wide.transpose(1, 2); // [1, 50, 3000], not contiguous: tensor-op path
        using var labels = randint(0, 3000, [1, 50], generator: g);
        Assert.That(logits.is_contiguous(), Is.False);
        var strided = LearningDynamics.GetBatchLogps(logits, labels);
        var dense = LearningDynamics.GetBatchLogps(logits.contiguous(), labels);
        AssertClose(strided.Rows[0], dense.Rows[0], 2e-6, "strided vs contiguous");
    }

    [Test]
    public void VectorExpIsAccurateAndFlushesSubnormalResults()
    {
        var worst = 0.0;
        var xs = new float[200_000];
        for (var i = 0; i < xs.Length; i++) xs[i] = -87.3f * i / (xs.Length - 1);
        for (var i = 0; i < xs.Length; i += 8)
        {
            var v = VectorExp.ExpNonPositive(Vector256.Create(xs, i));
            for (var l = 0; l < 8; l++)
            {
                var exact = Math.Exp(xs[i + l]);
                worst = Math.Max(worst, Math.Abs(v.GetElement(l) - exact) / exact);
            }
        }
        Assert.That(worst, Is.LessThan(1.5e-7), "max relative error of the vector exp");
        var low = VectorExp.ExpNonPositive(Vector256.Create(-87.34f, -100f, float.NegativeInfinity, -1e30f, 0f, -87.32f, -0f, -1e-30f));
        Assert.That(new[] { low.GetElement(0), low.GetElement(1), low.GetElement(2), low.GetElement(3) }, Is.All.EqualTo(0f));
        Assert.That(low.GetElement(4), Is.EqualTo(1f));
        Assert.That(low.GetElement(5), Is.GreaterThan(0f));
        Assert.That(low.GetElement(6), Is.EqualTo(1f));
        Assert.That(low.GetElement(7), Is.EqualTo(1f));
    }

    [Test]
    public void Log1PAndExpM1StayAccurateForTinyArguments()
    {
        foreach (var x in new[] { 1e-18, -3e-12, 1e-5, 0.3, -0.7, 5.0 })
        {
            Close.Check(PositionValues.Log1P(x), x == 5.0 ? Math.Log(6) : Series(x, log: true), 1e-15, $"log1p({x})");
            Close.Check(PositionValues.ExpM1(x), x == 5.0 ? Math.Exp(5) - 1 : Series(x, log: false), 1e-15, $"expm1({x})");
        }
        Assert.That(PositionValues.ExpM1(-800), Is.EqualTo(-1.0));
        Assert.That(PositionValues.Log1P(double.PositiveInfinity), Is.EqualTo(double.PositiveInfinity));
    }

    /// <summary>Taylor series in decimal-free double: Σ (−1)^{k+1} x^k / k for log1p, Σ x^k / k! for expm1 (|x| &lt; 1).</summary>
    private static double Series(double x, bool log)
    {
        double sum = 0, term = 1;
        for (var k = 1; k < 200; k++)
        {
            term = log ? (k == 1 ? x : -term * x) : term * x / k;
            sum += log ? term / k : term;
        }
        return sum;
    }

    private static (long Argmax, double[] Values) Reduce(float[] z, long label)
    {
        var values = new double[PositionValues.Width];
        Assert.That(CpuRowReduction.ReduceRow(z, label, out var a, values), Is.True);
        return (a, values);
    }
}
