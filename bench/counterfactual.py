"""Counterfactual test of the engine: the same statements with gendered words swapped, or the applicant's name
replaced by names of different origins, should get the same suggestions and scores.

    .venv/bin/python bench/counterfactual.py [--frameworks ID ...]

Inputs (nothing from the test split is read):

* the sample batch, src/evidence/data/samples/clw-applications.csv (24 statements, Community Link Worker
  role): each statement with its gendered words swapped, and with the applicant's name (full name, first
  name, surname, wherever the statement repeats them, e-mail addresses included) replaced by each of
  NAMES (seven origins, a female and a male name each);
* every unit of data/gold/dev/<framework>.csv holding a gendered word, swapped, for each built-in framework.

Swaps: he/she, him/her, his/her, hers/his, himself/herself and the gendered nouns of GENDERED (man/woman,
husband/wife, ...); "her" and "his" are told apart as determiner or pronoun by spaCy's tagger (the project's
packaged pipeline), and case is kept.

Each text is analysed by the real engine, zero-shot and with the framework's shipped model version where
there is one. Per unit whose text changed: whether its top suggestion (competency, or no suggestion)
changed, whether its level changed (same competency), and the absolute change of its score; per statement,
the absolute change of the overall match to the role. The tolerance (TOLERANCE) was fixed before the first
run. Prints the figures; writes bench/results/counterfactual.json and .md, and the per-model summary the
model cards read, src/evidence/data/counterfactual.json.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from evidence.config import PACKAGE_DATA_DIR, SAMPLE_BATCH, VERSION
from evidence.domain import ZERO_SHOT, Document, DocumentAnalysis, UnitAnalysis
from evidence.engine.analyzer import Analyzer
from evidence.engine.embed import Embedder
from evidence.engine.nlp import load_spacy_parser
from evidence.frameworks.catalogue import get_framework
from evidence.io.redact import redact
from evidence.learning.registry import promoted_version, resolve_model

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "data" / "gold" / "dev"
RESULTS = REPO / "bench" / "results"
CARD_DATA = PACKAGE_DATA_DIR / "counterfactual.json"
SAMPLE_FRAMEWORK = SAMPLE_ROLE = "community-link-worker"
COMMAND = ".venv/bin/python bench/counterfactual.py"
# Fixed before the first run: a score is a calibrated probability shown to reviewers in whole percent, and a
# change of 5 points or less does not move a suggestion past another one that is more than 5 points apart.
TOLERANCE = 0.05
EXAMPLES = 3  # changed top suggestions kept per check, to show what moved

PRONOUNS = {"he": "she", "she": "he", "him": "her", "himself": "herself", "herself": "himself", "hers": "his"}
GENDERED = {
    "man": "woman", "men": "women", "boy": "girl", "boys": "girls", "father": "mother", "fathers": "mothers",
    "dad": "mum", "dads": "mums", "mom": "dad", "husband": "wife", "husbands": "wives", "son": "daughter",
    "sons": "daughters", "brother": "sister", "brothers": "sisters", "uncle": "aunt", "uncles": "aunts",
    "nephew": "niece", "nephews": "nieces", "grandfather": "grandmother", "grandson": "granddaughter",
    "grandsons": "granddaughters", "grandad": "grandma", "granddad": "grandma", "gentleman": "lady",
    "gentlemen": "ladies", "mr": "mrs", "mr.": "mrs.", "sir": "madam", "male": "female", "boyfriend": "girlfriend",
    "chairman": "chairwoman", "spokesman": "spokeswoman", "widower": "widow", "fiance": "fiancee",
    "stepfather": "stepmother", "stepson": "stepdaughter", "lad": "lass", "lads": "lasses", "king": "queen",
}
GENDERED |= {v: k for k, v in list(GENDERED.items()) if v not in GENDERED}
# One common female and male name for each origin; a short list, so a name-specific effect outside it is unseen.
NAMES = {
    "English": ("Emily Clarke", "James Turner"),
    "Indian": ("Priya Sharma", "Arjun Patel"),
    "Pakistani": ("Ayesha Khan", "Imran Hussain"),
    "Nigerian": ("Chiamaka Okafor", "Oluwaseun Adeyemi"),
    "Chinese": ("Mei Chen", "Wei Zhang"),
    "Polish": ("Agnieszka Kowalska", "Piotr Nowak"),
    "Arabic": ("Fatima Al-Hassan", "Omar Haddad"),
}
WORD = re.compile(r"[A-Za-z]+")


def _cased(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def gender_swap(texts: list[str]) -> list[str]:
    """Each text with its gendered words swapped (her -> his or him by its tag, case kept)."""
    nlp = load_spacy_parser()
    out = []
    for doc in nlp.pipe(texts, batch_size=64):
        pieces = []
        for token in doc:
            low = token.text.lower()
            if low == "her":
                new = "his" if token.tag_ == "PRP$" else "him"
            elif low == "his":
                new = "her" if token.tag_ == "PRP$" else "hers"
            else:
                new = PRONOUNS.get(low) or GENDERED.get(low) or token.text
            pieces.append((_cased(new, token.text) if new != token.text else new) + token.whitespace_)
        out.append("".join(pieces))
    return out


def rename(text: str, name: str, new: str) -> str:
    """``text`` with the full name, then the first name and surname alone, replaced by ``new``'s (case kept)."""
    first, *_, last = name.split()
    new_first, *_, new_last = new.split()
    for old, rep in ((name, new), (first, new_first), (last, new_last)):
        text = re.sub(rf"\b{re.escape(old)}\b", lambda m, rep=rep: rep.lower() if m.group().islower() else rep,
                      text, flags=re.IGNORECASE)
    return text


