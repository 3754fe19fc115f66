# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run every benchmark script in this folder (bench_*.py, simulator_*.py), one after another, and print their tables.

Each script runs in its own process with this interpreter and prints its own table of ratios; a script that fails or
outlives BENCHMARK_TIMEOUT_SECONDS is reported and makes the run exit non-zero. `make benchmark` calls this.
"""

import subprocess
import sys
import time
from pathlib import Path

BENCHMARK_PATTERNS = ("bench_*.py", "simulator_*.py")
BENCHMARK_TIMEOUT_SECONDS = 900


def discover(folder):
    return sorted({path for pattern in BENCHMARK_PATTERNS for path in folder.glob(pattern)})


def run(script):
    """Run one script with its output going straight to the terminal; return a one-line outcome."""
    started = time.monotonic()
    try:
        status = subprocess.run([sys.executable, str(script)], cwd=script.parent, check=False,
                                timeout=BENCHMARK_TIMEOUT_SECONDS).returncode
    except subprocess.TimeoutExpired:
        return False, "timed out after %d s" % BENCHMARK_TIMEOUT_SECONDS
    elapsed = time.monotonic() - started
    if status != 0:
        return False, "failed (exit %d) after %.1f s" % (status, elapsed)
    return True, "ok in %.1f s" % elapsed


def main():
    scripts = discover(Path(__file__).resolve().parent)
    if not scripts:
        print("benchmarks: no bench_*.py or simulator_*.py scripts in benchmarks/ yet")
        return 0
    outcomes = []
    for script in scripts:
        print("== [benchmark %s]" % script.name, flush=True)
        succeeded, outcome = run(script)
        print("== [benchmark %s] %s" % (script.name, outcome), flush=True)
        outcomes.append((script.name, succeeded, outcome))
    print("== benchmarks")
    for name, _succeeded, outcome in outcomes:
        print("  %-40s %s" % (name, outcome))
    return 0 if all(succeeded for _name, succeeded, _outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
