namespace OrzDynamic.Core.Loading;

/// <summary>How to materialise a checkpoint.</summary>
public sealed record ModelLoadOptions
{
    /// <summary>
    /// Weight dtype (float32, bfloat16 or float16). Null = <see cref="DefaultDType"/> for the device: float32 on CPU,
    /// bfloat16 on CUDA. On the reference machine (AVX-512 BF16) bfloat16 is 2–3× faster on CPU, but its logits do not
    /// stay within the tolerance the learning-dynamics metrics need (per-token log-probabilities off by ~0.2 nats and
    /// 12% argmax flips on the trained stories260K model), so float32 stays the CPU default; pass bfloat16 explicitly
    /// for throughput-bound generation. Measurements: tests/OrzDynamic.Benchmarks/RESULTS-model.md.
    /// </summary>
    public ScalarType? DType { get; init; }

    /// <summary>Device: <c>"cpu"</c>, <c>"cuda"</c> or <c>"cuda:N"</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The dtype used when <see cref="DType"/> is null.</summary>
    public static ScalarType DefaultDType(Device device) =>
        device.type == TorchSharp.DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>Parses a dtype name: float32/fp32/f32, bfloat16/bf16, float16/fp16/half.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static ScalarType ParseDType(string name) => TryParseDType(name, out var dtype)
        ? dtype
        : throw new ArgumentException($"Unknown model dtype '{name}' (expected float32, bfloat16 or float16).", nameof(name));

    /// <summary>Parses a dtype name as <see cref="ParseDType"/> does; false for an unknown name.</summary>
    public static bool TryParseDType(string name, out ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(name);
        ScalarType? parsed = name.Trim().ToLowerInvariant() switch
        {
            "float32" or "fp32" or "f32" or "float" => ScalarType.Float32,
            "bfloat16" or "bf16" => ScalarType.BFloat16,
            "float16" or "fp16" or "f16" or "half" => ScalarType.Float16,
            _ => null,
        };
        dtype = parsed.GetValueOrDefault();
        return parsed is not null;
    }

    /// <summary>Parses a device string (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>).</summary>
    /// <exception cref="ArgumentException">Malformed device string.</exception>
    /// <exception cref="NotSupportedException">CUDA requested but not available.</exception>
    public static Device ParseDevice(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        if (n == "cpu") return CPU;
        if (n == "cuda" || (n.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(n.AsSpan(5), out var idx) && idx >= 0))
        {
            if (!cuda.is_available()) throw new NotSupportedException($"Device '{name}' requested but CUDA is not available in this process: {CudaHint()}");
            return device(n);
        }
        throw new ArgumentException($"Unknown device '{name}' (expected cpu, cuda or cuda:N).", nameof(name));
    }

    /// <summary>
    /// What to change to get CUDA: the native TorchSharp backend this application was built with (the
    /// <c>OrzDynamic.TorchBackend</c> assembly metadata the repository's apps carry) and the package or MSBuild
    /// property that selects a GPU backend.
    /// </summary>
    public static string CudaHint()
    {
        var backend = System.Reflection.Assembly.GetEntryAssembly()?
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OrzDynamic.TorchBackend")?.Value;
        return backend switch
        {
            "cpu" => "this build uses the CPU backend (TorchSharp-cpu); rebuild with -p:TorchBackend=cuda-linux (or cuda-windows) on a machine with an NVIDIA driver",
            null => "reference TorchSharp-cuda-linux or TorchSharp-cuda-windows instead of TorchSharp-cpu, and run on a machine with an NVIDIA driver",
            _ => $"this build uses TorchBackend={backend}, but libtorch found no usable GPU (check the NVIDIA driver and CUDA_VISIBLE_DEVICES)",
        };
    }
}
