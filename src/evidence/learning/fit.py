"""Fitting a head: the framework's own texts and the shipped no-evidence sentences as weak examples,
labelled units with full weight, the competency classifiers, the level classifier and its exemplars."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from evidence.config import NONE_EXAMPLES
from evidence.domain import NONE_LABEL, Framework, Polarity
from evidence.engine.cues import read_cues
from evidence.engine.embed import Embedder
from evidence.engine.levels import LevelExemplars
from evidence.evaluation.labelled import LabelledUnit
from evidence.learning.classifiers import EvidenceClassifier, LevelClassifier, LexicalClassifier, cue_features
from evidence.learning.head import TrainedHead, TrainingSummary, level_features
from evidence.learning.settings import DEFAULTS, TrainingSettings

if TYPE_CHECKING:
    from evidence.engine.analyzer import Analyzer

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def none_examples() -> tuple[str, ...]:
    """The shipped generic sentences that evidence nothing (package data: its absence is a packaging bug)."""
    try:
        text = NONE_EXAMPLES.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RuntimeError(f"{NONE_EXAMPLES} is missing: the package data of `evidence` is incomplete; "
                           "reinstall the package (training needs its no-evidence examples)") from exc
    return tuple(t for t in text.splitlines() if t.strip())


def framework_examples(framework: Framework) -> tuple[list[str], list[str], list[str | None]]:
    """The framework's own texts as weakly labelled examples: positive indicators label their competency
    (and level), negative ones label NONE (they earn no credit), level summaries label competency and level."""
    texts, labels, levels = [], [], []
    for comp, ind in framework.indicators:
        texts.append(ind.text)
        labels.append(comp.id if ind.polarity is Polarity.positive else NONE_LABEL)
        levels.append(ind.level if ind.polarity is Polarity.positive else None)
    for comp in framework.competencies:
        for level, summary in comp.level_summaries.items():
            texts.append(summary)
            labels.append(comp.id)
            levels.append(level)
    return texts, labels, levels


def fine_tuning_examples(framework: Framework, units: Sequence[LabelledUnit]) -> list[tuple[str, frozenset[str]]]:
    """What the encoder is fine-tuned on: labelled units with competencies, and the positive indicators."""
    examples = [(u.text, frozenset(u.competencies)) for u in units if u.competencies]
    examples += [(ind.text, frozenset({comp.id})) for comp, ind in framework.indicators
                 if ind.polarity is Polarity.positive]
    return examples


def fit_level_classifier(indicator_vectors: np.ndarray, indicator_texts: Sequence[str],
                         indicator_levels: Sequence[str], units: Sequence[LabelledUnit], unit_vectors: np.ndarray,
                         *, indicator_weight: float, C: float) -> LevelClassifier | None:
    """A level classifier on the framework's levelled indicators (weight ``indicator_weight``) and the
    units' gold levels (weight 1); None when fewer than two levels occur."""
    X = [level_features(v, t) for v, t in zip(indicator_vectors, indicator_texts, strict=True)]
    y, w = list(indicator_levels), [indicator_weight] * len(X)
    for vector, unit in zip(unit_vectors, units, strict=True):
        for level in unit.levels.values():
            X.append(level_features(vector, unit.text))
            y.append(level)
            w.append(1.0)
    if len(set(y)) < 2:
        return None
    return LevelClassifier(C=C).fit(np.array(X), y, sample_weight=np.array(w))


def level_exemplars(framework: Framework, units: Sequence[LabelledUnit], unit_vectors: np.ndarray) -> LevelExemplars:
    """The units' gold levels as :class:`LevelExemplars` (``unit_vectors``: the units' packaged-encoder vectors)."""
    comp_index = {c.id: i for i, c in enumerate(framework.competencies)}
    rank_of = {lv.id: i for i, lv in enumerate(framework.levels)}
    rows = [(i, comp_index[c], rank_of[level]) for i, u in enumerate(units) for c, level in u.levels.items()]
    return LevelExemplars(vectors=np.asarray(unit_vectors, dtype=np.float32)[[i for i, _, _ in rows]],
                          competencies=np.array([c for _, c, _ in rows], dtype=np.int32),
                          ranks=np.array([r for _, _, r in rows], dtype=np.int32))


def classifier_trust(units: int, half_way: int = DEFAULTS.trust_half_way, *,
                     settings: TrainingSettings = DEFAULTS) -> float:
    """The classifier's weight against the zero-shot probabilities for a head fitted on ``units`` labelled
    units: units/(units + ``half_way``), and at least ``settings.first_trust`` from
    ``settings.first_trust_units`` units on (see :class:`~evidence.learning.settings.TrainingSettings`)."""
    trust = units / (units + half_way)
    return max(trust, settings.first_trust) if units >= settings.first_trust_units else trust


