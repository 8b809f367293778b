"""What every page may know about the app: settings, the project, the sign-in, the place.

One :class:`AppContext` per main window. Pages read it and listen to its signals instead
of reaching into the main window or each other; the flow's gates are computed from it
(:meth:`AppContext.flow_state`). It holds no secrets: a key lives in the keyring, and the
context only knows where (``ApiKeyAuth.account``).

Signals:
    project_changed(object): another project was opened (the :class:`Project`, or None).
    cloud_changed(): sign-in, place or connectivity changed.
    flow_changed(): anything the flow's gates depend on changed (after either of the above,
        and when the row count changes).
    counts_changed(int, int, int, int): the Data page's latest examples, errors, warnings
        and training tokens (for the status bar).
    training_requested(object): the Model & settings page confirmed a
        :class:`~tunedesk.ui.context.TrainingPlan`; the Train page submits it.
    jobs_changed(): a training job of the project started, changed state or ended.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from tunedesk.core import flow

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtGui import QUndoStack

    from tunedesk.cloud.auth import ApiKeyAuth, AuthSession
    from tunedesk.cloud.routes.base import TrainingRoute
    from tunedesk.cloud.secrets import SecretStore
    from tunedesk.core.project import Project
    from tunedesk.core.settings import Settings


@dataclass(frozen=True, slots=True)
class Place:
    """Where training happens: a hub project (hub route) or an AI resource (openai route).

    ``id`` is the Azure resource id (or, for a key sign-in, the endpoint); ``target`` is the
    cloud layer's ``Workspace``, ``AIResource`` or ``ApiKeyAuth``.
    """

    route: str  # "hub" | "openai"
    id: str
    name: str
    location: str  # Azure location name; "" when unknown (key sign-in)
    target: Any
    tenant_id: str | None = None
    subscription_name: str = ""

    @property
    def region(self) -> str:
        from tunedesk.core.catalog import region_name

        return region_name(self.location) if self.location else ""

    def describe(self) -> str:
        """ "Family project (West US)", in the interface language (its own brackets)."""
        from PySide6.QtCore import QCoreApplication

        if not self.region:
            return self.name
        return QCoreApplication.translate("Place", "{place} ({region})").format(
            place=self.name, region=self.region
        )


@dataclass(frozen=True, slots=True)
class TrainingPlan:
    """What the person confirmed on the Model & settings page: everything a job needs.

    ``settings`` is the :class:`~tunedesk.core.training_plan.TrainingSettings`; ``estimate``
    the :class:`~tunedesk.core.training_plan.Estimate` shown before paying (kept with the
    job, so its history says what was expected).
    """

    model_id: str
    model_name: str
    settings: Any
    estimate: Any
    validation_fraction: float
    extra: dict[str, Any] = field(default_factory=dict)


class AppContext(QObject):
    """The state pages share (one per main window)."""

    project_changed = Signal(object)
    cloud_changed = Signal()
    flow_changed = Signal()
    counts_changed = Signal(int, int, int, int)
    training_requested = Signal(object)
    paraphrase_requested = Signal(list)  # row ids: the Data page opens Paraphrase for them
    jobs_changed = Signal()

    def __init__(
        self, settings: Settings, undo_stack: QUndoStack, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.undo_stack = undo_stack
        self.project: Project | None = None
        self.session: AuthSession | None = None
        self.api_key: ApiKeyAuth | None = None
        self.place: Place | None = None
        self.offline = False
        self._secrets: SecretStore | None = None
        self._examples: int | None = None
        self._route: TrainingRoute | None = None
        self._route_place: str | None = None
        self.pending_plan: TrainingPlan | None = None
        self.has_trained_model = False
        self.has_deployment = False

    # ------------------------------------------------------------------ project
    def set_project(self, project: Project | None) -> None:
        self.project = project
        self._examples = len(project.dataset) if project is not None else None
        self.has_trained_model = self.has_deployment = False
        if project is not None:
            from tunedesk.core.deployments import DeploymentHistory
            from tunedesk.core.jobs import SUCCEEDED, JobHistory

            self.has_trained_model = any(r.state == SUCCEEDED for r in JobHistory(project).list())
            self.has_deployment = bool(DeploymentHistory(project).active())
        self.project_changed.emit(project)
        self.flow_changed.emit()

    def set_example_count(self, count: int) -> None:
        if count != self._examples:
            self._examples = count
            self.flow_changed.emit()

    def set_counts(self, examples: int, errors: int, warnings: int, tokens: int) -> None:
        """The Data page's checks finished: tell the status bar and the flow."""
        self.counts_changed.emit(examples, errors, warnings, tokens)
        self.set_example_count(examples)

    # ------------------------------------------------------------------ cloud
    @property
    def secrets(self) -> SecretStore:
        """The keyring (or, when the OS has none, the in-memory store the person accepted)."""
        if self._secrets is None:
            from tunedesk.cloud.secrets import KeyringSecretStore

            self._secrets = KeyringSecretStore()
        return self._secrets

    def use_session_secrets(self) -> None:
        """No keyring here: keep secrets in memory until TuneDesk closes."""
        from tunedesk.cloud.secrets import SessionSecretStore

        self._secrets = SessionSecretStore()

    @property
    def signed_in(self) -> bool:
        return self.session is not None or self.api_key is not None

    def set_sign_in(self, session: AuthSession | None, api_key: ApiKeyAuth | None = None) -> None:
        self.session = session
        self.api_key = api_key
        if session is None and api_key is None:
            self.place = None
        self._close_route()  # a route holds the credential it was made with
        self._cloud_changed()

    def set_place(self, place: Place | None) -> None:
        self.place = place
        self._cloud_changed()

    def route(self) -> TrainingRoute:
        """The training route for the chosen place (one per place, kept while it is chosen).

        Raises ``ValueError`` when no place is chosen (pages are only shown when one is).
        """
        place = self.place
        if place is None:
            raise ValueError("no place chosen")
        if self._route is None or self._route_place != place.id:
            self._close_route()
            from tunedesk.cloud.routes.factory import make_route

            self._route = make_route(place.target, self.session, self.secrets)
            self._route_place = place.id
        return self._route

    def _close_route(self) -> None:
        route, self._route, self._route_place = self._route, None, None
        if route is None:
            return
        import asyncio  # not before the first paint (ui/app.py): a route exists only later

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop (closing down): the process ends with it
        task = loop.create_task(route.aclose())
        _closing.add(task)
        task.add_done_callback(_closing.discard)

    # ------------------------------------------------------------------ training
    def request_training(self, plan: TrainingPlan) -> None:
        """Hand a confirmed plan to the Train page (built now or later: it takes
        :attr:`pending_plan` when it is built)."""
        self.pending_plan = plan
        self.training_requested.emit(plan)

    def request_paraphrase(self, row_ids: list[str]) -> None:
        """Ask the Data page to rephrase these rows' questions (quiz misses sent back)."""
        self.paraphrase_requested.emit(list(row_ids))

    def take_pending_plan(self) -> TrainingPlan | None:
        plan, self.pending_plan = self.pending_plan, None
        return plan

    def set_job_results(self, *, trained: bool, deployed: bool | None = None) -> None:
        """The project's jobs changed: recompute what the later steps may use."""
        changed = trained != self.has_trained_model
        self.has_trained_model = trained
        if deployed is not None and deployed != self.has_deployment:
            self.has_deployment = deployed
            changed = True
        self.jobs_changed.emit()
        if changed:
            self.flow_changed.emit()

    def set_offline(self, offline: bool) -> None:
        if offline != self.offline:
            self.offline = offline
            self._cloud_changed()

    def _cloud_changed(self) -> None:
        if self.place is None or (self._route_place not in (None, self.place.id)):
            self._close_route()
        self.cloud_changed.emit()
        self.flow_changed.emit()

    # ------------------------------------------------------------------ flow
    def flow_state(self) -> flow.FlowState:
        return flow.FlowState(
            signed_in=self.signed_in,
            place_chosen=self.place is not None,
            examples=self._examples,
            has_trained_model=self.has_trained_model,
            has_deployment=self.has_deployment,
        )


_closing: set[asyncio.Task[Any]] = set()  # routes being closed (a task needs a reference)
