"""What is never evidence: headings, form fields, contact lines, greetings, sign-offs (issue 15)."""

from __future__ import annotations

import pytest

from evidence.engine.boilerplate import (
    greeting_end,
    is_closing,
    is_contact,
    is_heading,
    is_metadata,
    non_unit_reason,
)

PARAGRAPH = "In my role I brought the housing and health teams together to agree one referral route."


@pytest.mark.parametrize("line", [
    "Working across teams",  # the applicant's own heading, above a paragraph
    "Supporting and developing people",
    "Leading, supporting & developing others",
    "Why I want this job",  # a first-person word inside a heading, not its subject
    "Customer & Stakeholder Focus",
])
def test_own_headings_above_a_paragraph_are_headings(line: str) -> None:
    assert is_heading(line, standalone=True, next_line=PARAGRAPH)
    assert is_heading(line, standalone=True, next_line="- set up a joint case review", next_is_bullet=True)


@pytest.mark.parametrize("line", ["Working Across Teams", "**Working across teams**", "<b>Team Working</b>",
                                  "Development for next year:"])
def test_marked_headings_need_no_paragraph_below(line: str) -> None:
    assert is_heading(line, standalone=True, next_line=None)


@pytest.mark.parametrize(("line", "standalone", "next_line"), [
    ("Led a team of five", True, "Managed the rota"),  # a CV list without bullets
    ("Organised the summer fair", True, PARAGRAPH),  # a CV line: past-tense opener
    ("I led the project for two years", True, PARAGRAPH),  # opens with its subject: a sentence
    ("Raised 2,000 for the food bank", True, PARAGRAPH),  # numbers: a claim, not a heading
    ("Working across teams", False, PARAGRAPH),  # the wrapped end of an unfinished line
    ("Head of Highways and Parish Council", False, "clerks about the closures."),  # a wrapped line in Title Case
    ("I supervised four link workers and trained six volunteers in safeguarding last year", True, PARAGRAPH),
    ("We agreed one form.", True, PARAGRAPH),
    ("Working across teams", True, None),  # a one-line document without any mark of a heading
])
def test_sentences_and_list_lines_are_not_headings(line: str, standalone: bool, next_line: str | None) -> None:
    assert not is_heading(line, standalone=standalone, next_line=next_line)


@pytest.mark.parametrize("line", [
    "**Appraisee:** Senior Administrator, Highways and Transport business support (fictional sample)",
    "**Review period:** April 2023 to March 2024", "Name: Abigail Thornton", "Date: 12 March 2024",
    "Role: Team Leader", "Email: abi.thornton@example.org", "<!-- framework: admin-job-family -->",
    "Line manager : Sam Jones",
])
def test_form_fields_are_metadata(line: str) -> None:
    assert is_metadata(line)


@pytest.mark.parametrize("line", [
    "Result: calls about the letter dropped by a third.",  # a STAR label: the evidence itself
    "Situation: our team had a backlog of 300 cases.",
    "Role: I lead the weekend team of five support workers.",  # the writer's own sentence
    "I organise the quarterly parish liaison meetings: I book venues and send the packs.",
])
def test_labelled_evidence_is_not_metadata(line: str) -> None:
    assert not is_metadata(line)


@pytest.mark.parametrize("sentence", [
    "You can reach me on [email] or [phone].",
    "You can reach me on catriona.mcleish@example.com or 07700 900461.",
    "Contact: tomasz.nowak84@example.net / 07700 900213",
    "My mobile number is 07700 900461.",
    "linkedin.com/in/sam www.example.com/sam",
])
def test_contact_lines(sentence: str) -> None:
    assert is_contact(sentence) and non_unit_reason(sentence) == "contact"


@pytest.mark.parametrize("sentence", [
    "I set up team@council.gov.uk so residents could email us directly, and response times halved.",
    "I set up team@council.gov.uk for residents.",
    "I cut the phone queue from 20 minutes to 5 by adding a call-back option.",
    "In 2019 I took over 1,200 cases from two colleagues.",
])
def test_evidence_that_mentions_an_address_or_number_is_no_contact_line(sentence: str) -> None:
    assert not is_contact(sentence) and non_unit_reason(sentence) is None


def test_greetings_sign_offs_and_courtesies() -> None:
    assert non_unit_reason("Dear Hiring Manager,") == "greeting"
    assert non_unit_reason("To whom it may concern") == "greeting"
    assert greeting_end("Dear Hiring Manager, I have run the drop-in for five years.") == len("Dear Hiring Manager,")
    assert greeting_end("Hi-vis jackets were handed out to every volunteer.") == 0
    assert greeting_end("Hi team, here is my statement.") == len("Hi team,")
    assert greeting_end("Dear colleagues were kind enough to nominate me for the award.") == 0
    for closing in ("Kind regards", "Yours sincerely, Sam", "Best wishes, Sam Jones", "Thank you for your time.",
                    "I look forward to hearing from you.", "Many thanks for considering my application."):
        assert is_closing(closing) and non_unit_reason(closing) == "closing", closing
    for evidence in ("Thanks to the new rota we cut overtime by a fifth.",
                     "Best practice guidance I wrote is now used by all four teams.",
                     "I thanked the reception team by name in the next practice bulletin."):
        assert non_unit_reason(evidence) is None, evidence
