# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: workload_report_charts
short_description: Draw the Run:ai workload report's charts as self-contained HTML
version_added: 1.0.0
author: runai.platform contributors
description:
  - Draws, with L(plotly,https://plotly.com/python/), the charts of the workload report - GPU utilization and GPU
    memory over time for the workloads with the most GPU-hours, GPU-hours allocated and used by project, workloads
    by phase, and pending versus running time by project.
  - Returns the plotly.js library as one inline C(<script>) element and one C(<div>) per chart, so a page that
    places them opens offline, with no network request.
  - Needs the Python package C(plotly) on the controller (C(pip install plotly) into the Python that runs
    C(ansible-playbook)); without it the filter fails and says so.
positional: _input
options:
  _input:
    description: The report figures that P(runai.platform.workload_report_data#filter) returns.
    type: dict
    required: true
  series:
    description:
      - Metric series as M(runai.platform.runai_metrics_info) returns them; the workload-level C(GPU_UTILIZATION)
        and C(GPU_MEMORY_USAGE_BYTES) series feed the charts over time.
    type: list
    elements: dict
    default: []
  max_series_workloads:
    description:
      - How many workloads the charts over time show, those with the most GPU-hours allocated first, so the
        lines stay readable with hundreds of workloads. The report's table lists them all.
    type: int
    default: 12
"""

EXAMPLES = r"""
- name: Write a page with the charts
  ansible.builtin.copy:
    content: |
      {% set charts = report | runai.platform.workload_report_charts(series=metrics.series) %}
      <!DOCTYPE html><html><head><meta charset="utf-8">{{ charts.script }}</head>
      <body>{% for chart in charts.charts %}{{ chart.html }}{% endfor %}</body></html>
    dest: /tmp/charts.html
    mode: "0644"
"""

RETURN = r"""
_value:
  description: The charts.
  type: dict
  contains:
    script:
      description: The plotly.js library in one inline C(<script>) element; place it once, before the charts.
      type: str
    charts:
      description: One entry per chart in display order, each with C(id) (the id of its C(<div>)), C(title) and C(html).
      type: list
      elements: dict
"""

from ansible.errors import AnsibleFilterError
from ansible_collections.runai.platform.plugins.plugin_utils.report_values import as_number, parse_timestamp

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
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def import_plotly():
    # Imported here so the other filters and ansible-doc work on controllers without plotly.
    try:
        from plotly import graph_objects
        from plotly.colors import qualitative
        from plotly.offline import get_plotlyjs
    except ImportError as error:
        raise AnsibleFilterError(
            "runai.platform.workload_report_charts needs the Python package 'plotly' on the controller: install it "
            "with 'pip install plotly' into the Python that runs ansible-playbook (%s)" % error
        )
    # 24 distinct colours, so a dozen workload lines never share one (the default palette has ten).
    return graph_objects, get_plotlyjs, qualitative.Dark24


def plotly_time(moment):
    """Plotly.js ignores time zones in date strings, so hand it naive UTC times (to the millisecond, since the
    simulator samples short runs more than once a second) and label the axis UTC."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def amount_label(value):
    """About three significant digits, so a short run reads 0.018 rather than 0.0 (as the page's tables do)."""
    if value == round(value):
        return "%d" % value
    if value < 0.001:
        return "<0.001"
    digits = 3 if value < 1 else 2 if value < 10 else 1 if value < 1000 else 0
    return "%.*f" % (digits, value)


def duration_unit(longest_seconds):
    """The unit that keeps a time axis readable: (name, seconds per unit)."""
    for name, seconds in (("Days", 86400.0), ("Hours", 3600.0), ("Minutes", 60.0)):
        if longest_seconds >= 2 * seconds:
            return name, seconds
    return "Seconds", 1.0


def base_layout(title, x_title, y_title, subtitle=None, **extra):
    layout = {
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 15}},
        "template": "plotly_white",
        "height": CHART_HEIGHT_PX,
        "margin": {"l": 64, "r": 16, "t": 48, "b": 56},
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12},
        "xaxis": {"title": {"text": x_title}, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "automargin": True, "rangemode": "tozero"},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.3, "x": 0, "font": {"size": 11}},
        "hoverlabel": {"namelength": -1},
    }
    if subtitle:
        layout["title"]["subtitle"] = {"text": subtitle, "font": {"size": 12, "color": "#616e7c"}}
        layout["margin"]["t"] = 64
    layout.update(extra)
    return layout


def with_empty_note(figure, message):
    if not figure.data:
        figure.add_annotation(
            text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font={"size": 14, "color": "#666"}
        )
    return figure


def workload_series(series, metric):
    by_workload = {}
    for item in series:
        if item.get("type") == metric and item.get("pod_id") is None:
            by_workload.setdefault(item.get("workload_id"), []).extend(item.get("values") or [])
    return by_workload


def time_chart(
    graph_objects, palette, rows, points_by_workload, window, title, subtitle, y_title, unit, scale, y_range=None
):
    figure = graph_objects.Figure()
    for row in rows:
        points = sorted(
            (parse_timestamp(point["timestamp"], "timestamp"), as_number(point.get("value")))
            for point in points_by_workload.get(row["id"], [])
            if point.get("timestamp") and as_number(point.get("value")) is not None
        )
        figure.add_trace(
            graph_objects.Scatter(
                x=[plotly_time(moment) for moment, _value in points],
                y=[value / scale for _moment, value in points],
                mode="lines+markers",
                marker={"size": 4},
                name="%s (%s)" % (row["name"], row["project"]),
                hovertemplate="%{y:.1f} " + unit + "<br>%{x}<extra>%{fullData.name}</extra>",
            )
        )
    yaxis = {"title": {"text": y_title}, "automargin": True, "rangemode": "tozero"}
    if y_range:
        yaxis["range"] = y_range
    figure.update_layout(
        base_layout(
            title,
            "Time (UTC)",
            y_title,
            subtitle=subtitle,
            height=TIME_CHART_HEIGHT_PX,
            xaxis={
                "title": {"text": "Time (UTC)"},
                "range": [
                    plotly_time(parse_timestamp(window["start"], "window.start")),
                    plotly_time(parse_timestamp(window["end"], "window.end")),
                ],
            },
            yaxis=yaxis,
            hovermode="closest",
            colorway=palette,
        )
    )
    return with_empty_note(figure, "No samples in the report window")


