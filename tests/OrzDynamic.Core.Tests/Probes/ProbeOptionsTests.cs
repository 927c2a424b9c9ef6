using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Probes;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Probes;

/// <summary>Probe options take the dtypes an evaluation resolved, typed, so the scorer never reads a dtype name.</summary>
[TestFixture]
public sealed class ProbeOptionsTests
{
    [Test]
    public void LikeTakesTheResolvedDTypesOfTheConfig()
    {
        var options = ProbeOptions.Like(new EvaluatorConfig { DType = "bf16", ScoringDType = "float32", Device = "cpu", ScoringChunkSize = 64, LegacyOrzClamps = true });
        Assert.That(options.DType, Is.EqualTo(ScalarType.BFloat16), "the model dtype is DType alone");
        Assert.That(options.ScoringDType, Is.EqualTo(ScalarType.Float32), "ScoringDType overrides DType for the scoring pass");
        Assert.That(options.ScoringChunkSize, Is.EqualTo(64));
        Assert.That(options.LegacyOrzClamps, Is.True);
    }

    [Test]
    public void LikeFallsBackToDTypeThenToTheDeviceDefault()
    {
        Assert.That(ProbeOptions.Like(new EvaluatorConfig { DType = "float16" }).ScoringDType, Is.EqualTo(ScalarType.Float16));
        var unset = ProbeOptions.Like(new EvaluatorConfig());
        Assert.That(unset.DType, Is.Null);
        Assert.That(unset.ScoringDType, Is.Null, "null: the scorer uses the device default of the loaded model");
    }

    [Test]
    public void LikeRefusesAnUnknownDTypeName() =>
        Assert.Throws<ArgumentException>(() => ProbeOptions.Like(new EvaluatorConfig { ScoringDType = "int4" }));
}
