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

    private static StringBuilder Open(int width, int height, string kind) =>
        new(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {kind}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">"));

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
