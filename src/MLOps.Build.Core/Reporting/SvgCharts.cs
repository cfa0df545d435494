using System.Globalization;
using System.Net;
using System.Text;

namespace MLOps.Build.Reporting;

/// <summary>
/// Small inline SVG charts for the HTML report: no script, no external file, invariant number formatting, so the same
/// artifacts always give the same bytes. Colours come from CSS variables, so light and dark mode both read; every mark
/// has a <c>&lt;title&gt;</c> with its exact value for hovering.
/// </summary>
public static class SvgCharts
{
    private const int Width = 560;

    /// <summary>One horizontal bar per item, scaled to the largest absolute value; negative values go left of the axis.</summary>
    public static string Bars(IReadOnlyList<(string Label, double Value)> items, string valueFormat = "0.####")
    {
        const int row = 22, label = 180;
        var max = Math.Max(1e-12, items.Select(i => Math.Abs(i.Value)).DefaultIfEmpty(0).Max());
        var hasNegative = items.Any(i => i.Value < 0);
        var zero = label + (hasNegative ? (Width - label) / 2.0 : 0);
        var scale = (Width - label - 60) / (hasNegative ? 2 * max : max);
        var svg = Open(Width, row * items.Count + 8, "bars");
        for (var i = 0; i < items.Count; i++)
        {
            var (name, value) = items[i];
            var y = 4 + i * row;
            var length = Math.Abs(value) * scale;
            var x = value < 0 ? zero - length : zero;
            svg.Append(F($"<text x=\"{label - 6}\" y=\"{y + 15}\" text-anchor=\"end\" class=\"label\">{Escape(name)}</text>"));
            svg.Append(F($"<rect x=\"{x:0.#}\" y=\"{y + 3}\" width=\"{Math.Max(0.5, length):0.#}\" height=\"{row - 8}\" class=\"{(value < 0 ? "bar negative" : "bar")}\"><title>{Escape(name)}: {value.ToString(valueFormat, CultureInfo.InvariantCulture)}</title></rect>"));
            svg.Append(F($"<text x=\"{(value < 0 ? zero + 4 : x + Math.Max(0.5, length) + 4):0.#}\" y=\"{y + 15}\" class=\"value\">{value.ToString(valueFormat, CultureInfo.InvariantCulture)}</text>"));
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Classes a confusion matrix shows one by one; the rest are summed into one "other" row and column.</summary>
    public const int MaxMatrixClasses = 25;

    /// <summary>
    /// A confusion matrix: rows actual, columns predicted, each cell shaded by its share of its row. Beyond
    /// <see cref="MaxMatrixClasses"/> classes the most frequent actual classes are kept and the others summed into
    /// "(N others)", so a 200-class model fits the page; margins follow the longest label (cut at 24 characters, the
    /// whole label in the hover title), and column labels are slanted so that they never overlap.
    /// </summary>
    public static string Heatmap(IReadOnlyList<string> labels, IReadOnlyList<IReadOnlyList<long>> counts)
    {
        (labels, counts) = Fold(labels, counts);
        var cell = labels.Count <= 12 ? 44 : labels.Count <= 20 ? 32 : 24;
        var longest = labels.Select(l => Math.Min(MaxLabel, l.Length)).DefaultIfEmpty(1).Max();
        var left = 40 + 7 * longest;
        var top = 30 + (int)(5 * longest);
        var side = cell * labels.Count;
        var svg = Open(left + side + 10 + (int)(5 * longest), top + side + 10, "heatmap");
        svg.Append(F($"<text x=\"{left + side / 2}\" y=\"14\" text-anchor=\"middle\" class=\"axis\">predicted</text>"));
        svg.Append(F($"<text x=\"12\" y=\"{top + side / 2}\" text-anchor=\"middle\" class=\"axis\" transform=\"rotate(-90 12 {top + side / 2})\">actual</text>"));
        for (var c = 0; c < labels.Count; c++)
        {
            var (x, y) = (left + c * cell + cell / 2, top - 6);
            svg.Append(F($"<text x=\"{x}\" y=\"{y}\" class=\"label\" transform=\"rotate(-45 {x} {y})\">{Label(labels[c])}</text>"));
            svg.Append(F($"<text x=\"{left - 8}\" y=\"{top + c * cell + cell / 2 + 4}\" text-anchor=\"end\" class=\"label\">{Label(labels[c])}</text>"));
        }
        for (var r = 0; r < counts.Count; r++)
        {
            var total = Math.Max(1, counts[r].Sum());
            for (var c = 0; c < counts[r].Count; c++)
            {
                var share = (double)counts[r][c] / total;
                svg.Append(F($"<rect x=\"{left + c * cell}\" y=\"{top + r * cell}\" width=\"{cell - 2}\" height=\"{cell - 2}\" class=\"cell\" fill-opacity=\"{0.08 + 0.92 * share:0.###}\"><title>actual {Escape(labels[r])}, predicted {Escape(labels[c])}: {counts[r][c]} ({share:P1} of the row)</title></rect>"));
                svg.Append(F($"<text x=\"{left + c * cell + cell / 2 - 1}\" y=\"{top + r * cell + cell / 2 + 4}\" text-anchor=\"middle\" class=\"{(share > 0.5 ? "count strong" : "count")}{(cell < 32 ? " small" : "")}\">{Compact(counts[r][c], cell < 32 ? 1_000 : 10_000)}</text>"));
            }
        }
        return svg.Append("</svg>").ToString();
    }

    private const int MaxLabel = 24;

    /// <summary>A label cut to <see cref="MaxLabel"/> characters, its whole text in a hover title.</summary>
    private static string Label(string text) => text.Length <= MaxLabel
        ? Escape(text)
        : F($"{Escape(text.Substring(0, MaxLabel - 1))}…<title>{Escape(text)}</title>");

    /// <summary>A count that fits its cell: in full below <paramref name="from"/>, else in thousands or millions ("187k").</summary>
    private static string Compact(long count, long from) =>
        count < from ? count.ToString(CultureInfo.InvariantCulture)
        : count < 1_000_000 ? F($"{count / 1000}k")
        : F($"{count / 1_000_000}M");

    /// <summary>The <see cref="MaxMatrixClasses"/> − 1 classes with the most actual rows, in their order, and the rest summed.</summary>
    private static (IReadOnlyList<string>, IReadOnlyList<IReadOnlyList<long>>) Fold(IReadOnlyList<string> labels, IReadOnlyList<IReadOnlyList<long>> counts)
    {
        if (labels.Count <= MaxMatrixClasses)
        {
            return (labels, counts);
        }
        var keep = Enumerable.Range(0, labels.Count).OrderByDescending(i => counts[i].Sum()).ThenBy(i => i).Take(MaxMatrixClasses - 1).OrderBy(i => i).ToArray();
        var kept = new HashSet<int>(keep);
        int Slot(int i) => kept.Contains(i) ? Array.IndexOf(keep, i) : keep.Length;
        var folded = new long[keep.Length + 1][];
        for (var r = 0; r < folded.Length; r++)
        {
            folded[r] = new long[keep.Length + 1];
        }
        for (var r = 0; r < labels.Count; r++)
        {
            for (var c = 0; c < counts[r].Count; c++)
            {
                folded[Slot(r)][Slot(c)] += counts[r][c];
            }
        }
        var names = keep.Select(i => labels[i]).Append(F($"({labels.Count - keep.Length} others)")).ToArray();
        return (names, folded);
    }

    /// <summary>
    /// A histogram of training rows per bin <c>[edge_i, edge_i+1)</c>, each bar as wide as its bin on a linear axis and
    /// as tall as its rows per unit of width, so that the area shows the rows (quantile bins are unequal in width; drawn
    /// equally wide, every feature would look flat). A bin of one value (a 0/1 feature's) is as wide as the gap to its
    /// neighbours. The axis shows the first, middle and last edge; every bar's title its range and rows.
    /// </summary>
    public static string Histogram(IReadOnlyList<double> edges, IReadOnlyList<long> counts)
    {
        const int height = 90, width = 260, pad = 8;
        var svg = Open(width + 2 * pad, height + 28, "histogram");
        var (low, high) = (edges[0], edges[counts.Count]);
        var span = high - low;
        double X(double v) => pad + (span > 0 ? (v - low) / span * width : 0);
        // Zero-width bins (a constant column) fall back to equal widths.
        var equal = span <= 0 || Enumerable.Range(0, counts.Count).Any(b => !(edges[b + 1] > edges[b]));
        double Left(int b) => equal ? pad + b * (double)width / counts.Count : X(edges[b]);
        double Right(int b) => equal ? pad + (b + 1) * (double)width / counts.Count : X(edges[b + 1]);
        var density = Enumerable.Range(0, counts.Count).Select(b => counts[b] / Math.Max(1e-9, Right(b) - Left(b))).ToArray();
        var max = Math.Max(1e-12, density.DefaultIfEmpty(0).Max());
        for (var b = 0; b < counts.Count; b++)
        {
            var h = density[b] * height / max;
            var w = Math.Max(1.5, Right(b) - Left(b) - 1);
            svg.Append(F($"<rect x=\"{Left(b):0.#}\" y=\"{height - h + 5:0.#}\" width=\"{w:0.#}\" height=\"{Math.Max(0.5, h):0.#}\" class=\"bar\"><title>[{edges[b].ToString("G6", CultureInfo.InvariantCulture)}, {edges[b + 1].ToString("G6", CultureInfo.InvariantCulture)}): {counts[b]} rows</title></rect>"));
        }
        svg.Append(F($"<line x1=\"{pad}\" y1=\"{height + 5}\" x2=\"{pad + width}\" y2=\"{height + 5}\" class=\"axis-line\"/>"));
        svg.Append(F($"<text x=\"{pad}\" y=\"{height + 20}\" class=\"axis\">{G(low)}</text>"));
        svg.Append(F($"<text x=\"{pad + width}\" y=\"{height + 20}\" text-anchor=\"end\" class=\"axis\">{G(high)}</text>"));
        var middle = edges[counts.Count / 2];
        if (!equal && counts.Count > 2 && X(middle) - pad > 40 && pad + width - X(middle) > 40)
        {
            svg.Append(F($"<text x=\"{X(middle):0.#}\" y=\"{height + 20}\" text-anchor=\"middle\" class=\"axis\">{G(middle)}</text>"));
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Training and current shares per bin side by side: what a drift verdict is about. Each bin is labelled under its
    /// bars (slanted, cut at 24 characters with the whole label in the title), with the largest share on the axis.
    /// </summary>
    public static string Overlay(IReadOnlyList<string> bins, IReadOnlyList<long> reference, IReadOnlyList<long> current)
    {
        const int height = 90, group = 30, left = 34;
        var (referenceTotal, currentTotal) = (Math.Max(1, reference.Sum()), Math.Max(1, current.Sum()));
        var shares = reference.Select(r => (double)r / referenceTotal).Concat(current.Select(c => (double)c / currentTotal)).DefaultIfEmpty(0).Max();
        var max = Math.Max(1e-9, shares);
        var longest = bins.Select(b => Math.Min(MaxLabel, b.Length)).DefaultIfEmpty(1).Max();
        var svg = Open(left + group * bins.Count + 10 + (int)(5 * longest), height + 20 + (int)(5 * longest), "overlay");
        svg.Append(F($"<text x=\"{left - 4}\" y=\"12\" text-anchor=\"end\" class=\"axis\">{max:P0}</text><text x=\"{left - 4}\" y=\"{height + 5}\" text-anchor=\"end\" class=\"axis\">0</text>"));
        for (var b = 0; b < bins.Count; b++)
        {
            var (r, c) = ((double)reference[b] / referenceTotal, (double)current[b] / currentTotal);
            var x = left + b * group;
            svg.Append(F($"<rect x=\"{x}\" y=\"{height - r * height / max + 5:0.#}\" width=\"12\" height=\"{Math.Max(0.5, r * height / max):0.#}\" class=\"bar reference-bar\"><title>{Escape(bins[b])}: training {r:P1} ({reference[b]} rows)</title></rect>"));
            svg.Append(F($"<rect x=\"{x + 13}\" y=\"{height - c * height / max + 5:0.#}\" width=\"12\" height=\"{Math.Max(0.5, c * height / max):0.#}\" class=\"bar\"><title>{Escape(bins[b])}: current {c:P1} ({current[b]} rows)</title></rect>"));
            var (lx, ly) = (x + 12, height + 16);
            svg.Append(F($"<text x=\"{lx}\" y=\"{ly}\" class=\"axis small\" transform=\"rotate(35 {lx} {ly})\">{Label(bins[b])}</text>"));
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>A metric over successive runs, oldest first; each point titled with its run.</summary>
    public static string Line(IReadOnlyList<(string Label, double Value)> points, string yLabel)
    {
        const int width = 420, height = 140, pad = 56;
        var svg = Open(width + pad + 10, height + 30, "line");
        if (points.Count == 0)
        {
            return svg.Append("</svg>").ToString();
        }
        var (min, max) = Range(points.Select(p => p.Value));
        double X(int i) => pad + (points.Count == 1 ? width / 2.0 : i * (double)width / (points.Count - 1));
        double Y(double v) => 5 + (1 - (v - min) / (max - min)) * height;
        svg.Append(F($"<rect x=\"{pad}\" y=\"5\" width=\"{width}\" height=\"{height}\" class=\"frame\"/>"));
        svg.Append(F($"<text x=\"{pad - 4}\" y=\"14\" text-anchor=\"end\" class=\"axis\">{G(max)}</text><text x=\"{pad - 4}\" y=\"{height + 5}\" text-anchor=\"end\" class=\"axis\">{G(min)}</text>"));
        svg.Append(F($"<text x=\"{pad + width / 2}\" y=\"{height + 24}\" text-anchor=\"middle\" class=\"label\">{Escape(yLabel)} per training run, oldest first</text>"));
        svg.Append(F($"<path d=\"{string.Join(" ", points.Select((p, i) => F($"{(i == 0 ? "M" : "L")}{X(i):0.#},{Y(p.Value):0.#}")))}\" class=\"line\"/>"));
        for (var i = 0; i < points.Count; i++)
        {
            svg.Append(F($"<circle cx=\"{X(i):0.#}\" cy=\"{Y(points[i].Value):0.#}\" r=\"3\" class=\"point\"><title>{Escape(points[i].Label)}: {Escape(yLabel)} {G(points[i].Value)}</title></circle>"));
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Several series over the same successive windows (a gap where a series has no value), each line dashed by its
    /// index and titled with its name on every point, so that the chart reads without colour.
    /// </summary>
    /// <summary>How <see cref="Series"/> draws its series, by index (cycling): for a legend in words.</summary>
    public static readonly string[] SeriesStyles = ["solid", "dashed", "dotted", "dash-dot"];

    /// <summary>A legend for <see cref="Series"/>: each series' name and its line's style.</summary>
    public static string SeriesLegend(IEnumerable<string> names) =>
        string.Join(", ", names.Select((name, s) => F($"{Escape(name)} ({SeriesStyles[s % SeriesStyles.Length]})")));

    public static string Series(IReadOnlyList<string> windows, IReadOnlyList<(string Name, IReadOnlyList<double?> Values)> series, string yLabel)
    {
        const int width = 420, height = 140, pad = 56;
        var svg = Open(width + pad + 10, height + 30, "series");
        var values = series.SelectMany(s => s.Values).Where(v => v is { } x && Finite(x)).Select(v => v!.Value).ToArray();
        if (windows.Count == 0 || values.Length == 0)
        {
            return svg.Append("</svg>").ToString();
        }
        var (min, max) = Range(values);
        double X(int i) => pad + (windows.Count == 1 ? width / 2.0 : i * (double)width / (windows.Count - 1));
        double Y(double v) => 5 + (1 - (v - min) / (max - min)) * height;
        svg.Append(F($"<rect x=\"{pad}\" y=\"5\" width=\"{width}\" height=\"{height}\" class=\"frame\"/>"));
        svg.Append(F($"<text x=\"{pad - 4}\" y=\"14\" text-anchor=\"end\" class=\"axis\">{G(max)}</text><text x=\"{pad - 4}\" y=\"{height + 5}\" text-anchor=\"end\" class=\"axis\">{G(min)}</text>"));
        svg.Append(F($"<text x=\"{pad + width / 2}\" y=\"{height + 24}\" text-anchor=\"middle\" class=\"label\">{Escape(yLabel)} per window, oldest first</text>"));
        for (var s = 0; s < series.Count; s++)
        {
            var (name, points) = series[s];
            var path = new StringBuilder();
            var pen = "M";
            for (var i = 0; i < windows.Count && i < points.Count; i++)
            {
                if (points[i] is not { } v || !Finite(v))
                {
                    pen = "M";
                    continue;
                }
                path.Append(F($"{pen}{X(i):0.#},{Y(v):0.#} "));
                pen = "L";
            }
            svg.Append(F($"<path d=\"{path.ToString().TrimEnd()}\" class=\"line series-{s % SeriesStyles.Length}\"><title>{Escape(name)}</title></path>"));
            for (var i = 0; i < windows.Count && i < points.Count; i++)
            {
                if (points[i] is { } v && Finite(v))
                {
                    svg.Append(F($"<circle cx=\"{X(i):0.#}\" cy=\"{Y(v):0.#}\" r=\"3\" class=\"point\"><title>{Escape(windows[i])}: {Escape(name)} {G(v)}</title></circle>"));
                }
            }
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Parallel coordinates: one vertical axis per option and the metric last, each scaled to its values' range; one line
    /// per trial, the best drawn strongest. Shows which option values the good trials share.
    /// </summary>
    public static string ParallelCoordinates(IReadOnlyList<string> axes, IReadOnlyList<(double[] Values, string Title, bool Best)> rows)
    {
        const int height = 180, spacing = 150, pad = 56;
        var width = spacing * Math.Max(1, axes.Count - 1);
        var svg = Open(width + 2 * pad, height + 64, "parallel");
        var ranges = Enumerable.Range(0, axes.Count).Select(a => Range(rows.Select(r => r.Values[a]))).ToArray();
        double X(int a) => pad + a * spacing;
        double Y(int a, double v) => 34 + (1 - (v - ranges[a].Min) / (ranges[a].Max - ranges[a].Min)) * height;
        foreach (var (values, title, best) in rows.OrderBy(r => r.Best))
        {
            var path = string.Join(" ", values.Select((v, a) => F($"{(a == 0 ? "M" : "L")}{X(a):0.#},{Y(a, v):0.#}")));
            svg.Append(F($"<path d=\"{path}\" class=\"{(best ? "line best" : "line trial")}\"><title>{Escape(title)}</title></path>"));
        }
        for (var a = 0; a < axes.Count; a++)
        {
            svg.Append(F($"<line x1=\"{X(a)}\" y1=\"34\" x2=\"{X(a)}\" y2=\"{34 + height}\" class=\"axis-line\"/>"));
            // Staggered, anchored inside at both ends and cut to the spacing: long option names neither overlap nor clip.
            var anchor = a == 0 ? "start" : a == axes.Count - 1 ? "end" : "middle";
            svg.Append(F($"<text x=\"{X(a) + (a == 0 ? -6 : a == axes.Count - 1 ? 6 : 0)}\" y=\"{(a % 2 == 0 ? 12 : 26)}\" text-anchor=\"{anchor}\" class=\"label\">{Cut(axes[a], 2 * spacing / 7)}</text>"));
            var side = a == axes.Count - 1 ? -4 : 4;
            var sideAnchor = a == axes.Count - 1 ? "end" : "start";
            svg.Append(F($"<text x=\"{X(a) + side}\" y=\"{34 + height + 14}\" text-anchor=\"{sideAnchor}\" class=\"axis\">{G(ranges[a].Min)}</text><text x=\"{X(a) + side}\" y=\"44\" text-anchor=\"{sideAnchor}\" class=\"axis\">{G(ranges[a].Max)}</text>"));
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>A curve in the unit square (ROC, precision–recall, calibration), with the diagonal as reference when asked.</summary>
    public static string Curve(IReadOnlyList<IReadOnlyList<double>> points, string xLabel, string yLabel, bool diagonal)
    {
        const int size = 220, pad = 34;
        var svg = Open(size + pad + 10, size + pad + 10, "curve");
        Frame(svg, pad, size, xLabel, yLabel, "0", "1", "0", "1");
        if (diagonal)
        {
            svg.Append(F($"<line x1=\"{pad}\" y1=\"{size + 5}\" x2=\"{pad + size}\" y2=\"5\" class=\"reference\"/>"));
        }
        var path = string.Join(" ", points.Select((p, i) => F($"{(i == 0 ? "M" : "L")}{pad + p[0] * size:0.#},{5 + (1 - p[1]) * size:0.#}")));
        svg.Append(F($"<path d=\"{path}\" class=\"line\"/>"));
        foreach (var p in points)
        {
            svg.Append(F($"<circle cx=\"{pad + p[0] * size:0.#}\" cy=\"{5 + (1 - p[1]) * size:0.#}\" r=\"2\" class=\"point\"><title>{Escape(xLabel)} {p[0].ToString("0.###", CultureInfo.InvariantCulture)}, {Escape(yLabel)} {p[1].ToString("0.###", CultureInfo.InvariantCulture)}{(p.Count > 2 ? F($", {p[2]:0} rows") : "")}</title></circle>"));
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Points scaled to their range, with the reference a regression is judged by: <c>y = x</c> for predicted against
    /// actual, <c>y = 0</c> for residuals.
    /// </summary>
    public static string Scatter(IReadOnlyList<(double X, double Y)> points, string xLabel, string yLabel, bool identity)
    {
        const int size = 220, pad = 44;
        var svg = Open(size + pad + 10, size + pad + 10, "scatter");
        if (points.Count == 0)
        {
            return svg.Append("</svg>").ToString();
        }
        var (xMin, xMax) = Range(points.Select(p => p.X).Concat(identity ? points.Select(p => p.Y) : []));
        var (yMin, yMax) = identity ? (xMin, xMax) : Range(points.Select(p => p.Y).Append(0));
        double X(double x) => pad + (x - xMin) / (xMax - xMin) * size;
        double Y(double y) => 5 + (1 - (y - yMin) / (yMax - yMin)) * size;
        Frame(svg, pad, size, xLabel, yLabel, G(xMin), G(xMax), G(yMin), G(yMax));
        svg.Append(identity
            ? F($"<line x1=\"{X(xMin):0.#}\" y1=\"{Y(xMin):0.#}\" x2=\"{X(xMax):0.#}\" y2=\"{Y(xMax):0.#}\" class=\"reference\"/>")
            : F($"<line x1=\"{pad}\" y1=\"{Y(0):0.#}\" x2=\"{pad + size}\" y2=\"{Y(0):0.#}\" class=\"reference\"/>"));
        foreach (var (x, y) in points)
        {
            svg.Append(F($"<circle cx=\"{X(x):0.#}\" cy=\"{Y(y):0.#}\" r=\"2\" class=\"point\"><title>{Escape(xLabel)} {G(x)}, {Escape(yLabel)} {G(y)}</title></circle>"));
        }
        return svg.Append("</svg>").ToString();
    }

    private static void Frame(StringBuilder svg, int pad, int size, string xLabel, string yLabel, string xMin, string xMax, string yMin, string yMax)
    {
        svg.Append(F($"<rect x=\"{pad}\" y=\"5\" width=\"{size}\" height=\"{size}\" class=\"frame\"/>"));
        svg.Append(F($"<text x=\"{pad}\" y=\"{size + 18}\" class=\"axis\">{xMin}</text><text x=\"{pad + size}\" y=\"{size + 18}\" text-anchor=\"end\" class=\"axis\">{xMax}</text>"));
        svg.Append(F($"<text x=\"{pad - 4}\" y=\"{size + 5}\" text-anchor=\"end\" class=\"axis\">{yMin}</text><text x=\"{pad - 4}\" y=\"14\" text-anchor=\"end\" class=\"axis\">{yMax}</text>"));
        svg.Append(F($"<text x=\"{pad + size / 2}\" y=\"{size + 30}\" text-anchor=\"middle\" class=\"label\">{Escape(xLabel)}</text>"));
        svg.Append(F($"<text x=\"10\" y=\"{5 + size / 2}\" text-anchor=\"middle\" class=\"label\" transform=\"rotate(-90 10 {5 + size / 2})\">{Escape(yLabel)}</text>"));
    }

    /// <summary>A label cut to <paramref name="length"/> characters, its whole text in a hover title.</summary>
    private static string Cut(string text, int length) => text.Length <= length
        ? Escape(text)
        : F($"{Escape(text.Substring(0, length - 1))}…<title>{Escape(text)}</title>");

    private static (double Min, double Max) Range(IEnumerable<double> values)
    {
        var list = values.ToArray();
        var (min, max) = (list.Min(), list.Max());
        return max > min ? (min, max) : (min - 1, max + 1);
    }

    private static bool Finite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);

    private static string G(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static StringBuilder Open(int width, int height, string kind) =>
        new(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {kind}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">"));

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
