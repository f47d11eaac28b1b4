"""Learning from labelled units and reviewers' corrections: fitting, tuning, saving and promoting heads.

The classifiers (:mod:`~evidence.learning.classifiers`) are seeded with the framework's own indicators
as weakly labelled examples (and a shipped list of sentences that evidence nothing), so training works
from zero corrections; every correction then adds an example with full weight. Their blend is shrunk
toward the zero-shot matcher's probabilities (:mod:`~evidence.learning.head`).

From 50 labelled units on, :func:`~evidence.learning.train.train_head` can first fine-tune a copy of the
sentence encoder on them (:mod:`~evidence.learning.finetune`); the competency classifier then reads its
vectors, while the zero-shot matcher and the level classifier keep the packaged encoder's.

:func:`~evidence.learning.train.train_model` builds a head from ten or more labelled units, compares it with
the model in use (:mod:`~evidence.learning.compare`: on a held-out split when one would hold 50 units or more,
else by cross-validation over all of them, with the top-1 difference's 95% interval), and has
:mod:`~evidence.learning.registry` save it and promote it only when it is credibly better, or when forced.
This package imports the engine and evaluation, never the store or review.
"""
