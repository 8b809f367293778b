"""The bundled list of base models that can be fine-tuned (``resources/models.json``).

TuneDesk asks Azure for the models where it can (registry / models API). This list is the
fallback when it cannot, so it says when it was last checked and where the facts come from.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from tunedesk.core.errors import FileProblem
from tunedesk.core.i18n import current_language, lazy
from tunedesk.core.resources import resource_path

Route = Literal["hub", "openai"]
ROUTES: tuple[Route, ...] = ("hub", "openai")
Status = Literal["available", "existing-customers-only", "retired"]
STATUSES: tuple[Status, ...] = ("available", "existing-customers-only", "retired")
TrainingType = Literal["standard", "datazone", "global", "developer"]
Method = Literal["sft", "dpo", "rft"]
METHODS: tuple[Method, ...] = ("sft", "dpo", "rft")
DEFAULT_TOKEN_LIMIT = 65_536
CATALOG_FILE = "models.json"
STALE_AFTER_DAYS = 90  # older than this, say so (`tunedesk self-test`, the model list)

# Azure location names -> the names people see in the portal (proper nouns, not translated).
# The global-training regions come from Microsoft's "Fine-tuning region support" (10/2026).
REGION_NAMES: dict[str, str] = {
    "eastus": "East US",
    "eastus2": "East US 2",
    "northcentralus": "North Central US",
    "southcentralus": "South Central US",
    "westus": "West US",
    "westus3": "West US 3",
    "swedencentral": "Sweden Central",
    "japaneast": "Japan East",
    "australiaeast": "Australia East",
    "brazilsouth": "Brazil South",
    "canadacentral": "Canada Central",
    "canadaeast": "Canada East",
    "francecentral": "France Central",
    "germanywestcentral": "Germany West Central",
    "italynorth": "Italy North",
    "koreacentral": "Korea Central",
    "norwayeast": "Norway East",
    "polandcentral": "Poland Central",
    "southafricanorth": "South Africa North",
    "southindia": "South India",
    "southeastasia": "Southeast Asia",
    "spaincentral": "Spain Central",
    "switzerlandnorth": "Switzerland North",
    "switzerlandwest": "Switzerland West",
    "uaenorth": "UAE North",
    "uksouth": "UK South",
    "westeurope": "West Europe",
}


def region_name(location: str) -> str:
    """``eastus2`` -> ``East US 2`` (unknown locations are returned unchanged)."""
    return REGION_NAMES.get(location.replace(" ", "").lower(), location)


def normalize_region(name: str) -> str:
    """``East US 2`` / ``eastus2`` / ``East US2`` -> ``eastus2`` (Azure's location name)."""
    return name.replace(" ", "").lower()


@dataclass(frozen=True, slots=True)
class Prices:
    """Published list prices (``None`` where no source gave one).

    Training in ``currency`` per million training tokens (tokens × epochs), by training type;
    hosting a fine-tuned deployment in ``currency`` per hour, by deployment type.
    """

    currency: str = "USD"
    training_standard: float | None = None
    training_data_zone: float | None = None
    training_global: float | None = None
    training_developer: float | None = None
    hosting_standard: float | None = None
    hosting_global_standard: float | None = None
    hosting_developer: float | None = None


@dataclass(frozen=True, slots=True)
class BaseModel:
    """One base model as the bundled catalog knows it (facts with ``sources`` and ``checked``).

    ``standard_regions``: regional (Standard) training; on the hub route, the hub/project
    regions. ``global_regions``: regions whose Foundry resources can use Global training.
    ``data_zones``: data zones offering Data Zone training (``"us"``). A retired model keeps
    its facts for the record but trains nowhere.
    """

    id: str
    display_name: str
    route: Route
    publisher: str
    description_en: str
    description_zh: str
    standard_regions: tuple[str, ...]
    max_example_tokens: int
    microsoft: bool  # hub route: Microsoft models need no marketplace subscription
    registry: str | None
    status: Status = "available"
    retires_on: date | None = None  # the base model's retirement (None: none announced)
    existing_customers_train_until: date | None = None  # "no earlier than", per the schedule
    deployments_end_on: date | None = None
    global_regions: tuple[str, ...] = ()
    data_zones: tuple[str, ...] = ()
    developer_training: bool = False
    methods: tuple[Method, ...] = ("sft",)
    prices: Prices = Prices()
    sources: tuple[str, ...] = ()
    checked: date | None = None
    notes: tuple[str, ...] = ()

    @property
    def description(self) -> str:
        """The description in the current UI language."""
        return self.description_zh if current_language() == "zh_CN" else self.description_en

    @property
    def needs_marketplace_subscription(self) -> bool:
        return self.route == "hub" and not self.microsoft

    # -- status ---------------------------------------------------------------------------
    @property
    def retired(self) -> bool:
        """Nobody can fine-tune it any more."""
        return self.status == "retired"

    @property
    def offered(self) -> bool:
        """A new customer can fine-tune it (not retired, not restricted to existing ones)."""
        return self.status == "available"

    trainable_by_new_customers = offered

    @property
    def status_note(self) -> str:
        """A short sentence for people when the model is not simply available; else ``""``."""
        when = self.retires_on.isoformat() if self.retires_on is not None else ""
        if self.status == "retired" and when:
            text = lazy.translate("Catalog", "Retired on {date}: Azure no longer fine-tunes it.")
            return str(text.format(date=when))
        if self.status == "retired":
            return str(lazy.translate("Catalog", "Retired: Azure no longer fine-tunes it."))
        if self.status == "existing-customers-only":
            text = lazy.translate(
                "Catalog",
                "For existing customers only: since {date}, only organisations that "
                "fine-tuned it before can train it.",
            )
            return str(text.format(date=when))
        return ""

    @property
    def label(self) -> str:
        """The display name, marked when the model is retired or restricted."""
        if self.status == "retired":
            return str(lazy.translate("Catalog", "{name} (retired)").format(name=self.display_name))
        if self.status == "existing-customers-only":
            return str(
                lazy.translate("Catalog", "{name} (existing customers only)").format(
                    name=self.display_name
                )
            )
        return self.display_name

    # -- where it trains ------------------------------------------------------------------
    @property
    def global_training(self) -> bool:
        """Global training is offered for it (from :attr:`global_regions`)."""
        return not self.retired and bool(self.global_regions)

    @property
    def training_types(self) -> tuple[TrainingType, ...]:
        """The training types Azure offers for it (none when retired)."""
        if self.retired:
            return ()
        types: list[TrainingType] = []
        if self.standard_regions:
            types.append("standard")
        if self.data_zones:
            types.append("datazone")
        if self.global_regions:
            types.append("global")
        if self.developer_training:
            types.append("developer")
        return tuple(types)

    def can_train_in(self, location: str) -> bool:
        """Whether a job can be trained in ``location`` (regional training only)."""
        return not self.retired and normalize_region(location) in self.standard_regions

    def can_train_globally_in(self, location: str) -> bool:
        """Whether a Foundry resource in ``location`` can use Global training for it."""
        return not self.retired and normalize_region(location) in self.global_regions

    @property
    def training_regions(self) -> tuple[str, ...]:
        """Every region where a place can train it: regional first, then global training.

        Empty for a retired model. A Global-only open model lists the global-training
        regions, so a Foundry resource can be found or created for it.
        """
        if self.retired:
            return ()
        extra = tuple(r for r in self.global_regions if r not in self.standard_regions)
        return self.standard_regions + extra

    @property
    def region_names(self) -> tuple[str, ...]:
        return tuple(region_name(r) for r in self.training_regions)


@dataclass(frozen=True, slots=True)
class Catalog:
    models: tuple[BaseModel, ...]
    checked: date
    source: str
    default_model: str = ""

    def get(self, model_id: str) -> BaseModel | None:
        """The model with this id; a versioned id (``.../versions/3``) or any case matches."""
        wanted = _bare_id(model_id).lower()
        for m in self.models:
            if m.id.lower() == wanted:
                return m
        return None

    def for_route(self, route: Route) -> tuple[BaseModel, ...]:
        """Every model of ``route``, retired ones included (check :attr:`BaseModel.status`)."""
        return tuple(m for m in self.models if m.route == route)

    def for_place(self, route: Route, location: str) -> list[tuple[BaseModel, str]]:
        """Every model of the catalog, in catalog order, each with ``""`` when a place of
        ``route`` in ``location`` can train it, else the plain reason it cannot (for the
        Model & settings page, which shows such models disabled with the reason):

        * not offered to new customers (retired, or existing customers only): its
          :attr:`BaseModel.status_note`;
        * the other route: it trains in a classic hub project, not a Foundry resource (or
          the other way round);
        * the region: not in this region, and where it does train (hub: the hub/project
          regions; Foundry resource: regional or Global training).
        """
        out: list[tuple[BaseModel, str]] = []
        for m in self.models:
            out.append((m, _reason(m, route, location)))
        return out

    def offered(self) -> tuple[BaseModel, ...]:
        """The models a new customer can fine-tune."""
        return tuple(m for m in self.models if m.offered)

    def recommended_default(self) -> BaseModel | None:
        """The model to preselect: the catalog's default (Phi-4-mini-instruct), else the
        first offered one; never a retired or customer-restricted model."""
        chosen = self.get(self.default_model) if self.default_model else None
        if chosen is not None and chosen.offered:
            return chosen
        offered = self.offered()
        return offered[0] if offered else None

    def token_limit(self, model_id: str) -> int:
        model = self.get(model_id)
        return model.max_example_tokens if model is not None else DEFAULT_TOKEN_LIMIT

    def age_days(self, today: date | None = None) -> int:
        return ((today or date.today()) - self.checked).days

    def is_stale(self, today: date | None = None) -> bool:
        """Checked more than :data:`STALE_AFTER_DAYS` days ago: Azure has likely changed."""
        return self.age_days(today) > STALE_AFTER_DAYS


def _reason(model: BaseModel, route: Route, location: str) -> str:
    """Why a place of ``route`` in ``location`` cannot train ``model`` (``""`` if it can)."""
    if not model.offered:
        return model.status_note
    if model.route != route:
        if model.route == "hub":
            text = lazy.translate(
                "Catalog", "It trains in a classic Foundry hub project, not in a Foundry resource."
            )
        else:
            text = lazy.translate(
                "Catalog", "It trains in a Foundry resource, not in a classic Foundry hub project."
            )
        return str(text)
    trains_here = model.can_train_in(location) or (
        route == "openai" and model.can_train_globally_in(location)
    )
    if trains_here:
        return ""
    return str(
        lazy.translate("Catalog", "Not in this region; it trains in: {regions}.").format(
            regions=", ".join(model.region_names)
        )
    )


def _bare_id(model_id: str) -> str:
    """``azureml://registries/azureml/models/Phi-4/versions/7`` -> ``Phi-4``."""
    parts = model_id.strip().split("/")
    if "models" in parts:
        i = parts.index("models")
        if i + 1 < len(parts):
            return parts[i + 1]
    # fine-tuned Azure OpenAI names look like "gpt-4.1-2025-04-14.ft-<hex>"
    return model_id.strip().split(".ft-")[0]


_lock = threading.Lock()
_cache: dict[Path, Catalog] = {}


def _problem(path: Path, detail: str) -> FileProblem:
    return FileProblem(
        str(path),
        lazy.translate("Catalog", "The bundled list of base models is damaged: {detail}").format(
            detail=detail
        ),
        lazy.translate("Catalog", "Reinstall TuneDesk; this file ships with the app."),
    )


def _date(raw: dict[str, Any], key: str) -> date | None:
    value = raw.get(key)
    return None if value is None else date.fromisoformat(str(value))


def _regions(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list):
        raise ValueError(f"expected a list of regions, got {values!r}")
    return tuple(normalize_region(str(r)) for r in values)


def _price(table: dict[str, Any], key: str) -> float | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"bad price {key}={value!r}")
    return float(value)


