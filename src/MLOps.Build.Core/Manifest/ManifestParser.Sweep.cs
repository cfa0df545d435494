using System.Globalization;
using System.Text.RegularExpressions;
using MLOps.Build.Diagnostics;
using MLOps.Build.Json;
using MLOps.Build.Text;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Manifest;

public sealed partial class ManifestParser
{
    internal static readonly string[] SweepKeys = ["trials", "time", "metric", "trainers", "space", "folds", "strategy", "dropColumns"];
    internal static readonly string[] RangeKeys = ["min", "max", "scale"];
    private static readonly Regex Duration = new(@"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?\s*$", RegexOptions.CultureInvariant);

    private SweepSpec? ParseSweep(LocatedObject root, ModelTask task, bool taskKnown)
    {
        if (_read.Optional<LocatedObject>(root, "sweep", "an object such as { \"trials\": 30, \"trainers\": [\"LightGbm\", \"FastTree\"] }") is not { } found)
        {
            return null;
        }
        var (property, sweep) = found;
        _read.CheckKeys(sweep, SweepKeys, "sweep.");

        var trials = (int?)_read.OptionalNumber(sweep, "trials", 1, 10_000, integer: true);
        var time = ParseDuration(sweep);
        var folds = (int)(_read.OptionalNumber(sweep, "folds", 2, 20, integer: true) ?? SweepSpec.DefaultFolds);

        var metric = _read.OptionalString(sweep, "metric");
        if (metric is not null && taskKnown && !MetricCatalog.IsKnown(task, metric.Value.Text))
        {
            var known = MetricCatalog.For(task).ToArray();
            _diagnostics.Add(D.UnknownMetric, metric.Value.Location,
                $"Unknown metric '{metric.Value.Text}' for task '{task.ToName()}'.{Suggestions.DidYouMean(metric.Value.Text, known)} Known metrics: {string.Join(", ", known)}.");
        }

        var strategy = SweepStrategy.Random;
        if (_read.OptionalString(sweep, "strategy") is { } strategyText && !SweepStrategies.TryParse(strategyText.Text, out strategy))
        {
            _diagnostics.Add(D.InvalidValue, strategyText.Location,
                $"Unknown sweep strategy '{strategyText.Text}'; expected one of {string.Join(", ", SweepStrategies.Names.Select(n => $"'{n}'"))}.{Suggestions.DidYouMean(strategyText.Text, SweepStrategies.Names)}");
        }

        var trainers = ParseSweepTrainers(sweep, task, taskKnown, property.NameLocation);
        var spaces = ParseSpaces(sweep, trainers);
        var dropColumns = ParseDropColumns(sweep);
        return new SweepSpec(property.NameLocation)
        {
            Trials = trials,
            Time = time,
            Metric = metric?.Text ?? MetricCatalog.Primary(task),
            MetricLocation = metric?.Location ?? property.NameLocation,
            Trainers = trainers,
            Spaces = spaces,
            Folds = folds,
            Strategy = strategy,
            DropColumns = dropColumns,
        };
    }

    /// <summary><c>"dropColumns": ["heavy", "bill depth"]</c>: columns each configuration may leave out (checked against the data by the trainer).</summary>
    private IReadOnlyList<LocatedName> ParseDropColumns(LocatedObject sweep)
    {
        if (_read.Optional<LocatedArray>(sweep, "dropColumns", "an array of column names") is not { } found)
        {
            return [];
        }
        var columns = new List<LocatedName>();
        foreach (var item in found.Value.Items)
        {
            if (item is not LocatedScalar { Kind: LocatedKind.String } name || string.IsNullOrEmpty(name.Text))
            {
                _diagnostics.Add(D.WrongValueType, item.Location, $"'sweep.dropColumns' lists column names; found {(item is LocatedScalar { Kind: LocatedKind.String } ? "an empty string" : $"a {item.KindName}")}.");
                continue;
            }
            if (columns.Any(c => c.Name == name.Text))
            {
                _diagnostics.Add(D.InvalidSweepSpace, name.Location, $"'sweep.dropColumns' names '{name.Text}' twice.");
                continue;
            }
            columns.Add(new LocatedName(name.Text!, name.Location));
        }
        return columns;
    }

    /// <summary><c>"time": "15m"</c>; hours, minutes and seconds: "1h30m", "90s".</summary>
    private TimeSpan? ParseDuration(LocatedObject sweep)
    {
        if (_read.OptionalString(sweep, "time") is not { } text)
        {
            return null;
        }
        var match = Duration.Match(text.Text);
        int Part(int group) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        var duration = match.Success ? new TimeSpan(Part(1), Part(2), Part(3)) : TimeSpan.Zero;
        if (duration <= TimeSpan.Zero)
        {
            _diagnostics.Add(D.InvalidValue, text.Location, $"'sweep.time' must be a duration above zero such as \"15m\", \"90s\" or \"1h30m\"; found \"{text.Text}\".");
            return null;
        }
        return duration;
    }

