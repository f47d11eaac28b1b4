"""Blind review redaction: contacts, postcodes, links and names removed; offsets map back."""

from __future__ import annotations

import pandas as pd
import pytest

from evidence.config import SAMPLE_BATCH as SAMPLES
from evidence.io.redact import redact


@pytest.mark.parametrize("text", [
    "jo.bloggs+cv@example.co.uk", "J_Bloggs@mail.example.com",
])
def test_emails(text: str) -> None:
    assert redact(f"Write to {text}.").text == "Write to [email]."


@pytest.mark.parametrize("phone", [
    "07700 900461", "07700900461", "+44 7700 900461", "+44 (0)7700 900461", "0141 496 0123", "(01389) 123456",
    "020 7946 0958", "01632 960 001", "0113-496-0000",
])
def test_uk_phone_numbers(phone: str) -> None:
    assert redact(f"Call me on {phone} any time.").text == "Call me on [phone] any time."


@pytest.mark.parametrize("postcode", ["G82 1AB", "EH1 1YZ", "SW1A 1AA", "M1 1AE", "B338TH", "CR2 6XH"])
def test_postcodes(postcode: str) -> None:
    assert redact(f"I live at {postcode} now").text == "I live at [postcode] now"


def test_urls_keep_trailing_punctuation() -> None:
    assert redact("See https://example.org/me?x=1, or www.example.com.").text == "See [url], or [url]."


def test_the_applicants_name_from_the_batch_row_goes_everywhere() -> None:
    result = redact("Jo Bloggs here. Jo's team liked it; BLOGGS is a rare name.", names=["Jo Bloggs"])
    assert result.text == "[name] here. [name] team liked it; [name] is a rare name."
    assert result.counts() == {"name": 3}


@pytest.mark.parametrize("text, name", [
    ("My name is Catriona McLeish and I live here.", "Catriona McLeish"),
    ("I am Priya Mahajan, a mum of two.", "Priya Mahajan"),
    ("Name: Abigail Thornton\nEmail: x", "Abigail Thornton"),
    ("I spoke to Dr Anne O'Neill about it.", "Anne O'Neill"),
    ("Thank you for reading.\n\nKind regards,\nSam Adeyemi", "Sam Adeyemi"),
])
def test_names_the_text_introduces(text: str, name: str) -> None:
    result = redact(text + f"\nLater, {name.split()[0]} did more.")
    assert name not in result.text and name.split()[0] not in result.text
    assert "[name]" in result.text


def test_ordinary_capitalised_words_stay() -> None:
    text = ("I am Senior Administrator at Kirkton Medical Practice. I am passionate about Community work. "
            "In 2019 I ran 12 groups for 0 to 5 year olds.")
    assert redact(text).text == text


def test_offsets_map_back_to_the_original() -> None:
    original = "Hi, I am Jo Bloggs, from G82 1AB. I led the team."
    result = redact(original, names=["Jo Bloggs"])
    assert result.text == "Hi, I am [name], from [postcode]. I led the team."
    start = result.text.index("I led")
    assert original[result.to_original(start):].startswith("I led")
    assert result.to_original(result.text.index("[postcode]") + 3) == original.index("G82")
    assert result.to_original(2) == 2


def test_script_and_markup_are_left_for_the_display_to_escape() -> None:
    text = "<b>Team</b> <script>alert('x')</script>"
    assert redact(text).text == text


def test_the_sample_batch_loses_its_personal_details() -> None:
    frame = pd.read_csv(SAMPLES, dtype=str)
    for row in frame.itertuples():
        result = redact(row.text, names=[row.name])
        for part in row.name.split():
            assert part not in result.text, (row.id, part)
        assert "@example." not in result.text and "07700" not in result.text, row.id