class Tally:
    """Differences between the analyses of originals and their variants."""

    def __init__(self) -> None:
        self.units = self.top_changed = self.level_compared = self.level_changed = self.segmentation = 0
        self.clear_changes = self.abstention_flips = 0
        self.score_changes: list[float] = []
        self.match_changes: list[float] = []
        self.documents = 0
        self.examples: list[dict] = []

    def add(self, original: DocumentAnalysis, variant: DocumentAnalysis) -> None:
        self.documents += 1
        if original.match is not None and variant.match is not None:
            self.match_changes.append(abs(original.match - variant.match))
        if len(original.units) != len(variant.units):
            self.segmentation += 1
            return
        for a, b in zip(original.units, variant.units, strict=True):
            if a.unit.text == b.unit.text:
                continue
            self.units += 1
            top_a, top_b = _top(a), _top(b)
            if (top_a and top_a.competency) != (top_b and top_b.competency):
                self.top_changed += 1
                if top_a is None or top_b is None:
                    self.abstention_flips += 1
                else:  # a flip between two competencies the original scored within the tolerance is a near tie
                    rival = next((s.score for s in a.suggestions if s.competency == top_b.competency), 0.0)
                    self.clear_changes += top_a.score - rival > TOLERANCE
                if len(self.examples) < EXAMPLES:
                    self.examples.append({"before": a.unit.text, "after": b.unit.text,
                                          "top_before": _shown(top_a), "top_after": _shown(top_b)})
            elif top_a and top_b:
                self.score_changes.append(abs(top_a.score - top_b.score))
                if top_a.level is not None or top_b.level is not None:
                    self.level_compared += 1
                    self.level_changed += top_a.level != top_b.level

    def summary(self) -> dict:
        scores, matches = self.score_changes, self.match_changes
        return {
            "documents": self.documents, "units_changed_text": self.units,
            "segmentation_changed": self.segmentation,
            "top_changed": self.top_changed / self.units if self.units else None,
            "top_changed_units": self.top_changed, "top_changed_clear_units": self.clear_changes,
            "abstention_flips": self.abstention_flips,
            "level_changed": self.level_changed / self.level_compared if self.level_compared else None,
            "level_compared_units": self.level_compared, "level_changed_units": self.level_changed,
            "score_abs_change_mean": statistics.fmean(scores) if scores else None,
            "score_abs_change_max": max(scores, default=None),
            "score_beyond_tolerance": sum(s > TOLERANCE for s in scores) / len(scores) if scores else None,
            "match_abs_change_mean": statistics.fmean(matches) if matches else None,
            "match_abs_change_max": max(matches, default=None), "examples": self.examples,
        }


def _top(ua: UnitAnalysis):  # noqa: ANN202 - a Suggestion or None
    return ua.suggestions[0] if ua.suggestions else None


def _shown(suggestion) -> str:  # noqa: ANN001 - a Suggestion or None
    if suggestion is None:
        return "no suggestion"
    return f"{suggestion.competency} {suggestion.level or ''} {suggestion.score:.2f}".replace("  ", " ")


