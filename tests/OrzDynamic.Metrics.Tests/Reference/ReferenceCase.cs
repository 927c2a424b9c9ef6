using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrzDynamic.Metrics.Tests.Reference;

/// <summary>One row of expected.json's <c>exact_float64</c> truth.</summary>
internal sealed record ExactRow(
    long ValidTokens, double OutToken, double OutArgmax, double OutExceptArgmax, double ANorm,
    double ProbGap2Mean, double ProbEnergy, double ArgmaxMatchRate, long[] LabelsArgmax);

/// <summary>A case of /work/shared/reference/metrics/expected.json.</summary>
internal sealed record ReferenceCase(
    string Name, long[] Shape, ExactRow[] Exact, double[] UnclampedANorm, double[] OrzLegacyANorm)
{
    public const string Folder = "reference/metrics";

    private static readonly Lazy<Dictionary<string, ReferenceCase>> Cache = new(LoadAll);

    public static ReferenceCase Get(string name)
    {
        var path = OrzDynamic.Tests.SharedData.PathOrIgnore(Path.Combine(Folder, "expected.json"));
        _ = path;
        return Cache.Value[name];
    }

    public string SafeTensorsPath => OrzDynamic.Tests.SharedData.PathOrIgnore(Path.Combine(Folder, Name + ".safetensors"));

    private static Dictionary<string, ReferenceCase> LoadAll()
    {
        var path = OrzDynamic.Tests.SharedData.PathOrIgnore(Path.Combine(Folder, "expected.json"));
        // The file uses bare NaN/Infinity tokens (Python's json); turn them into strings System.Text.Json accepts.
        var text = Regex.Replace(File.ReadAllText(path), @"(?<![""\w])(-?Infinity|NaN)(?![""\w])", "\"$1\"");
        using var doc = JsonDocument.Parse(text);
        var result = new Dictionary<string, ReferenceCase>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateObject())
        {
            var shape = c.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var exact = c.Value.GetProperty("exact_float64").EnumerateArray().Select(r => new ExactRow(
                r.GetProperty("valid_tokens").GetInt64(),
                Num(r.GetProperty("out_token")), Num(r.GetProperty("out_argmax")), Num(r.GetProperty("out_except_argmax")),
                Num(r.GetProperty("A_norm")), Num(r.GetProperty("prob_gap2_mean")), Num(r.GetProperty("prob_energy")),
                Num(r.GetProperty("argmax_match_rate")),
                r.GetProperty("labels_argmax").EnumerateArray().Select(e => e.GetInt64()).ToArray())).ToArray();
            double[] anorm(string key) => c.Value.GetProperty(key).GetProperty("A_norm").EnumerateArray().Select(Num).ToArray();
            result[c.Name] = new ReferenceCase(c.Name, shape, exact, anorm("reference_unclamped_float32"), anorm("reference_orz_legacy_float32"));
        }
        return result;
    }

    private static double Num(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => throw new InvalidDataException($"expected.json: unexpected string number '{s}'."),
        }
        : e.GetDouble();
}
