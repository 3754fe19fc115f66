# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The workload report's five charts, drawn with Bokeh: GPU utilisation and GPU memory over time for the workloads
with the most GPU-hours, GPU-hours allocated and used by project, workloads by phase, and pending versus running time
by project.

Bokeh ships its JavaScript inside the Python package, so the page inlines it (about 1.3 MB, a quarter of plotly.js)
and opens offline; the charts keep hover values, zoom and legend entries that hide their line on a click."""

from __future__ import annotations

import json

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiMissingLibraryError
from ansible_collections.runai.platform.plugins.plugin_utils.report.figures import MEMORY_METRIC, timestamp

UTILIZATION_METRIC = "GPU_UTILIZATION"
BYTES_PER_GIB = float(1 << 30)
PHASE_COLORS = {
    "Running": "#2e7d32",
    "Completed": "#607d8b",
    "Pending": "#ef6c00",
    "Creating": "#ffa726",
    "Initializing": "#ffa726",
    "Failed": "#c62828",
    "Degraded": "#ad1457",
}
OTHER_PHASE_COLOR = "#8d6e63"
ALLOCATED_COLOR = "#90caf9"
USED_COLOR = "#1565c0"
PENDING_COLOR = "#ef6c00"
RUNNING_COLOR = "#2e7d32"
CHART_HEIGHT_PX = 360
# Charts over time carry a legend of up to a dozen workloads below the plot.
TIME_CHART_HEIGHT_PX = 450
TOOLS = "pan,box_zoom,wheel_zoom,reset,save"


def import_bokeh():
    # Imported here so that report.csv and report.json, and ansible-doc, work on controllers without bokeh.
    try:
        from bokeh import models, palettes, plotting, transform
        from bokeh.embed import json_item
        from bokeh.resources import Resources
    except ImportError as error:
        raise RunaiMissingLibraryError(
            "bokeh", "to draw the charts of report.html; install it with 'pip install bokeh' into the Python that runs "
            "ansible-playbook", str(error)) from error
    return plotting, models, palettes, transform, json_item, Resources


def amount_label(value: float) -> str:
    """About three significant digits, so a short run reads 0.018 rather than 0.0 (as the page's tables do)."""
    if value == round(value):
        return "%d" % value
    if value < 0.001:
        return "<0.001"
    digits = 3 if value < 1 else 2 if value < 10 else 1 if value < 1000 else 0
    return "%.*f" % (digits, value)


def duration_unit(longest_seconds: float):
    """The unit that keeps a time axis readable: (name, seconds per unit)."""
    for name, seconds in (("Days", 86400.0), ("Hours", 3600.0), ("Minutes", 60.0)):
        if longest_seconds >= 2 * seconds:
            return name, seconds
    return "Seconds", 1.0


def epoch_ms(text: str, field: str) -> float:
    return timestamp(field, text).timestamp() * 1000.0


class Charts:
    def __init__(self):
        self.plotting, self.models, palettes, self.transform, self.json_item, self.resources = import_bokeh()
        # 20 distinct colours, so a dozen workload lines never share one (the default palette has ten).
        self.palette = list(palettes.Category20[20])

    def script(self) -> str:
        """BokehJS (its core only: the page uses no widgets, tables or WebGL) as inline script elements."""
        return "".join('<script type="text/javascript">%s</script>' % code
                       for code in self.resources(mode="inline", components=["bokeh"], log_level="warn").js_raw)

    def figure(self, chart_id, title, x_title, y_title, height=CHART_HEIGHT_PX, subtitle=None, **options):
        chart = self.plotting.figure(name=chart_id, height=height, sizing_mode="stretch_width", tools=TOOLS,
                                     toolbar_location="above", **options)
        chart.title.text = title
        chart.title.text_font_size = "15px"
        if subtitle:
            chart.add_layout(self.models.Title(text=subtitle, text_font_size="12px", text_font_style="normal",
                                               text_color="#616e7c"), "above")
        chart.xaxis.axis_label = x_title
        chart.yaxis.axis_label = y_title
        chart.outline_line_color = None
        chart.grid.grid_line_color = "#EBF0F8"
        return chart

    def empty_chart(self, chart_id, title, x_title, y_title, note, height=CHART_HEIGHT_PX, subtitle=None):
        """A chart with nothing to draw: its axes, and a note in the middle saying why."""
        chart = self.figure(chart_id, title, x_title, y_title, height, subtitle,
                            x_range=self.models.Range1d(0, 1), y_range=self.models.Range1d(0, 1))
        chart.add_layout(self.models.Label(x=0.5, y=0.5, text=note, text_align="center", text_baseline="middle",
                                           text_color="#666666", text_font_size="14px", name="empty-note"))
        return chart

    def time_chart(self, chart_id, rows, series, metric, window, title, subtitle, y_title, unit, scale, y_range=None):
        """One line per workload of ``rows`` that has samples of ``metric``."""
        lines = []
        for row in rows:
            # milliseconds and three decimals are all a chart shows; fewer digits keep the page small
            points = sorted(
                (int(epoch_ms(point["timestamp"], "timestamp")), round(point["value"] / scale, 3))
                for item in series.get(row["id"], ())
                if item["type"] == metric
                for point in item["values"]
                if point.get("timestamp") and point.get("value") is not None
            )
            if points:
                lines.append(("%s (%s)" % (row["name"], row["project"]), points))
        if not lines:
            return self.empty_chart(chart_id, title, "Time (UTC)", y_title, "No samples in the report window",
                                    TIME_CHART_HEIGHT_PX, subtitle)
        options = {"x_axis_type": "datetime",
                   "x_range": (epoch_ms(window["start"], "window.start"), epoch_ms(window["end"], "window.end"))}
        if y_range:
            options["y_range"] = y_range
        chart = self.figure(chart_id, title, "Time (UTC)", y_title, TIME_CHART_HEIGHT_PX, subtitle, **options)
        for index, (label, points) in enumerate(lines):
            source = self.models.ColumnDataSource({"x": [x for x, _y in points], "y": [y for _x, y in points]})
            chart.line("x", "y", source=source, color=self.palette[index % len(self.palette)], line_width=2,
                       legend_label=label, name=label)
        chart.add_tools(self.models.HoverTool(tooltips="$name<br>@y{0.0} %s<br>@x{%%F %%T} UTC" % unit,
                                              formatters={"@x": "datetime"}))
        chart.legend.click_policy = "hide"
        chart.legend.label_text_font_size = "11px"
        chart.add_layout(chart.legend[0], "below")
        chart.legend.orientation = "horizontal"
        chart.legend.ncols = 2
        return chart

    def project_hours_chart(self, projects):
        names = [str(row["project"]) for row in projects]
        if not projects:
            return self.empty_chart("chart-gpu-hours-by-project", "GPU-hours allocated and used by project", "Project",
                                    "GPU-hours", "No workloads in the report window")
        chart = self.figure("chart-gpu-hours-by-project", "GPU-hours allocated and used by project", "Project",
                            "GPU-hours", x_range=self.models.FactorRange(*names))
        for offset, label, key, color in ((-0.2, "Allocated", "gpu_hours_allocated", ALLOCATED_COLOR),
                                          (0.2, "Used", "gpu_hours_used", USED_COLOR)):
            values = [row[key] or 0.0 for row in projects]
            source = self.models.ColumnDataSource(
                {"project": names, "value": values, "text": [amount_label(value) for value in values]})
            chart.vbar(x=self.transform.dodge("project", offset, range=chart.x_range), top="value", width=0.38,
                       source=source, color=color, legend_label=label, name=label)
        chart.add_tools(self.models.HoverTool(tooltips="@project<br>$name: @text GPU-hours"))
        chart.y_range.start = 0
        chart.legend.location = "top_right"
        chart.legend.click_policy = "hide"
        return chart

    def phase_chart(self, phases):
        names = list(phases)
        if not phases:
            return self.empty_chart("chart-phases", "Workloads by phase", "Phase", "Workloads (count)",
                                    "No workloads in the report window")
        chart = self.figure("chart-phases", "Workloads by phase", "Phase", "Workloads (count)",
                            x_range=self.models.FactorRange(*names))
        source = self.models.ColumnDataSource({"phase": names, "count": [phases[name] for name in names],
                                               "color": [PHASE_COLORS.get(name, OTHER_PHASE_COLOR) for name in names]})
        chart.vbar(x="phase", top="count", width=0.7, color="color", source=source)
        chart.add_tools(self.models.HoverTool(tooltips="@phase: @count workloads"))
        chart.y_range.start = 0
        return chart

    def project_time_chart(self, projects):
        names = [str(row["project"]) for row in projects]
        longest = max([row["pending_seconds"] + row["running_seconds"] for row in projects] or [0])
        unit, unit_seconds = duration_unit(longest)
        x_title = "%s (summed over the project's workloads)" % unit
        if not projects:
            return self.empty_chart("chart-time-by-project", "Pending versus running time by project", x_title,
                                    "Project", "No workloads in the report window")
        chart = self.figure("chart-time-by-project", "Pending versus running time by project", x_title, "Project",
                            y_range=self.models.FactorRange(*reversed(names)))
        source = self.models.ColumnDataSource({
            "project": names,
            "Pending": [row["pending_seconds"] / unit_seconds for row in projects],
            "Running": [row["running_seconds"] / unit_seconds for row in projects],
        })
        chart.hbar_stack(["Pending", "Running"], y="project", height=0.7, color=[PENDING_COLOR, RUNNING_COLOR],
                         source=source, legend_label=["Pending", "Running"], name=["Pending", "Running"])
        chart.add_tools(self.models.HoverTool(tooltips="@project<br>$name: @$name{0.00} " + unit.lower()))
        chart.x_range.start = 0
        chart.legend.location = "bottom_right"
        chart.legend.click_policy = "hide"
        return chart

    def items(self, report, series, chart_workloads) -> str:
        """The charts as one JSON document {chart id: Bokeh item}, for the page to embed."""
        by_workload: dict = {}
        for item in series:
            charted = item.get("type") in (UTILIZATION_METRIC, MEMORY_METRIC)
            if charted and item.get("pod_id") is None and item.get("values"):
                by_workload.setdefault(item["workload_id"], []).append(item)
        sampled = [row for row in report["workloads"] if row["id"] in by_workload]
        charted = sampled[: max(int(chart_workloads), 0)]
        if len(charted) == len(sampled):
            subtitle = "All %d workloads with samples in the window; hover for values" % len(sampled)
        else:
            subtitle = "The %d of %d workloads with samples that have the most GPU-hours allocated" % (
                len(charted), len(sampled))
        charts = [
            self.time_chart("chart-gpu-utilization", charted, by_workload, UTILIZATION_METRIC, report["window"],
                            "GPU utilization over time", subtitle, "GPU utilization (%)", "%", 1.0,
                            y_range=(0, 105)),
            self.time_chart("chart-gpu-memory", charted, by_workload, MEMORY_METRIC, report["window"],
                            "GPU memory used over time", subtitle, "GPU memory (GiB)", "GiB", BYTES_PER_GIB),
            self.project_hours_chart(report["projects"]),
            self.phase_chart(report["summary"]["phases"]),
            self.project_time_chart(report["projects"]),
        ]
        return json.dumps({chart.name: self.json_item(chart, chart.name) for chart in charts},
                          separators=(",", ":"))
