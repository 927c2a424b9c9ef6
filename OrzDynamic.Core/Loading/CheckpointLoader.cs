using System.Diagnostics;
using System.Text.RegularExpressions;
using OrzDynamic.Metrics.SafeTensors;

namespace OrzDynamic.Core.Loading;

/// <summary>
/// Loads a Hugging Face checkpoint directory as it is: <c>config.json</c> plus <c>model.safetensors</c> or a sharded
/// <c>model.safetensors.index.json</c>. Every weight is read once, straight into a parameter of the target dtype and
/// device. Missing, unexpected and wrong-shape tensors are all reported together.
/// </summary>
public static partial class CheckpointLoader
{
    /// <summary>Single-file weights name.</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>Sharded weights index name.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    [GeneratedRegex(@"(^|\.)rotary_emb\.inv_freq$|(^|\.)masked_bias$|(^|\.)attn\.bias$")]
    private static partial Regex HarmlessTensor();

    /// <summary>Reads <c>config.json</c> of <paramref name="directory"/>.</summary>
    public static ModelConfig ReadConfig(string directory) => ModelConfigReader.Read(Path.Combine(directory, "config.json"));

    /// <summary>Loads the model in <paramref name="directory"/>.</summary>
    /// <exception cref="CheckpointFormatException">Malformed config/index, or no weight files.</exception>
    /// <exception cref="CheckpointTensorMismatchException">Missing, unexpected or wrong-shape tensors.</exception>
    /// <exception cref="SafeTensorsFormatException">A weight file is corrupt (names file and tensor).</exception>
    /// <exception cref="UnsupportedModelConfigException">The config asks for an unsupported architecture or option (names file and key).</exception>
    /// <exception cref="NotSupportedException">Unsupported dtype or device.</exception>
    public static CausalLM Load(string directory, ModelLoadOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options ??= new ModelLoadOptions();
        var device = ModelLoadOptions.ParseDevice(options.Device);
        return LoadOnto(directory, device, options.DType ?? ModelLoadOptions.DefaultDType(device), logger, cancellationToken);
    }

