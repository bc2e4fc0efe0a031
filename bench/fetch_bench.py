"""Fetch figures: requests per refresh, peak memory of a full fetch, client cost per row.

Three processes, so that each figure is the fetch's own: the query node (the test server,
tests/qn_server.py, on generated records, answering reads without a filter straight from the
records; it records every answer it gives), the fetch
(``python -m council.fetch``'s code in a child whose peak RSS is its own), and a replay server
that answers the recorded requests from memory (no GraphQL execution), so the client's cost
per row is not capped by the test server's speed.

    python -m bench.fetch_bench serve SIZE RECORDING   # child: test node, prints its URL
    python -m bench.fetch_bench replay RECORDING        # child: replay node, prints its URL
    python -m bench.fetch_bench fetch URL DB [--full]   # child: one refresh, prints JSON
"""

from __future__ import annotations

import json
import pickle
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def request_key(payload: dict[str, Any]) -> str:
    """What identifies a request: its operation and variables (the query text follows)."""
    key = [payload.get("operationName"), payload.get("variables") or {}]
    return json.dumps(key, sort_keys=True)


def serve(size: str, recording: Path) -> None:
    """Child: serve ``size``'s generated records until stdin closes, recording the answers."""
    sys.path.insert(0, str(ROOT / "tests"))
    from qn_server import QueryNodeServer

    from bench.__main__ import SIZES
    from council.synthetic import generate_records

    answers: dict[str, tuple[int, bytes]] = {}
    records = generate_records(*SIZES[size], seed=0)
    server = QueryNodeServer(records)
    answer = server._answer

    def recorded(payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        body = _unfiltered_answer(records, payload)
        status = 200
        if body is None:
            status, body = answer(payload)
        answers[request_key(payload)] = (status, json.dumps(body).encode())
        return status, body

    server._answer = recorded
    print(server.url, flush=True)
    sys.stdin.read()
    server.stop()
    with recording.open("wb") as out:
        pickle.dump(answers, out, protocol=pickle.HIGHEST_PROTOCOL)


def _unfiltered_answer(records: dict[str, list], payload: dict[str, Any]) -> dict | None:
    """The answer to a request without any ``where``, straight from the records (they are
    generated in ``createdAt`` order, the fetch's order): counts and offset/limit slices. The
    test node sorts and filters the whole list on every request, which at 100x (a million
    votes) would take hours; None when the request has a filter (the test node answers)."""
    from graphql import FieldNode, get_operation_ast, parse

    variables = payload.get("variables") or {}
    if any(name.endswith("where") and value for name, value in variables.items()):
        return None
    operation = get_operation_ast(parse(payload["query"]), payload.get("operationName"))
    data: dict[str, Any] = {}
    for field in operation.selection_set.selections:
        assert isinstance(field, FieldNode)
        args = {}
        for argument in field.arguments:
            node = argument.value
            if node.kind == "variable":
                args[argument.name.value] = variables.get(node.name.value)
            elif node.kind == "int_value":
                args[argument.name.value] = int(node.value)
        name = field.name.value
        key = field.alias.value if field.alias else name
        if name.endswith("Connection"):
            data[key] = {"totalCount": len(records.get(name.removesuffix("Connection"), []))}
        else:
            offset, limit = args.get("offset") or 0, args.get("limit") or 50
            data[key] = records.get(name, [])[offset : offset + limit]
    return {"data": data}


def replay(recording: Path) -> None:
    """Child: answer every recorded request from memory until stdin closes."""
    with recording.open("rb") as source:
        answers: dict[str, tuple[int, bytes]] = pickle.load(source)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, text = answers.get(
                request_key(json.loads(body)), (400, b'{"errors":[{"message":"not recorded"}]}')
            )
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    print(f"http://127.0.0.1:{httpd.server_address[1]}/graphql", flush=True)
    sys.stdin.read()
    httpd.shutdown()


def fetch(url: str, db: Path, full: bool) -> dict[str, Any]:
    """Child: one refresh of ``db`` from ``url``; its figures."""
    from council import fetch as council_fetch

    started = time.perf_counter()
    stats = council_fetch.refresh(url, db, retries=0, timeout=3600, full=full)
    seconds = time.perf_counter() - started
    rows = sum(stats.rows.values())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": seconds,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rows": rows,
        "requests": stats.total_requests,
        "per_entity": stats.requests,
        "peak_mb": usage.ru_maxrss / 1024,
    }


class _Child:
    """A child server process that prints its URL and stops when its stdin closes."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.fetch_bench", *args],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url = self.process.stdout.readline().strip()
        if not self.url:
            raise RuntimeError(f"bench child {args} did not start")

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=3600)


def _fetch_child(url: str, db: Path, full: bool = False) -> dict[str, Any]:
    args = [sys.executable, "-m", "bench.fetch_bench", "fetch", url, str(db)]
    out = subprocess.run(
        [*args, *(["--full"] if full else [])], cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(f"fetch child failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(size: str) -> dict[str, Any]:
    """Full fetch and no-change refresh against the test node, then the full fetch replayed."""
    with tempfile.TemporaryDirectory(prefix="bench-fetch-") as tmp:
        folder = Path(tmp)
        recording = folder / "answers.pickle"
        node = _Child("serve", size, str(recording))
        try:
            full = _fetch_child(node.url, folder / "node.db", full=True)
            unchanged = _fetch_child(node.url, folder / "node.db")
        finally:
            node.stop()
        replayed_node = _Child("replay", str(recording))
        try:
            replayed = _fetch_child(replayed_node.url, folder / "replay.db", full=True)
        finally:
            replayed_node.stop()
    return {"full": full, "unchanged": unchanged, "replayed": replayed}


def main(argv: list[str]) -> int:
    """Child entry points (see the module docstring)."""
    command, *rest = argv
    if command == "serve":
        serve(rest[0], Path(rest[1]))
    elif command == "replay":
        replay(Path(rest[0]))
    elif command == "fetch":
        print(json.dumps(fetch(rest[0], Path(rest[1]), "--full" in rest)))
    elif command == "measure":
        print(json.dumps(measure(rest[0])))
    else:
        raise SystemExit(f"unknown command {command}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
