"""Each command parses into one frozen options dataclass: every click parameter is a field, click's
defaults are the dataclass's defaults, and what an option forbids is refused when parsing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from nb2aml.cli import main
from nb2aml.command_options import ConvertCommand, RunCommand, SplitCommand, VerifyCommand, input_paths
from nb2aml.errors import ConfigError

COMMANDS = {name: command for name, command in main.commands.items() if hasattr(command.callback, "options_class")}
REQUIRED = {"notebook": Path("nb.py"), "folder": Path("out"), "out_dir": Path("out")}


def test_the_commands_that_take_options_parse_into_a_dataclass():
    assert set(COMMANDS) == {"analyze", "convert", "split", "run", "verify"}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_click_parameter_is_a_field_with_the_same_default(name):
    command = COMMANDS[name]
    cls = command.callback.options_class
    assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen
    fields = {f.name: f for f in dataclasses.fields(cls)}
    params = {p.name for p in command.params}
    assert params == set(fields), f"{name}: click parameters without a field, or fields without an option"
    # What click hands the command when only the required arguments are given.
    argv = [str(REQUIRED[p.name]) for p in command.params if p.required and p.param_type_name == "argument"]
    argv += ["-o", "out"] if "out_dir" in params else []
    parsed = command.make_context(name, argv).params
    built = cls(**parsed)
    for field_name, field in fields.items():
        if field_name in REQUIRED:
            continue
        assert getattr(built, field_name) == field.default, f"{name} --{field_name}: click and dataclass disagree"


def test_split_records_how_cells_were_assigned_not_how_the_output_was_reviewed():
    options = SplitCommand(
        notebook=Path("nb.py"), out_dir=Path("out"), cells=("prep=1,train=2",), dry_run=True, no_fix=("NB302",)
    )
    recorded = options.recorded()
    assert recorded["cells"] == ["prep=1,train=2"] and recorded["no_fix"] == ["NB302"]
    assert recorded["env_per_component"] is False and recorded["heading_level"] == 2
    assert not {"notebook", "out_dir", "dry_run", "yes", "force"} & set(recorded)
    assert list(recorded) == sorted(recorded)
    assert "env_per_component" not in ConvertCommand(notebook=Path("nb.py"), out_dir=Path("out")).recorded()


def test_the_library_options_come_from_the_parsed_ones():
    options = SplitCommand(
        notebook=Path("nb.py"),
        out_dir=Path("out"),
        data_uris=("raw=azureml://datastores/x/paths/raw.csv",),
        env_per_component=True,
        sweep=True,
        max_trials=3,
        max_concurrent=8,
        no_fix=("nb302",),
    )
    job = options.job_options()
    assert job.data_uris == (("raw", "azureml://datastores/x/paths/raw.csv"),) and job.env_per_component
    assert job.sweep is not None and job.sweep.max_concurrent == 3  # never more at once than trials
    assert options.convert_options().no_fix == frozenset({"NB302"})
    assert ConvertCommand(notebook=Path("nb.py"), out_dir=Path("out")).job_options().sweep is None


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: ConvertCommand(ours=True, theirs=True), "give --ours or --theirs, not both"),
        (lambda: ConvertCommand(search_space=("lr=uniform(0,1)",)), "--search-space and --objective"),
        (lambda: ConvertCommand(requirements=Path("r.txt"), environment=Path("e.yml")), "not both"),
        (lambda: RunCommand(isolated=True, in_docker=True), "give --isolated or --docker, not both"),
        (lambda: VerifyCommand(python_request="3.11"), "give --isolated too"),
        (lambda: input_paths(("raw",)), "--input takes NAME=VALUE"),
        (lambda: ConvertCommand(named_inputs=("raw",)).named_input_items(), "--input takes NAME=PATH"),
        (lambda: ConvertCommand(data_uris=("raw",)).job_options(), "--data-uri takes NAME=VALUE"),
    ],
)
def test_what_the_options_forbid_is_one_config_error(build, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        build()


def test_a_refused_combination_is_one_line_and_exit_2(tmp_path):
    notebook = tmp_path / "nb.py"
    notebook.write_text("# %%\nprint(1)\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(notebook), "-o", str(tmp_path / "out"), "--ours", "--theirs"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["nb2aml: error: give --ours or --theirs, not both"]
    assert not (tmp_path / "out").exists()
