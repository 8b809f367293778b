"""The bundled base-model catalog: sourced facts, retirements shown as such, both languages."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tunedesk.core import i18n
from tunedesk.core.catalog import (
    DEFAULT_TOKEN_LIMIT,
    REGION_NAMES,
    load_catalog,
    normalize_region,
    region_name,
    token_limit,
)
from tunedesk.core.errors import FileProblem
from tunedesk.core.resources import resource_path

SIX = {"eastus2", "eastus", "northcentralus", "southcentralus", "westus", "westus3"}
OPEN = ("Ministral-3B", "Qwen-32B", "Llama-3.3-70B-Instruct", "gpt-oss-20b")
GPT = (
    "gpt-4.1-2025-04-14",
    "gpt-4.1-mini-2025-04-14",
    "gpt-4.1-nano-2025-04-14",
    "gpt-4o-mini-2024-07-18",
    "gpt-4o-2024-08-06",
)


def raw_catalog() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource_path("models.json").read_text(encoding="utf-8"))
    return data


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "models.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_catalog_loads_with_an_honest_date_and_source() -> None:
    cat = load_catalog()
    # the newest Microsoft page relied on (global training regions, 2026-10-06)
    assert cat.checked == date(2026, 10, 6)
    assert "2026-10-06" in cat.source
    assert cat.age_days(date(2026, 11, 5)) == 30
    assert not cat.is_stale(date(2027, 1, 4))  # 90 days
    assert cat.is_stale(date(2027, 1, 5))
    assert load_catalog() is cat  # cached


def test_every_entry_has_sources_and_a_checked_date() -> None:
    cat = load_catalog()
    for m in cat.models:
        assert m.sources, m.id
        assert all(s.strip() for s in m.sources), m.id
        assert m.checked is not None, m.id
        assert m.checked <= cat.checked, m.id  # the top-level date is the newest


def test_routes_and_models() -> None:
    cat = load_catalog()
    hub = {m.id for m in cat.for_route("hub")}
    openai = {m.id for m in cat.for_route("openai")}
    assert hub == {"Phi-4-mini-instruct", "Phi-4", "Mistral-Nemo", "Meta-Llama-3.1-8B-Instruct"}
    assert openai == {*OPEN, *GPT}
    assert {m.id for m in cat.offered()} == {"Phi-4-mini-instruct", "Phi-4", *OPEN}


def test_retired_models_are_reported_as_such() -> None:
    cat = load_catalog()
    llama = cat.get("Meta-Llama-3.1-8B-Instruct")
    nemo = cat.get("Mistral-Nemo")
    assert llama is not None
    assert nemo is not None
    assert llama.retired
    assert llama.retires_on == date(2026, 6, 13)
    assert nemo.retired
    assert nemo.retires_on is None  # gone from the tables; no date was published
    for m in (llama, nemo):
        assert not m.offered
        assert not m.trainable_by_new_customers
        assert m.training_types == ()
        assert m.training_regions == ()
        assert not m.can_train_in("westus3")
        assert not m.global_training
        assert "(retired)" in m.label
        assert m.status_note.startswith("Retired")
    assert "2026-06-13" in llama.status_note
    assert llama.registry == "azureml-meta"
    assert llama.needs_marketplace_subscription  # still a partner model on the hub route


def test_openai_models_are_for_existing_customers_only() -> None:
    cat = load_catalog()
    retires = {
        "gpt-4o-2024-08-06": date(2026, 10, 1),
        "gpt-4o-mini-2024-07-18": date(2026, 10, 1),
        "gpt-4.1-2025-04-14": date(2026, 10, 14),
        "gpt-4.1-mini-2025-04-14": date(2026, 10, 14),
        "gpt-4.1-nano-2025-04-14": date(2026, 10, 14),
    }
    for model_id, when in retires.items():
        m = cat.get(model_id)
        assert m is not None
        assert m.status == "existing-customers-only"
        assert not m.offered
        assert not m.retired  # existing customers can still train it
        assert m.retires_on == when
        assert m.existing_customers_train_until is not None
        assert m.existing_customers_train_until > when
        assert m.deployments_end_on is not None
        assert m.deployments_end_on > m.existing_customers_train_until
        assert m.label.endswith("(existing customers only)")
        assert when.isoformat() in m.status_note
        assert m.training_types == ("standard", "datazone", "global", "developer")
        assert m.prices.hosting_standard == pytest.approx(1.70)
        assert m.prices.hosting_global_standard == pytest.approx(1.70)
        assert m.prices.hosting_developer == 0
    nano = cat.get("gpt-4.1-nano-2025-04-14")
    assert nano is not None
    assert nano.methods == ("sft", "dpo")
    assert not nano.can_train_globally_in("polandcentral")  # the docs' one exception
    mini = cat.get("gpt-4o-mini-2024-07-18")
    assert mini is not None
    assert mini.methods == ("sft",)
    assert mini.can_train_globally_in("Poland Central")


def test_no_retired_or_restricted_model_is_the_default() -> None:
    cat = load_catalog()
    default = cat.recommended_default()
    assert default is not None
    assert default.id == "Phi-4-mini-instruct"  # the story: a small Q&A set
    assert default.offered
    for m in cat.models:
        if not m.offered:
            assert m.id != cat.default_model


def test_recommended_default_skips_a_default_that_is_no_longer_offered(
    tmp_path: Path,
) -> None:
    data = raw_catalog()
    data.pop("default_model")
    data["models"].sort(key=lambda m: m["status"] == "available")  # offered ones last
    cat = load_catalog(write(tmp_path, data))
    default = cat.recommended_default()
    assert default is not None
    assert default.offered
    assert cat.models[0].status != "available"


def test_hub_regions_and_subscriptions() -> None:
    cat = load_catalog()
    for mid in ("Phi-4-mini-instruct", "Phi-4"):
        m = cat.get(mid)
        assert m is not None
        assert set(m.standard_regions) == SIX
        assert set(m.training_regions) == SIX
        assert m.training_types == ("standard",)
        assert not m.global_training
        assert m.registry == "azureml"
        assert m.microsoft
        assert not m.needs_marketplace_subscription
        assert m.prices.hosting_standard is None  # billed hourly; no figure published
    phi = cat.get("Phi-4-mini-instruct")
    assert phi is not None
    # the story: West US trains Phi-4-mini-instruct, Japan East does not
    assert phi.can_train_in("West US")
    assert phi.can_train_in("westus")
    assert not phi.can_train_in("japaneast")
    assert not phi.can_train_globally_in("japaneast")


def test_open_models_train_globally_on_foundry_resources() -> None:
    cat = load_catalog()
    for mid in OPEN:
        m = cat.get(mid)
        assert m is not None
        assert m.route == "openai"
        assert m.offered
        assert m.registry is None
        assert not m.needs_marketplace_subscription
        assert m.standard_regions == ()
        assert m.training_types == ("datazone", "global")
        assert m.data_zones == ("us",)
        assert m.methods == ("sft",)
        assert not m.developer_training
        # Global only: no regional training anywhere, global training in the listed regions
        assert not m.can_train_in("eastus")
        assert m.global_training
        assert m.can_train_globally_in("Japan East")
        assert not m.can_train_globally_in("uaenorth")  # only for models not bundled
        assert not m.can_train_globally_in("westus2")
        assert "japaneast" in m.training_regions
        assert all(r in REGION_NAMES for r in m.training_regions)
        assert m.prices.training_global is None  # no published price was found
    assert cat.token_limit("Qwen-32B") == 8_192


def test_openai_regions_and_limits() -> None:
    cat = load_catalog()
    gpt4o = cat.get("gpt-4o-2024-08-06")
    assert gpt4o is not None
    assert gpt4o.standard_regions == ("eastus2", "northcentralus", "swedencentral")
    assert gpt4o.training_regions[:3] == gpt4o.standard_regions  # regional first
    assert gpt4o.can_train_in("East US 2")
    assert not gpt4o.can_train_in("japaneast")
    assert gpt4o.can_train_globally_in("japaneast")
    for mid in GPT:
        m = cat.get(mid)
        assert m is not None
        assert m.global_training
        assert m.registry is None
        assert not m.microsoft
        if mid != "gpt-4o-2024-08-06":
            assert set(m.standard_regions) == {"northcentralus", "swedencentral"}
    assert cat.token_limit("gpt-4.1-nano-2025-04-14") == 32_768
    assert cat.token_limit("gpt-4.1-mini-2025-04-14") == 65_536
    assert token_limit("gpt-4.1-nano-2025-04-14") == 32_768
    assert token_limit("some-unknown-model") == DEFAULT_TOKEN_LIMIT == 65_536


def test_get_accepts_asset_ids_and_fine_tuned_names() -> None:
    cat = load_catalog()
    phi = cat.get("azureml://registries/azureml/models/Phi-4-mini-instruct/versions/7")
    assert phi is not None
    assert phi.id == "Phi-4-mini-instruct"
    ft = cat.get("gpt-4.1-nano-2025-04-14.ft-0123456789abcdef0123456789abcdef")
    assert ft is not None
    assert ft.id == "gpt-4.1-nano-2025-04-14"
    assert cat.get("phi-4") is not None
    assert cat.get("Phi-5") is None


def test_descriptions_and_marks_in_both_languages() -> None:
    for m in load_catalog().models:
        assert m.description_en.isascii(), m.id
        assert len(m.description_en) > 40, m.id
        assert any("\u4e00" <= ch <= "\u9fff" for ch in m.description_zh), m.id
        assert "$" not in m.description_en  # prices live in the prices fields
    cat = load_catalog()
    phi = cat.get("Phi-4")
    llama = cat.get("Meta-Llama-3.1-8B-Instruct")
    assert phi is not None
    assert llama is not None
    assert phi.description == phi.description_en
    assert phi.label == "Phi-4"
    assert phi.status_note == ""
    i18n.set_language("zh_CN")
    assert phi.description == phi.description_zh
    assert any("\u4e00" <= ch <= "\u9fff" for ch in llama.label)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in llama.status_note)


def test_region_names() -> None:
    assert region_name("eastus2") == "East US 2"
    assert region_name("West US 3") == "West US 3"
    assert region_name("switzerlandnorth") == "Switzerland North"
    assert region_name("mars") == "mars"
    assert normalize_region("East US 2") == "eastus2"
    phi = load_catalog().get("Phi-4-mini-instruct")
    assert phi is not None
    assert "West US 3" in phi.region_names


def test_the_bundled_file_is_valid_json_with_the_documented_keys() -> None:
    data = raw_catalog()
    assert set(data) >= {"checked", "source", "default_model", "global_training_regions"}
    for raw in data["models"]:
        assert set(raw) >= {
            "id",
            "route",
            "status",
            "retires_on",
            "training",
            "methods",
            "max_example_tokens",
            "prices",
            "sources",
            "checked",
        }, raw["id"]
        date.fromisoformat(raw["checked"])


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        (lambda d: d["models"][0].update(route="carrier-pigeon"), "route"),
        (lambda d: d["models"][0].update(status="maybe"), "status"),
        (lambda d: d["models"][0].update(sources=[]), "sources"),
        (lambda d: d["models"][0].pop("checked"), "checked"),
        (lambda d: d["models"][0].update(methods=["magic"]), "methods"),
        (lambda d: d["models"][0].update(training=[]), "AttributeError"),
        (lambda d: d["models"][0]["prices"]["hosting_per_hour"].update(standard="cheap"), "price"),
        (lambda d: d.update(default_model="Meta-Llama-3.1-8B-Instruct"), "default model"),
        (lambda d: d["models"][6].update(retires_on=None), "retires_on"),
        (lambda d: d["models"].append(d["models"][0]), "duplicate"),
    ],
)
def test_a_malformed_catalog_is_a_clear_file_problem(
    tmp_path: Path, change: Any, detail: str
) -> None:
    data = raw_catalog()
    change(data)
    path = write(tmp_path, data)
    with pytest.raises(FileProblem, match="damaged") as info:
        load_catalog(path)
    assert detail in str(info.value.message)
    assert info.value.path == str(path)


def test_an_unreadable_catalog_is_a_file_problem(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(FileProblem) as info:
        load_catalog(missing)
    assert info.value.path == str(missing)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(FileProblem, match="damaged"):
        load_catalog(broken)


def test_for_place_lists_every_model_with_why_this_place_cannot_train_it() -> None:
    cat = load_catalog()
    west = dict((m.id, why) for m, why in cat.for_place("hub", "westus"))
    assert list(west) == [m.id for m in cat.models]  # every model, in catalog order
    # the story: a West US hub project trains Phi-4-mini-instruct
    assert west["Phi-4-mini-instruct"] == ""
    assert west["Phi-4"] == ""
    # retired / customer-restricted: the status sentence, whatever the place
    nemo = cat.get("Mistral-Nemo")
    gpt = cat.get("gpt-4o-2024-08-06")
    assert nemo is not None
    assert gpt is not None
    assert west["Mistral-Nemo"] == nemo.status_note != ""
    assert west["gpt-4o-2024-08-06"] == gpt.status_note != ""
    # a Foundry-resource model in a hub project: the route, in plain words
    assert west["Qwen-32B"] == (
        "It trains in a Foundry resource, not in a classic Foundry hub project."
    )
    for m, why in cat.for_place("hub", "westus"):
        assert (why == "") == (m.route == "hub" and m.offered), m.id


def test_for_place_names_the_regions_where_a_model_does_train() -> None:
    cat = load_catalog()
    tokyo = dict((m.id, why) for m, why in cat.for_place("hub", "Japan East"))
    # the story: Japan East cannot fine-tune Phi-4-mini-instruct; West US can
    why = tokyo["Phi-4-mini-instruct"]
    assert why.startswith("Not in this region; it trains in: ")
    assert "West US" in why
    assert "Japan East" not in why
    resource = dict((m.id, why) for m, why in cat.for_place("openai", "japaneast"))
    assert resource["Phi-4-mini-instruct"] == (
        "It trains in a classic Foundry hub project, not in a Foundry resource."
    )
    for mid in OPEN:  # Global training reaches Japan East
        assert resource[mid] == "", mid
    uae = dict((m.id, why) for m, why in cat.for_place("openai", "uaenorth"))
    assert uae["Qwen-32B"].startswith("Not in this region; it trains in: ")
    assert "UAE North" not in uae["Qwen-32B"]
    i18n.set_language("zh_CN")
    assert all(why != "" for m, why in cat.for_place("hub", "japaneast") if m.route == "hub")


def test_for_place_on_a_catalog_with_a_newly_retired_model(tmp_path: Path) -> None:
    data = raw_catalog()
    phi = next(m for m in data["models"] if m["id"] == "Phi-4")
    phi["status"] = "retired"
    phi["retires_on"] = "2027-01-31"
    cat = load_catalog(write(tmp_path, data))
    why = dict((m.id, why) for m, why in cat.for_place("hub", "westus"))
    assert why["Phi-4"] == "Retired on 2027-01-31: Azure no longer fine-tunes it."
    assert why["Phi-4-mini-instruct"] == ""