def _prices(raw: dict[str, Any]) -> Prices:
    prices = raw.get("prices") or {}
    training = prices.get("training_per_1m_tokens") or {}
    hosting = prices.get("hosting_per_hour") or {}
    return Prices(
        currency=str(prices.get("currency") or "USD"),
        training_standard=_price(training, "standard"),
        training_data_zone=_price(training, "data_zone"),
        training_global=_price(training, "global"),
        training_developer=_price(training, "developer"),
        hosting_standard=_price(hosting, "standard"),
        hosting_global_standard=_price(hosting, "global_standard"),
        hosting_developer=_price(hosting, "developer"),
    )


def _model(raw: dict[str, Any], global_regions: tuple[str, ...]) -> BaseModel:
    model_id = raw.get("id")
    route = raw["route"]
    if route not in ROUTES:
        raise ValueError(f"unknown route {route!r} for {model_id!r}")
    status = raw["status"]
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r} for {model_id!r}")
    limit = raw["max_example_tokens"]
    if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
        raise ValueError(f"bad max_example_tokens for {model_id!r}")
    methods = tuple(raw["methods"])
    if not methods or any(m not in METHODS for m in methods):
        raise ValueError(f"bad methods {methods!r} for {model_id!r}")
    sources = tuple(str(s) for s in raw["sources"])
    if not sources or not all(s.strip() for s in sources):
        raise ValueError(f"no sources for {model_id!r}")
    if status == "existing-customers-only" and raw.get("retires_on") is None:
        raise ValueError(f"{model_id!r} is for existing customers only but has no retires_on")
    training = raw["training"]
    excluded = set(_regions(training.get("global_except", [])))
    uses_global = training.get("global") is True
    return BaseModel(
        id=str(model_id),
        display_name=str(raw["display_name"]),
        route=route,
        publisher=str(raw["publisher"]),
        description_en=str(raw["description_en"]),
        description_zh=str(raw["description_zh"]),
        standard_regions=_regions(training["standard"]),
        global_regions=tuple(r for r in global_regions if r not in excluded) if uses_global else (),
        data_zones=tuple(str(z).lower() for z in training.get("data_zones", [])),
        developer_training=training.get("developer") is True,
        max_example_tokens=limit,
        microsoft=bool(raw["microsoft"]),
        registry=None if raw.get("registry") is None else str(raw["registry"]),
        status=status,
        retires_on=_date(raw, "retires_on"),
        existing_customers_train_until=_date(raw, "existing_customers_train_until"),
        deployments_end_on=_date(raw, "deployments_end_on"),
        methods=methods,
        prices=_prices(raw),
        sources=sources,
        checked=date.fromisoformat(str(raw["checked"])),
        notes=tuple(str(n) for n in raw.get("notes", [])),
    )


