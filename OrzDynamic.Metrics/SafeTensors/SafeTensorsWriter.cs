using System.Buffers.Binary;
using TorchSharp;
using System.Text.Json;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics.SafeTensors;

/// <summary>Writes tensors to a safetensors file.</summary>
public static class SafeTensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (any device; written in their own dtype, C-contiguous order) and optional
    /// string <paramref name="metadata"/> to <paramref name="path"/>. The header is padded with spaces to 8 bytes.
    /// </summary>
    /// <exception cref="ArgumentException">Duplicate or reserved tensor name.</exception>
    /// <exception cref="NotSupportedException">A tensor's dtype has no safetensors counterpart supported here.</exception>
    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in list)
        {
            if (name == "__metadata__") throw new ArgumentException("'__metadata__' is reserved and cannot be a tensor name.", nameof(tensors));
            if (!names.Add(name)) throw new ArgumentException($"Tensor name '{name}' appears twice.", nameof(tensors));
        }

        using var headerStream = new MemoryStream();
        using (var w = new Utf8JsonWriter(headerStream))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, t) in list)
            {
                var size = t.numel() * SafeTensorsDType.ElementSize(t.dtype);
                w.WriteStartObject(name);
                w.WriteString("dtype", SafeTensorsDType.NameOf(t.dtype));
                w.WriteStartArray("shape");
                foreach (var d in t.shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + size);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += size;
            }
            w.WriteEndObject();
        }
        var header = headerStream.ToArray();
        var padded = (header.Length + 7) / 8 * 8;

        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)padded);
        fs.Write(prefix);
        fs.Write(header);
        for (var i = header.Length; i < padded; i++) fs.WriteByte((byte)' ');
        foreach (var (_, t) in list) WriteData(fs, t);
    }

    private static void WriteData(Stream fs, Tensor t)
    {
        if (t.numel() == 0) return;
        using var scope = NewDisposeScope();
        var cpu = t.device_type == DeviceType.CPU ? t : t.cpu();
        var flat = cpu.contiguous().view(-1);
        var elementSize = SafeTensorsDType.ElementSize(t.dtype);
        var maxElements = Math.Max(1, (1L << 30) / elementSize);
        for (long start = 0; start < flat.numel(); start += maxElements)
        {
            var n = Math.Min(maxElements, flat.numel() - start);
            using var slice = flat.narrow(0, start, n);
            fs.Write(slice.bytes);
        }
    }
}
