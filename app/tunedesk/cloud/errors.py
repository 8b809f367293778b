"""Typed, plain-language errors for everything that can go wrong talking to Azure.

Every SDK failure a person can act on is turned into one :class:`CloudError` subclass by
:func:`to_user_error` (azure-core / azure-identity / openai exceptions alike); anything else
is a bug and propagates unchanged to the crash handler. Messages say what happened and what
to do, in words a domain expert understands; the service's own text is kept on
``service_message`` (for "details") and never contains secrets we sent.
"""

from __future__ import annotations

import contextlib
import email.utils
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from tunedesk.core.errors import UserFacingError
from tunedesk.core.i18n import Text, lazy

Route = Literal["hub", "openai", "arm"]

# The role names people see in the Azure portal today (AZURE.md 4.3), kept in one place.
ROLE_HUB = "Azure AI Developer"
ROLE_HUB_ALT = "Contributor"
ROLE_OPENAI = "Cognitive Services OpenAI Contributor"
ROLE_READER = "Reader"
# Creating resources (a resource group, a hub and project, an AI Services resource) needs
# Owner or Contributor on the subscription or resource group ("To create a new hub, you need
# either the Owner or Contributor role on the resource group", MicrosoftDocs/azure-docs
# ai-studio/how-to/create-azure-ai-resource.md); Contributor is the smaller of the two to ask for.
ROLE_CREATE = "Contributor"


class CloudError(UserFacingError):
    """Base of every cloud error. ``retryable``: pressing Retry later may work."""

    retryable = False

    def __init__(
        self,
        message: Text,
        hint: Text | None = None,
        *,
        status: int | None = None,
        code: str | None = None,
        service_message: str | None = None,
    ) -> None:
        super().__init__(message, hint)
        self.status = status
        self.code = code
        self.service_message = service_message


class PermissionDenied(CloudError):
    def __init__(self, role: str, scope: Text, **kw: Any) -> None:
        super().__init__(
            lazy.translate(
                "CloudErrors",
                "You don't have permission to do this. Ask your Azure administrator to give "
                "you the \"{role}\" role on {scope}.",
            ).format(role=role, scope=scope),
            lazy.translate(
                "CloudErrors", "After the role has been given, sign out and sign in again."
            ),
            **kw,
        )
        self.role = role
        self.scope = scope


