"""`split --sweep` when a later step than the training step logs the objective: one trial runs the chain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from nb2aml.cli import main
from nb2aml.emit.sweep_chain import build_chain, chain_between, replace_chain
from nb2aml.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
NYC = ROOT / "examples" / "nyc_taxi" / "notebook.ipynb"
NYC_CELLS = "prep=1,transform=22,train=28,predict=34,score=36"  # as bench/bench_scale.py and the walk-through


def _component(command: str, inputs=(), outputs=(), code: str = "../src") -> dict:
    return {
        "type": "command",
        "inputs": {name: {"type": "uri_folder"} for name in inputs},
        "outputs": {name: {"type": "uri_folder"} for name in outputs},
        "code": code,
        "environment": "file:../environment.yml",
        "command": command,
    }


PIPELINE = {
    "jobs": {
        "prep": {"component": "./components/prep.yml", "inputs": {"raw": "${{parent.inputs.raw}}"}},
        "train": {
            "component": "./components/train.yml",
            "inputs": {"data": "${{parent.jobs.prep.outputs.data}}", "lr": "${{parent.inputs.lr}}"},
            "outputs": {"report": "${{parent.outputs.report}}"},
        },
        "predict": {
            "component": "./components/predict.yml",
            "inputs": {"model": "${{parent.jobs.train.outputs.model}}", "data": "${{parent.jobs.prep.outputs.data}}"},
        },
        "score": {
            "component": "./components/score.yml",
            "inputs": {"predictions": "${{parent.jobs.predict.outputs.out}}"},
        },
        "publish": {
            "component": "./components/publish.yml",
            "inputs": {
                "model": "${{parent.jobs.train.outputs.model}}",
                "scored": "${{parent.jobs.predict.outputs.out}}",
            },
        },
    }
}
COMPONENTS = {
    "train": {
        **_component(
            "python train.py --data ${{inputs.data}} --lr ${{inputs.lr}} --model ${{outputs.model}} "
            "--report ${{outputs.report}}",
            inputs=("data",),
            outputs=("model", "report", "out"),
        ),
    },
    "predict": _component(
        "python predict.py --model ${{inputs.model}} --data ${{inputs.data}} --out ${{outputs.out}}",
        inputs=("model", "data"),
        outputs=("out",),
    ),
    "score": _component("python score.py --predictions ${{inputs.predictions}}", inputs=("predictions",)),
}
COMPONENTS["train"]["inputs"]["lr"] = {"type": "number", "default": 0.1}


def test_the_chain_is_every_step_between_the_training_and_the_scoring_step():
    assert chain_between(PIPELINE, "train", "score") == ("train", "predict", "score")
    assert chain_between(PIPELINE, "train", "predict") == ("train", "predict")
    assert chain_between(PIPELINE, "score", "train") == ()  # the scoring step must read from the training step
    assert chain_between(PIPELINE, "prep", "score") == ("prep", "train", "predict", "score")


def test_the_trial_runs_the_steps_in_sequence_with_its_own_output_folders():
    chain = build_chain(PIPELINE, COMPONENTS, ("train", "predict", "score"))
    component = chain.component
    # Both train and predict write an output named `out`: each keeps a folder of its own.
    assert set(component["outputs"]) == {"model", "report", "train_out", "predict_out"}
    assert set(component["inputs"]) == {"data", "lr"}  # predict's `data` is the same binding as train's
    assert str(component["command"]) == (
        "python train.py --data ${{inputs.data}} --lr ${{inputs.lr}} --model ${{outputs.model}} "
        "--report ${{outputs.report}} && "
        "python predict.py --model ${{outputs.model}} --data ${{inputs.data}} --out ${{outputs.predict_out}} && "
        "python score.py --predictions ${{outputs.predict_out}}"
    )
    assert chain.node_inputs == {"data": "${{parent.jobs.prep.outputs.data}}", "lr": "${{parent.inputs.lr}}"}
    assert chain.node_outputs == {"report": "${{parent.outputs.report}}"}
    doc = json.loads(json.dumps(PIPELINE))
    replace_chain(doc, chain, {"type": "sweep", "trial": f"./{chain.component_path}"})
    assert list(doc["jobs"]) == ["prep", "train", "publish"] and doc["jobs"]["train"]["type"] == "sweep"
    # A step after the chain reads the chain's outputs from the sweep node.
    assert doc["jobs"]["publish"]["inputs"] == {
        "model": "${{parent.jobs.train.outputs.model}}",
        "scored": "${{parent.jobs.train.outputs.predict_out}}",
    }


def test_steps_with_different_code_folders_cannot_be_one_trial():
    components = {**COMPONENTS, "score": {**COMPONENTS["score"], "code": "../other"}}
    with pytest.raises(ConfigError, match="different code folders"):
        build_chain(PIPELINE, components, ("train", "predict", "score"))


def test_nyc_five_step_split_sweeps_train_through_score(tmp_path):
    out = tmp_path / "pipe"
    result = CliRunner().invoke(
        main, ["split", str(NYC), "--cells", NYC_CELLS, "-o", str(out), "--sweep", "--yes", "--no-validate"]
    )
    assert result.exit_code == 0, result.output
    doc = yaml.safe_load((out / "sweep.yml").read_text())
    assert list(doc["jobs"]) == ["prep", "transform", "train"]
    node = doc["jobs"]["train"]
    assert node["type"] == "sweep" and node["trial"] == "./components/train_to_score.yml"
    assert node["objective"] == {"goal": "minimize", "primary_metric": "mean_squared_error"}
    assert set(node["search_space"]) == {"learning_rate", "n_estimators"}
    assert node["inputs"] == {
        "test_size": "${{parent.inputs.test_size}}",
        "final_df": "${{parent.jobs.transform.outputs.final_df}}",
    }
    trial = yaml.safe_load((out / "components" / "train_to_score.yml").read_text())
    commands = [c.split()[:2] for c in trial["command"].split(" && ")]
    assert commands == [["python", "train.py"], ["python", "predict.py"], ["python", "score.py"]]
    assert {"model", "testX", "testy", "predictions", "model_output"} == set(trial["outputs"])
    # pipeline.yml itself is unchanged: five steps.
    assert list(yaml.safe_load((out / "pipeline.yml").read_text())["jobs"]) == [
        "prep",
        "transform",
        "train",
        "predict",
        "score",
    ]
    assert "`train`, `predict`, `score` run as one Azure ML sweep node" in (out / "README.md").read_text()


@pytest.mark.slow
def test_nyc_chained_sweep_validates_and_two_local_trials_give_a_best_trial(tmp_path):
    out = tmp_path / "pipe"
    result = CliRunner().invoke(main, ["split", str(NYC), "--cells", NYC_CELLS, "-o", str(out), "--sweep", "--yes"])
    assert result.exit_code == 0, result.output  # every YAML validated by azure-ai-ml, the trial component too
    from azure.ai.ml import load_job
    from azure.ai.ml.entities import PipelineJob
    from azure.ai.ml.entities._builders.sweep import Sweep

    job = load_job(source=str(out / "sweep.yml"))
    assert isinstance(job, PipelineJob) and isinstance(job.jobs["train"], Sweep)
    result = CliRunner().invoke(main, ["run", str(out / "sweep.yml"), "--trials", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout[result.stdout.index("{\n") :])
    assert [t["status"] for t in report["trials"]] == ["succeeded", "succeeded"]
    scores = [t["metrics"]["mean_squared_error"] for t in report["trials"]]
    assert report["best"]["metrics"]["mean_squared_error"] == min(scores)
    # Different sampled values train different models: the trials' scores differ.
    assert len(set(scores)) == 2 and report["trials"][0]["params"] != report["trials"][1]["params"]


def test_a_chain_of_steps_with_environments_of_their_own_is_refused_in_one_line(tmp_path):
    out = tmp_path / "pipe"
    argv = ["split", str(NYC), "--cells", NYC_CELLS, "-o", str(out), "--sweep", "--env-per-component"]
    result = CliRunner().invoke(main, [*argv, "--yes", "--no-validate"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"nb2aml: error: {NYC}: --sweep: the steps train, predict, score run as one trial, and they have different "
        "environments; split them so that the training and scoring cells share a step"
    ]
    assert not out.exists()
