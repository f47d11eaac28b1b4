"""1EdTech CASE (Competencies and Academic Standards Exchange) JSON: a framework to a CASE package and back.

Levels travel as CASE 1.1 rubrics (``CFRubrics``, see :mod:`~evidence.frameworks.rubrics`), so any CASE tool
sees the scale and each competency's description of each level. Our export also adds an
``extensions.evidence`` block to the document and to each item that carries what CASE has no field for
(levels exactly, roles, ids), so a round trip loses nothing. A package from elsewhere is mapped by its
``isChildOf`` tree: leaves are indicators, their parents competencies, anything above a competency a group;
its rubrics give the levels (names and order), and a level's description gives the indicators of a
competency that has none of its own in the tree (else its summary of that level). A package is untrusted
input: every field is checked for its type before it is used, the tree is walked without recursion and with
each item visited once (a cycle in the associations cannot loop), and every structural problem found is
reported at once as a :class:`FrameworkError` naming the key path.
"""

from __future__ import annotations

import uuid

from evidence.domain import Framework, slugify
from evidence.domain.framework import MAX_LISTED_PROBLEMS, unique_id
from evidence.errors import FrameworkError
from evidence.frameworks.bullets import split_indicators
from evidence.frameworks.catalogue import framework_from_dict
from evidence.frameworks.levels import Scale
from evidence.frameworks.rubrics import RubricLevels, json_array, read_rubrics, rubrics_for

CASE_NAMESPACE = uuid.UUID("6f1c2a57-3f0e-4c5e-9a55-1d8f1e0b7c11")  # stable CASE identifiers per framework
CASE_FIX = "a CASE package needs CFDocument (with an identifier), CFItems and CFAssociations; see the CASE 1.1 spec"


def _case_id(framework: Framework, *parts: str) -> str:
    return str(uuid.uuid5(CASE_NAMESPACE, "/".join((framework.id, *parts))))


def to_case(framework: Framework) -> dict:
    """A CASE 1.1 package: groups, competencies, themes and indicators as CFItems linked by isChildOf, and the
    levels as CFRubrics."""
    doc_id = _case_id(framework)
    doc_uri = f"urn:evidence:{framework.id}"
    items: list[dict] = []
    associations: list[dict] = []

    def node(identifier: str, title: str) -> dict:
        return {"identifier": identifier, "uri": f"urn:uuid:{identifier}", "title": title}

    def add(identifier: str, kind: str, statement: str, code: str, parent: tuple[str, str], ext: dict) -> None:
        items.append({"identifier": identifier, "uri": f"urn:uuid:{identifier}", "CFItemType": kind,
                      "fullStatement": statement, "humanCodingScheme": code,
                      "CFDocumentURI": node(doc_id, framework.name), "extensions": {"evidence": ext}})
        associations.append({"identifier": _case_id(framework, "assoc", identifier), "associationType": "isChildOf",
                             "originNodeURI": node(identifier, statement[:60]),
                             "destinationNodeURI": node(*parent), "CFDocumentURI": node(doc_id, framework.name)})

    group_nodes = {}
    competency_nodes = {}
    for group in framework.groups:
        gid = _case_id(framework, "group", group.id)
        group_nodes[group.id] = (gid, group.name)
        add(gid, "Group", group.name, group.id, (doc_id, framework.name), group.model_dump(mode="json"))
    for comp in framework.competencies:
        cid = _case_id(framework, "competency", comp.id)
        competency_nodes[comp.id] = node(cid, comp.name)
        parent = group_nodes.get(comp.group or "", (doc_id, framework.name))
        add(cid, "Competency", comp.name, comp.id, parent,
            comp.model_dump(mode="json", exclude={"indicators", "themes"}))
        if comp.description:  # CASE's own field for it, for tools that do not read our extension
            items[-1]["notes"] = comp.description
        theme_nodes = {}
        for theme in comp.themes:
            tid = _case_id(framework, "theme", comp.id, theme.id)
            theme_nodes[theme.id] = (tid, theme.name)
            add(tid, "Theme", theme.name, theme.id, (cid, comp.name), theme.model_dump(mode="json"))
        for ind in comp.indicators:
            iid = _case_id(framework, "indicator", ind.id)
            item_parent = theme_nodes.get(ind.theme or "", (cid, comp.name))
            add(iid, "Indicator", ind.text, ind.id, item_parent, ind.model_dump(mode="json"))
            if ind.level:
                items[-1]["educationLevel"] = [ind.level]
    document = {"identifier": doc_id, "uri": doc_uri, "title": framework.name, "creator": "evidence",
                "description": framework.description, "version": framework.version,
                "extensions": {"evidence": framework.model_dump(mode="json", include={
                    "id", "name", "source", "version", "description", "levels", "roles"})}}
    rubrics = rubrics_for(framework, case_id=lambda *parts: _case_id(framework, *parts), item_of=competency_nodes)
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations, "CFRubrics": rubrics}


