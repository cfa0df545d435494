using MLOps.Build.Json;
using MLOps.Build.Text;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Manifest;

/// <summary>The <c>columns</c> and <c>rows</c> sections: column types, their settings, and row filters.</summary>
public sealed partial class ManifestParser
{
    internal static readonly string[] ColumnKeys = ["type", "format", "missing", "wordNgrams", "charNgrams", "weighting", "lowercase"];
    internal static readonly string[] TextKeys = ["wordNgrams", "charNgrams", "weighting", "lowercase"];
    internal static readonly string[] RowsKeys = ["missingLabel", "ranges"];
    internal static readonly string[] RowRangeKeys = ["min", "max"];

    private IReadOnlyList<ColumnOverride> ParseColumns(LocatedObject root)
    {
        if (_read.Optional<LocatedObject>(root, "columns", "an object of column names and types") is not { } found)
        {
            return [];
        }
        var columns = found.Value;
        var result = new List<ColumnOverride>();
        foreach (var column in columns.Properties)
        {
            switch (column.Value)
            {
                case LocatedScalar { Kind: LocatedKind.String } type:
                    if (ColumnKind(column.Name, type.Text, type.Location) is { } kind)
                    {
                        result.Add(new ColumnOverride(column.Name, kind, column.NameLocation));
                    }
                    break;
                case LocatedObject settings:
                    if (ColumnSettings(column, settings) is { } parsed)
                    {
                        result.Add(parsed);
                    }
                    break;
                default:
                    _diagnostics.Add(D.UnknownColumnType, column.Value.Location,
                        $"Column '{column.Name}' needs a type such as \"text\" or settings such as {{ \"type\": \"date\", \"format\": \"dd/MM/yyyy\" }}; found a {column.Value.KindName}.");
                    break;
            }
        }
        return result;
    }

    private ColumnKind? ColumnKind(string column, string? text, Diagnostics.FileLocation location)
    {
        if (ColumnKinds.TryParse(text, out var kind))
        {
            return kind;
        }
        _diagnostics.Add(D.UnknownColumnType, location,
            $"Unknown type '{text}' for column '{column}'; expected one of {string.Join(", ", ColumnKinds.Names.Select(n => $"'{n}'"))}.{Suggestions.DidYouMean(text ?? "", ColumnKinds.Names)}");
        return null;
    }

    /// <summary>{ "type": …, "format": …, "missing": …, text settings }; settings that cannot apply to the type are MLOPS1044.</summary>
    private ColumnOverride? ColumnSettings(LocatedProperty column, LocatedObject settings)
    {
        _read.CheckKeys(settings, ColumnKeys, $"columns.{column.Name}.");
        var errors = ErrorCount;
        Manifest.ColumnKind? kind = null;
        if (_read.OptionalString(settings, "type") is { } typeText)
        {
            kind = ColumnKind(column.Name, typeText.Text, typeText.Location);
        }
        var format = _read.OptionalString(settings, "format");
        if (format is not null && kind is { } k && !k.IsDate())
        {
            _diagnostics.Add(D.ColumnSettingNotApplicable, format.Value.Location, $"'format' applies to date and datetime columns; '{column.Name}' is {k.ToName()}.");
        }

        TextFeaturizationSpec? text = null;
        var textSetting = settings.Properties.FirstOrDefault(p => Array.IndexOf(TextKeys, p.Name) >= 0);
        if (textSetting is not null)
        {
            if (kind is not Manifest.ColumnKind.Text)
            {
                _diagnostics.Add(D.ColumnSettingNotApplicable, textSetting.NameLocation,
                    $"'{textSetting.Name}' applies to text columns; declare \"type\": \"text\" for '{column.Name}'.");
            }
            var defaults = TextFeaturizationSpec.Default;
            var weighting = _read.OptionalString(settings, "weighting");
            if (weighting is { Text: "idf" or "tfidf" })
            {
                _diagnostics.Add(D.InvalidValue, weighting.Value.Location,
                    $"Weighting '{weighting.Value.Text}' cannot ship: ML.NET 6.0.0 exports IDF weights that ONNX Runtime does not reproduce (scores differ by up to 1.1 on real text). Use \"tf\" (the default).");
            }
            else if (weighting is not null && !TextFeaturizationSpec.Weightings.Contains(weighting.Value.Text))
            {
                _diagnostics.Add(D.InvalidValue, weighting.Value.Location,
                    $"Unknown weighting '{weighting.Value.Text}'; expected one of {string.Join(", ", TextFeaturizationSpec.Weightings)}.{Suggestions.DidYouMean(weighting.Value.Text, TextFeaturizationSpec.Weightings)}");
            }
            text = new TextFeaturizationSpec(
                (int)(_read.OptionalNumber(settings, "wordNgrams", 1, 3, integer: true) ?? defaults.WordNgrams),
                (int)(_read.OptionalNumber(settings, "charNgrams", 0, 5, integer: true) ?? defaults.CharNgrams),
                weighting?.Text ?? defaults.Weighting,
                _read.OptionalBool(settings, "lowercase") ?? defaults.Lowercase);
        }

        var missing = ParseMissing(column.Name, settings.Find("missing"));
        if (missing is not null && kind is { } declared && !MissingPolicyApplies(missing, declared))
        {
            _diagnostics.Add(D.ColumnSettingNotApplicable, missing.Location,
                $"Missing-value policy '{missing.PolicyName}'{(missing.Policy == MissingValuePolicy.Constant ? $" {missing.Constant}" : "")} does not apply to the {declared.ToName()} column '{column.Name}'. {MissingPolicyHelp}");
        }
        if (ErrorCount > errors)
        {
            return null;
        }
        return new ColumnOverride(column.Name, kind, column.NameLocation)
        {
            Format = format?.Text,
            FormatLocation = format?.Location ?? column.NameLocation,
            Text = text,
            TextLocation = textSetting?.NameLocation ?? column.NameLocation,
            Missing = missing,
        };
    }

