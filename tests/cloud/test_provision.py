"""“Create one for me”: planning and creating a place to fine-tune, through the real
azure-identity / azure-core clients against the emulator (faults injected, never mocked)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.azure_emulator.server import Emulator
from tests.azure_emulator.world import SP_CLIENT_ID, SUBSCRIPTION_ID
from tests.cloud.conftest import run
from tests.cloud.helpers import sp_session, training_files
from tunedesk.cloud.discovery import AIResource, Discovery, ResourceGroup, Workspace
from tunedesk.cloud.errors import (
    CreationFailed,
    ModelNotTrainable,
    NameNotAllowed,
    PermissionDenied,
    RegionNotSupported,
)
from tunedesk.cloud.provision import CreationPlan, create_place, plan_place, training_regions
from tunedesk.cloud.routes.hub import HubServerlessRoute
from tunedesk.cloud.secrets import KeyringSecretStore
from tunedesk.core.catalog import BaseModel, load_catalog
from tunedesk.core.i18n import Text

PHI = "Phi-4-mini-instruct"
GPT = "gpt-4.1-mini-2025-04-14"
NEW_RG = "tunedesk-westus"
WORKSPACE_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}")
pytestmark = [
    pytest.mark.filterwarnings("ignore::marshmallow.warnings.RemovedInMarshmallow4Warning"),
    pytest.mark.filterwarnings("ignore::marshmallow.warnings.ChangedInMarshmallow4Warning"),
]


def model(model_id: str) -> BaseModel:
    found = load_catalog().get(model_id)
    assert found is not None
    return found


def hub_plan(
    *,
    resource_group: str = NEW_RG,
    new_resource_group: bool = True,
    location: str = "westus",
    taken_names: tuple[str, ...] | list[str] = (),
) -> CreationPlan:
    return plan_place(
        model(PHI),
        SUBSCRIPTION_ID,
        resource_group=resource_group,
        new_resource_group=new_resource_group,
        location=location,
        taken_names=taken_names,
    )


@pytest.fixture
def fast(azure_emulator: Emulator) -> Emulator:
    """Provisioning that takes a moment, and Retry-After: 0 so tests poll at the floor."""
    azure_emulator.provisioning.delay = 0.3
    azure_emulator.provisioning.retry_after = 0
    return azure_emulator


def create(plan: CreationPlan) -> Workspace | AIResource:
    """Sign in as the service principal and create what ``plan`` says."""

    async def scenario() -> Workspace | AIResource:
        d = Discovery(await sp_session(KeyringSecretStore()))
        try:
            return await create_place(d, plan)
        finally:
            d.close()

    return run(scenario())


def puts(emulator: Emulator, path: str) -> int:
    return len(emulator.calls("PUT", path + "$"))


def test_plan_for_phi_in_west_us_is_fine_and_japan_east_is_refused() -> None:
    phi = model(PHI)
    regions = training_regions(phi)
    assert "westus" in regions
    assert "japaneast" not in regions
    assert regions[0] == "eastus2"  # Llama 3.1 8B (West US 3) retired: catalog order
    assert set(regions) == set(phi.training_regions)

    plan = hub_plan()
    assert plan.route == "hub"
    assert plan.location == "westus"
    group, storage, vault, hub, project = plan.names
    assert group == NEW_RG
    assert re.fullmatch(r"[a-z0-9]{3,24}", storage)
    assert re.fullmatch(r"[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]", vault)
    assert WORKSPACE_NAME.fullmatch(hub)
    assert WORKSPACE_NAME.fullmatch(project)
    assert hub_plan() == plan                                # deterministic: a retry reuses it
    assert len(plan.summary) == 4
    assert all(isinstance(s, Text) for s in plan.summary)
    text = " ".join(str(s) for s in plan.summary)
    for name in plan.names:
        assert name in text
    assert "West US" in text
    assert "costs nothing" in text

    other = hub_plan(taken_names=[hub.upper(), project])
    assert other.names[3] == f"{hub}-2"
    assert other.names[4] == f"{project}-2"
    existing = hub_plan(resource_group="contoso-ai", new_resource_group=False)
    assert len(existing.names) == 4
    assert "contoso-ai" in str(existing.summary[0])

    with pytest.raises(RegionNotSupported) as info:
        hub_plan(location="japaneast")
    assert info.value.region == "Japan East"
    assert "West US" in info.value.regions
    assert "West US" in str(info.value.hint)
    with pytest.raises(NameNotAllowed):
        hub_plan(resource_group="ends-with-a-period.")

    with pytest.raises(ModelNotTrainable):  # retired: no place can train it any more
        plan_place(
            model("Meta-Llama-3.1-8B-Instruct"),
            SUBSCRIPTION_ID,
            resource_group=NEW_RG,
            new_resource_group=True,
            location="westus3",
        )
    long = plan_place(
        model(PHI),
        SUBSCRIPTION_ID,
        resource_group=NEW_RG,
        new_resource_group=True,
        location="westus3",
    )
    assert all(WORKSPACE_NAME.fullmatch(n) for n in long.names[3:])

    gpt = plan_place(
        model(GPT),
        SUBSCRIPTION_ID,
        resource_group="contoso-openai",
        new_resource_group=False,
        location="Sweden Central",
    )
    assert gpt.route == "openai"
    assert gpt.location == "swedencentral"
    (account,) = gpt.names
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}[a-z0-9]", account)
    # Japan East can use global training for it now; West US 2 has neither kind
    with pytest.raises(RegionNotSupported):
        plan_place(
            model(GPT),
            SUBSCRIPTION_ID,
            resource_group="x",
            new_resource_group=True,
            location="westus2",
        )


def test_hub_and_project_in_a_new_resource_group(
    fast: Emulator, tmp_path: Path, memory_keyring: object
) -> None:
    emulator = fast
    before = len(emulator.aml.workspaces)
    plan = hub_plan()
    _, storage, vault, hub, project = plan.names
    progress: list[Text] = []

    async def scenario() -> None:
        store = KeyringSecretStore()
        session = await sp_session(store)
        d = Discovery(session)
        created = await create_place(d, plan, progress.append)
        assert isinstance(created, Workspace)
        assert created.kind == "project"
        assert created.name == project
        assert created.resource_group == NEW_RG
        assert created.location == "westus"
        assert (created.hub_id or "").endswith(f"/workspaces/{hub}")
        listed = await d.list_workspaces(SUBSCRIPTION_ID)
        assert created in listed
        assert [w.name for w in listed].count(hub) == 1
        assert [w.name for w in listed].count(project) == 1
        assert ResourceGroup(NEW_RG, "westus") in await d.list_resource_groups(SUBSCRIPTION_ID)

        # The new project is a working place: the AML data plane takes its training data.
        train, valid = training_files(tmp_path)
        route = HubServerlessRoute(session, created, store)
        data = await route.upload(str(train), str(valid))
        assert emulator.aml.resolve_uri_bytes(data.training) == train.read_bytes()
        await route.aclose()

        # The same plan again (say, after a crash): updates, nothing new.
        again = await create_place(d, plan)
        assert again == created
        d.close()

    run(scenario())
    assert len(emulator.aml.workspaces) == before + 2
    assert emulator.world.resource_groups[NEW_RG] == "westus"
    assert storage in emulator.hub_dependencies.storage
    assert vault in emulator.hub_dependencies.vaults
    hub_ws = emulator.aml.workspace(hub)
    assert hub_ws.kind == "hub"
    assert hub_ws.storage_account.endswith(f"/storageAccounts/{storage}")
    assert emulator.aml.workspace(project).hub_name == hub
    for name in (f"/resourcegroups/{NEW_RG}", storage, vault, hub, project):
        assert puts(emulator, name) == 2, name            # once per create_place call
    assert str(progress[-1]) == "Everything is ready."
    assert any(hub in str(p) for p in progress)
    assert not emulator.unserved()
    assert not emulator.errors


def test_dropped_connections_after_the_puts_still_make_one_of_each(
    fast: Emulator, memory_keyring: object
) -> None:
    emulator = fast
    plan = hub_plan()
    _, storage, _, hub, project = plan.names
    before = len(emulator.aml.workspaces)
    for name in (f"/resourcegroups/{NEW_RG}", storage, hub, project):
        emulator.faults.add("drop_after", method="PUT", path=re.escape(name) + "$")

    created = create(plan)
    assert isinstance(created, Workspace)
    assert created.name == project
    assert not emulator.faults.pending                       # every drop happened
    for name in (f"/resourcegroups/{NEW_RG}", storage, hub, project):
        calls = emulator.calls("PUT", re.escape(name) + "$")
        assert [c.status for c in calls] == [None], name      # sent once, never answered
        assert emulator.calls("GET", re.escape(name) + "$"), name   # looked up instead
    assert len(emulator.aml.workspaces) == before + 2
    assert emulator.aml.workspace(hub).provisioning.state() == "Succeeded"


def test_a_put_lost_before_it_arrived_is_sent_again(
    fast: Emulator, memory_keyring: object
) -> None:
    emulator = fast
    plan = hub_plan()
    storage = plan.names[1]
    emulator.faults.add("drop_before", method="PUT", path=storage + "$")

    create(plan)
    calls = emulator.calls("PUT", storage + "$")
    assert [c.status for c in calls] == [None, 202]
    assert len([s for s in emulator.hub_dependencies.storage if s == storage]) == 1


def test_ai_services_resource_for_an_openai_model(
    fast: Emulator, memory_keyring: object
) -> None:
    emulator = fast
    plan = plan_place(
        model(GPT),
        SUBSCRIPTION_ID,
        resource_group="contoso-openai",
        new_resource_group=False,
        location="swedencentral",
        taken_names=["contoso-aoai-swc"],
    )
    (name,) = plan.names
    store = KeyringSecretStore()

    async def scenario() -> AIResource:
        d = Discovery(await sp_session(store))
        created = await create_place(d, plan)
        assert isinstance(created, AIResource)
        assert created in await d.list_ai_resources(SUBSCRIPTION_ID)
        key = await d.store_resource_key(created, store)
        assert await store.get(key.account) == emulator.openai.key(name)
        d.close()
        return created

    created = run(scenario())
    assert created.kind == "AIServices"
    assert created.location == "swedencentral"
    assert created.resource_group == "contoso-openai"
    assert created.endpoint == f"https://{name}.openai.azure.com"
    assert not emulator.calls("PUT", r"/resourcegroups/[^/]+$")   # the group existed
    polls = emulator.calls("GET", r"/Microsoft\.CognitiveServices/locations/.*/operationResults/")
    assert polls                                            # followed Azure-AsyncOperation
    assert emulator.openai.account(name).provisioning.state() == "Succeeded"


def test_missing_role_names_contributor_on_the_right_scope(
    fast: Emulator, memory_keyring: object
) -> None:
    emulator = fast

    def attempt(plan: CreationPlan) -> PermissionDenied:
        with pytest.raises(PermissionDenied) as info:
            create(plan)
        return info.value

    emulator.world.denied[SP_CLIENT_ID] = {"Microsoft.Resources"}
    err = attempt(hub_plan())
    assert err.role == "Contributor"
    assert "Contributor" in str(err)
    assert "subscription" in str(err.scope)
    assert NEW_RG not in emulator.world.resource_groups

    emulator.world.denied[SP_CLIENT_ID] = {"Microsoft.Storage"}
    err = attempt(hub_plan(resource_group="contoso-ai", new_resource_group=False))
    assert err.role == "Contributor"
    assert "contoso-ai" in str(err)
    assert len(emulator.calls("PUT", r"/storageAccounts/")) == 1   # a 403 is not retried


def test_throttling_and_outages_while_waiting_are_survived_and_retry_after_is_honoured(
    azure_emulator: Emulator, memory_keyring: object
) -> None:
    emulator = azure_emulator
    emulator.provisioning.delay = 0.3
    emulator.provisioning.retry_after = 1
    plan = hub_plan()
    hub = plan.names[3]
    emulator.faults.add("429", method="GET", path=r"/workspaceOperationsStatus/", seconds=0.2)
    emulator.faults.add("503", method="GET", path=r"/asyncoperations/", times=2, seconds=0)
    emulator.faults.add("503", method="GET", path=r"/vaults/", seconds=0)

    created = create(plan)
    assert isinstance(created, Workspace)
    assert not emulator.faults.pending
    put = emulator.calls("PUT", re.escape(hub) + "$")[0]
    polls = emulator.calls("GET", r"/workspaceOperationsStatus/")
    assert polls[0].status == 429
    assert any(p.status == 200 for p in polls)
    assert polls[0].time - put.time >= 0.9                  # waited the PUT's Retry-After: 1
    assert [c.status for c in emulator.calls("GET", r"/asyncoperations/")][:2] == [503, 503]


def test_failed_provisioning_is_reported_and_the_same_plan_again_finishes_it(
    fast: Emulator, memory_keyring: object
) -> None:
    emulator = fast
    emulator.provisioning.fail_next(
        "Microsoft.MachineLearningServices", "InternalServerError", "The hub could not be set up."
    )
    plan = hub_plan()
    with pytest.raises(CreationFailed) as info:
        create(plan)
    err = info.value
    assert plan.names[3] in str(err)
    assert err.service_message == "The hub could not be set up."
    assert "could not be set up" in str(err.hint)
    assert emulator.aml.workspace(plan.names[4]) is None     # no project without its hub

    before = len(emulator.aml.workspaces)
    created = create(plan)                                   # PUT again re-drives the hub
    assert isinstance(created, Workspace)
    assert len(emulator.aml.workspaces) == before + 1        # the project; the hub was there
    assert emulator.aml.workspace(plan.names[3]).provisioning.state() == "Succeeded"