class RegionNotSupported(CloudError):
    def __init__(
        self,
        model: str,
        region: str,
        regions: Sequence[str],
        hint: Text | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(
            lazy.translate(
                "CloudErrors", "{model} cannot be fine-tuned in the region {region}."
            ).format(model=model, region=region),
            hint
            or lazy.translate(
                "CloudErrors",
                "Choose a project or resource in one of these regions: {regions}.",
            ).format(regions=", ".join(regions) if regions else "?"),
            **kw,
        )
        self.model = model
        self.region = region
        self.regions = tuple(regions)


class ModelNotTrainable(CloudError):
    def __init__(self, model: str, **kw: Any) -> None:
        super().__init__(
            lazy.translate("CloudErrors", "The model {model} cannot be fine-tuned here.").format(
                model=model
            ),
            lazy.translate("CloudErrors", "Choose another base model from the list."),
            **kw,
        )
        self.model = model


class QuotaReached(CloudError):
    def __init__(self, **kw: Any) -> None:
        super().__init__(
            lazy.translate(
                "CloudErrors",
                "Your Azure quota is used up: too many training jobs or deployments are "
                "running or waiting.",
            ),
            lazy.translate(
                "CloudErrors",
                "Wait for a running job to finish, cancel one, or delete a deployment you no "
                "longer need, then try again.",
            ),
            **kw,
        )


class FileRejected(CloudError):
    def __init__(self, reason: str, **kw: Any) -> None:
        super().__init__(
            lazy.translate("CloudErrors", "Azure rejected the training file: {reason}").format(
                reason=reason
            ),
            lazy.translate(
                "CloudErrors",
                "Fix the problem in the table (the checklist shows most of them), then "
                "submit again.",
            ),
            **kw,
        )
        self.reason = reason


class Throttled(CloudError):
    """A rate limit (429 that is not a quota). ``retry_after``: whole seconds to show;
    ``wait``: Azure's own hint, exactly (``retry-after-ms``), or None when it gave none."""

    retryable = True
    retry_after: float
    wait: float | None

    def __init__(self, retry_after: float | None, **kw: Any) -> None:
        seconds = max(1, round(retry_after)) if retry_after is not None else 30
        super().__init__(
            lazy.translate("CloudErrors", "Azure is busy and asked us to slow down."),
            lazy.translate("CloudErrors", "Try again in {seconds} seconds.").format(
                seconds=seconds
            ),
            **kw,
        )
        self.retry_after = float(seconds)
        self.wait = retry_after


class SignInExpired(CloudError):
    def __init__(self, **kw: Any) -> None:
        super().__init__(
            lazy.translate("CloudErrors", "Your sign-in has expired."),
            lazy.translate(
                "CloudErrors", "Sign in again; your work continues where it stopped."
            ),
            **kw,
        )


class SignInRequired(CloudError):
    def __init__(self, **kw: Any) -> None:
        super().__init__(
            lazy.translate("CloudErrors", "Please sign in to Microsoft Azure to continue."),
            None,
            **kw,
        )


class SignInFailed(CloudError):
    """Wrong client id/secret, wrong tenant, cancelled or timed-out browser/device sign-in."""

    def __init__(self, detail: str | None = None, **kw: Any) -> None:
        super().__init__(
            lazy.translate("CloudErrors", "Signing in to Microsoft Azure did not work."),
            lazy.translate(
                "CloudErrors",
                "Check the account, the tenant and (for an app sign-in) the client ID and "
                "secret, then try again.",
            ),
            service_message=detail,
            **kw,
        )


class KeyRejected(CloudError):
    def __init__(self, **kw: Any) -> None:
        super().__init__(
            lazy.translate("CloudErrors", "Azure did not accept the key."),
            lazy.translate(
                "CloudErrors",
                "Copy the key again from the Azure portal (Keys and Endpoint) or sign in "
                "with your Microsoft account instead.",
            ),
            **kw,
        )


class ResourceMissing(CloudError):
    def __init__(self, what: Text, **kw: Any) -> None:
        super().__init__(
            lazy.translate("CloudErrors", "Azure could not find {what}.").format(what=what),
            lazy.translate(
                "CloudErrors",
                "It may have been deleted or renamed. Refresh the list and choose again.",
            ),
            **kw,
        )
        self.what = what


class DeploymentMissing(ResourceMissing):
    """Chat with a deployment Azure does not know (404 ``DeploymentNotFound``)."""

    def __init__(self, deployment: str, **kw: Any) -> None:
        CloudError.__init__(
            self,
            lazy.translate("CloudErrors", "Azure has no deployment named \"{name}\".").format(
                name=deployment
            ),
            lazy.translate(
                "CloudErrors",
                "If it was created in the last few minutes, wait a moment and try again. "
                "Otherwise it was deleted (Azure removes unused fine-tuned deployments "
                "after a while): deploy the model again.",
            ),
            **kw,
        )
        self.what = thing_deployment(deployment)
        self.deployment = deployment


ContentWhere = Literal["prompt", "answer"]


class ContentFiltered(CloudError):
    """Azure's content filter blocked the question (``where="prompt"``, nothing was
    answered) or stopped the answer (``where="answer"``; ``partial`` is the text that
    arrived before it, which stays on screen). ``categories``: the filter's own names of
    what it flagged (``hate``, ``violence``, ``jailbreak``…), possibly empty."""

    def __init__(
        self,
        where: ContentWhere,
        categories: Sequence[str] = (),
        partial: str = "",
        **kw: Any,
    ) -> None:
        names = _Categories(tuple(categories))
        if where == "prompt":
            message = (
                lazy.translate(
                    "CloudErrors",
                    "Azure's content filter blocked this question ({categories}), so the "
                    "model did not answer.",
                ).format(categories=names)
                if names
                else lazy.translate(
                    "CloudErrors",
                    "Azure's content filter blocked this question, so the model did not "
                    "answer.",
                )
            )
            hint = lazy.translate(
                "CloudErrors",
                "Rephrase the question and send it again. The filter is set on the Azure "
                "resource, not in TuneDesk.",
            )
        else:
            message = (
                lazy.translate(
                    "CloudErrors", "Azure's content filter stopped the answer ({categories})."
                ).format(categories=names)
                if names
                else lazy.translate("CloudErrors", "Azure's content filter stopped the answer.")
            )
            hint = lazy.translate(
                "CloudErrors",
                "Ask in other words. If your training answers trigger the filter, the model "
                "will keep being stopped: change those answers and train again.",
            )
        super().__init__(message, hint, **kw)
        self.where = where
        self.categories = tuple(categories)
        self.partial = partial


_CATEGORY_NAMES = {
    "hate": lazy.translate("CloudErrors", "hate"),
    "sexual": lazy.translate("CloudErrors", "sexual content"),
    "violence": lazy.translate("CloudErrors", "violence"),
    "self_harm": lazy.translate("CloudErrors", "self-harm"),
    "profanity": lazy.translate("CloudErrors", "profanity"),
    "jailbreak": lazy.translate("CloudErrors", "an attempt to get round the rules"),
    "indirect_attack": lazy.translate("CloudErrors", "an attempt to get round the rules"),
    "protected_material_text": lazy.translate("CloudErrors", "protected text"),
    "protected_material_code": lazy.translate("CloudErrors", "protected code"),
}


@dataclass(frozen=True, slots=True)
class _Categories:
    """Content-filter categories, named in the language shown when the message is shown
    (unknown ones keep Azure's name)."""

    names: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.names)

    def __str__(self) -> str:
        separator = str(lazy.translate("CloudErrors", ", "))
        return separator.join(str(_CATEGORY_NAMES.get(n, n)) for n in self.names)


