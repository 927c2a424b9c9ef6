namespace OrzDynamic.Core.Tokenization;

/// <summary>
/// The GPT-2 byte-to-unicode alphabet used by byte-level BPE: every byte 0..255 is shown as one printable
/// character (printable Latin-1 bytes map to themselves, the others to U+0100 and up), so a vocabulary of
/// strings can hold arbitrary UTF-8 byte sequences.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToCharTable = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByteTable = BuildCharToByte();

    /// <summary>The 256 alphabet characters, indexed by byte value.</summary>
    public static IReadOnlyList<char> Characters => ByteToCharTable;

    /// <summary>The alphabet character that stands for <paramref name="value"/>.</summary>
    public static char ByteToChar(byte value) => ByteToCharTable[value];

    /// <summary>The byte that <paramref name="c"/> stands for, or false when it is not an alphabet character.</summary>
    public static bool TryCharToByte(char c, out byte value) => CharToByteTable.TryGetValue(c, out value);

    /// <summary>Maps text to its byte-level form (UTF-8 bytes, each shown as its alphabet character).</summary>
    public static string Encode(ReadOnlySpan<char> text)
    {
        var byteCount = Encoding.UTF8.GetByteCount(text);
        Span<byte> bytes = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(text, bytes);
        var chars = byteCount <= 512 ? stackalloc char[byteCount] : new char[byteCount];
        for (var i = 0; i < byteCount; i++) chars[i] = ByteToCharTable[bytes[i]];
        return new string(chars);
    }

    /// <summary>
    /// Appends the bytes that byte-level <paramref name="token"/> stands for. Returns false (and appends nothing)
    /// when the token contains a character outside the alphabet.
    /// </summary>
    public static bool TryAppendBytes(string token, List<byte> destination)
    {
        foreach (var c in token)
            if (!CharToByteTable.ContainsKey(c)) return false;
        foreach (var c in token) destination.Add(CharToByteTable[c]);
        return true;
    }

    private static char[] BuildByteToChar()
    {
        var table = new char[256];
        var assigned = new bool[256];
        for (var b = '!'; b <= '~'; b++) { table[b] = b; assigned[b] = true; }
        for (var b = '\u00A1'; b <= '\u00AC'; b++) { table[b] = b; assigned[b] = true; }
        for (var b = '\u00AE'; b <= '\u00FF'; b++) { table[b] = b; assigned[b] = true; }
        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            if (assigned[b]) continue;
            table[b] = (char)(256 + next);
            next++;
        }
        return table;
    }

    private static Dictionary<char, byte> BuildCharToByte()
    {
        var map = new Dictionary<char, byte>(256);
        for (var b = 0; b < 256; b++) map[ByteToCharTable[b]] = (byte)b;
        return map;
    }
}
