using OrzDynamic.Tests;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics.Tests;

/// <summary>
/// The chunked path must not materialise anything of size [B, T, V]: its extra peak resident memory (measured with
/// the kernel's resettable VmHWM) stays a small fraction of the logits' bytes. Linux only.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MemoryFootprintTests
{
    [Test]
    public void ExtraPeakMemoryIsFarBelowTheLogitsSize([Values] MetricsKernel kernel)
    {
        if (!PeakRss.IsAvailable)
            Assert.Ignore("Needs Linux /proc/self/clear_refs to reset the peak-RSS counter.");
        torch.manual_seed(7);
        using var logits = randn(1, 2048, 32000);             // 262 MB
        using var labels = randint(0, 32000, [1, 2048], ScalarType.Int64);
        var options = new MetricsOptions { ChunkSize = 16, Kernel = kernel };   // tensor ops: working buffer 16 × 32000 × 4 B = 2 MB; CPU kernel: none
        using (var wl = randn(1, 4, 32000))
        using (var wy = randint(0, 32000, [1, 4], ScalarType.Int64))
            LearningDynamics.GetBatchLogps(wl, wy, options: options);   // warm up kernels/threads on other data

        GC.Collect();
        if (!PeakRss.TryReset()) Assert.Ignore("Cannot reset VmHWM here.");
        var before = PeakRss.CurrentBytes();
        var result = LearningDynamics.GetBatchLogps(logits, labels, options: options);
        var extra = PeakRss.PeakBytes() - before;
        var logitsBytes = logits.numel() * 4;
        TestContext.Out.WriteLine($"{kernel}: extra peak {extra / 1e6:F1} MB for {logitsBytes / 1e6:F0} MB of logits");
        Assert.That(result.ValidTokens[0], Is.EqualTo(2047));
        // A single [T, V] float32 temporary would already be 1.0× the logits' bytes.
        Assert.That(extra, Is.LessThan(logitsBytes / 8), "extra peak RSS must stay well below one [B, T, V] temporary");
    }
}
