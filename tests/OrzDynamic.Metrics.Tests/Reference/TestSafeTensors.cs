using System.Buffers.Binary;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics.Tests.Reference;

/// <summary>
/// Minimal test-only safetensors reader (8-byte little-endian header length, JSON header, raw little-endian data;
/// F32 and I64 only). The library's reader may replace it later.
/// </summary>
internal static class TestSafeTensors
{
    public static Dictionary<string, Tensor> Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8) throw new InvalidDataException($"{path}: shorter than the 8-byte header length.");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8)) throw new InvalidDataException($"{path}: header length {headerLength} exceeds the file.");
        var dataStart = 8 + (int)headerLength;
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var result = new Dictionary<string, Tensor>();
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__") continue;
            var dtype = entry.Value.GetProperty("dtype").GetString();
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var span = bytes.AsSpan(dataStart + (int)offsets[0], (int)(offsets[1] - offsets[0]));
            result[entry.Name] = dtype switch
            {
                "F32" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(span).ToArray(), shape),
                "I64" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(span).ToArray(), shape),
                _ => throw new InvalidDataException($"{path}: tensor '{entry.Name}' has unsupported dtype {dtype}."),
            };
        }
        return result;
    }
}
