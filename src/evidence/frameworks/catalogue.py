"""Finding, loading, validating and saving frameworks.

Built-in frameworks are YAML files in the repository's ``frameworks/`` folder (packaged with the
wheel); frameworks a user imports are JSON files under ``$EVIDENCE_HOME/frameworks``. Both are
listed together; an imported framework may not reuse a built-in id.
"""

from __future__ import annotations

import json
import logging
import reprlib
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from evidence.config import builtin_frameworks_dir, user_frameworks_dir
from evidence.domain import Framework
from evidence.domain.framework import ID_RULE, MAX_LISTED_PROBLEMS, is_valid_id, path_for_id
from evidence.errors import EvidenceError, FrameworkError, NotFoundError
from evidence.frameworks.problems import Audience, Wording

logger = logging.getLogger(__name__)

FRAMEWORK_SUFFIXES = (".yaml", ".yml", ".json")

# Limits on a framework file, checked before (bytes) and while (depth, nodes) it is parsed. The largest real
# framework measured is the whole ESCO skills taxonomy (13,896 skills): 9.8 MB as our JSON, 9.1 MB and 263,409
# parser events as YAML, and 42.9 MB and 903,259 values as our CASE export (which carries its extensions); the
# built-in YAML files are 16-140 KB. The deepest file is a CASE export: 8 levels. Each limit leaves room above
# the measured size; past it, the work and memory grow with the input (1,000,000 values that each fail
# validation took 8.7 s and 1.3 GB to report), so a hostile file is refused before any of it is done.
MAX_FRAMEWORK_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32
MAX_VALUES = 1_500_000
LIMITS_FIX = ("split the framework into smaller files, or remove the nesting; a framework file nests "
              "framework > competencies > competency > indicators > indicator")
# how a value the file holds is quoted in a message: bounded, whatever its size or sharing
_SHOW = reprlib.Repr()
_SHOW.maxstring, _SHOW.maxother, _SHOW.maxlevel, _SHOW.maxlist, _SHOW.maxdict = 80, 80, 2, 4, 4
# libyaml's parser when installed (the 9.1 MB YAML above: 0.35 s to scan); the same safe constructor either way
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_framework_bytes(path: Path) -> bytes:
    """A framework file's bytes, refused when it is over :data:`MAX_FRAMEWORK_BYTES` or unreadable."""
    try:
        size = path.stat().st_size
        if size > MAX_FRAMEWORK_BYTES:
            raise FrameworkError(f"the file is {size:,} bytes, over the {MAX_FRAMEWORK_BYTES:,}-byte limit for a "
                                 "framework file", source=str(path), fix=LIMITS_FIX)
        with path.open("rb") as handle:  # a file that grew after stat() is cut at the limit and refused
            raw = handle.read(MAX_FRAMEWORK_BYTES + 1)
    except OSError as exc:
        raise FrameworkError(f"cannot read the file ({exc.strerror or exc})", source=str(path),
                             fix="check the path and the file's permissions") from exc
    if len(raw) > MAX_FRAMEWORK_BYTES:
        raise FrameworkError(f"the file is over the {MAX_FRAMEWORK_BYTES:,}-byte limit for a framework file",
                             source=str(path), fix=LIMITS_FIX)
    return raw


def parse_structured(text: str, *, source: str, fmt: str) -> object:
    """JSON or YAML text (``fmt`` 'json' or 'yaml') as plain data, within the limits above. YAML aliases are
    refused: nine nested aliases in 377 bytes expand to 2.8 billion characters (the 'billion laughs')."""
    try:
        if fmt == "json":
            data = json.loads(text)
        else:
            _check_yaml_events(text, source)
            data = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader; aliases refused above
    except FrameworkError:
        raise
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise FrameworkError(f"not valid {fmt.upper()}: {exc}", source=source,
                             fix="correct the syntax at the place named") from exc
    except RecursionError as exc:  # json's decoder stops at the interpreter's recursion limit
        raise FrameworkError(f"the file nests deeper than {MAX_DEPTH} levels", source=source, fix=LIMITS_FIX) from exc
    except (ValueError, OverflowError) as exc:  # a number over 4,300 digits, a date that does not exist
        raise FrameworkError(f"a value cannot be read: {str(exc)[:200]}", source=source,
                             fix="correct or quote the value (numbers of more than 4,300 digits are refused)"
                             ) from exc
    _check_shape(data, source)
    return data


