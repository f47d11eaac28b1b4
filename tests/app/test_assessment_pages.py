"""The admins' Assessment, Moderation and Fairness pages (streamlit.testing AppTest), and what they show in plain
words: the policy saved through the form, agreement sentences with the sentences each rests on, overall marks beside
the model's, a settlement that becomes the training label, and the adverse-impact report from stored demographics.
Who may open each: admins; Moderation also the batch's named moderator; reviewers never see demographics."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from evidence import review
from evidence.app import assessment_views
from evidence.app.serve import app_path
from evidence.evaluation.agreement import AgreementReport, GroupAgreement, PairAgreement
from evidence.frameworks.catalogue import get_framework
from evidence.review.agreement import BatchAgreement, ModelAgreement
from evidence.services import auth
from evidence.store import Store
from tests.app.conftest import store_for
from tests.factories import APP_PASSWORDS, FRAMEWORK, add_app_users, make_analysis, small_batch

APP = str(app_path())
TIMEOUT = 60
LED, MENTORED, NETWORK = ("I led the team through the merger.", "I mentored two new starters.",
                          "We built a referral network with GPs.")


@pytest.fixture
def home(app_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    add_app_users(monkeypatch)
    return app_home


def signed_in(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.text_input(key="sign-in-name").input(name)
    at.text_input(key="sign-in-password").input(APP_PASSWORDS[name])
    next(b for b in at.button if b.label == "Sign in").click()
    at.run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest, first_column: str, nth: int = 0):  # noqa: ANN201 - a pandas DataFrame
    """The page's ``nth`` table whose first column is ``first_column`` (AppTest keeps no dataframe keys)."""
    return [d.value for d in at.dataframe if list(d.value.columns)[:1] == [first_column]][nth]


def opened(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"routes/{page}").run()
    assert not at.exception, at.exception
    return at


def assessed_batch(store: Store) -> int:
    """small_batch screened against the role, decided by ann and reviewer: they agree on LED and disagree on
    MENTORED (another competency) and NETWORK (evidence against none)."""
    framework = get_framework(FRAMEWORK)
    batch_id = store.save_batch("spring sift", framework, FRAMEWORK, small_batch(), created_by="recruiter")
    items = {i.text: i for i in store.suggested_units(batch_id=batch_id)}
    plan = {"ann": {LED: (review.Action.accept, None), MENTORED: (review.Action.accept, None),
                    NETWORK: (review.Action.no_evidence, None)},
            "reviewer": {LED: (review.Action.accept, None),
                         MENTORED: (review.Action.relabel, review.Relabel("team-working", "2")),
                         NETWORK: (review.Action.accept, None)}}
    for who, decisions in plan.items():
        for text, (action, relabel) in decisions.items():
            review.decide(store, framework, items[text], action, reviewer=who, key=review.new_key(), relabel=relabel,
                          comment=f"{who} on {text[:10]}")
    return batch_id


# -- menus and access ---------------------------------------------------------------------------------------------


def test_admins_get_all_three_pages_a_named_moderator_moderation_only_and_others_none(home: Path) -> None:
    with store_for(home) as store:
        batch_id = assessed_batch(store)
        admin, reviewer = auth.User("admin", auth.UserRole.admin), auth.User("reviewer", auth.UserRole.reviewer)
        assert [p.title for p in assessment_views.pages_for(admin, store)] == ["Assessment", "Moderation", "Fairness"]
        assert assessment_views.pages_for(reviewer, store) == [] and assessment_views.pages_for(None, store) == []
        review.set_policy(store, batch_id, by="admin", role="admin", moderator="reviewer")
        assert assessment_views.pages_for(reviewer, store) == [assessment_views.MODERATION]
        assert assessment_views.pages_for(auth.User("recruiter", auth.UserRole.recruiter), store) == []


@pytest.mark.parametrize("page", ["assessment.py", "moderation.py", "fairness.py"])
def test_a_reviewer_has_no_route_to_the_admin_pages(home: Path, page: str) -> None:
    with store_for(home) as store:
        assessed_batch(store)
    at = signed_in("reviewer")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"routes/{page}")
    anonymous = AppTest.from_file(str(app_path().parent / "routes" / page), default_timeout=TIMEOUT).run()
    assert "Please sign in" in anonymous.warning[0].value


