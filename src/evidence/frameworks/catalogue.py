"""Finding, loading, validating and saving frameworks.

Built-in frameworks are YAML files in the repository's ``frameworks/`` folder (packaged with the
wheel); frameworks a user imports are JSON files under ``$EVIDENCE_HOME/frameworks``. Both are
listed together; an imported framework may not reuse a built-in id.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from evidence.config import builtin_frameworks_dir, user_frameworks_dir
from evidence.domain import Framework
from evidence.errors import FrameworkError, NotFoundError

logger = logging.getLogger(__name__)

FRAMEWORK_SUFFIXES = (".yaml", ".yml", ".json")


def load_framework_file(path: str | Path) -> Framework:
    """Read and validate one framework file (YAML or JSON)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FrameworkError(f"cannot read the file ({exc.strerror})", source=str(path),
                             fix="check the path and the file's permissions") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkError(f"the file is not UTF-8 text (bad byte at position {exc.start})", source=str(path),
                             fix="save the file as UTF-8") from exc
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise FrameworkError(f"not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {exc}",
                             source=str(path), fix="correct the syntax at the place named") from exc
    return framework_from_dict(data, source=str(path))


def framework_from_dict(data: object, *, source: str = "") -> Framework:
    """Validate a mapping as a framework, turning pydantic's errors into one clear FrameworkError."""
    if not isinstance(data, dict):
        raise FrameworkError(f"expected a mapping with 'id', 'name' and 'competencies', found {type(data).__name__}",
                             source=source, fix="see frameworks/*.yaml for the layout of a framework file")
    try:
        return Framework.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = _error_path(first["loc"], data)
        problem = first["msg"].removeprefix("Value error, ")
        if first["type"] == "missing":
            problem = "a required field is missing"
        elif "input" in first and first["type"] != "value_error":
            problem += f" (found {first['input']!r})"[:300]
        extra = f" ({len(exc.errors()) - 1} more problems after this one)" if len(exc.errors()) > 1 else ""
        raise FrameworkError(problem + extra, source=source, path=path,
                             fix="correct this field; see frameworks/*.yaml for examples") from exc


def _error_path(loc: tuple, data: dict) -> str:
    """A readable key path such as ``competencies[2] (team-working).indicators[0].text``."""
    parts: list[str] = []
    node: object = data
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            if isinstance(node, list) and key < len(node):
                node = node[key]
                if isinstance(node, dict) and "id" in node:
                    label += f" ({node['id']})"
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
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


# -- the catalogue of built-in and imported frameworks -------------------------------------------


def _framework_files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.iterdir()) if p.suffix in FRAMEWORK_SUFFIXES}


def builtin_ids() -> list[str]:
    return list(_framework_files(builtin_frameworks_dir()))


def list_frameworks() -> list[dict[str, object]]:
    """One summary per framework, built-in first: id, name, origin, counts."""
    summaries = []
    for origin, folder in (("built-in", builtin_frameworks_dir()), ("imported", user_frameworks_dir())):
        for path in _framework_files(folder).values():
            fw = _load_cached(path, path.stat().st_mtime_ns)
            summaries.append({
                "id": fw.id, "name": fw.name, "origin": origin,
                "levels": len(fw.levels), "competencies": len(fw.competencies),
                "indicators": sum(len(c.indicators) for c in fw.competencies), "roles": len(fw.roles),
            })
    return summaries


def get_framework(framework_id: str) -> Framework:
    """The built-in or imported framework with this id."""
    for folder in (builtin_frameworks_dir(), user_frameworks_dir()):
        path = _framework_files(folder).get(framework_id)
        if path is not None:
            return _load_cached(path, path.stat().st_mtime_ns)
    known = [s["id"] for s in list_frameworks()]
    raise NotFoundError(f"no framework with id {framework_id!r}; known frameworks: {', '.join(map(str, known))}. "
                        "Run `evidence frameworks list`, or import one with `evidence frameworks import FILE`.")


@lru_cache(maxsize=16)
def _load_cached(path: Path, mtime_ns: int) -> Framework:  # mtime in the key: edits are picked up
    fw = load_framework_file(path)
    if fw.id != path.stem:
        raise FrameworkError(f"the file declares id {fw.id!r} but is named {path.name!r}", source=str(path),
                             fix=f"rename the file to {fw.id}{path.suffix} or change its id")
    return fw


def store_imported(framework: Framework, *, replace: bool = False) -> Path:
    """Save an imported framework under $EVIDENCE_HOME; refuses to shadow a built-in or overwrite silently."""
    if framework.id in builtin_ids():
        raise FrameworkError(f"id {framework.id!r} is a built-in framework's", fix="choose another id with --id")
    path = user_frameworks_dir() / f"{framework.id}.json"
    if path.exists() and not replace:
        raise FrameworkError(f"a framework with id {framework.id!r} is already imported ({path})",
                             fix="choose another id with --id, or pass --replace to overwrite it")
    save_framework(framework, path)
    logger.info("stored framework %s at %s", framework.id, path)
    return path