def filtered_categories(results: Any) -> tuple[str, ...]:
    """The categories Azure's ``content_filter_result(s)`` mark as filtered/detected."""
    if not isinstance(results, dict):
        return ()
    items = [(str(k), v) for k, v in results.items() if isinstance(v, dict)]
    filtered = tuple(name for name, value in items if value.get("filtered"))
    # "detected" alone is an annotation; it names the reason only when nothing is filtered.
    return filtered or tuple(name for name, value in items if value.get("detected"))


class NetworkProblem(CloudError):
    retryable = True

    def __init__(self, kind: Literal["tls", "proxy", "timeout", "offline"], **kw: Any) -> None:
        hints = {
            "tls": lazy.translate(
                "CloudErrors",
                "The secure connection could not be checked. If your company inspects "
                "internet traffic, ask IT to install its certificate on this computer.",
            ),
            "proxy": lazy.translate(
                "CloudErrors",
                "The proxy server refused or dropped the connection. Check the proxy "
                "settings of this computer or ask IT.",
            ),
            "timeout": lazy.translate(
                "CloudErrors", "Azure took too long to answer. Check your connection and retry."
            ),
            "offline": lazy.translate(
                "CloudErrors",
                "Check that this computer is online (and, at work, that the proxy settings "
                "are right), then retry.",
            ),
        }
        super().__init__(
            lazy.translate("CloudErrors", "Could not reach Microsoft Azure."), hints[kind], **kw
        )
        self.kind = kind


class ServiceProblem(CloudError):
    retryable = True

    def __init__(self, **kw: Any) -> None:
        super().__init__(
            lazy.translate("CloudErrors", "Azure had a problem on its side."),
            lazy.translate("CloudErrors", "This is usually temporary. Press Retry in a minute."),
            **kw,
        )


class RequestRejected(CloudError):
    """A 4xx we cannot classify more precisely: show the service's own words."""

    def __init__(self, detail: str, **kw: Any) -> None:
        super().__init__(
            lazy.translate("CloudErrors", "Azure refused the request: {detail}").format(
                detail=detail
            ),
            None,
            **kw,
        )


class NameNotAllowed(CloudError):
    """A name the person chose that Azure would refuse (checked before anything is sent)."""

    def __init__(self, name: str, rule: Text, **kw: Any) -> None:
        super().__init__(
            lazy.translate("CloudErrors", "Azure does not allow the name \"{name}\".").format(
                name=name
            ),
            rule,
            **kw,
        )
        self.name = name


class CreationFailed(CloudError):
    """Azure accepted a create request, then reported that creating the resource failed."""

    def __init__(self, what: Text, reason: str | None = None, **kw: Any) -> None:
        super().__init__(
            lazy.translate("CloudErrors", "Azure could not create {what}.").format(what=what),
            lazy.translate(
                "CloudErrors",
                "Azure said: {reason} Try again; if it fails again, choose another region.",
            ).format(reason=reason)
            if reason
            else lazy.translate(
                "CloudErrors", "Try again; if it fails again, choose another region."
            ),
            service_message=reason,
            **kw,
        )
        self.what = what


