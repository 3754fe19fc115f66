# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run every benchmark script in this folder (bench_*.py, simulator_*.py), one after another, and print one table of
all their figures. `make benchmark` calls this; --quick is the smoke run of a minute or two.

    python benchmarks/run_all.py [--quick] [--only NAME ...] [--markdown FILE] [--strict]

Each script runs in its own process with this interpreter. The bench_*.py scripts append their rows to a results
file; the simulator's throughput table is read from its output. A script that fails or outlives
BENCHMARK_TIMEOUT_SECONDS makes the run exit non-zero; a missed target does too with --strict.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import harness

BENCHMARK_PATTERNS = ("bench_*.py", "simulator_*.py")
BENCHMARK_TIMEOUT_SECONDS = 900
# Smaller sizes for simulator_throughput.py in a quick run (its own options).
SIMULATOR_QUICK_ARGS = ["--rounds", "2", "--slice", "0.2", "--preload", "300", "--startup-preload", "2000"]
# A row of simulator_throughput.py's final table: scenario, concurrency, hello req/s, req/s, ratio, cpu ratio, target.
THROUGHPUT_ROW = re.compile(
    r"^(get v2|get v1|list 50|create)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$")
STARTUP_LINE = re.compile(r"^start-up: ([\d.]+) s empty, ([\d.]+) s with --preload (\d+)")


def discover(folder, only):
    scripts = sorted({path for pattern in BENCHMARK_PATTERNS for path in folder.glob(pattern)})
    return [script for script in scripts if not only or any(name in script.name for name in only)]


def run(script, quick, results_file):
    """Run one script, its output going to the terminal as it comes; (succeeded, outcome, output)."""
    arguments = [sys.executable, str(script)]
    if script.name.startswith("bench_"):
        arguments += ["--results", results_file] + (["--quick"] if quick else [])
    elif quick:
        arguments += SIMULATOR_QUICK_ARGS
    started = time.monotonic()
    lines = []
    with subprocess.Popen(arguments, cwd=script.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as process:
        watchdog = threading.Timer(BENCHMARK_TIMEOUT_SECONDS, process.kill)
        watchdog.start()
        try:
            for line in process.stdout:
                sys.stdout.write(line)
                sys.stdout.flush()
                lines.append(line.rstrip("\n"))
            status = process.wait()
        finally:
            watchdog.cancel()
            if process.poll() is None:
                process.kill()
    elapsed = time.monotonic() - started
    if elapsed >= BENCHMARK_TIMEOUT_SECONDS:
        return False, "timed out after %d s" % BENCHMARK_TIMEOUT_SECONDS, lines
    if status != 0:
        return False, "failed (exit %d) after %.1f s" % (status, elapsed), lines
    return True, "ok in %.1f s" % elapsed, lines


def throughput_rows(lines, judged):
    """The simulator throughput figures as rows of the common table."""
    rows = []
    for line in lines:
        startup = STARTUP_LINE.match(line)
        if startup:
            rows.append(row("simulator start-up", float(startup.group(1)), "s", "< 2.00 s",
                            float(startup.group(1)) < 2, judged, "%.1f s with --preload %s (target < 30 s)" % (
                                float(startup.group(2)), startup.group(3))))
        figures = THROUGHPUT_ROW.match(line.strip())
        if figures:
            label, concurrency, hello, rate, ratio, cpu_ratio, target = figures.groups()
            rows.append(row("%s, %s clients, req/s vs hello-world" % (label, concurrency), float(ratio), "x",
                            ">= %.2fx" % float(target), float(ratio) >= float(target), judged,
                            "%s vs %s req/s; cpu ratio %s" % (rate, hello, cpu_ratio)))
    return rows


def row(figure, value, unit, target, met, judged, detail):
    """A row of the common table; a quick run's figures are not judged against the targets."""
    status = ("met" if met else "MISSED") if judged else "quick"
    return dict(benchmark="simulator", figure=figure, value=value, unit=unit, target=target, status=status,
                detail=detail)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and one round (a smoke run of minutes)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only scripts whose file name contains NAME")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown to FILE")
    parser.add_argument("--strict", action="store_true", help="exit non-zero when a target is missed")
    options = parser.parse_args()
    scripts = discover(Path(__file__).resolve().parent, options.only)
    if not scripts:
        print("benchmarks: no bench_*.py or simulator_*.py scripts matched in benchmarks/")
        return 0
    outcomes, rows = [], []
    with tempfile.TemporaryDirectory(prefix="runai-benchmarks-") as directory:
        results_file = os.path.join(directory, "results.jsonl")
        for script in scripts:
            print("== [benchmark %s]" % script.name, flush=True)
            succeeded, outcome, lines = run(script, options.quick, results_file)
            print("== [benchmark %s] %s" % (script.name, outcome), flush=True)
            outcomes.append((script.name, succeeded, outcome))
            if script.name.startswith("simulator_"):
                rows += throughput_rows(lines, judged=not options.quick)
        if os.path.exists(results_file):
            with open(results_file) as handle:
                rows = [json.loads(line) for line in handle] + rows
    print("\n== benchmark figures (%s run; ratios measured side by side in this run)" % (
        "quick" if options.quick else "full"))
    harness.print_table(rows)
    if options.markdown:
        with open(options.markdown, "w") as handle:
            handle.write(harness.markdown_table(rows))
    print("\n== benchmark scripts")
    for name, _succeeded, outcome in outcomes:
        print("  %-28s %s" % (name, outcome))
    missed = [item for item in rows if item["status"] == "MISSED"]
    print("targets missed: %s" % (", ".join("%s: %s" % (item["benchmark"], item["figure"]) for item in missed)
                                  if missed else "none"))
    if not all(succeeded for _name, succeeded, _outcome in outcomes):
        return 1
    return 1 if options.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
