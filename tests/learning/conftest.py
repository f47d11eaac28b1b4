"""The tiny three-topic framework and seeded labelled units the learning tests train on."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from evidence.domain import Framework
from evidence.frameworks.catalogue import get_framework, store_imported
from evidence.frameworks.interchange import import_framework

TOPICS = {
    "budgeting": ["balanced the budget", "cut spending on agency staff", "tracked invoices against the forecast",
                  "found savings in the supplies contract", "reported the monthly spend to the board"],
    "coaching": ["coached a new colleague", "gave feedback to a trainee after each shift",
                 "mentored two apprentices", "ran practice sessions for the new starters",
                 "helped a colleague prepare for her interview"],
    "safeguarding": ["reported a safeguarding concern", "made a referral to adult social care",
                     "checked the DBS status of volunteers", "followed the child protection procedure",
                     "raised an alert about a vulnerable client"],
}
OPENERS = ["Last year I", "In my current job I", "At the food bank I", "Every week I", "During the audit I",
           "When we were short staffed I"]


def tiny_table(tmp_path: Path) -> Path:
    """Three competencies whose indicators are worded alike: zero-shot cannot tell them apart, training can."""
    rows = ["competency,indicator,level"]
    for topic in TOPICS:
        rows += [f"{topic.capitalize()},Carries out the routine tasks of this area,1",
                 f"{topic.capitalize()},Leads and improves this area for others,2"]
    path = tmp_path / "tiny.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def labelled_csv(tmp_path: Path, name: str, *, seed: int, wrong: bool = False, n: int = 36) -> Path:
    """Seeded synthetic units; the level follows the phrase (its first three are level 1, the rest level 2)."""
    rng = random.Random(seed)
    topics = list(TOPICS)
    lines = ["text,competency,level"]
    for i in range(n):
        topic = topics[i % 3]
        label = topics[(i + 1) % 3] if wrong else topic
        phrase = rng.randrange(len(TOPICS[topic]))
        text = f"{rng.choice(OPENERS)} {TOPICS[topic][phrase]} ({i})"
        lines.append(f"{text},{label},{'1' if phrase < 3 else '2'}")
    lines += [f"I applied because I like the area ({i}),NONE," for i in range(4)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def tiny(fresh_home: Path, tmp_path: Path) -> Framework:
    fw = import_framework(tiny_table(tmp_path), framework_id="tiny", name="Tiny")
    store_imported(fw)
    return get_framework("tiny")
