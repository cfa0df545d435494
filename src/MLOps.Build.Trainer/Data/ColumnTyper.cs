using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using MLOps.Shared;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// The manifest's view of the data: which columns are features and of what type (inferred from the training data's
/// scan unless <c>columns</c> says otherwise), and how each file is read into a typed table with the label the task
/// needs. Cells that do not fit are reported at file(line,col) by the readers.
/// </summary>
public sealed class ColumnTyper(ModelManifest manifest, DiagnosticBag diagnostics)
{
    /// <summary>The schema, decided once from the training data and applied to every other file.</summary>
    public IReadOnlyList<(string Name, ColumnKind Kind)> DecideSchema(DataScan train)
    {
        var label = manifest.Label!;
        if (train.IndexOf(label) < 0)
        {
            diagnostics.Add(D.LabelNotFound, manifest.LabelLocation,
                $"Label column '{label}' is not in '{train.DisplayPath}'.{Text.Suggestions.DidYouMean(label, train.Headers)} Columns: {TextLimits.List(train.Headers)}.");
        }
        foreach (var column in manifest.Columns.Where(c => train.IndexOf(c.Column) < 0))
        {
            diagnostics.Add(D.UnknownColumn, column.Location,
                $"Column '{column.Column}' is not in '{train.DisplayPath}'.{Text.Suggestions.DidYouMean(column.Column, train.Headers)}");
        }
        foreach (var excluded in manifest.Exclude.Where(e => train.IndexOf(e.Name) < 0))
        {
            diagnostics.Add(D.UnknownExcludedColumn, excluded.Location,
                $"Excluded column '{excluded.Name}' is not in '{train.DisplayPath}'.{Text.Suggestions.DidYouMean(excluded.Name, train.Headers)}");
        }

        var excludedNames = new HashSet<string>(manifest.Exclude.Select(e => e.Name)) { label };
        var schema = new List<(string, ColumnKind)>();
        for (var c = 0; c < train.Headers.Count; c++)
        {
            var name = train.Headers[c];
            if (excludedNames.Contains(name))
            {
                continue;
            }
            var declared = Settings(name);
            var kind = declared?.Kind
                ?? (declared?.Format is { } format ? (format.IndexOfAny(['H', 'h']) >= 0 ? ColumnKind.DateTime : ColumnKind.Date) : train.Profiles[c].Infer());
            if (declared?.Missing is { } missing && !ManifestParser.MissingPolicyApplies(missing, kind))
            {
                diagnostics.Add(D.ColumnSettingNotApplicable, missing.Location,
                    $"Missing-value policy '{missing.PolicyName}' does not apply to '{name}', inferred as {kind.ToName()}; declare its type or pick another policy. {ManifestParser.MissingPolicyHelp}");
            }
            schema.Add((name, kind));
        }
        foreach (var range in manifest.Rows?.Ranges ?? [])
        {
            var feature = schema.FirstOrDefault(s => s.Item1 == range.Column);
            if (train.IndexOf(range.Column) < 0)
            {
                diagnostics.Add(D.UnknownColumn, range.Location,
                    $"Range filter on '{range.Column}', which is not in '{train.DisplayPath}'.{Text.Suggestions.DidYouMean(range.Column, train.Headers)}");
            }
            else if (feature.Item1 is null || feature.Item2 != ColumnKind.Float)
            {
                diagnostics.Add(D.ColumnSettingNotApplicable, range.Location,
                    $"Range filters apply to numeric features; '{range.Column}' is {(feature.Item1 is null ? "the label or excluded" : feature.Item2.ToName())}.");
            }
        }
        if (schema.Count == 0)
        {
            diagnostics.Add(D.NoFeatures, manifest.LabelLocation, $"Every column of '{train.DisplayPath}' is the label or excluded: there is nothing to learn from.");
        }
        return schema;
    }

    /// <summary>A file's features and label as a typed table; null after reporting why it cannot be used.</summary>
    /// <param name="scan">The file's scan when it was made (the training file): saves decoding twice.</param>
    public TrainingTable? Read(DataFileSet files, string displayPath, FileLocation fileLocation, IReadOnlyList<(string Name, ColumnKind Kind)> schema, DataScan? scan = null)
    {
        var label = manifest.Label!;
        var requests = schema.Select(s => Request(s.Name, s.Kind, Settings(s.Name)?.Format)).Append(LabelRequest(label)).ToArray();
        var errorsBefore = ErrorCount;
        var columns = DataSetReader.Read(files, displayPath, fileLocation, requests, diagnostics, scan);
        if (columns is null)
        {
            return null;
        }
        var features = new List<FeatureColumn>();
        for (var i = 0; i < schema.Count; i++)
        {
            if (columns.Columns[i] is not { } values)
            {
                diagnostics.Add(D.SchemaMismatch, fileLocation, $"'{displayPath}' has no column '{schema[i].Name}', which the training data has.");
                continue;
            }
            features.Add(new FeatureColumn(schema[i].Name, schema[i].Kind, values.Numbers, values.Categories) { Settings = Settings(schema[i].Name) });
        }
        if (columns.Columns[^1] is not { } labelValues)
        {
            diagnostics.Add(D.LabelNotFound, fileLocation, $"Label column '{label}' is not in '{displayPath}'.");
            return null;
        }
        if (ErrorCount > errorsBefore)
        {
            return null;
        }
        var table = RowFilter.Apply(manifest, features, labelValues, columns.RowCount, displayPath, fileLocation, diagnostics, out var keptLabel);
        if (table is null)
        {
            return null;
        }
        var labelColumn = ToLabel(label, keptLabel);
        return ErrorCount > errorsBefore || labelColumn is null ? null : new TrainingTable(displayPath, table.Value.Features, labelColumn, table.Value.Rows) { Filtered = table.Value.Counts };
    }

