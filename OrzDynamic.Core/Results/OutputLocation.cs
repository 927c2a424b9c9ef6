namespace OrzDynamic.Core.Results;

/// <summary>
/// Checks, before any model work, that an output directory can hold results: it is not an existing file or device
/// (e.g. <c>/dev/null</c>), no parent of it is a file, and none of the files the run writes exists as a directory.
/// </summary>
internal static class OutputLocation
{
    /// <summary>Checks <paramref name="outputDir"/> and the files <paramref name="fileNames"/> inside it.</summary>
    /// <exception cref="ResultsFileException">The directory or one of the files cannot be used (names the path).</exception>
    public static void Check(string outputDir, IEnumerable<string> fileNames)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDir);
        ArgumentNullException.ThrowIfNull(fileNames);
        var full = Path.GetFullPath(outputDir);
        if (!Directory.Exists(full))
        {
            if (File.Exists(full))
                throw new ResultsFileException(full, null, "the output directory is an existing file (or device); give a directory.");
            for (var parent = Path.GetDirectoryName(full); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
            {
                if (Directory.Exists(parent)) break;
                if (File.Exists(parent))
                    throw new ResultsFileException(parent, null, $"is a file, so the output directory {full} cannot be created there.");
            }
            return;
        }
        foreach (var name in fileNames)
        {
            var path = Path.Combine(full, name);
            if (Directory.Exists(path))
                throw new ResultsFileException(path, null, "is a directory; expected a results file there. Remove or rename it.");
        }
    }
}
