"""The Model & settings step in plain Python: limits, presets, validation, estimate, preflight.

Everything here is Qt-free and pure. The page asks :func:`limits_for` what the chosen base
model allows in the chosen place (a hub project's or a Foundry resource's location), offers
:class:`Preset` values through :func:`preset_settings`, shows :func:`validate`'s reasons beside
the fields, shows :class:`Estimate` lines before anything is paid, and enables the start
button only when no blocking :class:`PreflightItem` fails.

``None`` in :class:`TrainingSettings` means "let Azure choose" (the cloud routes then leave
the hyperparameter out of the request). Where Azure chooses the number of epochs, the
estimate uses :func:`typical_epochs` and says so; it never silently assumes a number.

Sources are named beside each fact. Keys as in ``shared/reference/AZURE.md``:
[FT-SLS] "Fine-tune models by using serverless API deployments in Microsoft Foundry"
(azure-ai-docs, 2026); [AOAI-SDK] azure-ai-docs ``articles/foundry/openai/includes/
fine-tuning-oai-sdk.md`` (hyperparameter table, training types); [AOAI-PORTAL] the same
folder's ``fine-tuning-studio.md`` ("Dataset size considerations", "Make your model
identifiable"); [COST] ``how-to-fine-tuning-cost-management-content.md`` (2026-03-19);
[QUOTA] ``quotas-limits.md``; [OPENAI-API] OpenAI's API reference for fine-tuning jobs
(as published in the ``openai`` SDKs' typings); [COOKBOOK] OpenAI cookbook "Data preparation
and analysis for chat model fine-tuning" (``examples/Chat_finetuning_data_prep.ipynb``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tunedesk.core.catalog import (
    BaseModel,
    Route,
    TrainingType,
    normalize_region,
    region_name,
)
from tunedesk.core.i18n import Text, lazy

CONTEXT = "TrainingPlan"
TRAINING_TYPES: tuple[TrainingType, ...] = ("standard", "datazone", "global", "developer")
FIELDS: tuple[str, ...] = (
    "batch_size",
    "learning_rate_multiplier",
    "epochs",
    "seed",
    "suffix",
    "training_type",
)

# "Fine-tuning jobs won't proceed without at least 10 training examples ... We recommend that
# you start with 50 well-crafted examples." [AOAI-PORTAL, "Dataset size considerations"]
MIN_TRAINING_EXAMPLES = 10
RECOMMENDED_TRAINING_EXAMPLES = 50
# "(tokens × epochs) ≤ 2 billion" per job [QUOTA], AZURE.md 2.3. Documented for Azure OpenAI /
# Foundry resources; TuneDesk applies it on the hub route too (no cap is documented there).
MAX_TRAINED_TOKENS = 2_000_000_000
# OpenAI's API reference types ``seed`` as an integer from 0 to 2147483647 [OPENAI-API].
SEED_MAX = 2_147_483_647

# The default number of epochs when Azure chooses ("auto"): OpenAI's documented rule is that
# "auto" decides the number of epochs "based on the size of the dataset" [OPENAI-API, n_epochs];
# the cookbook [COOKBOOK] spells the rule out with these constants: aim at 3 epochs, but read
# at least 100 and at most 25,000 examples in total, within 1-25 epochs. Azure may differ: its
# own cost example ("500 prompt / response pairs ... Algorithmically, training is set to 2
# epochs" [COST]) picked one epoch fewer than this rule, so the estimate shows a range.
TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25_000
MIN_DEFAULT_EPOCHS = 1
MAX_DEFAULT_EPOCHS = 25

# Azure data zones by location: the United States regions form the "us" zone and the
# European Union regions the "eu" zone (Microsoft's "Deployment types" article: Data Zone
# keeps processing within the Microsoft-defined zone). The bundled catalog offers Data Zone
# training only in "us" (models.json, training.data_zones).
DATA_ZONES: dict[str, frozenset[str]] = {
    "us": frozenset(
        {
            "eastus",
            "eastus2",
            "centralus",
            "northcentralus",
            "southcentralus",
            "westcentralus",
            "westus",
            "westus2",
            "westus3",
        }
    ),
    "eu": frozenset(
        {
            "francecentral",
            "germanywestcentral",
            "italynorth",
            "northeurope",
            "polandcentral",
            "spaincentral",
            "swedencentral",
            "westeurope",
        }
    ),
}

# Standard (regional) deployments of fine-tuned models are offered only in a few regions;
# Global Standard elsewhere (models.json notes, issue 12). Both bill $1.70/h [COST].
STANDARD_DEPLOYMENT_REGIONS = frozenset({"eastus2", "northcentralus", "swedencentral"})

# Time heuristics (minutes). Fixed part: file checks, safety checks, waiting in the queue and
# registering the model, which Azure does not bill [COST: "You aren't charged for time spent in
# queue ... or data safety checks"]. The user story in DESIGN.md waited ~45 minutes for ten
# examples on Phi-4-mini-instruct, inside 20-60. Variable part: Azure's cost example trained
# 1M tokens × 2 epochs in 2 h 15 min [COST], about 15,000 trained tokens a minute; the range
# takes twice and half that speed. Developer training runs on spare capacity that "may be
# paused by the system but automatically resume" [COST], so its upper bound doubles. Azure
# OpenAI runs one job per resource at a time [QUOTA]: another running job adds its own time.
OVERHEAD_MINUTES = (20, 60)
TOKENS_PER_MINUTE_FAST = 30_000
TOKENS_PER_MINUTE_SLOW = 7_500
DEVELOPER_SLOWDOWN = 2


class Preset(StrEnum):
    QUICK = "quick"
    BALANCED = "balanced"
    THOROUGH = "thorough"
    CUSTOM = "custom"


@dataclass(frozen=True, slots=True)
class IntRange:
    low: int
    high: int

    def __contains__(self, value: object) -> bool:
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.low <= value <= self.high
        )

    def clamp(self, value: int) -> int:
        return max(self.low, min(self.high, value))


@dataclass(frozen=True, slots=True)
class FloatRange:
    """``low`` is exclusive when it is 0 (a multiplier of 0 would teach nothing)."""

    low: float
    high: float
    recommended_low: float | None = None
    recommended_high: float | None = None

    def __contains__(self, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        number = float(value)
        if not math.isfinite(number) or number > self.high:
            return False
        return number > 0 if self.low <= 0 else number >= self.low

    def recommended(self, value: float) -> bool:
        """Within the recommended range (always True when none is published)."""
        if self.recommended_low is not None and value < self.recommended_low:
            return False
        return self.recommended_high is None or value <= self.recommended_high


@dataclass(frozen=True, slots=True)
class Limits:
    route: Route
    batch_size: IntRange
    learning_rate_multiplier: FloatRange
    epochs: IntRange
    azure_chooses: bool  # the route lets the service pick (None values)
    seed: bool  # the route takes a seed
    suffix_max: int  # 0: the route has no name suffix
    training_types: tuple[TrainingType, ...]  # offered for this model in this place
    default_training_type: TrainingType | None  # Global where allowed, else Standard
    location: str = ""  # the place's Azure location ("" when no place is chosen yet)


# Hub route, serverless fine-tuning: the portal's "Task parameters" are batch_size 1-32,
# learning_rate_multiplier 0.0-10.0 (recommended 0.02-0.2) and n_epochs 1-10; "Default" lets
# the service pick [FT-SLS], AZURE.md 1.5. The hub route sends no seed (no documented key)
# and names the output itself (cloud/routes/hub.py), so there is no seed and no suffix.
_HUB = Limits(
    route="hub",
    batch_size=IntRange(1, 32),
    learning_rate_multiplier=FloatRange(0.0, 10.0, 0.02, 0.2),
    epochs=IntRange(1, 10),
    azure_chooses=True,
    seed=False,
    suffix_max=0,
    training_types=(),
    default_training_type=None,
)

# Azure OpenAI / Foundry resource route. n_epochs: "any number between 1 and 50" [OPENAI-API].
# batch_size: "The default value and the maximum value ... are specific to a base model"
# [AOAI-SDK]; OpenAI capped it at 256 [OPENAI-API, legacy fine-tunes], the widest bound known.
# learning_rate_multiplier: "experimenting with values in the range of 0.02 to 0.2" [AOAI-SDK];
# no maximum is published, 10 is TuneDesk's bound (as on the hub route). Every value may be
# left to Azure ("we recommend using the automatic defaults" [AOAI-SDK]). seed: supported
# [AOAI-SDK]. suffix: up to 40 characters, as the route sends it (see SUFFIX_MAX in
# cloud/routes/openai_route.py: the fine-tuning API reference says 40, issue 12; Azure's
# older portal how-to said 18, the openai SDK's docstring 64).
_OPENAI = Limits(
    route="openai",
    batch_size=IntRange(1, 256),
    learning_rate_multiplier=FloatRange(0.0, 10.0, 0.02, 0.2),
    epochs=IntRange(1, 50),
    azure_chooses=True,
    seed=True,
    suffix_max=40,
    training_types=(),
    default_training_type=None,
)


def data_zone(location: str) -> str | None:
    """The data zone (``"us"``, ``"eu"``) a location belongs to, if any."""
    loc = normalize_region(location)
    for zone, regions in DATA_ZONES.items():
        if loc in regions:
            return zone
    return None


def training_types_in(model: BaseModel, location: str) -> tuple[TrainingType, ...]:
    """The training types a Foundry resource in ``location`` can use for ``model``.

    The hub route has none (serverless jobs have no training type). With no place chosen
    (``location == ""``) every type the model offers anywhere is listed.
    """
    if model.route == "hub" or model.retired:
        return ()
    if not location.strip():
        return model.training_types
    offered: list[TrainingType] = []
    if model.can_train_in(location):
        offered.append("standard")
    zone = data_zone(location)
    if zone is not None and zone in model.data_zones:
        offered.append("datazone")
    if model.can_train_globally_in(location):
        offered.append("global")
    # Developer training uses Azure's idle capacity wherever the model trains [AOAI-SDK];
    # offered where the resource can train it at all.
    if model.developer_training and offered:
        offered.append("developer")
    return tuple(offered)


def limits_for(model: BaseModel, location: str) -> Limits:
    """What ``model`` allows in a place at ``location`` (``""``: no place chosen yet)."""
    base = _HUB if model.route == "hub" else _OPENAI
    types = training_types_in(model, location)
    default: TrainingType | None = None
    # Global where allowed ("We recommend using the Global Standard tier", [AOAI-SDK]),
    # else Standard, else whatever the place offers.
    for preferred in ("global", "standard", "datazone", "developer"):
        if preferred in types:
            default = preferred
            break
    return Limits(
        route=base.route,
        batch_size=base.batch_size,
        learning_rate_multiplier=base.learning_rate_multiplier,
        epochs=base.epochs,
        azure_chooses=base.azure_chooses,
        seed=base.seed,
        suffix_max=base.suffix_max,
        training_types=types,
        default_training_type=default,
        location=normalize_region(location),
    )


# ------------------------------------------------------------------------------ settings
_TYPE_ALIASES: dict[str, TrainingType] = {
    "standard": "standard",
    "regional": "standard",
    "datazone": "datazone",
    "datazonestandard": "datazone",
    "global": "global",
    "globalstandard": "global",
    "developer": "developer",
    "developertier": "developer",
}


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text or text.lower() == "auto":
            return None
        try:
            value = float(text)
        except ValueError:
            return None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        value = int(value)
    if not isinstance(value, int):
        return None
    return None if value == -1 else value  # Azure echoes defaults as -1 (AZURE.md 2.3)


def _float_or_none(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text or text.lower() == "auto":
            return None
        try:
            value = float(text)
        except ValueError:
            return None
    if not isinstance(value, int | float):
        return None
    number = float(value)
    if not math.isfinite(number) or number == -1:
        return None
    return number


@dataclass(frozen=True, slots=True)
class TrainingSettings:
    preset: Preset = Preset.BALANCED
    batch_size: int | None = None  # None: let Azure choose
    learning_rate_multiplier: float | None = None
    epochs: int | None = None
    seed: int | None = None
    suffix: str = ""
    training_type: TrainingType | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "preset": self.preset.value,
            "batch_size": self.batch_size,
            "learning_rate_multiplier": self.learning_rate_multiplier,
            "epochs": self.epochs,
            "seed": self.seed,
            "suffix": self.suffix,
            "training_type": self.training_type,
        }

    @classmethod
    def from_json(cls, data: Any) -> TrainingSettings:
        """Read what :meth:`to_json` wrote; junk and old spellings never raise.

        Accepted besides: OpenAI's ``n_epochs``, ``"auto"`` and Azure's ``-1`` (Azure
        chooses), numbers written as strings, Azure's training-type spellings
        (``globalstandard``, ``developerTier``). Anything unreadable is left to Azure.
        """
        if not isinstance(data, dict):
            return cls()
        epochs_raw = data.get("epochs", data.get("n_epochs"))
        batch = _int_or_none(data.get("batch_size"))
        rate = _float_or_none(data.get("learning_rate_multiplier"))
        epochs = _int_or_none(epochs_raw)
        seed = _int_or_none(data.get("seed"))
        suffix_raw = data.get("suffix")
        suffix = suffix_raw if isinstance(suffix_raw, str) else ""
        kind_raw = data.get("training_type", data.get("trainingType"))
        kind = (
            _TYPE_ALIASES.get(kind_raw.replace(" ", "").replace("_", "").lower())
            if isinstance(kind_raw, str)
            else None
        )
        preset_raw = data.get("preset")
        try:
            preset = Preset(preset_raw) if isinstance(preset_raw, str) else None
        except ValueError:
            preset = None
        if preset is None:
            chosen = (batch, rate, epochs)
            preset = Preset.CUSTOM if any(v is not None for v in chosen) else Preset.BALANCED
        return cls(preset, batch, rate, epochs, seed, suffix, kind)


def typical_epochs(examples: int) -> int:
    """The number of epochs Azure picks when it chooses, for ``examples`` training examples.

    OpenAI's documented "auto" rule [COOKBOOK]: 3 epochs, raised so that at least 100
    examples are read in total (at most 25 epochs) and lowered so that at most 25,000 are
    (at least 1). Ten examples: 10 epochs; 500: 3; 20,000: 1.
    """
    n = max(int(examples), 1)
    epochs = TARGET_EPOCHS
    if n * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
        epochs = min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // n)
    elif n * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
        epochs = max(MIN_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES // n)
    return epochs


def azure_epochs(limits: Limits, examples: int) -> int:
    """:func:`typical_epochs` within what the route accepts."""
    return limits.epochs.clamp(typical_epochs(examples))


def preset_settings(preset: Preset, limits: Limits, examples: int) -> TrainingSettings:
    """The values behind a preset for this route and ``examples`` training examples.

    Reasoning, for the small question-and-answer sets TuneDesk is made for:

    * **Quick test**: one epoch with Azure's default batch size and learning rate. Cheapest
      and fastest; it proves that data, place and deployment work, not that the model
      learned (one pass over a few dozen answers barely moves it).
    * **Balanced**: Azure chooses everything. For a small set its rule reads the data many
      times (ten examples: ten epochs), which is what teaching facts needs; Azure
      recommends starting with its defaults [AOAI-SDK].
    * **Thorough**: twice the epochs Azure would choose (at least 4, within the route's
      range), default learning rate. Answers are learned more firmly, at twice the training
      cost, with a real risk of memorising: answering in the examples' exact words, or
      worse on questions phrased differently. Validation rows show when that happens.
    * **Custom**: starts from Balanced; the person then sets each value.

    The training type is the place's default (Global where allowed). Where a route cannot
    leave values to Azure, Balanced's values are concrete (the typical epochs).
    """
    epochs: int | None
    if preset == Preset.QUICK:
        epochs = limits.epochs.clamp(1)
    elif preset == Preset.THOROUGH:
        epochs = limits.epochs.clamp(max(2 * typical_epochs(examples), 4))
    else:
        epochs = None if limits.azure_chooses else azure_epochs(limits, examples)
    batch: int | None = None
    rate: float | None = None
    if not limits.azure_chooses:
        batch = limits.batch_size.clamp(1)
        rate = limits.learning_rate_multiplier.recommended_high or 1.0
        if epochs is None:
            epochs = azure_epochs(limits, examples)
    return TrainingSettings(
        preset=preset,
        batch_size=batch,
        learning_rate_multiplier=rate,
        epochs=epochs,
        training_type=limits.default_training_type,
    )


# ---------------------------------------------------------------------------------- words
def preset_title(preset: Preset) -> Text:
    if preset == Preset.QUICK:
        return lazy.translate("TrainingPlan", "Quick test")
    if preset == Preset.BALANCED:
        return lazy.translate("TrainingPlan", "Balanced")
    if preset == Preset.THOROUGH:
        return lazy.translate("TrainingPlan", "Thorough")
    return lazy.translate("TrainingPlan", "Custom")


def preset_sentence(preset: Preset) -> Text:
    if preset == Preset.QUICK:
        return lazy.translate(
            "TrainingPlan",
            "One pass through your examples with Azure's default settings: cheap and fast, "
            "to check that everything works. The model will not learn much from it.",
        )
    if preset == Preset.BALANCED:
        return lazy.translate(
            "TrainingPlan",
            "Azure chooses the settings for the size of your data; a small set is read "
            "several times. A good first real run.",
        )
    if preset == Preset.THOROUGH:
        return lazy.translate(
            "TrainingPlan",
            "About twice as many passes as Azure would choose: the answers are learned more "
            "firmly, training costs about twice as much, and the model may start repeating "
            "your examples word for word instead of answering in its own words.",
        )
    return lazy.translate("TrainingPlan", "Your own value for each setting.")


def field_help(name: str) -> Text:
    """One plain sentence about a setting (``""`` for an unknown name)."""
    if name == "batch_size":
        return lazy.translate(
            "TrainingPlan",
            "How many examples the model reads before each adjustment; larger batches suit "
            "larger data sets.",
        )
    if name == "learning_rate_multiplier":
        return lazy.translate(
            "TrainingPlan",
            "How big each adjustment is, compared with the model's own learning rate; "
            "smaller values are safer against learning the examples by heart.",
        )
    if name == "epochs":
        return lazy.translate(
            "TrainingPlan",
            "How many times training reads through all your examples; more passes learn the "
            "answers more firmly but cost more and may repeat them word for word.",
        )
    if name == "seed":
        return lazy.translate(
            "TrainingPlan",
            "A number that makes a run repeatable: the same seed, data and settings give "
            "nearly the same model. Leave it empty for a random one.",
        )
    if name == "suffix":
        return lazy.translate(
            "TrainingPlan",
            "A short name added to the trained model's name, so you can tell your runs apart.",
        )
    if name == "training_type":
        return lazy.translate(
            "TrainingPlan",
            "Where Azure runs the training: it decides the price, how soon it starts and "
            "whether your data stays in the region.",
        )
    return Text(CONTEXT, "")


def training_type_name(t: TrainingType) -> Text:
    if t == "standard":
        return lazy.translate("TrainingPlan", "Standard")
    if t == "datazone":
        return lazy.translate("TrainingPlan", "Data Zone")
    if t == "global":
        return lazy.translate("TrainingPlan", "Global")
    return lazy.translate("TrainingPlan", "Developer")


def training_type_sentence(t: TrainingType) -> Text:
    """What a training type means for the person paying (from [AOAI-SDK] and [COST])."""
    if t == "standard":
        return lazy.translate(
            "TrainingPlan",
            "Standard: trains in your resource's region and your data stays there; the "
            "most expensive.",
        )
    if t == "datazone":
        return lazy.translate(
            "TrainingPlan",
            "Data Zone: trains within your data zone (for example the United States) and "
            "your data stays inside it.",
        )
    if t == "global":
        return lazy.translate(
            "TrainingPlan",
            "Global: trains wherever Azure has room; cheaper than Standard and usually "
            "quicker to start, but your data may leave the region.",
        )
    return lazy.translate(
        "TrainingPlan",
        "Developer: the cheapest, on spare capacity. A job may pause and resume by itself "
        "and take longer; no data residency.",
    )


# ------------------------------------------------------------------------------ validate
def _suffix_ok(suffix: str) -> bool:
    return all(c.isascii() and (c.isalnum() or c == "-") for c in suffix)


def validate(settings: TrainingSettings, limits: Limits) -> dict[str, Text]:
    """Field name -> the reason shown beside it; ``{}`` when everything can be sent.

    Fields a route does not have (a seed or suffix on the hub route, a training type where
    none is offered) are not sent, so they are not checked.
    """
    errors: dict[str, Text] = {}
    b = limits.batch_size
    if settings.batch_size is None:
        if not limits.azure_chooses:
            errors["batch_size"] = lazy.translate(
                "TrainingPlan", "Choose a batch size from {low} to {high}."
            ).format(low=b.low, high=b.high)
    elif settings.batch_size not in b:
        errors["batch_size"] = lazy.translate(
            "TrainingPlan", "The batch size must be a whole number from {low} to {high}."
        ).format(low=b.low, high=b.high)

    lr = limits.learning_rate_multiplier
    rate = settings.learning_rate_multiplier
    if rate is None:
        if not limits.azure_chooses:
            errors["learning_rate_multiplier"] = lazy.translate(
                "TrainingPlan", "Choose a learning-rate multiplier."
            )
    elif rate not in lr:
        if lr.low <= 0:
            errors["learning_rate_multiplier"] = lazy.translate(
                "TrainingPlan",
                "The learning-rate multiplier must be more than 0 and at most {high}.",
            ).format(high=_number(lr.high))
        else:
            errors["learning_rate_multiplier"] = lazy.translate(
                "TrainingPlan", "The learning-rate multiplier must be from {low} to {high}."
            ).format(low=_number(lr.low), high=_number(lr.high))

    e = limits.epochs
    if settings.epochs is None:
        if not limits.azure_chooses:
            errors["epochs"] = lazy.translate(
                "TrainingPlan", "Choose how many epochs, from {low} to {high}."
            ).format(low=e.low, high=e.high)
    elif settings.epochs not in e:
        errors["epochs"] = lazy.translate(
            "TrainingPlan", "The number of epochs must be a whole number from {low} to {high}."
        ).format(low=e.low, high=e.high)

    if limits.seed and settings.seed is not None and settings.seed not in IntRange(0, SEED_MAX):
        errors["seed"] = lazy.translate(
            "TrainingPlan", "The seed must be a whole number from 0 to {high}."
        ).format(high=SEED_MAX)

    if limits.suffix_max > 0 and settings.suffix:
        if len(settings.suffix) > limits.suffix_max:
            errors["suffix"] = lazy.translate(
                "TrainingPlan", "Use at most {count} characters ({length} now)."
            ).format(count=limits.suffix_max, length=len(settings.suffix))
        elif not _suffix_ok(settings.suffix):
            # Azure: "the model can't contain dot/period characters" [AOAI-SDK]; the openai
            # route turns anything but letters, digits and dashes into dashes.
            errors["suffix"] = lazy.translate(
                "TrainingPlan",
                "Use only English letters, digits and dashes (no spaces, dots or other "
                "characters).",
            )

    kind = settings.training_type
    if kind is not None and limits.training_types and kind not in limits.training_types:
        errors["training_type"] = lazy.translate(
            "TrainingPlan", "{type} training is not offered for this model here. Choose {choices}."
        ).format(
            type=training_type_name(kind),
            choices=", ".join(str(training_type_name(t)) for t in limits.training_types),
        )
    return errors


def advice(settings: TrainingSettings, limits: Limits) -> dict[str, Text]:
    """Non-blocking hints beside valid fields (a multiplier outside the recommended range)."""
    hints: dict[str, Text] = {}
    lr = limits.learning_rate_multiplier
    rate = settings.learning_rate_multiplier
    if (
        rate is not None
        and rate in lr
        and not lr.recommended(rate)
        and lr.recommended_low is not None
        and lr.recommended_high is not None
    ):
        hints["learning_rate_multiplier"] = lazy.translate(
            "TrainingPlan", "Azure recommends trying values from {low} to {high}."
        ).format(low=_number(lr.recommended_low), high=_number(lr.recommended_high))
    return hints


def _number(value: float) -> str:
    return f"{value:g}"


# ------------------------------------------------------------------------------ estimate
def default_deployment_type(model: BaseModel, location: str) -> str | None:
    """How a fine-tuned model is hosted by default in this place.

    ``"standard"`` or ``"globalstandard"`` on the openai route (Standard only in
    :data:`STANDARD_DEPLOYMENT_REGIONS`), ``"serverless"`` on the hub route.
    """
    if model.route == "hub":
        return "serverless"
    if normalize_region(location) in STANDARD_DEPLOYMENT_REGIONS:
        return "standard"
    return "globalstandard"


def _training_price(model: BaseModel, kind: TrainingType | None) -> float | None:
    p = model.prices
    if kind == "standard":
        return p.training_standard
    if kind == "datazone":
        return p.training_data_zone
    if kind == "global":
        return p.training_global
    if kind == "developer":
        return p.training_developer
    return None


def _hosting_price(model: BaseModel, deployment: str | None) -> float | None:
    if deployment == "standard":
        return model.prices.hosting_standard
    if deployment == "globalstandard":
        return model.prices.hosting_global_standard
    return None


def _money(value: float) -> str:
    return f"{value:,.2f}"


@dataclass(frozen=True, slots=True)
class Estimate:
    training_tokens: int  # per epoch (training split)
    epochs: int  # used for the estimate
    epochs_chosen_by_azure: bool  # then the UI says "Azure chooses; typically N"
    trained_tokens: int  # training_tokens × epochs
    cost_low: float | None
    cost_high: float | None
    currency: str  # None costs: no published price in the catalog
    minutes_low: int
    minutes_high: int  # including queueing (see OVERHEAD_MINUTES)
    hourly_hosting: float | None  # the place's default deployment type, from catalog prices
    training_type: TrainingType | None = None
    deployment_type: str | None = None  # see default_deployment_type
    examples: int = 0

    @property
    def over_token_cap(self) -> bool:
        return self.trained_tokens > MAX_TRAINED_TOKENS

    def lines(self) -> list[Text]:
        """Plain sentences: tokens, cost, time, hosting."""
        out: list[Text] = []
        if self.epochs_chosen_by_azure:
            out.append(
                lazy.translate(
                    "TrainingPlan",
                    "{tokens} training tokens per pass. Azure chooses the number of passes "
                    "(epochs); for {examples} examples typically {epochs}, so about "
                    "{trained} tokens are trained.",
                ).format(
                    tokens=f"{self.training_tokens:,}",
                    examples=f"{self.examples:,}",
                    epochs=self.epochs,
                    trained=f"{self.trained_tokens:,}",
                )
            )
        else:
            out.append(
                lazy.translate(
                    "TrainingPlan",
                    "{tokens} training tokens per pass × {epochs} passes (epochs) = "
                    "{trained} tokens trained.",
                ).format(
                    tokens=f"{self.training_tokens:,}",
                    epochs=self.epochs,
                    trained=f"{self.trained_tokens:,}",
                )
            )
        if self.cost_low is None or self.cost_high is None:
            out.append(
                lazy.translate(
                    "TrainingPlan",
                    "Training cost: no published price for this model in TuneDesk's list; "
                    "Azure bills the tokens trained, see its pricing page.",
                )
            )
        elif _money(self.cost_low) == _money(self.cost_high):
            out.append(
                lazy.translate("TrainingPlan", "Training cost: about {cost} {currency}.").format(
                    cost=_money(self.cost_high), currency=self.currency
                )
            )
        else:
            out.append(
                lazy.translate(
                    "TrainingPlan", "Training cost: about {low} to {high} {currency}."
                ).format(
                    low=_money(self.cost_low), high=_money(self.cost_high), currency=self.currency
                )
            )
        if self.training_type == "developer":
            out.append(
                lazy.translate(
                    "TrainingPlan",
                    "Time: about {low} to {high} minutes including waiting in Azure's queue; "
                    "Developer training may pause and take longer.",
                ).format(low=self.minutes_low, high=self.minutes_high)
            )
        else:
            out.append(
                lazy.translate(
                    "TrainingPlan",
                    "Time: about {low} to {high} minutes including waiting in Azure's queue.",
                ).format(low=self.minutes_low, high=self.minutes_high)
            )
        if self.hourly_hosting is None:
            out.append(
                lazy.translate(
                    "TrainingPlan",
                    "Afterwards, hosting the trained model is billed per hour while it is "
                    "deployed (no published hourly price); delete the deployment when you "
                    "are done.",
                )
            )
        else:
            out.append(
                lazy.translate(
                    "TrainingPlan",
                    "Afterwards, hosting the trained model is billed per hour while it is "
                    "deployed ({price} {currency} an hour); delete the deployment when you "
                    "are done.",
                ).format(price=_money(self.hourly_hosting), currency=self.currency)
            )
        return out


def estimate(
    model: BaseModel,
    limits: Limits,
    settings: TrainingSettings,
    *,
    training_tokens: int,
    examples: int,
) -> Estimate:
    """Tokens, cost, time and hosting for ``settings`` before anything is paid.

    ``training_tokens``: tokens of the training split (one epoch); ``examples``: training
    examples (for the epochs Azure picks). Billing is training tokens × epochs × the price
    per token of the training type [COST]; a model without a published price has no cost.
    """
    tokens = max(int(training_tokens), 0)
    chosen_by_azure = settings.epochs is None
    epochs = azure_epochs(limits, examples) if settings.epochs is None else settings.epochs
    epochs = max(epochs, 0)
    trained = tokens * epochs
    kind = settings.training_type or limits.default_training_type
    if kind is not None and limits.training_types and kind not in limits.training_types:
        kind = limits.default_training_type
    price = _training_price(model, kind)
    cost_low = cost_high = None
    if price is not None:
        low_epochs = high_epochs = epochs
        if chosen_by_azure:  # Azure's pick may differ by one epoch (see TARGET_EPOCHS)
            low_epochs = limits.epochs.clamp(epochs - 1)
            high_epochs = limits.epochs.clamp(epochs + 1)
        cost_low = tokens * low_epochs / 1_000_000 * price
        cost_high = tokens * high_epochs / 1_000_000 * price
    minutes_low = OVERHEAD_MINUTES[0] + math.ceil(trained / TOKENS_PER_MINUTE_FAST)
    minutes_high = OVERHEAD_MINUTES[1] + math.ceil(trained / TOKENS_PER_MINUTE_SLOW)
    if kind == "developer":
        minutes_high *= DEVELOPER_SLOWDOWN
    deployment = default_deployment_type(model, limits.location)
    return Estimate(
        training_tokens=tokens,
        epochs=epochs,
        epochs_chosen_by_azure=chosen_by_azure,
        trained_tokens=trained,
        cost_low=cost_low,
        cost_high=cost_high,
        currency=model.prices.currency,
        minutes_low=minutes_low,
        minutes_high=minutes_high,
        hourly_hosting=_hosting_price(model, deployment),
        training_type=kind,
        deployment_type=deployment,
        examples=max(int(examples), 0),
    )


# ----------------------------------------------------------------------------- preflight
@dataclass(frozen=True, slots=True)
class PreflightItem:
    key: str
    ok: bool
    title: Text
    detail: Text
    blocking: bool = True

    @property
    def stops_training(self) -> bool:
        return self.blocking and not self.ok


PREFLIGHT_KEYS: tuple[str, ...] = (
    "data_checks",
    "drafts",
    "min_examples",
    "validation_rows",
    "token_limit",
    "model_status",
    "place",
    "settings",
    "token_cap",
    "permissions",
)


def ready(items: list[PreflightItem]) -> bool:
    """True when no blocking item fails."""
    return not any(item.stops_training for item in items)


def _regions(model: BaseModel) -> str:
    return ", ".join(model.region_names)


def _data_item(data_errors: int) -> PreflightItem:
    title = lazy.translate("TrainingPlan", "The data checks pass")
    if data_errors <= 0:
        detail = lazy.translate("TrainingPlan", "The Data page found nothing that stops training.")
    elif data_errors == 1:
        detail = lazy.translate("TrainingPlan", "Fix the problem on the Data page.")
    else:
        detail = lazy.translate("TrainingPlan", "Fix the {count} problems on the Data page.")
        detail = detail.format(count=f"{data_errors:,}")
    return PreflightItem("data_checks", data_errors <= 0, title, detail)


def _drafts_item(drafts: int, include: bool) -> PreflightItem:
    title = lazy.translate("TrainingPlan", "Drafted rows are reviewed")
    if drafts <= 0:
        detail = lazy.translate(
            "TrainingPlan", "No row is waiting for review: people wrote or accepted every one."
        )
    elif include:
        detail = lazy.translate(
            "TrainingPlan",
            "{count} drafts nobody has reviewed will be trained on, as you chose. A wrong "
            "draft teaches the model a wrong answer.",
        ).format(count=f"{drafts:,}")
    else:
        detail = lazy.translate(
            "TrainingPlan",
            "{count} rows a model drafted wait for review. Accept or reject them on the "
            "Data page, or include them unreviewed below.",
        ).format(count=f"{drafts:,}")
    return PreflightItem("drafts", drafts <= 0 or include, title, detail)


def _examples_item(examples: int, training_examples: int) -> PreflightItem:
    title = lazy.translate("TrainingPlan", "At least {count} training examples").format(
        count=MIN_TRAINING_EXAMPLES
    )
    ok = training_examples >= MIN_TRAINING_EXAMPLES
    if ok and training_examples >= RECOMMENDED_TRAINING_EXAMPLES:
        detail = lazy.translate("TrainingPlan", "{count} examples train the model.").format(
            count=f"{training_examples:,}"
        )
    elif ok:
        detail = lazy.translate(
            "TrainingPlan",
            "{count} examples train the model. Azure accepts this, but {recommended} or more "
            "well-written ones teach it much better.",
        ).format(count=f"{training_examples:,}", recommended=RECOMMENDED_TRAINING_EXAMPLES)
    elif examples >= MIN_TRAINING_EXAMPLES:
        detail = lazy.translate(
            "TrainingPlan",
            "Only {count} of your {total} examples train the model; the others are kept for "
            "validation. Azure needs at least {minimum}: add examples, or keep fewer for "
            "validation on the Data page.",
        ).format(
            count=f"{training_examples:,}", total=f"{examples:,}", minimum=MIN_TRAINING_EXAMPLES
        )
    else:
        detail = lazy.translate(
            "TrainingPlan",
            "{count} training examples: Azure will not start with fewer than {minimum}. Add "
            "more questions and answers on the Data page ({recommended} or more work much "
            "better).",
        ).format(
            count=f"{training_examples:,}",
            minimum=MIN_TRAINING_EXAMPLES,
            recommended=RECOMMENDED_TRAINING_EXAMPLES,
        )
    return PreflightItem("min_examples", ok, title, detail)


def _validation_item(validation_examples: int) -> PreflightItem:
    title = lazy.translate("TrainingPlan", "Validation rows")
    if validation_examples > 0:
        detail = lazy.translate(
            "TrainingPlan",
            "{count} examples are kept aside to show whether the model also answers "
            "questions it did not train on.",
        ).format(count=f"{validation_examples:,}")
        return PreflightItem("validation_rows", True, title, detail, blocking=False)
    detail = lazy.translate(
        "TrainingPlan",
        "No validation rows: without validation rows you cannot see whether it generalises. "
        "Keep a few examples for validation on the Data page.",
    )
    return PreflightItem("validation_rows", False, title, detail, blocking=False)


def _tokens_item(model: BaseModel, longest_tokens: int, longest_row: int | None) -> PreflightItem:
    limit = model.max_example_tokens
    title = lazy.translate("TrainingPlan", "Every example fits the model")
    if longest_tokens <= limit:
        detail = lazy.translate(
            "TrainingPlan",
            "The longest example has {tokens} tokens; {model} takes up to {limit}.",
        ).format(tokens=f"{longest_tokens:,}", model=model.display_name, limit=f"{limit:,}")
        return PreflightItem("token_limit", True, title, detail)
    if longest_row is not None:
        detail = lazy.translate(
            "TrainingPlan",
            "Row {row} has {tokens} tokens, more than the {limit} {model} takes in one "
            "example. Shorten it or split it into several questions.",
        ).format(
            row=longest_row,
            tokens=f"{longest_tokens:,}",
            limit=f"{limit:,}",
            model=model.display_name,
        )
    else:
        detail = lazy.translate(
            "TrainingPlan",
            "The longest example has {tokens} tokens, more than the {limit} {model} takes in "
            "one example. Shorten it or split it into several questions.",
        ).format(tokens=f"{longest_tokens:,}", limit=f"{limit:,}", model=model.display_name)
    return PreflightItem("token_limit", False, title, detail)


def _status_item(model: BaseModel) -> PreflightItem:
    title = lazy.translate("TrainingPlan", "Azure still trains this model")
    if model.offered:
        detail = lazy.translate("TrainingPlan", "{model} can be fine-tuned by anyone.").format(
            model=model.display_name
        )
        return PreflightItem("model_status", True, title, detail)
    if model.retired:
        detail = lazy.translate("TrainingPlan", "{note} Choose another model on this page.").format(
            note=model.status_note
        )
        return PreflightItem("model_status", False, title, detail)
    # Existing customers only: it still trains for organisations that trained it before,
    # which TuneDesk cannot know; Azure refuses the job for everyone else.
    detail = lazy.translate(
        "TrainingPlan",
        "{note} If your organisation has not, Azure will refuse the job: choose another model.",
    ).format(note=model.status_note)
    return PreflightItem("model_status", False, title, detail, blocking=False)


def _place_item(
    model: BaseModel, location: str, limits: Limits, place_known: bool
) -> PreflightItem:
    title = lazy.translate("TrainingPlan", "The place can train it")
    if not place_known or not location.strip():
        detail = lazy.translate(
            "TrainingPlan", "Choose where to train on the Sign in page (step 1)."
        )
        return PreflightItem("place", False, title, detail)
    where = region_name(location)
    if model.retired:
        detail = lazy.translate("TrainingPlan", "{model} is no longer trained anywhere.").format(
            model=model.display_name
        )
        return PreflightItem("place", False, title, detail)
    if model.route == "hub":
        if model.can_train_in(location):
            detail = lazy.translate(
                "TrainingPlan", "{model} is trained in a hub project in {region}."
            ).format(model=model.display_name, region=where)
            return PreflightItem("place", True, title, detail)
        detail = lazy.translate(
            "TrainingPlan",
            "{model} is trained in a hub project, and hub projects in {region} cannot "
            "fine-tune it. Choose or create a project in one of: {regions}.",
        ).format(model=model.display_name, region=where, regions=_regions(model))
        return PreflightItem("place", False, title, detail)
    if limits.training_types:
        detail = lazy.translate(
            "TrainingPlan", "A Foundry resource in {region} can train {model} ({types})."
        ).format(
            region=where,
            model=model.display_name,
            types=", ".join(str(training_type_name(t)) for t in limits.training_types),
        )
        return PreflightItem("place", True, title, detail)
    detail = lazy.translate(
        "TrainingPlan",
        "Foundry resources in {region} cannot fine-tune {model}. Choose or create one in one "
        "of: {regions}.",
    ).format(region=where, model=model.display_name, regions=_regions(model))
    return PreflightItem("place", False, title, detail)


def _settings_item(settings: TrainingSettings, limits: Limits) -> PreflightItem:
    title = lazy.translate("TrainingPlan", "The settings are valid")
    errors = validate(settings, limits)
    if not errors:
        detail = lazy.translate("TrainingPlan", "Every setting is within what Azure accepts.")
        return PreflightItem("settings", True, title, detail)
    if len(errors) == 1:
        return PreflightItem("settings", False, title, next(iter(errors.values())))
    detail = lazy.translate(
        "TrainingPlan", "{count} settings need a change; the reasons are shown beside them."
    ).format(count=len(errors))
    return PreflightItem("settings", False, title, detail)


def _cap_item(
    limits: Limits, settings: TrainingSettings, training_tokens: int | None, examples: int
) -> PreflightItem:
    title = lazy.translate("TrainingPlan", "Within Azure's limit of trained tokens")
    if training_tokens is None:
        detail = lazy.translate(
            "TrainingPlan", "Checked once the tokens of the training examples are counted."
        )
        return PreflightItem("token_cap", True, title, detail, blocking=False)
    epochs = azure_epochs(limits, examples) if settings.epochs is None else max(settings.epochs, 0)
    trained = max(training_tokens, 0) * epochs
    if trained <= MAX_TRAINED_TOKENS:
        detail = lazy.translate(
            "TrainingPlan", "About {trained} tokens trained; Azure allows up to {cap} per job."
        ).format(trained=f"{trained:,}", cap=f"{MAX_TRAINED_TOKENS:,}")
        return PreflightItem("token_cap", True, title, detail)
    detail = lazy.translate(
        "TrainingPlan",
        "About {trained} tokens would be trained; Azure allows up to {cap} per job (tokens × "
        "epochs). Use fewer epochs or fewer examples.",
    ).format(trained=f"{trained:,}", cap=f"{MAX_TRAINED_TOKENS:,}")
    return PreflightItem("token_cap", False, title, detail)


def _permissions_item(model: BaseModel) -> PreflightItem:
    # Roles: training needs "Foundry User" (formerly Azure AI User), deploying "Foundry Owner"
    # (formerly Azure AI Owner) or Owner/Contributor (AZURE.md 9; [AOAI-SDK] "While Azure AI
    # Users may train (fine-tune) models, only AI Owners may deploy them"); the Azure OpenAI
    # route also accepts Cognitive Services OpenAI Contributor (AZURE.md 2.3).
    title = lazy.translate("TrainingPlan", "Permissions (as far as can be known)")
    if model.route == "hub":
        detail = lazy.translate(
            "TrainingPlan",
            "Training needs the role Foundry User (formerly Azure AI User) on the hub project; "
            "deploying needs Foundry Owner (formerly Azure AI Owner), or Owner or Contributor. "
            "Azure says so when the job starts if a role is missing.",
        )
    else:
        detail = lazy.translate(
            "TrainingPlan",
            "Training needs the role Foundry User (formerly Azure AI User) or Cognitive "
            "Services OpenAI Contributor on the resource; deploying needs Foundry Owner "
            "(formerly Azure AI Owner), or Owner or Contributor. Azure says so when the job "
            "starts if a role is missing.",
        )
    return PreflightItem("permissions", True, title, detail, blocking=False)


def preflight(
    model: BaseModel,
    location: str,
    settings: TrainingSettings,
    limits: Limits,
    *,
    examples: int,
    training_examples: int,
    validation_examples: int,
    longest_tokens: int,
    longest_row: int | None,
    data_errors: int,
    place_known: bool = True,
    training_tokens: int | None = None,
    drafts: int = 0,
    include_drafts: bool = False,
) -> list[PreflightItem]:
    """Everything checked before the job is submitted, in :data:`PREFLIGHT_KEYS` order.

    ``longest_row`` is the 1-based row number of the longest example (``None``: unknown).
    ``training_tokens`` (tokens of the training split, one epoch) enables the trained-token
    cap; without it that item is informational. ``drafts``: rows a model drafted that nobody
    accepted yet; they stop training unless ``include_drafts`` (the person chose to).
    """
    return [
        _data_item(data_errors),
        _drafts_item(drafts, include_drafts),
        _examples_item(examples, training_examples),
        _validation_item(validation_examples),
        _tokens_item(model, longest_tokens, longest_row),
        _status_item(model),
        _place_item(model, location, limits, place_known),
        _settings_item(settings, limits),
        _cap_item(limits, settings, training_tokens, training_examples),
        _permissions_item(model),
    ]
