"""The Quiz tab of Chat & check, driven like a person would, through the emulator and the real
SDKs: the family sample is trained and deployed on the hub route through the real pages,
then quizzed, its misses sent back to the table (and undone), a 429 storm sat out, saved
runs reopened and compared.

The emulator's tuned deployment answers from its training file (the closest training
question, at a similarity of 0.6 or more) and otherwise like an unsure base model: the
training questions come back right, the held-out ones mostly do not. Any deployment chosen as
the Judge answers a judging prompt with a JSON verdict: right when the model's answer holds
the expected one (tests/azure_emulator/README.md, "LLM judge").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.azure_emulator.aml_state import AmlTimeline
from tests.azure_emulator.aoai import BASE_MODEL_ANSWER
from tests.azure_emulator.proxy import Recorded
from tests.azure_emulator.server import Emulator
from tests.gui.test_deploy_page import trained
from tests.gui.test_model_and_train_pages import WAIT
from tunedesk.core.dataset import Dataset, Example, Split
from tunedesk.core.export import plan_split
from tunedesk.core.flow import Step
from tunedesk.core.project import Project
from tunedesk.core.quiz import (
    TRAINING,
    VALIDATION,
    QuizHistory,
    QuizResult,
    QuizRun,
    needs_review,
    quiz_items,
    score,
)
from tunedesk.core.samples import sample_dataset
from tunedesk.ui.main_window import MainWindow
from tunedesk.ui.models.quiz_table_model import COL_SCORE, QuizTableModel, ResultRole
from tunedesk.ui.pages.chat.quiz_panel import QuizPanel, job_split
from tunedesk.ui.pages.data.page import DataPage

if TYPE_CHECKING:
    from tunedesk.core.deployments import DeploymentRecord
    from tunedesk.ui.pages.chat import ChatPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CHAT = r"/chat/completions$"


# ----------------------------------------------------------------------------- helpers
def deployed_quiz(qtbot: QtBot, window: MainWindow, emulator: Emulator) -> QuizPanel:
    """Train and deploy the family sample on the hub route; open Chat & check → Quiz."""
    from tunedesk.ui.pages.chat import ChatPage
    from tunedesk.ui.pages.deploy import DeployPage

    emulator.aml.timeline = AmlTimeline(not_started=0.1, queued=0.1, running=0.8)
    trained(qtbot, window, "Family project")
    window.go_to(Step.DEPLOY)
    deploy = window.page(Step.DEPLOY)
    assert isinstance(deploy, DeployPage)
    qtbot.mouseClick(deploy.job_cards[0].deploy, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(deploy.deployment_cards) == 1, timeout=WAIT)
    window.go_to(Step.CHAT)
    page = window.page(Step.CHAT)
    assert isinstance(page, ChatPage)
    assert window.current_page() is page
    page.tabs.setCurrentWidget(page.quiz)
    quiz = page.quiz
    qtbot.waitUntil(lambda: quiz.record is not None, timeout=WAIT)
    assert quiz.start_button.isEnabled()
    return quiz


def run_quiz(qtbot: QtBot, quiz: QuizPanel, *, include_training: bool = False) -> QuizRun:
    quiz.include_training.setChecked(include_training)
    runs_before = quiz.model.run
    qtbot.mouseClick(quiz.start_button, Qt.MouseButton.LeftButton)
    # Not "busy right after the click": a warm emulator answers 6 questions before the
    # click's own event processing returns (a flaky assertion, seen 1 run in 3).
    # Until the panel has shown the end (its state follows the task one loop turn later).
    qtbot.waitUntil(
        lambda: (
            quiz.model.run is not runs_before and not quiz.busy() and quiz.start_button.isEnabled()
        ),
        timeout=WAIT,
    )
    run = quiz.model.run
    assert run is not None
    return run


def family_items(*, include_training: bool = False) -> int:
    dataset = sample_dataset("en")
    return len(quiz_items(dataset, plan_split(dataset, 0.1), include_training=include_training))


# ----------------------------------------------------------------------------- no Azure
def test_the_table_model_keeps_qt_contract(qtmodeltester: object) -> None:
    dataset = Dataset("Be brief.", [Example.qa(f"Q{i}?", f"A{i}.") for i in range(6)])
    split = {e.id: Split.VALIDATION for e in dataset}
    items = quiz_items(dataset, split)
    run = QuizRun.new("tuned", "m1", items)
    run = run.with_result(QuizResult.scored(items[0], "A0."))
    run = run.with_result(QuizResult.scored(items[1], "Something else entirely"))
    run = run.with_result(QuizResult(items[2], "", None, error="Azure is busy."))
    other = QuizRun.new("base", "m0", items[:4])
    other = other.with_result(QuizResult.scored(items[0], "No idea"))
    model = QuizTableModel()
    model.set_run(run)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 6
    assert model.data(model.index(0, COL_SCORE)).startswith("✓ Exact match")
    assert model.data(model.index(1, COL_SCORE)).startswith("✗ 0 % similar")
    assert model.data(model.index(2, COL_SCORE)) == "Not answered: Azure is busy."
    model.set_other(other)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.columnCount() == 7
    model.set_only_misses(True)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 1
    assert model.data(model.index(0, 0), ResultRole).item.question == "Q1?"
    fixed = QuizResult.scored(items[1], "A1.")
    model.update_result(run.with_result(fixed), fixed)  # no longer a miss: leaves the view
    assert model.rowCount() == 0


def test_the_split_comes_from_the_jobs_own_files() -> None:
    dataset = Dataset(
        "",
        [Example.qa("Held out?", "Yes."), Example.qa("Trained?", "Yes."), Example.qa("New?", "")],
    )
    training = (
        b'{"messages":[{"role":"user","content":"Trained?"},'
        b'{"role":"assistant","content":"Yes."}]}\n'
    )
    validation = (
        b'{"messages":[{"role":"system","content":"x"},{"role":"user","content":"Held out?"},'
        b'{"role":"assistant","content":"Old answer."}]}\nnot json\n'
    )
    split = job_split(dataset, training, validation)
    held, trained_on, new = dataset.examples
    assert split[held.id] == Split.VALIDATION  # the answer was edited since: still held out
    assert split[trained_on.id] == Split.TRAIN
    assert new.id not in split  # added after the job: it saw neither


# ----------------------------------------------------------------------------- through Azure
def test_quiz_scores_sends_misses_back_undoably_and_saved_runs_reopen(
    qtbot: QtBot, emulator_window: MainWindow, azure_emulator: Emulator, tmp_path: Path
) -> None:
    window = emulator_window
    quiz = deployed_quiz(qtbot, window, azure_emulator)
    assert "No quiz of" in quiz.empty.text()

    # 1. The validation questions: every one asked through the deployment, each scored.
    validation = run_quiz(qtbot, quiz)
    assert validation.total == family_items() > 0
    assert validation.answered == validation.total
    assert all(r.item.split == VALIDATION for r in validation.items)
    assert all(r.score is not None and str(r.score.explain()) for r in validation.items)
    assert f"of {validation.total} validation questions right" in quiz.summary.text()
    assert "held out" in quiz.split_note.text()  # read from the job's own files
    assert quiz.model.rowCount() == validation.total
    asked = azure_emulator.calls("POST", CHAT)
    assert len(asked) == validation.total
    assert all(c.status == 200 for c in asked)

    # 2. With the training questions: the tuned model knows what it trained on.
    both = run_quiz(qtbot, quiz, include_training=True)
    assert both.total == family_items(include_training=True)
    training = [r for r in both.items if r.item.split == TRAINING]
    assert training
    assert all(r.right for r in training), [r.answer for r in training if not r.right]
    assert f"{len(training)} of {len(training)} training questions right" in quiz.summary.text()
    assert both.right > validation.right

    # 3. Only misses, then send them back to the table: one undo step, flagged rows.
    misses = both.misses()
    assert misses, "the emulator's tuned model misses some held-out questions"
    quiz.only_misses.setChecked(True)
    assert quiz.model.rowCount() == len(misses)
    assert all(
        quiz.model.data(quiz.model.index(row, 0), ResultRole).missed
        for row in range(quiz.model.rowCount())
    )
    assert window.project is not None
    dataset = window.project.dataset
    before = len(dataset)
    assert quiz.send_back.isEnabled()
    qtbot.mouseClick(quiz.send_back, Qt.MouseButton.LeftButton)
    assert len(dataset) == before + len(misses)
    added = list(dataset)[before:]
    assert all(needs_review(e) for e in added)
    assert {e.question for e in added} == {r.item.question for r in misses}
    assert f"Added {len(misses)} missed questions" in quiz.note.text
    assert "flagged for review" in quiz.note.text
    qtbot.mouseClick(quiz.send_back, Qt.MouseButton.LeftButton)  # not twice
    assert len(dataset) == before + len(misses)
    # the misses, asked other ways too: Paraphrase opens on the Data page with those rows
    assert quiz.paraphrase_back.isVisible()
    qtbot.mouseClick(quiz.paraphrase_back, Qt.MouseButton.LeftButton)
    data = window.page(Step.DATA)
    assert isinstance(data, DataPage)
    qtbot.waitUntil(lambda: window.current_page() is data, timeout=WAIT)
    dialog = data._draft_dialog
    assert dialog is not None
    assert dialog.mode == "paraphrase"
    assert [dialog.files.item(i).text() for i in range(dialog.files.count())] == [
        e.question for e in added
    ]
    dialog.close()
    window.go_to(Step.CHAT)
    window.undo_stack.undo()
    assert len(dataset) == before
    assert not any(needs_review(e) for e in dataset)
    quiz.only_misses.setChecked(False)

    # 4. Saved: both runs are in the project and reopen with it; compare them side by side.
    path = window.project.path
    runs = QuizHistory(window.project).list()
    assert [r.id for r in runs] == [both.id, validation.id]
    window.set_project(Project.create(tmp_path / "Other.tunedesk", sample_dataset("en")))
    assert quiz.model.run is None
    task = window.open_project(Path(path))
    qtbot.waitUntil(task.done, timeout=WAIT)
    qtbot.waitUntil(lambda: quiz.model.run is not None, timeout=WAIT)
    shown = quiz.model.run
    assert shown is not None
    assert shown.id == both.id  # the newest run of the chosen deployment
    assert shown.answered == both.total
    assert quiz.runs.count() == 2
    quiz.compare.setCurrentIndex(quiz.compare.findData(validation.id))
    assert quiz.model.columnCount() == 7
    assert "Earlier run" in quiz.compare_note.text()
    assert "both runs answered" in quiz.compare_note.text()
    assert quiz.model.rowCount() == both.total  # every question of both, once
    quiz.runs.setCurrentIndex(quiz.runs.findData(validation.id))
    shown = quiz.model.run
    assert shown is not None
    assert shown.id == validation.id
    assert quiz.model.other is None  # never compared with itself


def test_a_429_storm_slows_the_quiz_but_loses_no_question(
    qtbot: QtBot, emulator_window: MainWindow, azure_emulator: Emulator
) -> None:
    window = emulator_window
    quiz = deployed_quiz(qtbot, window, azure_emulator)
    # A storm every question sits out (short waits, announced), then two 429s asking for
    # two minutes: not waited out in silence, so those questions are "not answered".
    azure_emulator.faults.add("429", path=CHAT, seconds=0.3, times=6)
    azure_emulator.faults.add("429", path=CHAT, seconds=120, times=2, retry_after_ms=False)
    seen: list[str] = []
    original = quiz._on_wait

    def spy(wait: object) -> None:
        original(wait)  # type: ignore[arg-type]
        seen.append(quiz.wait_note.text)

    quiz._on_wait = spy  # type: ignore[method-assign]
    run = run_quiz(qtbot, quiz, include_training=True)
    assert run.total == family_items(include_training=True)  # nothing dropped
    failed = run.failed()
    assert len(failed) >= 2
    assert run.answered + len(failed) == run.total
    assert all("busy" in r.error.lower() or "limit" in r.error.lower() for r in failed), [
        r.error for r in failed
    ]
    assert seen
    assert all("Azure is busy, retrying in" in text for text in seen)
    assert "not answered" in quiz.summary.text()
    assert "could not be answered" in quiz.note.text
    row = next(
        i
        for i in range(quiz.model.rowCount())
        if quiz.model.data(quiz.model.index(i, 0), ResultRole).error
    )
    assert quiz.model.data(quiz.model.index(row, COL_SCORE)).startswith("Not answered: ")
    statuses = [c.status for c in azure_emulator.calls("POST", CHAT)]
    assert statuses.count(429) == 8

    # Ask the unanswered again: the same run, now complete.
    qtbot.waitUntil(quiz.ask_again.isVisible, timeout=WAIT)
    qtbot.mouseClick(quiz.ask_again, Qt.MouseButton.LeftButton)
    # The panel shows the end one loop turn after its task: wait for that, not the task.
    qtbot.waitUntil(lambda: not quiz.busy() and quiz.start_button.isVisible(), timeout=WAIT)
    again = quiz.model.run
    assert again is not None
    assert again.id == run.id
    assert again.answered == again.total
    assert not quiz.ask_again.isVisible()
    assert window.project is not None
    saved = QuizHistory(window.project).get(run.id)
    assert saved is not None
    assert saved.answered == saved.total


def test_stop_keeps_what_was_answered_and_says_what_was_not(
    qtbot: QtBot, emulator_window: MainWindow, azure_emulator: Emulator
) -> None:
    window = emulator_window
    quiz = deployed_quiz(qtbot, window, azure_emulator)
    azure_emulator.faults.add("slow", path=CHAT, seconds=0.5, times=200)
    quiz.include_training.setChecked(True)
    qtbot.mouseClick(quiz.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: quiz._done >= 3, timeout=WAIT)
    assert " asked" in quiz.progress_label.text()
    qtbot.mouseClick(quiz.stop_button, Qt.MouseButton.LeftButton)
    # The panel shows the end one loop turn after its task: wait for that, not the task.
    qtbot.waitUntil(lambda: not quiz.busy() and quiz.start_button.isVisible(), timeout=WAIT)
    run = quiz.model.run
    assert run is not None
    assert run.total == family_items(include_training=True)
    assert 3 <= run.answered < run.total
    assert all(r.error == "Stopped before it was answered" for r in run.items if r.score is None)
    qtbot.waitUntil(quiz.ask_again.isVisible, timeout=WAIT)


def tuned_and_base(
    qtbot: QtBot, window: MainWindow, emulator: Emulator
) -> tuple[ChatPage, DeploymentRecord, DeploymentRecord]:
    """The family sample trained on the Foundry resource (Ministral-3B) and deployed through
    the real Deploy page: the tuned model and, next to it, its base model; Chat & check →
    Quiz open. Returns the page and the (tuned, base) deployment records."""
    from tests.azure_emulator.aoai import Timeline
    from tunedesk.ui.pages.chat import ChatPage
    from tunedesk.ui.pages.deploy import DeployPage

    emulator.openai.timeline = Timeline(pending=0.2, running=0.8, steps=10)
    trained(qtbot, window, "contoso-ais-ncus", "Ministral-3B")
    window.go_to(Step.DEPLOY)
    deploy = window.page(Step.DEPLOY)
    assert isinstance(deploy, DeployPage)
    card = deploy.job_cards[0]
    qtbot.mouseClick(card.deploy, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(deploy.deployment_cards) == 1, timeout=WAIT)
    qtbot.mouseClick(deploy.job_cards[0].deploy_base, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(deploy.deployment_cards) == 2, timeout=WAIT)

    window.go_to(Step.CHAT)
    page = window.page(Step.CHAT)
    assert isinstance(page, ChatPage)
    page.tabs.setCurrentWidget(page.quiz)
    online = page.online()
    tuned = next(r for r in online if not r.base_model)
    base = next(r for r in online if r.base_model)
    return page, tuned, base


def choose(qtbot: QtBot, page: ChatPage, record: DeploymentRecord) -> None:
    """Pick ``record`` as the deployment to chat with / quiz."""
    page.picker.setCurrentIndex(page.picker.findData(record.id))
    qtbot.waitUntil(
        lambda: page.quiz.record is not None and page.quiz.record.id == record.id,
        timeout=WAIT,
    )


def chats_to(emulator: Emulator, deployment: str) -> list[Recorded]:
    """The chat completions sent to ``deployment`` (v1: named in the body; dated: the path)."""
    out = []
    for call in emulator.calls("POST", CHAT):
        try:
            model = json.loads(call.body or b"{}").get("model")
        except ValueError:
            model = None
        if model == deployment or f"/deployments/{deployment}/" in call.path:
            out.append(call)
    return out


def test_the_tuned_model_scores_above_its_base_model_on_the_family_sample(
    qtbot: QtBot, emulator_window: MainWindow, azure_emulator: Emulator
) -> None:
    """Deployed through the real Deploy page on a Foundry resource: the tuned model and, next
    to it, its base model; the same quiz (training questions included) through both."""
    page, tuned, base = tuned_and_base(qtbot, emulator_window, azure_emulator)
    scores = {}
    for record in (tuned, base):
        choose(qtbot, page, record)
        run = run_quiz(qtbot, page.quiz, include_training=True)
        assert run.answered == run.total
        scores["base" if record.base_model else "tuned"] = run.right
    assert scores["tuned"] > scores["base"], scores


def test_another_deployment_judges_each_answer_and_a_failing_judge_leaves_the_plain_score(
    qtbot: QtBot, emulator_window: MainWindow, azure_emulator: Emulator
) -> None:
    """The tuned model quizzed with its base deployment as the Judge: one judge request per
    question, each answer's score carries the verdict; then the judge fails (every request
    throttled for two minutes, not waited out) and the quiz still scores every answer."""
    page, tuned, base = tuned_and_base(qtbot, emulator_window, azure_emulator)
    quiz = page.quiz
    choose(qtbot, page, tuned)
    assert quiz.judge.findData(tuned.id) == -1  # a model does not judge itself
    quiz.judge.setCurrentIndex(quiz.judge.findData(base.id))
    assert quiz.judge.currentData() == base.id

    # 1. Judged: the judge is asked once per question, and every score says what it said.
    run = run_quiz(qtbot, quiz, include_training=True)
    assert run.total == family_items(include_training=True)
    assert run.answered == run.total
    judged = chats_to(azure_emulator, base.name)
    assert len(judged) == run.total
    assert all(c.status == 200 for c in judged)
    assert len(chats_to(azure_emulator, tuned.name)) == run.total
    for result in run.items:
        assert result.score is not None
        assert result.score.judge is not None, result
        assert "Judge:" in str(result.score.explain())
    right_answers = [
        r for r in run.items if r.item.split == TRAINING and r.answer == r.item.expected
    ]
    assert right_answers, "the tuned model gives back the answers it trained on"
    for result in right_answers:
        assert result.score is not None
        assert result.score.judge == 1.0
        assert result.right
        assert "Judge: right" in str(result.score.explain())
    unsure = [r for r in run.items if r.answer == BASE_MODEL_ANSWER]
    for result in unsure:  # "I'm not sure…" states no expected answer
        assert result.score is not None
        assert result.score.judge == 0.0
        assert "Judge: wrong" in str(result.score.explain())
    row = next(
        i
        for i in range(quiz.model.rowCount())
        if quiz.model.data(quiz.model.index(i, 0), ResultRole).item.example_id
        == right_answers[0].item.example_id
    )
    assert "Judge: right" in quiz.model.data(quiz.model.index(row, COL_SCORE))

    # 2. The judge fails: the plain scores stand, nothing crashes, every question answered.
    before = len(chats_to(azure_emulator, base.name))
    azure_emulator.openai.fail_chat(
        base.name, "429", seconds=120, retry_after_ms=False, times=10 * run.total
    )
    again = run_quiz(qtbot, quiz, include_training=True)
    assert again.id != run.id
    assert again.answered == again.total == run.total
    assert not again.failed()
    failed = chats_to(azure_emulator, base.name)[before:]
    assert len(failed) == again.total
    assert all(c.status == 429 for c in failed)
    for result in again.items:
        assert result.score is not None
        assert result.score.judge is None
        assert "Judge:" not in str(result.score.explain())
        assert result.score == score(result.item.expected, result.answer)
    assert again.right == sum(1 for r in again.items if score(r.item.expected, r.answer).right)
    assert not azure_emulator.errors
    assert quiz.start_button.isEnabled()
