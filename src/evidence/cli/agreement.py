"""`evidence agreement`: how a batch's assessors agree with each other and with the model.

Cohen's kappa per assessor pair, Fleiss' kappa where three or more assessed the same units, Krippendorff's alpha
(ordinal) on levels, per competency and per assessor, each with the number of units it rests on
(:mod:`evidence.evaluation.agreement` on the batch's current decisions: :mod:`evidence.review.agreement`), and the
share of decisions naming the model's top competency, with the suggestion shown and hidden.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from evidence.cli._util import OutputOption, write_output


class AgreementFormat(str, Enum):
    json = "json"
    md = "md"


def agreement(
    batch: Annotated[str, typer.Option("--batch", metavar="NAME", help="The batch's name (the newest of that name).")],
    fmt: Annotated[AgreementFormat, typer.Option("--format")] = AgreementFormat.md,
    output: OutputOption = None,
) -> None:
    """Agreement between a batch's assessors (Cohen's and Fleiss' kappa, Krippendorff's alpha on levels, per
    competency and per assessor, with the units each rests on) and with the model."""
    from evidence.cli.batches import _not_found  # lazy: see the evidence.cli docstring
    from evidence.errors import NotFoundError
    from evidence.frameworks.catalogue import get_framework
    from evidence.io.limits import printable
    from evidence.review.agreement import agreement_markdown, batch_agreement
    from evidence.store import Store

    with Store.open() as store:
        found = store.find_batch(batch)
        if found is None:
            raise NotFoundError(_not_found(batch, [b.name for b in store.list_batches()]))
        result = batch_agreement(store, get_framework(found.framework_id), found.id)
    if fmt is AgreementFormat.json:
        write_output(json.dumps({"batch": found.name, **result.as_dict()}, indent=2, ensure_ascii=False), output)
    else:
        write_output(printable(agreement_markdown(result)), output)
