"""What the store hands out: plain values, detached from any session, and the store's one clock and error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from evidence.domain import ZERO_SHOT, Cues, DocumentAnalysis, Suggestion
from evidence.errors import EvidenceError

UNDO = "undo"  # the decision kind that revokes an earlier decision
SKIP = "skip"  # an assessor passed over a unit for now: it goes to the end of their queue and counts as no review
FLAG = "flag"  # an assessor sent a unit to moderation with a comment, instead of deciding it
MODERATION = "moderation"  # a moderator's settlement: its ``settled_kind`` and label are the unit's label


class StoreError(EvidenceError):
    """A store operation that cannot be done as asked (unknown unit, reused key, bad decision)."""


def aware(value: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; everything is stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class BatchPolicy:
    """How a batch is assessed, set by an admin (:meth:`~evidence.store.Store.set_batch_policy`).

    ``reviewers_per_unit``: independent assessors' decisions each unit needs (1 to 3). ``hide_suggestions``: the
    share of units (0 to 1, chosen per unit deterministically: :func:`evidence.review.policy.suggestion_hidden`)
    whose model suggestion an assessor sees only after deciding. ``chunked``: one competency across all
    applicants at a time, applicants in a random order per assessor. ``moderator``: who settles disagreements
    besides the admins (None: admins only).
    """

    reviewers_per_unit: int = 1
    hide_suggestions: float = 0.0
    chunked: bool = False
    moderator: str | None = None


@dataclass(frozen=True)
class BatchInfo:
    id: int
    name: str
    framework_id: str
    framework_hash: str
    role_id: str | None
    blind: bool
    model_version: str
    created_by: str
    created_at: datetime
    documents: int
    policy: BatchPolicy = BatchPolicy()


@dataclass(frozen=True)
class StoredDocument:
    """A screened document. Unit offsets in ``analysis`` point into :attr:`shown_text`."""

    id: int
    batch_id: int
    external_id: str  # in a blind batch, the pseudonym reviewers see
    name: str  # the applicant's name; blind pages never show it
    text: str
    redacted_text: str | None
    analysis: DocumentAnalysis
    source: str = ""  # the file or table row it came from
    original_id: str | None = None  # a blind batch's: the id before the pseudonym

    @property
    def shown_text(self) -> str:
        return self.redacted_text if self.redacted_text is not None else self.text


@dataclass(frozen=True)
class Identity:
    """Who a document of a blind batch is: kept beside the original text, never shown in a blind view."""

    id: str  # the id it had before its pseudonym
    source: str = ""  # the file or table row it came from
    name: str = ""


@dataclass(frozen=True)
class QueueItem:
    """One unit waiting for review, with its neighbours for context and its suggestions, best first."""

    unit_id: int
    batch_id: int
    document_id: int
    document: str  # the document's external id
    framework_id: str
    index: int
    text: str
    start: int
    end: int
    cues: Cues
    suggestions: list[Suggestion]
    before: str = ""
    after: str = ""
    priority: float | None = None  # the stored review order (higher: sooner); None: not computed
    # the batch's policy hides the model's suggestions of this unit until the assessor has decided it
    # (``suggestions`` is then empty; evidence.review.queue)
    suggestion_hidden: bool = False


@dataclass(frozen=True)
class Claim:
    """A reviewer's hold on a unit of the review queue: no other reviewer is handed it until ``expires_at``."""

    unit_id: int
    reviewer: str
    claimed_at: datetime
    expires_at: datetime


# The label a decision carries, under the same names in the decisions table, DecisionRecord and
# Correction: one list, so an undo, a record and a correction copy them without naming each one.
LABEL_FIELDS = ("competency", "level", "suggested_competency", "suggested_level", "suggested_score", "model_version")


@dataclass(frozen=True)
class DecisionRecord:
    """One row of the decision log. Every field but ``created`` is a column of the decisions table."""

    id: int
    key: str
    unit_id: int
    reviewer: str
    kind: str  # a DecisionKind value, or "undo"
    decided_at: datetime
    competency: str | None = None
    level: str | None = None
    suggested_competency: str | None = None
    suggested_level: str | None = None
    suggested_score: float | None = None
    model_version: str = ZERO_SHOT
    revokes: int | None = None
    comment: str | None = None
    settled_kind: str | None = None  # a moderation's outcome: the DecisionKind value it settles the unit on
    suggestion_hidden: bool = False  # the assessor decided without seeing the model's suggestion
    created: bool = True  # False when the key had already been recorded (an idempotent retry)


@dataclass(frozen=True)
class Agreement:
    """How reviewers' current decisions agree with the model and with each other."""

    decided: int = 0  # current decisions (all reviewers)
    accepted: int = 0
    rejected: int = 0
    relabelled: int = 0
    no_evidence: int = 0
    multi_reviewed_units: int = 0  # units decided by two or more reviewers
    agreeing_units: int = 0  # ... of which every reviewer gave the same label
    by_reviewer: dict[str, int] = field(default_factory=dict)

    @property
    def model_agreement(self) -> float | None:
        """Reviewer vs model: the share of decisions that accepted the suggestion."""
        return self.accepted / self.decided if self.decided else None

    @property
    def reviewer_agreement(self) -> float | None:
        """Reviewer vs reviewer: the share of multiply-reviewed units on which all reviewers agree."""
        return self.agreeing_units / self.multi_reviewed_units if self.multi_reviewed_units else None


@dataclass(frozen=True)
class ModerationItem:
    """A unit waiting for a moderator: its assessors disagree, or one flagged it. ``opinions`` are the current
    decisions (each assessor's latest, not undone), ``flags`` the current flags with their comments."""

    item: QueueItem
    reasons: tuple[str, ...]  # "disagreement" and/or "flagged"
    opinions: list[DecisionRecord]
    flags: list[DecisionRecord]


@dataclass(frozen=True)
class UnitDecisions:
    """Where one unit stands: each assessor's current decision (``opinions``: their latest, not undone), the
    current flags (with their comments) and the moderator's settlement, if any (its ``settled_kind`` and label
    are the unit's label for training and reports; the opinions stay in the log)."""

    unit_id: int
    opinions: list[DecisionRecord]
    flags: list[DecisionRecord]
    settlement: DecisionRecord | None = None


@dataclass(frozen=True)
class AuditRecord:
    """One record of the audit trail (:mod:`evidence.store.audit`)."""

    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    payload: dict[str, object]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditCheck:
    """The result of :meth:`~evidence.store.Store.verify_audit`: ``broken_seq`` is the first record that does not
    chain (None when the chain is intact) and ``problem`` says how."""

    records: int
    broken_seq: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_seq is None


QueueOrder = Callable[[list[QueueItem]], list[QueueItem]]
"""A whole-queue ordering, passed by the caller (review policy: uncertainty, or active learning scoring all
waiting units together). The store itself returns the queue in document order."""
