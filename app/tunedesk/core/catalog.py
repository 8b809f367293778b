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
DEFAULT_TOKEN_LIMIT = 65_536
CATALOG_FILE = "models.json"

# Azure location names -> the names people see in the portal (proper nouns, not translated).
REGION_NAMES: dict[str, str] = {
    "eastus": "East US",
    "eastus2": "East US 2",
    "northcentralus": "North Central US",
    "southcentralus": "South Central US",
    "westus": "West US",
    "westus3": "West US 3",
    "swedencentral": "Sweden Central",
    "japaneast": "Japan East",
}


def region_name(location: str) -> str:
    """``eastus2`` -> ``East US 2`` (unknown locations are returned unchanged)."""
    return REGION_NAMES.get(location.replace(" ", "").lower(), location)


def normalize_region(name: str) -> str:
    """``East US 2`` / ``eastus2`` / ``East US2`` -> ``eastus2`` (Azure's location name)."""
    return name.replace(" ", "").lower()


@dataclass(frozen=True, slots=True)
class BaseModel:
    id: str
    display_name: str
    route: Route
    publisher: str
    description_en: str
    description_zh: str
    training_regions: tuple[str, ...]
    global_training: bool
    max_example_tokens: int
    microsoft: bool  # hub route: Microsoft models need no marketplace subscription
    registry: str | None

    @property
    def description(self) -> str:
        """The description in the current UI language."""
        return self.description_zh if current_language() == "zh_CN" else self.description_en

    @property
    def needs_marketplace_subscription(self) -> bool:
        return self.route == "hub" and not self.microsoft

    def can_train_in(self, location: str) -> bool:
        """Whether a job can be trained in ``location`` (regional training only)."""
        return normalize_region(location) in self.training_regions

    @property
    def region_names(self) -> tuple[str, ...]:
        return tuple(region_name(r) for r in self.training_regions)


@dataclass(frozen=True, slots=True)
class Catalog:
    models: tuple[BaseModel, ...]
    checked: date
    source: str

    def get(self, model_id: str) -> BaseModel | None:
        """The model with this id; a versioned id (``.../versions/3``) or any case matches."""
        wanted = _bare_id(model_id).lower()
        for m in self.models:
            if m.id.lower() == wanted:
                return m
        return None

    def for_route(self, route: Route) -> tuple[BaseModel, ...]:
        return tuple(m for m in self.models if m.route == route)

    def token_limit(self, model_id: str) -> int:
        model = self.get(model_id)
        return model.max_example_tokens if model is not None else DEFAULT_TOKEN_LIMIT

    def age_days(self, today: date | None = None) -> int:
        return ((today or date.today()) - self.checked).days


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


def _model(raw: dict[str, Any]) -> BaseModel:
    route = raw["route"]
    if route not in ROUTES:
        raise ValueError(f"unknown route {route!r} for {raw.get('id')!r}")
    limit = raw["max_example_tokens"]
    if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
        raise ValueError(f"bad max_example_tokens for {raw['id']!r}")
    return BaseModel(
        id=str(raw["id"]),
        display_name=str(raw["display_name"]),
        route=route,
        publisher=str(raw["publisher"]),
        description_en=str(raw["description_en"]),
        description_zh=str(raw["description_zh"]),
        training_regions=tuple(normalize_region(str(r)) for r in raw["training_regions"]),
        global_training=bool(raw["global_training"]),
        max_example_tokens=limit,
        microsoft=bool(raw["microsoft"]),
        registry=None if raw.get("registry") is None else str(raw["registry"]),
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
            models = tuple(_model(m) for m in data["models"])
            checked = date.fromisoformat(data["checked"])
            source = str(data["source"])
        except OSError as exc:
            raise _problem(path, exc.strerror or type(exc).__name__) from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise _problem(path, str(exc)) from exc
        ids = [m.id.lower() for m in models]
        if len(set(ids)) != len(ids):
            raise _problem(path, "duplicate model ids")
        catalog = _cache[path] = Catalog(models, checked, source)
        return catalog


def token_limit(model_id: str) -> int:
    """Longest allowed training example (tokens) for ``model_id``; 65,536 when unknown."""
    return load_catalog().token_limit(model_id)
