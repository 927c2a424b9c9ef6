using NUnit.Framework;
using OrzDynamic.Core.Precision;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Precision;

public sealed class PrecisionPlanTests
{
    private const ScalarType F32 = ScalarType.Float32, BF16 = ScalarType.BFloat16, F16 = ScalarType.Float16;

    [TestCase(BF16, BF16, F32, BF16, false, true, 2, TestName = "bf16-stored, bf16 gen, f32 scoring: no copy, scoring upcasts per layer")]
    [TestCase(F32, BF16, F32, F32, true, false, 6, TestName = "f32-stored, bf16 gen, f32 scoring: one bf16 copy")]
    [TestCase(F32, F32, F32, F32, false, false, 4, TestName = "all f32: one copy")]
    [TestCase(BF16, F32, F32, F32, false, false, 4, TestName = "bf16-stored, all f32: upcast at load as before")]
    [TestCase(F32, BF16, BF16, BF16, false, false, 2, TestName = "all bf16")]
    [TestCase(F16, BF16, F32, F32, true, false, 6, TestName = "f16-stored, bf16 gen, f32 scoring: resident f32 (exact), bf16 copy")]
    public void ResidentDTypeAndCopies(ScalarType stored, ScalarType gen, ScalarType scoring, ScalarType resident, bool copy, bool byLayer, int bytesPerParam)
    {
        var plan = new PrecisionPlan(stored, gen, scoring);
        Assert.That(plan.ResidentDType, Is.EqualTo(resident));
        Assert.That(plan.NeedsGenerationCopy, Is.EqualTo(copy));
        Assert.That(plan.ScoresByLayerConversion, Is.EqualTo(byLayer));
        Assert.That(plan.WeightBytes(1000), Is.EqualTo(1000L * bytesPerParam));
    }

    [Test]
    public void FixedResidentWins()
    {
        var plan = new PrecisionPlan(F32, BF16, BF16, FixedResidentDType: F32);
        Assert.That(plan.ResidentDType, Is.EqualTo(F32));
        Assert.That(plan.NeedsGenerationCopy, Is.True);
        Assert.That(plan.ScoresByLayerConversion, Is.True);
    }

    [Test]
    public void CpuDefaultsAreBf16GenerationAndF32Scoring()
    {
        Assert.That(PrecisionDefaults.Generation(CPU), Is.EqualTo(BF16));
        Assert.That(PrecisionDefaults.Scoring(CPU), Is.EqualTo(F32));
    }
}
