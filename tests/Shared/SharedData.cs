using NUnit.Framework;

namespace OrzDynamic.Tests;

/// <summary>Locates the read-only <c>shared/</c> reference folder that sits beside the repository.</summary>
public static class SharedData
{
    /// <summary>The shared folder, or null when it cannot be found.</summary>
    public static string? Root { get; } = Find();

    private static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("ORZ_SHARED_DIR");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return Path.GetFullPath(env);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (dir.Parent != null && File.Exists(Path.Combine(candidate, "README.md")) && Directory.Exists(Path.Combine(candidate, "reference")))
                return candidate;
        }
        return null;
    }

    /// <summary>True when the environment variable <c>CI</c> is <c>true</c>: reference data must then be present.</summary>
    public static bool RequiredByCi { get; } = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Returns the full path of <paramref name="relative"/> inside shared/. When it is missing the test is marked ignored
    /// naming the path, or, with <c>CI=true</c>, fails: a CI run must not pass with its reference tests skipped.
    /// </summary>
    public static string PathOrIgnore(string relative)
    {
        var full = Root is null ? Path.Combine("..", "shared", relative) : Path.Combine(Root, relative);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            var message = $"Shared reference data not found: {full} (set ORZ_SHARED_DIR or place shared/ beside the repository).";
            if (RequiredByCi) Assert.Fail(message + " CI=true requires it.");
            Assert.Ignore(message);
        }
        return full;
    }
}
