"""Executes one notebook with nbclient, cell by cell, and reports the first failing cell.

Called by scripts/run-notebooks.ts. Writes the executed notebook (also when a cell fails, so the
partial outputs can be read) and prints one JSON line on stdout:
{"ok": true, "cells": N, "seconds": S} or
{"ok": false, "cell": index, "source": "...", "message": "..."}.
tslab reports a failing cell with an empty error name and puts the real message on the cell's
stderr stream, so the message is assembled from the error output and the stderr text.
"""
import argparse
import json
import os
import sys
import time
from contextlib import contextmanager

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def cell_message(cell, exc):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            head = ": ".join(p for p in [out.get("ename", ""), out.get("evalue", "")] if p)
            if head:
                parts.append(head)
    text = "\n".join(p.strip() for p in parts if p.strip())
    return text or str(exc).strip() or type(exc).__name__


def strip_volatile(nb):
    # Keep the stored copy stable across runs: execution timestamps change every time.
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)


@contextmanager
def started_kernel(nb, args, attempts=3):
    """Yields a client whose kernel answered, starting the kernel again if it did not come up.

    tslab starts receiving on its sockets before their binds finish, and zeromq then refuses
    ("Socket is blocked by a bind or unbind operation"); now and then the kernel hangs on that and
    never answers. Nothing has run in it yet, so a fresh kernel is a safe retry.
    """
    for attempt in range(1, attempts + 1):
        client = NotebookClient(nb, kernel_name=args.kernel, timeout=args.timeout,
                                startup_timeout=args.startup_timeout,
                                resources={"metadata": {"path": args.cwd}})
        session = client.setup_kernel()
        try:
            session.__enter__()
        except Exception as exc:  # nbclient has already shut the kernel down
            if attempt == attempts:
                raise RuntimeError(f"the {args.kernel} kernel did not start in {attempts} attempts: {exc}") from exc
            print(f"  kernel start {attempt} of {attempts} failed ({exc}); starting a fresh kernel",
                  file=sys.stderr, flush=True)
            continue
        try:
            yield client
        finally:
            session.__exit__(None, None, None)
        return


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("output")
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--timeout", type=int, default=1800)
    ap.add_argument("--startup-timeout", type=int, default=90)
    ap.add_argument("--cwd", default=".")
    args = ap.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    started = time.time()
    result = None
    code_cells = 0
    with started_kernel(nb, args) as client:
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            code_cells += 1
            t0 = time.time()
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
                result = {"ok": False, "cell": index, "codeCell": code_cells,
                          "source": cell.source, "message": cell_message(cell, exc)}
                break
            finally:
                print(f"  cell {index} done in {time.time() - t0:.1f} s", file=sys.stderr, flush=True)
    if result is None:
        result = {"ok": True, "cells": code_cells, "seconds": round(time.time() - started, 1)}
    strip_volatile(nb)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    tmp = args.output + ".tmp"
    nbformat.write(nb, tmp)
    os.replace(tmp, args.output)
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
