using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics;

/// <summary>
/// The one reusable [rows, V] working buffer of the reductions (compute dtype, logits' device). Reusing it avoids a
/// fresh multi-megabyte allocation per chunk, which on CPU costs page faults and lets the C allocator's heap grow.
/// It grows to the largest chunk seen and is released on <see cref="Dispose"/>.
/// </summary>
internal sealed class ChunkWorkspace : IDisposable
{
    private readonly ScalarType _dtype;
    private Tensor? _buffer;

    public ChunkWorkspace(ScalarType dtype) => _dtype = dtype;

    /// <summary>A [rows, vocab] view of the buffer (contents undefined).</summary>
    public Tensor Rent(long rows, long vocab, Device device)
    {
        if (_buffer is null || _buffer.shape[0] < rows || _buffer.shape[1] != vocab
            || _buffer.device_type != device.type || _buffer.device_index != device.index)
        {
            _buffer?.Dispose();
            _buffer = null;
            _buffer = empty([rows, vocab], _dtype, device).DetachFromDisposeScope();
        }
        return _buffer.narrow(0, 0, rows);
    }

    public void Dispose()
    {
        _buffer?.Dispose();
        _buffer = null;
    }
}
