using NUnit.Framework;
using OrzDynamic.Metrics.Runtime;
using TorchSharp;

namespace OrzDynamic.Metrics.Tests.Runtime;

[TestFixture]
public class TorchLoadsTests
{
    [Test]
    public void TorchSharpLoadsAndComputes()
    {
        TorchNativeLoader.EnsureRegistered();
        using var a = torch.arange(6, dtype: torch.float32).reshape(2, 3);
        using var s = a.sum();
        Assert.That(s.item<float>(), Is.EqualTo(15f));
        Assert.That(TorchNativeLoader.LastError, Is.Null);
        TestContext.Out.WriteLine($"LibTorchSharp loaded from: {TorchNativeLoader.LoadedShimPath ?? "(normal probe)"}");
    }
}
