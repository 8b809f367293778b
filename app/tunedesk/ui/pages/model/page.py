"""Step 3, Model & settings: which base model, how thoroughly, and what it costs — before paying.

Three sections in one scrolling column:

1. **Base model** — the place's route is asked for the models it can fine-tune (the service's
   own list, or the bundled catalog with its date); each with a plain description, where it
   trains and its prices; models this place cannot train stay visible, disabled, with why.
2. **How thoroughly** — presets and Advanced (:class:`SettingsPanel`).
3. **Before you pay** — the pre-flight checks for this model (data checked against its token
   limit, split as the upload will be), the estimate, and an explicit confirmation.

Start hands a :class:`~tunedesk.ui.context.TrainingPlan` to the Train page through the
context and switches to it; this page sends nothing to Azure but the model-list request.
The chosen model and settings are kept in the project (``training_plan`` meta), so they are
there again when the project is reopened.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from tunedesk.core import training_plan as plan
from tunedesk.core.catalog import DEFAULT_TOKEN_LIMIT, BaseModel, Route, load_catalog
from tunedesk.core.dataset import Dataset
from tunedesk.core.errors import UserFacingError
from tunedesk.core.flow import Step
from tunedesk.core.settings import save_settings
from tunedesk.core.training_plan import Limits, Preset, TrainingSettings
from tunedesk.ui import ops
from tunedesk.ui.context import TrainingPlan
from tunedesk.ui.pages.base import PAGE_STYLE, StepPage, scrolling_column
from tunedesk.ui.pages.model.model_list import ModelChoice, ModelList
from tunedesk.ui.pages.model.preflight_panel import PreflightPanel
from tunedesk.ui.pages.model.settings_panel import SettingsPanel
from tunedesk.ui.widgets.inline_message import InlineMessage, Tone

if TYPE_CHECKING:
    from tunedesk.cloud.routes.base import BaseModelList
    from tunedesk.core.data_summary import DataSummary
    from tunedesk.ui.context import AppContext

PLAN_META = "training_plan"
SUMMARY_DELAY_MS = 300  # data edits arrive in bursts: check once they settle


class ModelPage(StepPage):
    """Choose the base model and settings; see the pre-flight summary; confirm."""

    step = Step.MODEL

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._models_for: str | None = None  # place id the list was loaded for
        self._service_list: BaseModelList | None = None
        self._load_task: asyncio.Task[Any] | None = None
        self._summary: DataSummary | None = None
        self._summary_generation = 0
        self._limits: Limits | None = None
        self._model: BaseModel | None = None

        self._title = QLabel()
        self._title.setObjectName("pageTitle")
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self.note = InlineMessage()
        self.note.retry_requested.connect(self.reload_models)

        self._models_title = QLabel()
        self._models_title.setObjectName("sectionTitle")
        self.source = QLabel()
        self.source.setObjectName("hint")
        self.source.setWordWrap(True)
        self.models = ModelList()
        self.models.model_chosen.connect(self._on_model_chosen)

        self._settings_title = QLabel()
        self._settings_title.setObjectName("sectionTitle")
        self.settings_panel = SettingsPanel()
        self.settings_panel.settings_changed.connect(self._on_settings_changed)

        self._preflight_title = QLabel()
        self._preflight_title.setObjectName("sectionTitle")
        self.preflight = PreflightPanel()
        self.preflight.start_requested.connect(self.start_training)
        self.preflight.include_drafts_changed.connect(self._on_include_drafts)

        self._summary_timer = QTimer(self, singleShot=True, interval=SUMMARY_DELAY_MS)
        self._summary_timer.timeout.connect(self._summarize)

        column = QWidget()
        col = QVBoxLayout(column)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(10)
        col.addWidget(self._title)
        col.addWidget(self._intro)
        col.addWidget(self.note)
        col.addSpacing(6)
        col.addWidget(self._models_title)
        col.addWidget(self.source)
        col.addWidget(self.models)
        col.addSpacing(10)
        col.addWidget(self._settings_title)
        col.addWidget(self.settings_panel)
        col.addSpacing(10)
        col.addWidget(self._preflight_title)
        col.addWidget(self.preflight)
        col.addStretch(1)
        self.scroller = scrolling_column(self, column, max_width=860)
        self.setStyleSheet(
            PAGE_STYLE
            + "#modelName { font-weight: 600; }"
            + "#badge { color: #188038; font-weight: 600; }"
            + "#reason { color: #b3261e; }"
            + "#fieldError { color: #b3261e; }"
            + "#advancedBox { border: 1px solid palette(mid); border-radius: 6px; padding: 8px; }"
        )
        self.retranslate()

    # ------------------------------------------------------------------ StepPage
    def set_context(self, context: AppContext) -> None:
        super().set_context(context)
        context.cloud_changed.connect(self._on_cloud_changed)
        context.project_changed.connect(self._on_project_changed)
        context.counts_changed.connect(lambda *_: self._schedule_summary())
        self._on_project_changed(context.project)
        self._show_catalog_choices()

    def retranslate(self) -> None:
        self._title.setText(self.tr("Model & settings"))
        self._intro.setText(
            self.tr(
                "Choose the model to teach and how thoroughly. Nothing is sent or paid until "
                "you confirm at the bottom of this page."
            )
        )
        self._models_title.setText(self.tr("1. Base model"))
        self._settings_title.setText(self.tr("2. How thoroughly to train"))
        self._preflight_title.setText(self.tr("3. Before you pay"))
        self.models.retranslate()
        self.settings_panel.retranslate()
        self.preflight.retranslate()
        self._show_source()
        self._refresh_preflight()

    def page_shown(self) -> None:
        context = self.context
        if context is None or context.place is None:
            return
        if self._models_for != context.place.id:
            self.reload_models()
        self._schedule_summary(now=True)

    # ------------------------------------------------------------------ models
    def reload_models(self) -> None:
        context = self.context
        if context is None or context.place is None:
            return
        if self._load_task is not None and not self._load_task.done():
            self._load_task.cancel()
        place = context.place
        self._models_for = place.id
        self._service_list = None
        self.note.clear()
        self._show_catalog_choices()
        self.source.setText(
            self.tr("Asking Azure which models {place} can train…").format(place=place.describe())
        )

        async def work() -> BaseModelList:
            return await context.route().list_base_models()

        def done(models: BaseModelList) -> None:
            if self.context is None or self.context.place is not place:
                return
            self._service_list = models
            self._show_choices()

        def failed(error: UserFacingError) -> None:
            self.note.show_error(error, retry=ops.is_retryable(error))
            self._show_source()

        self._load_task = ops.run_op(
            self,
            work,
            label=self.tr("Loading the models…"),
            on_success=done,
            on_error=failed,
            quiet=True,
        )

    def _show_catalog_choices(self) -> None:
        """Until Azure answers (or without a place): the bundled list, for this place."""
        self._service_list = None
        self._show_choices()

    def _show_choices(self) -> None:
        choices = self._choices()
        current = self._saved_plan()[0] or (self.context.settings.model_id if self.context else "")
        self.models.set_choices(choices, current)
        self._show_source()
        if self.models.current_id() is None:
            self._model = self._limits = None
            self.settings_panel.set_limits(None)
            self._refresh_preflight()

    def _choices(self) -> list[ModelChoice]:
        """The service's models (it wins: what it lists, this place can train), then every
        other catalog model, disabled with the catalog's reason for this place."""
        context = self.context
        place = context.place if context is not None else None
        route: Route = "hub" if place is not None and place.route == "hub" else "openai"
        location = place.location if place is not None else ""
        catalog = load_catalog()
        default = catalog.recommended_default()
        reasons = {m.id: reason for m, reason in catalog.for_place(route, location)}
        out: list[ModelChoice] = []
        seen: set[str] = set()
        listed = self._service_list
        if listed is not None:
            for info in listed.models:
                base = catalog.get(info.id)
                # A registry still lists retired models: listed is not trainable. (A model
                # for existing customers that Azure lists for this place stays offered: the
                # service knows who the customer is.)
                retired = base is not None and base.retired
                out.append(
                    ModelChoice(
                        id=info.id,
                        name=info.name,
                        description=info.description,
                        route=info.route,
                        catalog=base,
                        reason=base.status_note if base is not None and retired else "",
                        recommended=base is not None and base is default,
                    )
                )
                seen.add((base.id if base is not None else info.id).lower())
        for base in catalog.models:
            if base.id.lower() in seen:
                continue
            reason = reasons.get(base.id, "")
            if not reason and listed is not None and listed.from_service:
                reason = self.tr("Azure does not offer it in {place} right now.").format(
                    place=place.describe() if place is not None else ""
                )
            elif reason and base.offered and base.route != route:
                reason += " " + self.tr("Choose such a place on the Sign in page to use it.")
            out.append(
                ModelChoice(
                    id=base.id,
                    name=base.display_name,
                    description=base.description,
                    route=base.route,
                    catalog=base,
                    reason=reason,
                    recommended=base is default,
                )
            )
        return out

    def _show_source(self) -> None:
        listed = self._service_list
        if listed is not None and listed.from_service:
            self.source.setText(self.tr("The models Azure offers in this place, asked just now."))
        elif listed is not None and listed.note is not None:
            self.source.setText(str(listed.note))
        else:
            checked = load_catalog().checked.isoformat()
            self.source.setText(
                self.tr("From the list that came with TuneDesk (checked on {date}).").format(
                    date=checked
                )
            )

    # ------------------------------------------------------------------ choice
    def _on_model_chosen(self, model_id: str) -> None:
        choice = self.models.current_choice()
        context = self.context
        if choice is None or context is None:
            return
        location = context.place.location if context.place is not None else ""
        base = choice.catalog or _unknown_model(choice, location)
        self._model = base
        self._limits = plan.limits_for(base, location)
        saved_model, saved_settings = self._saved_plan()
        if saved_model and saved_model.lower() == model_id.lower() and saved_settings is not None:
            settings = saved_settings
        else:
            settings = self._preset(self.settings_panel.settings().preset)
        self.settings_panel.set_limits(self._limits)
        self.settings_panel.set_settings(settings)
        self._save_plan(model_id, settings)
        if context.settings.model_id != base.id:
            context.settings.model_id = base.id
            save_settings(context.settings)
        self._schedule_summary(now=True)

    def _preset(self, preset: Preset) -> TrainingSettings:
        assert self._limits is not None
        chosen = preset if preset != Preset.CUSTOM else Preset.BALANCED
        examples = self._summary.training_examples if self._summary is not None else 0
        return plan.preset_settings(chosen, self._limits, examples)

    def _on_settings_changed(self, settings: TrainingSettings) -> None:
        model_id = self.models.current_id()
        if model_id is not None:
            self._save_plan(model_id, settings)
        self._refresh_preflight()

    # ------------------------------------------------------------------ the plan in the project
    def _saved_plan(self) -> tuple[str, TrainingSettings | None]:
        project = self.context.project if self.context is not None else None
        if project is None:
            return "", None
        raw = project.get_meta(PLAN_META, None)
        if not isinstance(raw, dict):
            return "", None
        return str(raw.get("model") or ""), TrainingSettings.from_json(raw.get("settings"))

    def _save_plan(self, model_id: str, settings: TrainingSettings) -> None:
        project = self.context.project if self.context is not None else None
        if project is None or project.closed:
            return
        value = {"model": model_id, "settings": settings.to_json()}
        if project.get_meta(PLAN_META, None) != value:
            project.set_meta(PLAN_META, value)

    # ------------------------------------------------------------------ data summary
    def _on_project_changed(self, _project: object) -> None:
        self._summary = None
        if self.models.current_id() is not None:
            self._on_model_chosen(self.models.current_id() or "")
        self._schedule_summary()

    def _on_cloud_changed(self) -> None:
        context = self.context
        if context is None:
            return
        place_id = context.place.id if context.place is not None else None
        if place_id != self._models_for:
            self._models_for = None
            self._show_catalog_choices()
            if self.isVisible() and place_id is not None:
                self.reload_models()

    def _schedule_summary(self, *, now: bool = False) -> None:
        """Check the data for the chosen model soon — only while the page is on screen
        (every edit on the Data page asks; page_shown checks when it comes back)."""
        self.preflight.set_pending(True)
        if not self.isVisible():
            return
        self._summary_timer.start(0 if now else SUMMARY_DELAY_MS)

    def _summarize(self) -> None:
        context = self.context
        project = context.project if context is not None else None
        if project is None or self._model is None:
            self._summary = None
            self._refresh_preflight()
            return
        self._summary_generation += 1
        generation = self._summary_generation
        ds = project.dataset
        snapshot = Dataset(ds.system_prompt, list(ds.examples))  # examples are immutable
        limit = self._model.max_example_tokens or DEFAULT_TOKEN_LIMIT

        async def work() -> DataSummary:
            from tunedesk.core.data_summary import summarize

            return await ops.in_worker(summarize, snapshot, limit)

        def done(summary: DataSummary) -> None:
            if generation != self._summary_generation:
                return
            self._summary = summary
            self.settings_panel.set_examples(summary.training_examples)
            self._refresh_preflight()

        ops.run_op(self, work, label=self.tr("Checking the data…"), on_success=done, quiet=True)

    # ------------------------------------------------------------------ pre-flight
    def _on_include_drafts(self, _include: bool) -> None:
        self._refresh_preflight()

    def _refresh_preflight(self) -> None:
        summary, model, limits = self._summary, self._model, self._limits
        context = self.context
        if summary is None or model is None or limits is None or context is None:
            return
        settings = self.settings_panel.settings()
        location = context.place.location if context.place is not None else ""
        items = plan.preflight(
            model,
            location,
            settings,
            limits,
            examples=summary.examples,
            training_examples=summary.training_examples,
            validation_examples=summary.validation_examples,
            longest_tokens=summary.longest_tokens,
            longest_row=summary.longest_row,
            data_errors=summary.errors,
            place_known=bool(location),
            training_tokens=summary.training_tokens,
            drafts=summary.drafts,
            include_drafts=self.preflight.include_drafts.isChecked(),
        )
        estimate = plan.estimate(
            model,
            limits,
            settings,
            training_tokens=summary.training_tokens,
            examples=summary.training_examples,
        )
        self.preflight.set_drafts(summary.drafts)
        self.preflight.set_items(items, estimate)

    def current_plan(self) -> TrainingPlan | None:
        """The plan Start would hand over, or None when something blocks it."""
        choice = self.models.current_choice()
        summary, model, limits = self._summary, self._model, self._limits
        if choice is None or summary is None or model is None or limits is None:
            return None
        if not self.preflight.ready() or self.settings_panel.errors():
            return None
        settings = self.settings_panel.settings()
        estimate = plan.estimate(
            model,
            limits,
            settings,
            training_tokens=summary.training_tokens,
            examples=summary.training_examples,
        )
        from tunedesk.core.data_summary import DEFAULT_VALIDATION_FRACTION

        return TrainingPlan(
            model_id=choice.id,
            model_name=model.display_name,
            settings=settings,
            estimate=estimate,
            validation_fraction=DEFAULT_VALIDATION_FRACTION,
        )

    def start_training(self) -> None:
        context = self.context
        training = self.current_plan()
        if context is None or training is None:
            return
        self.preflight.confirm.setChecked(False)  # each job is confirmed on its own
        context.request_training(training)
        self.step_requested.emit(Step.TRAIN.value)
        self.note.show_message(self.tr("Training was handed to the Train page."), tone=Tone.SUCCESS)


def _unknown_model(choice: ModelChoice, location: str) -> BaseModel:
    """A model the service offers that the bundled catalog does not know: its limits are
    Azure's general ones, trained where the service said it can be (the service decides
    the rest when the job is created)."""
    return BaseModel(
        id=choice.id,
        display_name=choice.name,
        route="hub" if choice.route == "hub" else "openai",
        publisher="",
        description_en=choice.description,
        description_zh=choice.description,
        standard_regions=(location,) if location else (),
        max_example_tokens=DEFAULT_TOKEN_LIMIT,
        microsoft=False,
        registry=None,
    )
