"""Model cards: what a model version is, what it was trained and measured on, how well, and what it is for.

Every version of a framework's model has a card, zero-shot included, built on demand from what was recorded
when the model was made, so a card always agrees with the model it describes:

* a trained version: its manifest, written by :func:`evidence.learning.registry.save_version` at training
  (training data counts and source, creation time, code version, held-out metrics and their unit counts,
  calibration). A card is therefore "written at training" in effect: nothing in it is measured later;
* the zero-shot model has no manifest: its figures are those measured on the development gold split of each
  built-in framework by ``bench/zero_shot_cards.py`` (package data ``zero-shot-dev.json``); an imported
  framework has none, and its card says how to measure them;
* the counterfactual result (names, pronouns and gendered words swapped) is read from
  ``counterfactual.json``, written by ``bench/counterfactual.py`` for the zero-shot model and the shipped
  versions; other versions are marked as not measured.

Each proportion carries the number of units it rests on and a Wilson 95% interval (scipy's
``binomtest(...).proportion_ci(method="wilson")``), which stays inside [0, 1] and is honest for the few dozen
units a held-out split often has.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from evidence.config import PACKAGE_DATA_DIR, builtin_models_dir
from evidence.domain import ZERO_SHOT, Framework
from evidence.learning import registry

logger = logging.getLogger(__name__)

ZERO_SHOT_DATA = PACKAGE_DATA_DIR / "zero-shot-dev.json"
COUNTERFACTUAL_DATA = PACKAGE_DATA_DIR / "counterfactual.json"
CONFIDENCE = 0.95
# a figure under this is named among the limitations: below it, at least one suggestion in five is wrong
WEAK = 0.8

# metric -> (the count it is a share of, what it says); the proportions get a Wilson interval
PROPORTIONS = {
    "top1": ("evidence_units", "the top suggestion is one of the unit's competencies (units that evidence one)"),
    "top3": ("evidence_units", "one of the unit's competencies is among the top three suggestions"),
    "unit_accuracy": ("units", "end to end: the top suggestion is right, or the unit rightly gets none"),
    "abstention_precision": ("abstained_units", "units given no suggestion that indeed evidence nothing"),
    "abstention_recall": ("none_units", "units that evidence nothing and get no suggestion"),
    "level_exact": ("level_units", "the suggested level is the assessor's level"),
    "level_within_one": ("level_units", "the suggested level is within one step of the assessor's"),
    "counter_recall": ("counter_units", "counter-evidence units flagged as such"),
}
OTHER_METRICS = {
    "macro_f1": ("units", "macro-averaged F1 of the top suggestion over competencies (not a proportion)"),
    "level_mae": ("level_units", "mean absolute level error, in scale steps (lower is better)"),
}
INTENDED_USE = ("Suggesting to a human assessor which competencies, at which level, each sentence of a supporting "
                "statement or appraisal evidences against the framework, with the indicator behind each suggestion; "
                "ranking a batch so that assessors read the strongest evidence first. Every suggestion is for the "
                "assessor to accept, change or reject.")
MUST_NOT_BE_USED_FOR = [
    "the sole basis of a decision about a person (shortlisting, rejection, hiring, promotion, pay, dismissal): "
    "a human assessor reads the statement and decides (EU AI Act Art. 14; UK GDPR Art. 22)",
    "rejecting applicants automatically, or a score cut-off that no assessor reviews",
    "inferring a person's sex, ethnicity, age, disability or any other protected characteristic, or taking "
    "demographics as input",
    "judging personality, honesty, 'culture fit' or anything other than the written evidence against the framework",
    "a framework, role or language it has not been measured on, before measuring it there (`evidence evaluate`)",
]
GENERAL_LIMITATIONS = [
    "It reads what is written, not what the person can do: a concise writer, or one writing in a second language, "
    "can get less credit for the same experience.",
    "English only: the encoder and the sentence splitter are English models.",
    "The figures come from labelled units written for this project (fictional statements, data/gold); real "
    "statements differ, so measure it on your own reviewed units (`evidence evaluate`) before relying on it.",
    "An interval shows the uncertainty from the number of units only; it does not cover a change in the kind of "
    "text.",
]


def model_card(framework: Framework | str, version: str | None = None) -> dict:
    """The card of ``version`` ('zero-shot', a saved version id, or None for the version in use) of
    ``framework``'s model, as a JSON-ready dict: ``framework``, ``model_version``, ``trained_on``,
    ``evaluated_on``, ``metrics`` (each ``{"value", "units", "interval", "description"}``), ``calibration``,
    ``counterfactual``, ``intended_use``, ``limitations``, ``must_not_be_used_for`` and ``warnings``.
    Raises :class:`NotFoundError` for an unknown framework or version."""
    if isinstance(framework, str):
        from evidence.frameworks.catalogue import get_framework

        framework = get_framework(framework)
    current = registry.promoted_version(framework.id)
    version = current if version in (None, registry.PROMOTED) else version
    card: dict = {"framework": {"id": framework.id, "name": framework.name, "version": framework.version or None,
                                "content_hash": framework.content_hash, "source": framework.source or None},
                  "model_version": version, "promoted": version == current}
    if version == ZERO_SHOT:
        card |= _zero_shot(framework)
    else:
        card |= _trained(framework, registry.show_version(framework.id, str(version)))
    card["counterfactual"] = _counterfactual(framework, str(version))
    card["intended_use"] = INTENDED_USE
    card["limitations"] = _limitations(card)
    card["must_not_be_used_for"] = list(MUST_NOT_BE_USED_FOR)
    return card


def _trained(framework: Framework, manifest: dict) -> dict:
    training = _mapping(manifest.get("training"))
    metrics = _mapping(manifest.get("metrics"))
    warnings = []
    if not registry.trained_on(manifest, framework):
        warnings.append("this version was trained on an earlier version of the framework; its figures describe "
                        "that version")
    return {
        "created_at": manifest.get("created_at"), "code_version": manifest.get("code_version"),
        "trained_on": {**{k: training.get(k) for k in ("examples", "corrections", "indicator_examples",
                                                         "none_examples", "competencies", "levelled_examples")},
                       "source": manifest.get("source"), "trained_at": manifest.get("created_at"),
                       "encoder": manifest.get("encoder", "frozen"),
                       "dates": "trained at created_at; the dates of the reviewed units it learnt from are not "
                                "recorded"},
        "evaluated_on": {"units": manifest.get("holdout_units", metrics.get("units")),
                         "split": "units held out from the head measured (how: trained_on.source; a version refitted "
                                  "on all its data afterwards was measured before the refit)",
                         "measured_at": manifest.get("created_at"), "in_sample": False,
                         "compared_with": (manifest.get("compared_with") or {}).get("version")},
        "metrics": _metrics(metrics),
        "calibration": _calibration(metrics, "a Platt map of the head's scores, fitted at training (manifest "
                                             f"'calibration': {manifest.get('calibration')})"),
        "warnings": warnings,
    }


def _zero_shot(framework: Framework) -> dict:
    data = _package_json(ZERO_SHOT_DATA)
    entry = _mapping(_mapping(data.get("frameworks")).get(framework.id))
    trained_on = {"examples": 0, "source": "none of your data: the framework's indicators, matched by a pre-trained "
                                           "sentence encoder; the matching weights, level settings, calibrator and "
                                           "abstention threshold were tuned once on the development gold split of "
                                           "the built-in frameworks (data/gold/dev, bench/tune_zero_shot.py)",
                  "dates": "the settings ship with the code (models/zero-shot.json); the figures were measured "
                           "on evaluated_on.measured_at"}
    if not entry:
        return {"created_at": None, "code_version": None, "trained_on": trained_on,
                "evaluated_on": {"units": 0, "split": None, "in_sample": None},
                "metrics": {}, "calibration": {},
                "warnings": [f"no measured figures: framework {framework.id!r} has no labelled units in the project; "
                             f"measure it on your own with `evidence evaluate FILE --framework {framework.id} --model "
                             "zero-shot`"]}
    metrics = {**_mapping(entry.get("metrics")), "abstained_units": entry.get("abstained_units")}
    warnings = []
    if entry.get("framework_hash") != framework.content_hash:
        warnings.append("the framework changed after these figures were measured; they describe its earlier version")
    settings = builtin_models_dir() / "zero-shot.json"
    if data.get("settings_sha256") and settings.is_file() and registry.file_sha256(settings) != data["settings_sha256"]:
        warnings.append("the zero-shot settings changed after these figures were measured")
    return {"created_at": None, "code_version": data.get("code_version"), "trained_on": trained_on,
            "evaluated_on": {"units": metrics.get("units"), "split": entry.get("file"), "in_sample": True,
                             "measured_at": data.get("measured_at"), "command": data.get("command")},
            "metrics": _metrics(metrics),
            "calibration": _calibration(metrics, "a logistic calibrator on (unit, competency) features, fitted on "
                                                 "the dev split with the other settings"),
            "warnings": warnings}


def _metrics(measured: dict) -> dict:
    """Each measured figure with the units it rests on, and a Wilson interval for the proportions."""
    measured = dict(measured)
    if measured.get("abstained_units") is None:
        measured["abstained_units"] = _abstained(measured)
    out = {}
    for name, (count, description) in {**PROPORTIONS, **OTHER_METRICS}.items():
        value, units = measured.get(name), measured.get(count)
        if not isinstance(value, int | float) or not isinstance(units, int) or units <= 0:
            continue
        interval = wilson(value, units) if name in PROPORTIONS else None
        out[name] = {"value": float(value), "units": units, "interval": interval, "description": description}
    return out


def _abstained(measured: dict) -> int | None:
    """How many units were given no suggestion, recovered from abstention precision and recall (both shares of
    the same count of rightly abstained units); None where precision is 0 or either is missing."""
    precision, recall, none_units = (measured.get(k) for k in ("abstention_precision", "abstention_recall",
                                                               "none_units"))
    if isinstance(precision, int | float) and isinstance(recall, int | float) and isinstance(none_units, int) \
            and precision > 0:
        return round(recall * none_units / precision)
    return None


def wilson(value: float, units: int) -> list[float]:
    """The Wilson 95% interval of a proportion ``value`` measured on ``units`` units."""
    from scipy.stats import binomtest  # imported here: a card costs scipy's import only when it is built

    successes = min(units, max(0, round(value * units)))
    interval = binomtest(successes, units).proportion_ci(confidence_level=CONFIDENCE, method="wilson")
    return [float(interval.low), float(interval.high)]


def _calibration(metrics: dict, method: str) -> dict:
    if not isinstance(metrics.get("ece"), int | float):
        return {}
    calibration = {"ece": {"value": float(metrics["ece"]), "units": metrics.get("units"),
                           "description": "expected calibration error of the top suggestion's confidence (10 bins): "
                                          "the mean gap between the confidence shown and the share right; 0 is "
                                          "perfect"}, "method": method}
    if isinstance(metrics.get("ece_uncalibrated"), int | float):
        calibration["ece_uncalibrated"] = {"value": float(metrics["ece_uncalibrated"]), "units": metrics.get("units"),
                                           "description": "the same before calibration"}
    return calibration


def _counterfactual(framework: Framework, version: str) -> dict:
    data = _package_json(COUNTERFACTUAL_DATA)
    for model in map(_mapping, data.get("models") or []):
        if model.get("framework") == framework.id and model.get("model_version") == version:
            result = {"measured": True, **model.get("summary", {}), "checks": model.get("checks", []),
                      "tolerance": data.get("tolerance"), "names": data.get("names"),
                      "measured_at": data.get("measured_at"),
                      "command": data.get("command")}
            if model.get("framework_hash") != framework.content_hash:
                result["note"] = "measured on an earlier version of the framework"
            return result
    return {"measured": False, "note": "not measured for this version: the counterfactual test "
                                      "(bench/counterfactual.py) covers the zero-shot model and the versions shipped "
                                      "with the built-in frameworks"}


def _limitations(card: dict) -> list[str]:
    limitations = list(card.get("warnings", []))
    evaluated, metrics = card["evaluated_on"], card["metrics"]
    if evaluated.get("in_sample"):
        limitations.append(f"Its figures were measured on {evaluated.get('units')} units of the development split "
                           "the zero-shot settings were tuned on, so they are optimistic: expect lower on new text.")
    elif metrics:
        limitations.append(f"Its figures rest on {evaluated.get('units')} held-out units; see each interval.")
    weak = [f"{phrase} about {m['value']:.0%} of the time (95% interval {m['interval'][0]:.0%}-"
            f"{m['interval'][1]:.0%}, {m['units']} units)"
            for name, phrase in (("top1", "the top suggestion names the right competency"),
                                 ("level_exact", "the suggested level is exactly the assessor's"),
                                 ("counter_recall", "counter-evidence is flagged"))
            if name in metrics and (m := metrics[name])["value"] < WEAK]
    if weak:
        limitations.append("It is often wrong: " + "; ".join(weak) + ". An assessor must check every suggestion.")
    counterfactual = card["counterfactual"]
    if counterfactual.get("measured"):
        limitations.append(f"The counterfactual test swaps pronouns, gendered words and {counterfactual.get('names')} "
                           "names of a few origins only; other characteristics (age, disability, dialect, ...) are "
                           "not tested.")
        top, level = counterfactual.get("top_changed"), counterfactual.get("level_changed")
        if not counterfactual.get("within_tolerance") and isinstance(top, float):
            clear = round((counterfactual.get("top_changed_clear") or 0.0) * counterfactual.get("units", 0))
            limitations.append(
                f"It is not blind to gender or names: swapping them changed the top suggestion of {top:.1%} of the "
                f"{counterfactual.get('units')} units whose text changed ({clear} of them clearly, the others near "
                "ties or to or from no suggestion)"
                + (f" and the level of {level:.1%}" if isinstance(level, float) else "")
                + ". An assessor must check suggestions on sentences that mention people; blind review removes the "
                "applicant's name before the analysis (on the community-link-worker sample batch, no suggestion "
                "changed with the names swapped once they were redacted).")
    else:
        limitations.append("This version has not had the counterfactual test (names and gendered words swapped).")
    return limitations + GENERAL_LIMITATIONS


def _package_json(path: Path) -> dict:
    """A JSON object shipped with the package; empty when it is missing or damaged (the cards then say the
    figures were not measured)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        logger.warning("%s cannot be read (%s); model cards leave its figures out", path, exc)
        return {}
    return _mapping(data)


