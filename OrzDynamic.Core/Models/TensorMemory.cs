using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OrzDynamic.Core.Models;

/// <summary>The data address of a CPU tensor for the decoding-step kernels.</summary>
internal static class TensorMemory
{
    /// <summary>
    /// The address of <paramref name="tensor"/>'s first element. The caller guarantees a contiguous CPU tensor of at
    /// most 2 GB; the address is valid while the tensor lives (libtorch's CPU memory does not move).
    /// </summary>
    public static unsafe nint Address(Tensor tensor) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));
}
