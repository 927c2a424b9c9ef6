using System.Text.Json;

namespace OrzDynamic.Datasets.Loading;

/// <summary>One raw record read from a data file.</summary>
/// <param name="Index">0-based record index in the file.</param>
/// <param name="LineNumber">1-based line for JSON Lines files, else null.</param>
/// <param name="Element">The record (a detached clone; no document to dispose).</param>
internal readonly record struct RawJsonRecord(int Index, int? LineNumber, JsonElement Element);