def _check_yaml_events(text: str, source: str) -> None:
    """Scan the YAML once, without building it: no alias, nesting and size within the limits."""
    depth = values = 0
    for event in yaml.parse(text, Loader=_YAML_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise FrameworkError(f"YAML aliases (*{event.anchor}) are not accepted in a framework file",
                                 source=source, path=_yaml_line(event),
                                 fix="write the repeated content out in full instead of an anchor (&) and alias (*)")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise FrameworkError(f"the file nests deeper than {MAX_DEPTH} levels", source=source,
                                     path=_yaml_line(event), fix=LIMITS_FIX)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if isinstance(event, yaml.NodeEvent):
            values += 1
            if values > MAX_VALUES:
                raise FrameworkError(f"the file holds more than {MAX_VALUES:,} values", source=source, fix=LIMITS_FIX)


def _yaml_line(event: yaml.Event) -> str:
    mark = event.start_mark
    return f"line {mark.line + 1}" if mark is not None else ""


def _check_shape(data: object, source: str) -> None:
    """Nesting and value count of parsed data within the limits (walked without recursion)."""
    stack: list[tuple[object, int]] = [(data, 1)]
    values = 0
    while stack:
        node, depth = stack.pop()
        values += 1
        if values > MAX_VALUES:
            raise FrameworkError(f"the file holds more than {MAX_VALUES:,} values", source=source, fix=LIMITS_FIX)
        if isinstance(node, dict | list):
            if depth > MAX_DEPTH:
                raise FrameworkError(f"the file nests deeper than {MAX_DEPTH} levels", source=source, fix=LIMITS_FIX)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)


def load_framework_file(path: str | Path) -> Framework:
    """Read and validate one framework file (YAML or JSON)."""
    path = Path(path)
    raw = read_framework_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkError(f"the file is not UTF-8 text (bad byte at position {exc.start})", source=str(path),
                             fix="save the file as UTF-8") from exc
    data = parse_structured(text, source=str(path), fmt="json" if path.suffix.lower() == ".json" else "yaml")
    return framework_from_dict(data, source=str(path))


def framework_from_dict(data: object, *, source: str = "") -> Framework:
    """Validate a mapping as a framework, turning pydantic's errors into one FrameworkError that lists every
    problem found (up to :data:`MAX_LISTED_PROBLEMS`), the first with its key path."""
    if not isinstance(data, dict):
        raise FrameworkError(f"expected a mapping with 'id', 'name' and 'competencies', found {type(data).__name__}",
                             source=source, fix="see frameworks/*.yaml for the layout of a framework file")
    try:
        return Framework.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        described = [(_error_path(error["loc"], data), _describe(error)) for error in errors[:MAX_LISTED_PROBLEMS]]
        path, problem = described[0]
        for other_path, other in described[1:]:
            problem += f"\n  {other_path}: {other}" if other_path else f"\n  {other}"
        if len(errors) > len(described):
            problem += f"\n  ... and {len(errors) - len(described)} more problems"
        raise FrameworkError(problem, source=source, path=path,
                             fix="correct " + ("these fields" if len(errors) > 1 else "this field")
                                 + "; see frameworks/*.yaml for examples") from exc


def _describe(error: ErrorDetails) -> str:
    problem = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        return "a required field is missing"
    if error["type"] == "string_pattern_mismatch":  # the id rule is the only pattern a framework has
        problem = f"not a valid id: an id is {ID_RULE}"
    if "input" in error and error["type"] != "value_error":
        problem += f" (found {_SHOW.repr(error['input'])})"  # bounded: never the whole value (D05)
    return problem


def _error_path(loc: tuple, data: dict) -> str:
    """A readable key path such as ``competencies[2] (team-working).indicators[0].text``."""
    parts: list[str] = []
    node: object = data
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            if isinstance(node, list) and key < len(node):
                node = node[key]
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    label += f" ({node['id'][:60]})"
            parts.append(label)
        else:
            parts.append(f".{key}" if parts else str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts)