class CreationNotFinished(CloudError):
    """Azure is still creating the resource after TuneDesk stopped waiting."""

    retryable = True

    def __init__(self, what: Text, **kw: Any) -> None:
        super().__init__(
            lazy.translate("CloudErrors", "Azure has not finished creating {what} yet.").format(
                what=what
            ),
            lazy.translate(
                "CloudErrors",
                "It usually finishes on its own. Press Retry in a few minutes: nothing is "
                "created twice.",
            ),
            **kw,
        )
        self.what = what


class KeyringUnavailable(CloudError):
    def __init__(self, **kw: Any) -> None:
        super().__init__(
            lazy.translate(
                "CloudErrors",
                "This computer has no working password store (keyring), so keys and secrets "
                "cannot be saved.",
            ),
            lazy.translate(
                "CloudErrors",
                "You can continue: secrets are kept in memory until TuneDesk closes, and you "
                "will need to enter them again next time.",
            ),
            **kw,
        )


# ----------------------------------------------------------------------------- classification
@dataclass(frozen=True, slots=True)
class ErrorContext:
    """What we were doing: picks the role to name, the model/region for region errors."""

    route: Route = "arm"
    scope: Text | None = None             # see scope_project()/scope_resource()
    model: str | None = None
    region: str | None = None
    regions: tuple[str, ...] = ()
    api_key: bool = False                 # the call used an API key, not a sign-in
    what: Text | None = None              # for 404s, see thing_job()
    role: str | None = None               # the role a 403 names, if not the route's own
    deployment: str | None = None         # the deployment a chat talks to (404s name it)


@dataclass(frozen=True, slots=True)
class _Failure:
    status: int | None
    code: str
    message: str
    retry_after: float | None
    param: str | None = None
    inner: tuple[str, ...] = ()           # inner error codes (``innererror.code``…)
    details: Any = None                   # the error object itself, for details we read


def parse_retry_after(headers: Any) -> float | None:
    """Seconds from ``retry-after-ms``/``x-ms-retry-after-ms``/``Retry-After`` (secs or date)."""
    if headers is None:
        return None
    if isinstance(headers, dict):
        headers = {str(k).lower(): v for k, v in headers.items()}

    def get(name: str) -> str | None:
        try:
            value = headers.get(name)
        except Exception:  # noqa: BLE001 - any odd header container: no hint
            return None
        return str(value) if value is not None else None

    for name in ("retry-after-ms", "x-ms-retry-after-ms"):
        raw = get(name)
        if raw:
            try:
                return max(0.0, float(raw) / 1000.0)
            except ValueError:
                pass
    raw = get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _inner_codes(error: Any) -> list[str]:
    """Inner error codes of an Azure error envelope (``innerError``/``innererror``, nested)."""
    codes: list[str] = []
    current = error
    for _ in range(5):
        if not isinstance(current, dict):
            break
        inner = current.get("innerError") or current.get("innererror") or current.get("inner_error")
        if isinstance(inner, dict) and inner.get("code"):
            codes.append(str(inner["code"]))
        current = inner
    return codes


def _from_azure(exc: Any) -> _Failure:
    response = getattr(exc, "response", None)
    status = getattr(exc, "status_code", None) or getattr(response, "status_code", None)
    err = getattr(exc, "error", None)
    code = str(getattr(err, "code", None) or "")
    message = str(getattr(err, "message", None) or "")
    param: str | None = None
    extra: list[str] = []
    try:
        body = response.json() if response is not None else None
    except Exception:  # noqa: BLE001 - non-JSON error bodies: keep what azure-core parsed
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        code = code or str(error.get("code") or "")
        message = message or str(error.get("message") or "")
        param = str(error["target"]) if error.get("target") else None
        extra = _inner_codes(error)
    if not message:
        message = str(getattr(exc, "message", None) or exc)
    headers = getattr(response, "headers", None)
    full_code = " ".join([code, *extra]).strip()
    return _Failure(status, full_code, message, parse_retry_after(headers), param)


