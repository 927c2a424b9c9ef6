using System.Text.RegularExpressions;

namespace OrzDynamic.Core.Tokenization;

/// <summary>Compiles tokenizer.json regex patterns (Rust/Oniguruma syntax) for .NET.</summary>
internal static class PatternRegex
{
    public static Regex Create(string pattern, string file, string fieldPath)
    {
        try
        {
            return new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException ex)
        {
            throw new TokenizerLoadException(file, fieldPath, $"regex cannot be compiled by .NET ({ex.Message}).", ex);
        }
    }
}
