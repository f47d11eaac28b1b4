"""CASE JSON from elsewhere is untrusted (issue 13, D04): missing identifiers, wrong types, cycles and deep
chains give one FrameworkError naming the file and the key path, never a traceback; a fuzz run checks that
any JSON value gives a framework or a FrameworkError."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.errors import FrameworkError
from evidence.frameworks.case import from_case, to_case
from evidence.frameworks.interchange import import_framework
from tests.factories import tiny_framework


def _item(identifier: str, text: str, **extra: object) -> dict:
    return {"identifier": identifier, "fullStatement": text, **extra}


def _child(child: str, parent: str) -> dict:
    return {"associationType": "isChildOf", "originNodeURI": {"identifier": child},
            "destinationNodeURI": {"identifier": parent}}


def _package(items: list[dict], associations: list[dict], **doc: object) -> dict:
    return {"CFDocument": {"identifier": "doc", "title": "Skills", **doc}, "CFItems": items,
            "CFAssociations": associations}


def _import(tmp_path: Path, data: object, name: str = "case.json") -> object:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return import_framework(path)


def test_a_foreign_tree_maps_to_competencies(tmp_path: Path) -> None:
    data = _package([_item("c", "Listening"), _item("i1", "Listens", educationLevel=["1"]),
                     _item("i2", "Summarises", educationLevel="2")], [_child("c", "doc"), _child("i1", "c"),
                                                                      _child("i2", "c")])
    fw = _import(tmp_path, data)
    assert [c.name for c in fw.competencies] == ["Listening"]
    assert [(i.text, i.level) for i in fw.competencies[0].indicators] == [("Listens", "1"), ("Summarises", "2")]


@pytest.mark.parametrize(("data", "path", "problem"), [
    ({"CFDocument": {"title": "x"}, "CFItems": []}, "CFDocument.identifier", "the document has no identifier"),
    ({"CFDocument": [], "CFItems": []}, "CFDocument", "missing or is not an object"),
    (_package("items", []), "CFItems", "expected an array, found str"),
    (_package([{"fullStatement": "x"}], []), r"CFItems\[0\]", "string 'identifier'"),
    (_package([_item("a", "A"), _item("a", "B")], []), r"CFItems\[1\]", "used by an earlier item"),
    (_package([], [{"associationType": "isChildOf", "originNodeURI": "a"}]), r"CFAssociations\[0\].originNodeURI",
     "string 'identifier'"),
    (_package([_item("a", 5)], [_child("a", "doc")]), r"CFItems\[0\].fullStatement", "expected text, found int"),
    (_package([], [], extensions=[1]), "CFDocument.extensions", "expected an object, found list"),
    (_package([_item("a", "A")], [_child("ghost", "doc")]), "CFAssociations", "item 'ghost', which is not in"),
    (_package([_item("a", "A", extensions={"evidence": {"id": "a"}}, CFItemType="Indicator")], []),
     r"CFItems\[0\]", "not the child of a competency"),
])
def test_a_broken_package_names_the_place(tmp_path: Path, data: dict, path: str, problem: str) -> None:
    with pytest.raises(FrameworkError, match=problem) as caught:
        _import(tmp_path, data)
    assert caught.value.path.startswith(path.replace("\\", "")) and "case.json" in str(caught.value)


def test_every_structural_problem_is_listed_at_once(tmp_path: Path) -> None:
    data = _package([{"x": 1}, {"y": 2}, _item("a", ["not", "text"])], [_child("a", "doc")])
    with pytest.raises(FrameworkError) as caught:
        _import(tmp_path, data)
    message = str(caught.value)
    assert "CFItems[0]" in message and "\n  CFItems[1]" in message


def test_cycles_and_deep_chains_end(tmp_path: Path) -> None:
    chain = [_item(f"n{i}", f"Node {i}") for i in range(3000)]
    links = [_child("n0", "doc")] + [_child(f"n{i}", f"n{i - 1}") for i in range(1, 3000)]
    started = time.perf_counter()
    fw = _import(tmp_path, _package(chain, links), "chain.json")
    assert [i.text for c in fw.competencies for i in c.indicators] == ["Node 2999"]
    # the document itself made the child of its own child: a loop the walk must not follow
    looped = _package([_item("a", "A"), _item("b", "B")], [_child("a", "doc"), _child("b", "a"), _child("doc", "b")])
    with pytest.raises(FrameworkError, match="points at item 'doc', which is not in CFItems"):
        _import(tmp_path, looped, "loop.json")
    assert time.perf_counter() - started < 5


def test_our_own_export_round_trips() -> None:
    fw = tiny_framework()
    assert from_case(json.loads(json.dumps(to_case(fw)))).content_hash == fw.content_hash


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=30)
KEYS = st.sampled_from(["identifier", "fullStatement", "humanCodingScheme", "educationLevel", "extensions",
                        "CFItemType", "originNodeURI", "destinationNodeURI", "associationType", "evidence", "title"])
CASE_LIKE = st.recursive(st.none() | st.integers() | st.text(max_size=6) | st.sampled_from(["isChildOf", "doc", "a"]),
                         lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
                         max_leaves=40)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=CASE_LIKE, items=st.lists(CASE_LIKE, max_size=5), associations=st.lists(CASE_LIKE, max_size=5))
def test_any_case_shaped_json_gives_a_framework_or_a_framework_error(document: object, items: list,
                                                                     associations: list) -> None:
    try:
        from_case({"CFDocument": document, "CFItems": items, "CFAssociations": associations}, source="fuzz.json")
    except FrameworkError:
        pass


@settings(max_examples=80, deadline=None)
@given(value=JSON)
def test_any_json_value_gives_a_framework_or_a_framework_error(tmp_path_factory: pytest.TempPathFactory,
                                                               value: object) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    try:
        import_framework(path)
    except FrameworkError:
        pass
