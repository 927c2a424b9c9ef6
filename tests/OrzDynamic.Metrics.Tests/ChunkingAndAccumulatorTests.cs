using NUnit.Framework;
using OrzDynamic.Metrics.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics.Tests;

/// <summary>Chunk-size independence, accumulator = batch path, and low-precision logits.</summary>
[TestFixture]
public sealed class ChunkingAndAccumulatorTests
{
    private static (Tensor Logits, Tensor Labels) Load(string name)
    {
        var t = TestSafeTensors.Load(ReferenceCase.Get(name).SafeTensorsPath);
        return (t["logits"], t["labels"]);
    }

    private static void AssertSame(SequenceMetrics a, SequenceMetrics b, double rtol, string what) => Close.Metrics(a, b, rtol, what);

    [Test]
    public void ResultsDoNotDependOnChunkSize([Values("small", "peaked", "qwen_vocab")] string name, [Values] MetricsPrecision precision)
    {
        var (logits, labels) = Load(name);
        using var _l = logits;
        using var _y = labels;
        var baseline = LearningDynamics.GetBatchLogps(logits, labels, options: new MetricsOptions { ChunkSize = 100_000, Precision = precision });
        var rtol = precision == MetricsPrecision.Float64 ? 1e-12 : 1e-5;
        foreach (var chunk in new[] { 1, 7 })
        {
            var r = LearningDynamics.GetBatchLogps(logits, labels, options: new MetricsOptions { ChunkSize = chunk, Precision = precision });
            Assert.That(r.Count, Is.EqualTo(logits.shape[0]).And.GreaterThan(0));
            Assert.That(baseline.Count, Is.EqualTo(logits.shape[0]));
            for (var row = 0; row < r.Count; row++)
                AssertSame(r.Rows[row], baseline.Rows[row], rtol, $"{name} row {row} chunk {chunk}");
        }
    }

    [Test]
    public void AccumulatorFedInUnevenPiecesEqualsGetBatchLogps([Values] MetricsPrecision precision)
    {
        var (logits, labels) = Load("small");
        using var _l = logits;
        using var _y = labels;
        var options = new MetricsOptions { ChunkSize = 5, Precision = precision };
        var batch = LearningDynamics.GetBatchLogps(logits, labels, averageLogProb: true, options);
        var t = logits.shape[1];
        for (long row = 0; row < logits.shape[0]; row++)
        {
            using var scope = NewDisposeScope();
            using var acc = new LearningDynamicsAccumulator(logits.shape[2], options);
            var shiftedLogits = logits[row].narrow(0, 0, t - 1);
            var shiftedLabels = labels[row].narrow(0, 1, t - 1);
            long start = 0;
            foreach (var piece in new long[] { 3, 0, 11, 1, 20, 12 })
            {
                acc.Add(shiftedLogits.narrow(0, start, piece), shiftedLabels.narrow(0, start, piece));
                start += piece;
            }
            Assert.That(start, Is.EqualTo(t - 1));
            Assert.That(acc.Positions, Is.EqualTo(t - 1));
            Assert.That(acc.ValidTokens, Is.EqualTo(batch.ValidTokens[(int)row]));
            Assert.That(acc.LabelsArgmax, Is.EqualTo(batch.LabelsArgmax[(int)row]));
            AssertSame(acc.GetResult(averageLogProb: true), batch.Rows[(int)row], 1e-6, $"row {row}");
        }
    }

    [Test]
    public void AccumulatorStateSurvivesTheCallersDisposeScope()
    {
        var (logits, labels) = Load("small");
        using var _l = logits;
        using var _y = labels;
        using var acc = new LearningDynamicsAccumulator(logits.shape[2]);
        using (NewDisposeScope())
            acc.Add(logits[0].narrow(0, 0, 20), labels[0].narrow(0, 1, 20));
        using (NewDisposeScope())
            acc.Add(logits[0].narrow(0, 20, 27), labels[0].narrow(0, 21, 27));
        var expected = LearningDynamics.GetBatchLogps(logits, labels).Rows[0];
        AssertSame(acc.GetResult(), expected, 1e-5, "after scopes");
    }

