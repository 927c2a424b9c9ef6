using TorchSharp;

namespace OrzDynamic.Metrics.SafeTensors;

/// <summary>Maps safetensors dtype names (<c>"F32"</c>, <c>"BF16"</c>, …) to TorchSharp scalar types and element sizes.</summary>
public static class SafeTensorsDType
{
    private static readonly Dictionary<string, (torch.ScalarType Type, int Size)> ByName = new(StringComparer.Ordinal)
    {
        ["F64"] = (torch.ScalarType.Float64, 8),
        ["F32"] = (torch.ScalarType.Float32, 4),
        ["F16"] = (torch.ScalarType.Float16, 2),
        ["BF16"] = (torch.ScalarType.BFloat16, 2),
        ["I64"] = (torch.ScalarType.Int64, 8),
        ["I32"] = (torch.ScalarType.Int32, 4),
        ["I16"] = (torch.ScalarType.Int16, 2),
        ["I8"] = (torch.ScalarType.Int8, 1),
        ["U8"] = (torch.ScalarType.Byte, 1),
        ["BOOL"] = (torch.ScalarType.Bool, 1),
    };

    /// <summary>The safetensors dtype names this library reads and writes.</summary>
    public static IReadOnlyCollection<string> SupportedNames => ByName.Keys;

    /// <summary>Looks up a safetensors dtype name.</summary>
    /// <returns>False when the name is unknown or not supported.</returns>
    public static bool TryParse(string name, out torch.ScalarType type, out int elementSize)
    {
        if (ByName.TryGetValue(name, out var entry))
        {
            type = entry.Type;
            elementSize = entry.Size;
            return true;
        }
        type = default;
        elementSize = 0;
        return false;
    }

    /// <summary>The safetensors name of a TorchSharp scalar type.</summary>
    /// <exception cref="NotSupportedException">The type has no safetensors counterpart supported here.</exception>
    public static string NameOf(torch.ScalarType type)
    {
        foreach (var (name, entry) in ByName)
            if (entry.Type == type) return name;
        throw new NotSupportedException($"Scalar type {type} cannot be stored in safetensors by this library.");
    }

    /// <summary>Size in bytes of one element of <paramref name="type"/>.</summary>
    /// <exception cref="NotSupportedException">The type is not supported.</exception>
    public static int ElementSize(torch.ScalarType type) => ByName[NameOf(type)].Size;
}
