"""Check emitted YAML with the Azure ML SDK's own schema, the one `az ml ... create` applies.

The SDK is heavy and optional: it is imported only when a check runs.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path


class InvalidYaml(ValueError):
    """The SDK rejected a file. `str()` is one line: the file, then the SDK's complaint."""


def _one_line(path: str | Path, exc: Exception) -> InvalidYaml:
    # The SDK's message is a multi-line JSON dump followed by help links: keep the dump only.
    text = re.sub(r"\s+", " ", str(exc).split("Visit this link", 1)[0]).strip()
    return InvalidYaml(f"{path}: {text or type(exc).__name__}")


def validate_environment_yaml(path: str | Path):
    """Load an environment YAML with `azure.ai.ml.load_environment`; return the Environment."""
    # The SDK's own marshmallow deprecation noise says nothing about the user's file.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from azure.ai.ml import load_environment

        try:
            return load_environment(source=str(path))
        except Exception as exc:  # noqa: BLE001 - marshmallow, MlException, OSError...
            raise _one_line(path, exc) from exc


# --- jobs and components ------------------------------------------------------------------------
#
# `load_job` / `load_component` apply the schema (unknown fields, types, that `code` and a
# `file:` environment exist) and raise on the first failing file; `._validate()` then runs the
# entity's own checks. Neither needs a workspace: `azureml:name@latest` environments and
# `azureml:cpu-cluster` computes are only parsed, not looked up. What the SDK does not check for
# a job, nb2aml does: every `${{inputs.x}}` / `${{outputs.y}}` outside `$[[...]]` names a declared
# input or output, and the `python <script>.py` of the command is in the code folder.

_BINDING = re.compile(r"\$\{\{\s*(inputs|outputs)\.([^\s}]+)\s*\}\}")
_OPTIONAL_PART = re.compile(r"\$\[\[.*?\]\]", re.S)
# Keys of the SDK's nested error dicts that are not a YAML field.
_NOT_A_FIELD = {"_schema", "value", None, "null"}


def validate_job_yaml(path: str | Path) -> list[str]:
    """Problems of a command job YAML, one line each (`field: message`); [] when it is valid."""
    return _validate_entity(path, "job")


def validate_component_yaml(path: str | Path) -> list[str]:
    """Problems of a command component YAML, one line each (`field: message`); [] when valid."""
    return _validate_entity(path, "component")


def _validate_entity(path: str | Path, kind: str) -> list[str]:
    import logging

    path = Path(path)
    if not path.is_file():
        return [f"{path}: no such file"]
    previous = logging.root.manager.disable
    # The SDK logs "experimental class" and "name not used for anonymous environment" warnings
    # about itself, and marshmallow warns about its own deprecations: none is about the file.
    logging.disable(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from azure.ai.ml import load_component, load_job

            loader = load_job if kind == "job" else load_component
            try:
                entity = loader(source=str(path))
            except Exception as exc:  # noqa: BLE001 - marshmallow, MlException, yaml, OSError
                return _load_errors(exc)
            # A SweepJob has no `_validate()`: `load_job` applying its schema is the whole check.
            validate = getattr(entity, "_validate", None)
            problems = [
                f"{field}: {_clean(message)}" if field and field != "*" else _clean(message)
                for field, message in (validate().error_messages.items() if validate else ())
            ]
    finally:
        logging.disable(previous)
    return problems + [p for p in _command_problems(path, kind) if p not in problems]


def _load_errors(exc: Exception) -> list[str]:
    """One line per failing field from the SDK's exception chain; the structured marshmallow
    dict is on an inner exception, the outer ones carry it as a JSON dump."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        messages = getattr(current, "messages", None)
        if isinstance(messages, dict):
            lines: list[str] = []
            for field, message in _flatten(messages, ()):
                line = f"{field}: {message}" if field else message
                if line not in lines:
                    lines.append(line)
            if lines:
                return lines
        current = current.__cause__ or current.__context__
    # Not a schema error: unreadable YAML, an empty file, a path the SDK could not open.
    innermost: BaseException = exc
    while (deeper := innermost.__cause__ or innermost.__context__) is not None:
        innermost = deeper
    text = _clean(str(innermost)) or type(innermost).__name__
    if innermost is not exc and isinstance(innermost, Exception) and "yaml" in type(innermost).__module__:
        return [f"cannot parse YAML: {text}"]
    return [_clean(str(exc).split("Visit this link", 1)[0]) or text]


def _flatten(messages, path: tuple[str, ...]):
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flatten(value, path if key in _NOT_A_FIELD else path + (str(key),))
    elif isinstance(messages, (list, tuple)):
        texts = [m for m in messages if isinstance(m, str)]
        for text in texts:
            yield ".".join(path), _clean(text)
        nested = [m for m in messages if not isinstance(m, str)]
        if nested and not texts:
            # A union field lists one complaint per alternative: the first alternative is the
            # form the file used (a path, then a reference), the others only add noise.
            yield from _flatten(nested[0], path)
    elif messages is not None:
        yield ".".join(path), _clean(str(messages))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(":").strip()


def _command_problems(path: Path, kind: str) -> list[str]:
    import shlex

    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []  # the SDK has already said so
    if not isinstance(data, dict) or not isinstance(data.get("command"), str):
        return []
    command = data["command"]
    problems: list[str] = []
    if kind == "job":
        required = _OPTIONAL_PART.sub(" ", command)
        for group, name in _BINDING.findall(required):
            declared = data.get(group) or {}
            if not isinstance(declared, dict) or name not in declared:
                problem = f"command: ${{{{{group}.{name}}}}} names no declared {group[:-1]}"
                if problem not in problems:
                    problems.append(problem)
    try:
        words = shlex.split(_OPTIONAL_PART.sub(" ", command))
    except ValueError:
        return problems
    code = data.get("code")
    if (
        len(words) >= 2
        and Path(words[0]).name.startswith("python")
        and words[1].endswith(".py")
        and isinstance(code, str)
        and ":" not in code  # a local folder, not azureml: / git+ / https:
    ):
        folder = (path.parent / code).resolve()
        if folder.is_dir() and not (folder / words[1]).is_file():
            problems.append(f"command: {words[1]} is not in the code folder {code}")
    return problems
