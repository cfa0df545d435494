using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace MLOps.Cli.Commands;

/// <summary>How commands print: a readable table, or with <c>--json</c> one indented JSON document for scripts.</summary>
public static class Output
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

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

    public static void Error(string message) => Console.Error.WriteLine(message);
}
