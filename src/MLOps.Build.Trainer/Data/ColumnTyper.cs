using System.Globalization;
using MLOps.Build.Diagnostics;
using MLOps.Build.Manifest;
using D = MLOps.Build.Diagnostics.DiagnosticCodes;

namespace MLOps.Build.Trainer.Data;

/// <summary>
/// Decides each column's type (inferred from the training data unless <c>columns</c> says otherwise),
/// converts the cells, and reads the label for the task. Unparsable cells are reported at file(line,col).
/// </summary>
public sealed class ColumnTyper(ModelManifest manifest, DiagnosticBag diagnostics)
{
    private const int MaxCellErrors = 5;

    /// <summary>The schema, decided once from the training data and applied to every other file.</summary>
    public IReadOnlyList<(string Name, ColumnKind Kind)> DecideSchema(RawTable train)
    {
        var label = manifest.Label!;
        if (train.IndexOf(label) < 0)
        {
            diagnostics.Add(D.LabelNotFound, manifest.LabelLocation,
                $"Label column '{label}' is not in '{train.Path}'.{Text.Suggestions.DidYouMean(label, train.Headers)} Columns: {string.Join(", ", train.Headers)}.");
        }
        foreach (var column in manifest.Columns.Where(c => train.IndexOf(c.Column) < 0))
        {
            diagnostics.Add(D.UnknownColumn, column.Location,
                $"Column '{column.Column}' is not in '{train.Path}'.{Text.Suggestions.DidYouMean(column.Column, train.Headers)}");
        }
        foreach (var excluded in manifest.Exclude.Where(e => train.IndexOf(e.Name) < 0))
        {
            diagnostics.Add(D.UnknownExcludedColumn, excluded.Location,
                $"Excluded column '{excluded.Name}' is not in '{train.Path}'.{Text.Suggestions.DidYouMean(excluded.Name, train.Headers)}");
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
            var declared = manifest.Columns.LastOrDefault(o => o.Column == name);
            schema.Add((name, declared?.Kind ?? Infer(train.Columns[c])));
        }
        if (schema.Count == 0)
        {
            diagnostics.Add(D.NoFeatures, manifest.LabelLocation, $"Every column of '{train.Path}' is the label or excluded: there is nothing to learn from.");
        }
        return schema;
    }

    public TrainingTable? Apply(RawTable table, IReadOnlyList<(string Name, ColumnKind Kind)> schema, FileLocation fileLocation)
    {
        var errorsBefore = diagnostics.Items.Count;
        var features = new List<FeatureColumn>();
        foreach (var (name, kind) in schema)
        {
            var index = table.IndexOf(name);
            if (index < 0)
            {
                diagnostics.Add(D.SchemaMismatch, fileLocation, $"'{table.Path}' has no column '{name}', which the training data has.");
                continue;
            }
            features.Add(Convert(table, index, kind));
        }
        var labelIndex = table.IndexOf(manifest.Label!);
        if (labelIndex < 0)
        {
            diagnostics.Add(D.LabelNotFound, fileLocation, $"Label column '{manifest.Label}' is not in '{table.Path}'.");
            return null;
        }
        var label = ReadLabel(table, labelIndex);
        return diagnostics.Items.Skip(errorsBefore).Any(d => d.Severity == DiagnosticLevel.Error) || label is null
            ? null
            : new TrainingTable(table.Path, features, label, table.RowCount);
    }

    /// <summary>The kind a column of cells is inferred as when the manifest does not declare it.</summary>
    public static ColumnKind Infer(string?[] cells)
    {
        var numbers = true;
        var bools = true;
        var any = false;
        foreach (var cell in cells)
        {
            if (cell is null)
            {
                continue;
            }
            any = true;
            numbers &= TryParseFloat(cell, out _);
            bools &= cell.Equals("true", StringComparison.OrdinalIgnoreCase) || cell.Equals("false", StringComparison.OrdinalIgnoreCase);
            if (!numbers && !bools)
            {
                return ColumnKind.Category;
            }
        }
        return !any || numbers ? ColumnKind.Float : ColumnKind.Bool;
    }

