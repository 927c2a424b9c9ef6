using System.Buffers.Binary;
using System.Text;
using NUnit.Framework;
using OrzDynamic.Metrics.SafeTensors;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.SafeTensors;

public sealed class SafeTensorsFileTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "orz-st-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static bool Same(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();

    private string P(string name) => Path.Combine(_dir, name);

    /// <summary>Writes a file from a raw header string and raw data bytes.</summary>
    private string Raw(string header, byte[] data, ulong? declaredLength = null)
    {
        var path = P("raw.safetensors");
        var h = Encoding.UTF8.GetBytes(header);
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, declaredLength ?? (ulong)h.Length);
        File.WriteAllBytes(path, [.. prefix, .. h, .. data]);
        return path;
    }

    [Test]
    public void RoundTripsEveryDtypeAndMetadata()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(7);
        var tensors = new List<(string, Tensor)>
        {
            ("f32", randn([3, 5], generator: g)),
            ("f16", randn([4, 2], generator: g).to(ScalarType.Float16)),
            ("bf16", randn([2, 3, 2], generator: g).to(ScalarType.BFloat16)),
            ("f64", randn([7], dtype: ScalarType.Float64, generator: g)),
            ("i64", arange(0, 10, dtype: ScalarType.Int64) - 5),
            ("i32", arange(0, 6, dtype: ScalarType.Int32).view(2, 3)),
            ("i8", tensor(new sbyte[] { -128, 0, 127 })),
            ("u8", tensor(new byte[] { 0, 1, 255 })),
            ("bool", tensor(new[] { true, false, true, true })),
            ("scalar", tensor(3.5f)),
            ("empty", zeros([0, 4])),
        };
        var path = P("all.safetensors");
        SafeTensorsWriter.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["k"] = "v" });
        using var f = SafeTensorsFile.Open(path);
        Assert.That(f.Metadata, Is.EquivalentTo(new Dictionary<string, string> { ["format"] = "pt", ["k"] = "v" }));
        Assert.That(f.Tensors.Keys, Is.EquivalentTo(tensors.Select(t => t.Item1)));
        foreach (var (name, expected) in tensors)
        {
            var loaded = f.Load(name);
            Assert.That(loaded.dtype, Is.EqualTo(expected.dtype), name);
            Assert.That(loaded.shape, Is.EqualTo(expected.shape), name);
            Assert.That(Same(loaded, expected), Is.True, name);
        }
        Assert.That(f.Tensors["bf16"].DType, Is.EqualTo("BF16"));
        Assert.That(f.Tensors["f32"].ByteLength, Is.EqualTo(60));
    }

    [Test]
    public void LoadConvertsDtypeThroughStagingBuffer()
    {
        using var scope = NewDisposeScope();
        // Bigger than the staging buffer (16 MiB of F32 = 4M elements), so several chunks are converted.
        var big = randn([5_000_000], generator: new Generator(1));
        var path = P("big.safetensors");
        SafeTensorsWriter.Save(path, [("w", big)]);
        using var f = SafeTensorsFile.Open(path);
        var asBf16 = f.Load("w", ScalarType.BFloat16);
        Assert.That(asBf16.dtype, Is.EqualTo(ScalarType.BFloat16));
        Assert.That(Same(asBf16, big.to(ScalarType.BFloat16)), Is.True);
        var asF64 = f.Load("w", ScalarType.Float64);
        Assert.That(Same(asF64, big.to(ScalarType.Float64)), Is.True);
        var same = f.Load("w");
        Assert.That(Same(same, big), Is.True);
    }

    [Test]
    public void ReadIntoWritesAViewWithStorageOffset()
    {
        using var scope = NewDisposeScope();
        var path = P("v.safetensors");
        SafeTensorsWriter.Save(path, [("w", tensor(new[] { 1f, 2f, 3f, 4f }))]);
        using var f = SafeTensorsFile.Open(path);
        var dest = zeros(10);
        f.ReadInto("w", dest.narrow(0, 3, 4));
        Assert.That(dest.data<float>().ToArray(), Is.EqualTo(new[] { 0f, 0f, 0f, 1f, 2f, 3f, 4f, 0f, 0f, 0f }));
        var destBf16 = zeros(10, dtype: ScalarType.BFloat16);
        f.ReadInto("w", destBf16.narrow(0, 5, 4));
        Assert.That(destBf16.to(ScalarType.Float32).data<float>().ToArray(), Is.EqualTo(new[] { 0f, 0f, 0f, 0f, 0f, 1f, 2f, 3f, 4f, 0f }));
    }

    [Test]
    public void ReadIntoRejectsWrongElementCount()
    {
        using var scope = NewDisposeScope();
        var path = P("a.safetensors");
        SafeTensorsWriter.Save(path, [("w", ones(2, 3))]);
        using var f = SafeTensorsFile.Open(path);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => f.ReadInto("w", empty(7)))!;
        Assert.That(ex.TensorName, Is.EqualTo("w"));
        var missing = Assert.Throws<SafeTensorsFormatException>(() => f.Load("nope"))!;
        Assert.That(missing.TensorName, Is.EqualTo("nope"));
        Assert.That(missing.FilePath, Is.EqualTo(Path.GetFullPath(path)));
    }

    [Test]
    public void TruncatedFileIsRejected()
    {
        using var scope = NewDisposeScope();
        var path = P("t.safetensors");
        SafeTensorsWriter.Save(path, [("a", ones(4)), ("b", ones(8))]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path))!;
        Assert.That(ex.TensorName, Is.EqualTo("b"));
        Assert.That(ex.Reason, Does.Contain("past the end"));
    }

    [Test]
    public void TooShortForPrefixIsRejected()
    {
        var path = P("tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path))!;
        Assert.That(ex.TensorName, Is.Null);
        Assert.That(ex.FilePath, Is.EqualTo(path));
    }

    [Test]
    public void HeaderLengthPastEndIsRejected()
    {
        var path = Raw("{}", [], declaredLength: 1000);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path))!;
        Assert.That(ex.Reason, Does.Contain("header length"));
    }

    [Test]
    public void OffsetsPastEndAreRejected()
    {
        var path = Raw("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", new byte[12]);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path))!;
        Assert.That(ex.TensorName, Is.EqualTo("y"));
        Assert.That(ex.Reason, Does.Contain("past the end"));
    }

    [Test]
    public void OverlappingRangesAreRejected()
    {
        var path = Raw("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", new byte[12]);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path))!;
        Assert.That(ex.TensorName, Is.EqualTo("y"));
        Assert.That(ex.Reason, Does.Contain("overlaps tensor 'x'"));
    }

    [Test]
    public void BeginAfterEndIsRejected()
    {
        var path = Raw("""{"x":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}}""", new byte[8]);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path))!;
        Assert.That(ex.TensorName, Is.EqualTo("x"));
        Assert.That(ex.Reason, Does.Contain("greater than end"));
    }

    [TestCase("{\"x\": {\"dtype\": \"F32\"")]
    [TestCase("not json at all")]
    [TestCase("[1,2,3]")]
    [TestCase("{\"__metadata__\": {\"a\": 1}}")]
    public void BadJsonHeaderIsRejected(string header)
    {
        var path = Raw(header, new byte[8]);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path))!;
        Assert.That(ex.TensorName, Is.Null);
        Assert.That(ex.FilePath, Is.EqualTo(path));
    }

    [TestCase("""{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", "does not match shape")]
    [TestCase("""{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,8]}}""", "shape[0]")]
    [TestCase("""{"x":{"shape":[2],"data_offsets":[0,8]}}""", "dtype")]
    [TestCase("""{"x":{"dtype":"F32","data_offsets":[0,8]}}""", "shape")]
    [TestCase("""{"x":{"dtype":"F32","shape":[2]}}""", "data_offsets")]
    [TestCase("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0]}}""", "data_offsets")]
    [TestCase("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}""", "begin")]
    [TestCase("""{"x":[1,2]}""", "must be an object")]
    public void MalformedEntriesAreRejected(string header, string reason)
    {
        var path = Raw(header, new byte[8]);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path))!;
        Assert.That(ex.TensorName, Is.EqualTo("x"));
        Assert.That(ex.Reason, Does.Contain(reason));
    }

    [TestCase("F8_E4M3")]
    [TestCase("U32")]
    [TestCase("Q4")]
    public void UnknownDtypeIsRejected(string dtype)
    {
        var path = Raw("{\"x\":{\"dtype\":\"" + dtype + "\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path))!;
        Assert.That(ex.TensorName, Is.EqualTo("x"));
        Assert.That(ex.Reason, Does.Contain(dtype));
    }

    [Test]
    public void FileShrunkAfterOpenGivesTypedShortReadError()
    {
        using var scope = NewDisposeScope();
        var path = P("s.safetensors");
        SafeTensorsWriter.Save(path, [("a", ones(1000))]);
        using var f = SafeTensorsFile.Open(path);
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)) fs.SetLength(fs.Length - 100);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => f.Load("a"))!;
        Assert.That(ex.TensorName, Is.EqualTo("a"));
        Assert.That(ex.Reason, Does.Contain("end of file"));
    }

    [Test]
    public void ReadsFileWrittenByPythonSafetensors()
    {
        var path = OrzDynamic.Tests.SharedData.PathOrIgnore("models/stories260K/reference_logits.safetensors");
        using var scope = NewDisposeScope();
        using var f = SafeTensorsFile.Open(path);
        var ids = f.Load("input_ids_1");
        var logits = f.Load("logits_1");
        Assert.That(ids.shape[^1], Is.EqualTo(97));
        Assert.That(logits.shape[^1], Is.EqualTo(512));
        Assert.That(logits.isfinite().all().item<bool>(), Is.True);
    }
}
