"""The command job and component YAML: exact text, and the Azure ML SDK's own validation.

No mocks: the files are written to disk and loaded with `azure.ai.ml.load_job` /
`load_component` (offline: nothing needs a workspace).
"""

from __future__ import annotations

import dataclasses
import textwrap

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nb2aml.emit.job import (
    command_line,
    component_document,
    component_name,
    environment_reference,
    job_document,
    render_component_yaml,
    render_job_yaml,
)
from nb2aml.emit.validate import validate_component_yaml, validate_job_yaml
from nb2aml.emit.yamlout import Folded, dump_yaml
from nb2aml.types import JobInput, JobOutput, JobSpec

NYC = JobSpec(
    name="nyc_taxi_regression",
    display_name="nyc_taxi_regression",
    description="Train a GBDT regression model on the NYC taxi dataset.",
    code="./src",
    script="train.py",
    inputs=(
        JobInput("raw_data", "uri_folder", path="../data"),
        JobInput("learning_rate", "number", default=0.1),
        JobInput("n_estimators", "integer", default=100),
    ),
    outputs=(JobOutput("model_output"),),
    environment="env.yml",
    experiment_name="nyc_taxi_regression",
)

ENV_YAML = """\
$schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json
name: nyc-taxi-env
build:
  path: ./env
"""