    public const string MissingPolicyHelp =
        "Numbers and booleans take mean, median, mostFrequent or { \"constant\": <number> }; categories and text take mostFrequent or { \"constant\": \"<text>\" } (text: constant only); dates take none.";

    /// <summary>Whether a policy makes sense for a type; the trainer asks again once inferred types are known.</summary>
    public static bool MissingPolicyApplies(MissingValueSpec missing, ColumnKind kind) => kind switch
    {
        Manifest.ColumnKind.Float or Manifest.ColumnKind.Bool => missing.Policy != MissingValuePolicy.Constant || missing.ConstantIsNumber,
        Manifest.ColumnKind.Category => missing.Policy == MissingValuePolicy.MostFrequent || (missing.Policy == MissingValuePolicy.Constant && !missing.ConstantIsNumber),
        Manifest.ColumnKind.Text => missing.Policy == MissingValuePolicy.Constant && !missing.ConstantIsNumber,
        _ => false,
    };

    /// <summary>"mean" | "median" | "mostFrequent" | { "constant": 0 } | { "constant": "unknown" }.</summary>
    private MissingValueSpec? ParseMissing(string column, LocatedProperty? property)
    {
        if (property is null)
        {
            return null;
        }
        switch (property.Value)
        {
            case LocatedScalar { Kind: LocatedKind.String } name:
                var index = MissingValueSpec.Names.ToList().FindIndex(n => n.Equals(name.Text, StringComparison.OrdinalIgnoreCase));
                if (index < 0 || (MissingValuePolicy)index == MissingValuePolicy.Constant)
                {
                    _diagnostics.Add(D.InvalidValue, name.Location,
                        $"Unknown missing-value policy '{name.Text}' for column '{column}'; expected mean, median, mostFrequent or {{ \"constant\": … }}.{Suggestions.DidYouMean(name.Text ?? "", MissingValueSpec.Names)}");
                    return null;
                }
                return new MissingValueSpec((MissingValuePolicy)index, null, false, name.Location);
            case LocatedObject constant when constant.Find("constant") is { Value: LocatedScalar { Kind: LocatedKind.Number or LocatedKind.String } value }:
                _read.CheckKeys(constant, ["constant"], $"columns.{column}.missing.");
                return new MissingValueSpec(MissingValuePolicy.Constant, value.Text, value.Kind == LocatedKind.Number, constant.Location);
            default:
                _read.WrongType(property, "\"mean\", \"median\", \"mostFrequent\" or { \"constant\": <number or text> }");
                return null;
        }
    }

    private RowFilterSpec? ParseRows(LocatedObject root)
    {
        if (_read.Optional<LocatedObject>(root, "rows", "an object such as { \"missingLabel\": \"drop\", \"ranges\": { \"temp\": { \"min\": -50, \"max\": 60 } } }") is not { } found)
        {
            return null;
        }
        var (property, rows) = found;
        _read.CheckKeys(rows, RowsKeys, "rows.");
        var dropMissingLabel = false;
        if (_read.OptionalString(rows, "missingLabel") is { } missingLabel)
        {
            if (missingLabel.Text is not ("drop" or "error"))
            {
                _diagnostics.Add(D.InvalidValue, missingLabel.Location, $"'rows.missingLabel' is \"drop\" or \"error\" (the default); found '{missingLabel.Text}'.");
            }
            dropMissingLabel = missingLabel.Text == "drop";
        }
        var ranges = new List<RangeFilterSpec>();
        if (rows.Find("ranges") is { } rangesProperty)
        {
            if (rangesProperty.Value is not LocatedObject rangeNodes)
            {
                _read.WrongType(rangesProperty, "an object of column names and { \"min\": …, \"max\": … }");
            }
            else
            {
                foreach (var range in rangeNodes.Properties)
                {
                    if (range.Value is not LocatedObject bounds)
                    {
                        _read.WrongType(range, "an object such as { \"min\": 0, \"max\": 100 }");
                        continue;
                    }
                    _read.CheckKeys(bounds, RowRangeKeys, $"rows.ranges.{range.Name}.");
                    var min = _read.OptionalNumber(bounds, "min", double.MinValue, double.MaxValue, integer: false);
                    var max = _read.OptionalNumber(bounds, "max", double.MinValue, double.MaxValue, integer: false);
                    if (min is null && max is null)
                    {
                        _diagnostics.Add(D.InvalidValue, range.NameLocation, $"Range filter on '{range.Name}' needs 'min', 'max' or both.");
                    }
                    else if (min > max)
                    {
                        _diagnostics.Add(D.InvalidValue, range.NameLocation, $"Range filter on '{range.Name}' has min {min:R} above max {max:R}: it would drop every row.");
                    }
                    else
                    {
                        ranges.Add(new RangeFilterSpec(range.Name, min, max, range.NameLocation));
                    }
                }
            }
        }
        return new RowFilterSpec(dropMissingLabel, ranges, property.NameLocation);
    }

    private int ErrorCount => _diagnostics.Items.Count(d => d.Severity == Diagnostics.DiagnosticLevel.Error);
}
