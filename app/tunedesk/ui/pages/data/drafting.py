"""Draft question/answer pairs from documents, or paraphrase questions, with a deployed model.

One dialog, two modes (:class:`DraftMode`): from the expert's documents (PDF, Word,
Markdown, text, HTML; extracted and cut into passages on a worker, a message per file that
gives no text) or rephrasings of the selected rows' questions. It is not modal: the person
can review drafts in the table while more arrive.

Everything it writes lands in the table as *draft* rows, linked to where it came from;
nothing is accepted here. Rephrasings are one undo step per question. Drafts from documents
arrive a passage at a time, up to ten a second, and every insert makes the Data page's
grid, filter and checks react: they are gathered for :data:`FLUSH_MS` and inserted as one
undo step, with the run's progress saved in the project in the same moment (so a crash
loses at most that much, and a restart resumes with no passage missing or twice). The chat
itself is ``cloud.drafting`` on the route's chat client: throttling slows it down and never
loses a passage, Pause finishes what is in flight, Stop (or closing) keeps what arrived.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.dataset import Dataset, Example
from tunedesk.core.errors import UserFacingError
from tunedesk.ui import ops
from tunedesk.ui.undo import InsertExamplesCommand, MacroCommand, ReplaceExamplesCommand
from tunedesk.ui.widgets.inline_message import InlineMessage, Tone

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from tunedesk.cloud.drafting import DraftingProgress, Skipped
    from tunedesk.cloud.routes.base import RetryWait
    from tunedesk.core.deployments import DeploymentRecord
    from tunedesk.core.documents import Chunk
    from tunedesk.core.drafting import DraftingRun
    from tunedesk.core.project import Project
    from tunedesk.ui.context import AppContext

DEFAULT_PAIRS = 3
DEFAULT_REPHRASINGS = 3
MAX_PER_ITEM = 10
FLUSH_MS = 250  # drafted rows gathered this long, then inserted and saved together


class DraftMode(StrEnum):
    DOCUMENTS = "documents"
    PARAPHRASE = "paraphrase"


@dataclass
class _Document:
    path: Path
    chunks: list[Chunk] | None = None  # None while extracting
    problem: UserFacingError | None = None
    drafted: bool = False  # a run of this dialog drafted all of it: Start does not again


class DraftDialog(QDialog):
    """Signals: finished_run(int) — rows added by the run that just ended."""

    finished_run = Signal(int)

    def __init__(
        self,
        context: AppContext,
        undo_stack: QUndoStack,
        mode: DraftMode,
        rows: list[Example] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("DraftDialog")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAcceptDrops(mode == DraftMode.DOCUMENTS)
        self.resize(640, 560)
        self.context = context
        self.mode = mode
        self._undo_stack = undo_stack
        self._rows = list(rows or [])
        self._documents: list[_Document] = []
        self._task: asyncio.Task[Any] | None = None
        self._pause: asyncio.Event = asyncio.Event()
        self._pause.set()  # set: running; cleared: paused
        self._resume: DraftingRun | None = None
        self._paraphrased: set[str] = set()  # rows rephrased by this dialog: not asked again
        self._added = 0
        # drafts from documents not in the table yet, and where they go: (project, run,
        # dataset) while a run is on, None once it ended or was stopped
        self._batch: list[tuple[Chunk, list[Example]]] = []
        self._batch_target: tuple[Project, DraftingRun, Dataset] | None = None
        self._flush_timer = QTimer(self, singleShot=True, interval=FLUSH_MS)
        self._flush_timer.timeout.connect(self._flush_drafts)
        self._estimate_generation = 0
        self._closing = False
        self._helpers: set[asyncio.Task[Any]] = set()  # extraction, estimates, questions

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.note = InlineMessage()
        self.resume_note = InlineMessage()
        self.resume_button = QPushButton()
        self.resume_button.clicked.connect(self._on_resume_clicked)
        self.discard_button = QPushButton()
        self.discard_button.clicked.connect(self._on_discard_clicked)
        resume_row = QHBoxLayout()
        resume_row.addStretch(1)
        resume_row.addWidget(self.resume_button)
        resume_row.addWidget(self.discard_button)

        # --- documents (documents mode) or the rows to rephrase (paraphrase mode)
        self.files = QListWidget()
        self.files.setObjectName("draftFiles")
        self.files.setWordWrap(True)
        self.add_files = QPushButton()
        self.add_files.clicked.connect(self.choose_files)
        self.remove_file = QPushButton()
        self.remove_file.clicked.connect(self._on_remove_file)
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(self.add_files)
        file_buttons.addWidget(self.remove_file)
        file_buttons.addStretch(1)
        self.drop_hint = QLabel()
        self.drop_hint.setObjectName("hint")
        self.drop_hint.setWordWrap(True)

        # --- settings
        self.deployment = QComboBox()
        self.deployment.setMinimumWidth(260)
        self.deployment.currentIndexChanged.connect(self._schedule_estimate)
        self.count = QSpinBox()
        self.count.setRange(1, MAX_PER_ITEM)
        self.count.setValue(DEFAULT_PAIRS if mode == DraftMode.DOCUMENTS else DEFAULT_REPHRASINGS)
        self.count.valueChanged.connect(self._schedule_estimate)
        self._deployment_label = QLabel()
        self._count_label = QLabel()
        self.count.setMinimumWidth(72)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self._deployment_label, self.deployment)
        form.addRow(self._count_label, self.count)
        self.estimate = QLabel()
        self.estimate.setWordWrap(True)
        self.estimate.setObjectName("draftEstimate")

        # --- progress
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("draftStatus")
        self.wait = QLabel()
        self.wait.setObjectName("hint")
        self.wait.setWordWrap(True)
        self.skipped = QLabel()
        self.skipped.setWordWrap(True)
        self.skipped.setObjectName("hint")

        # --- buttons
        self.start = QPushButton()
        self.start.setObjectName("primaryButton")
        self.start.clicked.connect(self._on_start_clicked)
        self.pause = QPushButton()
        self.pause.setCheckable(True)
        self.pause.toggled.connect(self._on_pause_toggled)
        self.stop = QPushButton()
        self.stop.clicked.connect(self.stop_run)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pause)
        buttons.addWidget(self.stop)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.start)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.note)
        layout.addWidget(self.resume_note)
        layout.addLayout(resume_row)
        layout.addWidget(self.files, 1)
        if mode == DraftMode.DOCUMENTS:
            layout.addWidget(self.drop_hint)
            layout.addLayout(file_buttons)
        else:
            for widget in (self.add_files, self.remove_file, self.drop_hint):
                widget.hide()
        layout.addLayout(form)
        layout.addWidget(self.estimate)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.wait)
        layout.addWidget(self.skipped)
        layout.addLayout(buttons)
        self._resume_row = resume_row
        self.retranslate()
        # another project: this dialog's documents, run and rows belong to the one it left
        context.project_changed.connect(self._on_project_changed)
        self._fill_deployments()
        self._fill_rows()
        self._find_unfinished_run()
        self._set_running(False)
        self.progress.hide()
        self.wait.hide()
        self.skipped.hide()
        self._schedule_estimate()

    # ================================================================== texts
    def retranslate(self) -> None:
        documents = self.mode == DraftMode.DOCUMENTS
        if documents:
            self.setWindowTitle(self.tr("Draft questions and answers from documents"))
            self.intro.setText(
                self.tr(
                    "Add your handbooks, policies or product sheets. A model you deployed "
                    "reads them passage by passage and drafts questions a person might ask, "
                    "with answers taken only from the text, in the document's language. "
                    "Every pair lands in the table as a draft for you to accept, edit or "
                    "reject."
                )
            )
            self._count_label.setText(self.tr("Pairs per passage:"))
            self.start.setText(self.tr("Start drafting"))
        else:
            self.setWindowTitle(self.tr("Paraphrase questions"))
            self.intro.setText(
                self.tr(
                    "A model remembers a fact far better when it has seen it asked several "
                    "ways. A model you deployed writes other wordings of each question below; "
                    "each keeps its answer and lands under its original as a draft. The "
                    "validation split keeps a question and its rephrasings together."
                )
            )
            self._count_label.setText(self.tr("Rephrasings per question:"))
            self.start.setText(self.tr("Start paraphrasing"))
        self.add_files.setText(self.tr("Add documents…"))
        self.remove_file.setText(self.tr("Remove"))
        self.drop_hint.setText(
            self.tr("Or drag files here: PDF, Word (.docx), Markdown, text or HTML.")
        )
        self._deployment_label.setText(self.tr("Model that drafts:"))
        self.pause.setText(self.tr("Resume") if self.pause.isChecked() else self.tr("Pause"))
        self.stop.setText(self.tr("Stop"))
        self.close_button.setText(self.tr("Close"))
        self.resume_button.setText(self.tr("Resume"))
        self.discard_button.setText(self.tr("Start over"))

    # ================================================================== deployments
    def _fill_deployments(self) -> None:
        """The project's online deployments in the chosen place, base models first (they
        draft well and are billed per token)."""
        self.deployment.clear()
        records = self._online()
        for record in sorted(records, key=lambda r: (not r.base_model, r.name)):
            label = self.tr("{name} ({model})").format(name=record.name, model=record.model)
            self.deployment.addItem(label, record.id)
        context = self.context
        if context.offline or not context.signed_in or context.place is None:
            reason = self.tr(
                "Drafting needs Azure: sign in and choose a place on the Sign in page, and "
                "deploy a model there. Everything else on the Data page works offline."
            )
        elif not records:
            reason = self.tr(
                "Drafting needs a chat model online in this place: deploy one on the Deploy "
                "page (the base model works well), then come back."
            )
        else:
            reason = ""
        if reason:
            self.note.show_message(reason, tone=Tone.INFO)
        else:
            self.note.clear()
        self.deployment.setEnabled(bool(records))

    def _online(self) -> list[DeploymentRecord]:
        project = self.context.project
        if project is None or self.context.place is None:
            return []
        from tunedesk.core.deployments import DeploymentHistory

        return [
            r
            for r in DeploymentHistory(project).active()
            if r.state.lower() == "succeeded"
        ]

    def _record(self) -> DeploymentRecord | None:
        wanted = self.deployment.currentData()
        return next((r for r in self._online() if r.id == wanted), None)

    # ================================================================== documents
    def choose_files(self) -> None:
        dialog = QFileDialog(self, self.tr("Add documents"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters(
            [
                self.tr("Documents (*.pdf *.docx *.md *.markdown *.txt *.html *.htm)"),
                self.tr("All files (*)"),
            ]
        )

        async def pick() -> None:
            if await ops.run_dialog(dialog) == QDialog.DialogCode.Accepted:
                self.add_documents([Path(p) for p in dialog.selectedFiles()])

        self._keep(ops.run_op(self, pick, label=self.tr("Add documents"), quiet=True))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls: list[QUrl] = event.mimeData().urls()
        paths = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_documents(paths)

    def add_documents(self, paths: list[Path]) -> None:
        """Extract and cut each new file into passages on a worker, one at a time."""
        known = {d.path for d in self._documents}
        new = [_Document(p) for p in paths if p not in known]
        if not new:
            return
        self._documents += new
        self._refresh_files()

        async def extract_all() -> None:
            from tunedesk.core.documents import chunk, extract

            for document in new:
                try:
                    text = await ops.in_worker(extract, document.path, self._stopping)
                    document.chunks = await ops.in_worker(chunk, text)
                except UserFacingError as exc:  # its own message, naming the file
                    document.problem = exc
                    document.chunks = []
                self._refresh_files()
                self._schedule_estimate()

        self._keep(
            ops.run_op(self, extract_all, label=self.tr("Reading the documents…"), quiet=True)
        )

    def _on_remove_file(self) -> None:
        row = self.files.currentRow()
        if 0 <= row < len(self._documents) and not self._running():
            del self._documents[row]
            self._refresh_files()
            self._schedule_estimate()

    def _refresh_files(self) -> None:
        if self.mode != DraftMode.DOCUMENTS:
            return
        current = self.files.currentRow()
        self.files.clear()
        for document in self._documents:
            if document.problem is not None:  # its message names the file already
                hint = document.problem.hint
                line = str(document.problem.message)
                if hint is not None:
                    line = self.tr("{message} {hint}").format(message=line, hint=hint)
            elif document.chunks is None:
                line = self.tr("{name}: reading…").format(name=document.path.name)
            else:
                line = self._passages_line(document)
                if document.drafted:
                    line = self.tr("{line} · drafted").format(line=line)
            item = QListWidgetItem(line)
            item.setToolTip(str(document.path))
            if document.problem is not None:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.files.addItem(item)
        if self._documents:
            self.files.setCurrentRow(min(max(current, 0), len(self._documents) - 1))
        self._set_running(self._running())

    def _passages_line(self, document: _Document) -> str:
        chunks = document.chunks or []
        pages = len({c.page for c in chunks if c.page is not None})
        name = document.path.name
        if len(chunks) == 1:
            if pages:
                return self.tr("{name}: 1 passage, on page {page}").format(
                    name=name, page=chunks[0].page
                )
            return self.tr("{name}: 1 passage").format(name=name)
        if pages == 1:
            return self.tr("{name}: {count} passages on 1 page").format(
                name=name, count=len(chunks)
            )
        if pages:
            return self.tr("{name}: {count} passages on {pages} pages").format(
                name=name, count=len(chunks), pages=pages
            )
        return self.tr("{name}: {count} passages").format(name=name, count=len(chunks))

    def chunks(self) -> list[Chunk]:
        """The passages of the documents read and not drafted yet, in the order added."""
        return [c for d in self._documents if not d.drafted for c in (d.chunks or [])]

    # ================================================================== paraphrase rows
    def _fill_rows(self) -> None:
        if self.mode != DraftMode.PARAPHRASE:
            return
        self.files.clear()
        usable = [r for r in self._rows if r.question.strip() and r.answer.strip()]
        self._rows = usable
        for row in usable:
            self.files.addItem(QListWidgetItem(row.question))
        if not usable:
            self.note.show_message(
                self.tr(
                    "Select the rows whose questions should be asked other ways (rows with "
                    "a question and an answer), then choose Paraphrase again."
                ),
                tone=Tone.INFO,
            )

    # ================================================================== estimate
    def _schedule_estimate(self, *_args: object) -> None:
        self._estimate_generation += 1
        generation = self._estimate_generation
        record = self._record()
        model = record.model if record is not None else ""
        count = self.count.value()
        chunks, rows = self.chunks(), list(self._rows)
        if self._resume is not None:
            chunks = self._resume.pending()
        if (self.mode == DraftMode.DOCUMENTS and not chunks) or (
            self.mode == DraftMode.PARAPHRASE and not rows
        ):
            self.estimate.setText("")
            self._set_running(self._running())
            return

        async def work() -> Any:
            from tunedesk.core import drafting

            if self.mode == DraftMode.DOCUMENTS:
                return await ops.in_worker(drafting.estimate_drafting, chunks, count, model)
            return await ops.in_worker(drafting.estimate_paraphrasing, rows, count, model)

        def done(estimate: Any) -> None:
            if generation == self._estimate_generation:
                self.estimate.setText(self._estimate_text(estimate, len(chunks) or len(rows)))
                self._set_running(self._running())

        self._keep(
            ops.run_op(self, work, label=self.tr("Estimating…"), quiet=True, on_success=done)
        )

    def _estimate_text(self, estimate: Any, items: int) -> str:
        if self.mode == DraftMode.DOCUMENTS:
            what = self.tr("{count} passages, one request each").format(count=f"{items:,}")
        else:
            what = self.tr("{count} questions, one request each").format(count=f"{items:,}")
        tokens = self.tr("about {input} tokens in and {output} out").format(
            input=f"{estimate.input_tokens:,}", output=f"{estimate.output_tokens:,}"
        )
        if estimate.cost is None:
            cost = self.tr(
                "this model has no published price in TuneDesk; Azure bills it per token"
            )
        elif estimate.cost < 0.01:
            cost = self.tr("less than 0.01 {currency}").format(currency=estimate.currency)
        else:
            cost = self.tr("about {cost} {currency}").format(
                cost=f"{estimate.cost:,.2f}", currency=estimate.currency
            )
        return self.tr("Before you start: {what}; {tokens}; {cost}.").format(
            what=what, tokens=tokens, cost=cost
        )

    # ================================================================== resume
    def _find_unfinished_run(self) -> None:
        self.resume_note.clear()
        for widget in (self.resume_button, self.discard_button):
            widget.hide()
        project = self.context.project
        if self.mode != DraftMode.DOCUMENTS or project is None:
            return
        from tunedesk.core.drafting import latest_unfinished_run

        run = latest_unfinished_run(project)
        if run is None:
            return
        sources = sorted({c.source for c in run.chunks})
        self.resume_note.show_message(
            self.tr("An earlier drafting run stopped after {done} of {total} passages.").format(
                done=len(run.done), total=len(run.chunks)
            ),
            self.tr("From: {files}. Resume drafts only the passages still missing.").format(
                files=", ".join(sources)
            ),
            tone=Tone.INFO,
        )
        self.resume_button.show()
        self.discard_button.show()
        self._resume = run
        self.count.setValue(run.count)
        chosen = self.deployment.findData(run.deployment)  # the model it drafted with
        if chosen >= 0:
            self.deployment.setCurrentIndex(chosen)
        self._schedule_estimate()

    def _on_resume_clicked(self) -> None:
        if self._resume is not None:
            self._start(self._resume)

    def _on_discard_clicked(self) -> None:
        project = self.context.project
        if self._resume is not None and project is not None:
            from tunedesk.core.drafting import forget_run

            forget_run(project, self._resume.id)
        self._resume = None
        self.resume_note.clear()
        self.resume_button.hide()
        self.discard_button.hide()
        self._schedule_estimate()

    # ================================================================== running
    def _running(self) -> bool:
        return self._task is not None and not self._task.done()

    def is_running(self) -> bool:
        """A run is going on (or paused)."""
        return self._running()

    def _set_running(self, running: bool) -> None:
        ready = self._record() is not None and not running
        if self.mode == DraftMode.DOCUMENTS:
            extracting = any(d.chunks is None for d in self._documents)
            ready = ready and bool(self.chunks()) and not extracting
        else:
            ready = ready and any(r.id not in self._paraphrased for r in self._rows)
        self.start.setEnabled(ready)
        self.resume_button.setEnabled(self._record() is not None and not running)
        self.discard_button.setEnabled(not running)
        self.pause.setVisible(running)
        self.stop.setVisible(running)
        self.add_files.setEnabled(not running)
        self.remove_file.setEnabled(not running)
        self.deployment.setEnabled(not running and self.deployment.count() > 0)
        self.count.setEnabled(not running)

    def _on_start_clicked(self) -> None:
        if self.mode == DraftMode.PARAPHRASE:
            self._start(None)
            return
        from tunedesk.core.drafting import DraftingRun, forget_run

        project, record = self.context.project, self._record()
        if project is None or record is None:
            return
        if self._resume is not None:  # a new run replaces the one that stopped
            forget_run(project, self._resume.id)
            self._on_discard_clicked()
        run = DraftingRun.new(
            self.chunks(), record.id, self.count.value(), model=record.model
        )
        self._start(run)

    def _documents_drafted(self, run: DraftingRun) -> None:
        """After a run: the documents all of whose passages it drafted are done here."""
        done = run.done
        for document in self._documents:
            if document.chunks and all(c.id in done for c in document.chunks):
                document.drafted = True
        self._refresh_files()

    def _start(self, run: DraftingRun | None) -> None:
        record, project = self._record(), self.context.project
        if record is None or project is None:
            return
        self._added = 0
        self.note.clear()
        self.skipped.hide()
        self.progress.show()
        self.progress.setRange(0, 0)
        self.status.setText(self.tr("Connecting to {name}…").format(name=record.name))
        self.pause.setChecked(False)
        self._pause.set()
        dataset = project.dataset

        async def work() -> None:
            from tunedesk.cloud.routes.base import Deployment

            chat = await self.context.route().chat(Deployment.of(record))
            try:
                if run is not None:
                    await self._draft(chat, run, project, dataset)
                else:
                    await self._paraphrase(chat, dataset)
            finally:
                await chat.aclose()

        def failed(error: UserFacingError) -> None:
            self.note.show_error(error)
            self._finish(stopped=True)

        self._task = ops.run_op(
            self, work, label=self.tr("Drafting…"), quiet=True, on_error=failed,
            on_success=lambda _r: self._finish(stopped=False),
        )
        self._task.add_done_callback(self._on_run_done)
        self._set_running(True)

    async def _draft(self, chat: Any, run: DraftingRun, project: Any, dataset: Dataset) -> None:
        from tunedesk.cloud.drafting import run_drafting
        from tunedesk.core.drafting import forget_run

        self.progress.setRange(0, len(run.chunks))
        self.progress.setValue(len(run.done))
        self._batch = []
        self._batch_target = (project, run, dataset)

        def on_rows(chunk: Chunk, rows: list[Example]) -> None:
            # ``run`` counts the passage as done already: it is saved with its rows, or not
            # at all (after Stop, or another project opened), and then asked again on resume
            if self._batch_target is None:
                return
            self._batch.append((chunk, rows))
            if project.dataset is dataset:
                self._added += len(rows)
            if not self._flush_timer.isActive():
                self._flush_timer.start()

        try:
            await run_drafting(
                chat,
                run,
                on_rows=on_rows,
                on_progress=self._on_progress,
                on_wait=self._on_wait,
                pause=self._pause,
            )
        finally:  # done, failed, or cancelled other than by Stop (which flushed already)
            if self._batch_target is not None:
                self._flush_drafts()
                self._batch_target = None
        forget_run(project, run.id)
        self._documents_drafted(run)
        self._show_tokens(run.input_tokens, run.output_tokens)

    def _flush_drafts(self) -> None:
        """Insert the drafts gathered since the last time as one undo step, and save the
        run's progress with them: the project never holds rows the run does not count as
        done, or the reverse."""
        from tunedesk.core.drafting import save_run

        self._flush_timer.stop()
        batch, self._batch = self._batch, []
        if not batch or self._batch_target is None:
            return
        project, run, dataset = self._batch_target
        if self.context.project is not project:
            return  # its project was closed: these passages are asked again on resume
        rows = [row for _chunk, chunk_rows in batch for row in chunk_rows]
        if rows and project.dataset is dataset:
            self._undo_stack.push(
                InsertExamplesCommand(dataset, None, rows, self._batch_text(batch, len(rows)))
            )
        save_run(project, run)

    def _batch_text(self, batch: list[tuple[Chunk, list[Example]]], count: int) -> str:
        """The undo step's name: the passage, or how many drafts from how many passages."""
        passages = [chunk for chunk, rows in batch if rows]
        if len(passages) > 1:
            return self.tr("Add {count} drafts from {passages} passages").format(
                count=count, passages=len(passages)
            )
        where = self._where(passages[0].source, passages[0].page)
        return self.tr("Add drafts from {where}").format(where=where)

    def _where(self, source: str, page: int | None) -> str:
        """A passage's place: the file, and its page when it has pages."""
        if page is None:
            return source
        return self.tr("{name}, page {page}").format(name=source, page=page)

    async def _paraphrase(self, chat: Any, dataset: Dataset) -> None:
        from tunedesk.cloud.drafting import paraphrase

        self.progress.setRange(0, len(self._rows))
        self.progress.setValue(0)

        def on_rows(original: Example, rows: list[Example]) -> None:
            row = dataset.index_of(original.id)
            if row is None or not rows:
                return  # the original was deleted meanwhile: its rephrasings have no home
            current = dataset[row]
            text = self.tr("Add {count} rephrasings of row {row}").format(
                count=len(rows), row=row + 1
            )
            command = MacroCommand(text)
            if not current.group:
                grouped = current.copy(group=current.id)
                command.add(ReplaceExamplesCommand(dataset, [(current, grouped)], text))
            command.add(InsertExamplesCommand(dataset, row + 1, rows, text))
            self._undo_stack.push(command)
            self._added += len(rows)
            self._paraphrased.add(original.id)

        result = await paraphrase(
            chat,
            [r for r in self._rows if r.id not in self._paraphrased],
            self.count.value(),
            on_rows=on_rows,
            on_progress=self._on_progress,
            on_wait=self._on_wait,
            pause=self._pause,
        )
        self._show_tokens(result.input_tokens, result.output_tokens)

    def _on_progress(self, progress: DraftingProgress) -> None:
        if progress.wait is not None:
            self._on_wait(progress.wait)
        else:
            self.wait.hide()
        self.progress.setRange(0, max(progress.total, 1))
        self.progress.setValue(progress.done)
        if self.mode == DraftMode.DOCUMENTS:
            text = self.tr("{done} of {total} passages · {pairs} drafts so far").format(
                done=progress.done, total=progress.total, pairs=f"{self._added:,}"
            )
        else:
            text = self.tr("{done} of {total} questions · {pairs} rephrasings so far").format(
                done=progress.done, total=progress.total, pairs=f"{self._added:,}"
            )
        if not progress.paused:
            self.status.setText(text)
        else:
            self.status.setText(
                self.tr("{progress} · paused: press Resume to go on").format(progress=text)
            )
        if progress.skipped:
            self.skipped.setText(
                self.tr("Skipped, with nothing drafted: {list}").format(
                    list="; ".join(self._skipped_text(s) for s in progress.skipped[-5:])
                )
            )
            self.skipped.show()

    def _skipped_text(self, skipped: Skipped) -> str:
        from tunedesk.core.drafting import SKIP_FILTERED

        where = self._where(skipped.source, skipped.page)
        if skipped.reason == SKIP_FILTERED:
            why = self.tr("Azure's content filter stopped it")
        else:
            why = self.tr("the model's reply could not be read, twice")
        return self.tr("{where} ({why})").format(where=where, why=why)

    def _on_wait(self, wait: RetryWait) -> None:
        self.wait.setText(str(wait.message))
        self.wait.show()

    def _show_tokens(self, input_tokens: int, output_tokens: int) -> None:
        self.estimate.setText(
            self.tr("Tokens used: {input} in, {output} out.").format(
                input=f"{input_tokens:,}", output=f"{output_tokens:,}"
            )
        )

    def _finish(self, *, stopped: bool) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0 if stopped else 1)
        self.wait.hide()
        if self.mode == DraftMode.DOCUMENTS:
            done = self.tr(
                "Done: {count} drafts are in the table. Show: Drafts to review lists them."
            )
            halted = self.tr(
                "Stopped: {count} drafts are in the table. Open this again to resume the "
                "passages still missing."
            )
        else:
            done = self.tr("Done: {count} rephrasings are in the table, under their questions.")
            halted = self.tr("Stopped: {count} rephrasings are in the table.")
        self.status.setText((halted if stopped else done).format(count=f"{self._added:,}"))
        self.finished_run.emit(self._added)

    def _on_pause_toggled(self, paused: bool) -> None:
        if paused:
            self._pause.clear()
        else:
            self._pause.set()
        self.pause.setText(self.tr("Resume") if paused else self.tr("Pause"))
        if paused:
            self.status.setText(
                self.tr("Pausing: the passages in progress finish, then it waits for Resume.")
            )

    def stop_run(self) -> None:
        """Stop at once: what arrived stays; a document run resumes from where it stopped."""
        if self._running() and self._task is not None:
            self._flush_drafts()  # what arrived stays, with its progress
            self._batch_target = None
            self._task.cancel()
            self._finish(stopped=True)

    def _on_project_changed(self, _project: object) -> None:
        self.close()

    def _on_run_done(self, _task: asyncio.Task[Any]) -> None:
        if not self._closing:  # a closed dialog's widgets may be gone already
            self._set_running(False)

    def _keep(self, task: asyncio.Task[Any]) -> None:
        """A task of this dialog: cancelled when it closes (its widgets go with it)."""
        self._helpers.add(task)
        task.add_done_callback(self._helpers.discard)

    def _stopping(self) -> bool:
        return self._closing

    def closeEvent(self, event: Any) -> None:
        """Closing stops a run (what arrived stays; a document run can be resumed) and
        whatever else the dialog was doing."""
        self._closing = True
        self.stop_run()
        for task in list(self._helpers):
            task.cancel()
        super().closeEvent(event)
