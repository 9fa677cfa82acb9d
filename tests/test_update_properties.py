"""Property (hypothesis): across any sequence of hand edits and updates, no byte the engineer wrote is lost.

The folder is driven through the library (plan_update + write_update, what `convert` and `split`
call) with generated files standing in for nb2aml's output: versions of a job YAML, two scripts
and a component that comes and goes. Between updates the engineer edits, deletes and adds files,
some at paths nb2aml writes later. After every update, every file the folder held before is
still there byte for byte, or is in `.nb2aml/backup/`, or was nb2aml's own text untouched; the
results of earlier runs are kept; and the manifest names exactly the files nb2aml wrote.
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nb2aml.update import plan_update, write_update
from nb2aml.update.manifest import digest

COMPUTES = ("azureml:cpu-cluster", "azureml:gpu")
ALPHAS = ("0.5", "0.7")


def _job(compute: str, alpha: str, extra_input: bool) -> str:
    inputs = f"  alpha: {alpha}\n" + ("  max_iter: 200\n" if extra_input else "")
    return (
        f"type: command\ncode: ./src\ncommand: python a.py\ninputs:\n{inputs}compute: {compute}\nexperiment_name: e\n"
    )


def _script(lines: tuple[int, ...]) -> str:
    return "".join(f"x{i} = {value}\n" for i, value in enumerate(lines))


VERSIONS = st.builds(
    lambda compute, alpha, extra, a, b, component: {
        "job.yml": _job(compute, alpha, extra),
        "src/a.py": _script(a),
        **({"src/b.py": _script(b), "components/b.yml": "name: b\ncommand: python b.py\n"} if component else {}),
    },
    st.sampled_from(COMPUTES),
    st.sampled_from(ALPHAS),
    st.booleans(),
    st.tuples(*[st.integers(0, 2)] * 5),
    st.tuples(*[st.integers(0, 2)] * 3),
    st.booleans(),
)
PATHS = ("job.yml", "src/a.py", "src/b.py", "components/b.yml", "NOTES.md")
EDITS = st.tuples(
    st.sampled_from(("replace", "insert", "delete", "remove_file", "write_file")),
    st.sampled_from(PATHS),
    st.integers(0, 7),
    st.sampled_from(("y = 1", "compute: azureml:mine", "  alpha: 0.1", "# note", "x1 = 9")),
)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("update"), VERSIONS, st.sampled_from(("merge", "ours", "theirs"))),
        st.tuples(st.just("edit"), EDITS),
    ),
    min_size=1,
    max_size=8,
)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _edit(folder: Path, edit) -> None:
    kind, path, index, line = edit
    target = folder / path
    if kind == "remove_file":
        target.unlink(missing_ok=True)
        return
    if kind == "write_file" or not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{line}\nwritten by hand\n")
        return
    lines = target.read_text().splitlines(keepends=True)
    at = index % (len(lines) + 1)
    if kind == "insert" or not lines:
        lines.insert(at, line + "\n")
    elif kind == "replace":
        lines[at % len(lines)] = line + "\n"
    else:
        del lines[at % len(lines)]
    target.write_text("".join(lines))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=VERSIONS, steps=STEPS, foreign=st.booleans())
def test_no_byte_the_engineer_wrote_is_lost(first, steps, foreign):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        notebook = root / "nb.py"
        notebook.write_text("# %%\nx = 1\n")
        out = root / "out"
        if foreign:  # a folder nb2aml did not write: --force
            out.mkdir()
            (out / "job.yml").write_text("compute: handmade\n")
            (out / "NOTES.md").write_text("mine\n")
        clock = iter(range(1, 1000))
        (out / ".runs" / "1").mkdir(parents=True)
        (out / ".runs" / "1" / "metrics.json").write_text("{}")
        for step in [("update", first, "merge"), *steps]:
            if step[0] == "edit":
                _edit(out, step[1])
                continue
            _, files, side = step
            before = _files(out)
            manifest_path = out / ".nb2aml" / "manifest.json"
            generated = {}
            if manifest_path.is_file():
                generated = {
                    path: entry["generated"] for path, entry in json.loads(manifest_path.read_text())["files"].items()
                }
            now = datetime(2026, 1, 1, tzinfo=timezone.utc).replace(second=next(clock) % 60, minute=next(clock) % 60)
            update = plan_update(
                files, out, command="convert", notebook=notebook, options={}, force=True, side=side, now=now
            )
            write_update(update, check=None)
            after = _files(out)
            backed_up = {}
            for path, data in after.items():
                if path.startswith(".nb2aml/backup/"):
                    backed_up.setdefault(path.split("/", 3)[3], set()).add(data)
            for path, data in before.items():
                if path.startswith((".nb2aml/base/", ".nb2aml/conflicts/")) or path == ".nb2aml/manifest.json":
                    continue  # nb2aml's records
                if path in generated and digest(data) == generated[path]:
                    continue  # nb2aml's own text, untouched by the engineer
                assert after.get(path) == data or data in backed_up.get(path, set()), (
                    f"{path}: the engineer's bytes are lost"
                )
            assert after[".runs/1/metrics.json"] == b"{}"
            written = json.loads(manifest_path.read_text())["files"]
            assert set(written) == set(files)
            for path, entry in written.items():
                assert entry["generated"] == digest(files[path])
                assert (digest(after[path]) if path in after else None) == entry["written"]
