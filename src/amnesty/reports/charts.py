"""Bar charts with matplotlib's Agg backend (no display needed), written as PNG and/or SVG.

matplotlib is imported when a chart is drawn, not with this module: it takes about half a second,
which every command of the CLI (it imports the report commands) would otherwise pay."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from amnesty.render.formats import format_number


def bar_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    title: str,
    paths: Sequence[Path],
    ylabel: str = "persons",
    horizontal: bool = False,
    language: str | None = None,
) -> list[Path]:
    """Grouped bars: one group per label, one bar per series; saved to every path (format by suffix).
    With a `language`, the value axis writes numbers in its form ("2,5")."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    count = max(1, len(series))
    width = 0.8 / count
    size = (9, max(3.5, 0.35 * len(labels) + 1.5)) if horizontal else (max(6, 0.6 * len(labels) + 2), 4.5)
    figure, axes = plt.subplots(figsize=size)
    try:
        positions = list(range(len(labels)))
        for index, (name, values) in enumerate(series.items()):
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            if horizontal:
                axes.barh(offsets, list(values), height=width, label=name)
            else:
                axes.bar(offsets, list(values), width=width, label=name)
        if horizontal:
            axes.set_yticks(positions, list(labels))
            axes.invert_yaxis()
            axes.set_xlabel(ylabel)
        else:
            axes.set_xticks(positions, list(labels), rotation=30, ha="right")
            axes.set_ylabel(ylabel)
        if language is not None:
            axis = axes.xaxis if horizontal else axes.yaxis
            axis.set_major_formatter(FuncFormatter(lambda value, _: format_number(round(value, 2), language)))
        axes.set_title(title)
        if len(series) > 1:
            axes.legend()
        figure.tight_layout()
        for path in paths:
            figure.savefig(path, dpi=110)
    finally:
        plt.close(figure)
    return list(paths)
