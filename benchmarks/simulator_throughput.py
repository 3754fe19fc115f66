#!/usr/bin/env python3
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Requests per second of the Run:ai simulator for list, get and create at 1, 16 and 64 concurrent clients, as a
ratio to a bare Starlette hello-world served by the same uvicorn configuration, measured side by side in one run.

    python benchmarks/simulator_throughput.py [--rounds 6] [--slice 0.3] [--preload 1000] [--startup-preload 10000]

Targets (issue 3): get >= 0.5 of hello-world, list of 50 and create >= 0.3. Each figure is the median over rounds
of (scenario rate / hello-world rate) measured in back-to-back slices, alternating which goes first, so that load
from other processes on a shared machine weighs on both sides alike; "cpu ratio" compares the servers' CPU time
per request (hello-world / scenario), which such load barely disturbs. Every load loop is bounded by a time and a
request count and talks to 127.0.0.1 only. The servers run in their own processes, the clients in this one; the
simulator keeps its state in a SQLite file, as a durable deployment would (--memory: in memory, as tests do).
"""

import argparse
import asyncio
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "simulator"))

from runai_simulator.testing import SimulatorProcess  # noqa: E402

CONCURRENCY = (1, 16, 64)
MAX_REQUESTS_PER_RUN = 200000
TARGETS = {"get v2": 0.5, "get v1": 0.5, "list 50": 0.3, "create": 0.3}


def serve_hello(port):
    """The baseline: one route answering {"hello": "world"}, on the simulator's own uvicorn configuration."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from runai_simulator.server import uvicorn_config

    async def hello(request):
        return JSONResponse({"hello": "world"})

    uvicorn.Server(uvicorn_config(Starlette(routes=[Route("/hello", hello)]), "127.0.0.1", port)).run()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_listening(port, process, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the hello-world server exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the hello-world server did not start")


async def _client(port, make_request, deadline, tally):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < deadline and tally["done"] < MAX_REQUESTS_PER_RUN:
            writer.write(make_request(tally["sent"]))
            tally["sent"] += 1
            status = int((await reader.readline()).split()[1])
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _colon, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            tally["done"] += 1
            if status >= 300:
                tally["errors"] += 1
    finally:
        writer.close()


def cpu_seconds(pid):
    """User plus system CPU time a process has used (Linux /proc)."""
    with open("/proc/%d/stat" % pid) as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(target, make_request, concurrency, seconds):
    """(requests per second, server CPU seconds per request) with `concurrency` keep-alive connections."""
    port, pid = target
    tally = {"sent": 0, "done": 0, "errors": 0}

    async def run():
        deadline = time.monotonic() + seconds
        started = time.monotonic()
        await asyncio.gather(*(_client(port, make_request, deadline, tally) for _connection in range(concurrency)))
        return time.monotonic() - started

    cpu_before = cpu_seconds(pid)
    elapsed = asyncio.run(run())
    cpu = cpu_seconds(pid) - cpu_before
    if tally["errors"]:
        raise RuntimeError("%d of %d requests failed" % (tally["errors"], tally["done"]))
    return tally["done"] / elapsed, cpu / max(tally["done"], 1)


def paired(baseline, scenario, concurrency, rounds, slice_seconds):
    """Medians over alternating back-to-back slices: hello-world req/s, scenario req/s, their ratio, and the ratio
    of server CPU per request (hello-world / scenario), which load from other processes barely disturbs."""
    results = {"baseline": [], "scenario": []}
    for round_number in range(rounds):
        order = ("baseline", "scenario") if round_number % 2 == 0 else ("scenario", "baseline")
        for side in order:
            target, make = baseline if side == "baseline" else scenario
            results[side].append(measure(target, make, concurrency, slice_seconds))
    ratios = [mine[0] / theirs[0] for mine, theirs in zip(results["scenario"], results["baseline"])]
    cpu_ratio = sum(cpu for _rate, cpu in results["baseline"]) / max(sum(cpu for _rate, cpu in results["scenario"]), 1e-9)
    return (statistics.median(rate for rate, _cpu in results["baseline"]),
            statistics.median(rate for rate, _cpu in results["scenario"]), statistics.median(ratios), cpu_ratio)


def http_get(path, token=None):
    headers = "Host: 127.0.0.1\r\n" + ("Authorization: Bearer %s\r\n" % token if token else "")
    request = ("GET %s HTTP/1.1\r\n%s\r\n" % (path, headers)).encode("ascii")
    return lambda index: request


def rotating_get(paths, token):
    requests = [("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n" % (path, token)).encode()
                for path in paths]
    return lambda index: requests[index % len(requests)]


def creating(token, run_label):
    template = json.dumps({
        "metadata": {"name": "NAME", "projectId": "3"},
        "manifest": {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "NAME"}, "spec": {
            "parallelism": 2, "template": {"spec": {"containers": [
                {"name": "main", "image": "nvcr.io/nvidia/pytorch:24.05-py3",
                 "resources": {"limits": {"nvidia.com/gpu": 1}, "requests": {"cpu": "1", "memory": "4Gi"}}}]}}}},
    })
    head = "POST /api/v2/workloads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n" % token
    serial = itertools.count()

    def make(index):
        body = template.replace("NAME", "bench-%s-%d" % (run_label, next(serial))).encode()
        return (head + "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)).encode() + body
    return make


def startup_seconds(**flags):
    started = time.monotonic()
    with SimulatorProcess(startup_timeout=120, **flags):
        return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--rounds", type=int, default=6, help="alternating slices per figure (default 6)")
    parser.add_argument("--slice", type=float, default=0.3, help="seconds per slice (default 0.3)")
    parser.add_argument("--preload", type=int, default=1000, help="workloads present during list and get")
    parser.add_argument("--startup-preload", type=int, default=10000, help="preload size of the start-up timing")
    parser.add_argument("--memory", action="store_true", help="keep the simulator's state in memory, not in a file")
    parser.add_argument("--serve-hello", type=int, metavar="PORT", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve_hello:
        serve_hello(arguments.serve_hello)
        return 0

    print("start-up: %.2f s empty, %.2f s with --preload %d (targets: < 2 s, < 30 s)" % (
        startup_seconds(), startup_seconds(preload=arguments.startup_preload), arguments.startup_preload), flush=True)

    hello_port = free_port()
    hello = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--serve-hello", str(hello_port)])
    rows = []
    try:
        wait_listening(hello_port, hello)
        with tempfile.TemporaryDirectory() as directory, SimulatorProcess(
                preload=arguments.preload,
                state=":memory:" if arguments.memory else os.path.join(directory, "state.db")) as simulator:
            target = (int(simulator.url.rsplit(":", 1)[1]), simulator.pid)
            token = simulator.token()
            ids = [workload["id"] for workload in simulator.api("GET", "/api/v1/workloads", params={
                "limit": 500}).json()["workloads"]]
            baseline = ((hello_port, hello.pid), http_get("/hello"))
            for concurrency in CONCURRENCY:
                scenarios = (
                    ("get v2", rotating_get(["/api/v2/workloads/" + wid for wid in ids], token)),
                    ("get v1", rotating_get(["/api/v1/workloads/" + wid for wid in ids], token)),
                    ("list 50", http_get("/api/v1/workloads?limit=50", token)),
                    ("create", creating(token, "c%d" % concurrency)),
                )
                for label, make in scenarios:
                    figures = paired(baseline, (target, make), concurrency, arguments.rounds, arguments.slice)
                    rows.append((label, concurrency) + figures)
                    print("%-8s c=%-3d hello %6.0f/s  scenario %6.0f/s  ratio %.2f  cpu ratio %.2f" % (
                        (label, concurrency) + figures), flush=True)
    finally:
        hello.terminate()
        hello.wait(10)

    print("\n%-10s %11s %12s %12s %7s %10s %7s" % (
        "scenario", "concurrency", "hello req/s", "req/s", "ratio", "cpu ratio", "target"))
    failed = []
    for label, concurrency, hello_rate, rate, ratio, cpu_ratio in rows:
        target = TARGETS[label]
        print("%-10s %11d %12.0f %12.0f %7.2f %10.2f %7.1f" % (
            label, concurrency, hello_rate, rate, ratio, cpu_ratio, target))
        if ratio < target:
            failed.append("%s at %d" % (label, concurrency))
    print("below target: " + (", ".join(failed) if failed else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
