namespace OrzDynamic.Core.Results;

/// <summary>
/// The settings that make results comparable (model, tokenizer, decoding, scoring, template) and the sample selection
/// (data files and their contents, subset size), written beside the journal as <c>run_manifest.json</c> (temporary
/// file + rename, so it is never torn). Resuming with different settings or another selection is refused with the list
/// of differences, so one results file never mixes incomparable samples and a resumed run equals a clean one. While no
/// results exist beside it, the manifest is simply replaced (a failed first run never blocks a corrected rerun).
/// </summary>
internal sealed class RunManifest
{
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
    /// When <paramref name="hasResults"/> is false (no sample beside it), an existing manifest that differs or is empty
    /// or torn is replaced, with a log line.
    /// </summary>
    /// <param name="outputDir">The output directory.</param>
    /// <param name="hasResults">Whether the directory already holds results of an earlier run.</param>
    /// <param name="logger">Receives a line when a manifest is replaced.</param>
    /// <exception cref="ResultsFileException">Results exist and the manifest differs (lists every differing setting)
    /// or is unreadable.</exception>
    public void WriteOrVerify(string outputDir, bool hasResults = true, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        var path = Path.Combine(outputDir, OutputLayout.Manifest);
        if (Directory.Exists(path))
            throw new ResultsFileException(path, null, "is a directory; expected the run manifest file. Remove or rename it.");
        if (File.Exists(path))
        {
            var previous = TryRead(path, out var problem);
            if (previous is null)
            {
                if (hasResults)
                    throw new ResultsFileException(path, null, $"unreadable run manifest ({problem}) beside existing results; " +
                        "the settings of those results are unknown. Use another output directory or delete this one.");
                logger.LogWarning("{Path}: {Problem} and no results beside it; writing it anew", path, problem);
                Write(path);
                return;
            }
            var diffs = previous.Keys.Union(Settings.Keys).Order(StringComparer.Ordinal)
                .Where(k => previous.GetValueOrDefault(k) != Settings.GetValueOrDefault(k))
                .Select(k => $"{k}: '{previous.GetValueOrDefault(k) ?? "(absent)"}' before, '{Settings.GetValueOrDefault(k) ?? "(absent)"}' now")
                .ToArray();
            if (diffs.Length == 0) return;
            if (!hasResults)
            {
                logger.LogInformation("{Path}: replacing the manifest of an earlier run that left no results ({Count} setting(s) differ)", path, diffs.Length);
                Write(path);
                return;
            }
            throw new ResultsFileException(path, null,
                "this output directory holds results of a run with different settings or another sample selection; resuming would mix " +
                "incomparable results. Use another output directory or delete it. Differences: " + string.Join("; ", diffs));
        }
        Directory.CreateDirectory(outputDir);
        Write(path);
    }

    private void Write(string path) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(Settings, new JsonSerializerOptions { WriteIndented = true }));

    private static SortedDictionary<string, string>? TryRead(string path, out string problem)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ResultsFileException(path, null, "cannot read the run manifest: " + ex.Message, ex);
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "the run manifest is empty";
            return null;
        }
        try
        {
            var settings = JsonSerializer.Deserialize<SortedDictionary<string, string>>(text, ReadOptions);
            problem = settings is null ? "the run manifest is 'null'" : "";
            return settings is null ? null : new SortedDictionary<string, string>(settings, StringComparer.Ordinal);
        }
        catch (JsonException ex)
        {
            problem = $"the run manifest is torn or not a JSON object of strings: line {JsonProblem.Line(ex)}: {JsonProblem.Describe(ex, text)}";
            return null;
        }
    }

    /// <summary>Every setting is a string: a null or another type is refused (<see cref="NonNullString"/>).</summary>
    private static readonly JsonSerializerOptions ReadOptions = new() { Converters = { new NonNullString() } };

    /// <summary>Reads a JSON string, refusing <c>null</c> (a dictionary's values are not checked by nullability annotations).</summary>
    private sealed class NonNullString : System.Text.Json.Serialization.JsonConverter<string>
    {
        public override bool HandleNull => true;

        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String ? reader.GetString() ?? "" : throw new JsonException($"expected a string, got {reader.TokenType}");

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