def _from_openai(exc: Any) -> _Failure:
    body = exc.body
    message = ""
    code = str(exc.code or "")
    inner: list[str] = []
    if isinstance(body, dict):
        message = str(body.get("message") or "")
        inner = _inner_codes(body)
        if inner and not code:
            code = inner[0]
    return _Failure(
        exc.status_code,
        code,
        message or str(exc.message),
        parse_retry_after(exc.response.headers),
        exc.param,
        tuple(inner),
        body,
    )


# Codes first, text last (issue 13): Azure's throttling text ends with "Please go here:
# https://aka.ms/oai/quotaincrease if you would like to further increase the default rate
# limit", so the word "quota" alone says nothing. Codes are compared lower-case without
# "_"/"-".
_QUOTA_CODES = {
    "quotaexceeded",          # Azure OpenAI fine-tuning jobs, AML, ARM
    "insufficientquota",      # ARM deployments (InsufficientQuota), OpenAI billing
    "operationnotsupportedquota",
    "deploymentquotaexceeded",
    "quotalimitexceeded",
    "exceededquota",
}
_RATE_CODES = {
    "429", "toomanyrequests", "ratelimitexceeded", "ratelimitreached", "throttled",
    "requestthrottled", "tokenratelimitexceeded", "ratelimited",
}
_FILTER_CODES = {"contentfilter", "responsibleaipolicyviolation"}
_DEPLOYMENT_CODES = {"deploymentnotfound"}
# Text, only when no code decides: "quota" as a word, not inside a URL, and not a rate limit.
_URL = re.compile(r"https?://\S+", re.I)
_QUOTA = re.compile(r"\bquota", re.I)
_RATE_TEXT = re.compile(r"rate limit|retry after|try again (in|after)", re.I)
_RETRY_TEXT = re.compile(r"retry after (\d+(?:\.\d+)?) ?(?:second|sec|s\b)", re.I)
_REGION = re.compile(r"region|location", re.I)
_NOT_TRAINABLE = re.compile(
    r"(not|n't) (supported|available) for fine[- ]?tuning|does not support fine[- ]?tuning|"
    r"cannot be fine[- ]?tuned|invalid base model|model.*not (supported|found)|"
    r"fine[- ]?tuning.*not (supported|available)",
    re.I,
)
_FILE_CODES = {"invalidfile", "invalidtrainingfile", "invalidvalidationfile", "filevalidation"}


def _norm(code: str) -> str:
    return code.lower().replace("_", "").replace("-", "")


def _codes(f: _Failure) -> set[str]:
    return {_norm(c) for c in (*f.code.split(), *f.inner) if c}


def _is_quota(f: _Failure) -> bool:
    codes = _codes(f)
    if codes & _QUOTA_CODES:
        return True
    if codes & _RATE_CODES:
        return False
    text = _URL.sub(" ", f.message)
    return bool(_QUOTA.search(text)) and not _RATE_TEXT.search(text)


def _retry_hint(f: _Failure) -> float | None:
    """Retry-After headers, else the wait the message names ("Please retry after 6 seconds")."""
    if f.retry_after is not None:
        return f.retry_after
    match = _RETRY_TEXT.search(f.message)
    return float(match.group(1)) if match else None


def _content_filter(f: _Failure, codes: set[str]) -> ContentFiltered | None:
    if not codes & _FILTER_CODES:
        return None
    details = f.details if isinstance(f.details, dict) else {}
    inner = details.get("innererror") or details.get("inner_error") or {}
    results = inner.get("content_filter_result") if isinstance(inner, dict) else None
    where: ContentWhere = "answer" if (f.param or "").lower() == "completion" else "prompt"
    return ContentFiltered(
        where,
        filtered_categories(results),
        status=f.status,
        code=f.code or None,
        service_message=f.message,
    )