# -- assessment ---------------------------------------------------------------------------------------------------


def test_the_admin_sets_the_policy_and_reads_agreement_and_marks(home: Path) -> None:
    with store_for(home) as store:
        batch_id = assessed_batch(store)
    at = opened(signed_in("admin"), "assessment.py")
    assert at.title[0].value == "Assessment"
    text = "\n".join(m.value for m in at.markdown).replace("\\", "")  # md_text escapes punctuation
    assert "Agreement between ann and reviewer on 3 sentences:" in text and "kappa" in text
    at.radio(key=f"policy-reviewers-{batch_id}").set_value(2)
    at.slider(key=f"policy-hidden-{batch_id}").set_value(25)
    at.toggle(key=f"policy-chunked-{batch_id}").set_value(True)
    at.selectbox(key=f"policy-moderator-{batch_id}").set_value("reviewer")
    next(b for b in at.button if b.label == "Save policy").click()
    at.run()
    assert not at.exception, at.exception
    with store_for(home) as store:
        policy = store.batch_policy(batch_id)
        audit = [r for r in store.audit_records(action="policy")]
    assert (policy.reviewers_per_unit, policy.hide_suggestions, policy.chunked, policy.moderator) == (
        2, 0.25, True, "reviewer")
    assert audit[-1].actor == "admin" and audit[-1].payload["after"]["moderator"] == "reviewer"
    assert "Policy saved" in at.success[0].value
    marks = table(at, "Applicant")
    assert list(marks.columns[:3]) == ["Applicant", "Competency", "Assessors' level"]
    assert "Model's level" in marks.columns
    led = marks[marks["Competency"] == "Team Working"].iloc[0]
    # LED agreed at level 3; MENTORED, which one assessor called team working, waits for moderation
    assert led["Applicant"] == "A1" and led["Assessors' level"] == get_framework(FRAMEWORK).level_name("3")
    assert led["Sentences marked"] == 1 and led["Disputed"] == 1 and led["Status"].startswith("disputed")


def test_agreement_in_plain_words() -> None:
    assert assessment_views.kappa_words(0.71) == "substantial"
    assert assessment_views.kappa_words(0.5) == "moderate" and assessment_views.kappa_words(-0.2).startswith("poor")
    assert assessment_views.kappa_words(0.95) == "almost perfect" and "cannot" in assessment_views.kappa_words(None)
    report = AgreementReport(pairs=[PairAgreement(("Ana", "Ben"), 40, 0.85, 0.71)],
                             fleiss=GroupAgreement(("Ana", "Ben", "Cy"), 30, 0.52),
                             levels=GroupAgreement(("Ana", "Ben"), 25, 0.7))
    result = BatchAgreement(batch_id=1, assessors=["Ana", "Ben", "Cy"], units=40, assessors_report=report,
                            model_shown=ModelAgreement(50, 0.8), model_hidden=ModelAgreement(10, 0.6))
    lines = assessment_views.agreement_sentences(result)
    assert lines[0] == ("Agreement between Ana and Ben on 40 sentences: substantial (kappa 0.71; they chose the "
                        "same 85% of the time).")
    assert lines[1] == ("Agreement among Ana, Ben and Cy on the 30 sentences each of them decided: moderate "
                        "(Fleiss' kappa 0.52).")
    assert "tentative" in lines[2] and "Krippendorff's alpha 0.70" in lines[2] and "25 sentences" in lines[2]
    assert "80% of 50 decisions" in lines[3] and "60% of 10 decisions" in lines[4]


# -- moderation ---------------------------------------------------------------------------------------------------


