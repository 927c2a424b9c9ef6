using System.Security.Cryptography;

namespace OrzDynamic.Core.Probes;

/// <summary>Content hash of a <see cref="ProbeItem"/>: prompt, response (ids or text), group and label.</summary>
internal static class ProbeFingerprint
{
    /// <summary>First 16 hex digits of the SHA-256 of the item's content.</summary>
    public static string Of(ProbeItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var sb = new StringBuilder();
        sb.Append(item.Prompt).Append('\u0000');
        if (item.ResponseTokenIds is { } ids) sb.Append("ids:").AppendJoin(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        else sb.Append("text:").Append(item.ResponseText);
        sb.Append('\u0000').Append(item.ReferenceCorrect?.ToString() ?? "-").Append('\u0000').Append(item.Group).Append('\u0000').Append(item.Label);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..16];
    }
}