def project_hours_chart(graph_objects, projects):
    names = [str(row["project"]) for row in projects]
    figure = graph_objects.Figure()
    if projects:
        for label, key, color in (
            ("Allocated", "gpu_hours_allocated", ALLOCATED_COLOR),
            ("Used", "gpu_hours_used", USED_COLOR),
        ):
            values = [row[key] or 0.0 for row in projects]
            figure.add_trace(
                graph_objects.Bar(
                    x=names,
                    y=values,
                    name=label,
                    marker_color=color,
                    text=[amount_label(value) for value in values],
                    textposition="outside",
                    hovertemplate="%{x}<br>" + label + ": %{text} GPU-hours<extra></extra>",
                )
            )
    figure.update_layout(
        base_layout("GPU-hours allocated and used by project", "Project", "GPU-hours", barmode="group")
    )
    return with_empty_note(figure, "No workloads in the report window")


def phase_chart(graph_objects, phases):
    figure = graph_objects.Figure()
    if phases:
        names = list(phases)
        figure.add_trace(
            graph_objects.Bar(
                x=names,
                y=[phases[name] for name in names],
                marker_color=[PHASE_COLORS.get(name, OTHER_PHASE_COLOR) for name in names],
                text=[str(phases[name]) for name in names],
                textposition="outside",
                hovertemplate="%{x}: %{y} workloads<extra></extra>",
                showlegend=False,
            )
        )
    figure.update_layout(base_layout("Workloads by phase", "Phase", "Workloads (count)"))
    return with_empty_note(figure, "No workloads in the report window")


def project_time_chart(graph_objects, projects):
    names = [str(row["project"]) for row in projects]
    longest = max([row["pending_seconds"] + row["running_seconds"] for row in projects] or [0])
    unit, unit_seconds = duration_unit(longest)
    figure = graph_objects.Figure()
    if projects:
        for label, key, color in (
            ("Pending", "pending_seconds", PENDING_COLOR),
            ("Running", "running_seconds", RUNNING_COLOR),
        ):
            figure.add_trace(
                graph_objects.Bar(
                    y=names,
                    x=[row[key] / unit_seconds for row in projects],
                    name=label,
                    orientation="h",
                    marker_color=color,
                    hovertemplate="%{y}<br>" + label + ": %{x:.2f} " + unit.lower() + "<extra></extra>",
                )
            )
    figure.update_layout(
        base_layout(
            "Pending versus running time by project",
            "%s (summed over the project's workloads)" % unit,
            "Project",
            barmode="stack",
            yaxis={"title": {"text": "Project"}, "automargin": True, "autorange": "reversed"},
        )
    )
    return with_empty_note(figure, "No workloads in the report window")


def workload_report_charts(report, series=None, max_series_workloads=12):
    if not isinstance(report, dict) or not {"workloads", "projects", "summary", "window"} <= set(report):
        raise AnsibleFilterError(
            "workload_report_charts expects the dictionary that runai.platform.workload_report_data returns"
        )
    graph_objects, get_plotlyjs, palette = import_plotly()
    series = series or []
    utilization = workload_series(series, "GPU_UTILIZATION")
    memory = workload_series(series, "GPU_MEMORY_USAGE_BYTES")
    sampled = [row for row in report["workloads"] if row["id"] in utilization or row["id"] in memory]
    charted = sampled[: max(int(max_series_workloads), 0)]
    if len(charted) == len(sampled):
        subtitle = "All %d workloads with samples in the window; hover for values" % len(sampled)
    else:
        subtitle = "The %d of %d workloads with samples that have the most GPU-hours allocated" % (
            len(charted),
            len(sampled),
        )
    figures = [
        (
            "chart-gpu-utilization",
            time_chart(
                graph_objects,
                palette,
                charted,
                utilization,
                report["window"],
                "GPU utilization over time",
                subtitle,
                "GPU utilization (%)",
                "%",
                1.0,
                y_range=[0, 105],
            ),
        ),
        (
            "chart-gpu-memory",
            time_chart(
                graph_objects,
                palette,
                charted,
                memory,
                report["window"],
                "GPU memory used over time",
                subtitle,
                "GPU memory (GiB)",
                "GiB",
                BYTES_PER_GIB,
            ),
        ),
        ("chart-gpu-hours-by-project", project_hours_chart(graph_objects, report["projects"])),
        ("chart-phases", phase_chart(graph_objects, report["summary"]["phases"])),
        ("chart-time-by-project", project_time_chart(graph_objects, report["projects"])),
    ]
    return {
        "script": '<script type="text/javascript">%s</script>' % get_plotlyjs(),
        "charts": [
            {
                "id": chart_id,
                "title": figure.layout.title.text,
                "html": figure.to_html(
                    full_html=False,
                    include_plotlyjs=False,
                    include_mathjax=False,
                    div_id=chart_id,
                    default_height="%dpx" % figure.layout.height,
                    default_width="100%",
                    config=PLOTLY_CONFIG,
                ),
            }
            for chart_id, figure in figures
        ],
    }


class FilterModule(object):
    def filters(self):
        return {"workload_report_charts": workload_report_charts}