def fit_head(analyzer: Analyzer, units: Sequence[LabelledUnit], *,
             indicator_weight: float = DEFAULTS.indicator_weight, C: float = DEFAULTS.embedding_c,
             level_C: float = DEFAULTS.level_c, lexical_weight: float = DEFAULTS.lexical_weight,
             encoder: Embedder | None = None, trust_half_way: int = DEFAULTS.trust_half_way,
             settings: TrainingSettings = DEFAULTS, base: TrainedHead | None = None) -> TrainedHead:
    """Fit the competency and level classifiers for ``analyzer.framework`` on labelled units plus the
    framework's indicators (weight ``indicator_weight``) and the shipped no-evidence sentences.
    ``lexical_weight``: the lexical classifier's share of the learned probabilities (0: not fitted).

    ``encoder``: an :class:`~evidence.engine.embed.Embedder` over a fine-tuned encoder whose vectors the
    competency classifier reads instead of the analyzer's (see :func:`evidence.learning.train.train_head`).

    ``base``: a head to train on top of (a built-in framework's shipped head, see
    :func:`evidence.learning.train.base_head`): the classifiers are blended into its probabilities instead of
    zero-shot's, weighing as the units do against the ones it learned from; its level classifier and blend give
    the learned level, and its levelled units vote beside these. It must read the packaged encoder, as the
    new classifiers then do."""
    if base is not None and (base.fine_tuned_encoder or encoder is not None):
        raise ValueError("a head is trained on top of another only where both read the packaged encoder")
    started = time.perf_counter()
    fw: Framework = analyzer.framework
    ind_texts, ind_labels, ind_levels = framework_examples(fw)
    none_texts = list(none_examples())
    unit_texts = [u.text for u in units]
    texts = ind_texts + none_texts + unit_texts
    cues = [read_cues(t) for t in texts]
    vectors, layered = analyzer.embedder.encode_with_layers(texts)
    # the encoder is fine-tuned to tell competencies apart, not levels: levels keep the packaged vectors
    competency_encoder = encoder if encoder is not None else analyzer.embedder
    competency_vectors = encoder.encode_with_layers(texts)[1] if encoder is not None else layered
    n_ind = len(ind_texts)
    labels = ind_labels + [NONE_LABEL] * len(none_texts) + [u.competencies[0] if u.competencies else NONE_LABEL
                                                            for u in units]
    weights = np.array([indicator_weight] * (n_ind + len(none_texts)) + [1.0] * len(units), dtype=np.float32)
    # a unit with several gold competencies adds one extra example per further competency
    extra = [(i, c) for i, u in enumerate(units) for c in u.competencies[1:]]
    offset = n_ind + len(none_texts)
    X = np.hstack([competency_vectors, cue_features(cues)])
    example_texts = list(texts)
    if extra:
        X = np.vstack([X, X[[offset + i for i, _ in extra]]])
        example_texts += [unit_texts[i] for i, _ in extra]
        labels += [c for _, c in extra]
        weights = np.concatenate([weights, np.ones(len(extra), dtype=np.float32)])
    classifier = EvidenceClassifier(C=C).fit(X, labels, sample_weight=weights)
    lexical = LexicalClassifier().fit(example_texts, labels, sample_weight=weights) if lexical_weight > 0 else None

    levelled = [i for i, level in enumerate(ind_levels) if level]
    level_classifier = None if base is not None else fit_level_classifier(
        vectors[levelled], [texts[i] for i in levelled], [level for level in ind_levels if level], units,
        vectors[offset:],
        indicator_weight=indicator_weight, C=level_C)
    exemplars = level_exemplars(fw, units, vectors[offset:])
    if base is not None and base.level_exemplars is not None:
        exemplars = LevelExemplars(vectors=np.vstack([base.level_exemplars.vectors, exemplars.vectors]),
                                   competencies=np.concatenate([base.level_exemplars.competencies,
                                                                exemplars.competencies]),
                                   ranks=np.concatenate([base.level_exemplars.ranks, exemplars.ranks]))
    if base is None:
        trust = classifier_trust(len(units), trust_half_way, settings=settings)
    else:  # as much as the units weigh against those the base learned from
        learned_from = base.summary.corrections if base.summary is not None else trust_half_way
        trust = len(units) / (len(units) + max(learned_from, 1))
    levelled_examples = len(levelled) + sum(len(u.levels) for u in units)
    summary = TrainingSummary(examples=len(labels), corrections=len(units), indicator_examples=n_ind,
                              none_examples=len(none_texts) + sum(1 for u in units if not u.competencies),
                              competencies=len(set(labels) - {NONE_LABEL}), levelled_examples=levelled_examples,
                              seconds=round(time.perf_counter() - started, 2))
    logger.info("trained head for %s: %s", fw.id, summary)
    return TrainedHead(framework_id=fw.id, competency_ids=[c.id for c in fw.competencies], classifier=classifier,
                       lexical=lexical, lexical_weight=lexical_weight if lexical is not None else 0.0,
                       level_classifier=level_classifier, level_ranks={lv.id: i for i, lv in enumerate(fw.levels)},
                       level_exemplars=exemplars, level_blend=base.level_blend if base is not None else 0.5,
                       summary=summary, trust=trust, base=base,
                       fine_tuned_encoder=encoder is not None, layered=competency_encoder.layer_features > 0,
                       encoder_path=encoder.model_path if encoder is not None else None, encoder=encoder)
