"""`analyze --format json`: one stable document (schema in the README)."""

from __future__ import annotations

from ..types import Analysis

SCHEMA_VERSION = 1


def analysis_document(analysis: Analysis) -> dict:
    nb = analysis.notebook
    return {
        "schema_version": SCHEMA_VERSION,
        "notebook": nb.path,
        "python_version": analysis.python_version,
        "cells": [
            {
                "cell": c.cell,
                "kind": c.kind,
                "action": c.action,
                "why": c.why,
                "rules": list(c.rules),
                "kept_unknown": [{"line": line, "calls": calls} for line, calls in c.unknown],
            }
            for c in analysis.cells
        ],
        "findings": [
            {
                "code": f.code,
                "name": f.name,
                "severity": f.severity,
                "cell": f.pos.cell,
                "line": f.pos.line,
                "col": f.pos.col,
                "message": f.message,
                "fix": f.fix,
                "location": f.pos.render(nb.path),
            }
            for f in analysis.findings
        ],
        "inputs": [_asset(a) for a in analysis.inputs],
        "outputs": [_asset(a) for a in analysis.outputs],
        "parameters": [
            {"name": p.name, "value": p.value, "type": p.type, "cell": p.pos.cell, "origin": p.origin}
            for p in analysis.parameters
        ],
        "metrics": [
            {"name": m.name, "cell": m.pos.cell, "function": m.function, "printed": m.printed, "logged": m.logged}
            for m in analysis.metrics
        ],
        "requirements": [
            {"name": r.name, "version": r.version, "source": r.source, "imported_as": list(r.imported_as)}
            for r in analysis.requirements
        ],
    }


def _asset(asset) -> dict:
    return {
        "name": asset.name,
        "path": asset.path,
        "type": asset.type,
        "cell": asset.pos.cell,
        "variable": asset.variable,
        "calls": list(asset.calls),
    }