class _Problems:
    """Structural problems found in a CASE package, collected so they are reported together."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[tuple[str, str]] = []

    def add(self, path: str, problem: str) -> None:
        self.found.append((path, problem))

    def raise_any(self) -> None:
        if not self.found:
            return
        (path, problem), rest = self.found[0], self.found[1:MAX_LISTED_PROBLEMS]
        problem += "".join(f"\n  {p}: {q}" for p, q in rest)
        if len(self.found) > MAX_LISTED_PROBLEMS:
            problem += f"\n  ... and {len(self.found) - MAX_LISTED_PROBLEMS} more problems"
        raise FrameworkError(problem, source=self.source, path=path, fix=CASE_FIX)


def _text(node: dict, key: str, where: str, problems: _Problems) -> str:
    """``node[key]`` as text: '' when absent or null, a problem when it is not a string."""
    value = node.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.add(f"{where}.{key}", f"expected text, found {type(value).__name__}")
        return ""
    return value


def _mapping(value: object, where: str, problems: _Problems) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(where, f"expected an object, found {type(value).__name__}")
        return {}
    return value


def _node_id(value: object, where: str, problems: _Problems) -> str | None:
    """The ``identifier`` of a node reference (an object with a string identifier)."""
    if isinstance(value, dict) and isinstance(value.get("identifier"), str) and value["identifier"]:
        return str(value["identifier"])
    problems.add(where, "expected an object with a string 'identifier'")
    return None


def _extension(node: dict, where: str, problems: _Problems) -> dict:
    extensions = _mapping(node.get("extensions"), f"{where}.extensions", problems)
    return _mapping(extensions.get("evidence"), f"{where}.extensions.evidence", problems)


def from_case(data: dict, *, source: str = "", framework_id: str | None = None, name: str | None = None) -> Framework:
    """Read a CASE package. Items with our extensions are restored exactly; others are mapped by tree shape."""
    problems = _Problems(source)
    if not isinstance(data.get("CFDocument"), dict):
        raise FrameworkError("CFDocument is missing or is not an object", source=source, path="CFDocument",
                             fix=CASE_FIX)
    doc: dict = data["CFDocument"]
    doc_id = _text(doc, "identifier", "CFDocument", problems)
    if not doc_id:
        problems.add("CFDocument.identifier", "the document has no identifier")
    items: dict[str, dict] = {}
    for n, item in enumerate(json_array(data.get("CFItems"), "CFItems", problems)):
        identifier = item.get("identifier") if isinstance(item, dict) else None
        if not isinstance(identifier, str) or not identifier:
            problems.add(f"CFItems[{n}]", "expected an object with a string 'identifier'")
        elif identifier in items:
            problems.add(f"CFItems[{n}]", f"identifier {identifier[:80]!r} is used by an earlier item too")
        else:
            items[identifier] = item
    parent_of: dict[str, str] = {}
    for n, assoc in enumerate(json_array(data.get("CFAssociations"), "CFAssociations", problems)):
        where = f"CFAssociations[{n}]"
        if not isinstance(assoc, dict):
            problems.add(where, f"expected an object, found {type(assoc).__name__}")
        elif assoc.get("associationType") == "isChildOf":
            child = _node_id(assoc.get("originNodeURI"), f"{where}.originNodeURI", problems)
            parent = _node_id(assoc.get("destinationNodeURI"), f"{where}.destinationNodeURI", problems)
            if child is not None and parent is not None:
                parent_of[child] = parent
    doc_ext = _extension(doc, "CFDocument", problems)
    rubric = read_rubrics(data.get("CFRubrics"), problems)
    title = _text(doc, "title", "CFDocument", problems)
    problems.raise_any()
    fw_id = framework_id or doc_ext.get("id") or slugify(title or "case-framework")
    fw: dict = {"id": fw_id, "name": name or doc_ext.get("name") or title or fw_id,
                "source": doc_ext.get("source") or source,
                "version": doc_ext.get("version") or _text(doc, "version", "CFDocument", problems),
                "description": doc_ext.get("description") or _text(doc, "description", "CFDocument", problems),
                "levels": doc_ext.get("levels") or [], "roles": doc_ext.get("roles") or [],
                "groups": [], "competencies": []}
    if items and all(isinstance(i.get("extensions"), dict) and i["extensions"].get("evidence") for i in items.values()):
        _restore_case_extensions(fw, items, parent_of, problems)
        fw["levels"] = fw["levels"] or Scale(rubric.names).as_dicts()
    else:
        children: dict[str, list[str]] = {}
        for child, parent in parent_of.items():
            children.setdefault(parent, []).append(child)
        _map_case_tree(fw, doc_id, items, children, problems, rubric)
    problems.raise_any()
    return framework_from_dict(fw, source=source)


def _restore_case_extensions(fw: dict, items: dict[str, dict], parent_of: dict[str, str],
                             problems: _Problems) -> None:
    comps: dict[str, dict] = {}
    for n, (identifier, item) in enumerate(items.items()):  # document order: groups, then each competency's tree
        where = f"CFItems[{n}]"
        ext = _extension(item, where, problems)
        kind = item.get("CFItemType")
        if kind == "Group":
            fw["groups"].append(ext)
        elif kind == "Competency":
            comps[identifier] = {**ext, "themes": [], "indicators": []}
            fw["competencies"].append(comps[identifier])
        elif kind in ("Theme", "Indicator"):
            parent = parent_of.get(identifier, "")
            # a theme sits under its competency; an indicator under its theme or directly under the competency
            owner = comps.get(parent) or (comps.get(parent_of.get(parent, "")) if kind == "Indicator" else None)
            if owner is None:
                problems.add(where, f"this {kind} is not the child of a competency (isChildOf is missing or points "
                                    "at an item that is not a competency listed before it)")
            else:
                owner["themes" if kind == "Theme" else "indicators"].append(ext)
        else:
            problems.add(f"{where}.CFItemType", f"expected Group, Competency, Theme or Indicator, found "
                                                f"{str(kind)[:40]!r}")


def _map_case_tree(fw: dict, doc_id: str, items: dict[str, dict], children: dict[str, list[str]],
                   problems: _Problems, rubric: RubricLevels) -> None:
    taken: set[str] = set()
    competency_of: dict[str, dict] = {}  # item id (a competency or one of its leaves) -> the competency
    itself: set[str] = set()  # competencies with no items below them: their one indicator is their own text
    levels: list[str] = []
    position = {identifier: n for n, identifier in enumerate(items)}
    visited: set[str] = {doc_id}

    def statement(identifier: str) -> str:
        item, where = items[identifier], f"CFItems[{position[identifier]}]"
        return (_text(item, "fullStatement", where, problems)
                or _text(item, "abbreviatedStatement", where, problems)).strip()

    def below(identifier: str) -> list[str]:
        """The items listed under ``identifier`` that exist and were not reached before (no cycles)."""
        found = []
        for child in children.get(identifier, []):
            if child not in items:
                problems.add("CFAssociations", f"an association points at item {child[:80]!r}, which is not in "
                                               "CFItems; include every associated item in CFItems")
            elif child not in visited:
                visited.add(child)
                found.append(child)
        return found

    def leaves(identifier: str) -> list[str]:
        found, stack = [], below(identifier)[::-1]
        while stack:  # depth-first, in document order, without recursion (a 3,000-deep chain is fine)
            node = stack.pop()
            under = below(node)
            if under:
                stack.extend(under[::-1])
            else:
                found.append(node)
        return found

    def level_of(identifier: str) -> str | None:
        value = items[identifier].get("educationLevel")
        first = value[0] if isinstance(value, list) and value else value
        if first is None or first == [] or first == "":
            return None
        if not isinstance(first, str):
            problems.add(f"CFItems[{position[identifier]}].educationLevel",
                         f"expected text or a list of text, found {type(first).__name__}")
            return None
        return first

    def add_competency(identifier: str, group: str | None) -> None:
        item, where = items[identifier], f"CFItems[{position[identifier]}]"
        code = _text(item, "humanCodingScheme", where, problems)
        comp_id = unique_id(slugify(code or statement(identifier)), taken)
        indicators: list[dict] = []
        below_it = leaves(identifier)
        comp = {"id": comp_id, "name": statement(identifier), "group": group,
                "description": _text(item, "notes", where, problems), "indicators": indicators}
        if not below_it:
            itself.add(comp_id)
        for n, leaf in enumerate(below_it or [identifier], start=1):
            level = level_of(leaf)
            if level and level not in levels:
                levels.append(level)
            indicators.append({"id": f"{comp_id}.{n:02d}", "text": statement(leaf), "level": level})
            competency_of[leaf] = comp
        competency_of[identifier] = comp
        fw["competencies"].append(comp)

    for top in below(doc_id):
        grandchildren = [c for c in children.get(top, []) if children.get(c) or c in rubric.linked]
        if grandchildren and top not in rubric.linked:  # competencies below it (a rubric's criteria say which)
            group_id = unique_id(slugify(statement(top)), taken)
            fw["groups"].append({"id": group_id, "name": statement(top)})
            for comp in below(top):
                add_competency(comp, group_id)
        else:
            add_competency(top, None)
    if fw["levels"]:  # the document's own extension: levels as they were
        return
    known = Scale(rubric.names)
    scale = Scale(rubric.names + [lv for lv in levels if known.resolve(lv) is None]) if rubric.names \
        else Scale.from_values(levels)
    fw["levels"] = scale.as_dicts()
    for comp in fw["competencies"]:
        for indicator in comp["indicators"]:
            indicator["level"] = scale.resolve(indicator["level"] or "")
    _describe_levels(competency_of, itself, rubric, scale)


def _describe_levels(competency_of: dict[str, dict], itself: set[str], rubric: RubricLevels, scale: Scale) -> None:
    """Rubric level descriptions onto the competencies they describe: as the indicators of a competency that has
    none below it in the tree, else as its summary of each level."""
    for item, described in rubric.described.items():
        comp = competency_of.get(item)
        if comp is None:  # a criterion about an item of another document
            continue
        for quality, text in described:
            level = scale.resolve(quality)
            if level is None:
                continue
            if comp["id"] in itself:
                if not any(i["level"] for i in comp["indicators"]):
                    comp["indicators"] = []  # the competency's own text gives way to its level descriptions
                for n, line in enumerate(split_indicators(text), start=1):
                    comp["indicators"].append({"id": f"{comp['id']}.{level}.{n:02d}", "text": line, "level": level})
            else:
                comp.setdefault("level_summaries", {})[level] = text
