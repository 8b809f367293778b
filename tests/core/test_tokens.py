"""The bundled o200k_base encoding gives exactly tiktoken's official counts, offline."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest
import tiktoken
from hypothesis import given, settings
from hypothesis import strategies as st

from tunedesk.core import tokens
from tunedesk.core.dataset import Dataset, Example, Message
from tunedesk.core.errors import UserFacingError
from tunedesk.core.resources import resource_path

O200K_URL = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"

SAMPLES = [
    "How old is JIM? He is 10 years old.",
    "我家住在中国北京，有爸爸、妈妈、哥哥JIM、弟弟Mike，还有一只猫kitty。",
    "Family time 👨‍👩‍👦‍👦🐱 — café, naïve, Ünïcödé… 🎉🎉",
    "def f(x):\n    return {'a': [1, 2, 3]}  # comment\r\n\tprint(x ** 2)\n",
    "   \n\n\t  leading and trailing   \r\n  ",
    "",
    "<|endoftext|> is only text here <|endofprompt|>",
    "1234567890 3.14159 -42 1e10",
    "It's they're we've I'm you'll he'd",
]


@pytest.fixture(scope="module")
def official(tmp_path_factory: pytest.TempPathFactory) -> tiktoken.Encoding:
    """tiktoken's own o200k_base, read from a pre-seeded cache (no network)."""
    cache = tmp_path_factory.mktemp("tiktoken-cache")
    raw = gzip.decompress(resource_path(*tokens.TOKENIZER_FILE).read_bytes())
    (cache / hashlib.sha1(O200K_URL.encode()).hexdigest()).write_bytes(raw)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIKTOKEN_CACHE_DIR", str(cache))
        # Build it directly from the constructor so tiktoken's global registry is not touched.
        # tiktoken_ext ships without a py.typed marker.
        from tiktoken_ext.openai_public import o200k_base  # type: ignore[import-untyped]

        enc = tiktoken.Encoding(**o200k_base())
    return enc


def test_bundled_file_matches_the_pinned_hash() -> None:
    raw = gzip.decompress(resource_path(*tokens.TOKENIZER_FILE).read_bytes())
    assert hashlib.sha256(raw).hexdigest() == tokens.EXPECTED_SHA256


def test_get_encoding_via_official_api_is_offline_and_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = gzip.decompress(resource_path(*tokens.TOKENIZER_FILE).read_bytes())
    (tmp_path / hashlib.sha1(O200K_URL.encode()).hexdigest()).write_bytes(raw)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    enc = tiktoken.get_encoding("o200k_base")
    ours = tokens.get_encoding()
    for text in SAMPLES:
        assert ours.encode_ordinary(text) == enc.encode_ordinary(text), text
    assert ours.n_vocab == enc.n_vocab
    assert ours.special_tokens_set == enc.special_tokens_set


@pytest.mark.parametrize("text", SAMPLES)
def test_same_tokens_as_official(official: tiktoken.Encoding, text: str) -> None:
    ours = tokens.get_encoding()
    assert ours.encode_ordinary(text) == official.encode_ordinary(text)
    assert tokens.count_text(text) == len(official.encode_ordinary(text))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_same_tokens_as_official_property(official: tiktoken.Encoding, text: str) -> None:
    assert tokens.get_encoding().encode_ordinary(text) == official.encode_ordinary(text)


def test_known_counts() -> None:
    # Anchors that would catch a wrong vocabulary even if both sides were wrong together.
    enc = tokens.get_encoding()
    assert enc.name == "o200k_base"
    assert enc.n_vocab == 200019
    assert enc.decode(enc.encode_ordinary("Hello world")) == "Hello world"
    assert tokens.count_text("Hello world") == 2
    assert tokens.count_text("") == 0


def test_encoding_is_cached_and_thread_safe() -> None:
    from concurrent.futures import ThreadPoolExecutor

    tokens._encoding = None  # force a fresh load raced by several threads
    with ThreadPoolExecutor(4) as pool:
        encs = list(pool.map(lambda _: tokens.get_encoding(), range(8)))
    assert all(e is encs[0] for e in encs)
    assert tokens.get_encoding() is encs[0]


def test_damaged_file_is_a_user_facing_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "tokenizer"
    bad.mkdir()
    (bad / "o200k_base.tiktoken.gz").write_bytes(gzip.compress(b"aGVsbG8= 0\n"))
    monkeypatch.setattr(tokens, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    monkeypatch.setattr(tokens, "_encoding", None)
    with pytest.raises(UserFacingError, match="damaged"):
        tokens.get_encoding()


def _cookbook(messages: list[dict[str, str]], enc: tiktoken.Encoding) -> int:
    """OpenAI cookbook num_tokens_from_messages for gpt-4o-style models."""
    n = 0
    for m in messages:
        n += 3
        for value in m.values():
            n += len(enc.encode(value))
    return n + 3


def test_example_tokens_follow_the_cookbook(official: tiktoken.Encoding) -> None:
    ex = Example.qa("How old is JIM?", "JIM is 10 years old.")
    expected = _cookbook(
        [
            {"role": "system", "content": "You know our family."},
            {"role": "user", "content": "How old is JIM?"},
            {"role": "assistant", "content": "JIM is 10 years old."},
        ],
        official,
    )
    assert tokens.example_tokens(ex, "You know our family.") == expected
    # without a project prompt the system message is not counted
    assert tokens.example_tokens(ex, "  ") == expected - 3 - len(official.encode("system")) - len(
        official.encode("You know our family.")
    )


def test_own_system_message_replaces_project_prompt(official: tiktoken.Encoding) -> None:
    ex = Example([Message("system", "Own."), Message("user", "Q?"), Message("assistant", "A.")])
    expected = _cookbook(
        [
            {"role": "system", "content": "Own."},
            {"role": "user", "content": "Q?"},
            {"role": "assistant", "content": "A."},
        ],
        official,
    )
    assert tokens.example_tokens(ex, "A much longer project prompt that is not used.") == expected


def test_content_parts_count_their_text() -> None:
    parts = [
        {"type": "text", "text": "What is in "},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
        {"type": "text", "text": "this picture?"},
    ]
    ex = Example([Message("user", parts), Message("assistant", "A white cat.")])
    plain = Example.qa("What is in this picture?", "A white cat.")
    assert tokens.example_tokens(ex, "") == tokens.example_tokens(plain, "")


def test_dataset_tokens_equal_per_example_counts() -> None:
    examples = [
        Example.qa("How old is JIM?", "10."),
        Example(
            [
                Message("system", "Be brief."),
                Message("user", "哥哥几岁？"),
                Message("assistant", "哥哥JIM今年10岁。"),
            ]
        ),
        Example(
            [
                Message("user", "Hi"),
                Message("assistant", "Hello", weight=0),
                Message("user", "Bye 👋"),
                Message("assistant", "Goodbye!"),
            ]
        ),
        Example([Message("bogus", None), Message("user", 42)]),
        Example([]),
    ]
    for prompt in ("", "You answer questions about my family."):
        ds = Dataset(prompt, examples)
        assert tokens.dataset_tokens(ds) == [tokens.example_tokens(e, prompt) for e in examples]
    assert tokens.dataset_tokens(Dataset("x", [])) == []
