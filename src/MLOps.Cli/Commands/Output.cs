using System.Globalization;
using System.Text.Json;
using MLOps.Shared;
using Spectre.Console;

namespace MLOps.Cli.Commands;

/// <summary>How commands print: a readable table, or with <c>--json</c> one indented JSON document for scripts.</summary>
public static class Output
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>
    /// Piped or redirected output (CI logs, <c>| less</c>, a file) has no terminal width; Spectre.Console would assume 80
    /// columns and wrap table cells mid-word. There every row stays on one line, and colour is left out.
    /// </summary>
    public static void Configure()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = 4096;
            AnsiConsole.Profile.Capabilities.Ansi = false;
        }
    }

    /// <summary>A metric change in words and a symbol, readable without colour: "▲ better", "▼ worse", "= same".</summary>
    public static string Verdict(string verdict) => verdict switch
    {
        "better" => "▲ better",
        "worse" => "▼ worse",
        "same" => "= same",
        _ => verdict,
    };

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>The first 12 digits of a hash, as tables show it.</summary>
    public static string Short(string hash) => hash.Length > 12 ? hash.Substring(0, 12) : hash;

    public static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns)
        {
            table.AddColumn(column);
        }
        return table;
    }

    /// <summary>
    /// Text for a table cell or a markup line: Spectre's markup brackets escaped, and control characters shown as their
    /// codes (a model, column or author name from data, git or an inspected binary must not drive the terminal).
    /// </summary>
    public static string Text(string text) => Markup.Escape(InvisibleCharacters.Shown(text));

    public static void Error(string message) => Error(Console.Error, message);

    /// <summary>One line on <paramref name="writer"/>: a message may quote a path, a name or what an inspected binary holds.</summary>
    public static void Error(TextWriter writer, string message) => writer.WriteLine(InvisibleCharacters.Shown(message));
}
