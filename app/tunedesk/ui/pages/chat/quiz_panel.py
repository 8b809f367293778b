"""The Quiz tab of Chat & check: ask the deployed model the questions it did not train on and
say, transparently, which it got right (issue 9 item 4).

* **Start quiz** asks every validation question — the split the training job used, read from
  the exact files it was given (:class:`~tunedesk.core.jobs.JobHistory` keeps them), or the
  project's own 10 % split when those are not in the project — through the chosen deployment,
  with the system prompt each example trains with, :data:`CONCURRENCY` at a time, with
  progress and Stop. "Include training questions" adds the ones it trained on.
* Each row shows the question, the expected answer, the model's answer and why it scored as
  it did (:meth:`~tunedesk.core.quiz.Score.explain`); a judge (another online deployment)
  can be asked too. A summary counts what was right; "Only misses" filters.
* A 429 storm slows the quiz but loses nothing: the chat client retries with announced waits
  (shown inline: "Azure is busy, retrying in 6 s"); a question whose retries ran out is "not
  answered" with the reason, and **Ask the unanswered again** asks those once more.
* Runs are saved (:class:`~tunedesk.core.quiz.QuizHistory`); any saved run can be shown
  again, and compared question by question with another one.
* **Send back to the table** adds the misses to the dataset as one undoable step, flagged for
  review (:func:`~tunedesk.core.quiz.misses_as_examples`).

Everything that talks to Azure runs through :func:`tunedesk.ui.ops.run_op` (quiet: the tab
shows its own progress and messages); scoring runs on the worker pool.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.dataset import Dataset, Split, text_of
from tunedesk.core.errors import UserFacingError
from tunedesk.ui import ops
from tunedesk.ui.models.quiz_table_model import (
    COL_ANSWER,
    COL_EXPECTED,
    COL_OTHER_ANSWER,
    COL_OTHER_SCORE,
    COL_QUESTION,
    COL_ROW,
    COL_SCORE,
    QuizTableModel,
)
from tunedesk.ui.widgets.inline_message import InlineMessage, Tone

if TYPE_CHECKING:
    from tunedesk.cloud.routes.base import ChatClient, RetryWait
    from tunedesk.core.deployments import DeploymentRecord
    from tunedesk.core.project import Project
    from tunedesk.core.quiz import QuizHistory, QuizItem, QuizResult, QuizRun
    from tunedesk.ui.context import AppContext
    from tunedesk.ui.pages.chat.page import ChatPage

CONCURRENCY = 3  # questions in flight at once: fast enough, and gentle on a small quota
MAX_ANSWER_TOKENS = 1000  # a quiz answer is short; this bounds what a runaway one costs
JUDGE_TOKENS = 200
SAVE_EVERY = 1.0  # seconds between saves of a running quiz (and once at its end)
FIT_ROWS = 300  # up to this many rows each gets the height of its text (up to ROW_LINES)
ROW_LINES = 6
FALLBACK_FRACTION = 0.1  # the split the Model & settings page trains with by default


# ----------------------------------------------------------------------------- the split
def _last_question(messages: Sequence[Mapping[str, Any]]) -> str | None:
    """The last user message before the last assistant one (as :func:`quiz_items` reads an
    example), stripped; None when there is none."""
    for a in range(len(messages) - 1, -1, -1):
        if messages[a].get("role") == "assistant":
            for q in range(a - 1, -1, -1):
                if messages[q].get("role") == "user":
                    return text_of(messages[q].get("content")).strip()
            return None
    return None


def _questions_in(raw: bytes | None) -> set[str]:
    """The questions of a chat JSONL file as it was sent to Azure."""
    found: set[str] = set()
    if not raw:
        return found
    for line in raw.decode("utf-8-sig", errors="replace").splitlines():
        try:
            messages = json.loads(line).get("messages")
        except (ValueError, AttributeError):
            continue
        if isinstance(messages, list):
            question = _last_question([m for m in messages if isinstance(m, dict)])
            if question:
                found.add(question)
    return found


def job_split(dataset: Dataset, training: bytes, validation: bytes | None) -> dict[str, Split]:
    """The split a training job used, for the rows of ``dataset`` now: a row whose question
    was in the job's training file is TRAIN (trained on, even if also held out), one whose
    question was only in its validation file is VALIDATION, and a row added since is left
    out (the job never saw it either way; a miss sent back is such a row). Blocking."""
    trained, held_out = _questions_in(training), _questions_in(validation)
    plan: dict[str, Split] = {}
    for example in dataset:
        question = _last_question(example.chat_messages(""))
        if question is None:
            continue
        if question in trained:
            plan[example.id] = Split.TRAIN
        elif question in held_out:
            plan[example.id] = Split.VALIDATION
    return plan


def questions_for(
    dataset: Dataset,
    job_files: tuple[bytes, bytes | None] | None,
    *,
    include_training: bool,
) -> list[QuizItem]:
    """The quiz's questions (each question once, in table order). Blocking: on a worker."""
    from tunedesk.core.export import plan_split
    from tunedesk.core.quiz import quiz_items

    if job_files is not None:
        split = job_split(dataset, *job_files)
    else:
        split = plan_split(dataset, FALLBACK_FRACTION)
    seen: set[str] = set()
    items = []
    for item in quiz_items(dataset, split, include_training=include_training):
        key = item.question.strip()
        if key not in seen:
            seen.add(key)
            items.append(item)
    return items