def test_the_admin_settles_a_disagreement_and_the_settlement_is_the_training_label(home: Path) -> None:
    with store_for(home) as store:
        batch_id = assessed_batch(store)
        units = {i.text: i.unit_id for i in store.suggested_units(batch_id=batch_id)}
    at = opened(signed_in("admin"), "moderation.py")
    assert at.title[0].value == "Moderation"
    assert "2 sentences waiting" in "\n".join(m.value for m in at.markdown)
    at.selectbox(key=f"moderation-unit-{batch_id}").set_value(units[MENTORED]).run()
    opinions = table(at, "Assessor")
    assert set(opinions["Assessor"]) == {"ann", "reviewer"}
    assert "ann on I mentored" in set(opinions["Comment"]) and any("Team Working" in d for d in opinions["Decision"])
    at.radio(key=f"moderation-action-{units[MENTORED]}").set_value(review.Action.relabel).run()
    at.selectbox(key=f"moderation-competency-{units[MENTORED]}").set_value("leading-supporting-developing-others")
    at.selectbox(key=f"moderation-level-{units[MENTORED]}").set_value("3")
    at.text_area(key=f"moderation-comment-{units[MENTORED]}").input("mentoring is leading others")
    at.button(key=f"moderation-settle-{units[MENTORED]}").click()
    at.run()
    assert not at.exception, at.exception
    assert "Settled sentence" in at.success[0].value
    assert "1 sentence waiting" in "\n".join(m.value for m in at.markdown)
    with store_for(home) as store:
        [mentored] = [c for c in store.corrections(FRAMEWORK, batch_id=batch_id) if c.text == MENTORED]
        settlement = store.unit_decisions(batch_id=batch_id)[units[MENTORED]].settlement
    assert (mentored.competency, mentored.level, mentored.reviewer) == ("leading-supporting-developing-others", "3",
                                                                       "admin")
    assert settlement is not None and settlement.comment == "mentoring is leading others"


def test_a_named_moderator_settles_and_other_reviewers_are_refused(home: Path) -> None:
    with store_for(home) as store:
        batch_id = assessed_batch(store)
        units = {i.text: i.unit_id for i in store.suggested_units(batch_id=batch_id)}
    at = signed_in("reviewer")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("routes/moderation.py")
    with store_for(home) as store:
        review.set_policy(store, batch_id, by="admin", role="admin", moderator="reviewer")
    at = opened(signed_in("reviewer"), "moderation.py")
    at.selectbox(key=f"moderation-unit-{batch_id}").set_value(units[NETWORK]).run()
    at.radio(key=f"moderation-action-{units[NETWORK]}").set_value(review.Action.no_evidence).run()
    at.button(key=f"moderation-settle-{units[NETWORK]}").click()
    at.run()
    assert not at.exception, at.exception
    with store_for(home) as store:
        settlement = store.unit_decisions(batch_id=batch_id)[units[NETWORK]].settlement
    assert settlement is not None and settlement.reviewer == "reviewer" and settlement.settled_kind == "no_evidence"


# -- fairness -----------------------------------------------------------------------------------------------------


def test_the_fairness_page_reports_the_model_and_the_assessors_on_stored_demographics(home: Path) -> None:
    framework = get_framework(FRAMEWORK)
    matches = {f"A{i}": i / 10 for i in range(1, 9)}  # median 0.45: A5..A8 above
    sexes = {"A1": "female", "A2": "female", "A3": "female", "A5": "female"}
    with store_for(home) as store:
        batch_id = store.save_batch("autumn", framework, FRAMEWORK, [
            make_analysis(i, [("I led the team.", [("team-working", "3", 0.8)])], match=m) for i, m in matches.items()])
        for item in store.suggested_units(batch_id=batch_id):  # the assessor marks A1..A4 only
            action = review.Action.accept if item.document in {"A1", "A2", "A3", "A4"} else review.Action.no_evidence
            review.decide(store, framework, item, action, reviewer="ann", key=review.new_key())
        store.save_demographics(batch_id, categories=["sex"], values={i: [sexes.get(i, "male")] for i in matches},
                                by="admin")
    at = opened(signed_in("admin"), "fairness.py")
    assert at.title[0].value == "Fairness" and not at.error
    assert [s.value for s in at.subheader] == ["The model's overall match", "The assessors' overall marks"]
    model = table(at, "Category", 0).set_index("Group")
    assert model.loc["female", "Scoring rate"] == "25%" and model.loc["female", "Impact ratio"] == "0.33"
    assert model.loc["female", "Flag"].startswith("flagged")
    human = table(at, "Category", 1).set_index("Group")
    assert human.loc["male", "Scoring rate"] == "25%" and human.loc["male", "Flag"].startswith("flagged")
    assert human.loc["female", "Impact ratio"] == "1.00"


def test_the_fairness_page_asks_for_demographics_first(home: Path) -> None:
    with store_for(home) as store:
        assessed_batch(store)
    at = opened(signed_in("admin"), "fairness.py")
    assert "Upload the batch's demographics" in at.info[0].value
