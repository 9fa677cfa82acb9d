"""Three-way merges of one file (update/merge.py): lines with merge3, YAML by keys."""

from __future__ import annotations

import textwrap

import yaml

from nb2aml.update.merge import has_conflict_markers, merge_text

JOB = textwrap.dedent("""\
    $schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
    type: command
    code: ./src
    command: >-
      python train.py
      --alpha ${{inputs.alpha}}
    inputs:
      alpha: 0.5
    environment: file:environment.yml
    compute: azureml:cpu-cluster
    experiment_name: train
    """)


def _new_input(text: str) -> str:
    """What nb2aml writes once the notebook has a new hyperparameter, and a new key next to compute."""
    return (
        text.replace(
            "  --alpha ${{inputs.alpha}}\n", "  --alpha ${{inputs.alpha}}\n  --max_iter ${{inputs.max_iter}}\n"
        )
        .replace("  alpha: 0.5\n", "  alpha: 0.5\n  max_iter: 200\n")
        .replace(
            "compute: azureml:cpu-cluster\n", "compute: azureml:cpu-cluster\nqueue_settings:\n  job_tier: standard\n"
        )
    )


def test_yaml_edited_compute_survives_a_new_input_next_to_it():
    ours = JOB.replace(
        "compute: azureml:cpu-cluster", "compute: azureml:gpu-cluster  # tuned\nresources:\n  instance_count: 2"
    )
    theirs = _new_input(JOB)
    merged = merge_text(JOB, ours, theirs, yaml=True)
    assert merged.conflicts == 0 and merged.method == "keys"
    data = yaml.safe_load(merged.text)
    assert data["compute"] == "azureml:gpu-cluster" and data["resources"] == {"instance_count": 2}
    assert data["inputs"] == {"alpha": 0.5, "max_iter": 200} and "--max_iter" in data["command"]
    assert data["queue_settings"] == {"job_tier": "standard"}
    assert "# tuned" in merged.text  # the engineer's comment is their text, kept
    # Lines alone cannot do it: the two additions touch the same place.
    assert merge_text(JOB, ours, theirs).conflicts == 1


def test_yaml_same_key_changed_on_both_sides_is_a_conflict_of_that_key_only():
    ours = (
        _new_input(JOB)
        .replace("  alpha: 0.5\n", "  alpha: 0.3\n")
        .replace("compute: azureml:cpu-cluster", "compute: azureml:gpu")
    )
    theirs = JOB.replace("  alpha: 0.5\n", "  alpha: 0.7\n")
    merged = merge_text(JOB, ours, theirs, yaml=True)
    assert merged.conflicts == 1 and has_conflict_markers(merged.text)
    assert "compute: azureml:gpu\n" in merged.text  # the rest merged
    marked = merged.text[merged.text.index("<<<<<<<") : merged.text.index(">>>>>>>")]
    assert "alpha: 0.3" in marked and "alpha: 0.7" in marked and "compute" not in marked
    for side, alpha in (("ours", 0.3), ("theirs", 0.7)):
        settled = merge_text(JOB, ours, theirs, yaml=True, side=side)
        assert settled.conflicts == 0 and settled.resolved == 1
        data = yaml.safe_load(settled.text)
        assert data["inputs"]["alpha"] == alpha and data["compute"] == "azureml:gpu"


def test_yaml_the_same_key_added_twice_is_a_conflict_not_a_duplicate_key():
    ours = JOB + "resources:\n  instance_count: 2\n"
    theirs = JOB.replace("code: ./src\n", "code: ./src\nresources:\n  instance_count: 4\n")
    merged = merge_text(JOB, ours, theirs, yaml=True)
    assert merged.conflicts == 1
    assert merge_text(JOB, ours, theirs, yaml=True, side="theirs").text.count("resources:") == 1


def test_yaml_key_removed_by_nb2aml_and_untouched_by_the_engineer_goes():
    theirs = JOB.replace("experiment_name: train\n", "")
    ours = JOB.replace("compute: azureml:cpu-cluster", "compute: azureml:gpu")
    merged = merge_text(JOB, ours, theirs, yaml=True)
    assert merged.conflicts == 0 and "experiment_name" not in merged.text and "azureml:gpu" in merged.text


def test_yaml_the_cutter_does_not_understand_falls_back_to_lines():
    base = "a: &anchor\n  x: 1\nb: *anchor\n"
    merged = merge_text(base, base + "c: 1\n", base.replace("x: 1", "x: 2"), yaml=True)
    assert merged.method == "lines" and merged.conflicts == 0
    assert merged.text == "a: &anchor\n  x: 2\nb: *anchor\nc: 1\n"


def test_lines_clean_merge_keeps_both_changes():
    base = "".join(f"line {i}\n" for i in range(10))
    ours = base.replace("line 1\n", "line 1 (engineer)\n")
    theirs = base.replace("line 8\n", "line 8 (notebook)\n")
    merged = merge_text(base, ours, theirs)
    assert merged.conflicts == 0 and "line 1 (engineer)" in merged.text and "line 8 (notebook)" in merged.text


def test_lines_conflict_markers_each_start_a_line_even_without_a_final_newline():
    merged = merge_text("a\nb", "a\nc", "a\nd")
    assert merged.conflicts == 1
    assert merged.text == "a\n<<<<<<< yours\nc\n=======\nd\n>>>>>>> nb2aml\n"
    assert has_conflict_markers(merged.text)


def test_a_setext_heading_is_not_a_conflict_marker():
    assert not has_conflict_markers("Title\n=======\n\ntext\n")
