using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Precision;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Scoring;
using OrzDynamic.Core.Tests.Demo;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Metrics;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Precision;

/// <summary>
/// Generation in bfloat16 with float32 scoring: the scoring pass sees the weights exactly as stored, so its metrics equal
/// an all-float32 scoring of the same texts (≤ 1e-6 relative; in fact bit-identical), for bfloat16-stored checkpoints
/// (converted layer by layer, no copy) and float32-stored ones (one extra bfloat16 copy for generation).
/// </summary>
public sealed class MixedPrecisionTests
{
    private static string Bf16Copy(string source, string target)
    {
        using (var model = CheckpointLoader.Load(source, new ModelLoadOptions { DType = ScalarType.Float32 }))
            CheckpointWriter.Save(model, target, ScalarType.BFloat16);
        foreach (var f in new[] { "tokenizer.json", "tokenizer_config.json" })
            if (File.Exists(Path.Combine(source, f))) File.Copy(Path.Combine(source, f), Path.Combine(target, f), true);
        return target;
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        var tol = 1e-6 * Math.Max(1e-12, Math.Abs(expected));
        Assert.That(Math.Abs(actual - expected), Is.LessThanOrEqualTo(tol), $"{what}: {actual:R} vs all-float32 {expected:R}");
    }

    /// <summary>A tiny checkpoint builder of <paramref name="modelType"/> (qwen3: head_dim 16 on width 32 / 4 heads, q/k norms).</summary>
    private static TinyCheckpointBuilder Tiny(string modelType, ScalarType storage = ScalarType.Float32) =>
        new() { ModelType = modelType, StorageDType = storage, HeadDim = modelType == "qwen3" ? 16 : null };