def measure(analyzer: Analyzer, originals: list[Document], variants: dict[str, list[Document]],
            role_id: str | None) -> dict[str, dict]:
    """Per variant kind, the tally of its documents against the originals (same order)."""
    role = analyzer.framework.role(role_id) if role_id else None
    base = list(analyzer.analyse(originals, role=role))
    out = {}
    for kind, documents in variants.items():
        tally = Tally()
        for index, analysis in enumerate(analyzer.analyse(documents, role=role)):
            tally.add(base[index % len(base)], analysis)
        out[kind] = tally.summary()
    return out


def pooled(checks: dict[str, dict]) -> dict:
    """One figure per model across its checks (units and documents pooled)."""
    units = sum(c["units_changed_text"] for c in checks.values())
    changed = sum(c["top_changed_units"] for c in checks.values())
    clear = sum(c["top_changed_clear_units"] for c in checks.values())
    flips = sum(c["abstention_flips"] for c in checks.values())
    levels = sum(c["level_compared_units"] for c in checks.values())
    level_changed = sum(c["level_changed_units"] for c in checks.values())
    weights = [(c["score_abs_change_mean"], c["units_changed_text"] - c["top_changed_units"])
               for c in checks.values() if c["score_abs_change_mean"] is not None]
    maxima = [c["score_abs_change_max"] for c in checks.values() if c["score_abs_change_max"] is not None]
    matches = [c["match_abs_change_max"] for c in checks.values() if c["match_abs_change_max"] is not None]
    score_max = max(maxima, default=None)
    return {
        "units": units, "top_changed": changed / units if units else None, "top_changed_units": changed,
        "top_changed_clear": clear / units if units else None, "abstention_flips": flips,
        "level_changed": level_changed / levels if levels else None, "level_compared_units": levels,
        "score_abs_change_mean": sum(m * w for m, w in weights) / sum(w for _, w in weights) if weights else None,
        "score_abs_change_max": score_max, "match_abs_change_max": max(matches, default=None),
        "within_tolerance": changed == 0 and level_changed == 0 and (score_max or 0.0) <= TOLERANCE
                            and max(matches, default=0.0) <= TOLERANCE,
    }


def sample_inputs() -> tuple[list[Document], dict[str, list[Document]]]:
    frame = pd.read_csv(SAMPLE_BATCH, dtype=str, keep_default_na=False)
    originals = [Document(id=r.id, text=r.text, name=r.name) for r in frame.itertuples()]
    swapped = gender_swap([d.text for d in originals])
    variants = {"statements: gender swapped": [d.model_copy(update={"text": t}) for d, t in zip(originals, swapped,
                                                                                               strict=True)]}
    variants["statements: names of 7 origins"] = [
        d.model_copy(update={"text": rename(d.text, d.name, new), "id": f"{d.id}-{new}"})
        for pair in NAMES.values() for new in pair for d in originals]
    return originals, variants


def blind_inputs(originals: list[Document], renamed: list[Document]
                 ) -> tuple[list[Document], dict[str, list[Document]]]:
    """The name check as blind review runs it: every text redacted (evidence.io.redact) with its own name given,
    as the Screen page does with the batch's name column, before the analysis."""
    by_id = {d.id: d for d in originals}
    blind = [d.model_copy(update={"text": redact(d.text, names=[d.name], hints=[d.id]).text}) for d in originals]
    variants = []
    for d in renamed:
        original = by_id[d.id.split("-", 1)[0]]
        new = d.id.split("-", 1)[1]
        variants.append(d.model_copy(update={"text": redact(d.text, names=[new], hints=[original.id]).text}))
    return blind, {"statements: names of 7 origins, blind review": variants}


def dev_inputs(framework_id: str) -> tuple[list[Document], dict[str, list[Document]]]:
    """The dev units of a framework holding a gendered word (those the swap changes), as one-unit documents."""
    texts = list(dict.fromkeys(pd.read_csv(DEV / f"{framework_id}.csv", dtype=str, keep_default_na=False)["text"]))
    swapped = gender_swap(texts)
    pairs = [(t, s) for t, s in zip(texts, swapped, strict=True) if s != t]
    originals = [Document(id=f"u{i}", text=t) for i, (t, _) in enumerate(pairs)]
    return originals, {"dev units: gender swapped": [Document(id=f"u{i}", text=s) for i, (_, s) in enumerate(pairs)]}


