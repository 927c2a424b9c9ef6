using Spectre.Console;

namespace OrzDynamic.Cli;

/// <summary>
/// A console table that never truncates a header: drawn as a table when every column fits the console at the width
/// of its longest word, otherwise as plain lines, one "header: value" line per cell under a line per row.
/// Redirected output is wide (<see cref="CliConsole.RedirectedWidth"/>), so log files always get the table.
/// </summary>
internal sealed class FittedTable(string titleMarkup, params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>A caption (markup) under the table.</summary>
    public string? CaptionMarkup { get; init; }

    /// <summary>Adds a row of markup cells, one per header.</summary>
    public void AddRow(params string[] cells) => _rows.Add(cells);

    /// <summary>Writes the table, or the plain lines when it does not fit.</summary>
    public void Write(IAnsiConsole console)
    {
        var table = new Table().Title(titleMarkup);
        foreach (var h in headers) table.AddColumn(new TableColumn(Markup.Escape(h)));
        foreach (var row in _rows) table.AddRow(row);
        if (CaptionMarkup is not null) table.Caption(CaptionMarkup);
        if (Fits(console)) { console.Write(table); return; }
        console.MarkupLine(titleMarkup);
        foreach (var row in _rows)
        {
            console.MarkupLine("- " + row[0]);
            for (int c = 1; c < row.Length; c++) console.MarkupLine($"    {Markup.Escape(headers[c])}: {row[c]}");
        }
        if (CaptionMarkup is not null) console.MarkupLine(CaptionMarkup);
    }

    /// <summary>
    /// Whether the table fits with no header or word cut: each column as wide as its longest header word and its
    /// widest cell, plus three characters of border and padding per column.
    /// </summary>
    private bool Fits(IAnsiConsole console)
    {
        int needed = 1;
        for (int c = 0; c < headers.Length; c++)
        {
            int width = headers[c].Split(' ').Max(w => w.Length);
            foreach (var row in _rows) width = Math.Max(width, Markup.Remove(row[c]).Length);
            needed += width + 3;
        }
        return needed <= console.Profile.Width;
    }
}
