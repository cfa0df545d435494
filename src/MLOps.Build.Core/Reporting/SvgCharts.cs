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

    /// <summary>A confusion matrix: rows actual, columns predicted, each cell shaded by its share of its row.</summary>
    public static string Heatmap(IReadOnlyList<string> labels, IReadOnlyList<IReadOnlyList<long>> counts)
    {
        const int cell = 44, left = 110, top = 44;
        var side = cell * labels.Count;
        var svg = Open(left + side + 10, top + side + 10, "heatmap");
        svg.Append(F($"<text x=\"{left + side / 2}\" y=\"14\" text-anchor=\"middle\" class=\"axis\">predicted</text>"));
        svg.Append(F($"<text x=\"12\" y=\"{top + side / 2}\" text-anchor=\"middle\" class=\"axis\" transform=\"rotate(-90 12 {top + side / 2})\">actual</text>"));
        for (var c = 0; c < labels.Count; c++)
        {
            svg.Append(F($"<text x=\"{left + c * cell + cell / 2}\" y=\"{top - 8}\" text-anchor=\"middle\" class=\"label\">{Escape(labels[c])}</text>"));
            svg.Append(F($"<text x=\"{left - 8}\" y=\"{top + c * cell + cell / 2 + 4}\" text-anchor=\"end\" class=\"label\">{Escape(labels[c])}</text>"));
        }
        for (var r = 0; r < counts.Count; r++)
        {
            var total = Math.Max(1, counts[r].Sum());
            for (var c = 0; c < counts[r].Count; c++)
            {
                var share = (double)counts[r][c] / total;
                svg.Append(F($"<rect x=\"{left + c * cell}\" y=\"{top + r * cell}\" width=\"{cell - 2}\" height=\"{cell - 2}\" class=\"cell\" fill-opacity=\"{0.08 + 0.92 * share:0.###}\"><title>actual {Escape(labels[r])}, predicted {Escape(labels[c])}: {counts[r][c]} ({share:P1} of the row)</title></rect>"));
                svg.Append(F($"<text x=\"{left + c * cell + cell / 2 - 1}\" y=\"{top + r * cell + cell / 2 + 4}\" text-anchor=\"middle\" class=\"{(share > 0.5 ? "count strong" : "count")}\">{counts[r][c]}</text>"));
            }
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>A histogram of training rows per bin <c>[edge_i, edge_i+1)</c>, bars of equal width (quantile bins).</summary>
    public static string Histogram(IReadOnlyList<double> edges, IReadOnlyList<long> counts)
    {
        const int height = 90, barWidth = 30;
        var max = Math.Max(1, counts.DefaultIfEmpty(0).Max());
        var svg = Open(barWidth * counts.Count + 10, height + 20, "histogram");
        for (var b = 0; b < counts.Count; b++)
        {
            var h = (double)counts[b] * height / max;
            svg.Append(F($"<rect x=\"{5 + b * barWidth}\" y=\"{height - h + 5:0.#}\" width=\"{barWidth - 3}\" height=\"{Math.Max(0.5, h):0.#}\" class=\"bar\"><title>[{edges[b].ToString("G6", CultureInfo.InvariantCulture)}, {edges[b + 1].ToString("G6", CultureInfo.InvariantCulture)}): {counts[b]} rows</title></rect>"));
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Training and current shares per bin side by side: what a drift verdict is about.</summary>
    public static string Overlay(IReadOnlyList<string> bins, IReadOnlyList<long> reference, IReadOnlyList<long> current)
    {
        const int height = 90, group = 30;
        var (referenceTotal, currentTotal) = (Math.Max(1, reference.Sum()), Math.Max(1, current.Sum()));
        var shares = reference.Select(r => (double)r / referenceTotal).Concat(current.Select(c => (double)c / currentTotal)).DefaultIfEmpty(0).Max();
        var max = Math.Max(1e-9, shares);
        var svg = Open(group * bins.Count + 10, height + 20, "overlay");
        for (var b = 0; b < bins.Count; b++)
        {
            var (r, c) = ((double)reference[b] / referenceTotal, (double)current[b] / currentTotal);
            svg.Append(F($"<rect x=\"{5 + b * group}\" y=\"{height - r * height / max + 5:0.#}\" width=\"12\" height=\"{Math.Max(0.5, r * height / max):0.#}\" class=\"bar reference-bar\"><title>{Escape(bins[b])}: training {r:P1} ({reference[b]} rows)</title></rect>"));
            svg.Append(F($"<rect x=\"{5 + b * group + 13}\" y=\"{height - c * height / max + 5:0.#}\" width=\"12\" height=\"{Math.Max(0.5, c * height / max):0.#}\" class=\"bar\"><title>{Escape(bins[b])}: current {c:P1} ({current[b]} rows)</title></rect>"));
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
    /// Parallel coordinates: one vertical axis per option and the metric last, each scaled to its values' range; one line
    /// per trial, the best drawn strongest. Shows which option values the good trials share.
    /// </summary>
    public static string ParallelCoordinates(IReadOnlyList<string> axes, IReadOnlyList<(double[] Values, string Title, bool Best)> rows)
    {
        const int height = 180, spacing = 150, pad = 56;
        var width = spacing * Math.Max(1, axes.Count - 1);
        var svg = Open(width + 2 * pad, height + 50, "parallel");
        var ranges = Enumerable.Range(0, axes.Count).Select(a => Range(rows.Select(r => r.Values[a]))).ToArray();
        double X(int a) => pad + a * spacing;
        double Y(int a, double v) => 20 + (1 - (v - ranges[a].Min) / (ranges[a].Max - ranges[a].Min)) * height;
        foreach (var (values, title, best) in rows.OrderBy(r => r.Best))
        {
            var path = string.Join(" ", values.Select((v, a) => F($"{(a == 0 ? "M" : "L")}{X(a):0.#},{Y(a, v):0.#}")));
            svg.Append(F($"<path d=\"{path}\" class=\"{(best ? "line best" : "line trial")}\"><title>{Escape(title)}</title></path>"));
        }
        for (var a = 0; a < axes.Count; a++)
        {
            svg.Append(F($"<line x1=\"{X(a)}\" y1=\"20\" x2=\"{X(a)}\" y2=\"{20 + height}\" class=\"axis-line\"/>"));
            svg.Append(F($"<text x=\"{X(a)}\" y=\"12\" text-anchor=\"middle\" class=\"label\">{Escape(axes[a])}</text>"));
            svg.Append(F($"<text x=\"{X(a) + 4}\" y=\"{20 + height + 14}\" class=\"axis\">{G(ranges[a].Min)}</text><text x=\"{X(a) + 4}\" y=\"30\" class=\"axis\">{G(ranges[a].Max)}</text>"));
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

    private static (double Min, double Max) Range(IEnumerable<double> values)
    {
        var list = values.ToArray();
        var (min, max) = (list.Min(), list.Max());
        return max > min ? (min, max) : (min - 1, max + 1);
    }

    private static string G(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static StringBuilder Open(int width, int height, string kind) =>
        new(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {kind}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">"));

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
