using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Models;

/// <summary>
/// Per-layer key/value cache, preallocated as [B, kvHeads, capacity, headDim] and grown (doubling) when a forward pass
/// would overflow it. All rows share the same slot index; per-row padding is expressed through the attention mask.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    /// <summary>Allocates an empty cache for <paramref name="batchSize"/> rows and <paramref name="capacity"/> slots.</summary>
    public KvCache(ModelConfig config, long batchSize, long capacity, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        BatchSize = batchSize;
        Capacity = capacity;
        _keys = new Tensor[config.NumHiddenLayers];
        _values = new Tensor[config.NumHiddenLayers];
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = zeros([batchSize, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
            _values[i] = zeros([batchSize, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
        }
    }

    private KvCache(Tensor[] keys, Tensor[] values, long batchSize, long capacity, long length)
    {
        _keys = keys;
        _values = values;
        BatchSize = batchSize;
        Capacity = capacity;
        Length = length;
    }

    /// <summary>
    /// A new cache in which every row of this one is repeated <paramref name="times"/> times (rows r0…r0, r1…r1, …),
    /// with the same length, e.g. to continue one shared prompt prefix in many rows.
    /// </summary>
    public KvCache RepeatRows(long times)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        var keys = new Tensor[_keys.Length];
        var values = new Tensor[_values.Length];
        using (no_grad())
        {
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = _keys[i].repeat_interleave(times, 0).DetachFromDisposeScope();
                values[i] = _values[i].repeat_interleave(times, 0).DetachFromDisposeScope();
            }
        }
        return new KvCache(keys, values, BatchSize * times, Capacity, Length);
    }

    /// <summary>Rows in the cache.</summary>
    public long BatchSize { get; }

    /// <summary>Slots allocated per layer.</summary>
    public long Capacity { get; private set; }

    /// <summary>
    /// Upper bound of the doubling growth (null = none); a pass that needs more still gets exactly what it needs. Set
    /// by the generator to prompt + maximum steps, so growth never allocates more than the longest possible sequence.
    /// </summary>
    public long? CapacityLimit { get; set; }

    /// <summary>Slots filled (the sequence length the next forward pass continues from).</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Writes k, v [B, kvHeads, T, D] of <paramref name="layer"/> at slots [Length, Length+T) and returns views of all
    /// filled slots [B, kvHeads, Length+T, D]. <see cref="Advance"/> must be called once per forward pass afterwards.
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        var t = k.shape[2];
        if (k.shape[0] != BatchSize) throw new ArgumentException($"Cache holds {BatchSize} rows, got {k.shape[0]}.", nameof(k));
        if (Length + t > Capacity) Grow(Math.Max(Math.Min(Capacity * 2, CapacityLimit ?? long.MaxValue), Length + t));
        using (no_grad())
        {
            _keys[layer].narrow(2, Length, t).copy_(k);
            _values[layer].narrow(2, Length, t).copy_(v);
        }
        // Training: keep the autograd graph of the new keys/values (cached slots are constants).
        if (is_grad_enabled() && (k.requires_grad || v.requires_grad))
            return (cat([_keys[layer].narrow(2, 0, Length), k], 2), cat([_values[layer].narrow(2, 0, Length), v], 2));
        return (_keys[layer].narrow(2, 0, Length + t), _values[layer].narrow(2, 0, Length + t));
    }

    /// <summary>Marks <paramref name="tokens"/> more slots as filled (call after every layer has appended).</summary>
    public void Advance(long tokens) => Length += tokens;

    private void Grow(long capacity)
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = Resize(_keys[i], capacity);
            _values[i] = Resize(_values[i], capacity);
        }
        Capacity = capacity;
    }

    private Tensor Resize(Tensor old, long capacity)
    {
        var shape = old.shape;
        shape[2] = capacity;
        var bigger = zeros(shape, old.dtype, old.device).DetachFromDisposeScope();
        using (no_grad()) bigger.narrow(2, 0, Length).copy_(old.narrow(2, 0, Length));
        old.Dispose();
        return bigger;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _keys) t.Dispose();
        foreach (var t in _values) t.Dispose();
    }
}