def save_framework(framework: Framework, path: str | Path) -> Path:
    """Write a framework as YAML or JSON (by suffix), atomically so a crash leaves the old file intact."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = framework.model_dump(mode="json", exclude_defaults=True)
    data["competencies"] = data.get("competencies", [])
    if path.suffix == ".json":
        text = json.dumps(data, ensure_ascii=False, indent=1)
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    tmp = path.with_suffix(path.suffix + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except BaseException:  # a full disk or an interrupt: no half-written file is left beside the framework
        tmp.unlink(missing_ok=True)
        raise
    return path


# -- the catalogue of built-in and imported frameworks -------------------------------------------


def _framework_files(folder: Path) -> dict[str, Path]:
    """Framework files by id (the file name without its suffix). A file whose name is not a valid id is left
    out with a warning: it could never be asked for, and its id cannot name a path safely."""
    if not folder.is_dir():
        return {}
    found = {}
    for p in sorted(folder.iterdir()):
        if p.suffix not in FRAMEWORK_SUFFIXES:
            continue
        if not is_valid_id(p.stem):
            logger.warning("skipped %s: its name is not a valid framework id; rename it (letters, digits, '.', "
                           "'_' or '-', starting with a letter or digit) or delete it", p)
            continue
        found[p.stem] = p
    return found


def builtin_ids() -> list[str]:
    return list(_framework_files(builtin_frameworks_dir()))


def list_frameworks() -> list[dict[str, object]]:
    """One summary per framework, built-in first: id, name, origin, counts. A file that does not load is
    left out with a warning naming it (see :func:`framework_problems`), so one bad file never breaks the list."""
    summaries = []
    for origin, folder in (("built-in", builtin_frameworks_dir()), ("imported", user_frameworks_dir())):
        for path in _framework_files(folder).values():
            try:
                fw = _load(path)
            except EvidenceError as exc:
                logger.warning("skipped %s: %s", path, _skip_reason(path, exc))
                continue
            summaries.append({
                "id": fw.id, "name": fw.name, "origin": origin,
                "levels": len(fw.levels), "competencies": len(fw.competencies),
                "indicators": sum(len(c.indicators) for c in fw.competencies), "roles": len(fw.roles),
            })
    return summaries


def framework_problems() -> list[tuple[Path, str]]:
    """Stored framework files the catalogue leaves out, each with what is wrong and how to fix it."""
    problems = []
    for folder in (builtin_frameworks_dir(), user_frameworks_dir()):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.iterdir() if p.suffix in FRAMEWORK_SUFFIXES):
            if not is_valid_id(path.stem):
                problems.append((path, "its name is not a valid framework id; rename it (letters, digits, '.', "
                                       "'_' or '-', starting with a letter or digit) or delete it"))
                continue
            try:
                _load(path)
            except EvidenceError as exc:
                problems.append((path, _skip_reason(path, exc)))
    return problems


def _skip_reason(path: Path, exc: EvidenceError) -> str:
    problem = str(exc).removeprefix(f"{path}: ")
    return (f"{problem}\n  (left out of the framework list; fix the file, re-import the framework with "
            f"`evidence frameworks import FILE --id ID --replace`, or delete {path})")


def get_framework(framework_id: str) -> Framework:
    """The built-in or imported framework with this id."""
    for folder in (builtin_frameworks_dir(), user_frameworks_dir()):
        path = _framework_files(folder).get(framework_id)
        if path is not None:
            return _load(path)
    known = [s["id"] for s in list_frameworks()]
    raise NotFoundError(f"no framework with id {str(framework_id)[:120]!r}; known frameworks: "
                        f"{', '.join(map(str, known))}. "
                        "Run `evidence frameworks list`, or import one with `evidence frameworks import FILE`.")


def _load(path: Path) -> Framework:
    try:
        mtime_ns = path.stat().st_mtime_ns
    except OSError as exc:  # a dangling link, a file removed since the folder was listed
        raise FrameworkError(f"cannot read the file ({exc.strerror or exc})", source=str(path),
                             fix="check the file, or delete it") from exc
    return _load_cached(path, mtime_ns)


@lru_cache(maxsize=16)
def _load_cached(path: Path, mtime_ns: int) -> Framework:  # mtime in the key: edits are picked up
    fw = load_framework_file(path)
    if fw.id != path.stem:
        raise FrameworkError(f"the file declares id {fw.id!r} but is named {path.name!r}", source=str(path),
                             fix=f"rename the file to {fw.id}{path.suffix} or change its id")
    return fw


def store_imported(framework: Framework, *, replace: bool = False, audience: Audience | str = Audience.cli) -> Path:
    """Save an imported framework under $EVIDENCE_HOME; refuses to shadow a built-in or overwrite silently.
    The id is checked against the id rule before the path is built, and the path must stay in the folder.
    The framework is a validated :class:`Framework` (nothing half-read reaches here) and is written whole
    or not at all (:func:`save_framework`). Fixes name the options as the ``audience`` ('cli', 'app') knows them."""
    words = Wording(Audience(audience))
    folder = user_frameworks_dir()
    path = path_for_id(folder, framework.id, suffix=".json", what="framework id")
    if framework.id in builtin_ids():
        raise FrameworkError(f"id {framework.id!r} is a built-in framework's",
                             fix=f"choose another id {words.via('id')}")
    if path.exists() and not replace:
        raise FrameworkError(f"a framework with id {framework.id!r} is already imported ({path})",
                             fix=f"choose another id {words.via('id')}, or {words.switch_on('replace')} to "
                                 "overwrite it")
    save_framework(framework, path)
    logger.info("stored framework %s at %s", framework.id, path)
    return path