def _mapping(value: object) -> dict:
    """``value`` when it is a JSON object, else an empty one: a hand-edited manifest never breaks a card."""
    return value if isinstance(value, dict) else {}


def card_markdown(card: dict) -> str:
    """A model card for people."""
    fw = card["framework"]
    lines = [f"# Model card: {fw['name']} ({fw['id']}), model {card['model_version']}", "",
             f"- Framework version: {fw.get('version') or '-'} (content hash {fw['content_hash'][:12]})",
             f"- In use: {'yes' if card['promoted'] else 'no'}",
             f"- Created: {card.get('created_at') or '-'}; code version {card.get('code_version') or '-'}", "",
             "## Intended use", "", card["intended_use"], "", "## Must not be used for", ""]
    lines += [f"- {item}" for item in card["must_not_be_used_for"]]
    trained = card["trained_on"]
    lines += ["", "## Trained on", ""] + [f"- {k.replace('_', ' ')}: {v}" for k, v in trained.items() if v is not None]
    evaluated = card["evaluated_on"]
    lines += ["", "## Measured figures", "",
              f"On {evaluated.get('units') or 0} units: {evaluated.get('split') or 'not measured'}"
              + (f"; measured {evaluated['measured_at']}" if evaluated.get("measured_at") else "") + ".", ""]
    if card["metrics"]:
        lines += ["| Figure | Value | 95% interval | Units | Meaning |", "|---|---:|---:|---:|---|"]
        for name, m in card["metrics"].items():
            interval = f"{m['interval'][0]:.2f}-{m['interval'][1]:.2f}" if m["interval"] else "-"
            lines.append(f"| {name} | {m['value']:.3f} | {interval} | {m['units']} | {m['description']} |")
    calibration = card["calibration"]
    if calibration:
        lines += ["", "## Calibration", "", f"- ECE {calibration['ece']['value']:.3f} on {calibration['ece']['units']} "
                  f"units ({calibration['ece']['description']})", f"- method: {calibration['method']}"]
        if "ece_uncalibrated" in calibration:
            lines.append(f"- before calibration: ECE {calibration['ece_uncalibrated']['value']:.3f}")
    cf = card["counterfactual"]
    lines += ["", "## Counterfactual test (names, pronouns, gendered words swapped)", ""]
    if cf.get("measured"):
        lines += [f"- units whose text changed: {cf.get('units')}; top suggestion changed: "
                  f"{_share(cf.get('top_changed'))}; level changed: {_share(cf.get('level_changed'))}",
                  f"- score change: mean {_number(cf.get('score_abs_change_mean'))}, max "
                  f"{_number(cf.get('score_abs_change_max'))}; overall match change max "
                  f"{_number(cf.get('match_abs_change_max'))} (tolerance {cf.get('tolerance')})",
                  f"- within tolerance: {'yes' if cf.get('within_tolerance') else 'no'}; measured "
                  f"{cf.get('measured_at')} with `{cf.get('command')}`"]
    else:
        lines.append(f"- {cf['note']}")
    lines += ["", "## Limitations", ""] + [f"- {item}" for item in card["limitations"]]
    return "\n".join(lines) + "\n"


def _share(value: object) -> str:
    return f"{value:.1%}" if isinstance(value, float) else "-"


def _number(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else "-"

