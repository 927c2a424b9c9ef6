using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics.SafeTensors;

/// <summary>
/// An open safetensors file (<see href="https://github.com/huggingface/safetensors"/>): the header is read and fully
/// validated by <see cref="Open"/>; tensors are read on demand, straight into the destination tensor's storage
/// (or, when a dtype/device conversion is needed, through a bounded staging buffer), so a tensor is never held twice.
/// </summary>
public sealed class SafeTensorsFile : IDisposable
{
    /// <summary>Largest accepted JSON header (the reference implementation uses 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Size of the staging buffer used when a load converts dtype or device.</summary>
    public const long StagingBytes = 16L << 20;

    private readonly SafeFileHandle _handle;
    private readonly long _dataStart;

    private SafeTensorsFile(string path, SafeFileHandle handle, long dataStart, long fileLength,
        IReadOnlyDictionary<string, SafeTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        FilePath = path;
        _handle = handle;
        _dataStart = dataStart;
        FileLength = fileLength;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Full path of the file.</summary>
    public string FilePath { get; }

    /// <summary>Length of the file in bytes.</summary>
    public long FileLength { get; }

    /// <summary>Tensor entries by name, in header order.</summary>
    public IReadOnlyDictionary<string, SafeTensorInfo> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c> string map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens a file and validates its header.</summary>
    /// <exception cref="SafeTensorsFormatException">The header is malformed (see <see cref="FileContentException.Reason"/>).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static SafeTensorsFile Open(string path)
    {
        path = Path.GetFullPath(path);
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            var length = RandomAccess.GetLength(handle);
            if (length < 8)
                throw new SafeTensorsFormatException(path, null, $"file is {length} bytes, shorter than the 8-byte header length prefix");
            Span<byte> prefix = stackalloc byte[8];
            ReadExactly(handle, prefix, 0, path, null);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength == 0 || headerLength > (ulong)MaxHeaderBytes || headerLength > (ulong)(length - 8))
                throw new SafeTensorsFormatException(path, null,
                    $"header length {headerLength} is invalid for a file of {length} bytes (must be 1..{Math.Min(MaxHeaderBytes, length - 8)})");
            var header = new byte[headerLength];
            ReadExactly(handle, header, 8, path, null);
            var dataStart = 8 + (long)headerLength;
            var (tensors, metadata) = ParseHeader(path, header, length - dataStart);
            return new SafeTensorsFile(path, handle, dataStart, length, tensors, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static (IReadOnlyDictionary<string, SafeTensorInfo>, IReadOnlyDictionary<string, string>) ParseHeader(string path, byte[] header, long dataLength)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header);
        }
        catch (JsonException ex)
        {
            throw new SafeTensorsFormatException(path, null, $"header is not valid JSON: {ex.Message}", ex);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafeTensorsFormatException(path, null, $"header must be a JSON object, found {doc.RootElement.ValueKind}");
            var tensors = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object)
                        throw new SafeTensorsFormatException(path, null, "__metadata__ must be an object of strings");
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String)
                            throw new SafeTensorsFormatException(path, null, $"__metadata__ entry '{m.Name}' must be a string, found {m.Value.ValueKind}");
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                    continue;
                }
                if (tensors.ContainsKey(prop.Name))
                    throw new SafeTensorsFormatException(path, prop.Name, "tensor appears twice in the header");
                tensors[prop.Name] = ParseEntry(path, prop.Name, prop.Value, dataLength);
            }
            CheckOverlaps(path, tensors.Values);
            return (tensors, metadata);
        }
    }

    private static SafeTensorInfo ParseEntry(string path, string name, JsonElement e, long dataLength)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw new SafeTensorsFormatException(path, name, $"entry must be an object, found {e.ValueKind}");
        if (!e.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String)
            throw new SafeTensorsFormatException(path, name, "missing or non-string field 'dtype'");
        var dtype = dtypeEl.GetString()!;
        if (!SafeTensorsDType.TryParse(dtype, out var scalarType, out var elementSize))
            throw new SafeTensorsFormatException(path, name,
                $"unknown or unsupported dtype '{dtype}' (supported: {string.Join(", ", SafeTensorsDType.SupportedNames)})");
        if (!e.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array)
            throw new SafeTensorsFormatException(path, name, "missing or non-array field 'shape'");
        var shape = new long[shapeEl.GetArrayLength()];
        var i = 0;
        foreach (var d in shapeEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var dim) || dim < 0)
                throw new SafeTensorsFormatException(path, name, $"shape[{i}] must be a non-negative integer, found {d}");
            shape[i++] = dim;
        }
        if (!e.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array || offEl.GetArrayLength() != 2)
            throw new SafeTensorsFormatException(path, name, "missing field 'data_offsets' or it is not a two-element array");
        var begin = ReadOffset(path, name, offEl[0], "begin");
        var end = ReadOffset(path, name, offEl[1], "end");
        if (begin > end)
            throw new SafeTensorsFormatException(path, name, $"data_offsets begin {begin} is greater than end {end}");
        if (end > dataLength)
            throw new SafeTensorsFormatException(path, name, $"data_offsets end {end} is past the end of the data area ({dataLength} bytes; file truncated?)");
        long numel;
        try
        {
            numel = shape.Aggregate(1L, (a, b) => checked(a * b));
            var expected = checked(numel * elementSize);
            if (expected != end - begin)
                throw new SafeTensorsFormatException(path, name,
                    $"data size {end - begin} bytes does not match shape [{string.Join(", ", shape)}] × {dtype} ({expected} bytes)");
        }
        catch (OverflowException ex)
        {
            throw new SafeTensorsFormatException(path, name, $"shape [{string.Join(", ", shape)}] overflows", ex);
        }
        return new SafeTensorInfo(name, dtype, scalarType, shape, begin, end);
    }

    private static long ReadOffset(string path, string name, JsonElement e, string which)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var v) || v < 0)
            throw new SafeTensorsFormatException(path, name, $"data_offsets {which} must be a non-negative integer, found {e}");
        return v;
    }

    private static void CheckOverlaps(string path, IEnumerable<SafeTensorInfo> infos)
    {
        SafeTensorInfo? previous = null;
        foreach (var t in infos.Where(t => t.ByteLength > 0).OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (previous is not null && t.Begin < previous.End)
                throw new SafeTensorsFormatException(path, t.Name,
                    $"data range [{t.Begin}, {t.End}) overlaps tensor '{previous.Name}' [{previous.Begin}, {previous.End})");
            previous = t;
        }
    }

    /// <summary>Returns the header entry of <paramref name="name"/>.</summary>
    /// <exception cref="SafeTensorsFormatException">No such tensor.</exception>
    public SafeTensorInfo GetInfo(string name) =>
        Tensors.TryGetValue(name, out var info) ? info : throw new SafeTensorsFormatException(FilePath, name, "tensor not found in file");

    /// <summary>
    /// Reads a tensor into a new tensor of <paramref name="dtype"/> (default: the stored dtype) on
    /// <paramref name="device"/> (default: CPU). The destination is allocated once; conversion goes through a
    /// bounded staging buffer.
    /// </summary>
    /// <exception cref="SafeTensorsFormatException">No such tensor, or the file is shorter than its header claims.</exception>
    public Tensor Load(string name, ScalarType? dtype = null, Device? device = null)
    {
        var info = GetInfo(name);
        var result = empty(info.Shape, dtype ?? info.ScalarType, device ?? CPU);
        try
        {
            ReadInto(name, result);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads a tensor into an existing contiguous tensor with the same number of elements (any supported dtype,
    /// any device). Reads go straight into the destination's storage when it is a CPU tensor of the stored dtype.
    /// </summary>
    /// <exception cref="SafeTensorsFormatException">No such tensor, element count mismatch, or a short read.</exception>
    public void ReadInto(string name, Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var info = GetInfo(name);
        if (destination.numel() != info.ElementCount)
            throw new SafeTensorsFormatException(FilePath, name,
                $"stored shape [{string.Join(", ", info.Shape)}] does not fit destination shape [{string.Join(", ", destination.shape)}]");
        if (!destination.is_contiguous())
            throw new ArgumentException("Destination tensor must be contiguous.", nameof(destination));
        if (info.ElementCount == 0) return;
        using var scope = NewDisposeScope();
        var flat = destination.view(-1);
        var elementSize = (long)(info.ByteLength / info.ElementCount);
        if (destination.device_type == DeviceType.CPU && destination.dtype == info.ScalarType)
        {
            ReadChunks(info, flat, 0, info.ElementCount, elementSize);
            return;
        }
        var chunkElements = Math.Max(1, Math.Min(info.ElementCount, StagingBytes / elementSize));
        var staging = empty(chunkElements, info.ScalarType, CPU);
        if (destination.device_type != DeviceType.CPU && cuda.is_available()) staging = staging.pin_memory();
        for (long start = 0; start < info.ElementCount; start += chunkElements)
        {
            var n = Math.Min(chunkElements, info.ElementCount - start);
            var stage = staging.narrow(0, 0, n);
            ReadChunks(info, stage, start, n, elementSize);
            flat.narrow(0, start, n).copy_(stage);
        }
    }

    /// <summary>Reads elements [start, start+count) of the stored tensor into the contiguous CPU tensor <paramref name="target"/> of the stored dtype.</summary>
    private unsafe void ReadChunks(SafeTensorInfo info, Tensor target, long start, long count, long elementSize)
    {
        // Span<byte> is limited to int.MaxValue bytes: read big tensors in slices of the flat view.
        var maxElements = Math.Max(1, (1L << 30) / elementSize);
        for (long done = 0; done < count; done += maxElements)
        {
            var n = Math.Min(maxElements, count - done);
            using var slice = target.narrow(0, done, n);
            var span = slice.bytes;
            if (span.Length != n * elementSize)
                throw new InvalidOperationException($"Unexpected storage span of {span.Length} bytes for {n} elements.");
            var fileOffset = _dataStart + info.Begin + (start + done) * elementSize;
            ReadExactly(_handle, span, fileOffset, FilePath, info.Name);
        }
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset, string path, string? tensor)
    {
        while (buffer.Length > 0)
        {
            var read = RandomAccess.Read(handle, buffer, offset);
            if (read <= 0)
                throw new SafeTensorsFormatException(path, tensor, $"unexpected end of file at byte {offset} (file truncated?)");
            buffer = buffer[read..];
            offset += read;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