def _classify(f: _Failure, ctx: ErrorContext) -> CloudError:
    kw: dict[str, Any] = {"status": f.status, "code": f.code or None, "service_message": f.message}
    text = f"{f.code} {f.message}"
    status = f.status or 0
    codes = _codes(f)
    role = ctx.role or _role_for(ctx.route)
    if status == 401 and (
        "permissiondenied" in f.code.lower() or "lacks the required data action" in text
    ):
        # Azure OpenAI answers a missing data-plane role with 401 PermissionDenied.
        return PermissionDenied(role, ctx.scope or _default_scope(ctx.route), **kw)
    if status == 401:
        if ctx.api_key:
            return KeyRejected(**kw)
        return SignInExpired(**kw)
    if status == 403:
        if ctx.api_key and "key" in text.lower():
            return KeyRejected(**kw)
        return PermissionDenied(role, ctx.scope or _default_scope(ctx.route), **kw)
    if status == 429:
        if _is_quota(f):
            return QuotaReached(**kw)
        return Throttled(_retry_hint(f), **kw)
    if status >= 500:
        return ServiceProblem(**kw)
    filtered = _content_filter(f, codes)
    if filtered is not None and status in (400, 422):
        return filtered
    if status == 404 and (ctx.deployment or codes & _DEPLOYMENT_CODES):
        if ctx.deployment:
            return DeploymentMissing(ctx.deployment, **kw)
        return ResourceMissing(ctx.what or thing_deployment(None), **kw)
    if status == 404:
        if ctx.model and _NOT_TRAINABLE.search(text):
            return ModelNotTrainable(_model_name(ctx.model), **kw)
        return ResourceMissing(ctx.what or _default_scope(ctx.route), **kw)
    if status in (400, 409, 422):
        if _is_quota(f):
            return QuotaReached(**kw)
        region_code = "regionnotsupported" in f.code.lower()
        if ctx.model and (region_code or _NOT_TRAINABLE.search(text)):
            if ctx.region and (region_code or _REGION.search(text)):
                return RegionNotSupported(
                    _model_name(ctx.model),
                    _region_display(ctx.region),
                    ctx.regions
                    or _regions_for(ctx.model)
                    or _regions_in(f.message, exclude=_region_display(ctx.region)),
                    **kw,
                )
            return ModelNotTrainable(_model_name(ctx.model), **kw)
        lowered_code = f.code.lower().replace("_", "")
        param = (f.param or "").lower()
        if (
            lowered_code in _FILE_CODES
            or param in {"training_file", "validation_file", "file"}
            or re.search(r"\bfile\b|jsonl|example|line \d+", f.message, re.I)
        ):
            return FileRejected(f.message or f.code, **kw)
        return RequestRejected(f.message or f.code or str(status), **kw)
    return RequestRejected(f.message or f.code or str(status), **kw)


def _regions_for(model: str) -> tuple[str, ...]:
    from tunedesk.core.catalog import load_catalog

    base = load_catalog().get(model)
    return base.region_names if base is not None else ()


def _regions_in(message: str, exclude: str) -> tuple[str, ...]:
    """Region names the service's own message mentions (for models the catalog lacks)."""
    from tunedesk.core.catalog import REGION_NAMES

    found = []
    for location, name in REGION_NAMES.items():
        if name == exclude:
            continue
        if re.search(rf"\b{re.escape(name)}\b(?! ?\d)|\b{location}\b", message):
            found.append(name)
    return tuple(found)


def _region_display(location: str) -> str:
    from tunedesk.core.catalog import region_name

    return region_name(location)


def _model_name(model: str) -> str:
    from tunedesk.core.catalog import load_catalog

    base = load_catalog().get(model)
    return base.display_name if base is not None else model


def _role_for(route: Route) -> str:
    if route == "hub":
        return ROLE_HUB
    if route == "openai":
        return ROLE_OPENAI
    return ROLE_READER


def _default_scope(route: Route) -> Text:
    if route == "hub":
        return lazy.translate("CloudErrors", "the Azure AI Foundry project")
    if route == "openai":
        return lazy.translate("CloudErrors", "the Azure OpenAI resource")
    return lazy.translate("CloudErrors", "the subscription")


def scope_project(name: str) -> Text:
    return lazy.translate("CloudErrors", "the project \"{name}\"").format(name=name)


def scope_resource(name: str) -> Text:
    return lazy.translate("CloudErrors", "the resource \"{name}\"").format(name=name)


def scope_resource_group(name: str) -> Text:
    return lazy.translate("CloudErrors", "the resource group \"{name}\"").format(name=name)


def thing_deployment(name: str | None) -> Text:
    if not name:
        return lazy.translate("CloudErrors", "the deployment")
    return lazy.translate("CloudErrors", "the deployment \"{name}\"").format(name=name)


