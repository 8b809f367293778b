"""The Model & settings logic: limits, presets, validation, estimate and preflight."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from tunedesk.core import training_plan as tp
from tunedesk.core.catalog import BaseModel, Prices, load_catalog
from tunedesk.core.dataset import Dataset, Example
from tunedesk.core.i18n import Text
from tunedesk.core.training_plan import (
    FloatRange,
    IntRange,
    Limits,
    Preset,
    TrainingSettings,
)

CATALOG = load_catalog()
MODELS = CATALOG.models
PHI = CATALOG.get("Phi-4-mini-instruct")
QWEN = CATALOG.get("Qwen-32B")
GPT = CATALOG.get("gpt-4.1-mini-2025-04-14")
RETIRED = CATALOG.get("Mistral-Nemo")
assert PHI is not None
assert QWEN is not None
assert GPT is not None
assert RETIRED is not None


def _place(model: BaseModel) -> str:
    """A location where the model trains (its first training region), else ''."""
    return model.training_regions[0] if model.training_regions else ""


def _texts(values: object) -> None:
    """Every message is a Text with a TrainingPlan source that formats without error."""
    items = values.values() if isinstance(values, dict) else values
    for value in items:  # type: ignore[attr-defined]
        assert isinstance(value, Text)
        assert value.context == "TrainingPlan"
        assert value.english(), value
        assert "{" not in value.english(), value


# --------------------------------------------------------------------------------- limits
def test_hub_limits_follow_the_portal_ranges() -> None:
    limits = tp.limits_for(PHI, "westus")
    assert limits.route == "hub"
    assert limits.batch_size == IntRange(1, 32)
    assert limits.learning_rate_multiplier == FloatRange(0.0, 10.0, 0.02, 0.2)
    assert limits.epochs == IntRange(1, 10)
    assert limits.azure_chooses
    assert not limits.seed
    assert limits.suffix_max == 0
    assert limits.training_types == ()
    assert limits.default_training_type is None
    assert limits.location == "westus"


def test_openai_limits() -> None:
    limits = tp.limits_for(GPT, "swedencentral")
    assert limits.route == "openai"
    assert limits.epochs == IntRange(1, 50)
    assert limits.batch_size.low == 1
    assert limits.batch_size.high >= 32
    assert limits.learning_rate_multiplier.recommended_low == 0.02
    assert limits.learning_rate_multiplier.recommended_high == 0.2
    assert limits.azure_chooses
    assert limits.seed
    assert limits.suffix_max == 40
    assert limits.training_types == ("standard", "global", "developer")  # EU: no data zone
    assert limits.default_training_type == "global"


def test_training_types_depend_on_the_place() -> None:
    # Japan East: global training only (no standard region, outside the US data zone).
    japan = tp.limits_for(GPT, "Japan East")
    assert japan.training_types == ("global", "developer")
    assert japan.default_training_type == "global"
    # A US region that is no standard region for gpt-4.1-mini: data zone and global.
    assert tp.limits_for(GPT, "westus").training_types == ("datazone", "global", "developer")
    # Global-only open models offer no developer training.
    assert tp.limits_for(QWEN, "eastus").training_types == ("datazone", "global")
    assert tp.limits_for(QWEN, "japaneast").training_types == ("global",)
    # A region nobody trains in.
    nowhere = tp.limits_for(QWEN, "uaenorth")
    assert nowhere.training_types == ()
    assert nowhere.default_training_type is None
    # Retired: nothing anywhere.
    assert tp.limits_for(RETIRED, "westus3").training_types == ()


def test_standard_is_the_default_where_global_is_not_offered() -> None:
    model = dataclasses.replace(GPT, global_regions=(), data_zones=())
    limits = tp.limits_for(model, "northcentralus")
    assert limits.training_types == ("standard", "developer")
    assert limits.default_training_type == "standard"


def test_no_place_yet_lists_what_the_model_offers_anywhere() -> None:
    assert tp.limits_for(GPT, "").training_types == GPT.training_types
    assert tp.limits_for(PHI, "").training_types == ()


def test_data_zone() -> None:
    assert tp.data_zone("East US 2") == "us"
    assert tp.data_zone("swedencentral") == "eu"
    assert tp.data_zone("japaneast") is None


def test_ranges() -> None:
    assert 1 in IntRange(1, 3)
    assert 3 in IntRange(1, 3)
    assert 0 not in IntRange(1, 3)
    assert 4 not in IntRange(1, 3)
    assert True not in IntRange(0, 3)
    assert 2.0 not in IntRange(1, 3)  # a float is not a whole-number setting
    assert IntRange(1, 10).clamp(25) == 10
    assert IntRange(1, 10).clamp(-2) == 1
    lr = FloatRange(0.0, 10.0, 0.02, 0.2)
    assert 0.0 not in lr
    assert 0.0001 in lr
    assert 10 in lr
    assert 10.01 not in lr
    assert math.nan not in lr
    assert math.inf not in lr
    assert "1" not in lr
    assert 0.5 in FloatRange(0.5, 1.0)
    assert 0.49 not in FloatRange(0.5, 1.0)
    assert lr.recommended(0.1)
    assert not lr.recommended(0.5)
    assert not lr.recommended(0.01)


# -------------------------------------------------------------------------------- presets
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.id)
@pytest.mark.parametrize("preset", list(Preset))
@pytest.mark.parametrize("examples", [0, 1, 10, 50, 500, 20_000, 1_000_000])
def test_every_preset_is_valid_for_every_model(
    model: BaseModel, preset: Preset, examples: int
) -> None:
    for location in ("", _place(model), "japaneast"):
        limits = tp.limits_for(model, location)
        settings = tp.preset_settings(preset, limits, examples)
        assert settings.preset == preset
        assert tp.validate(settings, limits) == {}, (model.id, location, settings)
        assert settings.training_type == limits.default_training_type


def test_preset_values_for_a_small_question_and_answer_set() -> None:
    limits = tp.limits_for(GPT, "swedencentral")
    quick = tp.preset_settings(Preset.QUICK, limits, 20)
    assert (quick.epochs, quick.batch_size, quick.learning_rate_multiplier) == (1, None, None)
    balanced = tp.preset_settings(Preset.BALANCED, limits, 20)
    assert (balanced.epochs, balanced.batch_size, balanced.learning_rate_multiplier) == (
        None,
        None,
        None,
    )
    thorough = tp.preset_settings(Preset.THOROUGH, limits, 20)
    assert thorough.epochs == 2 * tp.typical_epochs(20) == 10
    assert thorough.learning_rate_multiplier is None
    # Thorough: at least 4 epochs even for a large set, within the hub's 1-10.
    assert tp.preset_settings(Preset.THOROUGH, limits, 100_000).epochs == 4
    hub = tp.limits_for(PHI, "westus")
    assert tp.preset_settings(Preset.THOROUGH, hub, 10).epochs == 10
    custom = tp.preset_settings(Preset.CUSTOM, limits, 20)
    assert custom == dataclasses.replace(balanced, preset=Preset.CUSTOM)


def test_a_route_that_cannot_let_azure_choose_gets_concrete_values() -> None:
    limits = dataclasses.replace(tp.limits_for(PHI, "westus"), azure_chooses=False)
    for preset in Preset:
        settings = tp.preset_settings(preset, limits, 10)
        assert None not in (
            settings.batch_size,
            settings.learning_rate_multiplier,
            settings.epochs,
        )
        assert tp.validate(settings, limits) == {}
    assert tp.preset_settings(Preset.BALANCED, limits, 10).epochs == 10
    errors = tp.validate(TrainingSettings(), limits)
    assert set(errors) == {"batch_size", "learning_rate_multiplier", "epochs"}
    _texts(errors)


def test_typical_epochs_follows_the_documented_rule() -> None:
    assert tp.typical_epochs(1) == 25
    assert tp.typical_epochs(4) == 25
    assert tp.typical_epochs(10) == 10
    assert tp.typical_epochs(33) == 3
    assert tp.typical_epochs(34) == 3
    assert tp.typical_epochs(20) == 5
    assert tp.typical_epochs(500) == 3
    assert tp.typical_epochs(8_333) == 3
    assert tp.typical_epochs(8_334) == 2
    assert tp.typical_epochs(20_000) == 1
    assert tp.typical_epochs(1_000_000) == 1
    assert tp.typical_epochs(0) == 25  # nothing yet: treated as one example
    assert tp.azure_epochs(tp.limits_for(PHI, "westus"), 1) == 10  # within the hub's range


# ------------------------------------------------------------------------------- validate
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 257}, "batch_size"),
        ({"batch_size": -1}, "batch_size"),
        ({"learning_rate_multiplier": 0.0}, "learning_rate_multiplier"),
        ({"learning_rate_multiplier": -0.1}, "learning_rate_multiplier"),
        ({"learning_rate_multiplier": 10.5}, "learning_rate_multiplier"),
        ({"learning_rate_multiplier": math.nan}, "learning_rate_multiplier"),
        ({"learning_rate_multiplier": math.inf}, "learning_rate_multiplier"),
        ({"epochs": 0}, "epochs"),
        ({"epochs": 51}, "epochs"),
        ({"seed": -1}, "seed"),
        ({"seed": 2**31}, "seed"),
        ({"suffix": "a" * 41}, "suffix"),
        ({"suffix": "my.model"}, "suffix"),
        ({"suffix": "my model"}, "suffix"),
        ({"suffix": "家庭"}, "suffix"),
        ({"training_type": "standard"}, "training_type"),
    ],
)
def test_validate_names_each_bad_value(change: dict[str, object], field: str) -> None:
    limits = tp.limits_for(GPT, "japaneast")  # no standard training here
    settings = dataclasses.replace(TrainingSettings(), **change)  # type: ignore[arg-type]
    errors = tp.validate(settings, limits)
    assert set(errors) == {field}
    _texts(errors)


def test_validate_hub_ranges_and_ignores_fields_the_route_does_not_send() -> None:
    limits = tp.limits_for(PHI, "westus")
    assert set(tp.validate(TrainingSettings(batch_size=33, epochs=11), limits)) == {
        "batch_size",
        "epochs",
    }
    fine = TrainingSettings(
        batch_size=32,
        learning_rate_multiplier=10.0,
        epochs=10,
        seed=-5,
        suffix="not.sent here",
        training_type="global",
    )
    assert tp.validate(fine, limits) == {}


def test_validate_accepts_good_values_and_edges() -> None:
    limits = tp.limits_for(GPT, "swedencentral")
    good = TrainingSettings(
        preset=Preset.CUSTOM,
        batch_size=1,
        learning_rate_multiplier=0.02,
        epochs=50,
        seed=0,
        suffix="family-faq-v2",
        training_type="developer",
    )
    assert tp.validate(good, limits) == {}
    assert tp.validate(dataclasses.replace(good, suffix="a" * 40, seed=2**31 - 1), limits) == {}


def test_training_type_reason_names_the_choices() -> None:
    limits = tp.limits_for(QWEN, "japaneast")
    errors = tp.validate(TrainingSettings(training_type="developer"), limits)
    assert "Developer" in str(errors["training_type"])
    assert "Global" in str(errors["training_type"])


def test_advice_outside_the_recommended_range() -> None:
    limits = tp.limits_for(GPT, "swedencentral")
    assert tp.advice(TrainingSettings(learning_rate_multiplier=0.1), limits) == {}
    hints = tp.advice(TrainingSettings(learning_rate_multiplier=2.0), limits)
    assert set(hints) == {"learning_rate_multiplier"}
    assert "0.02" in str(hints["learning_rate_multiplier"])
    assert tp.advice(TrainingSettings(learning_rate_multiplier=50.0), limits) == {}  # an error


# ---------------------------------------------------------------------------------- words
def test_words_exist_for_every_preset_field_and_training_type() -> None:
    _texts([tp.preset_title(p) for p in Preset])
    _texts([tp.preset_sentence(p) for p in Preset])
    _texts([tp.field_help(name) for name in tp.FIELDS])
    _texts([tp.training_type_name(t) for t in tp.TRAINING_TYPES])
    _texts([tp.training_type_sentence(t) for t in tp.TRAINING_TYPES])
    assert len({tp.preset_title(p).source for p in Preset}) == len(Preset)
    assert "pause" in tp.training_type_sentence("developer").english()
    assert str(tp.field_help("no such field")) == ""


# ------------------------------------------------------------------------------- settings
def test_settings_round_trip_through_json() -> None:
    values = [
        TrainingSettings(),
        TrainingSettings(Preset.QUICK, epochs=1, training_type="global"),
        TrainingSettings(Preset.CUSTOM, 4, 0.1, 7, 42, "faq", "developer"),
    ]
    for settings in values:
        text = json.dumps(settings.to_json())
        assert TrainingSettings.from_json(json.loads(text)) == settings


@pytest.mark.parametrize(
    "junk",
    [
        None,
        [],
        "balanced",
        3,
        {"preset": 5},
        {"preset": "fastest"},
        {"batch_size": "lots", "epochs": [], "seed": {}, "suffix": 7, "training_type": 1},
        {"learning_rate_multiplier": "NaN", "epochs": 2.5, "batch_size": True},
        {"training_type": "spot"},
        {"epochs": float("inf"), "learning_rate_multiplier": float("-inf")},
    ],
)
def test_from_json_never_raises_on_junk(junk: object) -> None:
    settings = TrainingSettings.from_json(junk)
    assert isinstance(settings, TrainingSettings)
    assert settings.batch_size is None
    assert settings.epochs is None
    assert settings.learning_rate_multiplier is None
    assert settings.training_type is None
    assert isinstance(settings.suffix, str)


def test_from_json_reads_old_and_azure_spellings() -> None:
    settings = TrainingSettings.from_json(
        {
            "n_epochs": "3",
            "batch_size": -1,  # Azure's echo of a default
            "learning_rate_multiplier": "auto",
            "seed": 7.0,
            "trainingType": "GlobalStandard",
        }
    )
    assert settings == TrainingSettings(Preset.CUSTOM, None, None, 3, 7, "", "global")
    assert TrainingSettings.from_json({"training_type": "developerTier"}).training_type == (
        "developer"
    )
    assert TrainingSettings.from_json({"preset": "nonsense"}).preset == Preset.BALANCED
    # Out-of-range values survive, so validate can say what is wrong with them.
    assert TrainingSettings.from_json({"preset": "custom", "epochs": 99}).epochs == 99


# ------------------------------------------------------------------------------- estimate
def _priced(model: BaseModel, **prices: float) -> BaseModel:
    return dataclasses.replace(model, prices=dataclasses.replace(model.prices, **prices))


def test_estimate_arithmetic_with_set_epochs_and_a_price() -> None:
    model = _priced(GPT, training_global=2.0, training_standard=3.0)
    limits = tp.limits_for(model, "swedencentral")
    est = tp.estimate(
        model, limits, TrainingSettings(epochs=2), training_tokens=1_000_000, examples=500
    )
    assert est.training_tokens == 1_000_000
    assert (est.epochs, est.epochs_chosen_by_azure, est.trained_tokens) == (2, False, 2_000_000)
    # Azure's own example: 1M tokens × 2 epochs at $2 per 1M = $4 (cost management).
    assert est.cost_low == est.cost_high == pytest.approx(4.0)
    assert est.currency == "USD"
    assert est.training_type == "global"
    assert est.minutes_low == 20 + math.ceil(2_000_000 / 30_000)
    assert est.minutes_high == 60 + math.ceil(2_000_000 / 7_500)
    assert est.minutes_low <= 135 <= est.minutes_high  # the example took 2 h 15 min
    assert est.hourly_hosting == pytest.approx(1.7)
    assert est.deployment_type == "standard"
    standard = tp.estimate(
        model,
        limits,
        TrainingSettings(epochs=2, training_type="standard"),
        training_tokens=1_000_000,
        examples=500,
    )
    assert standard.cost_high == pytest.approx(6.0)


def test_estimate_when_azure_chooses_uses_typical_epochs_and_a_range() -> None:
    model = _priced(GPT, training_global=2.0)
    limits = tp.limits_for(model, "japaneast")
    est = tp.estimate(model, limits, TrainingSettings(), training_tokens=1_000, examples=20)
    assert est.epochs_chosen_by_azure
    assert est.epochs == tp.typical_epochs(20) == 5
    assert est.trained_tokens == 5_000
    assert est.cost_low == pytest.approx(1_000 * 4 / 1e6 * 2.0)
    assert est.cost_high == pytest.approx(1_000 * 6 / 1e6 * 2.0)
    assert est.deployment_type == "globalstandard"
    lines = [line.english() for line in est.lines()]
    assert "Azure chooses" in lines[0]
    assert "typically 5" in lines[0]


def test_estimate_without_a_published_price_says_so() -> None:
    limits = tp.limits_for(PHI, "westus")
    est = tp.estimate(PHI, limits, TrainingSettings(epochs=3), training_tokens=400, examples=10)
    assert (est.cost_low, est.cost_high, est.hourly_hosting) == (None, None, None)
    assert est.trained_tokens == 1_200
    assert est.deployment_type == "serverless"
    lines = [line.english() for line in est.lines()]
    assert len(lines) == 4
    assert "1,200 tokens trained" in lines[0]
    assert "no published price" in lines[1]
    assert "minutes" in lines[2]
    assert "billed per hour" in lines[3]
    assert "no published hourly price" in lines[3]
    # The user story: ten examples on Phi-4-mini-instruct took about 45 minutes.
    assert est.minutes_low <= 45 <= est.minutes_high
    _texts(est.lines())


def test_estimate_lines_with_prices_and_developer_time() -> None:
    model = _priced(GPT, training_developer=0.5)
    limits = tp.limits_for(model, "eastus")
    est = tp.estimate(
        model,
        limits,
        TrainingSettings(epochs=3, training_type="developer"),
        training_tokens=10_000,
        examples=100,
    )
    assert est.cost_high == pytest.approx(0.015)
    assert est.minutes_high == 2 * (60 + math.ceil(30_000 / 7_500))
    lines = [line.english() for line in est.lines()]
    assert "0.01" in lines[1] or "0.02" in lines[1]
    assert "pause" in lines[2]
    assert "1.70" in lines[3]
    _texts(est.lines())


def test_estimate_falls_back_to_the_default_type_when_the_chosen_one_is_not_offered() -> None:
    model = _priced(QWEN, training_global=1.0, training_developer=0.1)
    limits = tp.limits_for(model, "japaneast")
    est = tp.estimate(
        model,
        limits,
        TrainingSettings(epochs=1, training_type="developer"),
        training_tokens=1_000_000,
        examples=100,
    )
    assert est.training_type == "global"
    assert est.cost_high == pytest.approx(1.0)


# ------------------------------------------------------------------------------ preflight
GOOD = {
    "examples": 60,
    "training_examples": 54,
    "validation_examples": 6,
    "longest_tokens": 300,
    "longest_row": 12,
    "data_errors": 0,
    "training_tokens": 9_000,
}


def _preflight(
    model: BaseModel,
    location: str,
    settings: TrainingSettings | None = None,
    **changes: object,
) -> dict[str, tp.PreflightItem]:
    limits = tp.limits_for(model, location)
    settings = settings or tp.preset_settings(Preset.BALANCED, limits, 54)
    items = tp.preflight(model, location, settings, limits, **{**GOOD, **changes})  # type: ignore[arg-type]
    assert [i.key for i in items] == list(tp.PREFLIGHT_KEYS)
    for item in items:
        _texts([item.title, item.detail])
    return {i.key: i for i in items}


@pytest.mark.parametrize(
    ("model", "location"), [(PHI, "westus"), (QWEN, "japaneast"), (GPT, "swedencentral")]
)
def test_preflight_is_green_for_a_good_set(model: BaseModel, location: str) -> None:
    items = _preflight(model, location)
    failing = [k for k, i in items.items() if not i.ok]
    if model.offered:
        assert failing == []
    else:  # existing customers only: a warning, not a stop
        assert failing == ["model_status"]
        assert not items["model_status"].blocking
    assert tp.ready(list(items.values()))


def test_preflight_data_problems() -> None:
    item = _preflight(PHI, "westus", data_errors=3)["data_checks"]
    assert not item.ok
    assert item.blocking
    assert item.detail.english() == "Fix the 3 problems on the Data page."
    assert _preflight(PHI, "westus", data_errors=1)["data_checks"].detail.english() == (
        "Fix the problem on the Data page."
    )


def test_preflight_refuses_unreviewed_drafts_unless_included() -> None:
    waiting = _preflight(PHI, "westus", drafts=12)
    assert waiting["drafts"].stops_training
    assert "12 rows a model drafted" in waiting["drafts"].detail.english()
    assert not tp.ready(list(waiting.values()))
    included = _preflight(PHI, "westus", drafts=12, include_drafts=True)
    assert included["drafts"].ok
    assert tp.ready(list(included.values()))
    assert "as you chose" in included["drafts"].detail.english()
    assert _preflight(PHI, "westus")["drafts"].ok


def test_the_data_summary_counts_drafts() -> None:
    from tunedesk.core.data_summary import summarize

    rows = [Example.qa(f"Q{i}?", f"A{i}.", draft=i % 3 == 0) for i in range(30)]
    assert summarize(Dataset("", rows), 4096).drafts == 10


def test_preflight_minimum_training_examples() -> None:
    few = _preflight(PHI, "westus", examples=9, training_examples=9, validation_examples=0)
    assert not few["min_examples"].ok
    assert few["min_examples"].blocking
    assert "10" in few["min_examples"].detail.english()
    # Enough rows, but validation took too many of them.
    split = _preflight(PHI, "westus", examples=12, training_examples=8, validation_examples=4)
    assert not split["min_examples"].ok
    assert "8 of your 12" in split["min_examples"].detail.english()
    # Ten is accepted, with advice to add more.
    ten = _preflight(PHI, "westus", examples=11, training_examples=10, validation_examples=1)
    assert ten["min_examples"].ok
    assert "50" in ten["min_examples"].detail.english()


def test_preflight_without_validation_rows_warns() -> None:
    item = _preflight(PHI, "westus", validation_examples=0)["validation_rows"]
    assert not item.ok
    assert not item.blocking
    assert "generalises" in item.detail.english()


def test_preflight_names_the_row_over_the_token_limit() -> None:
    item = _preflight(QWEN, "japaneast", longest_tokens=9_000, longest_row=7)["token_limit"]
    assert not item.ok
    assert item.blocking
    assert "Row 7" in item.detail.english()
    assert "8,192" in item.detail.english()
    unknown = _preflight(QWEN, "japaneast", longest_tokens=9_000, longest_row=None)
    assert not unknown["token_limit"].ok
    assert _preflight(QWEN, "japaneast", longest_tokens=8_192)["token_limit"].ok


def test_preflight_retired_model() -> None:
    items = _preflight(RETIRED, "westus3")
    assert not items["model_status"].ok
    assert items["model_status"].blocking
    assert "Retired" in items["model_status"].detail.english()
    assert not items["place"].ok
    assert not tp.ready(list(items.values()))


def test_preflight_existing_customers_only_is_a_warning() -> None:
    item = _preflight(GPT, "swedencentral")["model_status"]
    assert not item.ok
    assert not item.blocking
    assert "existing customers" in item.detail.english()


def test_preflight_place() -> None:
    hub = _preflight(PHI, "japaneast")["place"]
    assert not hub.ok
    assert hub.blocking
    assert "hub project" in hub.detail.english()
    assert "Japan East" in hub.detail.english()
    assert "West US" in hub.detail.english()
    assert "hub project in West US" in _preflight(PHI, "westus")["place"].detail.english()
    resource = _preflight(QWEN, "uaenorth")["place"]
    assert not resource.ok
    assert "UAE North" in resource.detail.english()
    unknown = _preflight(PHI, "westus", place_known=False)["place"]
    assert not unknown.ok
    assert "Sign in" in unknown.detail.english()
    assert not _preflight(PHI, "")["place"].ok


def test_preflight_settings() -> None:
    one = _preflight(PHI, "westus", TrainingSettings(epochs=11))["settings"]
    assert not one.ok
    assert one.blocking
    assert "1 to 10" in one.detail.english()
    two = _preflight(PHI, "westus", TrainingSettings(epochs=11, batch_size=0))["settings"]
    assert not two.ok
    assert "2 settings" in two.detail.english()


def test_preflight_trained_token_cap() -> None:
    settings = TrainingSettings(epochs=10)
    over = _preflight(PHI, "westus", settings, training_tokens=200_000_001)["token_cap"]
    assert not over.ok
    assert over.blocking
    assert "2,000,000,000" in over.detail.english()
    at = _preflight(PHI, "westus", settings, training_tokens=200_000_000)["token_cap"]
    assert at.ok
    # Azure choosing: the typical epochs for the training examples count.
    chosen = _preflight(GPT, "swedencentral", training_tokens=300_000_000, training_examples=10)
    assert not chosen["token_cap"].ok  # 10 epochs × 300M
    unknown = _preflight(PHI, "westus", training_tokens=None)["token_cap"]
    assert unknown.ok
    assert not unknown.blocking


def test_preflight_permissions_name_both_role_spellings() -> None:
    for model, location in ((PHI, "westus"), (QWEN, "japaneast")):
        item = _preflight(model, location)["permissions"]
        assert item.ok
        assert not item.blocking
        text = item.detail.english()
        assert "Foundry User (formerly Azure AI User)" in text
        assert "as far as can be known" in item.title.english()
    assert "Cognitive Services OpenAI Contributor" in (
        _preflight(QWEN, "japaneast")["permissions"].detail.english()
    )


def test_ready() -> None:
    ok = tp.PreflightItem("a", True, Text("TrainingPlan", "a"), Text("TrainingPlan", "a"))
    warn = dataclasses.replace(ok, ok=False, blocking=False)
    stop = dataclasses.replace(ok, ok=False)
    assert tp.ready([ok, warn])
    assert not tp.ready([ok, stop])
    assert stop.stops_training
    assert not warn.stops_training


def test_limits_is_the_documented_shape() -> None:
    names = [f.name for f in dataclasses.fields(Limits)]
    assert names[:9] == [
        "route",
        "batch_size",
        "learning_rate_multiplier",
        "epochs",
        "azure_chooses",
        "seed",
        "suffix_max",
        "training_types",
        "default_training_type",
    ]
    assert Prices().currency == "USD"
