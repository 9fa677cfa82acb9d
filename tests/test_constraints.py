"""The data scientist's freeze as pip constraints: which pins are kept, and how the environment applies them.

Fast and offline: parsing, rendering and the planned files. The install itself (the constraints
honoured by uv's resolver and a fresh environment) is in tests/test_constraints_slow.py.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from azure.ai.ml import load_environment

from nb2aml.deps.constraints import (
    CONSTRAINT_OPTION,
    constraint_pins,
    render_constraints,
    requirements_with_constraints,
)
from nb2aml.deps.envfile import parse_conda, parse_freeze
from nb2aml.emit.dockerfile import render_dockerfile
from nb2aml.envtools.targets import load_environment as load_emitted_environment
from nb2aml.envtools.targets import read_pins
from nb2aml.types import Requirement

ROOT = Path(__file__).resolve().parents[1]

FREEZE = textwrap.dedent("""\
    # pip freeze, Python 3.8
    -e git+https://github.com/example/utils.git@abc123#egg=ds-utils
    --extra-index-url https://example.org/simple
    mlflow==1.20.2
    mlflow-skinny==1.20.2
    protobuf==3.19.0
    some-local-pkg @ file:///home/ds/pkgs/some_local_pkg-0.1-py3-none-any.whl
    git+https://github.com/example/other.git#egg=other
    torch==2.1.0+cpu
    pip==21.2.4
    numpy>=1.20
    pywin32==305 ; sys_platform == "win32"
    dataclasses==0.8 ; python_version < "3.7"
    importlib-resources==5.4.0 ; python_version < "3.9"
    uvloop==0.17.0 ; platform_system != "Windows"
    Flask==2.0.2
