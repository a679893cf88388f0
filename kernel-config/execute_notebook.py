"""Runs one notebook with a Jupyter kernel (nbclient) and exports it to HTML with the report template.

Called by `src/cli/report.ts` (`npm run report`), never by hand. Uses only Debian's python3-nbclient,
jupyter-client and jupyter-nbconvert (no IPython). Prints exactly one JSON line on stdout describing the outcome:
  {"status": "ok", "codeCells": n}
  {"status": "cell-error", "cellIndex": i, "codeCellNumber": k, "source": "...", "stderr": "..."}
  {"status": "no-kernel", "kernel": "...", "available": {"name": "folder", ...}}
  {"status": "kernel-died", "message": "..."} / {"status": "timeout", "cellIndex": i, "message": "..."}
The HTML is written only when every cell ran.

Usage: execute_notebook.py INPUT.ipynb OUTPUT.html --kernel NAME --cwd DIR --timeout SECONDS
       --template-dir DIR --template NAME [--no-code] [--executed OUT.ipynb]
"""
import argparse
import json
import sys

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def report(outcome):
    print(json.dumps(outcome), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--cwd", required=True)
    parser.add_argument("--timeout", type=int, required=True)
    parser.add_argument("--template-dir", required=True)
    parser.add_argument("--template", required=True)
    parser.add_argument("--no-code", action="store_true")
    parser.add_argument("--executed")
    args = parser.parse_args()

    specs = KernelSpecManager().find_kernel_specs()
    if args.kernel not in specs:
        report({"status": "no-kernel", "kernel": args.kernel, "available": specs})
        return 3

    notebook = nbformat.read(args.input, as_version=4)
    current = {"index": -1}

    def on_cell_start(cell, cell_index):
        current["index"] = cell_index

    client = NotebookClient(
        notebook,
        kernel_name=args.kernel,
        timeout=args.timeout,
        startup_timeout=120,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": args.cwd}},
        on_cell_start=on_cell_start,
    )
    try:
        client.execute()
    except CellExecutionError:
        index = current["index"]
        cell = notebook.cells[index]
        stderr = "".join(
            output.get("text", "")
            for output in cell.get("outputs", [])
            if output.get("output_type") == "stream" and output.get("name") == "stderr"
        )
        errors = [
            output.get("ename", "") + ": " + output.get("evalue", "")
            for output in cell.get("outputs", [])
            if output.get("output_type") == "error"
        ]
        code_cell_number = sum(1 for c in notebook.cells[: index + 1] if c.cell_type == "code")
        report({
            "status": "cell-error",
            "cellIndex": index,
            "codeCellNumber": code_cell_number,
            "source": cell.source,
            "stderr": stderr + "\n".join(errors),
        })
        return 4
    except CellTimeoutError as error:
        report({"status": "timeout", "cellIndex": current["index"], "message": str(error).strip()})
        return 5
    except DeadKernelError as error:
        report({"status": "kernel-died", "message": str(error).strip()})
        return 5

    if args.executed:
        nbformat.write(notebook, args.executed)

    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name=args.template,
        extra_template_basedirs=[args.template_dir],
        exclude_input=args.no_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(notebook)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(body)
    report({"status": "ok", "codeCells": sum(1 for c in notebook.cells if c.cell_type == "code")})
    return 0


if __name__ == "__main__":
    sys.exit(main())
