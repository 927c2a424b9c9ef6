namespace OrzDynamic.Core.Models;

/// <summary>Tensor sizes for the decoding-step kernels, read without TorchSharp's <c>Tensor.shape</c>.</summary>
/// <remarks>
/// <c>Tensor.shape</c> fetches the sizes through a pinned-array round trip, about 0.7 µs and several allocations per
/// call here; <c>dim()</c> and <c>size(i)</c> are plain calls of about 0.02 µs each. A decoding step checks and reads the
/// shapes of a few hundred tensors, so the difference is a measurable share of a 20 ms step.
/// </remarks>
internal static class TensorShape
{
    /// <summary>The sizes of <paramref name="tensor"/>, as <c>Tensor.shape</c> gives them.</summary>
    public static long[] Of(Tensor tensor)
    {
        var sizes = new long[tensor.dim()];
        for (var i = 0; i < sizes.Length; i++) sizes[i] = tensor.size(i);
        return sizes;
    }
}