""")


def _req(name: str, version: str | None) -> Requirement:
    return Requirement(name=name, version=version, source="freeze", imported_as=())


def test_constraints_keep_exact_index_pins_and_drop_urls_paths_ranges_and_the_installer():
    env = parse_freeze(FREEZE)
    names = [name for name, _ in constraint_pins(env, (), "3.8")]
    assert names == ["Flask", "importlib-resources", "mlflow", "mlflow-skinny", "protobuf", "torch", "uvloop"]
    assert dict(constraint_pins(env, (), "3.8"))["torch"] == "2.1.0"  # a local build label no index serves


def test_markers_are_decided_for_the_images_python_and_linux():
    env = parse_freeze(FREEZE)
    on_38 = dict(constraint_pins(env, (), "3.8"))
    on_311 = dict(constraint_pins(env, (), "3.11"))
    assert "importlib-resources" in on_38 and "importlib-resources" not in on_311
    assert "pywin32" not in on_38 and "dataclasses" not in on_38
    assert on_38["uvloop"] == "0.17.0"


def test_a_name_pinned_once_per_python_keeps_the_pin_that_applies():
    env = parse_freeze('numpy==1.21.6 ; python_version < "3.11"\nnumpy==1.26.4 ; python_version >= "3.11"\n')
    assert constraint_pins(env, (), "3.8") == (("numpy", "1.21.6"),)
    assert constraint_pins(env, (), "3.11") == (("numpy", "1.26.4"),)


def test_a_requirement_pinned_differently_wins_over_the_freeze():
    env = parse_freeze("pandas==1.3.3\nnumpy==1.21.2\n")
    pins = dict(constraint_pins(env, (_req("pandas", "1.5.0"), _req("numpy", "1.21.2")), "3.8"))
    assert pins == {"numpy": "1.21.2"}


def test_render_is_sorted_name_equals_version_lines_and_none_without_a_freeze():
    env = parse_freeze("zipp==3.6.0\nAlembic==1.7.4\nnumpy>=1\n", path="/home/ds/taxi/requirements.txt")
    text = render_constraints(env, (), "3.8")
    assert text is not None
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert body == ["Alembic==1.7.4", "zipp==3.6.0"]
    assert "/home/ds" not in text  # the data scientist's folders do not leak into the job
    assert render_constraints(None, (_req("zipp", "3.6.0"),), "3.8") is None
    assert render_constraints(parse_freeze("numpy>=1\n-e ./lib\n"), (), "3.8") is None


def test_conda_pins_from_both_sections_with_fuzzy_versions_left_out():
    env = parse_conda(
        textwrap.dedent("""\
        name: taxi
        dependencies:
          - python=3.8.5
          - numpy=1.21.2=py38h20f2e39_0
          - pandas=1.3
          - scipy==1.7.1
          - openssl=1.1.1l
          - pip:
            - mlflow==1.20.2
            - local @ file:///tmp/local-1.0.tar.gz
        """)
    )
    pins = dict(constraint_pins(env, (), env.python or "3.8"))
    assert pins == {"mlflow": "1.20.2", "numpy": "1.21.2", "scipy": "1.7.1"}


def test_requirements_apply_the_constraints_with_a_first_line_pip_and_uv_read():
    assert requirements_with_constraints("numpy==1.21.2\n", None) == "numpy==1.21.2\n"
    text = requirements_with_constraints("numpy==1.21.2\n", "numpy==1.21.2\n")
    assert text.splitlines()[0] == CONSTRAINT_OPTION == "-c constraints.txt"
    # A requirement reader that skips options still sees only the requirements.
    assert parse_freeze(text).names == ("numpy",)


def test_dockerfile_copies_and_installs_with_the_constraints():
    plain = render_dockerfile("3.8")
    constrained = render_dockerfile("3.8", constraints="constraints.txt")
    assert "constraints" not in plain
    assert "COPY constraints.txt /tmp/constraints.txt\n" in constrained
    assert "pip install --no-cache-dir -r /tmp/requirements.txt -c /tmp/constraints.txt" in constrained


def _write_environment(folder: Path, constraints: str | None) -> Path:
    build = folder / "environment"
    build.mkdir(parents=True)
    (build / "requirements.txt").write_text(requirements_with_constraints("mlflow==1.20.2\n", constraints))
    (build / "Dockerfile").write_text(render_dockerfile("3.8", constraints="constraints.txt" if constraints else None))
    if constraints is not None:
        (build / "constraints.txt").write_text(constraints)
    yaml_path = folder / "environment.yml"
    yaml_path.write_text("name: e\nversion: '1'\nbuild:\n  path: environment\n  dockerfile_path: Dockerfile\n")
    return yaml_path


def test_the_environment_found_in_an_emitted_folder_knows_its_constraints(tmp_path):
    yaml_path = _write_environment(tmp_path / "with", "mlflow-skinny==1.20.2\n")
    environment = load_emitted_environment(yaml_path)
    assert environment.constraints == (tmp_path / "with" / "environment" / "constraints.txt").resolve()
    assert environment.constraint_args() == ["--constraint", str(environment.constraints)]
    assert read_pins(environment.requirements) == ["mlflow==1.20.2"]
    unconstrained = load_emitted_environment(_write_environment(tmp_path / "without", None))
    assert unconstrained.constraints is None and unconstrained.constraint_args() == []
    # A changed constraint is a different environment (the isolated run's cache key follows it).
    before = environment.requirements_hash()
    environment.constraints.write_text("mlflow-skinny==1.20.1\n")
    assert environment.requirements_hash() != before
    # azure-ai-ml takes the build folder as it is.
    assert load_environment(source=yaml_path).build.path is not None


def test_a_dockerfile_naming_a_missing_constraints_file_is_refused(tmp_path):
    yaml_path = _write_environment(tmp_path, "six==1.16.0\n")
    (tmp_path / "environment" / "constraints.txt").unlink()
    from nb2aml.errors import EnvironmentSetupError

    with pytest.raises(EnvironmentSetupError, match="constraints file it installs with is missing"):
        load_emitted_environment(yaml_path)


def test_converting_nyc_taxi_writes_the_freezes_transitive_pins(tmp_path):
    from click.testing import CliRunner

    from nb2aml.cli import main

    out = tmp_path / "job"
    result = CliRunner().invoke(
        main, ["convert", str(ROOT / "examples/nyc_taxi/notebook.ipynb"), "-o", str(out), "--yes", "--no-validate"]
    )
    assert result.exit_code == 0, result.output
    constraints = (out / "environment" / "constraints.txt").read_text()
    assert "mlflow-skinny==1.20.2\n" in constraints and "protobuf==3.19.0\n" in constraints
    assert "some-local-pkg" not in constraints and "ds-utils" not in constraints
    assert (out / "environment" / "requirements.txt").read_text().startswith("-c constraints.txt\n")
    assert "COPY constraints.txt /tmp/constraints.txt" in (out / "environment" / "Dockerfile").read_text()
    assert "`environment/constraints.txt`" in (out / "README.md").read_text()


def test_converting_without_a_freeze_writes_no_constraints(tmp_path):
    from click.testing import CliRunner

    from nb2aml.cli import main

    notebook = ROOT / "tests/notebooks/files/magics/magics.ipynb"  # no requirements.txt or environment.yml beside it
    assert not list(notebook.parent.glob("requirements.txt")) and not list(notebook.parent.glob("environment.y*ml"))
    out = tmp_path / "job"
    result = CliRunner().invoke(main, ["convert", str(notebook), "-o", str(out), "--yes", "--no-validate"])
    assert result.exit_code == 0, result.output
    assert not (out / "environment" / "constraints.txt").exists()
    assert "-c " not in (out / "environment" / "requirements.txt").read_text()
    assert "constraints" not in (out / "environment" / "Dockerfile").read_text()


def test_each_components_environment_gets_the_freezes_constraints_and_validates(tmp_path):
    from click.testing import CliRunner

    from nb2aml.cli import main

    notebook = tmp_path / "nb.py"
    notebook.write_text(
        textwrap.dedent("""\
        # %%
        import pandas as pd
        from sklearn.linear_model import LinearRegression
        df = pd.DataFrame({'x': [1.0, 2.0, 3.0], 'y': [2.0, 4.0, 6.0]})
        # %%
        model = LinearRegression().fit(df[['x']], df['y'])
        print(model.coef_)
        """)
    )
    (tmp_path / "requirements.txt").write_text(
        "joblib==1.3.2\nnumpy==1.26.4\npandas==2.1.4\nscikit-learn==1.3.2\nscipy==1.11.4\nthreadpoolctl==3.2.0\n"
        'pywin32==306 ; sys_platform == "win32"\n'
    )
    out = tmp_path / "out"
    # Validated with azure-ai-ml before anything is written (no --no-validate).
    result = CliRunner().invoke(
        main, ["split", str(notebook), "--cells", "load=1,fit=2", "-o", str(out), "--yes", "--env-per-component"]
    )
    assert result.exit_code == 0, result.output
    for step in ("load", "fit"):
        build = out / "environments" / step
        constraints = (build / "constraints.txt").read_text()
        assert "joblib==1.3.2\n" in constraints and "threadpoolctl==3.2.0\n" in constraints
        assert "pywin32" not in constraints
        assert (build / "requirements.txt").read_text().startswith("-c constraints.txt\n")
        assert "-c /tmp/constraints.txt" in (build / "Dockerfile").read_text()
    assert "`environments/fit/constraints.txt`" in (out / "README.md").read_text()
    assert CliRunner().invoke(main, ["validate", str(out)]).exit_code == 0


def test_pins_refused_by_convert_resolve_are_left_out_and_said_so_in_the_file():
    import dataclasses

    env = parse_freeze("alembic==1.7.4\nmlflow-skinny==1.20.2\nprotobuf==3.19.0\n")
    refused = dataclasses.replace(env, refused=(("alembic==1.7.4", "mlflow==1.20.2 depends on\n alembic<=1.4.1"),))
    text = render_constraints(refused, (), "3.8")
    assert text is not None
    assert "# left out: alembic==1.7.4: mlflow==1.20.2 depends on alembic<=1.4.1\n" in text
    kept = [line for line in text.splitlines() if not line.startswith("#")]
    assert kept == ["mlflow-skinny==1.20.2", "protobuf==3.19.0"]
