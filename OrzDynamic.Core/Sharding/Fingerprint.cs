namespace OrzDynamic.Core.Sharding;

/// <summary>Order-sensitive 64-bit FNV-1a fingerprint of a sequence of sample keys (streaming, constant memory).</summary>
internal struct Fingerprint
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;
    private ulong _hash;
    private bool _started;

    /// <summary>Adds one integer.</summary>
    public void Add(int value)
    {
        if (!_started) { _hash = Offset; _started = true; }
        for (int i = 0; i < 4; i++)
        {
            _hash ^= (byte)(value >> (8 * i));
            _hash *= Prime;
        }
    }

    /// <summary>Adds a string (UTF-8 bytes, then a separator).</summary>
    public void Add(string value)
    {
        if (!_started) { _hash = Offset; _started = true; }
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            _hash ^= b;
            _hash *= Prime;
        }
        Add(-1);
    }

    /// <summary>16 lower-case hex digits.</summary>
    public readonly override string ToString() => (_started ? _hash : Offset).ToString("x16", CultureInfo.InvariantCulture);
}
