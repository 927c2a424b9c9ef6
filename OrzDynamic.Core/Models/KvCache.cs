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

    /// <summary>
    /// A new cache with the filled slots of this one (same rows and length) in storage of <paramref name="capacity"/>
    /// slots, e.g. to start another batch from a prompt prefix computed once.
    /// </summary>
    internal KvCache CopyWithCapacity(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, Math.Max(1, Length));
        var keys = new Tensor[_keys.Length];
        var values = new Tensor[_values.Length];
        using (no_grad())
        {
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = Resize(_keys[i], capacity, disposeOld: false);
                values[i] = Resize(_values[i], capacity, disposeOld: false);
            }
        }
        return new KvCache(keys, values, BatchSize, capacity, Length);
    }

    /// <summary>Rows in the cache.</summary>
    public long BatchSize { get; private set; }

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
        var t = k.size(2);
        if (k.size(0) != BatchSize) throw new ArgumentException($"Cache holds {BatchSize} rows, got {k.size(0)}.", nameof(k));
        MakeRoom(t);
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

    /// <summary>
    /// The whole storage of <paramref name="layer"/>: keys and values [B, kvHeads, <see cref="Capacity"/>, D], owned by the
    /// cache (do not dispose; valid until the cache grows or changes rows). For the decoding-step attention kernel.
    /// </summary>
    internal (Tensor Keys, Tensor Values) Storage(int layer) => (_keys[layer], _values[layer]);

    /// <summary>
    /// <see cref="Storage"/> after making room for <paramref name="tokens"/> more slots (growing as
    /// <see cref="Append"/> would), for a kernel that writes slots [Length, Length + tokens) itself.
    /// </summary>
    internal (Tensor Keys, Tensor Values) StorageForAppend(int layer, long tokens)
    {
        MakeRoom(tokens);
        return Storage(layer);
    }

    /// <summary>Grows the storage (doubling, up to <see cref="CapacityLimit"/>) when <paramref name="tokens"/> more slots do not fit.</summary>
    private void MakeRoom(long tokens)
    {
        if (Length + tokens > Capacity) Grow(Math.Max(Math.Min(Capacity * 2, CapacityLimit ?? long.MaxValue), Length + tokens));
    }

    /// <summary>Marks <paramref name="tokens"/> more slots as filled (call after every layer has appended).</summary>
    public void Advance(long tokens) => Length += tokens;

    private void Grow(long capacity)
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = Resize(_keys[i], capacity, disposeOld: true);
            _values[i] = Resize(_values[i], capacity, disposeOld: true);
        }
        Capacity = capacity;
    }

    /// <summary>Zeroed storage of <paramref name="capacity"/> slots holding the filled slots of <paramref name="old"/>.</summary>
    private Tensor Resize(Tensor old, long capacity, bool disposeOld)
    {
        var shape = old.shape;
        shape[2] = capacity;
        var bigger = zeros(shape, old.dtype, old.device).DetachFromDisposeScope();
        using (no_grad()) bigger.narrow(2, 0, Length).copy_(old.narrow(2, 0, Length));
        if (disposeOld) old.Dispose();
        return bigger;
    }

    /// <summary>
    /// Copies the filled slots [0, source.Length) of row <paramref name="sourceRow"/> of <paramref name="source"/> into
    /// row <paramref name="row"/> of this cache at slots [<paramref name="slot"/>, slot + source.Length), which must
    /// already be filled (e.g. to place a prompt prefilled alone into one slot of a running batch).
    /// </summary>
    public void CopyRowFrom(KvCache source, long sourceRow, long row, long slot)
    {
        ArgumentNullException.ThrowIfNull(source);
        var n = source.Length;
        if (source._keys.Length != _keys.Length) throw new ArgumentException("Caches of different models.", nameof(source));
        if (slot < 0 || slot + n > Length) throw new ArgumentOutOfRangeException(nameof(slot), slot, $"slots [{slot}, {slot + n}) are not all filled (length {Length}).");
        using (no_grad())
        {
            for (var i = 0; i < _keys.Length; i++)
            {
                _keys[i][row].narrow(1, slot, n).copy_(source._keys[i][sourceRow].narrow(1, 0, n));
                _values[i][row].narrow(1, slot, n).copy_(source._values[i][sourceRow].narrow(1, 0, n));
            }
        }
    }

    /// <summary>
    /// Removes the first <paramref name="count"/> filled slots of every row (shifting the rest to the front), e.g. slots
    /// that every row masks out. Rotary positions are stored in the keys, so the shift changes no result.
    /// </summary>
    public void DropLeadingSlots(long count)
    {
        if (count < 0 || count > Length) throw new ArgumentOutOfRangeException(nameof(count), count, $"must be in [0, {Length}].");
        if (count == 0) return;
        var keep = Length - count;
        using (no_grad())
        {
            for (var i = 0; i < _keys.Length; i++)
            {
                using var k = _keys[i].narrow(2, count, keep).clone();
                using var v = _values[i].narrow(2, count, keep).clone();
                _keys[i].narrow(2, 0, keep).copy_(k);
                _values[i].narrow(2, 0, keep).copy_(v);
            }
        }
        Length = keep;
    }

    /// <summary>Keeps only the given rows, in the given order (e.g. to drop rows that finished).</summary>
    public void KeepRows(IReadOnlyList<long> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("At least one row must be kept.", nameof(rows));
        using var index = tensor(rows.ToArray(), ScalarType.Int64, _keys[0].device);
        using (no_grad())
        {
            for (var i = 0; i < _keys.Length; i++)
            {
                var k = _keys[i].index_select(0, index).DetachFromDisposeScope();
                var v = _values[i].index_select(0, index).DetachFromDisposeScope();
                _keys[i].Dispose();
                _values[i].Dispose();
                _keys[i] = k;
                _values[i] = v;
            }
        }
        BatchSize = rows.Count;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _keys) t.Dispose();
        foreach (var t in _values) t.Dispose();
    }
}
