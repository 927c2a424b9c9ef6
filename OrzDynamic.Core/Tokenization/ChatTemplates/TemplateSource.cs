namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>
/// The template text after the reference implementation's preprocessing: one trailing newline dropped, spaces and tabs
/// before a block tag at the start of a line removed (<c>lstrip_blocks</c>), the newline after a block tag removed
/// (<c>trim_blocks</c>), and transformers' <c>{% generation %}</c> markers removed. Every character keeps its offset
/// in the original text, so errors can name the original line and column.
/// </summary>
internal sealed class TemplateSource
{
    private readonly int[] _lineStarts;
    private readonly int[] _offsets;

    private TemplateSource(string original, string text, int[] offsets)
    {
        Original = original;
        Text = text;
        _offsets = offsets;
        var starts = new List<int> { 0 };
        for (var i = 0; i < original.Length; i++)
            if (original[i] == '\n') starts.Add(i + 1);
        _lineStarts = [.. starts];
    }

    /// <summary>The template as written.</summary>
    public string Original { get; }

    /// <summary>The preprocessed text the lexer reads.</summary>
    public string Text { get; }

    public static TemplateSource Preprocess(string original)
    {
        var text = new Mapped(original);
        if (original.EndsWith('\n')) text = text.Remove(original.Length - 1, 1);
        text = LstripBlocks(text);
        text = TrimBlocks(text);
        text = RemoveGenerationTags(text);
        return new TemplateSource(original, text.Text, text.Offsets);
    }

    /// <summary>The 1-based line and column in the original text of preprocessed position <paramref name="index"/>.</summary>
    public (int Line, int Column) Locate(int index)
    {
        var offset = index < 0 ? 0 : index >= _offsets.Length ? Original.Length : _offsets[index];
        var line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0) line = ~line - 1;
        return (line + 1, offset - _lineStarts[line] + 1);
    }

    private static Mapped LstripBlocks(Mapped text)
    {
        var s = text.Text;
        var keep = new bool[s.Length];
        Array.Fill(keep, true);
        for (var start = 0; start <= s.Length; start++)
        {
            if (start > 0 && !JsText.IsLineTerminator(s[start - 1])) continue;
            var j = start;
            while (j < s.Length && (s[j] == ' ' || s[j] == '\t')) j++;
            if (j > start && j + 1 < s.Length && s[j] == '{' && (s[j + 1] == '#' || s[j + 1] == '%' || s[j + 1] == '-'))
                for (var k = start; k < j; k++) keep[k] = false;
        }
        return text.Keep(keep);
    }

    private static Mapped TrimBlocks(Mapped text)
    {
        var s = text.Text;
        var keep = new bool[s.Length];
        Array.Fill(keep, true);
        for (var i = 0; i + 2 < s.Length; i++)
        {
            if ((s[i] == '#' || s[i] == '%' || s[i] == '-') && s[i + 1] == '}' && s[i + 2] == '\n')
            {
                keep[i + 2] = false;
                i += 2;
            }
        }
        return text.Keep(keep);
    }

    private static Mapped RemoveGenerationTags(Mapped text)
    {
        var s = text.Text;
        if (!s.Contains("generation", StringComparison.Ordinal)) return text;
        var keep = new bool[s.Length];
        Array.Fill(keep, true);
        var lastIndex = 0;
        for (var i = 0; i + 1 < s.Length; i++)
        {
            if (s[i] != '{' || s[i + 1] != '%') continue;
            var j = i + 2;
            var lstrip = j < s.Length && s[j] == '-';
            if (lstrip) j++;
            while (j < s.Length && JsText.IsWhitespace(s[j])) j++;
            if (string.CompareOrdinal(s, j, "end", 0, 3) == 0) j += 3;
            if (string.CompareOrdinal(s, j, "generation", 0, 10) != 0) continue;
            j += 10;
            while (j < s.Length && JsText.IsWhitespace(s[j])) j++;
            var rstrip = j < s.Length && s[j] == '-';
            if (rstrip) j++;
            if (j + 1 >= s.Length || s[j] != '%' || s[j + 1] != '}') continue;
            j += 2;
            var afterStart = j;
            while (j < s.Length && JsText.IsWhitespace(s[j])) j++;
            var removeFrom = i;
            while (lstrip && removeFrom > lastIndex && JsText.IsWhitespace(s[removeFrom - 1])) removeFrom--;
            var removeTo = rstrip ? j : afterStart;
            for (var k = removeFrom; k < removeTo; k++) keep[k] = false;
            lastIndex = j;
            i = j - 1;
        }
        return text.Keep(keep);
    }

    /// <summary>A string with, for each character, its offset in the original template (plus one entry for the end).</summary>
    private readonly record struct Mapped(string Text, int[] Offsets)
    {
        public Mapped(string original)
            : this(original, Enumerable.Range(0, original.Length + 1).ToArray())
        {
        }

        public Mapped Remove(int start, int count)
        {
            var keep = new bool[Text.Length];
            Array.Fill(keep, true);
            for (var i = start; i < start + count; i++) keep[i] = false;
            return Keep(keep);
        }

        public Mapped Keep(bool[] keep)
        {
            var sb = new StringBuilder(Text.Length);
            var offsets = new List<int>(Text.Length + 1);
            for (var i = 0; i < Text.Length; i++)
            {
                if (!keep[i]) continue;
                sb.Append(Text[i]);
                offsets.Add(Offsets[i]);
            }
            offsets.Add(Offsets[Text.Length]);
            return new Mapped(sb.ToString(), [.. offsets]);
        }
    }
}