def thing_job(job_id: str) -> Text:
    return lazy.translate("CloudErrors", "the training job \"{job}\"").format(job=job_id)


def _network_kind(exc: BaseException) -> Literal["tls", "proxy", "timeout", "offline"]:
    import ssl

    seen: set[int] = set()
    current: BaseException | None = exc
    names = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError):
            return "tls"
        if isinstance(current, TimeoutError):
            return "timeout"
        names += f" {type(current).__name__} {current}"
        current = current.__cause__ or current.__context__
    lowered = names.lower()
    if "certificate" in lowered or "ssl" in lowered:
        return "tls"
    if "proxy" in lowered:
        return "proxy"
    if "timeout" in lowered or "timed out" in lowered:
        return "timeout"
    return "offline"


def to_user_error(exc: BaseException, ctx: ErrorContext | None = None) -> CloudError | None:
    """The typed error for an SDK exception, or None when it is not an expected failure."""
    ctx = ctx or ErrorContext()
    if isinstance(exc, CloudError):
        return exc
    module = type(exc).__module__
    if module.startswith("openai"):
        import openai

        if isinstance(exc, openai.APIStatusError):
            return _classify(_from_openai(exc), ctx)
        if isinstance(exc, openai.APIConnectionError):
            return NetworkProblem(_network_kind(exc), service_message=str(exc))
        return None
    if module.startswith(("azure", "msal")):
        from azure.core import exceptions as az

        if type(exc).__name__ == "AuthenticationRequiredError":
            return SignInRequired()
        if isinstance(exc, az.ClientAuthenticationError) and exc.status_code is None:
            # Token acquisition failed (azure-identity): a network fault or a real refusal.
            inner = exc.__cause__ or exc.__context__
            if inner is not None and to_user_error(inner, ctx) is not None:
                return to_user_error(inner, ctx)
            return SignInFailed(str(exc.message or exc))
        if isinstance(exc, az.HttpResponseError):
            return _classify(_from_azure(exc), ctx)
        if isinstance(exc, az.ServiceRequestError | az.ServiceResponseError):
            return NetworkProblem(_network_kind(exc), service_message=str(exc))
        return None
    if module.startswith(("requests", "urllib3", "httpx", "httpcore")):
        return NetworkProblem(_network_kind(exc), service_message=str(exc))
    if isinstance(exc, ConnectionError | TimeoutError):
        return NetworkProblem(_network_kind(exc), service_message=str(exc))
    return None


def is_ambiguous(exc: BaseException) -> bool:
    """Could the request have reached the service? (dropped connection, timeout, 5xx, 429)

    After such a failure a create call must be verified (look the job up) before retrying.
    """
    err = to_user_error(exc)
    return isinstance(err, NetworkProblem | ServiceProblem | Throttled)


def retry_delay(exc: BaseException, attempt: int) -> float:
    """Seconds to wait before retrying after ``exc``: Azure's Retry-After when it throttled
    (at most a minute), else exponential backoff from half a second up to 8 seconds."""
    err = exc if isinstance(exc, CloudError) else to_user_error(exc)
    if isinstance(err, Throttled):
        return min(err.retry_after, 60.0)
    return min(0.5 * 2.0**attempt, 8.0)


@contextlib.contextmanager
def user_errors(ctx: ErrorContext | None = None) -> Iterator[None]:
    """Re-raise expected SDK failures as their :class:`CloudError` (cause chained)."""
    try:
        yield
    except CloudError:
        raise
    except Exception as exc:
        mapped = to_user_error(exc, ctx)
        if mapped is None:
            raise
        raise mapped from exc


class JobNotFinished(CloudError):
    def __init__(self, **kw: Any) -> None:
        super().__init__(
            lazy.translate("CloudErrors", "The training has not finished successfully yet."),
            lazy.translate(
                "CloudErrors", "Wait until the job shows \"Succeeded\", then deploy the model."
            ),
            **kw,
        )


class NeedsMicrosoftSignIn(CloudError):
    def __init__(self, **kw: Any) -> None:
        super().__init__(
            lazy.translate(
                "CloudErrors",
                "Creating or deleting a deployment needs a Microsoft sign-in; a key alone is "
                "not enough.",
            ),
            lazy.translate("CloudErrors", "Sign in with your Microsoft account and try again."),
            **kw,
        )
