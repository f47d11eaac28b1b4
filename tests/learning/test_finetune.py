"""Pair and batch construction for contrastive fine-tuning (the training itself is in test_train)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from evidence.errors import InputError
from evidence.learning.finetune import FineTuneSettings, contrastive_batches, fine_tune_encoder


def _examples(n_per_label: int = 6) -> list[tuple[str, frozenset[str]]]:
    labels = ["budgeting", "coaching", "safeguarding", "networking"]
    examples = [(f"{label} text {i}", frozenset({label})) for label in labels for i in range(n_per_label)]
    examples.append(("both budgeting and coaching", frozenset({"budgeting", "coaching"})))
    return examples


def test_batches_hold_true_negatives_only() -> None:
    examples = _examples()
    label_of = dict(examples)
    batches = contrastive_batches(examples, FineTuneSettings(batch_size=3))
    assert batches and all(2 <= len(b) <= 3 for b in batches)
    for batch in batches:
        seen: set[str] = set()
        for anchor, positive in batch:
            assert label_of[anchor] & label_of[positive], "a positive shares a competency with its anchor"
            pair_labels = label_of[anchor] | label_of[positive]
            assert not pair_labels & seen, "no two pairs in a batch share a competency"
            seen |= pair_labels


def test_pair_budget_bounds_training() -> None:
    examples = _examples(n_per_label=50)
    pairs = sum(len(b) for b in contrastive_batches(examples, FineTuneSettings(max_pairs=120)))
    assert 60 <= pairs <= 120
    assert sum(len(b) for b in contrastive_batches(examples, FineTuneSettings(max_pairs=5000,
                                                                              pairs_per_example=2))) > 300


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="max_pairs must be at least 1"):
        FineTuneSettings(max_pairs=0)
    with pytest.raises(ValueError, match="learning_rate"):
        FineTuneSettings(learning_rate=3.0)


def test_one_competency_cannot_be_contrasted(tmp_path: Path) -> None:
    examples = [("I balanced the budget", frozenset({"budgeting"})), ("I cut spending", frozenset({"budgeting"}))]
    assert contrastive_batches(examples, FineTuneSettings()) == []
    with pytest.raises(InputError, match="at least two competencies.*--encoder frozen"):
        fine_tune_encoder(examples, tmp_path / "encoder")


def test_bad_examples_fail_before_torch_is_imported(tmp_path: Path) -> None:
    """The cheap check runs first: a hopeless fine-tuning request costs no torch import (seconds)."""
    script = ("import sys\n"
              "from evidence.errors import InputError\n"
              "from evidence.learning.finetune import fine_tune_encoder\n"
              "try:\n"
              f"    fine_tune_encoder([('a', frozenset({{'x'}}))], __import__('pathlib').Path({str(tmp_path)!r}))\n"
              "except InputError:\n"
              "    print('torch' in sys.modules, 'sentence_transformers' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]
