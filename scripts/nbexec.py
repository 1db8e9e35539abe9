"""Executes one notebook headless through a Jupyter kernel (nbclient) for the project's runner.

Jupyter's own client: it only drives the tslab kernel; no computation of the project is done here.
Usage: nbexec.py IN.ipynb OUT.ipynb [--timeout SECONDS] [--kernel NAME] [--allow-errors]
Stops at the first cell that raises (unless the cell is tagged `raises-exception`, or with
--allow-errors: then the error stays in the cell's output and the run goes on), writes the
executed notebook (up to that cell) to OUT atomically, and prints one JSON line: {"ok", "seconds",
"cells", "failed_cell", "ename", "evalue", "stderr_cells", "error_cells", "cell_seconds"}. Exit
status 0 when every cell ran and every error was allowed.

Errors allowed and tslab: after a cell fails, tslab 1.0.22 cancels every request that reaches it
within 200 ms ("execQueue.reset(200)"), even with stop_on_error false, and replies 'abort' with no
output: every later cell was skipped without a word. So after an allowed error this driver waits
past that window, and a cell the kernel still aborted (it never ran) is sent again, a few times;
a cell that stays aborted fails the run instead of passing silently. (scripts/kernel-preload.cjs
fixes the kernel itself, for `jupyter nbconvert --allow-errors` and JupyterLab too.)
"""
import argparse
import json
import os
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

# tslab replies 'abort' (the protocol's word is 'aborted') to requests it cancelled unrun.
ABORTED = ("abort", "aborted")
ABORT_RETRIES = 4
AFTER_ERROR_WAIT = 0.3  # seconds; tslab cancels what arrives within 200 ms of an error


class CellAborted(Exception):
    """The kernel did not run a cell (it cancelled the request)."""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--allow-errors", action="store_true", help="keep going after a cell raises")
    a = ap.parse_args()

    nb = nbformat.read(a.src, as_version=4)
    cwd = os.path.dirname(os.path.abspath(a.src))
    client = NotebookClient(nb, timeout=a.timeout, kernel_name=a.kernel, allow_errors=a.allow_errors,
                            resources={"metadata": {"path": cwd}}, record_timing=True)
    t0 = time.time()
    result = {"ok": True, "failed_cell": None, "ename": None, "evalue": None}
    cell_seconds = []
    replies = {}

    def on_done(cell, cell_index, execute_reply=None, **_kw):
        start = cell.metadata.get("execution", {}).get("iopub.execute_input")
        end = cell.metadata.get("execution", {}).get("shell.execute_reply")
        cell_seconds.append([cell_index, start, end])
        replies[cell_index] = (execute_reply or {}).get("content", {}).get("status")

    client.on_cell_executed = on_done
    failed = None
    error_cells = []
    try:
        with client.setup_kernel():
            count = 0
            for i, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                count += 1
                try:
                    # the prompt number (In [n]) as nbclient's own execute() sets it; tslab's
                    # iopub messages carry none
                    for attempt in range(ABORT_RETRIES + 1):
                        client.execute_cell(cell, i, execution_count=count)
                        if replies.get(i) not in ABORTED:
                            break
                        time.sleep(AFTER_ERROR_WAIT)  # it never ran: send it again
                    if replies.get(i) in ABORTED:
                        failed = (i, CellAborted(f"the kernel skipped this cell {ABORT_RETRIES + 1} times (reply '{replies.get(i)}') after an earlier error"))
                        break
                    if replies.get(i) == "error":
                        error_cells.append(i)
                        time.sleep(AFTER_ERROR_WAIT)  # past tslab's 200 ms queue reset
                except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
                    failed = (i, e)
                    break
    except (DeadKernelError, RuntimeError) as e:
        failed = (None, e)
    if failed is not None:
        idx, e = failed
        result["ok"] = False
        result["failed_cell"] = idx
        err = None
        if idx is not None:
            err = next((o for o in nb.cells[idx].get("outputs", []) if o.get("output_type") == "error"), None)
            result["source"] = nb.cells[idx].source[:2000]
        result["ename"] = err.get("ename") if err else type(e).__name__
        result["evalue"] = ((err.get("evalue") if err else None) or str(e))[:4000]
        if idx is not None:
            # tslab prints compile errors to the cell's stream, not into the error's value
            streams = "".join(o.get("text", "") for o in nb.cells[idx].get("outputs", []) if o.get("output_type") == "stream")
            if streams.strip():
                result["evalue"] += "\n" + streams[-4000:]
    stderr_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                    and any(o.get("output_type") == "stream" and o.get("name") == "stderr" for o in c.get("outputs", []))]
    result.update(seconds=round(time.time() - t0, 2), cells=len(nb.cells), stderr_cells=stderr_cells, error_cells=error_cells)
    os.makedirs(os.path.dirname(os.path.abspath(a.dst)), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(a.dst)), suffix=".tmp-ipynb")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    os.chmod(tmp, 0o644)  # mkstemp makes 0600; the executed notebook is an ordinary build output
    os.replace(tmp, a.dst)
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
