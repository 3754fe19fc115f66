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
    description: The report figures, the C(report) of what P(runai.platform.workload_report_data#filter) returns.
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
      {% set charts = report_data.report | runai.platform.workload_report_charts(series=report_data.series) %}
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


# What plotly's "plotly_white" template gives the charts, set here: figures built as plain dictionaries skip the
# validation and template objects of plotly.graph_objects, which cost most of the time the charts take.
AXIS_STYLE = {
    "gridcolor": "#EBF0F8",
    "linecolor": "#EBF0F8",
    "zerolinecolor": "#EBF0F8",
    "zerolinewidth": 2,
    "ticks": "",
    "automargin": True,
}


def import_plotly():
    # Imported here so the other filters and ansible-doc work on controllers without plotly.
    try:
        from plotly.colors import qualitative
        from plotly.io import to_html
        from plotly.offline import get_plotlyjs
    except ImportError as error:
        raise AnsibleFilterError(
            "runai.platform.workload_report_charts needs the Python package 'plotly' on the controller: install it "
            "with 'pip install plotly' into the Python that runs ansible-playbook (%s)" % error
        )
    # 24 distinct colours, so a dozen workload lines never share one (the default palette has ten).
    return to_html, get_plotlyjs, list(qualitative.Dark24)


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


def axis(title, **extra):
    return dict(AXIS_STYLE, title={"text": title, "standoff": 15}, **extra)


def figure(traces, title, x_axis, y_axis, empty_note, subtitle=None, height=CHART_HEIGHT_PX, **layout):
    """A plotly figure as the dictionary plotly.js takes; a note in the middle when there is nothing to draw."""
    layout.update(
        {
            "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 15}},
            "height": height,
            "margin": {"l": 64, "r": 16, "t": 64 if subtitle else 48, "b": 56},
            "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12,
                     "color": "#2a3f5f"},
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "xaxis": x_axis,
            "yaxis": y_axis,
            "legend": {"orientation": "h", "yanchor": "top", "y": -0.3, "x": 0, "font": {"size": 11}},
            "hoverlabel": {"namelength": -1, "align": "left"},
        }
    )
    if subtitle:
        layout["title"]["subtitle"] = {"text": subtitle, "font": {"size": 12, "color": "#616e7c"}}
    if not traces:
        layout["annotations"] = [
            {
                "text": empty_note,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "font": {"size": 14, "color": "#666"},
            }
        ]
    return {"data": traces, "layout": layout}


def series_with_points(series, metric):
    """{workload id: the values lists of its workload-level series of ``metric`` that hold points}. The points are
    read later, only for the workloads charted."""
    by_workload = {}
    for item in series:
        if item.get("type") == metric and item.get("pod_id") is None and item.get("values"):
            by_workload.setdefault(item.get("workload_id"), []).append(item["values"])
    return by_workload


def time_chart(palette, rows, values_by_workload, window, title, subtitle, y_title, unit, scale, y_range=None):
    traces = []
    for row in rows:
        points = sorted(
            (parse_timestamp(point["timestamp"], "timestamp"), as_number(point.get("value")))
            for values in values_by_workload.get(row["id"], [])
            for point in values
            if point.get("timestamp") and as_number(point.get("value")) is not None
        )
        traces.append(
            {
                "type": "scatter",
                "x": [plotly_time(moment) for moment, _value in points],
                "y": [value / scale for _moment, value in points],
                "mode": "lines+markers",
                "marker": {"size": 4},
                "name": "%s (%s)" % (row["name"], row["project"]),
                "hovertemplate": "%{y:.1f} " + unit + "<br>%{x}<extra>%{fullData.name}</extra>",
            }
        )
    y_axis = axis(y_title, rangemode="tozero")
    if y_range:
        y_axis["range"] = y_range
    x_range = [plotly_time(parse_timestamp(window["start"], "window.start")),
               plotly_time(parse_timestamp(window["end"], "window.end"))]
    return figure(
        traces,
        title,
        axis("Time (UTC)", range=x_range),
        y_axis,
        "No samples in the report window",
        subtitle=subtitle,
        height=TIME_CHART_HEIGHT_PX,
        hovermode="closest",
        colorway=palette,
    )


