using System.Runtime.CompilerServices;
using OrzDynamic.Metrics.Runtime;

namespace OrzDynamic.Core;

internal static class ModuleInit
{
    /// <summary>
    /// Any use of Core makes LibTorchSharp loadable before TorchSharp is first touched, and fixes malloc's mmap
    /// threshold before libtorch allocates (see <see cref="Memory.AllocatorPolicy"/>).
    /// </summary>
#pragma warning disable CA2255 // deliberate: library must fix native loading before any consumer touches TorchSharp
    [ModuleInitializer]
    internal static void Initialize()
    {
        Memory.AllocatorPolicy.EnsureApplied();
        TorchNativeLoader.EnsureRegistered();
    }
#pragma warning restore CA2255
}
