namespace MLOps.Build.Diagnostics;

public sealed class DiagnosticBag
{
    private readonly List<MLOpsDiagnostic> _items = [];

    public IReadOnlyList<MLOpsDiagnostic> Items => _items;

    public bool HasErrors => _items.Exists(d => d.Severity == DiagnosticLevel.Error);

    public void Add(DiagnosticCode descriptor, FileLocation location, string message) =>
        _items.Add(new MLOpsDiagnostic(descriptor, location, message));

    public void AddRange(IEnumerable<MLOpsDiagnostic> diagnostics) => _items.AddRange(diagnostics);
}