    /// <summary>One column as the given kind; unreadable cells are reported at file(line,col).</summary>
    public FeatureColumn Convert(RawTable table, int index, ColumnKind kind)
    {
        var cells = table.Columns[index];
        var name = table.Headers[index];
        if (kind == ColumnKind.Category)
        {
            return new FeatureColumn(name, kind, null, cells);
        }
        var values = new float[cells.Length];
        var errors = 0;
        for (var r = 0; r < cells.Length; r++)
        {
            var cell = cells[r];
            if (cell is null)
            {
                values[r] = float.NaN;
            }
            else if (kind == ColumnKind.Float ? TryParseFloat(cell, out values[r]) : TryParseBool(cell, out values[r]))
            {
                continue;
            }
            else if (++errors <= MaxCellErrors)
            {
                ReportCell(table, index, r, $"'{cell}' in column '{name}' is not a {(kind == ColumnKind.Float ? "number" : "boolean")}; the column is typed '{kind.ToName()}'.");
            }
        }
        if (errors > MaxCellErrors)
        {
            diagnostics.Add(D.UnparsableValue, FileLocation.File(table.Path), $"{errors} cells of column '{name}' cannot be read as '{kind.ToName()}'; the first {MaxCellErrors} are listed. Declare the column as \"category\" in 'columns' if it is not numeric.");
        }
        return new FeatureColumn(name, kind, values, null);
    }

    private LabelColumn? ReadLabel(RawTable table, int index)
    {
        var cells = table.Columns[index];
        var name = table.Headers[index];
        for (var r = 0; r < cells.Length; r++)
        {
            if (cells[r] is null)
            {
                ReportCell(table, index, r, $"Row has no value for the label '{name}'; every training and test row needs one.", D.MissingLabel);
                return null;
            }
        }
        switch (manifest.Task)
        {
            case ModelTask.Multiclass:
                return new LabelColumn(name, cells, null, null);
            case ModelTask.Binary:
                {
                    var flags = new bool[cells.Length];
                    for (var r = 0; r < cells.Length; r++)
                    {
                        if (manifest.PositiveClass is { } positive)
                        {
                            flags[r] = cells[r] == positive;
                        }
                        else if (TryParseBool(cells[r]!, out var value) || (TryParseFloat(cells[r]!, out value) && value is 0 or 1))
                        {
                            flags[r] = value == 1;
                        }
                        else
                        {
                            var distinct = cells.Distinct().Take(5);
                            diagnostics.Add(D.BinaryLabelNotBoolean, manifest.LabelLocation,
                                $"Binary label '{name}' has the value '{cells[r]}' (values: {string.Join(", ", distinct)}); use true/false, 1/0 or yes/no, or set \"positiveClass\" to the value that counts as true.");
                            return null;
                        }
                    }
                    if (manifest.PositiveClass is not null && cells.Distinct().Count() > 2)
                    {
                        diagnostics.Add(D.BinaryLabelNotBoolean, manifest.LabelLocation,
                            $"Binary label '{name}' has {cells.Distinct().Count()} distinct values; a binary task needs two.");
                        return null;
                    }
                    return new LabelColumn(name, null, flags, null);
                }
            default:
                {
                    var values = new float[cells.Length];
                    for (var r = 0; r < cells.Length; r++)
                    {
                        if (!TryParseFloat(cells[r]!, out values[r]))
                        {
                            ReportCell(table, index, r, $"Regression label '{name}' has the value '{cells[r]}', which is not a number.");
                            return null;
                        }
                    }
                    return new LabelColumn(name, null, null, values);
                }
        }
    }

    private void ReportCell(RawTable table, int column, int row, string message, DiagnosticCode? descriptor = null)
    {
        var line = table.Lines[row];
        var location = line > 0
            ? new FileLocation(table.Path, line, DelimitedFileReader.ColumnOf(FullPath(table.Path), line, column))
            : FileLocation.File(table.Path);
        diagnostics.Add(descriptor ?? D.UnparsableValue, location, line > 0 ? message : $"Row {row + 1}: {message}");
    }

    private string FullPath(string displayPath) =>
        Path.IsPathRooted(displayPath) ? displayPath : Path.Combine(manifest.DirectoryPath, displayPath);

    private static bool TryParseFloat(string text, out float value) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static bool TryParseBool(string text, out float value)
    {
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "y" or "t":
                value = 1;
                return true;
            case "false" or "no" or "n" or "f":
                value = 0;
                return true;
            default:
                value = float.NaN;
                return false;
        }
    }
}
