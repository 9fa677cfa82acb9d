"""Import names -> minimal pinned requirements, against the real installed environment."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import random
import sys
from pathlib import Path

import pytest

try:
    import nb2aml  # noqa: F401
except ImportError:  # not installed: run from the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from nb2aml.deps.envfile import canonical_name, parse_conda, parse_freeze
from nb2aml.deps.infer import find_env_file, infer_requirements, render_requirements
from nb2aml.deps.resolve import installed_index, resolve_module
from nb2aml.deps.stdlib import is_backport, is_stdlib

FIXTURES = Path(__file__).parent / "fixtures" / "deps"
NYC_IMPORTS = (
    "pathlib",
    "os",
    "pandas",
    "sklearn.ensemble",
    "sklearn.model_selection",
    "pickle",
    "numpy",
    "sklearn.metrics",
    "matplotlib.pyplot",
)
UNKNOWN = "nb2aml_no_such_module_xyz"


def installed(name: str) -> str:
    return importlib.metadata.version(name).split("+")[0]


def lines(reqs) -> list[str]:
    return render_requirements(reqs).splitlines()


def by_name(reqs) -> dict:
    return {r.name: r for r in reqs}


def big_freeze() -> str:
    """Hundreds of lines: every installed distribution at a version that is NOT the installed
    one (so a pin can only come from here), plus 200 packages nothing imports."""
    out = ["# pip freeze", "--index-url https://pypi.org/simple", ""]
    seen = {"scikit-learn"}  # pinned below, beside the `sklearn` dummy
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if canonical_name(name) not in seen:  # a distribution can be seen twice on sys.path
            seen.add(canonical_name(name))
            out.append(f"{name}==0.0.{len(out)}")
    out += [f"unused-package-{i}==1.{i}.0" for i in range(200)]
    out += ["sklearn==0.0", "scikit-learn==0.24.2", "pathlib2==2.3.6", "argparse==1.4.0"]
    random.Random(7).shuffle(out)
    return "\n".join(out) + "\n"


def test_big_freeze_yields_exactly_the_imported_packages_pinned():
    text = big_freeze()
    assert text.count("\n") > 300
    env = parse_freeze(text, "requirements.txt")
    reqs = infer_requirements(NYC_IMPORTS, env=env, python_version="3.8")
    assert [r.name for r in reqs] == ["matplotlib", "numpy", "pandas", "scikit-learn"]
    for r in reqs:
        assert r.source == "freeze"
        assert r.version == env.pin(r.name)
    assert by_name(reqs)["scikit-learn"].version == "0.24.2"  # never sklearn's 0.0
    assert by_name(reqs)["scikit-learn"].imported_as == (
        "sklearn.ensemble",
        "sklearn.metrics",
        "sklearn.model_selection",
    )


def test_nyc_fixture():
    freeze = FIXTURES / "nyc_requirements.txt"
    reqs = infer_requirements(NYC_IMPORTS, env=freeze, python_version="3.8")
    assert render_requirements(reqs) == ("matplotlib==3.4.3\nnumpy==1.18.5\npandas==1.3.3\nscikit-learn==0.24.2\n")


def test_nyc_example_freeze():
    freeze = Path(__file__).resolve().parents[1] / "examples" / "nyc_taxi" / "requirements.txt"
    if not freeze.is_file():
        pytest.skip("examples/nyc_taxi is not in this checkout")
    env = parse_freeze(freeze.read_text(), str(freeze))
    reqs = infer_requirements(NYC_IMPORTS, env=env, python_version="3.8")
    assert [r.name for r in reqs] == ["matplotlib", "numpy", "pandas", "scikit-learn"]
    assert all(r.source == "freeze" and r.version == env.pin(r.name) for r in reqs)


def test_without_freeze_uses_installed_versions():
    reqs = infer_requirements(["pandas", "sklearn.ensemble", "yaml", "PIL.Image"])
    assert lines(reqs) == [
        f"pandas=={installed('pandas')}",
        f"pillow=={installed('pillow')}",
        f"pyyaml=={installed('PyYAML')}",
        f"scikit-learn=={installed('scikit-learn')}",
    ]
    assert {r.source for r in reqs} == {"installed"}


def test_render_is_sorted_deterministic_and_canonical():
    imports = ["yaml", "sklearn", "numpy", "azure.identity", "matplotlib"]
    first = render_requirements(infer_requirements(imports))
    shuffled = list(reversed(imports))
    assert render_requirements(infer_requirements(shuffled)) == first
    names = [line.split("==")[0] for line in first.splitlines()]
    assert names == sorted(names) == [canonical_name(n) for n in names]
    assert first.endswith("\n") and "\n\n" not in first
    assert render_requirements([]) == ""


# --- namespaces and several candidates ---------------------------------------------------


def test_azure_namespace_resolves_each_subpackage_to_its_distribution():
    reqs = infer_requirements(["azure.identity", "azure.ai.ml.entities", "azure.core.exceptions", "azure.storage.blob"])
    assert lines(reqs) == [
        f"azure-ai-ml=={installed('azure-ai-ml')}",
        f"azure-core=={installed('azure-core')}",
        f"azure-identity=={installed('azure-identity')}",
        f"azure-storage-blob=={installed('azure-storage-blob')}",
    ]


def test_azure_and_google_not_installed_fall_back_to_naming_rules():
    reqs = infer_requirements(["azure.keyvault.secrets", "azure.cosmos", "azureml.core", "google.cloud.storage"])
    assert [(r.name, r.version, r.source) for r in reqs] == [
        ("azure-cosmos", None, "curated"),
        ("azure-keyvault-secrets", None, "curated"),
        ("azureml-core", None, "curated"),
        ("google-cloud-storage", None, "curated"),
    ]


def test_namespace_rules_take_the_freeze_name_when_listed():
    env = parse_freeze(
        "azureml-train-automl==1.39.0\ngoogle-cloud-storage==2.1.0\nazureml-core==1.39.0\n"
        "azure-monitor-opentelemetry-exporter==1.0.0b1\n"
    )
    reqs = infer_requirements(["azureml.train.automl", "google.cloud.storage.blob", "azureml.core.run"], env=env)
    assert lines(reqs) == [
        "azureml-core==1.39.0",
        "azureml-train-automl==1.39.0",
        "google-cloud-storage==2.1.0",
    ]


def test_google_protobuf_is_protobuf_even_when_the_freeze_lists_google():
    # `google` on PyPI is an unrelated project that data scientists install by mistake.
    env = parse_freeze("google==3.0.0\nprotobuf==3.19.1\n")
    assert lines(infer_requirements(["google.protobuf.message"], env=env)) == ["protobuf==3.19.1"]
    env = parse_freeze("google==3.0.0\n")
    assert lines(infer_requirements(["google.protobuf"], env=env)) == [f"protobuf=={installed('protobuf')}"]


def test_mlflow_wins_over_mlflow_skinny_and_tracing():
    assert resolve_module("mlflow").names == ("mlflow",)
    assert resolve_module("mlflow.sklearn").names == ("mlflow",)
    env = parse_freeze("mlflow==2.9.2\nmlflow-skinny==2.9.2\n")
    assert lines(infer_requirements(["mlflow", "mlflow.sklearn"], env=env)) == ["mlflow==2.9.2"]


def test_freeze_with_only_mlflow_skinny():
    env = parse_freeze("mlflow-skinny==2.9.2\npandas==1.3.3\n")
    # The data scientist ran on skinny: the import keeps what they had...
    assert lines(infer_requirements(["mlflow"], env=env)) == ["mlflow-skinny==2.9.2"]
    # ...but generated code that needs full mlflow gets it, at the skinny version, and the
    # redundant skinny line goes.
    reqs = infer_requirements(["mlflow", "pandas"], env=env, extra=["mlflow", "azureml-mlflow"])
    assert [(r.name, r.version, r.source) for r in reqs] == [
        ("azureml-mlflow", None, "curated"),
        ("mlflow", "2.9.2", "freeze"),
        ("pandas", "1.3.3", "freeze"),
    ]
    assert by_name(reqs)["mlflow"].imported_as == ("mlflow",)


def test_extras_pinned_from_freeze_else_installed():
    env = parse_freeze("azureml-mlflow==1.39.0\n")
    reqs = infer_requirements([], env=env, extra=["mlflow", "azureml-mlflow", "pyarrow"])
    assert lines(reqs) == [
        "azureml-mlflow==1.39.0",
        f"mlflow=={installed('mlflow')}",
        f"pyarrow=={installed('pyarrow')}",
    ]
    assert by_name(reqs)["pyarrow"].source == "installed"


def test_installed_variant_loses_to_the_variant_the_freeze_lists():
    env = parse_freeze("opencv-python-headless==4.5.5.64\n")
    assert lines(infer_requirements(["cv2"], env=env)) == ["opencv-python-headless==4.5.5.64"]
    assert lines(infer_requirements(["cv2"])) == ["opencv-python"]


# --- not installed ------------------------------------------------------------------------


def test_not_installed_curated_and_unresolved():
    env = parse_freeze("scikit-image==0.18.3\n")
    reqs = infer_requirements(["skimage.io", "Crypto.Cipher", "Bio.Seq", UNKNOWN], env=env)
    assert [(r.name, r.version, r.source) for r in reqs] == [
        ("biopython", None, "curated"),
        (UNKNOWN.replace("_", "-"), None, "unresolved"),
        ("pycryptodome", None, "curated"),
        ("scikit-image", "0.18.3", "freeze"),
    ]


def test_unknown_import_listed_in_freeze_is_taken_from_it():
    env = parse_freeze(
        f"{UNKNOWN.replace('_', '-')}==1.2.3\n-e git+https://github.com/contoso/taxi-utils.git@5f2a1c9#egg=taxi_utils\n"
    )
    reqs = infer_requirements([UNKNOWN, "taxi_utils.features"], env=env)
    assert [(r.name, r.version, r.source) for r in reqs] == [
        (UNKNOWN.replace("_", "-"), "1.2.3", "freeze"),
        ("taxi-utils", None, "freeze"),
    ]


# --- target Python, stdlib, backports, local modules ---------------------------------------


def test_stdlib_depends_on_the_target_python():
    assert not is_stdlib("tomllib", "3.8") and is_stdlib("tomllib", "3.11")
    assert is_stdlib("distutils.core", "3.11") and not is_stdlib("distutils", "3.12")
    assert is_stdlib("os.path", "3.8.5")
    # On 3.8, `import tomllib` is not the standard library: it has to be reported.
    on_38 = infer_requirements(["tomllib", "json"], python_version="3.8")
    assert [(r.name, r.source) for r in on_38] == [("tomllib", "unresolved")]
    assert infer_requirements(["tomllib", "json"], python_version="3.11") == ()
    on_312 = infer_requirements(["distutils"], python_version="3.12")
    assert [r.name for r in on_312] == ["distutils"]
    assert infer_requirements(["distutils"], python_version="3.11") == ()


def test_backports_are_dropped():
    assert is_backport("enum34", "3.11") and is_backport("argparse", "3.8")
    assert not is_backport("dataclasses", "3.6") and is_backport("dataclasses", "3.7")
    assert not is_backport("pandas", "3.11")
    reqs = infer_requirements(
        [],
        pip_installs=[
            "argparse",
            "enum34",
            "pathlib",
            "typing",
            "futures",
            "dataclasses",
            "contextlib2",
            "pathlib2",
            "backports.zoneinfo",
            "seaborn",
        ],
        extra=["argparse==1.4.0"],
        python_version="3.8",
    )
    assert [r.name for r in reqs] == ["seaborn"]
    # dataclasses is a real requirement where the target Python lacks it.
    on_36 = infer_requirements([], pip_installs=["dataclasses"], python_version="3.6")
    assert [r.name for r in on_36] == ["dataclasses"]


def test_renamed_backport_kept_when_imported():
    env = parse_freeze("pathlib2==2.3.6\n")
    assert lines(infer_requirements(["pathlib2", "pathlib"], env=env)) == ["pathlib2==2.3.6"]


def test_sklearn_dummy_never_emitted():
    env = parse_freeze("sklearn==0.0\nscikit-learn==1.0.2\n")
    assert lines(infer_requirements(["sklearn"], env=env)) == ["scikit-learn==1.0.2"]
    installs = infer_requirements([], pip_installs=["sklearn"], env=env)
    assert lines(installs) == ["scikit-learn==1.0.2"]
    only_dummy = parse_freeze("sklearn==0.0\n")
    assert lines(infer_requirements(["sklearn.linear_model"], env=only_dummy)) == [
        f"scikit-learn=={installed('scikit-learn')}"
    ]


def test_relative_and_local_modules_are_not_requirements(tmp_path):
    (tmp_path / "helpers.py").write_text("X = 1\n")
    (tmp_path / "mypkg").mkdir()
    (tmp_path / "mypkg" / "__init__.py").write_text("")
    (tmp_path / "data").mkdir()  # a folder without Python is not a package
    (tmp_path / "data" / "taxi.csv").write_text("a,b\n")
    reqs = infer_requirements(["helpers", "mypkg.sub", ".utils", "..base", "pandas", "data"], local_dir=tmp_path)
    assert [(r.name, r.source) for r in reqs] == [("data", "unresolved"), ("pandas", "installed")]
    # Without the folder, `helpers` is just an unknown import.
    assert "helpers" in [r.name for r in infer_requirements(["helpers"])]


# --- `!pip install` specs -----------------------------------------------------------------


def test_pip_install_specs():
    env = parse_freeze("xgboost==1.5.0\n")
    reqs = infer_requirements(
        ["pandas"],
        pip_installs=[
            "seaborn==0.11.2",
            "xgboost",
            "-q",
            "--upgrade",
            "pip",
            "openpyxl",
            "lightgbm>=3",
            "git+https://github.com/org/tool.git#egg=tool",
            "requirements.txt",
            "./dist/wheely-1.2.0-py3-none-any.whl",
            ".",
        ],
        env=env,
    )
    # lightgbm is pinned to the installed version where it is installed (the corpus tests use it).
    lightgbm = (installed("lightgbm"), "installed") if importlib.util.find_spec("lightgbm") else (None, "curated")
    assert [(r.name, r.version, r.source) for r in reqs] == [
        ("lightgbm", *lightgbm),
        ("openpyxl", None, "curated"),
        ("pandas", installed("pandas"), "installed"),
        ("seaborn", "0.11.2", "freeze"),  # the notebook's own pin beats the installed 0.13
        ("tool", None, "curated"),
        ("wheely", "1.2.0", "freeze"),
        ("xgboost", "1.5.0", "freeze"),
    ]


def test_freeze_pin_beats_pip_install_pin():
    env = parse_freeze("seaborn==0.11.1\n")
    assert lines(infer_requirements([], pip_installs=["seaborn==0.11.2"], env=env)) == ["seaborn==0.11.1"]


# --- conda input ----------------------------------------------------------------------------


def test_conda_environment_input(tmp_path):
    path = tmp_path / "environment.yml"
    path.write_text(
        "name: nyc\ndependencies:\n  - python=3.8.5\n  - numpy=1.26.4=py310h5f9d8c6_0\n"
        "  - scikit-learn>=1.3\n  - matplotlib-base=3.4.3\n  - pip:\n    - azureml-mlflow==1.39.0\n"
    )
    env = parse_conda(path.read_text(), str(path))
    reqs = infer_requirements(
        ["numpy", "sklearn", "matplotlib.pyplot"],
        env=path,
        python_version=env.python,
        extra=["azureml-mlflow"],
    )
    assert [(r.name, r.version, r.source) for r in reqs] == [
        ("azureml-mlflow", "1.39.0", "freeze"),
        ("matplotlib", "3.4.3", "freeze"),
        ("numpy", "1.26.4", "freeze"),
        # A range pins nothing, and the scikit-learn installed here needs a newer Python than 3.8.
        ("scikit-learn", None, "curated"),
    ]


# --- finding the file, the index -------------------------------------------------------------


def test_find_env_file(tmp_path):
    notebook = tmp_path / "nyc.ipynb"
    notebook.write_text("{}")
    assert find_env_file(notebook) is None
    (tmp_path / "environment.yml").write_text("dependencies: []\n")
    assert find_env_file(notebook) == tmp_path / "environment.yml"
    (tmp_path / "requirements.txt").write_text("")
    assert find_env_file(notebook) == tmp_path / "requirements.txt"


def test_index_is_built_once_and_uses_record_files():
    index = installed_index()
    assert installed_index() is index
    # Wheels built with meson / hatch ship no top_level.txt: only RECORD tells what they provide.
    expected = {"sklearn": "scikit-learn", "numpy": "numpy", "pandas": "pandas"}
    without = [m for m, d in expected.items() if importlib.metadata.distribution(d).read_text("top_level.txt") is None]
    assert without, "no installed distribution lacks top_level.txt: the test proves nothing"
    for module in without:
        assert index.providers(module) == {expected[module]}
    assert index.providers("sklearn.ensemble") == {"scikit-learn"}
    assert index.providers("google.protobuf") == {"protobuf"}
    dist = importlib.metadata.distribution("scikit-learn")
    assert index.versions["scikit-learn"] == dist.version


@pytest.mark.parametrize("module", ["google.cloud.storage", "azure.keyvault.secrets"])
def test_namespace_folder_does_not_claim_missing_subpackages(module):
    assert installed_index().providers(module) == frozenset()


def test_installed_version_that_cannot_run_on_the_target_python_is_not_pinned():
    from nb2aml.deps.resolve import installed_index

    index = installed_index()
    needs_new_python = sorted(
        name
        for name, spec in index.requires_python.items()
        if name in ("pandas", "numpy", "pyarrow", "scikit-learn") and not _admits(spec, "3.6")
    )
    assert needs_new_python, "expected a data-science package here that no longer supports Python 3.6"
    name = needs_new_python[0]
    old = {r.name: r for r in infer_requirements([name.replace("scikit-learn", "sklearn")], python_version="3.6")}
    new = {r.name: r for r in infer_requirements([name.replace("scikit-learn", "sklearn")], python_version="3.11")}
    assert old[name].version is None
    assert new[name].version == index.versions[name].split("+")[0]


def _admits(spec, version):
    from packaging.specifiers import SpecifierSet

    return SpecifierSet(spec).contains(f"{version}.0")
