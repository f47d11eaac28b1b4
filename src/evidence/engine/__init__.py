"""The zero-shot engine: documents in, explained suggestions and assessments out.

segment (units) -> cues -> encoder/embed (vectors) -> match + calibration (competency scores) -> levels
-> assess (evidence per competency, coverage of a role), tied together by :class:`~evidence.engine.analyzer.Analyzer`.
A trained head (see :mod:`evidence.engine.head`) plugs in behind a Protocol; the engine never fits one.
"""
