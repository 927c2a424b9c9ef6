using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrzDynamic.Metrics.Runtime;

/// <summary>
/// Makes TorchSharp 0.107's <c>libLibTorchSharp.so</c> loadable on Linux distributions whose libstdc++ predates
/// <c>GLIBCXX_3.4.32</c> (Debian 12, Ubuntu 22.04, RHEL 9). The shim needs that version for a single marker symbol.
/// When the runtime's normal probe for <c>LibTorchSharp</c> fails, this resolver preloads libc10 / libtorch_cpu /
/// libtorch from the app's native search directories, writes (once, into a per-user cache keyed by the file's
/// SHA-256) a copy of the shim whose <c>GLIBCXX_3.4.32</c> requirement is marked <c>VER_FLG_WEAK</c>, and loads it.
/// It does nothing on Windows/macOS or where the normal load already works.
/// <para>
/// Registration does not depend on call order: the NuGet package adds a module initializer to every consuming C#
/// project (<c>buildTransitive/OrzDynamic.Metrics.targets</c>), which runs before the app's <c>Main</c> and so before
/// TorchSharp can be touched; the module initializers of OrzDynamic.Metrics and OrzDynamic.Core register it too.
/// Set the environment variable <c>ORZDYNAMIC_NATIVE_FIX=0</c> to turn the fix off, or the MSBuild property
/// <c>OrzDynamicNativeInit=false</c> to leave the app's module initializer out. What it does is logged to
/// <see cref="LoggerFactory"/> (messages logged before a factory is set are replayed to it).
/// </para>
/// </summary>
public static class TorchNativeLoader
{
    /// <summary>Environment variable that turns the fix off when set to <c>0</c>, <c>false</c> or <c>off</c>.</summary>
    public const string DisableVariable = "ORZDYNAMIC_NATIVE_FIX";

    /// <summary>The libstdc++ symbol version the shim requires but older systems lack.</summary>
    public const string MissingVersion = "GLIBCXX_3.4.32";

    private const string ShimFile = "libLibTorchSharp.so";
    private static readonly string[] Preload = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];
    private static readonly Lock Gate = new();
    private static int _registered;
    private static IntPtr _handle;
    private static readonly List<(LogLevel Level, string Message)> Pending = [];
    private static ILoggerFactory? _loggerFactory;

    /// <summary>
    /// Receives what the loader did (which shim it loaded, where it wrote the patched copy, why it failed). Messages
    /// logged before this is set are kept and replayed to the first factory set.
    /// </summary>
    public static ILoggerFactory? LoggerFactory
    {
        get => _loggerFactory;
        set
        {
            lock (Gate)
            {
                _loggerFactory = value;
                if (value is null) return;
                var logger = value.CreateLogger(typeof(TorchNativeLoader).FullName!);
                foreach (var (level, message) in Pending) logger.Log(level, "{Message}", message);
                Pending.Clear();
            }
        }
    }

    /// <summary>True when <see cref="DisableVariable"/> turns the fix off.</summary>
    public static bool IsDisabled =>
        Environment.GetEnvironmentVariable(DisableVariable)?.Trim().ToLowerInvariant() is "0" or "false" or "off" or "no";

    /// <summary>Why the last resolution attempt failed, or null. Useful when TorchSharp still reports a load error.</summary>
    public static string? LastError { get; private set; }

    /// <summary>Path of the shim that was loaded by this resolver (the patched copy), or null if it never had to act.</summary>
    public static string? LoadedShimPath { get; private set; }

#pragma warning disable CA2255 // deliberate: library must fix native loading before any consumer touches TorchSharp
    [ModuleInitializer]
    internal static void Initialize() => EnsureRegistered();
#pragma warning restore CA2255

    /// <summary>
    /// Registers the resolver with the default load context (idempotent; no-op off Linux), after setting libgomp's
    /// passive wait policy (<see cref="OpenMpWaitPolicy"/>).
    /// </summary>
    public static void EnsureRegistered()
    {
        OpenMpWaitPolicy.Apply();
        if (!OperatingSystem.IsLinux() || IsDisabled) return;
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
                if (_handle != IntPtr.Zero) Log(LogLevel.Information, $"Loaded {LoadedShimPath} for {assembly.GetName().Name} after the normal probe for {name} failed");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ElfFormatException or DllNotFoundException or BadImageFormatException)
            {
                LastError = ex.Message;
                Log(LogLevel.Error, $"Could not load {ShimFile} with the {MissingVersion} compatibility fix: {ex.Message}");
            }
            return _handle;
        }
    }

    private static void Log(LogLevel level, string message)
    {
        lock (Gate)
        {
            if (_loggerFactory is { } f) f.CreateLogger(typeof(TorchNativeLoader).FullName!).Log(level, "{Message}", message);
            else Pending.Add((level, message));
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
        var roots = cacheRoot is not null ? [cacheRoot] : new[] { DefaultCacheRoot(), TempCacheRoot() };
        foreach (var root in roots)
        {
            var target = Path.Combine(root, hash, ShimFile);
            if (File.Exists(target)) return target;
        }
        ElfVersionNeedPatcher.MarkVersionWeak(bytes, MissingVersion, shimPath);
        Exception? last = null;
        foreach (var root in roots)
        {
            var targetDir = Path.Combine(root, hash);
            var target = Path.Combine(targetDir, ShimFile);
            try
            {
                Directory.CreateDirectory(targetDir);
                var tmp = target + "." + Environment.ProcessId + ".tmp";
                File.WriteAllBytes(tmp, bytes);
                File.Move(tmp, target, overwrite: true);
                Log(LogLevel.Information, $"Wrote a copy of {shimPath} with {MissingVersion} marked weak to {target}");
                return target;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log(LogLevel.Warning, $"Cache directory {targetDir} is not writable ({ex.Message}); trying the next location");
                last = ex;
            }
        }
        throw new IOException($"Could not write the patched copy of {shimPath} to any of: {string.Join(", ", roots)}", last);
    }

    private static string DefaultCacheRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var baseDir = !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        if (string.IsNullOrEmpty(baseDir) || baseDir == ".cache") return TempCacheRoot();
        return Path.Combine(baseDir, "orzdynamic", "libtorchsharp");
    }

    private static string TempCacheRoot() =>
        Path.Combine(Path.GetTempPath(), "orzdynamic-" + Environment.UserName, "libtorchsharp");

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
