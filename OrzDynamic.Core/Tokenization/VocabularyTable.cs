namespace OrzDynamic.Core.Tokenization;

/// <summary>Two-way token/id table of a model vocabulary.</summary>
internal sealed class VocabularyTable
{
    private readonly Dictionary<string, int> _toId;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spanLookup;
    private readonly Dictionary<int, string> _toToken;

    public VocabularyTable(Dictionary<string, int> toId, string file)
    {
        _toId = toId;
        _spanLookup = toId.GetAlternateLookup<ReadOnlySpan<char>>();
        _toToken = new Dictionary<int, string>(toId.Count);
        foreach (var (token, id) in toId)
        {
            if (id < 0) throw new TokenizerLoadException(file, $"model.vocab[\"{token}\"]", $"has negative id {id}.");
            if (!_toToken.TryAdd(id, token))
                throw new TokenizerLoadException(file, $"model.vocab[\"{token}\"]", $"id {id} is also used by \"{_toToken[id]}\".");
        }
    }

    public IReadOnlyDictionary<string, int> ToId => _toId;

    public int MaxId => _toToken.Count == 0 ? -1 : _toToken.Keys.Max();

    public int Count => _toId.Count;

    public bool TryGetId(string token, out int id) => _toId.TryGetValue(token, out id);

    public bool TryGetId(ReadOnlySpan<char> token, out int id) => _spanLookup.TryGetValue(token, out id);

    public bool TryGetToken(int id, out string token) => _toToken.TryGetValue(id, out token!);
}