def _score_answer(expected: str, answer: str) -> Any:
    from tunedesk.core.quiz import score

    return score(expected, answer)


# ----------------------------------------------------------------------------- the panel
class QuizPanel(QWidget):
    """The Quiz tab (see the module docstring). The page calls :meth:`set_context`,
    :meth:`set_project`, :meth:`set_deployment`, :meth:`retranslate` and :meth:`shutdown`."""

    def __init__(self, page: ChatPage) -> None:
        super().__init__(page)
        self.page = page
        self.context: AppContext | None = None
        self.project: Project | None = None
        self.history: QuizHistory | None = None
        self.record: DeploymentRecord | None = None
        self.asking: QuizRun | None = None  # the run being asked, while a quiz runs
        self._task: asyncio.Task[Any] | None = None
        self._choices: list[DeploymentRecord] = []
        self._runs: list[QuizRun] = []
        self._done = 0
        self._total = 0
        self._saved_at = 0.0
        self._stopped = False
        self._split_of: tuple[str, bool] | None = None  # (run id, split read from the job)

        self._judge_label = QLabel()
        self.judge = QComboBox()
        self.judge.setMinimumWidth(200)
        self.include_training = QCheckBox()
        self.start_button = QPushButton()
        self.start_button.setObjectName("primaryButton")
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton()
        self.stop_button.clicked.connect(self.stop)
        self.ask_again = QPushButton()
        self.ask_again.clicked.connect(self.ask_unanswered)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("hint")
        self.wait_note = InlineMessage()
        self.note = InlineMessage()
        self.summary = QLabel()
        self.summary.setObjectName("quizSummary")
        self.summary.setWordWrap(True)
        self.compare_note = QLabel()
        self.compare_note.setWordWrap(True)
        self.split_note = QLabel()
        self.split_note.setObjectName("hint")
        self.split_note.setWordWrap(True)
        self._runs_label = QLabel()
        self.runs = QComboBox()
        self.runs.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.runs.setMinimumContentsLength(24)
        self.runs.currentIndexChanged.connect(self._on_runs_changed)
        self._compare_label = QLabel()
        self.compare = QComboBox()
        self.compare.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.compare.setMinimumContentsLength(24)
        self.compare.currentIndexChanged.connect(self._on_compare_changed)
        self.only_misses = QCheckBox()
        self.only_misses.toggled.connect(self._on_only_misses_toggled)
        self.send_back = QPushButton()
        self.send_back.clicked.connect(self.send_misses_back)
        self.paraphrase_back = QPushButton()
        self.paraphrase_back.clicked.connect(self.paraphrase_misses)
        self.paraphrase_back.hide()  # after a send back: its rows
        self._sent_back: list[str] = []
        self.empty = QLabel()
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)

        self.model = QuizTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.table.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        lines = self.table.fontMetrics().lineSpacing()
        self.table.verticalHeader().setDefaultSectionSize(lines * 3 + 10)
        self._row_cap = lines * ROW_LINES + 10
        self._fit_timer = QTimer(self, singleShot=True, interval=100)
        self._fit_timer.timeout.connect(self._fit_rows)
        self.model.modelReset.connect(self._layout_columns)
        self.model.modelReset.connect(self._fit_timer.start)
        self.model.dataChanged.connect(self._fit_timer.start)

        controls = QHBoxLayout()
        controls.addWidget(self._judge_label)
        controls.addWidget(self.judge)
        controls.addSpacing(12)
        controls.addWidget(self.include_training)
        controls.addStretch(1)
        controls.addWidget(self.ask_again)
        controls.addWidget(self.stop_button)
        controls.addWidget(self.start_button)
        progress = QHBoxLayout()
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.progress_label)
        views = QHBoxLayout()
        views.addWidget(self._runs_label)
        views.addWidget(self.runs, 1)
        views.addSpacing(12)
        views.addWidget(self._compare_label)
        views.addWidget(self.compare, 1)
        filters = QHBoxLayout()
        filters.addWidget(self.only_misses)
        filters.addStretch(1)
        filters.addWidget(self.send_back)
        filters.addWidget(self.paraphrase_back)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(controls)
        layout.addLayout(progress)
        layout.addWidget(self.wait_note)
        layout.addWidget(self.note)
        layout.addWidget(self.summary)
        layout.addWidget(self.compare_note)
        layout.addWidget(self.split_note)
        layout.addLayout(views)
        layout.addLayout(filters)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        self.setStyleSheet(
            "#quizSummary { font-size: 15px; font-weight: 600; }"
            "#hint { color: palette(placeholder-text); }"
        )
        self._wait_timer = QTimer(self, singleShot=True)
        self._wait_timer.timeout.connect(self.wait_note.clear)
        self.retranslate()
        self._update_state()

    # ------------------------------------------------------------------ the page's calls
    def set_context(self, context: AppContext) -> None:
        self.context = context

    def set_project(self, project: Project | None) -> None:
        self.shutdown()
        self.project = project
        self.history = None
        if project is not None:
            from tunedesk.core.quiz import QuizHistory

            self.history = QuizHistory(project)
        self.note.clear()
        self._split_of = None
        self._reload_runs(show=None)

    def set_choices(self, records: Iterable[DeploymentRecord]) -> None:
        """The online deployments (the judge is chosen among them)."""
        self._choices = list(records)
        self._fill_judges()

    def set_deployment(self, record: DeploymentRecord | None) -> None:
        self.record = record
        self._choices = self.page.online()
        self._fill_judges()
        if not self.busy():
            newest = self._newest_for(record)
            self._select_run(newest.id if newest is not None else None)
        self._update_state()

    def retranslate(self) -> None:
        self._judge_label.setText(self.tr("Judge:"))
        self.judge.setToolTip(
            self.tr(
                "Another online deployment that reads each answer and says whether it agrees "
                "with the expected one (costs its tokens)."
            )
        )
        self.include_training.setText(self.tr("Include training questions"))
        self.include_training.setToolTip(
            self.tr(
                "Also ask the questions it trained on: shows whether it learned them, not "
                "whether it can answer new ones."
            )
        )
        self.start_button.setText(self.tr("Start quiz"))
        self.stop_button.setText(self.tr("Stop"))
        self.ask_again.setText(self.tr("Ask the unanswered again"))
        self._runs_label.setText(self.tr("Showing:"))
        self._compare_label.setText(self.tr("Compare with an earlier run:"))
        self.only_misses.setText(self.tr("Only misses"))
        self.send_back.setText(self.tr("Send back to the table"))
        self.paraphrase_back.setText(self.tr("Paraphrase them…"))
        self.paraphrase_back.setToolTip(
            self.tr(
                "Ask the missed questions in other ways too, on the Data page: a model "
                "recalls a fact far better when it has seen it asked several ways"
            )
        )
        self.send_back.setToolTip(
            self.tr(
                "Add the missed questions with their expected answers to the table, as "
                "training examples flagged for review (one step: Undo takes them out)."
            )
        )
        self.wait_note.retranslate()
        self.note.retranslate()
        self._fill_judges()
        self._fill_runs()
        self.model.retranslate()
        self._show_progress()
        self._show_summary()

    def shutdown(self) -> None:
        """Stop a running quiz (what was answered stays saved)."""
        if self._task is not None and not self._task.done():
            self._stopped = True
            self._task.cancel()

    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    # ------------------------------------------------------------------ choices
    def _fill_judges(self) -> None:
        current = self.judge.currentData()
        self.judge.blockSignals(True)
        self.judge.clear()
        self.judge.addItem(self.tr("none"), None)
        mine = self.record.id if self.record is not None else None
        for record in self._choices:
            if record.id != mine:
                label = record.name + (f" · {record.model}" if record.model else "")
                self.judge.addItem(label, record.id)
        index = self.judge.findData(current) if current is not None else 0
        self.judge.setCurrentIndex(max(index, 0))
        self.judge.blockSignals(False)

    def _judge_record(self) -> DeploymentRecord | None:
        wanted = self.judge.currentData()
        return next((r for r in self._choices if r.id == wanted), None)

    def _run_label(self, run: QuizRun) -> str:
        from tunedesk.ui.pages.train.history import local_time

        return self.tr("{right} of {total} right · {when} · {deployment}").format(
            when=local_time(run.created_at),
            deployment=run.deployment or run.model,
            right=run.right,
            total=run.total,
        )

    def _reload_runs(self, show: str | None) -> None:
        self._runs = self.history.list() if self.history is not None else []
        self._select_run(show)

    def _newest_for(self, record: DeploymentRecord | None) -> QuizRun | None:
        if record is None:
            return None
        return next((r for r in self._runs if r.deployment == record.name), None)

    def _select_run(self, run_id: str | None) -> None:
        run = next((r for r in self._runs if r.id == run_id), None)
        if self.asking is not None and self.asking.id == run_id:
            run = self.asking
        self.model.set_run(run)
        if self.model.other is not None and (run is None or self.model.other.id == run.id):
            self.model.set_other(None)
        self._fill_runs()
        self._show_summary()
        self._update_state()

    def _fill_runs(self) -> None:
        shown = self.model.run
        self.runs.blockSignals(True)
        self.runs.clear()
        if not self._runs:
            self.runs.addItem(self.tr("no saved runs yet"), None)
        for run in self._runs:
            self.runs.addItem(self._run_label(run), run.id)
        index = self.runs.findData(shown.id) if shown is not None else -1
        if shown is None and self._runs:
            self.runs.insertItem(0, self.tr("choose a saved run"), None)
            index = 0
        self.runs.setCurrentIndex(max(index, 0))
        self.runs.blockSignals(False)
        other = self.model.other
        self.compare.blockSignals(True)
        self.compare.clear()
        self.compare.addItem(self.tr("none"), None)
        for run in self._runs:
            if shown is None or run.id != shown.id:
                self.compare.addItem(self._run_label(run), run.id)
        index = self.compare.findData(other.id) if other is not None else 0
        self.compare.setCurrentIndex(max(index, 0))
        self.compare.blockSignals(False)

    def _on_runs_changed(self, _index: int) -> None:
        if not self.busy():
            self._select_run(self.runs.currentData())

    def _on_compare_changed(self, _index: int) -> None:
        wanted = self.compare.currentData()
        self.model.set_other(next((r for r in self._runs if r.id == wanted), None))
        self._show_summary()

    def _on_only_misses_toggled(self, checked: bool) -> None:
        self.model.set_only_misses(checked)
        self._show_summary()

    # ------------------------------------------------------------------ state shown
    def _update_state(self) -> None:
        running = self.busy()
        has_place = self.record is not None and self.project is not None
        self.start_button.setEnabled(has_place and not running)
        self.start_button.setVisible(not running)
        self.stop_button.setVisible(running)
        self.judge.setEnabled(not running)
        self.include_training.setEnabled(not running)
        self.runs.setEnabled(not running and bool(self._runs))
        run = self.model.run
        unanswered = run is not None and run.answered < run.total
        self.ask_again.setVisible(unanswered and not running)
        self.send_back.setEnabled(run is not None and bool(run.misses()) and not running)
        self.progress.setVisible(running)
        self.progress_label.setVisible(running)

    def _show_progress(self) -> None:
        self.progress.setRange(0, max(self._total, 1))
        self.progress.setValue(self._done)
        self.progress_label.setText(
            self.tr("{done} of {total} asked").format(done=self._done, total=self._total)
        )

    def _show_summary(self) -> None:
        run = self.model.run
        if run is None:
            self.summary.setText("")
            self.summary.hide()
            if self.record is None:
                text = self.tr("Deploy a trained model first: the quiz asks a deployment.")
            else:
                text = self.tr(
                    "No quiz of {name} yet. Start quiz asks it every validation question "
                    "(the questions it did not train on) and scores its answers."
                ).format(name=self.record.name)
            self.empty.setText(text)
            self.empty.show()
            self.split_note.hide()
            self.compare_note.hide()
            return
        self.summary.show()
        text = str(run.summary())
        other = self.model.other
        if other is not None:
            both, better, worse = _differences(run, other)
            self.compare_note.setText(
                self.tr("Earlier run ({run}): {summary}").format(
                    run=self._run_label(other), summary=str(other.summary())
                )
                + "\n"
                + self.tr(
                    "On the {both} questions both runs answered: {better} right now that were "
                    "wrong before, {worse} wrong now that were right before."
                ).format(both=both, better=better, worse=worse)
            )
            self.compare_note.show()
        else:
            self.compare_note.hide()
        self.summary.setText(text)
        if self._split_of is not None and self._split_of[0] == run.id:
            self.split_note.setText(self._split_words(self._split_of[1]))
            self.split_note.show()
        else:
            self.split_note.hide()
        if self.model.only_misses and self.model.rowCount() == 0:
            self.empty.setText(self.tr("No misses in this run."))
            self.empty.show()
        else:
            self.empty.hide()

    def _split_words(self, from_job: bool) -> str:
        if from_job:
            return self.tr(
                "Validation questions: the ones the training job held out (read from the "
                "files it was given)."
            )
        return self.tr(
            "The training job's files are not in this project: validation questions are the "
            "project's 10 % split as it is now."
        )

    def _layout_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_ROW, QHeaderView.ResizeMode.ResizeToContents)
        for column in (COL_QUESTION, COL_EXPECTED, COL_ANSWER, COL_OTHER_ANSWER):
            if column < self.model.columnCount():
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        width = 170 if self.model.columnCount() <= COL_OTHER_ANSWER else 150
        for column in (COL_SCORE, COL_OTHER_SCORE):
            if column < self.model.columnCount():
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(column, width)

    def _fit_rows(self) -> None:
        """Each row as tall as its text, up to :data:`ROW_LINES` lines (the tooltip has
        the rest); a long quiz keeps the fixed height (measuring is per row)."""
        if self.model.rowCount() > FIT_ROWS:
            return
        self.table.resizeRowsToContents()
        for row in range(self.model.rowCount()):
            if self.table.rowHeight(row) > self._row_cap:
                self.table.setRowHeight(row, self._row_cap)

    # ------------------------------------------------------------------ running a quiz
    def start(self) -> None:
        """Start quiz: a new run over the validation (and training) questions."""
        record, project, history = self.record, self.project, self.history
        if record is None or project is None or history is None or self.busy():
            return
        from tunedesk.core.quiz import QuizRun

        judge = self._judge_record()
        include = self.include_training.isChecked()
        ds = project.dataset
        snapshot = Dataset(ds.system_prompt, list(ds.examples))
        job_files = self._job_files(project, record)
        self.note.clear()

        async def work() -> None:
            items = await ops.in_worker(
                lambda: questions_for(snapshot, job_files, include_training=include)
            )
            if not items:
                self.note.show_message(
                    self.tr(
                        "There are no validation questions to ask: mark some rows as "
                        "Validation on the Data page, or include the training questions."
                    ),
                    tone=Tone.INFO,
                )
                return
            run = QuizRun.new(
                record.name, record.model, items, job_client_key=record.job_client_key
            )
            history.add(run, flush=True)
            self._split_of = (run.id, job_files is not None)
            self._runs.insert(0, run)
            await self._ask(run, items, record, judge)

        self._launch(work)

    def ask_unanswered(self) -> None:
        """Ask the questions of the shown run that have no answer yet, once more."""
        run = self.model.run
        if run is None or self.busy():
            return
        record = next((r for r in self.page.online() if r.name == run.deployment), None)
        if record is None:
            self.note.show_message(
                self.tr("{name}, which this run asked, is not online any more.").format(
                    name=run.deployment
                ),
                tone=Tone.WARNING,
            )
            return
        items = [r.item for r in run.items if r.score is None]
        if not items:
            return
        judge = self._judge_record()
        self.note.clear()
        self._launch(lambda: self._ask(run, items, record, judge))

    def stop(self) -> None:
        self.shutdown()

    def _launch(self, work: Any) -> None:
        self._stopped = False

        def failed(error: UserFacingError) -> None:
            self.note.show_error(error, retry=False)

        self._task = ops.run_op(
            self,
            work,
            label=self.tr("Quizzing…"),
            quiet=True,
            on_error=failed,
        )
        self._task.add_done_callback(lambda _t: self._finished())
        self._update_state()

    def _job_files(
        self, project: Project, record: DeploymentRecord
    ) -> tuple[bytes, bytes | None] | None:
        """The exact training and validation files of the job behind ``record``, if kept."""
        if not record.job_client_key:
            return None
        from tunedesk.core.jobs import JobHistory

        jobs = JobHistory(project)
        try:
            if not jobs.has_files(record.job_client_key):
                return None
            training = jobs.training_file(record.job_client_key)
            validation = jobs.validation_file(record.job_client_key)
        except UserFacingError:
            return None
        return training, validation

    async def _ask(
        self,
        run: QuizRun,
        items: Sequence[QuizItem],
        record: DeploymentRecord,
        judge: DeploymentRecord | None,
    ) -> None:
        from tunedesk.core.quiz import QuizResult

        self.asking = run
        self._done, self._total = 0, len(items)
        self._saved_at = time.monotonic()
        self._select_run(run.id)
        self._show_progress()
        self._update_state()
        pending = list(items)
        asked: set[str] = set()
        client: ChatClient | None = None
        judge_client: ChatClient | None = None
        try:
            client = await self.page.client_for(record)
            if judge is not None:
                judge_client = await self.page.client_for(judge)

            async def worker(chat: ChatClient) -> None:
                while pending:
                    item = pending.pop(0)
                    result = await self._ask_one(chat, judge_client, item)
                    asked.add(item.example_id)
                    self._got(result)

            async with asyncio.TaskGroup() as group:
                for _ in range(min(CONCURRENCY, len(items))):
                    group.create_task(worker(client))
        finally:
            if self._stopped:
                reason = self.tr("Stopped before it was answered")
                for item in items:
                    if item.example_id not in asked:
                        self._got(QuizResult(item, "", None, error=reason), count=False)
            self._save(final=True)
            for chat in (client, judge_client):
                if chat is not None:
                    await chat.aclose()

    async def _ask_one(
        self, chat: ChatClient, judge: ChatClient | None, item: QuizItem
    ) -> QuizResult:
        from tunedesk.core.quiz import QuizResult, judge_messages, parse_judge

        try:
            answer = await chat.complete(
                item.messages(), max_tokens=MAX_ANSWER_TOKENS, on_wait=self._on_wait
            )
        except UserFacingError as exc:  # retries exhausted, filtered, offline…: said, kept
            return QuizResult(item, "", None, error=str(exc.message))
        scored = await ops.in_worker(_score_answer, item.expected, answer)
        if judge is not None:
            try:
                reply = await judge.complete(
                    judge_messages(item.question, item.expected, answer),
                    max_tokens=JUDGE_TOKENS,
                    on_wait=self._on_wait,
                )
            except UserFacingError:
                reply = ""  # the plain score stands; the row says no judge verdict
            verdict = parse_judge(reply)
            if verdict is not None:
                scored = scored.with_judge(*verdict)
        return QuizResult(item, answer, scored)

    def _got(self, result: QuizResult, *, count: bool = True) -> None:
        run = self.asking
        if run is None:
            return
        run = run.with_result(result)
        self.asking = run
        if count:
            self._done += 1
            self._show_progress()
        if result.score is not None:
            self.wait_note.clear()
        shown = self.model.run
        if shown is not None and shown.id == run.id:
            self.model.update_result(run, result)
            self._show_summary()
        if time.monotonic() - self._saved_at >= SAVE_EVERY:
            self._save()

    def _save(self, *, final: bool = False) -> None:
        run = self.asking
        if run is None or self.history is None:
            return
        self._saved_at = time.monotonic()
        self.history.update(run, flush=final)
        self._runs = [run if r.id == run.id else r for r in self._runs]

    def _on_wait(self, wait: RetryWait) -> None:
        self.wait_note.show_message(str(wait.message), tone=Tone.WARNING)
        self._wait_timer.start(int(wait.seconds * 1000) + 500)

    def _finished(self) -> None:
        run = self.asking
        self.asking = None
        self._wait_timer.stop()
        self.wait_note.clear()
        if self.history is not None:
            self._reload_runs(show=run.id if run is not None else None)
        failed = len(run.failed()) if run is not None else 0
        if failed == 1:
            self.note.show_message(
                self.tr(
                    "1 question could not be answered (the reason is in its row). Ask the "
                    "unanswered again when Azure is less busy."
                ),
                tone=Tone.WARNING,
            )
        elif failed:
            self.note.show_message(
                self.tr(
                    "{count} questions could not be answered (the reason is in each row). "
                    "Ask the unanswered again when Azure is less busy."
                ).format(count=failed),
                tone=Tone.WARNING,
            )
        self._update_state()

    # ------------------------------------------------------------------ misses back
    def send_misses_back(self) -> None:
        """Send back to the table: the shown run's misses as new rows, one undo step."""
        run, project, context = self.model.run, self.project, self.context
        if run is None or project is None or context is None:
            return
        from tunedesk.core.quiz import misses_as_examples, needs_review
        from tunedesk.ui.undo import InsertExamplesCommand

        dataset = project.dataset
        there = {(e.question, e.answer): e.id for e in dataset if needs_review(e)}
        misses = misses_as_examples(run, dataset)
        rows = [e for e in misses if (e.question, e.answer) not in there]
        self._sent_back = [there.get((e.question, e.answer), e.id) for e in misses]
        self.paraphrase_back.setVisible(bool(self._sent_back))
        if not rows:
            self.note.show_message(
                self.tr("The misses of this run are in the table already, flagged for review."),
                tone=Tone.INFO,
            )
            return
        count = len(rows)
        if count == 1:
            text = self.tr("Add 1 missed quiz question")
        else:
            text = self.tr("Add {count} missed quiz questions").format(count=count)
        context.undo_stack.push(InsertExamplesCommand(dataset, None, rows, text))
        if count == 1:
            message = self.tr(
                "Added 1 missed question to the end of the table as a training example, "
                "flagged for review (⚑ in its note) on the Data page. Edit > Undo takes it "
                "out again."
            )
        else:
            message = self.tr(
                "Added {count} missed questions to the end of the table as training examples, "
                "flagged for review (⚑ in their note) on the Data page. Edit > Undo takes "
                "them out again."
            ).format(count=count)
        self.note.show_message(message, tone=Tone.SUCCESS)


    def paraphrase_misses(self) -> None:
        """Open Paraphrase on the Data page for the rows just sent back."""
        if self.context is not None and self._sent_back:
            self.context.request_paraphrase(self._sent_back)


def _differences(run: QuizRun, other: QuizRun) -> tuple[int, int, int]:
    """(questions both answered, right here but not there, right there but not here)."""
    from tunedesk.core.quiz import compare

    both = better = worse = 0
    for _item, mine, theirs in compare(run, other):
        if mine is None or theirs is None or mine.score is None or theirs.score is None:
            continue
        both += 1
        if mine.right and not theirs.right:
            better += 1
        elif theirs.right and not mine.right:
            worse += 1
    return both, better, worse
