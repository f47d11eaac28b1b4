"""Adverse impact of a score on self-declared groups, by New York City Local Law 144's method for scores.

The method (DCWP rules, 6 RCNY § 5-300 and § 5-301, for a tool that scores candidates):

* the *median* is the median score of **all** applicants scored (every document of the results that has a
  score, whether or not it has a row in the demographics file);
* a group's *scoring rate* is the share of its applicants whose score is **strictly above** that median (a
  score equal to the median is not above it);
* a group's *impact ratio* is its scoring rate divided by the highest scoring rate of a group in the same
  category; a ratio under 0.8 is *flagged* (a ratio of exactly 0.8 is not: ratios are compared as exact
  fractions of counts, never as rounded floats);
* a group of fewer than 2 % of the applicants audited (scored *and* in the demographics file) is marked
  *excluded* and listed. Following the rules' note that such a category may be left out "from the required
  calculations for impact ratio", an excluded group is never the comparison: the highest rate is taken over
  the groups that are not excluded. Its ratio against that rate is still given, for information, and it is
  never flagged. Where no group is left, or the highest rate is 0, ratios are ``None``;
* the same for every intersection of two categories (``sex`` x ``ethnicity``, ...), each pair of categories
  compared within itself.

Demographics are self-declared: a blank cell is "not declared", so that applicant is left out of that
category (and of the intersections with it), and each category says how many were. Ids found in one file
and not the other are counted, never named. Everything here works on frames already read: the callers
(the CLI, the app) read files and the store. Every problem with the inputs is reported at once.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from evidence.errors import InputError
from evidence.io.cells import neutralise_row
from evidence.io.limits import printable

SCORE = "score"  # the score column of a scores frame (beside "id")
ID = "id"
SHOWN_PROBLEMS = 5  # row numbers or ids named per problem; the rest are counted
# the notes on every report, for the people who read it
METHOD = ("scoring rate: share of a group's applicants scored strictly above the median of all applicants; "
          "impact ratio: scoring rate / highest scoring rate of a group (not excluded) in the category")


@dataclass(frozen=True)
class ImpactSettings:
    """The two thresholds of the method.

    ``flag_below``: the four-fifths rule (EEOC Uniform Guidelines, 29 CFR 1607.4(D)), the threshold
    Local Law 144 audits are read against. ``min_share``: the share of the applicants audited under which
    a group may be excluded from the impact ratio calculations (6 RCNY § 5-301, note).
    """

    flag_below: float = 0.8
    min_share: float = 0.02

    def __post_init__(self) -> None:
        problems = []
        if not 0 < self.flag_below <= 1:
            problems.append(f"flag_below must be in (0, 1], got {self.flag_below!r}")
        if not 0 <= self.min_share < 1:
            problems.append(f"min_share must be in [0, 1), got {self.min_share!r}")
        if problems:
            raise ValueError("; ".join(problems))


# -- inputs ----------------------------------------------------------------------------------------


def scores_frame(pairs: Iterable[tuple[str, float | None]]) -> pd.DataFrame:
    """A scores frame (``id``, ``score``; NaN where a document has no score) from (id, score) pairs."""
    rows = [(str(i), float(s) if s is not None else math.nan) for i, s in pairs]
    return pd.DataFrame(rows, columns=[ID, SCORE]).astype({ID: str, SCORE: float})


def scores_from_results(results: object, *, source: str = "results") -> pd.DataFrame:
    """The scores frame of the JSON that ``evidence analyse ... --role R --format json`` writes (already
    parsed): each document's ``id`` and overall ``match``. A list of documents (JSON lines read as a list)
    is taken as well. Raises :class:`InputError` listing every problem found."""
    documents = results.get("documents") if isinstance(results, dict) else results
    if not isinstance(documents, list):
        raise InputError(f"{source}: expected the JSON that `evidence analyse ... --role ROLE --format json` "
                         "writes (an object with a \"documents\" list); found "
                         f"{type(results).__name__}{' without documents' if isinstance(results, dict) else ''}")
    problems: list[str] = []
    no_id: list[int] = []
    bad_match: list[int] = []
    pairs: list[tuple[str, float | None]] = []
    for number, doc in enumerate(documents, start=1):
        if not isinstance(doc, dict) or not isinstance(doc.get("id"), str | int) or str(doc.get("id")).strip() == "":
            no_id.append(number)
            continue
        match = doc.get("match")
        if match is not None and (isinstance(match, bool) or not isinstance(match, int | float)
                                  or not math.isfinite(match)):
            bad_match.append(number)
            continue
        pairs.append((str(doc["id"]).strip(), match))
    if no_id:
        problems.append(f"{_count(no_id, 'document')} without an id (documents {_some(no_id)})")
    if bad_match:
        problems.append(f"{_count(bad_match, 'document')} whose \"match\" is not a number (documents "
                        f"{_some(bad_match)})")
    frame = scores_frame(pairs)
    repeated = sorted(set(frame.loc[frame[ID].duplicated(), ID]))
    if repeated:
        problems.append(f"{_count(repeated, 'id')} used by more than one document ({_some(repeated)}); "
                        "each applicant must appear once")
    if not documents:
        problems.append("there are no documents")
    elif pairs and frame[SCORE].isna().all():
        problems.append("no document has an overall match (\"match\" is null): analyse the statements against a "
                        "role, `evidence analyse PATH --framework ID --role ROLE --format json`")
    if problems:
        raise InputError(f"{source}: cannot be audited:\n" + "\n".join(f"  - {p}" for p in problems))
    return frame


def check_demographics(demographics: pd.DataFrame, *, id_column: str = ID, source: str = "demographics"
                       ) -> list[str]:
    """The category columns of a demographics table; raises :class:`InputError` listing every problem."""
    problems: list[str] = []
    columns = [str(c) for c in demographics.columns]
    if id_column not in columns:
        problems.append(f"no {id_column!r} column (the columns are: {', '.join(map(repr, columns)) or 'none'}); "
                        "name the id column with --id-column")
    categories = [c for c in columns if c != id_column]
    unnamed = [c for c in categories if not c.strip() or c.startswith("Unnamed:")]
    if unnamed:
        problems.append(f"{_count(unnamed, 'column')} without a name in the header row; give each category column "
                        "a name (sex, ethnicity, ...) or delete it")
    if not [c for c in categories if c not in unnamed]:
        problems.append("no category column besides the id: add one column per category (sex, ethnicity, ...)")
    if id_column in columns:
        ids = _text(demographics[id_column])
        blank = [i + 2 for i in range(len(ids)) if ids.iloc[i] == ""]  # + header row, 1-based
        if blank:
            problems.append(f"{_count(blank, 'row')} without an id (rows {_some(blank)})")
        twice = ids.duplicated(keep=False)
        repeated = [i + 2 for i in range(len(ids)) if ids.iloc[i] and twice.iloc[i]]
        if repeated:
            problems.append(f"{_count(repeated, 'row')} repeat an id used by another row (rows {_some(repeated)}); "
                            "each applicant must appear once")
    if demographics.empty:
        problems.append("the table has no rows")
    if problems:
        raise InputError(f"{source}: cannot be used as demographics:\n" + "\n".join(f"  - {p}" for p in problems))
    return [c for c in categories if c not in unnamed]


# -- the method ------------------------------------------------------------------------------------


def adverse_impact(scores: pd.DataFrame, demographics: pd.DataFrame, *, id_column: str = ID,
                   measure: str = "match", settings: ImpactSettings | None = None,
                   source: str = "demographics") -> dict:
    """The adverse impact report of ``scores`` (a :func:`scores_frame`) on ``demographics`` (an id column
    and one column per category, text cells, "" for not declared), as a JSON-ready dict:
    ``{"measure", "median", "categories": [{"category", "groups": [{"group", "n", "scoring_rate",
    "impact_ratio", "flagged", "excluded"}], ...}], "intersectional": {"groups": [{"group": [a, b],
    "categories": [x, y], ...}]}}`` plus the counts behind it. See the module docstring for the method."""
    settings = settings or ImpactSettings()
    categories = check_demographics(demographics, id_column=id_column, source=source)
    scored = scores.dropna(subset=[SCORE])
    if scored.empty:
        raise InputError(f"{measure}: no applicant has a score, so there is no median to compare with")
    median = float(scored[SCORE].median())
    # categories under keys of our own: a category may be called "score" or "id" without clashing
    keys = [f"category-{i}" for i in range(len(categories))]
    people = pd.DataFrame({ID: _text(demographics[id_column]),
                           **{key: _text(demographics[c]) for key, c in zip(keys, categories, strict=True)}})
    audited = people.merge(scored.assign(above=scored[SCORE] > median), on=ID, how="inner")
    if audited.empty:
        raise InputError(f"{source}: none of its {len(people)} ids is an applicant with a score in the results "
                         f"({len(scored)} scored); check that --id-column names the column holding the same ids "
                         "as the results")
    counts = {"results": int(len(scores)), "scored": int(len(scored)), "audited": int(len(audited)),
              "not_scored": int(len(scores) - len(scored))}
    known = set(scores[ID])
    unmatched = {"results_without_demographics": int(len(set(scored[ID]) - set(people[ID]))),
                 "demographics_without_results": int(len(set(people[ID]) - known)),
                 "demographics_without_score": int(len(set(people[ID]) & (known - set(scored[ID]))))}
    report: dict = {"measure": measure, "median": median, "applicants": counts, "unmatched_ids": unmatched,
                    "settings": {"flag_below": settings.flag_below, "min_share": settings.min_share},
                    "method": METHOD, "categories": [], "intersectional": {"groups": [], "pairs": []}}
    names = dict(zip(keys, categories, strict=True))
    for key in keys:
        declared = audited[audited[key] != ""]
        groups = _rate_groups(declared, [key], len(audited), settings)
        report["categories"].append({
            "category": names[key], "groups": groups, "not_declared": int(len(audited) - len(declared)),
            "excluded_groups": [g["group"] for g in groups if g["excluded"]]})
    for first, second in itertools.combinations(keys, 2):
        declared = audited[(audited[first] != "") & (audited[second] != "")]
        groups = _rate_groups(declared, [first, second], len(audited), settings, names=[names[first], names[second]])
        report["intersectional"]["groups"] += groups
        report["intersectional"]["pairs"].append({
            "categories": [names[first], names[second]], "not_declared": int(len(audited) - len(declared)),
            "excluded_groups": [g["group"] for g in groups if g["excluded"]]})
    return report


def _exact(value: float) -> Fraction:
    """A threshold as the decimal it is written as: ``Fraction(0.8)`` is the binary float, a hair above 4/5,
    which would flag a ratio of exactly 4/5."""
    return Fraction(repr(value))


def _text(column: pd.Series) -> pd.Series:
    """Cells as stripped text, a missing cell (NaN, None) as "" (not declared)."""
    return column.fillna("").astype(str).str.strip().reset_index(drop=True)


def _rate_groups(declared: pd.DataFrame, columns: list[str], audited: int, settings: ImpactSettings, *,
                 names: list[str] | None = None) -> list[dict]:
    """The groups of ``declared`` by ``columns`` (one column: a category; two: an intersection, whose
    categories are called ``names``) with their scoring rates and impact ratios; sorted by group."""
    tallies: list[tuple[tuple[str, ...], int, int]] = []
    for key, part in declared.groupby(columns, sort=True):
        values = tuple(str(v) for v in (key if isinstance(key, tuple) else (key,)))
        tallies.append((values, int(len(part)), int(part["above"].sum())))
    rates = {values: Fraction(above, n) for values, n, above in tallies}
    excluded = {values for values, n, _ in tallies if Fraction(n, audited) < _exact(settings.min_share)}
    compared = [rates[values] for values, _, _ in tallies if values not in excluded]
    best = max(compared, default=Fraction(0))
    flag_below = _exact(settings.flag_below)
    groups = []
    for values, n, _ in tallies:
        ratio = rates[values] / best if best > 0 else None
        entry: dict = {"group": values[0] if len(columns) == 1 else list(values), "n": n,
                       "scoring_rate": float(rates[values]),
                       "impact_ratio": float(ratio) if ratio is not None else None,
                       "flagged": values not in excluded and ratio is not None and ratio < flag_below,
                       "excluded": values in excluded, "share": n / audited}
        if names:
            entry["categories"] = list(names)
        groups.append(entry)
    return groups


# -- for people ------------------------------------------------------------------------------------


def impact_rows(report: dict) -> list[dict]:
    """One row per group (the categories', then the intersections') for a CSV; cells are neutralised
    (:mod:`evidence.io.cells`), so a group named ``=...`` reaches a spreadsheet as text, never a formula."""
    rows = []
    entries = [(c["category"], g) for c in report["categories"] for g in c["groups"]]
    entries += [(" x ".join(g["categories"]), g) for g in report["intersectional"]["groups"]]
    for category, g in entries:
        rows.append(neutralise_row({
            "measure": report["measure"], "median": report["median"], "category": category,
            "group": " x ".join(g["group"]) if isinstance(g["group"], list) else g["group"], "n": g["n"],
            "scoring_rate": g["scoring_rate"], "impact_ratio": "" if g["impact_ratio"] is None else g["impact_ratio"],
            "flagged": g["flagged"], "excluded": g["excluded"]}))
    return rows


def impact_markdown(report: dict, *, title: str = "Adverse impact report") -> str:
    """A readable report: the counts, a table per category, the intersections, the method and its limits."""
    counts, unmatched = report["applicants"], report["unmatched_ids"]
    lines = [f"# {_cell(title)}", "",
             f"Measure: {_cell(report['measure'])}. Median of all {counts['scored']} applicants scored: "
             f"{report['median']:.3f}. Applicants audited (scored and in the demographics file): {counts['audited']}.",
             ""]
    notes = []
    if counts["not_scored"]:
        notes.append(f"{_number(counts['not_scored'], 'document')} of the results without a score: left out")
    if unmatched["results_without_demographics"]:
        notes.append(f"{_number(unmatched['results_without_demographics'], 'applicant')} scored without a row in the "
                     "demographics file: counted in the median only")
    if unmatched["demographics_without_results"]:
        notes.append(f"{_number(unmatched['demographics_without_results'], 'id')} of the demographics file not in "
                     "the results")
    lines += [f"- {n}" for n in notes] + ([""] if notes else [])
    for category in report["categories"]:
        lines += [f"## {_cell(category['category'])}", ""] + _table(category["groups"])
        lines += _footnotes(category["not_declared"], category["excluded_groups"])
    if report["intersectional"]["groups"]:
        lines += ["## Intersections", ""]
        for pair in report["intersectional"]["pairs"]:
            names = pair["categories"]
            groups = [g for g in report["intersectional"]["groups"] if g["categories"] == names]
            lines += [f"### {_cell(' x '.join(names))}", ""] + _table(groups)
            lines += _footnotes(pair["not_declared"], pair["excluded_groups"])
    settings = report["settings"]
    lines += ["## How to read this", "",
              f"- Scoring rate: the share of a group's applicants whose {_cell(report['measure'])} is strictly above "
              "the median of all applicants (a score equal to the median is not above it).",
              "- Impact ratio: the group's scoring rate divided by the highest scoring rate in its category; "
              f"under {settings['flag_below']:g} it is flagged (the four-fifths rule). An intersection's groups "
              "are compared with the highest rate among the groups of the same two categories.",
              f"- Groups under {settings['min_share']:.0%} of the applicants audited are excluded: never the "
              "comparison and never flagged; their ratio is shown for information.",
              "- A flag is a prompt to look into the sift, not proof of unfairness: with small groups one applicant "
              "moves a rate a long way. Demographics are self-declared; blanks are not declared.", ""]
    return "\n".join(lines)


def _table(groups: list[dict]) -> list[str]:
    if not groups:
        return ["No applicant declared a value.", ""]
    lines = ["| Group | Applicants | Scoring rate | Impact ratio | |", "|---|---:|---:|---:|---|"]
    for g in groups:
        name = " x ".join(g["group"]) if isinstance(g["group"], list) else g["group"]
        ratio = "-" if g["impact_ratio"] is None else f"{g['impact_ratio']:.2f}"
        mark = "**flagged**" if g["flagged"] else ("excluded (too few)" if g["excluded"] else "")
        lines.append(f"| {_cell(name)} | {g['n']} | {g['scoring_rate']:.0%} | {ratio} | {mark} |")
    return lines + [""]


def _footnotes(not_declared: int, excluded: list) -> list[str]:
    lines = []
    if not_declared:
        lines.append(f"Not declared: {_number(not_declared, 'applicant')}.")
    if excluded:
        names = [" x ".join(e) if isinstance(e, list) else e for e in excluded]
        lines.append(f"Excluded (under the minimum share): {', '.join(_cell(n) for n in names)}.")
    return lines + ([""] if lines else [])


def _cell(text: object) -> str:
    """User text (a category or group name) safe in a Markdown table and on a terminal."""
    return printable(str(text)).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _count(items: list, what: str) -> str:
    return _number(len(items), what)


def _number(count: int, what: str) -> str:
    return f"{count} {what}{'' if count == 1 else 's'}"


def _some(items: list) -> str:
    shown = ", ".join(str(i) for i in items[:SHOWN_PROBLEMS])
    return shown + (f" and {len(items) - SHOWN_PROBLEMS} more" if len(items) > SHOWN_PROBLEMS else "")