    [TestCase("qwen2")]
    [TestCase("qwen3")]
    public void Bf16StoredCheckpoint_NoCopy_LayerwiseF32ScoringEqualsF32Model(string modelType)
    {
        using var tmp = new TempDirectory();
        var dir = Tiny(modelType, ScalarType.BFloat16).Write(tmp.Sub("bf16"));
        Assert.That(CheckpointLoader.ReadStorageDType(dir), Is.EqualTo(ScalarType.BFloat16));
        using var mixed = MixedPrecisionModel.Load(dir, generationDType: ScalarType.BFloat16, scoringDType: ScalarType.Float32);
        Assert.That(mixed.ScoringModel.DType, Is.EqualTo(ScalarType.BFloat16));
        Assert.That(mixed.GenerationModel, Is.SameAs(mixed.ScoringModel), "no second copy for a bf16-stored checkpoint");
        Assert.That(mixed.WeightBytes, Is.EqualTo(2L * mixed.ScoringModel.Config.ParameterCount));
        using var f32 = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });

        var rng = new Random(4);
        var seq = Enumerable.Range(0, 40).Select(_ => rng.Next(0, 96)).ToArray();
        var labels = seq.Select((id, i) => i < 10 ? LearningDynamics.IgnoreIndex : (long)id).ToArray();
        var a = new SequenceScorer(mixed.ScoringModel, positionChunk: 7, computeDType: ScalarType.Float32).Score(seq, labels);
        var b = new SequenceScorer(f32, positionChunk: 7).Score(seq, labels);
        foreach (var (name, x, y) in new[] { ("A_norm", a.ANorm, b.ANorm), ("prob_energy", a.ProbEnergy, b.ProbEnergy), ("out_token", a.OutToken, b.OutToken), ("out_argmax", a.OutArgmax, b.OutArgmax), ("prob_gap2_mean", a.ProbGap2Mean, b.ProbGap2Mean) })
            AssertClose(y, x, name);
        // And the bf16 pass itself differs (the test would notice a scorer that ignored the compute dtype).
        var c = new SequenceScorer(mixed.ScoringModel, positionChunk: 7).Score(seq, labels);
        Assert.That(c.OutToken, Is.Not.EqualTo(b.OutToken));
    }

    [TestCase("qwen2")]
    [TestCase("qwen3")]
    public void F32StoredCheckpoint_OneBf16CopyForGeneration_ScoringKeepsF32(string modelType)
    {
        using var tmp = new TempDirectory();
        var dir = Tiny(modelType).Write(tmp.Sub("f32"));
        using var mixed = MixedPrecisionModel.Load(dir, generationDType: ScalarType.BFloat16, scoringDType: ScalarType.Float32);
        Assert.That(mixed.ScoringModel.DType, Is.EqualTo(ScalarType.Float32));
        Assert.That(mixed.GenerationModel.DType, Is.EqualTo(ScalarType.BFloat16));
        Assert.That(mixed.WeightBytes, Is.EqualTo(6L * mixed.ScoringModel.Config.ParameterCount));
        using var scope = NewDisposeScope();
        var f = mixed.ScoringModel.NamedWeights().ToDictionary(w => w.Name, w => w.Parameter);
        Assert.That(f, Is.Not.Empty);
        var copied = mixed.GenerationModel.NamedWeights();
        Assert.That(copied.Select(w => w.Name), Is.EquivalentTo(f.Keys), "every weight copied, q/k norms included");
        foreach (var (name, p) in copied)
            Assert.That(p.eq(f[name].to(ScalarType.BFloat16)).all().item<bool>(), Is.True, name);
        Assert.That(copied.Sum(w => w.Parameter.numel()), Is.EqualTo(mixed.ScoringModel.Config.ParameterCount));
    }

    /// <summary>
    /// End to end on the demo checkpoint stored in bfloat16 (like real checkpoints): the evaluator generates in bfloat16
    /// and scores in float32; rescoring every answer with an all-float32 model gives the same metrics.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public async Task Evaluator_Bf16GenerationF32Scoring_MetricsEqualAllF32Scoring(bool bf16Stored)
    {
        using var tmp = new TempDirectory();
        var source = DemoPaths.CheckpointDirectories.First(c => c.Step > 0 && c.Step < DemoPaths.CheckpointDirectories.Max(x => x.Step)).Path;
        var dir = bf16Stored ? Bf16Copy(source, tmp.Sub("bf16")) : source;
        var config = new EvaluatorConfig
        {
            ModelPath = dir,
            EvalPromptData = [DemoPaths.EvalData],
            MaxEvalSamples = 24,
            GenerateMaxLen = 48,
            BatchSize = 6,
            OutputDir = tmp.Sub("out"),
            EnableVisualization = false,
        };
        await using (var evaluator = new Evaluator(config))
        {
            Assert.That(evaluator.Precision.GenerationDType, Is.EqualTo(ScalarType.BFloat16), "CPU default");
            Assert.That(evaluator.Precision.ScoringDType, Is.EqualTo(ScalarType.Float32), "CPU default");
            Assert.That(evaluator.Precision.ScoringModel.DType, Is.EqualTo(bf16Stored ? ScalarType.BFloat16 : ScalarType.Float32));
            await evaluator.EvalAsync(cancellationToken: CancellationToken.None);
        }
        var manifest = File.ReadAllText(Path.Combine(config.OutputDir, OutputLayout.Manifest));
        Assert.That(manifest, Does.Contain("\"generation_dtype\": \"bfloat16\"").And.Contain("\"scoring_dtype\": \"float32\"").And.Contain("\"batching\": \"continuous\""));

        using var journal = ResultsJournal.Open(Path.Combine(config.OutputDir, OutputLayout.Journal));
        Assert.That(journal.Records, Has.Count.EqualTo(24));
        using var f32 = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });
        var tokenizer = HfTokenizer.FromDirectory(dir);
        var scorer = new ResponseScorer(f32, tokenizer, config);
        foreach (var r in journal.Records)
        {
            var prompt = tokenizer.Encode(r.Prompt);
            var scored = scorer.Score([(prompt, r.TokenIds!)])[0];
            var expected = LdMetrics.From(scored.Metrics);
            foreach (var key in LdMetricKeys.All)
                AssertClose(expected.Get(key), r.LdMetrics!.Get(key), $"{r.Dataset}#{r.Index} {key}");
        }
    }
}
