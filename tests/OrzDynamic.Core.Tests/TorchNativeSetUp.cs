using NUnit.Framework;
using OrzDynamic.Metrics.Runtime;

namespace OrzDynamic.Core.Tests;

/// <summary>Makes LibTorchSharp loadable before any test in this assembly touches TorchSharp.</summary>
[SetUpFixture]
public sealed class TorchNativeSetUp
{
    /// <summary>Registers the native loader.</summary>
    [OneTimeSetUp]
    public void Register() => TorchNativeLoader.EnsureRegistered();
}