def write_project(root, spec: JobSpec = NYC, *, job_text: str | None = None, component_text: str | None = None):
    """root/data/, root/job/{job.yml, component.yml, env.yml, env/Dockerfile, src/train.py}."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "data" / "green.csv").write_text("a,b\n1,2\n")
    job = root / "job"
    (job / "src").mkdir(parents=True, exist_ok=True)
    (job / "src" / spec.script).write_text("print('training')\n")
    (job / "env").mkdir(exist_ok=True)
    (job / "env" / "Dockerfile").write_text("FROM python:3.11-slim\n")
    (job / "env.yml").write_text(ENV_YAML)
    (job / "job.yml").write_text(job_text if job_text is not None else render_job_yaml(spec))
    (job / "component.yml").write_text(component_text if component_text is not None else render_component_yaml(spec))
    return job


# --- command line ----------------------------------------------------------------------------------


def test_command_line_passes_inputs_then_outputs():
    assert command_line(NYC) == (
        "python train.py --raw_data ${{inputs.raw_data}} --learning_rate ${{inputs.learning_rate}}"
        " --n_estimators ${{inputs.n_estimators}} --model_output ${{outputs.model_output}}"
    )


def test_optional_input_uses_azure_optional_syntax():
    spec = dataclasses.replace(NYC, inputs=NYC.inputs + (JobInput("holidays", "uri_file", optional=True),))
    assert "$[[--holidays ${{inputs.holidays}}]]" in command_line(spec)


def test_script_name_with_space_is_quoted():
    assert command_line(dataclasses.replace(NYC, script="my train.py")).startswith("python 'my train.py' ")


# --- job -------------------------------------------------------------------------------------------


def test_job_yaml_text():
    assert render_job_yaml(NYC) == textwrap.dedent(
        """\
        $schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
        type: command
        code: ./src
        command: >-
          python train.py
          --raw_data ${{inputs.raw_data}}
          --learning_rate ${{inputs.learning_rate}}
          --n_estimators ${{inputs.n_estimators}}
          --model_output ${{outputs.model_output}}
        inputs:
          raw_data:
            type: uri_folder
            path: ../data
          learning_rate: 0.1
          n_estimators: 100
        outputs:
          model_output:
            type: uri_folder
        environment: file:env.yml
        compute: azureml:cpu-cluster
        experiment_name: nyc_taxi_regression
        display_name: nyc_taxi_regression
        description: Train a GBDT regression model on the NYC taxi dataset.
        """
    )


def test_job_yaml_loads_back_to_the_document():
    doc = job_document(NYC)
    assert yaml.safe_load(render_job_yaml(NYC)) == doc
    assert doc["command"] == command_line(NYC)  # the folded block is one line again
    assert doc["inputs"]["learning_rate"] == 0.1 and isinstance(doc["inputs"]["n_estimators"], int)


def test_job_passes_sdk_validation(tmp_path):
    job = write_project(tmp_path)
    assert validate_job_yaml(job / "job.yml") == []


def test_descriptions_go_to_the_component_only(tmp_path):
    spec = dataclasses.replace(
        NYC,
        inputs=(dataclasses.replace(NYC.inputs[0], description="taxi trips"),) + NYC.inputs[1:],
        outputs=(JobOutput("model_output", description="the model"),),
    )
    assert "taxi trips" not in render_job_yaml(spec) and "the model" not in render_job_yaml(spec)
    component = component_document(spec)
    assert component["inputs"]["raw_data"]["description"] == "taxi trips"
    assert component["outputs"]["model_output"]["description"] == "the model"
    job = write_project(tmp_path, spec)
    assert validate_job_yaml(job / "job.yml") == [] and validate_component_yaml(job / "component.yml") == []


def test_job_with_registered_environment_validates_offline(tmp_path):
    spec = dataclasses.replace(NYC, environment="azureml:nyc_taxi_image@latest")
    assert "environment: azureml:nyc_taxi_image@latest\n" in render_job_yaml(spec)
    job = write_project(tmp_path, spec)
    assert validate_job_yaml(job / "job.yml") == []


def test_full_data_job_points_the_input_at_a_datastore(tmp_path):
    uri = "azureml://datastores/workspaceblobstore/paths/nyc_taxi/full_data"
    text = render_job_yaml(NYC, inputs_override={"raw_data": uri, "n_estimators": "300"})
    assert f"    path: {uri}\n" in text and "  n_estimators: 300\n" in text
    job = write_project(tmp_path, job_text=text)
    assert validate_job_yaml(job / "job.yml") == []


def test_number_parameter_is_written_as_a_float():
    spec = dataclasses.replace(
        NYC, inputs=(JobInput("alpha", "number", default=1), JobInput("fit", "boolean", default="yes"))
    )
    assert job_document(spec)["inputs"] == {"alpha": 1.0, "fit": True}
    assert "  alpha: 1.0\n  fit: true\n" in render_job_yaml(spec)


def test_optional_input_without_value_is_left_out(tmp_path):
    spec = dataclasses.replace(NYC, inputs=NYC.inputs + (JobInput("holidays", "uri_file", optional=True),))
    assert "holidays" not in job_document(spec)["inputs"]
    job = write_project(tmp_path, spec)
    assert validate_job_yaml(job / "job.yml") == []


def test_missing_value_and_unknown_override_are_refused():
    with pytest.raises(ValueError, match="raw_data .* has no path"):
        job_document(dataclasses.replace(NYC, inputs=(JobInput("raw_data", "uri_folder"),)))
    with pytest.raises(ValueError, match="no input named nope"):
        job_document(NYC, inputs_override={"nope": "x"})
    with pytest.raises(ValueError, match="n_estimators: 'many' is not a valid integer"):
        job_document(NYC, inputs_override={"n_estimators": "many"})


def test_job_referencing_an_undeclared_input_is_invalid(tmp_path):
    text = render_job_yaml(NYC).replace("  --model_output", "  --holidays ${{inputs.holidays}}\n  --model_output")
    job = write_project(tmp_path, job_text=text)
    assert validate_job_yaml(job / "job.yml") == ["command: ${{inputs.holidays}} names no declared input"]


def test_schema_errors_are_one_line_each(tmp_path):
    text = render_job_yaml(NYC).replace("file:env.yml", "file:missing.yml") + "colour: blue\n"
    job = write_project(tmp_path, job_text=text)
    errors = validate_job_yaml(job / "job.yml")
    assert len(errors) == 2 and "colour: Unknown field." in errors
    [env_error] = [e for e in errors if e.startswith("environment: ")]
    assert env_error.startswith("environment: No such file or directory: ") and env_error.endswith("missing.yml")


def test_missing_script_and_code_folder_are_reported(tmp_path):
    job = write_project(tmp_path, dataclasses.replace(NYC, code="./code"))
    assert validate_job_yaml(job / "job.yml")[0].startswith("code: Can't find directory or file")
    job = write_project(tmp_path / "b", job_text=render_job_yaml(dataclasses.replace(NYC, script="score.py")))
    assert validate_job_yaml(job / "job.yml") == ["command: score.py is not in the code folder ./src"]


def test_unreadable_yaml_and_missing_file(tmp_path):
    job = write_project(tmp_path, job_text="inputs: [\n")
    [error] = validate_job_yaml(job / "job.yml")
    assert error.startswith("cannot parse YAML:") and "\n" not in error
    assert validate_job_yaml(tmp_path / "nope.yml") == [f"{tmp_path / 'nope.yml'}: no such file"]


# --- component -------------------------------------------------------------------------------------


def test_component_yaml_text():
    spec = dataclasses.replace(
        NYC, inputs=NYC.inputs + (JobInput("holidays", "uri_file", optional=True, description="days off"),)
    )
    assert render_component_yaml(spec) == textwrap.dedent(
        """\
        $schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json
        type: command
        name: nyc_taxi_regression
        version: '1'
        display_name: nyc_taxi_regression
        description: Train a GBDT regression model on the NYC taxi dataset.
        inputs:
          raw_data:
            type: uri_folder
          learning_rate:
            type: number
            default: 0.1
          n_estimators:
            type: integer
            default: 100
          holidays:
            type: uri_file
            optional: true
            description: days off
        outputs:
          model_output:
            type: uri_folder
        code: ./src
        environment: file:env.yml
        command: >-
          python train.py
          --raw_data ${{inputs.raw_data}}
          --learning_rate ${{inputs.learning_rate}}
          --n_estimators ${{inputs.n_estimators}}
          $[[--holidays ${{inputs.holidays}}]]
          --model_output ${{outputs.model_output}}
        """
    )


def test_component_passes_sdk_validation(tmp_path):
    spec = dataclasses.replace(NYC, inputs=NYC.inputs + (JobInput("holidays", "uri_file", optional=True),))
    job = write_project(tmp_path, spec)
    assert validate_component_yaml(job / "component.yml") == []


def test_component_name_is_made_valid(tmp_path):
    assert component_name("nyc-taxi") == "nyc_taxi" and component_name("2023 Model") == "c_2023_model"
    spec = dataclasses.replace(NYC, name="nyc-taxi")
    assert component_document(spec)["name"] == "nyc_taxi"
    job = write_project(tmp_path, spec)
    assert validate_component_yaml(job / "component.yml") == []


def test_component_with_an_undeclared_binding_is_invalid(tmp_path):
    text = render_component_yaml(NYC).replace("--raw_data ${{inputs.raw_data}}", "--raw_data ${{inputs.raw}}")
    job = write_project(tmp_path, component_text=text)
    assert validate_component_yaml(job / "component.yml") == ["command: Invalid data binding expression: inputs.raw"]


def test_environment_reference_forms():
    assert environment_reference("azureml:nyc@latest") == "azureml:nyc@latest"
    assert environment_reference("file:env/env.yml") == "file:env/env.yml"
    assert environment_reference("env/env.yaml") == "file:env/env.yaml"
    with pytest.raises(ValueError):
        environment_reference(" ")


# --- the YAML writer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("plain", "plain"),
        ("azureml:cpu-cluster", "azureml:cpu-cluster"),
        ("${{inputs.x}}", "${{inputs.x}}"),
        ("../data", "../data"),
        ("0.1", "'0.1'"),
        ("1", "'1'"),
        ("yes", "'yes'"),
        ("null", "'null'"),
        ("", "''"),
        ("2024-01-01", "'2024-01-01'"),
        ("a: b", "'a: b'"),
        ("x #y", "'x #y'"),
        ("- item", "'- item'"),
        ("it's", "it's"),
        ("'quoted'", "'''quoted'''"),
        ("tab\there", '"tab\\there"'),
        (1e-05, "1.0e-05"),
        (float("inf"), ".inf"),
        (True, "true"),
        (None, "null"),
    ],
)
def test_scalars_are_quoted_only_when_needed(value, text):
    assert dump_yaml({"k": value}) == f"k: {text}\n"
    assert yaml.safe_load(dump_yaml({"k": value})) == {"k": value}


def test_nested_blocks_and_multiline_text():
    data = {"a": [{"x": 1, "y": [1, 2]}, [3], "z"], "b": {}, "c": [], "d": "one\ntwo\n", "e": "one\ntwo"}
    text = dump_yaml(data)
    assert text == (
        "a:\n  - x: 1\n    y:\n      - 1\n      - 2\n  - - 3\n  - z\nb: {}\nc: []\nd: |\n  one\n  two\n"
        "e: |-\n  one\n  two\n"
    )
    assert yaml.safe_load(text) == data


def test_non_string_keys_are_refused():
    with pytest.raises(TypeError):
        dump_yaml({1: "x"})


_TRICKY = " :#-'\"\n\t{}[]$.0123456789eExtrunlyo~!&*?|>%@`,\\\r\x85\u2028\ufeff\x00é"
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.text(alphabet=_TRICKY, max_size=10),
    st.builds(Folded, st.text(alphabet="-$[]{} ab.#:", max_size=30)),
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=6), st.text(alphabet=_TRICKY, max_size=4)), inner, max_size=4),
    ),
    max_leaves=15,
)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(_DATA)
def test_any_plain_data_round_trips(data):
    text = dump_yaml(data)
    assert yaml.safe_load(text) == data
    assert dump_yaml(data) == text  # deterministic
