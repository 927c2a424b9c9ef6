using System.Buffers.Binary;
using System.Text;

namespace OrzDynamic.Metrics.Runtime;

/// <summary>
/// Reads and edits the symbol-version requirements (<c>.gnu.version_r</c>, <c>SHT_GNU_verneed</c>) of a 64-bit
/// little-endian ELF shared object. Used to mark one required library version as weak so that the dynamic loader
/// accepts an older libstdc++ that lacks it.
/// </summary>
public static class ElfVersionNeedPatcher
{
    /// <summary><c>VER_FLG_WEAK</c>: a missing version is not a fatal error for the loader.</summary>
    public const ushort VerFlagWeak = 0x2;

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtStrtab = 3;

    /// <summary>One version requirement (<c>Elf64_Vernaux</c>) of the file.</summary>
    /// <param name="Library">The needed library's file name (e.g. libstdc++.so.6).</param>
    /// <param name="Version">The version name (e.g. GLIBCXX_3.4.32).</param>
    /// <param name="Flags">The <c>vna_flags</c> field.</param>
    /// <param name="FlagsOffset">File offset of <c>vna_flags</c>.</param>
    public readonly record struct VersionNeed(string Library, string Version, ushort Flags, long FlagsOffset);

    /// <summary>Lists every version requirement in the file image.</summary>
    /// <exception cref="ElfFormatException">The bytes are not a well-formed 64-bit little-endian ELF with a verneed section.</exception>
    public static IReadOnlyList<VersionNeed> ReadVersionNeeds(ReadOnlySpan<byte> elf, string path = "<memory>")
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new ElfFormatException(path, "not an ELF file (bad magic)");
        if (elf[4] != 2) throw new ElfFormatException(path, "not a 64-bit ELF (EI_CLASS != ELFCLASS64)");
        if (elf[5] != 1) throw new ElfFormatException(path, "not a little-endian ELF (EI_DATA != ELFDATA2LSB)");

        long shoff = checked((long)U64(elf, 0x28, path));
        int shentsize = U16(elf, 0x3A, path);
        int shnum = U16(elf, 0x3C, path);
        if (shoff == 0 || shnum == 0) throw new ElfFormatException(path, "ELF has no section headers");
        if (shentsize < 64) throw new ElfFormatException(path, $"section header size {shentsize} is smaller than Elf64_Shdr");
        if (shoff + (long)shentsize * shnum > elf.Length) throw new ElfFormatException(path, "section header table extends past end of file");

        var result = new List<VersionNeed>();
        bool found = false;
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)(shoff + (long)i * shentsize));
            if (U32(elf, sh + 4, path) != ShtGnuVerneed) continue;
            found = true;
            long offset = checked((long)U64(elf, sh + 0x18, path));
            long size = checked((long)U64(elf, sh + 0x20, path));
            int link = (int)U32(elf, sh + 0x28, path);
            uint count = U32(elf, sh + 0x2C, path);
            if (offset + size > elf.Length) throw new ElfFormatException(path, "SHT_GNU_verneed section extends past end of file");
            if (link <= 0 || link >= shnum) throw new ElfFormatException(path, $"verneed sh_link {link} is not a valid section index");
            int strSh = checked((int)(shoff + (long)link * shentsize));
            if (U32(elf, strSh + 4, path) != ShtStrtab) throw new ElfFormatException(path, "verneed sh_link does not point at a string table");
            long strOff = checked((long)U64(elf, strSh + 0x18, path));
            long strSize = checked((long)U64(elf, strSh + 0x20, path));
            if (strOff + strSize > elf.Length) throw new ElfFormatException(path, "string table extends past end of file");
            var strtab = elf.Slice((int)strOff, (int)strSize);

            long vn = offset;
            for (uint n = 0; n < count; n++)
            {
                if (vn + 16 > offset + size) throw new ElfFormatException(path, "Elf64_Verneed entry outside its section");
                int cnt = U16(elf, (int)vn + 2, path);
                string file = CString(strtab, U32(elf, (int)vn + 4, path), path);
                long aux = vn + U32(elf, (int)vn + 8, path);
                for (int a = 0; a < cnt; a++)
                {
                    if (aux + 16 > offset + size) throw new ElfFormatException(path, "Elf64_Vernaux entry outside its section");
                    ushort flags = U16(elf, (int)aux + 4, path);
                    string name = CString(strtab, U32(elf, (int)aux + 8, path), path);
                    result.Add(new VersionNeed(file, name, flags, aux + 4));
                    uint next = U32(elf, (int)aux + 12, path);
                    if (next == 0) break;
                    aux += next;
                }
                uint vnNext = U32(elf, (int)vn + 12, path);
                if (vnNext == 0) break;
                vn += vnNext;
            }
        }
        if (!found) throw new ElfFormatException(path, "ELF has no SHT_GNU_verneed (.gnu.version_r) section");
        return result;
    }

    /// <summary>
    /// Sets <see cref="VerFlagWeak"/> on the requirement named <paramref name="version"/> in the image, in place.
    /// Returns the number of entries changed (0 when every match was already weak).
    /// </summary>
    /// <exception cref="ElfFormatException">The file has no requirement with that version name.</exception>
    public static int MarkVersionWeak(Span<byte> elf, string version, string path = "<memory>")
    {
        var needs = ReadVersionNeeds(elf, path);
        int changed = 0;
        bool any = false;
        foreach (var need in needs)
        {
            if (need.Version != version) continue;
            any = true;
            if ((need.Flags & VerFlagWeak) != 0) continue;
            BinaryPrimitives.WriteUInt16LittleEndian(elf.Slice((int)need.FlagsOffset, 2), (ushort)(need.Flags | VerFlagWeak));
            changed++;
        }
        if (!any) throw new ElfFormatException(path, $"no version requirement named {version} in .gnu.version_r");
        return changed;
    }

    private static string CString(ReadOnlySpan<byte> strtab, uint offset, string path)
    {
        if (offset >= strtab.Length) throw new ElfFormatException(path, $"string offset {offset} outside the string table");
        var rest = strtab[(int)offset..];
        int end = rest.IndexOf((byte)0);
        if (end < 0) throw new ElfFormatException(path, "unterminated string in string table");
        return Encoding.ASCII.GetString(rest[..end]);
    }

    private static ushort U16(ReadOnlySpan<byte> b, int at, string path) =>
        at >= 0 && at + 2 <= b.Length ? BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(at, 2)) : throw Truncated(path);

    private static uint U32(ReadOnlySpan<byte> b, int at, string path) =>
        at >= 0 && at + 4 <= b.Length ? BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(at, 4)) : throw Truncated(path);

    private static ulong U64(ReadOnlySpan<byte> b, int at, string path) =>
        at >= 0 && at + 8 <= b.Length ? BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(at, 8)) : throw Truncated(path);

    private static ElfFormatException Truncated(string path) => new(path, "file is truncated");
}
