namespace OrzDynamic.Core.Tokenization;

/// <summary>
/// .NET regexes see UTF-16 code units, so <c>\p{L}</c> misses supplementary-plane letters (e.g. 𝑥, CJK Ext-B) and
/// single-character constructs like <c>[^\s\p{L}\p{N}]?</c> can split a surrogate pair, whereas the Rust and
/// JavaScript engines behind Hugging Face tokenizers match code points. This maps text containing surrogate pairs
/// to a proxy string with one BMP character of the same Unicode category per code point, so a regex matched on the
/// proxy behaves as a code-point regex; <see cref="OriginalOffset"/> maps proxy positions back.
/// </summary>
internal sealed class CodePointProxy
{
    private static readonly char[] Representative = BuildRepresentatives();

    private CodePointProxy(string text, int[] offsets)
    {
        Text = text;
        Offsets = offsets;
    }

    /// <summary>The proxy text (one char per code point).</summary>
    public string Text { get; }

    private int[] Offsets { get; }

    /// <summary>Returns null when <paramref name="text"/> has no surrogate pair (the text can be matched as is).</summary>
    public static CodePointProxy? TryCreate(ReadOnlySpan<char> text)
    {
        if (text.IndexOfAnyInRange('\uD800', '\uDFFF') < 0) return null;
        var proxy = new StringBuilder(text.Length);
        var offsets = new List<int>(text.Length + 1);
        var i = 0;
        while (i < text.Length)
        {
            offsets.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var rune = new Rune(text[i], text[i + 1]);
                proxy.Append(Representative[(int)Rune.GetUnicodeCategory(rune)]);
                i += 2;
            }
            else
            {
                proxy.Append(text[i]);
                i++;
            }
        }
        offsets.Add(text.Length);
        return new CodePointProxy(proxy.ToString(), offsets.ToArray());
    }

    /// <summary>The offset in the original text of proxy position <paramref name="proxyIndex"/>.</summary>
    public int OriginalOffset(int proxyIndex) => Offsets[proxyIndex];

    private static char[] BuildRepresentatives()
    {
        // Non-ASCII BMP characters of each category, so that no ASCII literal in a pattern can match them.
        var table = new char[32];
        Array.Fill(table, '\uFFFD');
        var found = new bool[32];
        for (var c = 0x00A0; c < 0xFFFF; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF) continue;
            var category = (int)CharUnicodeInfo.GetUnicodeCategory((char)c);
            if (found[category]) continue;
            found[category] = true;
            table[category] = (char)c;
        }
        return table;
    }
}
