using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Security.Cryptography;

namespace OrzDynamic.Metrics.Native;

/// <summary>
/// Makes TorchSharp 0.107's <c>libLibTorchSharp.so</c> loadable on Linux distributions whose libstdc++ predates
/// <c>GLIBCXX_3.4.32</c> (Debian 12, Ubuntu 22.04, RHEL 9). The shim needs that version for a single marker symbol.
/// When the runtime's normal probe for <c>LibTorchSharp</c> fails, this resolver preloads libc10 / libtorch_cpu /
/// libtorch from the app's native search directories, writes (once, into a per-user cache keyed by the file's
/// SHA-256) a copy of the shim whose <c>GLIBCXX_3.4.32</c> requirement is marked <c>VER_FLG_WEAK</c>, and loads it.
/// It registers itself automatically (module initializer) and does nothing on Windows/macOS or where the
/// normal load already works.
/// </summary>
public static class TorchNativeLoader
{
    /// <summary>The libstdc++ symbol version the shim requires but older systems lack.</summary>
    public const string MissingVersion = "GLIBCXX_3.4.32";

    private const string ShimFile = "libLibTorchSharp.so";
    private static readonly string[] Preload = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];
    private static readonly Lock Gate = new();
    private static int _registered;
    private static IntPtr _handle;

    /// <summary>Why the last resolution attempt failed, or null. Useful when TorchSharp still reports a load error.</summary>
    public static string? LastError { get; private set; }

    /// <summary>Path of the shim that was loaded by this resolver (the patched copy), or null if it never had to act.</summary>
    public static string? LoadedShimPath { get; private set; }

#pragma warning disable CA2255 // deliberate: library must fix native loading before any consumer touches TorchSharp
    [ModuleInitializer]
    internal static void Initialize() => EnsureRegistered();
#pragma warning restore CA2255

    /// <summary>Registers the resolver with the default load context (idempotent; no-op off Linux).</summary>
    public static void EnsureRegistered()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += Resolve;
    }

    private static IntPtr Resolve(Assembly assembly, string name)
    {
        if (!IsShimName(name)) return IntPtr.Zero;
        lock (Gate)
        {
            if (_handle != IntPtr.Zero) return _handle;
            try
            {
                _handle = LoadPatched(assembly);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ElfFormatException or DllNotFoundException or BadImageFormatException)
            {
                LastError = ex.Message;
                Console.Error.WriteLine($"OrzDynamic: could not load {ShimFile} with the GLIBCXX compatibility fix: {ex.Message}");
            }
            return _handle;
        }
    }

    private static bool IsShimName(string name) =>
        name is "LibTorchSharp" or ShimFile or "libLibTorchSharp";

    private static IntPtr LoadPatched(Assembly requester)
    {
        var dir = NativeSearchDirectories(requester).FirstOrDefault(d => File.Exists(Path.Combine(d, ShimFile)));
        if (dir is null)
        {
            LastError = $"{ShimFile} not found in any native search directory";
            return IntPtr.Zero;
        }
        foreach (var lib in Preload)
        {
            var p = Path.Combine(dir, lib);
            if (File.Exists(p)) NativeLibrary.Load(p);
        }
        var original = Path.Combine(dir, ShimFile);
        if (NativeLibrary.TryLoad(original, out var direct))
        {
            LoadedShimPath = original;
            return direct;
        }
        var patched = EnsurePatchedCopy(original);
        var handle = NativeLibrary.Load(patched);
        LoadedShimPath = patched;
        return handle;
    }

    /// <summary>
    /// Returns the path of a cached copy of <paramref name="shimPath"/> with the <see cref="MissingVersion"/>
    /// requirement marked weak, writing it if it is not there yet.
    /// </summary>
    public static string EnsurePatchedCopy(string shimPath, string? cacheRoot = null)
    {
        var bytes = File.ReadAllBytes(shimPath);
        var hash = Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant();
        cacheRoot ??= DefaultCacheRoot();
        var targetDir = Path.Combine(cacheRoot, hash);
        var target = Path.Combine(targetDir, ShimFile);
        if (File.Exists(target)) return target;

        ElfVersionNeedPatcher.MarkVersionWeak(bytes, MissingVersion, shimPath);
        Directory.CreateDirectory(targetDir);
        var tmp = target + "." + Environment.ProcessId + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, target, overwrite: true);
        return target;
    }

    private static string DefaultCacheRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var baseDir = !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        if (string.IsNullOrEmpty(baseDir) || baseDir == ".cache") baseDir = Path.Combine(Path.GetTempPath(), "orzdynamic-cache");
        return Path.Combine(baseDir, "orzdynamic", "libtorchsharp");
    }

    private static IEnumerable<string> NativeSearchDirectories(Assembly requester)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string dirs)
            foreach (var d in dirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                if (seen.Add(Path.GetFullPath(d))) yield return Path.GetFullPath(d);
        foreach (var baseDir in new[] { Path.GetDirectoryName(requester.Location), AppContext.BaseDirectory })
        {
            if (string.IsNullOrEmpty(baseDir)) continue;
            foreach (var d in new[] { baseDir, Path.Combine(baseDir, "runtimes", "linux-x64", "native") })
                if (seen.Add(Path.GetFullPath(d))) yield return Path.GetFullPath(d);
        }
    }
}