    private IReadOnlyList<LocatedName> ParseSweepTrainers(LocatedObject sweep, ModelTask task, bool taskKnown, FileLocation sweepLocation)
    {
        var property = sweep.Find("trainers");
        if (property is null)
        {
            return taskKnown ? TrainerCatalog.For(task).Select(t => new LocatedName(t, sweepLocation)).ToArray() : [];
        }
        if (property.Value is not LocatedArray array || array.Items.Count == 0)
        {
            _read.WrongType(property, "a non-empty array of trainer names such as [\"LightGbm\", \"FastTree\"]");
            return [];
        }
        var trainers = new List<LocatedName>();
        foreach (var item in array.Items)
        {
            if (item is not LocatedScalar { Kind: LocatedKind.String } name)
            {
                _diagnostics.Add(D.WrongValueType, item.Location, $"'sweep.trainers' lists trainer names; found a {item.KindName}.");
                continue;
            }
            if (taskKnown && !TrainerCatalog.IsKnown(task, name.Text!))
            {
                var known = TrainerCatalog.For(task);
                _diagnostics.Add(D.UnknownTrainer, name.Location,
                    $"Unknown trainer '{name.Text}' for task '{task.ToName()}'.{Suggestions.DidYouMean(name.Text!, known)} Known trainers: {string.Join(", ", known)}.");
                continue;
            }
            if (trainers.Any(t => t.Name == name.Text))
            {
                _diagnostics.Add(D.InvalidSweepSpace, name.Location, $"'sweep.trainers' names '{name.Text}' twice.");
                continue;
            }
            trainers.Add(new LocatedName(name.Text!, name.Location));
        }
        return trainers;
    }

    private IReadOnlyList<TrainerSpace> ParseSpaces(LocatedObject sweep, IReadOnlyList<LocatedName> trainers)
    {
        if (_read.Optional<LocatedObject>(sweep, "space", "an object of trainer names and their hyperparameters") is not { } found)
        {
            return [];
        }
        var space = found.Value;
        var spaces = new List<TrainerSpace>();
        foreach (var trainer in space.Properties)
        {
            if (trainers.All(t => t.Name != trainer.Name))
            {
                _diagnostics.Add(D.InvalidSweepSpace, trainer.NameLocation,
                    $"'sweep.space' has a space for '{trainer.Name}', which the sweep does not try.{Suggestions.DidYouMean(trainer.Name, trainers.Select(t => t.Name))} Trainers: {string.Join(", ", trainers.Select(t => t.Name))}.");
                continue;
            }
            if (trainer.Value is not LocatedObject parameters)
            {
                _read.WrongType(trainer, "an object of option names and their ranges, values or lists");
                continue;
            }
            var parsed = parameters.Properties.Select(ParseParameter).Where(p => p is not null).Select(p => p!).ToArray();
            if (parsed.Length > 0)
            {
                spaces.Add(new TrainerSpace(trainer.Name, trainer.NameLocation, parsed));
            }
        }
        return spaces;
    }

    /// <summary><c>{ "min", "max", "scale" }</c>, a list of values, or one value.</summary>
    private ParameterSpec? ParseParameter(LocatedProperty parameter)
    {
        switch (parameter.Value)
        {
            case LocatedScalar scalar:
                return new ParameterSpec(parameter.Name, parameter.NameLocation, new FixedDomain(OptionLiteral.From(scalar)));
            case LocatedArray list:
                if (list.Items.Count == 0)
                {
                    _diagnostics.Add(D.InvalidSweepSpace, list.Location, $"'{parameter.Name}' lists no values to try.");
                    return null;
                }
                var values = new List<OptionLiteral>();
                foreach (var item in list.Items)
                {
                    if (item is LocatedScalar value)
                    {
                        values.Add(OptionLiteral.From(value));
                    }
                    else
                    {
                        _diagnostics.Add(D.WrongValueType, item.Location, $"'{parameter.Name}' lists option values (numbers, strings, true or false); found a {item.KindName}.");
                    }
                }
                return values.Count == list.Items.Count ? new ParameterSpec(parameter.Name, parameter.NameLocation, new ChoiceDomain(values)) : null;
            case LocatedObject range:
                _read.CheckKeys(range, RangeKeys, $"sweep.space.{parameter.Name}.");
                var min = _read.OptionalNumber(range, "min", double.MinValue, double.MaxValue, integer: false);
                var max = _read.OptionalNumber(range, "max", double.MinValue, double.MaxValue, integer: false);
                var scale = _read.OptionalString(range, "scale");
                if (scale is not null && scale.Value.Text is not ("log" or "linear"))
                {
                    _diagnostics.Add(D.InvalidValue, scale.Value.Location, $"'scale' must be \"linear\" or \"log\"; found \"{scale.Value.Text}\".");
                    return null;
                }
                if (min is null || max is null)
                {
                    if (range.Find("min") is null || range.Find("max") is null)
                    {
                        _diagnostics.Add(D.InvalidSweepSpace, range.Location, $"The range of '{parameter.Name}' needs both 'min' and 'max'.");
                    }
                    return null;
                }
                var log = scale?.Text == "log";
                if (min > max)
                {
                    _diagnostics.Add(D.InvalidSweepSpace, range.Location, $"The range of '{parameter.Name}' is empty: min {min.Value:R} is above max {max.Value:R}.");
                    return null;
                }
                if (log && min <= 0)
                {
                    _diagnostics.Add(D.InvalidSweepSpace, range.Location, $"The range of '{parameter.Name}' is on a log scale, so min must be above 0; found {min.Value:R}.");
                    return null;
                }
                return new ParameterSpec(parameter.Name, parameter.NameLocation, new RangeDomain(min.Value, max.Value, log));
            default:
                _read.WrongType(parameter, "a range { \"min\": …, \"max\": … }, a list of values or one value");
                return null;
        }
    }
}
