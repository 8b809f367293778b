"""Copyable code for a deployment and a chat saved as Markdown (core/snippets.py).

The snippets are run for real: the Python one with the installed ``openai`` package and the
curl one with the system's curl, both against a loopback server that records what arrives.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tunedesk.core import i18n
from tunedesk.core.snippets import (
    DEFAULT_KEY_ENV,
    base_url,
    conversation_markdown,
    curl_snippet,
    python_snippet,
)

FAKE_KEY = "0123456789abcdef0123456789abcdef"  # what a key looks like; given to nothing
RESOURCE = "https://contoso-aoai.openai.azure.com"
SCORING = "https://phi-ft-ep.westus.models.ai.azure.com"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    before = i18n.current_language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


# ----------------------------------------------------------------------------- URLs
@pytest.mark.parametrize(
    ("endpoint", "route", "expected"),
    [
        (RESOURCE, "openai", f"{RESOURCE}/openai/v1/"),
        (f"{RESOURCE}/", "openai", f"{RESOURCE}/openai/v1/"),
        (f"{RESOURCE}/openai", "openai", f"{RESOURCE}/openai/v1/"),
        (f"{RESOURCE}/openai/v1/", "openai", f"{RESOURCE}/openai/v1/"),
        (
            "https://x.cognitiveservices.azure.com/",
            "openai",
            "https://x.cognitiveservices.azure.com/openai/v1/",
        ),
        (SCORING, "hub", f"{SCORING}/v1"),
        (f"{SCORING}/", "hub", f"{SCORING}/v1"),
        (f"{SCORING}/v1/chat/completions", "hub", f"{SCORING}/v1"),
        # credentials, queries and fragments never reach a snippet
        (
            f"https://user:{FAKE_KEY}@ep.models.ai.azure.com/?api-key={FAKE_KEY}#x",
            "hub",
            "https://ep.models.ai.azure.com/v1",
        ),
        ("HTTPS://EP.example.com:8443", "hub", "https://ep.example.com:8443/v1"),
    ],
)
def test_base_url(endpoint: str, route: str, expected: str) -> None:
    assert base_url(endpoint, route=route) == expected


@pytest.mark.parametrize("endpoint", ["", "ftp://x", "not a url", "https://"])
def test_base_url_refuses_non_urls(endpoint: str) -> None:
    with pytest.raises(ValueError, match="URL"):
        base_url(endpoint, route="openai")


def test_unknown_route_is_refused() -> None:
    with pytest.raises(ValueError, match="route"):
        python_snippet(RESOURCE, "d", route="serverless")
    with pytest.raises(ValueError, match="route"):
        curl_snippet(RESOURCE, "d", route="")


# ----------------------------------------------------------------------------- no secrets
@pytest.mark.parametrize("make", [python_snippet, curl_snippet])
@pytest.mark.parametrize("route", ["openai", "hub"])
def test_snippets_name_the_variable_and_hold_no_key(make: Any, route: str) -> None:
    endpoint = RESOURCE if route == "openai" else SCORING
    text = make(endpoint, "family-ft", route=route, system_prompt="You know the family.")
    assert DEFAULT_KEY_ENV in text
    assert FAKE_KEY not in text
    custom = make(
        f"https://u:{FAKE_KEY}@h.example.com/?k={FAKE_KEY}",
        "d",
        route=route,
        api_key_env="MY_KEY_2",
    )
    assert "MY_KEY_2" in custom
    assert DEFAULT_KEY_ENV not in custom
    assert FAKE_KEY not in custom


@pytest.mark.parametrize("make", [python_snippet, curl_snippet])
@pytest.mark.parametrize(
    "name", [FAKE_KEY, "9ABCDEF0123", "lower_case", "HAS SPACE", "X;rm -rf", "A" * 65, ""]
)
def test_a_key_given_as_the_variable_name_is_refused_without_echoing_it(
    make: Any, name: str
) -> None:
    with pytest.raises(ValueError, match="environment variable name") as caught:
        make(RESOURCE, "d", route="openai", api_key_env=name)
    if name:
        assert name not in str(caught.value)


# ----------------------------------------------------------------------------- shapes
def test_python_snippet_shape() -> None:
    text = python_snippet(RESOURCE, "family-ft", route="openai", system_prompt='Say "hi"\n你好')
    ast.parse(text)
    assert f'base_url="{RESOURCE}/openai/v1/"' in text
    assert 'api_key=os.environ["AZURE_OPENAI_API_KEY"]' in text
    assert 'model="family-ft"' in text
    assert '{"role": "system", "content": "Say \\"hi\\"\\n你好"}' in text
    assert "default_headers" not in text
    hub = python_snippet(SCORING, "phi-ft-ep", route="hub")
    ast.parse(hub)
    assert f'base_url="{SCORING}/v1"' in hub
    assert 'default_headers={"Authorization": os.environ["AZURE_OPENAI_API_KEY"]}' in hub
    assert '"role": "system"' not in hub  # no empty system prompt
    assert all(len(line) <= 100 for line in hub.splitlines() if line.lstrip().startswith("#"))


def test_curl_snippet_shape() -> None:
    text = curl_snippet(RESOURCE, "family-ft", route="openai", system_prompt="It's 我们")
    assert f"curl '{RESOURCE}/openai/v1/chat/completions'" in text
    assert '-H "api-key: $AZURE_OPENAI_API_KEY"' in text
    assert "It'\\''s 我们" in text  # quoted for the shell
    hub = curl_snippet(SCORING, "phi-ft-ep", route="hub", question="Who is Rose?")
    assert f"curl '{SCORING}/v1/chat/completions'" in hub
    assert '-H "Authorization: $AZURE_OPENAI_API_KEY"' in hub  # the raw key, as documented
    assert '"model"' not in hub
    assert "Who is Rose?" in hub


def test_snippet_comments_and_question_are_translated() -> None:
    seen: list[tuple[str, str]] = []

    def backend(context: str, source: str) -> str:
        seen.append((context, source))
        return "你好！" if source == "Hello!" else "先设置环境变量 {name}。"

    i18n.set_backend(backend)
    try:
        text = python_snippet(SCORING, "d", route="hub")
    finally:
        i18n.set_backend(None)
    assert "# 先设置环境变量 AZURE_OPENAI_API_KEY。" in text
    assert '"content": "你好！"' in text
    assert {c for c, _ in seen} == {"Snippets"}
    ast.parse(text)


# ----------------------------------------------------------------------------- run them
class _Recorder(BaseHTTPRequestHandler):
    seen: list[dict[str, Any]]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.seen.append(  # type: ignore[attr-defined]
            {
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body,
            }
        )
        reply = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": "Rose is Grandma."},
                }
            ],
        }
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    httpd.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", httpd.seen  # type: ignore[attr-defined]
    finally:
        httpd.shutdown()
        httpd.server_close()


def _env() -> dict[str, str]:
    # no proxies: the loopback server is reached directly
    return {"PATH": os.environ.get("PATH", ""), DEFAULT_KEY_ENV: FAKE_KEY, "NO_PROXY": "*"}


def test_python_snippet_runs_with_the_openai_package(
    server: tuple[str, list[dict[str, Any]]],
) -> None:
    url, seen = server
    for route, path, auth in [
        ("openai", "/openai/v1/chat/completions", f"Bearer {FAKE_KEY}"),
        ("hub", "/v1/chat/completions", FAKE_KEY),
    ]:
        seen.clear()
        code = python_snippet(url, "family-ft", route=route, system_prompt="你认识这家人。")
        done = subprocess.run(
            [sys.executable, "-c", code],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "Rose is Grandma."
        assert len(seen) == 1
        assert seen[0]["path"] == path
        assert seen[0]["headers"]["authorization"] == auth
        assert seen[0]["body"]["model"] == "family-ft"
        assert seen[0]["body"]["messages"][0] == {"role": "system", "content": "你认识这家人。"}


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_curl_snippet_runs_in_a_shell(server: tuple[str, list[dict[str, Any]]]) -> None:
    url, seen = server
    for route, path, header, value in [
        ("openai", "/openai/v1/chat/completions", "api-key", FAKE_KEY),
        ("hub", "/v1/chat/completions", "authorization", FAKE_KEY),
    ]:
        seen.clear()
        command = curl_snippet(url, "family-ft", route=route, system_prompt='It\'s "quoted" $HOME')
        done = subprocess.run(
            ["sh", "-c", command.replace("curl ", "curl -s ", 1)],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert len(seen) == 1
        assert seen[0]["path"] == path
        assert seen[0]["headers"][header] == value
        messages = seen[0]["body"]["messages"]
        assert messages[0] == {"role": "system", "content": 'It\'s "quoted" $HOME'}
        assert messages[1] == {"role": "user", "content": "Hello!"}


# ----------------------------------------------------------------------------- Markdown
def test_conversation_markdown() -> None:
    messages = [
        {"role": "system", "content": "You know the family."},
        {"role": "user", "content": "Show me code"},
        {
            "role": "assistant",
            "content": "Here:\n\n```python\nprint('# not a heading')\n```\nDone.",
        },
        {"role": "user", "content": "谢谢"},
    ]
    when = datetime(2026, 12, 3, 14, 5, tzinfo=UTC)
    text = conversation_markdown(
        messages, title="Family\nchat", model="gpt-4.1-mini.ft-1", when=when
    )
    assert text.splitlines()[:3] == [
        "# Family chat",
        "",
        "Model: `gpt-4.1-mini.ft-1` · 2026-12-03 14:05 UTC",
    ]
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## System prompt",
        "## You",
        "## Model",
        "## You",
    ]
    assert "```python\nprint('# not a heading')\n```\nDone." in text
    assert "谢谢" in text


def test_conversation_markdown_closes_a_fence_left_open() -> None:
    messages = [
        {"role": "assistant", "content": "~~~~\ncut off ``` inside\n~~~"},  # still open
        {"role": "user", "content": "And?"},
    ]
    when = datetime(2026, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=8)))
    text = conversation_markdown(messages, title="t", model="m", when=when)
    assert "~~~~\ncut off ``` inside\n~~~\n~~~~\n\n## You" in text
    assert "2026-01-02 03:04 UTC+08:00" in text
    closed = conversation_markdown(
        [{"role": "assistant", "content": "```\na\n```"}], title="t", model="m", when=when
    )
    assert closed.count("```") == 2
    inline = conversation_markdown(
        [{"role": "assistant", "content": "```not a fence``` text"}],
        title="t",
        model="m",
        when=when,
    )
    assert inline.count("```") == 2


def test_conversation_markdown_of_nothing_and_odd_messages() -> None:
    when = datetime(2026, 1, 2, 3, 4)  # naive: no zone shown
    assert conversation_markdown([], title="Empty", model="m", when=when) == (
        "# Empty\n\nModel: `m` · 2026-01-02 03:04\n"
    )
    odd = conversation_markdown(
        [{"role": "tool", "content": 42}, {"content": "x"}],  # type: ignore[dict-item]
        title="t",
        model="m",
        when=when,
    )
    assert "## tool\n\n42" in odd
    assert "## ?\n\nx" in odd
