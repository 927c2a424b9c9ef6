using System.Buffers;
using System.Text;

namespace OrzDynamic.Datasets.Loading;

/// <summary>
/// Reads a data file as strict UTF-8 (a leading BOM is skipped). Invalid byte sequences are found with their byte
/// offset: by default the file is refused (the caller reports file, line and offset); on request each invalid
/// sequence becomes U+FFFD, as a lenient decoder would do silently, and the offsets are returned for a warning.
/// </summary>
internal static class Utf8FileReader
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="replaceInvalid">Replace invalid sequences with U+FFFD (true) or stop at the first one (false).</param>
    /// <param name="invalid">Byte offset and 1-based line of each invalid sequence (only the first when not replacing).</param>
    /// <returns>The text, or null when the file holds invalid UTF-8 and <paramref name="replaceInvalid"/> is false.</returns>
    public static string? Read(string path, bool replaceInvalid, out IReadOnlyList<(long Offset, int Line)> invalid)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = File.ReadAllBytes(path);
        ReadOnlySpan<byte> span = bytes;
        int start = span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        if (System.Text.Unicode.Utf8.IsValid(span[start..]))
        {
            invalid = [];
            return Encoding.UTF8.GetString(span[start..]);
        }
        var found = new List<(long, int)>();
        var sb = new StringBuilder(bytes.Length);
        int pos = start, line = 1, lineCountedTo = 0;
        Span<char> chars = stackalloc char[2];
        while (pos < bytes.Length)
        {
            var rest = span[pos..];
            var status = Rune.DecodeFromUtf8(rest, out var rune, out int consumed);
            if (status == OperationStatus.Done)
            {
                sb.Append(chars[..rune.EncodeToUtf16(chars)]);
                pos += consumed;
                continue;
            }
            for (; lineCountedTo < pos; lineCountedTo++) if (bytes[lineCountedTo] == (byte)'\n') line++;
            found.Add((pos, line));
            if (!replaceInvalid)
            {
                invalid = found;
                return null;
            }
            sb.Append('\uFFFD');
            pos += Math.Max(1, consumed);
        }
        invalid = found;
        return sb.ToString();
    }
}
