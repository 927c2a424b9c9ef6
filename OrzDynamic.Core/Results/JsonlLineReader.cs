namespace OrzDynamic.Core.Results;

/// <summary>
/// Streams the newline-terminated lines of a JSONL file as UTF-8 bytes (without the newline), with a buffer that grows
/// only to the longest line. Bytes after the last newline (a line torn by a crash) are not returned; see
/// <see cref="TornBytes"/>.
/// </summary>
internal sealed class JsonlLineReader : IDisposable
{
    private readonly FileStream _stream;
    private byte[] _buffer = new byte[1 << 20];
    private int _start, _end;
    private bool _eof;

    /// <summary>Opens <paramref name="path"/> for reading (other processes may keep appending).</summary>
    public JsonlLineReader(string path)
    {
        FilePath = path;
        RegularFile.CheckSeekable(path);
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>1-based number of the line last returned.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Bytes after the last newline, once the end is reached.</summary>
    public int TornBytes { get; private set; }

    /// <summary>Returns the next complete line, or false at the end.</summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line)
    {
        while (true)
        {
            int nl = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                line = _buffer.AsMemory(_start, nl);
                _start += nl + 1;
                LineNumber++;
                return true;
            }
            if (_eof)
            {
                TornBytes = _end - _start;
                line = default;
                return false;
            }
            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0) _eof = true;
        _end += n;
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
