"""Reading the data scientist's environment: pip freeze and conda yaml."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

try:
    import nb2aml  # noqa: F401
except ImportError:  # not installed: run from the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from nb2aml.deps.envfile import canonical_name, load_env_file, parse_conda, parse_freeze
from nb2aml.errors import Nb2amlError

FIXTURES = Path(__file__).parent / "fixtures" / "deps"


def test_canonical_name():
    assert canonical_name("PyYAML") == "pyyaml"
    assert canonical_name("scikit_learn") == "scikit-learn"
    assert canonical_name("zope.interface") == "zope-interface"
    assert canonical_name("Foo__Bar--baz") == "foo-bar-baz"


def test_freeze_with_every_kind_of_line():
    text = "\n".join(
        [
            "# a comment",
            "",
            "--index-url https://pypi.org/simple",
            "--extra-index-url=https://example.invalid/simple",
            "-f ./wheels",
            "--pre",
            "pandas==1.3.3  # inline comment",
            "PyYAML==6.0",
            "certifi @ file:///croot/certifi_1671487769961/work/certifi",
            "numpy @ file:///tmp/wheels/numpy-1.21.2-cp38-cp38-manylinux_2_17_x86_64.whl",
            "-e git+https://github.com/contoso/taxi-utils.git@5f2a1c9#egg=taxi_utils",
            "--editable git+https://github.com/contoso/other.git#egg=other-lib&subdirectory=py",
            "-e /home/me/project",
            'dataclasses==0.8 ; python_version < "3.7"',
            "torch==1.10.0+cpu",
            "requests[socks]==2.26.0",
            "scipy>=1.5",
            "tqdm==4.62.3 \\",
            "    --hash=sha256:8dd278a422499cd6b727e6ae4061c40b48fce8b76d1ccbf5d34fca9b7f925b0c",
            "git+https://github.com/org/repo.git@v1.0#egg=from-url",
            "./wheels/lightgbm-3.3.1-py3-none-manylinux1_x86_64.whl",
        ]
    )
    spec = parse_freeze(text, "reqs.txt")
    assert spec.pins == {
        "pandas": "1.3.3",
        "pyyaml": "6.0",
        "numpy": "1.21.2",  # from the wheel's file name
        "dataclasses": "0.8",
        "torch": "1.10.0",  # local label stripped
        "requests": "2.26.0",
        "tqdm": "4.62.3",
        "lightgbm": "3.3.1",
    }
    assert spec.canonical_names == {
        "pandas",
        "pyyaml",
        "certifi",
        "numpy",
        "taxi-utils",
        "other-lib",
        "dataclasses",
        "torch",
        "requests",
        "scipy",
        "tqdm",
        "from-url",
        "lightgbm",
    }
    assert spec.pin("PyYAML") == "6.0"
    assert spec.lists("taxi_utils") and not spec.lists("flask")
    assert spec.kind == "pip" and spec.python is None and spec.path == "reqs.txt"


def test_fixture_freeze_parses():
    spec = load_env_file(FIXTURES / "nyc_requirements.txt")
    assert len(spec.names) == 85  # 87 lines less a comment and an option
    assert spec.pin("scikit-learn") == "0.24.2"
    assert spec.pin("sklearn") == "0.0"
    assert spec.pin("certifi") is None and spec.lists("certifi")
    assert spec.lists("taxi-utils")


@pytest.mark.parametrize(
    ("lines", "bad_line", "problem"),
    [
        (["pandas==1.3.3", "numpy==1.18.5", "pandas=="], 3, "not a requirement"),
        (["pandas==1.3.3", "", "# ok", "this is not a requirement"], 4, "not a requirement"),
        (["--frobnicate"], 1, "unknown option"),
        (["numpy==1.0", "--index-url"], 2, "needs a value"),
        (["https://example.invalid/archive"], 1, "URL without a distribution name"),
        (["numpy==1.18.5", "numpy==1.19.0"], 2, "pinned twice"),
    ],
)
def test_bad_freeze_line_names_file_and_line(lines, bad_line, problem):
    with pytest.raises(Nb2amlError) as err:
        parse_freeze("\n".join(lines), "env/requirements.txt")
    message = str(err.value)
    assert message.startswith(f"env/requirements.txt: line {bad_line}: ")
    assert problem in message
    assert "\n" not in message


def test_load_env_file_reports_the_real_path(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text("pandas==1.0\n???\n")
    with pytest.raises(Nb2amlError, match=rf"^{path}: line 2: "):
        load_env_file(path)


CONDA = """\
name: nyc-taxi
channels:
  - conda-forge
  - defaults
dependencies:
  - python=3.8.5
  - numpy=1.26.4=py310h5f9d8c6_0
  - scikit-learn>=1.3
  - conda-forge::pandas==1.3.3
  - matplotlib-base 3.4.3 py38h
  - pytorch=1.10.0
  - scipy=1.7.*
  - pip
  - pip:
    - azureml-mlflow==1.39.0
    - seaborn @ file:///tmp/seaborn-0.11.2-py3-none-any.whl
    - --extra-index-url https://example.invalid/simple
prefix: /opt/conda/envs/nyc-taxi
"""


def test_conda_environment():
    spec = parse_conda(CONDA, "environment.yml")
    assert spec.kind == "conda"
    assert spec.python == "3.8"
    assert spec.pins == {
        "numpy": "1.26.4",
        "pandas": "1.3.3",
        "matplotlib": "3.4.3",  # conda's matplotlib-base is PyPI's matplotlib
        "torch": "1.10.0",  # conda's pytorch
        "azureml-mlflow": "1.39.0",
        "seaborn": "0.11.2",
    }
    # A range or a wildcard names the package without pinning it; python/pip are no packages.
    assert {"scikit-learn", "scipy"} <= spec.canonical_names
    assert not {"python", "pip"} & spec.canonical_names


def test_conda_python_range_is_no_hint():
    spec = parse_conda("dependencies:\n  - python>=3.9\n  - numpy\n", "env.yml")
    assert spec.python is None
    assert spec.canonical_names == {"numpy"} and spec.pins == {}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("name: x\ndependencies:\n  - numpy=1.0\n  - {foo: bar}\n", 4),
        ("name: x\ndependencies:\n  - numpy=1.0\n  - pip:\n    - ok==1.0\n    - 'not valid!'\n", 6),
        ("name: x\ndependencies:\n  - numpy=1.0\n  - [nested, list]\n", 4),
        ("name: x\ndependencies:\n  - numpy=1.0\n - bad: indentation\n", 4),
        ("name: x\nchannels: [conda-forge]\n", 1),
        ("name: x\ndependencies: numpy\n", 2),
        ("- just\n- a list\n", 1),
    ],
)
def test_bad_conda_file_names_file_and_line(text, line):
    with pytest.raises(Nb2amlError) as err:
        parse_conda(text, "environment.yml")
    assert str(err.value).startswith(f"environment.yml: line {line}: ")
    assert "\n" not in str(err.value)


def test_load_env_file_picks_parser_by_suffix(tmp_path):
    (tmp_path / "environment.yaml").write_text(CONDA)
    assert load_env_file(tmp_path / "environment.yaml").python == "3.8"
    (tmp_path / "requirements.txt").write_text("numpy==1.0\n")
    assert load_env_file(tmp_path / "requirements.txt").pins == {"numpy": "1.0"}