def run(framework_ids: list[str], say: Callable[[str], None]) -> dict:
    models = []
    sample = sample_inputs()
    for framework_id in framework_ids:
        framework = get_framework(framework_id)
        zero = Analyzer(framework, embedder=Embedder(memo_size=50_000))
        versions = [ZERO_SHOT] + ([promoted_version(framework_id)] if promoted_version(framework_id) != ZERO_SHOT
                                  else [])
        dev = dev_inputs(framework_id)
        for version in versions:
            head, _ = resolve_model(framework, version)
            analyzer = zero.with_head(head, version)
            started = time.perf_counter()
            checks = measure(analyzer, *dev, role_id=None)
            if framework_id == SAMPLE_FRAMEWORK:
                checks |= measure(analyzer, *sample, role_id=SAMPLE_ROLE)
                checks |= measure(analyzer, *blind_inputs(sample[0], sample[1]["statements: names of 7 origins"]),
                                  role_id=SAMPLE_ROLE)
            model = {"framework": framework_id, "framework_hash": framework.content_hash, "model_version": version,
                     "checks": checks, "summary": pooled(checks)}
            models.append(model)
            s = model["summary"]
            say(f"{framework_id:<24}{version:<24}{s['units']:>6} units  top changed {_pct(s['top_changed'])}  "
                f"level changed {_pct(s['level_changed'])}  score change mean {_num(s['score_abs_change_mean'])} "
                f"max {_num(s['score_abs_change_max'])}  match change max {_num(s['match_abs_change_max'])}  "
                f"({time.perf_counter() - started:.0f} s)")
    return {"measured_at": datetime.now(UTC).date().isoformat(), "command": COMMAND, "code_version": VERSION,
            "tolerance": TOLERANCE, "names": NAMES, "models": models}


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def markdown(results: dict) -> str:
    lines = ["# Counterfactual test of the engine", "",
             f"Measured {results['measured_at']} with `{results['command']}` (code {results['code_version']}). "
             f"Tolerance on a score or the overall match: {results['tolerance']}.", "",
             "Units changed: units whose text the swap changed (only those are compared). Top suggestion changed: "
             "all changes, then (in brackets) the count, the changes between two competencies the original scored "
             f"more than {results['tolerance']} apart, and the changes to or from no suggestion.", "",
             "| framework | model | check | units changed | top suggestion changed (n / clear / to-from none) | "
             "level changed | score change mean / max | match change max |", "|---|---|---|---:|---:|---:|---:|---:|"]
    for m in results["models"]:
        for check, c in m["checks"].items():
            lines.append(f"| {m['framework']} | {m['model_version']} | {check} | {c['units_changed_text']} | "
                         f"{_pct(c['top_changed'])} ({c['top_changed_units']} / {c['top_changed_clear_units']} / "
                         f"{c['abstention_flips']}) | {_pct(c['level_changed'])} | "
                         f"{_num(c['score_abs_change_mean'])} / {_num(c['score_abs_change_max'])} | "
                         f"{_num(c['match_abs_change_max'])} |")
    lines += ["", "## Examples of changed top suggestions", ""]
    for m in results["models"]:
        for check, c in m["checks"].items():
            for e in c["examples"][:1]:
                lines += [f"- {m['framework']} / {m['model_version']} / {check}: \"{e['before']}\" ({e['top_before']}) "
                          f"-> \"{e['after']}\" ({e['top_after']})"]
    lines += ["", "Names used: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in results["names"].items()) + ".", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frameworks", nargs="*", default=sorted(p.stem for p in DEV.glob("*.csv")))
    args = parser.parse_args()
    results = run(args.frameworks, lambda line: print(line, flush=True))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "counterfactual.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    (RESULTS / "counterfactual.md").write_text(markdown(results), encoding="utf-8")
    cards = {"measured_at": results["measured_at"], "command": results["command"], "tolerance": TOLERANCE,
             "names": sum(len(pair) for pair in NAMES.values()),
             "models": [{k: m[k] for k in ("framework", "framework_hash", "model_version", "summary")}
                        | {"checks": sorted(m["checks"])} for m in results["models"]]}
    CARD_DATA.write_text(json.dumps(cards, indent=1), encoding="utf-8")
    print(f"wrote {RESULTS / 'counterfactual.json'}, {RESULTS / 'counterfactual.md'} and {CARD_DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
