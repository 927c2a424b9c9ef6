namespace OrzDynamic.Core.Generation;

/// <summary>Compares prompts by their token ids (two encodings of the same text are equal).</summary>
internal sealed class PromptIdsComparer : IEqualityComparer<IReadOnlyList<int>>
{
    /// <summary>The one instance.</summary>
    public static PromptIdsComparer Instance { get; } = new();

    private PromptIdsComparer()
    {
    }

    /// <inheritdoc />
    public bool Equals(IReadOnlyList<int>? x, IReadOnlyList<int>? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null || x.Count != y.Count) return false;
        for (var i = 0; i < x.Count; i++)
            if (x[i] != y[i]) return false;
        return true;
    }

    /// <inheritdoc />
    public int GetHashCode(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var hash = new HashCode();
        hash.Add(ids.Count);
        foreach (var id in ids) hash.Add(id);
        return hash.ToHashCode();
    }
}
