"""Rule documentation generated from each rule's docstring and examples."""

from __future__ import annotations

from .base import Example, InvalidExample, Rule


def rule_markdown(rule: type[Rule]) -> str:
    parts = [
        f"# {rule.CODE} {rule.NAME}",
        "",
        f"*{rule.MESSAGE}* — severity: {rule.SEVERITY}, fix: {rule.FIX}",
        "",
        rule.doc(),
        "",
    ]
    for title, examples in (("Reported", rule.INVALID), ("Not reported", rule.VALID)):
        parts.append(f"## {title}")
        for example in examples:
            parts += ["", "```python", Example.of(example).code.rstrip("\n"), "```"]
            if isinstance(example, InvalidExample):
                cell, line, col = example.at
                parts += ["", f"cell {cell}, line {line}, column {col}: {example.message}"]
                if example.fixed is not None:
                    parts += ["", "After the fix:", "", "```python", example.fixed.rstrip("\n"), "```"]
        parts.append("")
    return "\n".join(parts)


def all_rules_markdown() -> str:
    from . import all_rules

    header = (
        "# nb2aml rules\n\nGenerated from the rule classes by `python -m nb2aml.rules.docs`; a test keeps it current.\n"
    )
    return header + "\n".join(rule_markdown(rule) for rule in all_rules())


if __name__ == "__main__":  # pragma: no cover
    print(all_rules_markdown(), end="")
