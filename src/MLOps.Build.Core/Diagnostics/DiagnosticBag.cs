namespace MLOps.Build.Diagnostics;

/// <summary>Diagnostics in the order they were added; adding is safe from many threads (a sweep's trials, a store turning off).</summary>
public sealed class DiagnosticBag
{
    private readonly List<MLOpsDiagnostic> _items = [];

    public IReadOnlyList<MLOpsDiagnostic> Items => _items;

    public bool HasErrors => _items.Exists(d => d.Severity == DiagnosticLevel.Error);

    public void Add(DiagnosticCode descriptor, FileLocation location, string message)
    {
        lock (_items)
        {
            _items.Add(new MLOpsDiagnostic(descriptor, location, message));
        }
    }

    public void AddRange(IEnumerable<MLOpsDiagnostic> diagnostics)
    {
        lock (_items)
        {
            _items.AddRange(diagnostics);
        }
    }
}
