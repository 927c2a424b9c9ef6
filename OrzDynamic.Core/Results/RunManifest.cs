using System.Globalization;
using System.Text.Json;

namespace OrzDynamic.Core.Results;

/// <summary>
/// The settings that make results comparable (model, tokenizer, decoding, scoring, template), written beside the
/// journal as <c>run_manifest.json</c>. Resuming with different settings is refused, so one results file never
/// mixes incomparable samples. Sample selection (files, subset size) may change between runs: each sample stands alone.
/// </summary>
public sealed class RunManifest
{
    /// <summary>File name inside the output directory.</summary>
    public const string FileName = "run_manifest.json";

    /// <summary>Setting name → value, as invariant strings.</summary>
    public SortedDictionary<string, string> Settings { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Adds a setting (invariant formatting).</summary>
    public RunManifest With(string name, object? value)
    {
        Settings[name] = value switch
        {
            null => "null",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "null",
        };
        return this;
    }

    /// <summary>
    /// Writes this manifest into <paramref name="outputDir"/>, or, when one is already there, checks that it matches.
    /// </summary>
    /// <exception cref="ResultsFileException">The existing manifest differs (lists every differing setting) or is unreadable.</exception>
    public void WriteOrVerify(string outputDir)
    {
        var path = Path.Combine(outputDir, FileName);
        if (File.Exists(path))
        {
            SortedDictionary<string, string>? previous;
            try
            {
                previous = JsonSerializer.Deserialize<SortedDictionary<string, string>>(File.ReadAllText(path));
            }
            catch (JsonException ex)
            {
                throw new ResultsFileException(path, null, "unreadable run manifest: " + ex.Message, ex);
            }
            previous ??= new SortedDictionary<string, string>();
            var diffs = previous.Keys.Union(Settings.Keys).Order(StringComparer.Ordinal)
                .Where(k => previous.GetValueOrDefault(k) != Settings.GetValueOrDefault(k))
                .Select(k => $"{k}: '{previous.GetValueOrDefault(k) ?? "(absent)"}' before, '{Settings.GetValueOrDefault(k) ?? "(absent)"}' now")
                .ToArray();
            if (diffs.Length > 0)
                throw new ResultsFileException(path, null,
                    "this output directory holds results of a run with different settings; resuming would mix incomparable results. " +
                    "Use another output directory or delete it. Differences:\n  " + string.Join("\n  ", diffs));
            return;
        }
        Directory.CreateDirectory(outputDir);
        File.WriteAllText(path, JsonSerializer.Serialize(Settings, new JsonSerializerOptions { WriteIndented = true }));
    }
}
