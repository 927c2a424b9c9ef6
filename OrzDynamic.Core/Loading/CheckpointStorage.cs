using OrzDynamic.Metrics.SafeTensors;

namespace OrzDynamic.Core.Loading;

public static partial class CheckpointLoader
{
    /// <summary>
    /// The dtype the floating-point weights of the checkpoint in <paramref name="directory"/> are stored in (read from
    /// the safetensors headers only): the single dtype when all agree, else float32 (the one that holds every stored
    /// value exactly).
    /// </summary>
    /// <exception cref="CheckpointFormatException">No weight files, or a malformed index.</exception>
    /// <exception cref="SafeTensorsFormatException">A weight file header is corrupt.</exception>
    public static ScalarType ReadStorageDType(string directory)
    {
        var files = OpenWeightFiles(Path.GetFullPath(directory));
        try
        {
            var types = files.SelectMany(f => f.Tensors.Values).Select(t => t.ScalarType)
                .Where(t => t is ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16 or ScalarType.Float64)
                .Distinct().ToArray();
            if (types.Length == 0) throw new CheckpointFormatException(directory, null, "no floating-point weights found");
            return types.Length == 1 && types[0] != ScalarType.Float64 ? types[0] : ScalarType.Float32;
        }
        finally
        {
            foreach (var f in files) f.Dispose();
        }
    }
}
