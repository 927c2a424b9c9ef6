using NUnit.Framework;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Generation;

/// <summary>The rules static and continuous batching share through their one decoding step.</summary>
public sealed class DecodeStepTests : TinyModelTests
{
    [Test]
    public void BothModesRejectAPromptThatFillsThePositionsWhenCalled()
    {
        var options = new GenerationOptions { MaxNewTokens = 5, MaxPositions = 4 };
        GenerationRequest[] requests = [new([1, 2], 7), new([1, 2, 3, 4], 8)];

        var staticError = Assert.Throws<ArgumentException>(() => new TextGenerator(Model).Generate(requests, options))!;
        // Thrown by the call itself, before the answers are enumerated.
        var continuousError = Assert.Throws<ArgumentException>(() => new ContinuousBatchGenerator(Model, 2).Generate(requests, options))!;

        Assert.That(staticError.Message, Does.StartWith("Prompt 1 has 4 tokens; the model has 4 positions"));
        Assert.That(continuousError.Message, Is.EqualTo(staticError.Message));
    }

    [Test]
    public void BothModesStopARowAtThePositionsWithTheSameTokens()
    {
        // Prompts of 3 and 1 tokens under 6 positions and a cap of 4: the first row meets the positions after 3 tokens,
        // the second its cap after 4.
        var options = new GenerationOptions { MaxNewTokens = 4, MaxPositions = 6, EosTokenIds = [] };
        GenerationRequest[] requests = [new([5, 6, 7], 1), new([9], 2)];

        var batch = new TextGenerator(Model).Generate(requests, options);
        var continuous = new ContinuousBatchGenerator(Model, 1).Generate(requests, options).OrderBy(x => x.Index).Select(x => x.Result).ToList();

        Assert.That(batch.Select(r => (r.FinishReason, r.TokenIds.Count)),
            Is.EqualTo(new[] { (FinishReason.ContextLimit, 3), (FinishReason.MaxNewTokens, 4) }));
        Assert.That(continuous.Select(r => r.FinishReason), Is.EqualTo(batch.Select(r => r.FinishReason)));
        Assert.That(continuous.Select(r => r.TokenIds), Is.EqualTo(batch.Select(r => r.TokenIds)));
    }
}
