"""Plain-Python + asyncio cloud layer: no Qt (import-linter enforces it).

Importing any module here is cheap: the SDKs (azure-identity, azure-ai-ml, openai) are
imported inside the functions that need them. The UI runs :func:`executor.preload_sdks` on a
worker thread after the first paint, and :func:`net.configure_network` once at start-up.

Public API (every coroutine raises :class:`errors.CloudError` subclasses for expected
failures; anything else is a bug):

* ``net.configure_network()`` — OS certificate store (truststore), env proxies, log scrubbing.
* ``executor.run_sync / run_sdk / shutdown_executors / preload_sdks``.
* ``secrets.SecretStore`` (protocol), ``KeyringSecretStore``, ``SessionSecretStore``.
* ``auth.sign_in_browser / sign_in_device_code / sign_in_service_principal /
  sign_in_api_key / restore_session / sign_out / saved_username`` -> ``AuthSession`` or
  ``ApiKeyAuth``.
* ``discovery.Discovery(session)``: ``list_tenants``, ``list_subscriptions``,
  ``list_workspaces``, ``list_ai_resources``, ``store_resource_key``; ``check_region``.
* ``routes.TrainingRoute`` implemented by ``routes.hub.HubServerlessRoute`` and
  ``routes.openai_route.OpenAIRoute``; data types in ``routes.base``.
* ``chat.OpenAIChatClient`` (``route.chat(deployment)``): ``stream``/``complete`` with
  ``on_wait`` (a ``routes.base.RetryWait`` before each of our own, bounded, cancellable
  retries); ``ContentFiltered`` after the pieces that arrived.
* ``errors``: ``PermissionDenied``, ``RegionNotSupported``, ``QuotaReached``,
  ``FileRejected``, ``ModelNotTrainable``, ``Throttled``, ``SignInExpired``,
  ``SignInRequired``, ``SignInFailed``, ``KeyRejected``, ``NetworkProblem``,
  ``ServiceProblem``, ``ResourceMissing``, ``DeploymentMissing``, ``ContentFiltered``,
  ``KeyringUnavailable``, ``JobNotFinished``, ``NeedsMicrosoftSignIn``,
  ``RequestRejected``; ``to_user_error(exc, ctx)`` (status and error code first, text
  last).
"""
