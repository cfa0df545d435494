using System.Text;
using MLOps.Build.Processes;

namespace MLOps.Build.Tests.Train;

/// <summary>
/// The trainer's command line under .NET Framework's MSBuild, read back by the rules of CommandLineToArgvW as Microsoft
/// documents them ("Parsing C++ command-line arguments"): every argument comes back exactly.
/// </summary>
public sealed class WindowsCommandLineTests
{
    /// <summary>The documented rules: white space separates arguments outside quotes; 2n backslashes before a quote are n and the quote toggles quoting; 2n + 1 are n and a literal quote; other backslashes are literal.</summary>
    private static List<string> CommandLineToArgv(string line)
    {
        var arguments = new List<string>();
        var current = new StringBuilder();
        var inArgument = false;
        var quoted = false;
        for (var i = 0; i < line.Length;)
        {
            var c = line[i];
            if (!quoted && c is ' ' or '\t')
            {
                if (inArgument)
                {
                    arguments.Add(current.ToString());
                    current.Clear();
                    inArgument = false;
                }
                i++;
                continue;
            }
            inArgument = true;
            if (c == '\\')
            {
                var backslashes = 0;
                while (i < line.Length && line[i] == '\\')
                {
                    backslashes++;
                    i++;
                }
                if (i < line.Length && line[i] == '"')
                {
                    current.Append('\\', backslashes / 2);
                    if (backslashes % 2 == 1)
                    {
                        current.Append('"');
                        i++;
                    }
                }
                else
                {
                    current.Append('\\', backslashes);
                }
                continue;
            }
            if (c == '"')
            {
                quoted = !quoted;
                i++;
                continue;
            }
            current.Append(c);
            i++;
        }
        if (inArgument)
        {
            arguments.Add(current.ToString());
        }
        return arguments;
    }

    [Theory]
    [InlineData(@"C:\My Repo\")]
    [InlineData(@"C:\My Repo\\")]
    [InlineData(@"C:\Repo\")]
    [InlineData("")]
    [InlineData("a \"quoted\" word")]
    [InlineData(@"ends with \""")]
    [InlineData(@"\\server\share\with space\")]
    [InlineData("tab\tand\nnewline")]
    [InlineData("日本語 😀")]
    public void An_argument_comes_back_exactly(string argument)
    {
        string[] arguments = ["exec", "--repository-root", argument, "--manifest", @"C:\My Repo\Models\W.mlmodel.json"];

        Assert.Equal(arguments, CommandLineToArgv(WindowsCommandLine.Join(arguments)));
    }

    [Fact]
    public void A_path_ending_in_a_backslash_no_longer_swallows_the_next_argument()
    {
        // The quoting this replaced wrote "C:\My Repo\" --output: the backslash escaped the closing quote.
        var line = WindowsCommandLine.Join([@"C:\My Repo\", "--output", "out"]);

        Assert.Equal(@"""C:\My Repo\\"" --output out", line);
    }

    [Fact]
    public void Random_hostile_arguments_come_back_exactly()
    {
        var random = new Random(11);
        string[] pieces = ["a", "b", " ", "\\", "\"", "\t", "'", "😀"];
        for (var round = 0; round < 2_000; round++)
        {
            var arguments = Enumerable.Range(0, random.Next(1, 5))
                .Select(_ => string.Concat(Enumerable.Range(0, random.Next(0, 9)).Select(_ => pieces[random.Next(pieces.Length)]))).ToArray();

            Assert.Equal(arguments, CommandLineToArgv(WindowsCommandLine.Join(arguments)));
        }
    }
}
