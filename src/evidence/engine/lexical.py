"""Lexical matching: BM25 over each competency's own words, to complement the dense encoder.

Dense similarity misses rare exact terms (a tool's name, "safeguarding", "PRINCE2"); BM25 catches
them. Scores are min-max normalised per unit so they can be blended with cosine similarities.
"""

from __future__ import annotations

import numpy as np


class LexicalIndex:
    """BM25 over one text per competency (its name and indicator texts)."""

    def __init__(self, documents: list[str]) -> None:
        import bm25s

        self._bm25s = bm25s
        self.size = len(documents)
        self.retriever = bm25s.BM25()
        self.retriever.index(bm25s.tokenize(documents, stopwords="en", show_progress=False), show_progress=False)

    def scores(self, queries: list[str]) -> np.ndarray:
        """queries x documents, each row scaled to [0, 1] (all zeros when no query word is indexed)."""
        out = np.zeros((len(queries), self.size), dtype=np.float32)
        tokenised = self._bm25s.tokenize(queries, stopwords="en", show_progress=False, return_ids=False)
        for i, tokens in enumerate(tokenised):
            if tokens:
                row = self.retriever.get_scores(tokens)
                low, high = float(row.min()), float(row.max())
                if high > low:
                    out[i] = (row - low) / (high - low)
        return out
