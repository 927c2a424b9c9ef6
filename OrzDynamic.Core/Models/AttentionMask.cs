namespace OrzDynamic.Core.Models;

/// <summary>
/// Which key slots the queries of one forward pass may attend to, described without materialising a [T, S] matrix:
/// T new queries sit at slots [<see cref="PastLength"/>, <see cref="KeyLength"/>) after the cached slots; a query may see
/// a key when the key's slot is not after its own and the key is a real token (<see cref="KeyPadding"/>). A slot may
/// always see itself, so that fully padded query rows stay finite (their outputs are never used). Masks for a range
/// of queries are built on demand by <see cref="Build"/>; the last one built is kept (so the layers of a decode step
/// share one) until <see cref="Dispose"/>. The caller owns <see cref="KeyPadding"/>.
/// </summary>
internal sealed class AttentionMask : IDisposable
{
    private (long Start, long Length, int Group, Tensor Mask)? _last;

    /// <summary>
    /// Elements of one chunk's attention block (batch × heads × queries × keys) that automatic chunking stays within; the
    /// chunk's mask is this ÷ heads booleans plus as many floats (libtorch converts it), e.g. 6 MB for 14 heads.
    /// </summary>
    public const long DefaultChunkElements = 1L << 24;

    /// <summary>Creates the description.</summary>
    /// <param name="batchSize">B.</param>
    /// <param name="queryLength">T, new tokens in this pass (≥ 1).</param>
    /// <param name="pastLength">Cached slots before them (≥ 0).</param>
    /// <param name="keyPadding">Boolean [B, S] with S = past + T (true = real token), or null when every slot is real.</param>
    /// <param name="path">Requested kernel path.</param>
    /// <param name="queryChunk">Queries per chunk on the chunked path; null = chosen from <see cref="DefaultChunkElements"/>.</param>
    public AttentionMask(long batchSize, long queryLength, long pastLength, Tensor? keyPadding, AttentionPath path = AttentionPath.Auto, long? queryChunk = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queryLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(pastLength);
        if (queryChunk is < 1) throw new ArgumentOutOfRangeException(nameof(queryChunk), queryChunk, "The query chunk must be positive.");
        if (keyPadding is not null && (keyPadding.dim() != 2 || keyPadding.shape[0] != batchSize || keyPadding.shape[1] != pastLength + queryLength || keyPadding.dtype != ScalarType.Bool))
            throw new ArgumentException($"keyPadding must be a boolean [B={batchSize}, S={pastLength + queryLength}], got {keyPadding.dtype} [{string.Join(", ", keyPadding.shape)}].", nameof(keyPadding));
        (BatchSize, QueryLength, PastLength) = (batchSize, queryLength, pastLength);
        (KeyPadding, Path, QueryChunk) = (keyPadding, path, queryChunk);
    }

    /// <summary>B.</summary>
    public long BatchSize { get; }

    /// <summary>T, the new queries.</summary>
    public long QueryLength { get; }

    /// <summary>Cached slots before the new queries.</summary>
    public long PastLength { get; }

    /// <summary>S = past + T, all key slots.</summary>
    public long KeyLength => PastLength + QueryLength;

    /// <summary>Boolean [B, S] (true = real token), or null when no slot is padding.</summary>
    public Tensor? KeyPadding { get; }

    /// <summary>The requested path.</summary>
    public AttentionPath Path { get; }

    /// <summary>Queries per chunk on the chunked path, or null for automatic.</summary>
    public long? QueryChunk { get; }

    /// <summary>The path that <see cref="Attention"/> takes for this mask (<see cref="AttentionPath.Auto"/> resolved).</summary>
    public AttentionPath ResolvedPath => Path != AttentionPath.Auto ? Path
        : KeyPadding is null && (PastLength == 0 || QueryLength == 1) ? AttentionPath.Auto : AttentionPath.Chunked;

    /// <summary>
    /// Queries per chunk: <see cref="QueryChunk"/> when set, else as many as keep B × heads × chunk × S ≤
    /// <see cref="DefaultChunkElements"/> (at least 1, at most T). Depends only on the shapes, so it is deterministic.
    /// </summary>
    public long ChunkLength(int heads)
    {
        if (QueryChunk is { } fixedChunk) return Math.Min(fixedChunk, QueryLength);
        var perQuery = BatchSize * heads * KeyLength;
        return Math.Clamp(DefaultChunkElements / perQuery, 1, QueryLength);
    }

    /// <summary>
    /// The boolean mask (true = may attend) of queries [<paramref name="start"/>, start + <paramref name="length"/>)
    /// against key slots [0, past + start + length), i.e. only the keys those queries can see, as
    /// [B, 1, G·length, keys] in the grouped-query layout of <see cref="Attention"/> (the mask rows repeated for the
    /// <paramref name="groupSize"/> query heads sharing a key/value head).
    /// </summary>
    public Tensor Build(long start, long length, int groupSize, Device device)
    {
        if (start < 0 || length < 1 || start + length > QueryLength)
            throw new ArgumentOutOfRangeException(nameof(length), $"Query range [{start}, {start + length}) is outside [0, {QueryLength}).");
        if (_last is { } last && last.Start == start && last.Length == length && last.Group == groupSize && !last.Mask.IsInvalid
            && last.Mask.device_type == device.type && last.Mask.device_index == device.index)
            return last.Mask.alias();
        using var scope = NewDisposeScope();
        var keys = PastLength + start + length;
        var qSlot = arange(PastLength + start, keys, ScalarType.Int64, device).unsqueeze(1);
        var kSlot = arange(0, keys, ScalarType.Int64, device).unsqueeze(0);
        var allowed = kSlot.le(qSlot).unsqueeze(0); // [1, len, keys]
        if (KeyPadding is not null)
            allowed = allowed.logical_and(KeyPadding.narrow(1, 0, keys).unsqueeze(1)).logical_or(kSlot.eq(qSlot).unsqueeze(0));
        else
            allowed = allowed.expand(BatchSize, length, keys);
        var mask = Attention.GroupMask(allowed.unsqueeze(1), groupSize).DetachFromDisposeScope(); // [B, 1, G·len, keys]
        _last?.Mask.Dispose();
        _last = (start, length, groupSize, mask);
        return mask.alias().MoveToOuterDisposeScope();
    }

    /// <summary>Releases the kept mask.</summary>
    public void Dispose()
    {
        _last?.Mask.Dispose();
        _last = null;
    }
}
