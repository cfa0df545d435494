using System.Globalization;

namespace MLOps.Build.Progress;

/// <summary>
/// One step of a long trainer run, as the trainer writes it to its standard output and the build (and the command
/// line tool) read it back: what the trainer is doing for which model, how far along, and how long it has taken.
/// Plain tab-separated text, so that reading it costs the build nothing.
/// </summary>
/// <param name="Stage">A short stage name: read, train, evaluate, cross-validate, importance, export, parity, statistics, trial, done.</param>
/// <param name="Step">For counted work (sweep trials): this step, 1-based; 0 when not counted.</param>
/// <param name="Steps">For counted work: how many steps there are; 0 when not counted.</param>
/// <param name="Elapsed">Since the run started.</param>
public sealed record ProgressLine(string Model, string Stage, string Message, int Step, int Steps, TimeSpan Elapsed)
{
    public const string Prefix = "mlops-progress\t";

    public override string ToString() =>
        Prefix + string.Join("\t", Clean(Model), Clean(Stage), Step.ToString(CultureInfo.InvariantCulture), Steps.ToString(CultureInfo.InvariantCulture),
            ((long)Elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), Clean(Message));

    public static ProgressLine? TryParse(string line)
    {
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var fields = line.Substring(Prefix.Length).Split(['\t'], 6);
        if (fields.Length != 6
            || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var step)
            || !int.TryParse(fields[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var steps)
            || !long.TryParse(fields[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var elapsed))
        {
            return null;
        }
        return new ProgressLine(fields[0], fields[1], fields[5], step, steps, TimeSpan.FromMilliseconds(elapsed));
    }

    /// <summary>
    /// "WeatherModel: training LightGbm on 1,096 rows (4.2 s)"; counted steps as "trial 3/60: … (4.2 s, about 80 s left)",
    /// the time left estimated from the steps done so far.
    /// </summary>
    public string Describe() =>
        $"{Model}: {(Steps > 0 ? $"{Stage} {Step}/{Steps}: " : "")}{Message} ({Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s{Remaining()})";

    private string Remaining() => Steps > 0 && Step > 0 && Step < Steps
        ? $", about {Math.Ceiling(Elapsed.TotalSeconds / Step * (Steps - Step)).ToString("0", CultureInfo.InvariantCulture)} s left"
        : "";

    /// <summary>A field holds no tab or line break (which would split the line) and no other control character: each is shown as its code.</summary>
    private static string Clean(string text) => MLOps.Shared.InvisibleCharacters.Shown(text);
}
