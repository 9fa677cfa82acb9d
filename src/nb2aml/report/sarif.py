"""`analyze --format sarif`: SARIF 2.1.0 for code-scanning dashboards."""

from __future__ import annotations

import os

from .. import __version__
from ..rules import all_rules
from ..types import Analysis

_LEVEL = {"error": "error", "warning": "warning"}


def sarif_document(analysis: Analysis) -> dict:
    rules = [
        {
            "id": rule.CODE,
            "name": rule.NAME,
            "shortDescription": {"text": rule.MESSAGE},
            "fullDescription": {"text": rule.doc()},
            "defaultConfiguration": {"level": _LEVEL[rule.SEVERITY]},
            "properties": {"fix": rule.FIX},
        }
        for rule in all_rules()
    ]
    results = [
        {
            "ruleId": f.code,
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        # A finding in a module the job ships is located in that module's file.
                        "artifactLocation": {
                            "uri": os.path.join(os.path.dirname(analysis.notebook.path), f.pos.file)
                            if f.pos.file
                            else analysis.notebook.path
                        },
                        "region": {"startLine": f.pos.line, "startColumn": f.pos.col},
                    },
                    "logicalLocations": [{"name": f"cell {f.pos.cell}", "kind": "module"}],
                }
            ],
            "properties": {"cell": f.pos.cell, "fix": f.fix},
        }
        for f in analysis.findings
    ]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "nb2aml",
                        "version": __version__,
                        "informationUri": "https://github.com/nb2aml/nb2aml",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