def load_catalog(path: Path | None = None) -> Catalog:
    """Read (once) and validate the bundled catalog; a damaged file is a FileProblem."""
    path = path or resource_path(CATALOG_FILE)
    with _lock:
        cached = _cache.get(path)
        if cached is not None:
            return cached
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            global_regions = _regions(data.get("global_training_regions", []))
            models = tuple(_model(m, global_regions) for m in data["models"])
            checked = date.fromisoformat(data["checked"])
            source = str(data["source"])
            default_model = str(data.get("default_model") or "")
        except OSError as exc:
            raise _problem(path, exc.strerror or type(exc).__name__) from exc
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise _problem(path, f"{type(exc).__name__}: {exc}") from exc
        ids = [m.id.lower() for m in models]
        if len(set(ids)) != len(ids):
            raise _problem(path, "duplicate model ids")
        catalog = Catalog(models, checked, source, default_model)
        default = catalog.get(default_model) if default_model else None
        if default_model and (default is None or not default.offered):
            raise _problem(path, f"the default model {default_model!r} is missing or not offered")
        _cache[path] = catalog
        return catalog


def token_limit(model_id: str) -> int:
    """Longest allowed training example (tokens) for ``model_id``; 65,536 when unknown."""
    return load_catalog().token_limit(model_id)
