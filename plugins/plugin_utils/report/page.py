# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""report.html: one self-contained page (summary cards, workloads per phase, a per-project table, the five charts and a
sortable, filterable table of every workload) that opens offline. Every value from the API is escaped here."""

from __future__ import annotations

from html import escape

from ansible_collections.runai.platform.plugins.module_utils.values.words import counted
from ansible_collections.runai.platform.plugins.plugin_utils.report.figures import LONG_PENDING, LOW_UTILIZATION

# The page must work offline: the policy forbids every fetch, so a stray network use fails loudly instead of leaking.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; "
    "font-src data:; worker-src blob:"
)
TELEMETRY_TITLES = {"GPU_ALLOCATION": "GPUs allocated", "WORKLOADS_COUNT": "Workloads"}
DASH = "&ndash;"

STYLE = """\
<title>{{ workload_report_title | e }}</title>
  :root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --panel: #ffffff; --page: #f3f5f8; --accent: #1565c0;
          --ok: #2e7d32; --wait: #ef6c00; --bad: #c62828; --done: #607d8b; }
  * { box-sizing: border-box; }
  body { margin: 0; background: var(--page); color: var(--ink);
         font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
  main { max-width: 1440px; margin: 0 auto; padding: 14px 20px 28px; }
  header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 18px; margin-bottom: 10px; }
  h1 { font-size: 21px; margin: 0; }
  h2 { font-size: 16px; margin: 0 0 8px; }
  .meta { color: var(--muted); font-size: 13px; }
  .meta b { color: var(--ink); font-weight: 600; }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(148px, 1fr)); gap: 8px; margin-bottom: 10px; }
  .card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 7px 11px; }
  .card .label { color: var(--muted); font-size: 12px; }
  .card .value { font-size: 21px; font-weight: 600; white-space: nowrap; }
  .card .sub { color: var(--muted); font-size: 12px; }
  .card.alert .value { color: var(--bad); }
  .grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 10px; margin-bottom: 10px; }
  .grid.wide-left { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
  @media (max-width: 1000px) { .grid, .grid.wide-left { grid-template-columns: minmax(0, 1fr); } }
  .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-width: 0; }
  .chart { padding: 4px; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  th, td { padding: 4px 7px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
  th { background: #eef2f7; font-weight: 600; position: sticky; top: 0; z-index: 1; vertical-align: bottom; }
  td.n, th.n, #workloads td:nth-child(n+4):nth-child(-n+10) { text-align: right; font-variant-numeric: tabular-nums; }
  tfoot td { font-weight: 600; border-top: 2px solid var(--line); }
  .scroll { max-height: 72vh; overflow: auto; border: 1px solid var(--line); border-radius: 4px; }
  #workloads th { cursor: pointer; user-select: none; }
  #workloads th[aria-sort="ascending"]::after { content: " \\25B2"; font-size: 10px; }
  #workloads th[aria-sort="descending"]::after { content: " \\25BC"; font-size: 10px; }
  #workloads tr.flagged td:first-child { box-shadow: inset 3px 0 var(--bad); }
  .name { font-weight: 600; }
  .small { color: var(--muted); font-size: 11px; }
  .msg { max-width: 180px; overflow: hidden; text-overflow: ellipsis; color: var(--muted); }
  .badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12px; color: #fff; }
  .badge.ok { background: var(--ok); } .badge.wait { background: var(--wait); }
  .badge.bad { background: var(--bad); } .badge.done { background: var(--done); }
  .flag { display: inline-block; padding: 0 6px; margin-right: 3px; border-radius: 3px; font-size: 11px;
          border: 1px solid var(--bad); color: var(--bad); }
  .flag.long-pending { border-color: var(--wait); color: var(--wait); }
  .phases { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 10px; }
  .controls { display: flex; flex-wrap: wrap; align-items: center; gap: 14px; margin-bottom: 8px; }
  .controls input[type=search] { padding: 4px 8px; border: 1px solid var(--line); border-radius: 4px; min-width: 240px; }
  .notes { color: var(--muted); font-size: 12px; margin-top: 12px; }
  .notes li { margin-bottom: 3px; }
  .empty { color: var(--muted); padding: 12px 0; }
{{ charts.script }}
</head>
<body>
<main>
<header>
  <h1>{{ workload_report_title | e }}</h1>
  <div class="meta">
    Window <b>{{ utc(report.window.start) }}</b> &rarr; <b>{{ utc(report.window.end) }}</b> UTC
  .chart-box { min-height: 360px; }
"""

# Sorting and filtering of the workloads table.
TABLE_SCRIPT = """\
(function () {
  "use strict";
  var table = document.getElementById("workloads");
  var body = table.tBodies[0];
  var filter = document.getElementById("workload-filter");
  var flaggedOnly = document.getElementById("flagged-only");
  var count = document.getElementById("workload-count");

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent;
    return numeric ? parseFloat(raw) || 0 : raw.toLowerCase();
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
    header.addEventListener("click", function () {
      var numeric = header.getAttribute("data-type") === "num";
      var descending = header.getAttribute("aria-sort") !== "descending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
      header.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
        var order = x < y ? -1 : x > y ? 1 : 0;
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });

  function applyFilter() {
    var words = filter.value.toLowerCase().trim();
    var shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var visible = (!words || row.textContent.toLowerCase().indexOf(words) !== -1) &&
                    (!flaggedOnly.checked || row.classList.contains("flagged"));
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = shown + " of " + body.rows.length + " workloads";
  }
  filter.addEventListener("input", applyFilter);
  flaggedOnly.addEventListener("change", applyFilter);
}());
"""

# Draws each chart into the element of its id, from the JSON document that holds them all.
EMBED_SCRIPT = """\
(function () {
  "use strict";
  var items = JSON.parse(document.getElementById("chart-items").textContent);
  Object.keys(items).forEach(function (id) { Bokeh.embed.embed_item(items[id], id); });
}());
"""


def num(value, digits=1) -> str:
    return DASH if value is None else "%.*f" % (digits, value)


def amount(value) -> str:
    """About three significant digits, so a short run reads 0.018 rather than 0.0."""
    if value is None:
        return DASH
    if value == value // 1:
        return "%d" % value
    if value < 0.001:
        return "&lt;0.001"
    return num(value, 3 if value < 1 else 2 if value < 10 else 1 if value < 1000 else 0)


def duration(seconds) -> str:
    if seconds is None:
        return DASH
    if seconds < 90:
        return "%.0f s" % seconds
    if seconds < 5400:
        return "%.0f min" % (seconds / 60.0)
    if seconds < 172800:
        return "%s h" % num(seconds / 3600.0)
    return "%s d" % num(seconds / 86400.0)


def gib(value) -> str:
    return DASH if value is None else num(value / 1073741824.0)


def utc(timestamp) -> str:
    """To the minute: the API's timestamps are ISO 8601 in UTC (YYYY-MM-DDTHH:MM:SS.sssZ)."""
    return escape(timestamp[:16].replace("T", " ")) if timestamp else DASH


def phase_class(phase) -> str:
    if phase == "Running":
        return "ok"
    if phase in ("Pending", "Creating", "Initializing", "Resuming"):
        return "wait"
    if phase in ("Failed", "Degraded"):
        return "bad"
    return "done"


def sort_value(value) -> str:
    """The number a column sorts by; an unknown value sorts below every known one."""
    return "-1" if value is None else repr(value)


def header(title, report, selection) -> str:
    window = report["window"]
    parts = ["Window <b>%s</b> &rarr; <b>%s</b> UTC" % (utc(window["start"]), utc(window["end"]))]
    if window.get("seconds") is not None:
        parts[0] += " (%s)" % duration(window["seconds"])
    parts.append("projects <b>%s</b>" % escape(", ".join(selection.get("projects") or []) or "all"))
    if selection.get("name_prefix"):
        parts.append("name prefix <b>%s</b>" % escape(selection["name_prefix"]))
    parts.append("phases <b>%s</b>" % escape(", ".join(selection.get("phases") or []) or "all"))
    return '<header>\n  <h1>%s</h1>\n  <div class="meta">%s</div>\n</header>\n' % (
        escape(title), " &middot; ".join(parts))


def card(label, value, sub, alert=False, value_id=None) -> str:
    return '<div class="card%s"><div class="label">%s</div><div class="value"%s>%s</div><div class="sub">%s</div></div>' % (
        " alert" if alert else "", label, ' id="%s"' % value_id if value_id else "", value, sub)


def cards(report) -> str:
    summary, thresholds = report["summary"], report["thresholds"]
    phases, flagged = summary["phases"], summary["flagged"]
    return '<section class="cards" aria-label="Summary">\n%s\n</section>\n' % "\n".join((
        card("Workloads", summary["workloads"], "in %s" % counted(summary["projects"], "project"),
             value_id="summary-workloads"),
        card("Running now", phases.get("Running", 0), "%d pending" % phases.get("Pending", 0)),
        card("GPUs allocated now", amount(summary["gpus_allocated"]), "across the selection"),
        card("GPU-hours allocated", amount(summary["gpu_hours_allocated"]), "inside the window"),
        card("GPU-hours used", amount(summary["gpu_hours_used"]),
             "%s %% of allocated" % num(summary["gpu_utilization_percent"])),
        card("Pending / running", "%s / %s" % (duration(summary["pending_seconds"]), duration(summary["running_seconds"])),
             "sum over workloads"),
        card("Low GPU utilization", flagged[LOW_UTILIZATION],
             "below %s %% mean" % num(thresholds["low_utilization_percent"], 0), alert=bool(flagged[LOW_UTILIZATION])),
        card("Long pending", flagged[LONG_PENDING], "&ge; %s pending" % duration(thresholds["long_pending_seconds"]),
             alert=bool(flagged[LONG_PENDING])),
    ))


def phase_badges(data) -> str:
    summary = data["report"]["summary"]
    badges = ['<span class="badge %s">%s %d</span>' % (phase_class(phase), escape(str(phase)), count)
              for phase, count in summary["phases"].items()]
    if summary["excluded"]:
        badges.append('<span class="small">%s outside the window left out</span>'
                      % counted(summary["excluded"], "selected workload"))
    if data["metrics_partial"]:
        badges.append('<span class="small">Some metrics were missing in the API\'s answer (partial result).</span>')
    return '<div class="phases" aria-label="Workloads per phase">%s</div>\n' % "".join(badges)


def project_cells(name, row, flagged) -> str:
    return ('<td>%s</td><td class="n">%d</td><td class="n">%s</td><td class="n">%s</td><td class="n">%s</td>'
            '<td class="n">%s</td><td class="n">%s</td><td class="n">%s</td><td class="n">%d</td>') % (
        name, row["workloads"], amount(row["gpus_allocated"]), amount(row["gpu_hours_allocated"]),
        amount(row["gpu_hours_used"]), num(row["gpu_utilization_percent"]), duration(row["pending_seconds"]),
        duration(row["running_seconds"]), flagged)


def projects_panel(report) -> str:
    if not report["projects"]:
        table = '<p class="empty">No workload matched the selection inside the window.</p>'
    else:
        rows = "\n".join("<tr>%s</tr>" % project_cells(escape(str(row["project"])), row, row["flagged"])
                         for row in report["projects"])
        flagged = sum(1 for row in report["workloads"] if row["flags"])
        table = (
            '<div class="scroll" style="max-height: 316px">\n<table id="projects">\n'
            '<thead><tr><th>Project</th><th class="n">Workloads</th><th class="n">GPUs<br>now</th>'
            '<th class="n">GPU-h<br>allocated</th><th class="n">GPU-h<br>used</th><th class="n">Util<br>%%</th>'
            '<th class="n">Pending<br>time</th><th class="n">Running<br>time</th><th class="n">Flagged</th></tr></thead>\n'
            '<tbody>\n%s\n</tbody>\n<tfoot><tr>%s</tr></tfoot>\n</table>\n</div>'
        ) % (rows, project_cells("All", report["summary"], flagged))
    return '<section class="panel" aria-labelledby="projects-title">\n<h2 id="projects-title">Projects</h2>\n%s\n</section>\n' % table


def chart_panel(chart_id, label) -> str:
    return '<section class="panel chart" aria-label="%s"><div class="chart-box" id="%s"></div></section>\n' % (
        label, chart_id)


def workload_row(row) -> str:
    """One row of the workloads table; its number columns are aligned by the style sheet, which keeps 200 rows
    14 kB smaller than a class on each cell."""
    name, phase = escape(str(row["name"])), escape(str(row["phase"]))
    message = escape(row["phase_message"] or "")
    flags = "".join('<span class="flag %s">%s</span>' % (flag, flag) for flag in row["flags"])
    return (
        '<tr%s><td data-v="%s"><span class="name">%s</span> <span class="small">%s</span></td><td>%s</td>'
        '<td data-v="%s"><span class="badge %s">%s</span></td>'
        '<td data-v="%s">%s</td><td data-v="%d">%s</td><td data-v="%d">%s</td><td data-v="%s">%s</td>'
        '<td data-v="%s">%s</td><td data-v="%s">%s</td><td data-v="%s">%s</td><td>%s</td><td>%s</td>'
        '<td class="msg" title="%s">%s</td></tr>'
    ) % (
        ' class="flagged"' if row["flags"] else "", name, name, escape(row["type"] or ""), escape(str(row["project"])),
        phase, phase_class(row["phase"]), phase,
        sort_value(row["gpus"]), amount(row["gpus"]),
        row["pending_seconds"], duration(row["pending_seconds"]),
        row["running_seconds"], duration(row["running_seconds"]),
        sort_value(row["gpu_hours_allocated"]), amount(row["gpu_hours_allocated"]),
        sort_value(row["gpu_hours_used"]), amount(row["gpu_hours_used"]),
        sort_value(row["gpu_utilization_mean_percent"]), num(row["gpu_utilization_mean_percent"]),
        sort_value(row["gpu_memory_max_bytes"]), gib(row["gpu_memory_max_bytes"]),
        flags, utc(row["created_at"]), message, message,
    )


def workloads_panel(report) -> str:
    rows = report["workloads"]
    empty = '' if rows else '<p class="empty">No workload matched the selection inside the window.</p>'
    return (
        '<section class="panel" aria-labelledby="workloads-title">\n<h2 id="workloads-title">Workloads</h2>\n'
        '<div class="controls">\n'
        '<input type="search" id="workload-filter" placeholder="Filter by name, project, phase&hellip;" '
        'aria-label="Filter workloads">\n<label><input type="checkbox" id="flagged-only"> Only flagged</label>\n'
        '<span class="small" id="workload-count">%d workloads</span>\n'
        '<span class="small">Click a column to sort. Times are inside the window.</span>\n</div>\n'
        '<div class="scroll">\n<table id="workloads">\n<thead><tr>'
        '<th data-type="text">Workload</th><th data-type="text">Project</th><th data-type="text">Phase</th>'
        '<th class="n" data-type="num">GPUs</th><th class="n" data-type="num">Pending<br>time</th>'
        '<th class="n" data-type="num">Running<br>time</th>'
        '<th class="n" data-type="num" aria-sort="descending">GPU-h<br>allocated</th>'
        '<th class="n" data-type="num">GPU-h<br>used</th><th class="n" data-type="num">GPU<br>util %%</th>'
        '<th class="n" data-type="num">GPU mem<br>max GiB</th><th data-type="text">Flags</th>'
        '<th data-type="text">Created<br>(UTC)</th><th data-type="text">Message</th></tr></thead>\n'
        '<tbody>\n%s\n</tbody>\n</table>\n</div>\n%s</section>\n'
    ) % (len(rows), "\n".join(workload_row(row) for row in rows), empty)


def telemetry_panels(telemetry) -> str:
    if not telemetry:
        return ""
    panels = []
    for item in telemetry:
        rows = []
        for value in item.get("values") or []:
            groups = ", ".join("%s <b>%s</b>" % (escape(str(group.get("key"))),
                                                 escape(str(group.get("name") or group.get("value"))))
                               for group in value.get("groups") or []) or "total"
            rows.append('<tr><td>%s</td><td class="n">%s</td></tr>' % (groups, escape(str(value.get("value")))))
        panels.append(
            '<section class="panel" aria-label="Cluster-wide telemetry">\n<h2>%s (cluster-wide, API telemetry)</h2>\n'
            '<div class="small">as the API reported it when the report was made, whatever the selection and window</div>\n'
            '<table class="telemetry">\n<thead><tr><th>Group</th><th class="n">Value</th></tr></thead>\n'
            '<tbody>\n%s\n</tbody>\n</table>\n</section>' % (
                escape(TELEMETRY_TITLES.get(item.get("type"), str(item.get("type")))), "\n".join(rows)))
    return '<div class="grid" style="margin-top: 10px">\n%s\n</div>\n' % "\n".join(panels)


def notes(thresholds) -> str:
    return (
        '<ul class="notes">\n'
        '<li>GPU-hours allocated = GPUs held &times; hours running inside the window; GPU-hours used = GPU-hours '
        'allocated &times; mean GPU utilization of the samples in the window.</li>\n'
        '<li>A workload waits from its creation until its first container starts, and runs until it completes, fails '
        'or is deleted (or until the window ends).</li>\n'
        '<li><span class="flag low-utilization">low-utilization</span> holds GPUs with a mean utilization below %s %% '
        'after running at least %s; <span class="flag long-pending">long-pending</span> waited at least %s inside the '
        'window.</li>\n'
        '<li>Times and GPU-hours count only inside the window. Phases, GPUs allocated now and the cluster-wide '
        'telemetry are what the API reported when the report was made. The page states no time of its own: a report '
        'of a window that has ended reads the same each time it is made.</li>\n'
        '<li>report.csv holds one row per workload; report.json holds everything gathered. Charts are interactive: '
        'hover for values, drag to zoom, click a legend entry to hide it.</li>\n</ul>\n'
    ) % (num(thresholds["low_utilization_percent"], 0), duration(thresholds["low_utilization_min_running_seconds"]),
         duration(thresholds["long_pending_seconds"]))


def script_json(text: str) -> str:
    """JSON text safe inside a <script> element: no '</script>' or '<!--' can end it early."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page(title: str, data: dict, chart_library: str, chart_items: str) -> str:
    report = data["report"]
    return "".join((
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta http-equiv="Content-Security-Policy" content="%s">\n' % CONTENT_SECURITY_POLICY,
        "<title>%s</title>\n<style>\n%s</style>\n" % (escape(title), STYLE),
        chart_library,
        "\n</head>\n<body>\n<main>\n",
        header(title, report, data["selection"]),
        cards(report),
        phase_badges(data),
        '<div class="grid wide-left">\n', projects_panel(report), chart_panel("chart-phases", "Workloads by phase"),
        '</div>\n<div class="grid">\n', chart_panel("chart-gpu-hours-by-project", "GPU-hours by project"),
        chart_panel("chart-time-by-project", "Pending versus running time by project"),
        '</div>\n<div class="grid">\n', chart_panel("chart-gpu-utilization", "GPU utilization over time"),
        chart_panel("chart-gpu-memory", "GPU memory over time"), "</div>\n",
        workloads_panel(report),
        telemetry_panels(data["telemetry"]),
        notes(report["thresholds"]),
        '</main>\n<script type="application/json" id="chart-items">%s</script>\n' % script_json(chart_items),
        "<script>\n%s</script>\n<script>\n%s</script>\n</body>\n</html>\n" % (TABLE_SCRIPT, EMBED_SCRIPT),
    ))
