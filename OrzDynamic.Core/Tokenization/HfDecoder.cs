namespace OrzDynamic.Core.Tokenization;

/// <summary>
/// The tokenizer.json <c>decoder</c>: ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace and Sequence of
/// these, applied to the token strings as transformers.js does (added tokens pass through ByteLevel unchanged).
/// </summary>
internal sealed class HfDecoder
{
    private delegate List<string> Step(List<string> tokens, HashSet<string> addedTokens);

    private readonly Step[] _steps;

    private HfDecoder(Step[] steps) => _steps = steps;

    public static HfDecoder FromJson(JsonElement? node, string file)
    {
        var steps = new List<Step>();
        if (node is not null) Add(node.Value, file, "decoder", steps);
        return new HfDecoder(steps.ToArray());
    }

    public string Decode(List<string> tokens, HashSet<string> addedTokens)
    {
        foreach (var step in _steps) tokens = step(tokens, addedTokens);
        return string.Concat(tokens);
    }

    private static void Add(JsonElement root, string file, string rootPath, List<Step> steps) =>
        JsonReaders.VisitComponents(root, "decoders", file, rootPath, (node, type, path) => AddOne(node, type, file, path, steps));

    private static void AddOne(JsonElement node, string type, string file, string path, List<Step> steps)
    {
        switch (type)
        {
            case "ByteLevel": steps.Add(ByteLevel); break;
            case "ByteFallback": steps.Add(ByteFallback); break;
            case "Fuse": steps.Add((tokens, _) => [string.Concat(tokens)]); break;
            case "Replace":
            {
                var content = JsonReaders.RequireString(node, "content", file, path + ".content");
                var pattern = JsonReaders.RequireObject(node, "pattern", file, path + ".pattern");
                if (pattern.TryGetProperty("String", out var literal) && literal.ValueKind == JsonValueKind.String)
                {
                    var from = literal.GetString()!;
                    steps.Add((tokens, _) => tokens.ConvertAll(t => t.Replace(from, content, StringComparison.Ordinal)));
                }
                else if (pattern.TryGetProperty("Regex", out var rx) && rx.ValueKind == JsonValueKind.String)
                {
                    var regex = PatternRegex.Create(rx.GetString()!, file, path + ".pattern.Regex");
                    var replacement = content.Replace("$", "$$", StringComparison.Ordinal);
                    steps.Add((tokens, _) => tokens.ConvertAll(t => regex.Replace(t, replacement)));
                }
                else throw new TokenizerLoadException(file, path + ".pattern", "must hold a \"String\" or \"Regex\" value.");
                break;
            }
            case "Strip":
            {
                var content = JsonReaders.RequireString(node, "content", file, path + ".content");
                if (content.Length != 1) throw new TokenizerLoadException(file, path + ".content", "must be a single character.");
                var start = JsonReaders.RequireInt(node, "start", file, path + ".start");
                var stop = JsonReaders.RequireInt(node, "stop", file, path + ".stop");
                steps.Add((tokens, _) => tokens.ConvertAll(t => Strip(t, content[0], start, stop)));
                break;
            }
            case "Metaspace":
            {
                var replacement = JsonReaders.OptionalString(node, "replacement", file, path + ".replacement") ?? "\u2581";
                var scheme = JsonReaders.OptionalString(node, "prepend_scheme", file, path + ".prepend_scheme")
                             ?? (JsonReaders.OptionalBool(node, "add_prefix_space", true, file, path + ".add_prefix_space") ? "always" : "never");
                var stripFirst = scheme != "never";
                steps.Add((tokens, _) =>
                {
                    var result = new List<string>(tokens.Count);
                    for (var k = 0; k < tokens.Count; k++)
                    {
                        var t = tokens[k].Replace(replacement, " ", StringComparison.Ordinal);
                        if (k == 0 && stripFirst && t.StartsWith(' ')) t = t[1..];
                        result.Add(t);
                    }
                    return result;
                });
                break;
            }
            default:
                throw new NotSupportedException($"{file}: decoder type '{type}' (at {path}) is not supported by HfTokenizer.");
        }
    }

    private static List<string> ByteLevel(List<string> tokens, HashSet<string> addedTokens)
    {
        var result = new List<string>();
        var bytes = new List<byte>();
        void Flush()
        {
            if (bytes.Count == 0) return;
            result.Add(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }
        foreach (var token in tokens)
        {
            if (addedTokens.Contains(token)) { Flush(); result.Add(token); continue; }
            if (!ByteLevelAlphabet.TryAppendBytes(token, bytes)) bytes.AddRange(Encoding.UTF8.GetBytes(token));
        }
        Flush();
        return result;
    }

    private static List<string> ByteFallback(List<string> tokens, HashSet<string> addedTokens)
    {
        var result = new List<string>(tokens.Count);
        var pending = new List<byte>();
        void Flush()
        {
            if (pending.Count == 0) return;
            var array = pending.ToArray();
            try
            {
                result.Add(new UTF8Encoding(false, true).GetString(array));
            }
            catch (DecoderFallbackException)
            {
                foreach (var _ in array) result.Add("\uFFFD");
            }
            pending.Clear();
        }
        foreach (var token in tokens)
        {
            if (token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
                && byte.TryParse(token.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                pending.Add(b);
                continue;
            }
            Flush();
            result.Add(token);
        }
        Flush();
        return result;
    }

    private static string Strip(string token, char content, int start, int stop)
    {
        var from = 0;
        while (from < start && from < token.Length && token[from] == content) from++;
        var to = token.Length;
        var removed = 0;
        while (removed < stop && to > from && token[to - 1] == content) { to--; removed++; }
        return token[from..to];
    }
}
