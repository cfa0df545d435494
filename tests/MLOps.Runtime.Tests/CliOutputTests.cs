using MLOps.Cli.Commands;
using Spectre.Console;

namespace MLOps.Runtime.Tests;

/// <summary>
/// <c>dotnet mlops</c> tables show names from data, git and inspected binaries: an escape sequence or a newline in one is
/// shown as its code, never sent to the terminal, and Spectre's markup brackets stay text.
/// </summary>
public sealed class CliOutputTests
{
    [Theory]
    [InlineData("\u001b[2J\u001b[1;1Hall models passed", "\\u001B[2J\\u001B[1;1Hall models passed")]
    [InlineData("a\nb\u2028c\u0085d", "a\\u000Ab\\u2028c\\u0085d")]
    [InlineData("[red]not markup[/]", "[red]not markup[/]")]
    [InlineData("price\u202Eevil", "price\\u202Eevil")]
    [InlineData("drop:prix € 日本語", "drop:prix € 日本語")]
    public void A_name_in_a_table_is_shown_as_text(string name, string shown)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.TrueColor,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 400;
        var table = Output.Table("model", "state");
        table.AddRow(Output.Text(name), "[green]up to date[/]");

        console.Write(table);

        var rendered = writer.ToString();
        var row = rendered.Split('\n').Single(line => line.Contains("up to date", StringComparison.Ordinal));
        Assert.Contains(shown, row, StringComparison.Ordinal);
        // The only escape sequences are the console's own colours (ESC [ … m), none from the name.
        Assert.DoesNotContain("\u001b[2J", rendered, StringComparison.Ordinal);
        Assert.Empty(System.Text.RegularExpressions.Regex.Matches(row, "\u001b(?!\\[[0-9;]*m)"));
    }

    [Fact]
    public void An_error_quoting_a_name_is_one_line_without_escape_sequences()
    {
        var writer = new StringWriter();

        Output.Error(writer, "No model 'a\n\u001b[2Jb' in App.csproj.");

        Assert.Equal("No model 'a\\u000A\\u001B[2Jb' in App.csproj." + Environment.NewLine, writer.ToString());
    }
}
