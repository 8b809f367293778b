"""Build the training route for a chosen place (the UI's one way to reach a route).

A hub project (:class:`~tunedesk.cloud.discovery.Workspace`) trains on the classic hub route
(azure-ai-ml serverless); an Azure OpenAI / Foundry resource
(:class:`~tunedesk.cloud.discovery.AIResource`) or an endpoint + key sign-in
(:class:`~tunedesk.cloud.auth.ApiKeyAuth`) trains on the resource route (``fine_tuning``).
Importing this module imports neither SDK: each route imports its SDK when first used.
"""

from __future__ import annotations

from typing import Any

from tunedesk.cloud.auth import ApiKeyAuth, AuthSession
from tunedesk.cloud.discovery import AIResource, Discovery, Workspace
from tunedesk.cloud.routes.base import TrainingRoute
from tunedesk.cloud.secrets import SecretStore


def make_route(target: Any, session: AuthSession | None, store: SecretStore) -> TrainingRoute:
    """The route for ``target`` (a Workspace, an AIResource or an ApiKeyAuth).

    A Workspace or AIResource needs the Microsoft ``session``; a key sign-in does not (it
    can train and chat, but deploying needs a Microsoft sign-in: the route says so).
    """
    if isinstance(target, ApiKeyAuth):
        from tunedesk.cloud.routes.openai_route import OpenAIRoute

        return OpenAIRoute(target.endpoint, target, store)
    if session is None:
        raise ValueError("a Microsoft sign-in is needed for this place")
    if isinstance(target, Workspace):
        from tunedesk.cloud.routes.hub import HubServerlessRoute

        return HubServerlessRoute(session, target, store)
    if isinstance(target, AIResource):
        from tunedesk.cloud.routes.openai_route import OpenAIRoute

        discovery = Discovery(session, target.tenant_id)
        return OpenAIRoute(target.endpoint, session, store, resource=target, discovery=discovery)
    raise TypeError(f"not a training place: {type(target).__name__}")
