"""Writes a notebook from a list of (kind, source) cells with stable ids and no outputs.

Used as: /usr/bin/python3 scripts/notebook-json.py notebooks/01-supernet.ipynb < cells.json
(cells.json: [["md", "..."], ["code", "..."]]). Keeps committed notebooks free of outputs and
volatile metadata so their diffs stay readable.
"""
import json
import sys


def main():
    path = sys.argv[1]
    cells = json.load(sys.stdin)
    nb = {
        "cells": [],
        "metadata": {
            "kernelspec": {"display_name": "TypeScript (supernet-lab)", "language": "typescript", "name": "tslab"},
            "language_info": {"name": "typescript"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    for i, (kind, source) in enumerate(cells):
        cell = {"cell_type": "markdown" if kind == "md" else "code", "id": f"c{i:02d}", "metadata": {}, "source": source}
        if kind == "code":
            cell.update({"execution_count": None, "outputs": []})
        nb["cells"].append(cell)
    with open(path, "w") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
