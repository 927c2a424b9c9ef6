using NUnit.Framework;

namespace OrzDynamic.Metrics.Tests;

/// <summary>Registers the LibTorchSharp loader before any test touches TorchSharp.</summary>
[SetUpFixture]
public sealed class TorchSetup
{
    [OneTimeSetUp]
    public void RegisterNativeLoader() => OrzDynamic.Metrics.Runtime.TorchNativeLoader.EnsureRegistered();
}
