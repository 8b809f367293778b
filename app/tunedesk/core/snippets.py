"""Code a person can copy to call their deployed model, and a chat saved as Markdown.

The snippets never hold a key: it is read from an environment variable (``api_key_env``,
``AZURE_OPENAI_API_KEY`` unless told otherwise), whose name must look like one (capital
letters, digits and ``_``), so a key passed by mistake is refused rather than printed.
Endpoints lose any user name, password, query or fragment they carry.

The shapes (AZURE.md):

- ``route="openai"`` (an Azure OpenAI / Foundry resource): the v1 API,
  ``OpenAI(base_url="{endpoint}/openai/v1/", api_key=...)`` and ``model=<deployment>``
  (2.1, 2.4); curl posts to ``{endpoint}/openai/v1/chat/completions`` with the ``api-key``
  header, which that API takes everywhere.
- ``route="hub"`` (a serverless endpoint of a classic hub project): its scoring URI +
  ``/v1`` (1.9). The documented header is the key itself in ``Authorization`` (no
  ``Bearer``); the Python snippet sends it so and says how to fall back to the openai
  client's ``Bearer`` form, the one the app also tries.

Plain Python: no Qt, no cloud imports.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

from tunedesk.core.i18n import translate

DEFAULT_KEY_ENV = "AZURE_OPENAI_API_KEY"
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,63}")
_ROUTES = ("hub", "openai")
_COMMENT_WIDTH = 88


def _check_env(name: str) -> str:
    if not isinstance(name, str) or not _ENV_NAME.fullmatch(name):
        # never echo the value: it may be a key given by mistake
        raise ValueError(
            "api_key_env must be an environment variable name "
            "(capital letters, digits and _, at most 64)"
        )
    return name


def _check_route(route: str) -> str:
    if route not in _ROUTES:
        raise ValueError(f"route must be 'hub' or 'openai', not {route!r}")
    return route


def _origin_and_path(endpoint: str) -> tuple[str, str]:
    """``scheme://host[:port]`` and the path of ``endpoint``, without credentials, query
    or fragment. Raises ValueError when it is not an http(s) URL."""
    parts = urlsplit(endpoint.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("the endpoint must be an https URL")
    host = parts.hostname
    if ":" in host:  # IPv6
        host = f"[{host}]"
    origin = f"{parts.scheme.lower()}://{host}"
    if parts.port is not None:
        origin += f":{parts.port}"
    return origin, parts.path.rstrip("/")


def _strip_suffix(path: str, suffixes: Sequence[str]) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in suffixes:
            if path.lower().endswith(suffix):
                path = path[: -len(suffix)].rstrip("/")
                changed = True
    return path


def base_url(endpoint: str, *, route: str) -> str:
    """The OpenAI-compatible base URL of a deployment's ``endpoint`` (resource endpoint
    or scoring URI), ending in ``/openai/v1/`` (resource) or ``/v1`` (hub)."""
    _check_route(route)
    origin, path = _origin_and_path(endpoint)
    if route == "openai":
        path = _strip_suffix(path, ("/chat/completions", "/v1", "/openai"))
        return f"{origin}{path}/openai/v1/"
    path = _strip_suffix(path, ("/chat/completions", "/v1"))
    return f"{origin}{path}/v1"


def _chat_url(endpoint: str, route: str) -> str:
    return base_url(endpoint, route=route).rstrip("/") + "/chat/completions"


def _comment(text: str, prefix: str = "# ") -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        wrapped = textwrap.wrap(paragraph, width=max(20, _COMMENT_WIDTH - len(prefix)))
        lines += [f"{prefix}{line}".rstrip() for line in wrapped or [""]]
    return lines


def _py(text: str) -> str:
    """A Python string literal for ``text`` (a JSON string is one, double-quoted)."""
    return json.dumps(text, ensure_ascii=False)


def _messages(system_prompt: str, question: str) -> list[dict[str, str]]:
    out = [{"role": "system", "content": system_prompt}] if system_prompt.strip() else []
    out.append({"role": "user", "content": question})
    return out


def _question(question: str | None) -> str:
    return question if question is not None else translate("Snippets", "Hello!")


def python_snippet(
    endpoint: str,
    deployment: str,
    *,
    route: str,
    api_key_env: str = DEFAULT_KEY_ENV,
    system_prompt: str = "",
    question: str | None = None,
) -> str:
    """A Python script (the ``openai`` package) that asks the deployment one question.

    ``question`` None: a translated "Hello!". The key comes from ``os.environ[api_key_env]``.
    """
    env = _check_env(api_key_env)
    url = base_url(endpoint, route=route)
    key = f"os.environ[{_py(env)}]"
    lines = [
        "# pip install openai",
        *_comment(
            translate(
                "Snippets",
                "Set the environment variable {name} to the deployment's key first; "
                "never paste the key into the code.",
            ).format(name=env)
        ),
        "import os",
        "",
        "from openai import OpenAI",
        "",
        "client = OpenAI(",
        f"    base_url={_py(url)},",
        f"    api_key={key},",
    ]
    if route == "hub":
        lines += _comment(
            translate(
                "Snippets",
                "Serverless endpoints take the key itself in the Authorization header. If "
                "this is refused (401), remove the next line.",
            ),
            "    # ",
        )
        lines.append(f'    default_headers={{"Authorization": {key}}},')
    lines += [
        ")",
        "",
        "response = client.chat.completions.create(",
        f"    model={_py(deployment)},",
        "    messages=[",
    ]
    for message in _messages(system_prompt, _question(question)):
        role, content = _py(message["role"]), _py(message["content"])
        lines.append(f'        {{"role": {role}, "content": {content}}},')
    lines += [
        "    ],",
        ")",
        "print(response.choices[0].message.content)",
        "",
    ]
    return "\n".join(lines)


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def curl_snippet(
    endpoint: str,
    deployment: str,
    *,
    route: str,
    api_key_env: str = DEFAULT_KEY_ENV,
    system_prompt: str = "",
    question: str | None = None,
) -> str:
    """A POSIX shell ``curl`` command asking the deployment one question; the key is
    ``$api_key_env``, expanded by the shell, never written out."""
    env = _check_env(api_key_env)
    url = _chat_url(endpoint, _check_route(route))
    body: dict[str, object] = {}
    if route == "openai":
        body["model"] = deployment
    body["messages"] = _messages(system_prompt, _question(question))
    header = f'"api-key: ${env}"' if route == "openai" else f'"Authorization: ${env}"'
    lines = [
        *_comment(
            translate(
                "Snippets",
                "Set the environment variable {name} to the deployment's key first; "
                "never paste the key into the command.",
            ).format(name=env)
        ),
        f"curl {_sh_quote(url)} \\",
        '  -H "Content-Type: application/json" \\',
        f"  -H {header} \\",
        f"  -d {_sh_quote(json.dumps(body, ensure_ascii=False, indent=2))}",
        "",
    ]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- Markdown
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


def _close_fences(text: str) -> str:
    """``text`` with a closing fence added when it ends inside a code block (CommonMark:
    the same character, at least as long, nothing after it), so one message's unclosed
    block cannot swallow the headings after it. Closed blocks are left exactly as written."""
    open_fence = ""
    for line in text.splitlines():
        match = _FENCE_OPEN.match(line)
        if match is None:
            continue
        fence, rest = match.group(1), match.group(2)
        if not open_fence:
            if fence[0] == "`" and "`" in rest:
                continue  # not a fence: an info string cannot hold a backtick
            open_fence = fence
        elif fence[0] == open_fence[0] and len(fence) >= len(open_fence) and not rest.strip():
            open_fence = ""
    if not open_fence:
        return text
    return text.rstrip("\n") + "\n" + open_fence


def _heading(role: str) -> str:
    if role == "system":
        return translate("Snippets", "System prompt")
    if role == "user":
        return translate("Snippets", "You")
    if role == "assistant":
        return translate("Snippets", "Model")
    return role or "?"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def conversation_markdown(
    messages: Sequence[dict[str, str]], *, title: str, model: str, when: datetime
) -> str:
    """The chat as Markdown: ``# title``, the model and time, then each message under a
    ``##`` heading naming its role ("System prompt", "You", "Model"), its text as written
    (code fences kept; one left open is closed)."""
    stamp = when.strftime("%Y-%m-%d %H:%M")
    zone = when.tzname() if when.tzinfo is not None else None
    if zone:
        stamp += f" {zone}"
    header = translate("Snippets", "Model: {model} · {when}").format(
        model=f"`{_one_line(model)}`", when=stamp
    )
    out = [f"# {_one_line(title)}", "", header, ""]
    for message in messages:
        role = _one_line(str(message.get("role", "")))
        content = message.get("content", "")
        text = content if isinstance(content, str) else str(content)
        out += [f"## {_heading(role)}", "", _close_fences(text.strip("\n")), ""]
    return "\n".join(out)


__all__ = [
    "DEFAULT_KEY_ENV",
    "base_url",
    "conversation_markdown",
    "curl_snippet",
    "python_snippet",
]
