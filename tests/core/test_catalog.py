"""The bundled base-model catalog says what AZURE.md says, in both languages."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tunedesk.core import i18n
from tunedesk.core.catalog import (
    DEFAULT_TOKEN_LIMIT,
    load_catalog,
    normalize_region,
    region_name,
    token_limit,
)
from tunedesk.core.errors import FileProblem
from tunedesk.core.resources import resource_path

SIX = {"eastus2", "eastus", "northcentralus", "southcentralus", "westus", "westus3"}


def test_catalog_loads_with_date_and_source() -> None:
    cat = load_catalog()
    assert cat.checked == date(2026, 11, 24)
    assert cat.source
    assert cat.age_days(date(2026, 12, 24)) == 30
    assert load_catalog() is cat  # cached


def test_expected_models_and_routes() -> None:
    cat = load_catalog()
    hub = {m.id for m in cat.for_route("hub")}
    openai = {m.id for m in cat.for_route("openai")}
    assert hub == {
        "Phi-4-mini-instruct",
        "Phi-4",
        "Mistral-Nemo",
        "Ministral-3B",
        "Meta-Llama-3.1-8B-Instruct",
    }
    assert openai == {
        "gpt-4.1-2025-04-14",
        "gpt-4.1-mini-2025-04-14",
        "gpt-4.1-nano-2025-04-14",
        "gpt-4o-mini-2024-07-18",
        "gpt-4o-2024-08-06",
    }


def test_hub_regions_and_subscriptions() -> None:
    cat = load_catalog()
    for mid in ("Phi-4-mini-instruct", "Phi-4", "Mistral-Nemo", "Ministral-3B"):
        m = cat.get(mid)
        assert m is not None
        assert set(m.training_regions) == SIX
    llama = cat.get("Meta-Llama-3.1-8B-Instruct")
    assert llama is not None
    assert llama.training_regions == ("westus3",)
    assert llama.registry == "azureml-meta"
    phi = cat.get("Phi-4-mini-instruct")
    assert phi is not None
    assert phi.registry == "azureml"
    assert phi.microsoft
    assert not phi.needs_marketplace_subscription
    assert llama.needs_marketplace_subscription
    # the story: West US trains Phi-4-mini-instruct, Japan East does not
    assert phi.can_train_in("West US")
    assert phi.can_train_in("westus")
    assert not phi.can_train_in("japaneast")


def test_openai_regions_limits_and_global_training() -> None:
    cat = load_catalog()
    gpt4o = cat.get("gpt-4o-2024-08-06")
    assert gpt4o is not None
    assert set(gpt4o.training_regions) == {"eastus2", "northcentralus", "swedencentral"}
    for m in cat.for_route("openai"):
        assert m.global_training
        assert m.registry is None
        assert not m.microsoft
        if m.id != "gpt-4o-2024-08-06":
            assert set(m.training_regions) == {"northcentralus", "swedencentral"}
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


def test_descriptions_in_both_languages() -> None:
    for m in load_catalog().models:
        assert m.description_en.isascii(), m.id
        assert len(m.description_en) > 40, m.id
        assert any("\u4e00" <= ch <= "\u9fff" for ch in m.description_zh), m.id
        assert "$" not in m.description_en  # no prices in the bundled list
    phi = load_catalog().get("Phi-4")
    assert phi is not None
    assert phi.description == phi.description_en
    i18n.set_language("zh_CN")
    assert phi.description == phi.description_zh


def test_region_names() -> None:
    assert region_name("eastus2") == "East US 2"
    assert region_name("West US 3") == "West US 3"
    assert region_name("mars") == "mars"
    assert normalize_region("East US 2") == "eastus2"
    llama = load_catalog().get("Meta-Llama-3.1-8B-Instruct")
    assert llama is not None
    assert llama.region_names == ("West US 3",)


def test_damaged_catalog_is_a_file_problem(tmp_path: Path) -> None:
    good = json.loads(resource_path("models.json").read_text(encoding="utf-8"))
    bad = tmp_path / "models.json"
    good["models"][0]["route"] = "carrier-pigeon"
    bad.write_text(json.dumps(good), encoding="utf-8")
    with pytest.raises(FileProblem, match="damaged"):
        load_catalog(bad)
    missing = tmp_path / "nope.json"
    with pytest.raises(FileProblem) as info:
        load_catalog(missing)
    assert info.value.path == str(missing)