    /// <summary>Loads the checkpoint in <paramref name="directory"/> onto a parsed <paramref name="device"/> in <paramref name="dtype"/>.</summary>
    internal static CausalLM LoadOnto(string directory, Device device, ScalarType dtype, ILogger? logger, CancellationToken cancellationToken)
    {
        logger ??= NullLogger.Instance;
        directory = Path.GetFullPath(directory);
        var config = ReadConfig(directory);
        var sw = Stopwatch.StartNew();

        var files = OpenWeightFiles(directory);
        try
        {
            var located = LocateTensors(directory, files);
            var model = new CausalLM(config, dtype, device);
            try
            {
                var weights = model.NamedWeights();
                Validate(directory, config, weights, located, logger);
                using var grad = no_grad();
                foreach (var (name, parameter) in weights)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    located[name].ReadInto(name, parameter);
                }
                logger.LogInformation("Loaded {ModelType} checkpoint {Directory}: {Params:N0} parameters as {DType} on {Device} from {Files} file(s) in {Ms} ms",
                    config.ModelType, directory, config.ParameterCount, dtype, device, files.Count, sw.ElapsedMilliseconds);
                return model;
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var f in files) f.Dispose();
        }
    }

    /// <summary>
    /// Checks the weight files of <paramref name="directory"/> against <paramref name="config"/> without reading any
    /// weight: every safetensors header (offsets, dtypes; opening a file validates its header), the shard index, and the
    /// names, shapes and dtypes of the tensors the model of this config needs (its parameters are made on the meta
    /// device, which holds no data).
    /// </summary>
    /// <exception cref="CheckpointFormatException">Malformed index, or no weight files.</exception>
    /// <exception cref="CheckpointTensorMismatchException">Missing, unexpected or wrong-shape tensors.</exception>
    /// <exception cref="SafeTensorsFormatException">A weight file's header is corrupt.</exception>
    internal static void CheckWeights(string directory, ModelConfig config)
    {
        directory = Path.GetFullPath(directory);
        var files = OpenWeightFiles(directory);
        try
        {
            var located = LocateTensors(directory, files);
            using var model = new CausalLM(config, ScalarType.Float32, new Device(DeviceType.META));
            Validate(directory, config, model.NamedWeights(), located, NullLogger.Instance);
        }
        finally
        {
            foreach (var f in files) f.Dispose();
        }
    }

    private static List<SafeTensorsFile> OpenWeightFiles(string directory)
    {
        var single = Path.Combine(directory, SingleFileName);
        var index = Path.Combine(directory, IndexFileName);
        if (File.Exists(index))
        {
            var shardNames = ReadIndex(index);
            var opened = new List<SafeTensorsFile>();
            try
            {
                foreach (var shard in shardNames.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                {
                    var path = Path.Combine(directory, shard);
                    if (!File.Exists(path)) throw new CheckpointFormatException(index, shard, "index names a shard file that does not exist");
                    opened.Add(SafeTensorsFile.Open(path));
                }
                foreach (var (tensor, shard) in shardNames)
                {
                    var file = opened.First(f => Path.GetFileName(f.FilePath) == Path.GetFileName(shard));
                    if (!file.Tensors.ContainsKey(tensor))
                        throw new CheckpointFormatException(index, tensor, $"index maps the tensor to '{shard}', which does not contain it");
                }
                return opened;
            }
            catch
            {
                foreach (var f in opened) f.Dispose();
                throw;
            }
        }
        if (File.Exists(single)) return [SafeTensorsFile.Open(single)];
        throw new CheckpointFormatException(directory, null, $"neither {SingleFileName} nor {IndexFileName} found");
    }

    private static Dictionary<string, string> ReadIndex(string indexPath)
    {
        using var doc = CheckpointJson.Parse(File.ReadAllBytes(indexPath), indexPath);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(indexPath, "weight_map", "missing or not an object");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in map.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
                throw new CheckpointFormatException(indexPath, p.Name, "weight_map value must be a file name string");
            var file = p.Value.GetString()!;
            if (file.Contains('/') || file.Contains('\\') || file.Contains(".."))
                throw new CheckpointFormatException(indexPath, p.Name, $"shard name '{file}' must be a plain file name");
            result[p.Name] = file;
        }
        return result;
    }

    private static Dictionary<string, SafeTensorsFile> LocateTensors(string directory, List<SafeTensorsFile> files)
    {
        var located = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        foreach (var f in files)
            foreach (var name in f.Tensors.Keys)
                if (!located.TryAdd(name, f))
                    throw new CheckpointFormatException(f.FilePath, name, $"tensor also present in '{located[name].FilePath}'");
        _ = directory;
        return located;
    }

    private static void Validate(string directory, ModelConfig config, IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> weights,
        Dictionary<string, SafeTensorsFile> located, ILogger logger)
    {
        var expected = weights.ToDictionary(w => w.Name, w => w.Parameter.shape, StringComparer.Ordinal);
        var missing = expected.Keys.Where(n => !located.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        var unexpected = new List<string>();
        foreach (var name in located.Keys.Where(n => !expected.ContainsKey(n)).Order(StringComparer.Ordinal))
        {
            if (HarmlessTensor().IsMatch(name))
            {
                logger.LogDebug("Ignoring buffer {Tensor} in {Directory}", name, directory);
                continue;
            }
            if (name == "lm_head.weight" && config.TieWordEmbeddings)
            {
                logger.LogInformation("Checkpoint stores lm_head.weight although tie_word_embeddings is true; the embedding is used as configured");
                continue;
            }
            unexpected.Add(name);
        }
        var wrong = new List<string>();
        foreach (var (name, shape) in expected)
        {
            if (!located.TryGetValue(name, out var file)) continue;
            var info = file.Tensors[name];
            if (!info.Shape.SequenceEqual(shape))
                wrong.Add($"{name}: stored [{string.Join(", ", info.Shape)}], expected [{string.Join(", ", shape)}] in {Path.GetFileName(file.FilePath)}");
            else if (info.ScalarType is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16))
                wrong.Add($"{name}: stored dtype {info.DType}, expected F32, F16 or BF16 in {Path.GetFileName(file.FilePath)}");
        }
        if (missing.Count > 0 || unexpected.Count > 0 || wrong.Count > 0)
            throw new CheckpointTensorMismatchException(directory, missing, unexpected, wrong);
    }
}