    private ColumnOverride? Settings(string column) => manifest.Columns.LastOrDefault(o => o.Column == column);

    /// <summary>
    /// Only the schema's features of a file that may lack the label (current data for the drift check); each feature
    /// the file does not have is null, for the caller to report.
    /// </summary>
    public (FeatureColumn?[] Features, int Rows, IReadOnlyList<string> Headers)? ReadFeatures(DataFileSet files, string displayPath, FileLocation fileLocation, IReadOnlyList<(string Name, ColumnKind Kind)> schema)
    {
        var columns = DataSetReader.Read(files, displayPath, fileLocation, schema.Select(s => Request(s.Name, s.Kind, Settings(s.Name)?.Format)).ToArray(), diagnostics);
        if (columns is null)
        {
            return null;
        }
        var features = schema.Select((s, i) => columns.Columns[i] is { } v ? new FeatureColumn(s.Name, s.Kind, v.Numbers, v.Categories) { Settings = Settings(s.Name) } : null).ToArray();
        return (features, columns.RowCount, columns.Headers);
    }

    private int ErrorCount => diagnostics.Items.Count(d => d.Severity == DiagnosticLevel.Error);

    /// <summary>How a feature of a kind is read.</summary>
    public static ColumnRequest Request(string name, ColumnKind kind, string? dateFormat = null) => kind switch
    {
        ColumnKind.Float => new ColumnRequest(name, CellType.Number, kind.ToName()),
        ColumnKind.Bool => new ColumnRequest(name, CellType.Boolean, kind.ToName()),
        ColumnKind.Date or ColumnKind.DateTime => new ColumnRequest(name, CellType.Date, kind.ToName())
        {
            DateFormat = dateFormat,
            UnreadableMessage = cell => $"Column '{name}' ({kind.ToName()}) has the value '{TextLimits.Quoted(cell)}', which is not {(dateFormat is null ? "an ISO-8601 date (2024-03-31, 2024-03-31T14:05:00)" : $"a date in the format '{dateFormat}'")}.",
        },
        _ => new ColumnRequest(name, CellType.Text, kind.ToName()),
    };

    private ColumnRequest LabelRequest(string label) => new(label, manifest.Task == ModelTask.Regression ? CellType.Number : CellType.Text, "label")
    {
        // With "rows": { "missingLabel": "drop" } a missing label is the row filter's to count, not an error.
        MissingCode = manifest.Rows?.DropMissingLabel == true ? null : D.MissingLabel,
        MissingMessage = $"Row has no value for the label '{label}'; every training and test row needs one. To leave such rows out of training and testing (and count them in the model card), add \"rows\": {{ \"missingLabel\": \"drop\" }} to the manifest.",
        UnreadableMessage = cell => $"Regression label '{label}' has the value '{TextLimits.Quoted(cell)}', which is not a number.",
    };

    private LabelColumn? ToLabel(string name, ColumnValues values)
    {
        switch (manifest.Task)
        {
            case ModelTask.Multiclass:
                return new LabelColumn(name, values.Categories, null, null);
            case ModelTask.Regression:
                return new LabelColumn(name, null, null, values.Numbers);
            default:
            {
                var classes = values.Categories!;
                var flags = BinaryFlags(name, classes);
                if (flags is null)
                {
                    return null;
                }
                var rows = new bool[classes.Count];
                for (var r = 0; r < rows.Length; r++)
                {
                    rows[r] = flags[classes.Codes[r]];
                }
                return new LabelColumn(name, null, rows, null);
            }
        }
    }

    /// <summary>Which distinct label values count as true: <c>positiveClass</c>, or true/false, 1/0, yes/no.</summary>
    private bool[]? BinaryFlags(string name, CategoryColumn classes)
    {
        var present = classes.CountByCode().Select((count, code) => (count, code)).Where(p => p.count > 0).Select(p => classes.Values[p.code]).ToArray();
        if (manifest.PositiveClass is { } positive)
        {
            if (present.Length > 2)
            {
                diagnostics.Add(D.BinaryLabelNotBoolean, manifest.LabelLocation,
                    $"Binary label '{name}' has {present.Length} distinct values; a binary task needs two.");
                return null;
            }
            return classes.Values.Select(v => v == positive).ToArray();
        }
        var flags = new bool[classes.Values.Length];
        for (var code = 0; code < flags.Length; code++)
        {
            var value = classes.Values[code].AsSpan();
            if (CellParser.TryParseBool(value, out var flag) || (CellParser.TryParseFloat(value, out flag) && flag is 0 or 1))
            {
                flags[code] = flag == 1;
                continue;
            }
            diagnostics.Add(D.BinaryLabelNotBoolean, manifest.LabelLocation,
                $"Binary label '{name}' has the value '{classes.Values[code]}' (values: {string.Join(", ", present.Take(5))}); use true/false, 1/0 or yes/no, or set \"positiveClass\" to the value that counts as true.");
            return null;
        }
        return flags;
    }
}
