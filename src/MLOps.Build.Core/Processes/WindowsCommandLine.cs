using System.Text;

namespace MLOps.Build.Processes;

/// <summary>
/// One command line from separate arguments, for .NET Framework's MSBuild (Visual Studio), whose
/// <c>ProcessStartInfo</c> has no <c>ArgumentList</c>: each argument quoted so that the started process's
/// <c>CommandLineToArgvW</c> (and .NET's own parser) reads it back exactly, as dotnet/runtime's <c>PasteArguments</c>
/// does. Backslashes are literal except before a quote: n of them before a quote, or before the closing quote of an
/// argument that ends in them (<c>C:\My Repo\</c>), are written as 2n.
/// </summary>
public static class WindowsCommandLine
{
    public static string Join(IEnumerable<string> arguments)
    {
        var line = new StringBuilder();
        foreach (var argument in arguments)
        {
            if (line.Length > 0)
            {
                line.Append(' ');
            }
            Append(line, argument);
        }
        return line.ToString();
    }

    private static void Append(StringBuilder line, string argument)
    {
        if (argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c == '"'))
        {
            line.Append(argument);
            return;
        }
        line.Append('"');
        for (var i = 0; i < argument.Length;)
        {
            var c = argument[i++];
            if (c == '\\')
            {
                var backslashes = 1;
                while (i < argument.Length && argument[i] == '\\')
                {
                    i++;
                    backslashes++;
                }
                if (i == argument.Length)
                {
                    // Before the closing quote: doubled, so that the quote still closes.
                    line.Append('\\', backslashes * 2);
                }
                else if (argument[i] == '"')
                {
                    line.Append('\\', backslashes * 2 + 1).Append('"');
                    i++;
                }
                else
                {
                    line.Append('\\', backslashes);
                }
                continue;
            }
            if (c == '"')
            {
                line.Append('\\').Append('"');
                continue;
            }
            line.Append(c);
        }
        line.Append('"');
    }
}
