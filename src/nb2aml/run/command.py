"""Read a command job YAML and turn its command into the argv to run here.

Pure apart from reading the YAML file: paths are resolved the way `az ml job create` resolves
them (relative to the YAML file), `${{inputs.x}}` / `${{outputs.y}}` are replaced by local
values and `$[[...]]` parts are kept only when every input they name has a value.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import JobError

JOB_FILES = ("job.yml", "job.yaml")
_BINDING = re.compile(r"\$\{\{\s*([A-Za-z_][\w.]*?)\s*\}\}")
_OPTIONAL = re.compile(r"\$\[\[(.*?)\]\]", re.S)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # azureml:, azureml://, https://, wasbs://...
_SHELL = {"&&", "||", ";", "|", ">", ">>", "<", "2>", "2>&1", "&"}
_PYTHON = re.compile(r"^python(3(\.\d+)?)?$")
_COMMAND_PYTHON = re.compile(r"(^|&&\s*|\|\|\s*|;\s*)python(?:3(?:\.\d+)?)?(?=\s|$)")
_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")


@dataclass(frozen=True)
class LocalJob:
    """A command job read from its YAML, with everything resolved to absolute local paths."""

    yaml_path: Path
    name: str  # step name: display_name, else name, else the folder's name
    experiment_name: str
    code_dir: Path
    command: str  # as written, `>-` blocks already folded by YAML
    data_inputs: dict  # name -> absolute path (str), or None when not given
    literal_inputs: dict  # name -> typed value (int, float, bool, str) or None
    literal_types: dict  # name -> integer / number / boolean / string
    outputs: tuple[str, ...]
    environment_variables: dict = field(default_factory=dict)  # the job's, as strings


def find_job_yaml(job_dir: Path) -> Path:
    """DIR/job.yml (or job.yaml); DIR itself when it is a file."""
    job_dir = Path(job_dir)
    if job_dir.is_file():
        return job_dir
    for name in JOB_FILES:
        candidate = job_dir / name
        if candidate.is_file():
            return candidate
    if not job_dir.exists():
        raise JobError(f"{job_dir}: no such directory")
    raise JobError(f"{job_dir / JOB_FILES[0]}: no such file")


def load_job(yaml_path: Path, *, inputs: dict | None = None, params: dict | None = None) -> LocalJob:
    """Read the job and apply `inputs` (name -> local path, relative to the current directory)
    and `params` (name -> text, converted to the parameter's type)."""
    import yaml

    yaml_path = Path(yaml_path).absolute()
    where = str(yaml_path)
    try:
        data = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise JobError(f"{where}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise JobError(f"{where}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise JobError(f"{where}: not valid YAML{at}: {problem}") from None
    if not isinstance(data, dict):
        raise JobError(f"{where}: not a job: the YAML is not a mapping")
    if data.get("type", "command") != "command":
        raise JobError(f"{where}: a {data.get('type')} job; only command jobs run locally")
    command = data.get("command")
    if not isinstance(command, str) or not command.strip():
        raise JobError(f"{where}: the job has no command")
    base = yaml_path.parent

    code = data.get("code")
    if code is None:
        code_dir = base
    elif not isinstance(code, str) or _URI.match(code) and not _drive(code):
        raise JobError(f"{where}: code {code!r} is not a local folder")
    else:
        code_dir = (base / code).resolve()
        if not code_dir.is_dir():
            raise JobError(f"{where}: code folder {code} not found ({code_dir})")

    declared = data.get("inputs") or {}
    if not isinstance(declared, dict):
        raise JobError(f"{where}: inputs is not a mapping")
    data_inputs: dict = {}
    literal_inputs: dict = {}
    literal_types: dict = {}
    for name, value in declared.items():
        name = str(name)
        if isinstance(value, dict) and ("path" in value or _data_type(value)):
            path = value.get("path")
            data_inputs[name] = None if path is None else str(path)
        elif isinstance(value, dict):  # {type: number, default/value: ...}
            kind = str(value.get("type", "string"))
            literal_types[name] = kind
            raw = value.get("value", value.get("default"))
            literal_inputs[name] = None if raw is None else _convert(where, name, kind, raw)
        else:
            literal_types[name] = _type_of(value)
            literal_inputs[name] = value

    inputs = dict(inputs or {})
    params = dict(params or {})
    # An optional input without a value is not declared in the job, only named in `$[[...]]`:
    # an override then brings it in (a path with `inputs`, a string with `params`).
    referenced = {ref.partition(".")[2] for ref in _BINDING.findall(command) if ref.startswith("inputs.")}
    for name in referenced - set(data_inputs) - set(literal_inputs):
        if name in inputs:
            data_inputs[name] = None
        elif name in params:
            literal_types[name] = "string"
            literal_inputs[name] = None
    _check_names(where, inputs, params, data_inputs, literal_inputs)
    for name, path in data_inputs.items():
        if name in inputs:
            resolved = Path(inputs[name]).expanduser().resolve()
            if not resolved.exists():
                raise JobError(f"{where}: input {name}: {inputs[name]} not found ({resolved})")
            data_inputs[name] = str(resolved)
        elif path is not None:
            if _URI.match(path) and not _drive(path):
                raise JobError(
                    f"{where}: input {name} is {path}, not a local path: give a local copy with --input {name}=PATH"
                )
            resolved = (base / path).resolve()
            if not resolved.exists():
                raise JobError(f"{where}: input {name}: {path} not found ({resolved})")
            data_inputs[name] = str(resolved)
    for name, text in params.items():
        literal_inputs[name] = _convert(where, name, literal_types[name], text)

    outputs = data.get("outputs") or {}
    if not isinstance(outputs, dict):
        raise JobError(f"{where}: outputs is not a mapping")
    for output in outputs:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(output)):
            raise JobError(f"{where}: output name {output!r} is not an identifier")
    variables = data.get("environment_variables") or {}
    if not isinstance(variables, dict):
        raise JobError(f"{where}: environment_variables is not a mapping")
    name = data.get("display_name") or data.get("name") or base.name
    return LocalJob(
        yaml_path=yaml_path,
        name=str(name),
        experiment_name=str(data.get("experiment_name") or name),
        code_dir=code_dir,
        command=command,
        data_inputs=data_inputs,
        literal_inputs=literal_inputs,
        literal_types=literal_types,
        outputs=tuple(str(o) for o in outputs),
        environment_variables={str(k): _render(v) for k, v in variables.items() if v is not None},
    )


def build_argv(job: LocalJob, outputs: dict, python: str) -> tuple[list[str], bool]:
    """The argv (or, for a command using shell operators, `[shell_text]` and True).

    `outputs` maps each output name to its local folder. The leading `python` is replaced by
    `python` (the interpreter to use).
    """
    values: dict[str, str] = {}
    for name, path in job.data_inputs.items():
        if path is not None:
            values[f"inputs.{name}"] = path
    for name, value in job.literal_inputs.items():
        if value is not None:
            values[f"inputs.{name}"] = _render(value)
    for name, path in outputs.items():
        values[f"outputs.{name}"] = str(path)
    where = str(job.yaml_path)

    def optional_part(match: re.Match) -> str:
        inner = match.group(1)
        needed = _BINDING.findall(inner)
        return inner if all(ref in values for ref in needed) else ""

    text = _OPTIONAL.sub(optional_part, job.command)
    for ref in _BINDING.findall(text):
        if ref not in values:
            group, _, name = ref.partition(".")
            if group == "inputs" and (name in job.data_inputs or name in job.literal_inputs):
                raise JobError(f"{where}: input {name} has no value: give one with --input {name}=...")
            raise JobError(f"{where}: the command uses ${{{{{ref}}}}}, which the job does not declare")
    # Canonical `${{inputs.x}}` so that shlex sees each binding as part of one word.
    text = _BINDING.sub(lambda m: "${{" + m.group(1) + "}}", text)
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise JobError(f"{where}: cannot split the command: {exc}") from None
    if not words:
        raise JobError(f"{where}: the job has no command")
    shell = any(w in _SHELL for w in words) or "`" in text or "$(" in text
    if shell:
        # Rare: keep the shell syntax, quote only the substituted values; every command of the line that
        # starts with `python` (`python a.py && python b.py`, a chained sweep trial) gets this interpreter.
        line = _COMMAND_PYTHON.sub(lambda m: m.group(1) + shlex.quote(python), text.strip())
        return [_BINDING.sub(lambda m: shlex.quote(values[m.group(1)]), line)], True
    argv = [_BINDING.sub(lambda m: values[m.group(1)], w) for w in words]
    if _PYTHON.match(argv[0]):
        argv[0] = python
    return argv, False


def _check_names(where: str, inputs: dict, params: dict, data_inputs: dict, literal_inputs: dict) -> None:
    for name in inputs:
        if name in literal_inputs:
            raise JobError(f"{where}: {name} is a parameter, not a data input: give it as a parameter")
        if name not in data_inputs:
            known = ", ".join(data_inputs) or "none"
            raise JobError(f"{where}: no data input named {name} (inputs: {known})")
    for name in params:
        if name in data_inputs:
            raise JobError(f"{where}: {name} is a data input, not a parameter: give it as an input")
        if name not in literal_inputs:
            known = ", ".join(literal_inputs) or "none"
            raise JobError(f"{where}: no parameter named {name} (parameters: {known})")


def _data_type(value: dict) -> bool:
    kind = value.get("type")
    return isinstance(kind, str) and kind not in ("integer", "number", "boolean", "string")


def _drive(path: str) -> bool:
    return bool(re.match(r"^[A-Za-z]:[\\/]", path))


def _type_of(value) -> str:
    from nb2aml.analysis.parameters import param_type

    return param_type(value) or "string"


def _convert(where: str, name: str, kind: str, raw):
    """`raw` (text from the command line, or a YAML value) as the parameter's type."""
    text = str(raw).strip()
    try:
        if kind == "integer":
            if isinstance(raw, bool):
                raise ValueError
            return raw if isinstance(raw, int) else int(text)
        if kind == "number":
            if isinstance(raw, bool):
                raise ValueError
            return float(raw) if isinstance(raw, (int, float)) else float(text)
        if kind == "boolean":
            if isinstance(raw, bool):
                return raw
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError
    except ValueError:
        article = "an" if kind[0] in "aeiou" else "a"
        raise JobError(f"{where}: parameter {name}: {raw!r} is not {article} {kind}") from None
    return str(raw)


def _render(value) -> str:
    """A literal as Azure ML puts it on the command line (`True`, `0.1`, `100`)."""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)
