"""Contrastive fine-tuning of the sentence encoder on a framework's labelled texts (SetFit-style).

The pretrained encoder places texts of competencies that share vocabulary (team working,
networking, customer focus) close together. Training on (text, another text of the same
competency) pairs with MultipleNegativesRankingLoss pulls each labelled unit toward its
competency and away from the other competencies in its batch. A head trained on the
fine-tuned vectors then separates competencies that frozen vectors mix up: on the Community Link
Worker gold set, top-1 rose from 0.54 to 0.64 (``bench/results/setfit_experiment.md``).

Batches never hold two pairs that share a competency, so every in-batch negative is a true one.
Training is bounded by ``max_pairs``, which keeps a retrain on a 2-core CPU around a minute
however many corrections there are: with more examples, each gets fewer pairs.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evidence.engine.encoder import embedding_model_path, offline_transformers
from evidence.errors import InputError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FineTuneSettings:
    """``max_pairs``: the training budget in (anchor, positive) pairs; ``pairs_per_example``: the most
    pairs one example anchors; ``batch_size``: pairs per step (capped by the number of competencies)."""

    pairs_per_example: int = 4
    max_pairs: int = 448
    batch_size: int = 8
    learning_rate: float = 2e-5
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("pairs_per_example", "max_pairs", "batch_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"FineTuneSettings.{name} must be at least 1, got {getattr(self, name)}")
        if not 0.0 < self.learning_rate < 1.0:
            raise ValueError(f"FineTuneSettings.learning_rate must lie in (0, 1), got {self.learning_rate}")


Example = tuple[str, frozenset[str]]  # a text and the competencies it evidences


def contrastive_batches(examples: Sequence[Example], settings: FineTuneSettings) -> list[list[tuple[str, str]]]:
    """(anchor, positive) pairs in batches where no two pairs share a competency."""
    rng = random.Random(settings.seed)
    by_label: dict[str, list[int]] = {}
    for i, (_, labels) in enumerate(examples):
        for label in labels:
            by_label.setdefault(label, []).append(i)
    per_example = max(1, min(settings.pairs_per_example, settings.max_pairs // max(1, len(examples))))
    pairs: list[tuple[str, str, frozenset[str]]] = []
    for i, (text, labels) in enumerate(examples):
        partners = sorted({j for label in labels for j in by_label[label] if j != i})
        for j in rng.sample(partners, min(per_example, len(partners))):
            pairs.append((text, examples[j][0], labels | examples[j][1]))
    rng.shuffle(pairs)
    pairs = pairs[:settings.max_pairs]
    batch_size = max(2, min(settings.batch_size, len(by_label)))
    batches, pending = [], pairs
    while pending:
        batch: list[tuple[str, str]] = []
        used: set[str] = set()
        rest = []
        for pair in pending:
            if len(batch) < batch_size and not (pair[2] & used):
                batch.append((pair[0], pair[1]))
                used |= pair[2]
            else:
                rest.append(pair)
        batches.append(batch)
        pending = rest
    return [b for b in batches if len(b) > 1]  # a lone pair has no negatives to learn from


def fine_tune_encoder(examples: Sequence[Example], out: Path, *, base: str | None = None,
                      settings: FineTuneSettings | None = None) -> Path:
    """Fine-tune the encoder at ``base`` (default: the packaged one) on ``examples``; save it to ``out``."""
    settings = settings or FineTuneSettings()
    started = time.perf_counter()
    # checked before torch and sentence-transformers are imported (seconds): bad input fails at once
    batches = contrastive_batches(examples, settings)
    if not batches:
        raise InputError("fine-tuning the encoder needs labelled units of at least two competencies, two texts "
                         "each (the framework's indicators count); label more units, or train with --encoder frozen")
    offline_transformers()
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.losses import MultipleNegativesRankingLoss  # the 5.x and 6.x path

    torch.manual_seed(settings.seed)
    # a fresh copy: the cached, shared model must stay the pretrained one
    model = SentenceTransformer(base or str(embedding_model_path()), device="cpu")
    loss = MultipleNegativesRankingLoss(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=settings.learning_rate, weight_decay=0.01)
    total, warmup = len(batches), max(1, len(batches) // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup))))
    model.train()
    for batch in batches:
        features = [model.preprocess([a for a, _ in batch]), model.preprocess([p for _, p in batch])]
        loss(features, None).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
    model.eval()
    out.mkdir(parents=True, exist_ok=True)
    model.save(str(out))
    logger.info("fine-tuned the encoder on %d pairs in %d steps (%.0f s) -> %s",
                sum(len(b) for b in batches), total, time.perf_counter() - started, out)
    return out

