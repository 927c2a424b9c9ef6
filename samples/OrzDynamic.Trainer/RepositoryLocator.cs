namespace OrzDynamic.Trainer;

/// <summary>Finds the repository's <c>samples/</c> folder by walking up from a start directory.</summary>
public static class RepositoryLocator
{
    /// <summary>The nearest ancestor of <paramref name="start"/> (inclusive) holding OrzDynamic.sln, plus "samples".</summary>
    /// <exception cref="DirectoryNotFoundException">No ancestor holds OrzDynamic.sln.</exception>
    public static string SamplesDirectory(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OrzDynamic.sln"))) return Path.Combine(dir.FullName, "samples");
        throw new DirectoryNotFoundException($"No OrzDynamic.sln found in '{start}' or its parents; pass --out <samples dir>.");
    }
}