def project_hours_chart(projects):
    names = [str(row["project"]) for row in projects]
    traces = []
    for label, key, color in (
        ("Allocated", "gpu_hours_allocated", ALLOCATED_COLOR),
        ("Used", "gpu_hours_used", USED_COLOR),
    ):
        values = [row[key] or 0.0 for row in projects]
        traces.append(
            {
                "type": "bar",
                "x": names,
                "y": values,
                "name": label,
                "marker": {"color": color},
                "text": [amount_label(value) for value in values],
                "textposition": "outside",
                "hovertemplate": "%{x}<br>" + label + ": %{text} GPU-hours<extra></extra>",
            }
        )
    return figure(
        traces if projects else [],
        "GPU-hours allocated and used by project",
        axis("Project"),
        axis("GPU-hours", rangemode="tozero"),
        "No workloads in the report window",
        barmode="group",
    )


def phase_chart(phases):
    names = list(phases)
    traces = [
        {
            "type": "bar",
            "x": names,
            "y": [phases[name] for name in names],
            "marker": {"color": [PHASE_COLORS.get(name, OTHER_PHASE_COLOR) for name in names]},
            "text": [str(phases[name]) for name in names],
            "textposition": "outside",
            "hovertemplate": "%{x}: %{y} workloads<extra></extra>",
            "showlegend": False,
        }
    ]
    return figure(
        traces if phases else [],
        "Workloads by phase",
        axis("Phase"),
        axis("Workloads (count)", rangemode="tozero"),
        "No workloads in the report window",
    )


def project_time_chart(projects):
    names = [str(row["project"]) for row in projects]
    longest = max([row["pending_seconds"] + row["running_seconds"] for row in projects] or [0])
    unit, unit_seconds = duration_unit(longest)
    traces = [
        {
            "type": "bar",
            "y": names,
            "x": [row[key] / unit_seconds for row in projects],
            "name": label,
            "orientation": "h",
            "marker": {"color": color},
            "hovertemplate": "%{y}<br>" + label + ": %{x:.2f} " + unit.lower() + "<extra></extra>",
        }
        for label, key, color in (
            ("Pending", "pending_seconds", PENDING_COLOR),
            ("Running", "running_seconds", RUNNING_COLOR),
        )
    ]
    return figure(
        traces if projects else [],
        "Pending versus running time by project",
        axis("%s (summed over the project's workloads)" % unit, rangemode="tozero"),
        axis("Project", autorange="reversed"),
        "No workloads in the report window",
        barmode="stack",
    )


def workload_report_charts(report, series=None, max_series_workloads=12):
    if not isinstance(report, dict) or not {"workloads", "projects", "summary", "window"} <= set(report):
        raise AnsibleFilterError(
            "workload_report_charts expects the report figures that runai.platform.workload_report_data returns "
            "under 'report'"
        )
    to_html, get_plotlyjs, palette = import_plotly()
    series = series or []
    utilization = series_with_points(series, "GPU_UTILIZATION")
    memory = series_with_points(series, "GPU_MEMORY_USAGE_BYTES")
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
        ("chart-gpu-hours-by-project", project_hours_chart(report["projects"])),
        ("chart-phases", phase_chart(report["summary"]["phases"])),
        ("chart-time-by-project", project_time_chart(report["projects"])),
    ]
    return {
        "script": '<script type="text/javascript">%s</script>' % get_plotlyjs(),
        "charts": [
            {
                "id": chart_id,
                "title": chart["layout"]["title"]["text"],
                "html": to_html(
                    chart,
                    config=PLOTLY_CONFIG,
                    include_plotlyjs=False,
                    include_mathjax=False,
                    full_html=False,
                    default_width="100%",
                    default_height="%dpx" % chart["layout"]["height"],
                    validate=False,
                    div_id=chart_id,
                ),
            }
            for chart_id, chart in figures
        ],
    }


class FilterModule(object):
    def filters(self):
        return {"workload_report_charts": workload_report_charts}
