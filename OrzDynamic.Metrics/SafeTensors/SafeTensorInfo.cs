using TorchSharp;

namespace OrzDynamic.Metrics.SafeTensors;

/// <summary>One tensor entry of a safetensors header.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="DType">Safetensors dtype name, e.g. <c>"BF16"</c>.</param>
/// <param name="ScalarType">The matching TorchSharp scalar type.</param>
/// <param name="Shape">Tensor shape (empty for a scalar).</param>
/// <param name="Begin">Start of the tensor's bytes, relative to the start of the data area.</param>
/// <param name="End">End (exclusive) of the tensor's bytes, relative to the start of the data area.</param>
public sealed record SafeTensorInfo(string Name, string DType, torch.ScalarType ScalarType, long[] Shape, long Begin, long End)
{
    /// <summary>Number of elements (product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Size of the tensor's data in bytes.</summary>
    public long ByteLength => End - Begin;
}