    [Test]
    public void Bfloat16AndFloat16LogitsMatchTheirFloat32Upcast([Values(ScalarType.BFloat16, ScalarType.Float16)] ScalarType dtype)
    {
        var (logits, labels) = Load("small");
        using var _l = logits;
        using var _y = labels;
        using var low = logits.to_type(dtype);
        using var upcast = low.to_type(ScalarType.Float32);
        var fromLow = LearningDynamics.GetBatchLogps(low, labels, options: new MetricsOptions { ChunkSize = 7 });
        var fromUpcast = LearningDynamics.GetBatchLogps(upcast, labels, options: new MetricsOptions { ChunkSize = 7 });
        Assert.That(fromLow.Count, Is.EqualTo(logits.shape[0]).And.GreaterThan(0));
        Assert.That(fromUpcast.Count, Is.EqualTo(fromLow.Count));
        for (var row = 0; row < fromLow.Count; row++)
            AssertSame(fromLow.Rows[row], fromUpcast.Rows[row], 1e-5, $"{dtype} row {row}");

        // And stays close to the float32 truth (bf16 keeps ~3 significant digits of the logits).
        var exact = ReferenceCase.Get("small").Exact;
        for (var row = 0; row < fromLow.Count; row++)
        {
            Close.Check(fromLow.Rows[row].OutToken, exact[row].OutToken, 2e-2, $"{dtype} row {row} out_token");
            Close.Check(fromLow.Rows[row].ProbEnergy, exact[row].ProbEnergy, 2e-2, $"{dtype} row {row} prob_energy");
            Close.Check(fromLow.Rows[row].ANorm, exact[row].ANorm, 2e-2, $"{dtype} row {row} A_norm");
        }
    }

    [Test]
    public void TokenTracesAreCollectedOnRequest()
    {
        var (logits, labels) = Load("small");
        using var _l = logits;
        using var _y = labels;
        var plain = LearningDynamics.GetBatchLogps(logits, labels);
        Assert.That(plain.Rows[0].TokenTraces, Is.Null);

        var traced = LearningDynamics.GetBatchLogps(logits, labels,
            options: new MetricsOptions { CollectTokenTraces = true, Precision = MetricsPrecision.Float64, ChunkSize = 9 });
        var row = traced.Rows[0];
        var traces = row.TokenTraces!;
        var t = (int)logits.shape[1];
        Assert.That(traces, Has.Count.EqualTo(t - 1));
        var labelValues = labels[0].data<long>().ToArray();
        using var logp = nn.functional.log_softmax(logits[0].to_type(ScalarType.Float64), 1);
        var logpArr = logp.data<double>().ToArray();
        var v = (int)logits.shape[2];
        double sum = 0, sumLogMax = 0;
        for (var i = 0; i < traces.Count; i++)
        {
            var tr = traces[i];
            Assert.That(tr.Position, Is.EqualTo(i));
            Assert.That(tr.Label, Is.EqualTo(labelValues[i + 1]));
            Assert.That(tr.Argmax, Is.EqualTo(row.LabelsArgmax[i]));
            Close.Check(tr.ProbMax, Math.Exp(logpArr[i * v + (int)tr.Argmax]), 1e-9, $"p_max at {i}");
            if (tr.IsValid)
            {
                Close.Check(tr.LogProbLabel, logpArr[i * v + (int)tr.Label], 1e-9, $"log p(y) at {i}");
                sum += tr.LogProbLabel;
                sumLogMax += Math.Log(tr.ProbMax);
            }
            else
            {
                Assert.That(tr.LogProbLabel, Is.NaN);
            }
        }
        Close.Check(sum, row.OutToken, 1e-9, "Σ trace log p(y) = out_token");
        Close.Check(sumLogMax, row.OutArgmax, 1e-9, "Σ trace log p_max = out_argmax");
    }
}
