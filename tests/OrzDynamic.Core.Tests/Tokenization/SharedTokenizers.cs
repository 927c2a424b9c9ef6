using System.Collections.Concurrent;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Tests;

namespace OrzDynamic.Core.Tests.Tokenization;

/// <summary>Loads each shared reference tokenizer once per test run.</summary>
internal static class SharedTokenizers
{
    private static readonly ConcurrentDictionary<string, Lazy<HfTokenizer>> Cache = new();

    public static string Directory(string name) => SharedData.PathOrIgnore(Path.Combine("tokenizers", name));

    public static HfTokenizer Get(string name)
    {
        var dir = Directory(name);
        return Cache.GetOrAdd(dir, d => new Lazy<HfTokenizer>(() => HfTokenizer.FromDirectory(d))).Value;
    }
}
