using NUnit.Framework;
using OrzDynamic.Core.Models;
using OrzDynamic.Trainer.Training;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Demo;

[TestFixture]
public sealed class CausalLmTrainerTests
{
    // Copy task: after the shared prefix [1, 2, 4, 6] and a token a, answer a then eos (3).
    private static TrainingExample[] CopyExamples() =>
        Enumerable.Range(10, 24).Select(a => new TrainingExample([1, 2, 4, 6, a], [a, 3])).ToArray();

    private static CausalLM NewModel(long seed)
    {
        var model = new CausalLM(CheckpointWriterTests.TinyConfig(), ScalarType.Float32, CPU);
        WeightInitializer.Initialize(model, seed, std: 0.1);
        return model;
    }

    [Test]
    public void Loss_WithSharedPrefix_EqualsFullForwardLoss()
    {
        using var model = NewModel(11);
        var batch = new[]
        {
            new TrainingExample([1, 2, 4, 6, 12, 13], [20, 21, 3]),
            new TrainingExample([1, 2, 4, 6, 15], [22, 3]),
            new TrainingExample([1, 2, 4, 6, 17, 18, 19], [23, 24, 25, 3]),
        };
        Assert.That(CausalLmTrainer.SharedPrefixLength(batch), Is.EqualTo(4));
        var baseOptions = new CausalLmTrainerOptions { PadTokenId = 3, Steps = 1 };
        using var shared = new CausalLmTrainer(model, baseOptions with { SharePromptPrefix = true }).Loss(batch);
        using var full = new CausalLmTrainer(model, baseOptions with { SharePromptPrefix = false }).Loss(batch);
        Assert.That(shared.item<float>(), Is.EqualTo(full.item<float>()).Within(1e-5));
        Assert.That(full.item<float>(), Is.GreaterThan(1.0f), "an untrained model should not already know the answers");
    }

    [Test]
    public void Autograd_MatchesFiniteDifferences()
    {
        using var model = NewModel(5);
        var batch = CopyExamples().Take(4).ToArray();
        var trainer = new CausalLmTrainer(model, new CausalLmTrainerOptions { PadTokenId = 3, Steps = 1, SharePromptPrefix = false });
        var parameters = model.NamedWeights().ToDictionary(w => w.Name, w => w.Parameter);
        foreach (var p in parameters.Values) p.requires_grad = true;
        model.AutogradEnabled = true;
        using (var loss = trainer.Loss(batch)) loss.backward();
        model.AutogradEnabled = false;

        // One element of each kind of parameter, including the SwiGLU gate/up projections (in-place multiply) and a q bias.
        string[] names = ["model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.bias", "model.layers.1.self_attn.k_proj.weight",
            "model.layers.0.mlp.gate_proj.weight", "model.layers.1.mlp.up_proj.weight", "model.layers.0.input_layernorm.weight"];
        foreach (var name in names)
        {
            var p = parameters[name];
            var flatGrad = p.grad!.reshape(-1);
            var index = flatGrad.abs().argmax().item<long>();
            var analytic = flatGrad[index].item<float>();
            double LossWith(float delta)
            {
                using (no_grad()) p.reshape(-1)[index].add_(delta);
                using var l = trainer.Loss(batch);
                var v = l.item<float>();
                using (no_grad()) p.reshape(-1)[index].sub_(delta);
                return v;
            }
            const float h = 1e-2f;
            var numeric = (LossWith(h) - LossWith(-h)) / (2 * h);
            Assert.That(analytic, Is.EqualTo(numeric).Within(Math.Max(2e-3, 0.05 * Math.Abs(numeric))), name);
        }
        foreach (var p in parameters.Values) p.requires_grad = false;
    }

    [Test]
    public void Train_LearnsCopyTask_AndRestoresInferenceMode()
    {
        using var model = NewModel(21);
        var examples = CopyExamples();
        var options = new CausalLmTrainerOptions { Steps = 80, BatchSize = 8, LearningRate = 1e-2, WarmupSteps = 5, PadTokenId = 3, Seed = 4 };
        var checkpoints = new List<int>();
        var history = new CausalLmTrainer(model, options with { CheckpointSteps = [0, 40, 80] }).Train(examples, checkpoints.Add);
        Assert.That(history, Has.Count.EqualTo(80));
        Assert.That(checkpoints, Is.EqualTo(new[] { 0, 40, 80 }));
        var first = history.Take(5).Average(h => h.Loss);
        var last = history.TakeLast(5).Average(h => h.Loss);
        Assert.That(last, Is.LessThan(first * 0.2), $"loss {first:0.000} → {last:0.000}");
        Assert.That(model.AutogradEnabled, Is.False);
        Assert.That(model.parameters().All(p => !p.requires_grad), Is.True);

        // Greedy next token after each prompt is the copied token.
        var correct = 0;
        foreach (var e in examples)
        {
            using var ids = tensor(e.PromptIds.Select(i => (long)i).ToArray(), [1, e.PromptIds.Count]);
            using var logits = model.Forward(ids, logits: LogitsMode.LastPosition).Logits!;
            if (logits.argmax(-1).item<long>() == e.ResponseIds[0]) correct++;
        }
        Assert.That(correct, Is.GreaterThanOrEqualTo(examples.Length * 3 / 4), "chance is 1 in 40");
    }

    [Test]
    public void Train_SameSeeds_GiveBitIdenticalWeights()
    {
        Tensor[] Run()
        {
            using var model = NewModel(8);
            new CausalLmTrainer(model, new CausalLmTrainerOptions { Steps = 6, BatchSize = 5, PadTokenId = 3, Seed = 9 }).Train(CopyExamples());
            return model.parameters().Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
        }
        var a = Run();
        var b = Run();
        Assert.That(a.Zip(b).All(t => t.First.eq(t.Second).all().item<bool>()), Is.True);
        foreach (var t in a.Concat(b)) t.Dispose();
    }

    [Test]
    public void Train_RejectsTokenOutsideVocabulary()
    {
        using var model = NewModel(1);
        var trainer = new CausalLmTrainer(model, new CausalLmTrainerOptions { Steps = 1, PadTokenId = 3 });
        Assert.That(() => trainer.Train([new TrainingExample([1, 2], [3]), new TrainingExample([1, 99], [3])]),
            Throws.ArgumentException.With.Message.Contains("example 1").And.Message.Contains("99"));
    }

    [Test]
    public void Options_Validate_ListsEveryProblem() =>
        Assert.That(() => new CausalLmTrainerOptions { Steps = 0, BatchSize = -1, LearningRate = double.NaN }.Validate(),
            Throws.ArgumentException.With.Message.Contains("Steps").And.Message.Contains("BatchSize").And.Message.Contains("LearningRate"));

    [Test]
    public void LearningRate_WarmsUpThenDecaysToTheFloor()
    {
        var o = new CausalLmTrainerOptions { Steps = 100, WarmupSteps = 10, LearningRate = 1e-3, MinLearningRateRatio = 0.1 };
        Assert.That(o.LearningRateAt(5), Is.EqualTo(5e-4).Within(1e-12));
        Assert.That(o.LearningRateAt(10), Is.EqualTo(1e-3).Within(1e-12));
        Assert.That(o.LearningRateAt(100), Is.EqualTo(1e-4).Within(1e-12));
        Assert.That(o.LearningRateAt(55), Is.EqualTo(5.5e-4).Within(1e-12));
    }
}
