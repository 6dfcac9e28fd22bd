"""Hostile input: each case ends in one error at file:line, fast, and
the run goes on to the other files. No kubectl or Node: only YAML and file handling."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from scripts.snippets import check_paths
from scripts.snippets.blocks import MAX_FILE_BYTES, extract_from_text
from scripts.snippets.yamldoc import MAX_DEPTH, parse

# 9 levels of 9 aliases each: 9^9 = 387,420,489 "lol" strings once expanded.
BOMB = 'lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)
# A file that must still be checked after the hostile one: its error proves the run went on.
GOOD_BUT_WRONG = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Shop\n"


def check_with_sentinel(tmp_path: Path, name: str, content: bytes | str) -> tuple[list, float]:
    """Check a hostile file and a sentinel file in one run: (findings as text, seconds)."""
    hostile = tmp_path / name
    if isinstance(content, bytes):
        hostile.write_bytes(content)
    else:
        hostile.write_text(content, encoding="utf-8")
    sentinel = tmp_path / "z-sentinel.yaml"
    sentinel.write_text(GOOD_BUT_WRONG)
    start = time.perf_counter()
    report = check_paths([hostile, sentinel], use_cache=False)
    elapsed = time.perf_counter() - start
    sentinel_errors = [f for f in report.errors if f.path.name == sentinel.name]
    assert sentinel_errors and "metadata.name" in sentinel_errors[0].field, "run did not go on"
    return [
        f"{f.path.name}:{f.line}: {f.message}"
        for f in report.errors
        if f.path == hostile or f.path.name == name
    ], elapsed


def test_alias_bomb_is_stopped_fast(tmp_path: Path) -> None:
    assert len(BOMB.encode()) < 600
    errors, elapsed = check_with_sentinel(tmp_path, "bomb.yaml", BOMB)
    assert elapsed < 1.0
    assert len(errors) == 1 and "alias bomb" in errors[0], errors
    assert errors[0].startswith("bomb.yaml:5:"), errors  # the first alias over the limit


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        "{a: " * 10_000 + "}" * 10_000,
        "- " * 10_000 + "x\n",
        "key:\n" + "[" * 10_000 + "]" * 10_000,
    ],
    ids=["flow-sequence", "flow-mapping", "block-sequence", "after-a-key"],
)
def test_deep_nesting_is_stopped_fast(tmp_path: Path, text: str) -> None:
    errors, elapsed = check_with_sentinel(tmp_path, "deep.yaml", text)
    assert elapsed < 1.0
    expected_line = 2 if text.startswith("key:") else 1
    assert errors == [f"deep.yaml:{expected_line}: YAML nested deeper than {MAX_DEPTH} levels"]


def test_deep_nesting_inside_a_markdown_fence(tmp_path: Path) -> None:
    page = "# Page\n\n```yaml\n# config: test\n" + "[" * 5000 + "]" * 5000 + "\n```\n"
    errors, elapsed = check_with_sentinel(tmp_path, "deep.md", page)
    assert elapsed < 1.0 and errors == [f"deep.md:5: YAML nested deeper than {MAX_DEPTH} levels"]


def test_nesting_and_aliases_within_the_limits_are_fine() -> None:
    inner = MAX_DEPTH - 1  # the top-level mapping is the first level
    docs, error = parse("a: " + "[" * inner + "]" * inner + "\nb: &x {p: 1}\nc: *x\n")
    assert error is None and docs[0].data["c"] == {"p": 1}


def test_brackets_in_strings_and_comments_do_not_count() -> None:
    text = 'a: "' + "[" * 500 + '"\nb: 1  # ' + "{" * 500 + "\nc: '" + "[" * 500 + "'\n"
    _, error = parse(text)
    assert error is None, error


def test_binary_yaml_file(tmp_path: Path) -> None:
    errors, _ = check_with_sentinel(tmp_path, "image.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert errors == ["image.yaml:3: binary file (NUL byte): not a text file"]


def test_binary_markdown_file(tmp_path: Path) -> None:
    errors, _ = check_with_sentinel(tmp_path, "page.md", b"# Title\n\nok\n\x00\x01\x02")
    assert errors == ["page.md:4: binary file (NUL byte): not a text file"]


def test_non_utf8_markdown_file(tmp_path: Path) -> None:
    content = "# Caf\u00e9\n\nline two\n".encode() + "r\u00e9sum\u00e9 in Latin-1\n".encode(
        "latin-1"
    )
    errors, _ = check_with_sentinel(tmp_path, "latin1.md", content)
    assert errors == ["latin1.md:4: not UTF-8: byte 0xe9 at offset 19"]


def test_non_utf8_yaml_file(tmp_path: Path) -> None:
    errors, _ = check_with_sentinel(tmp_path, "latin1.yaml", b"a: caf\xe9\n")
    assert errors == ["latin1.yaml:1: not UTF-8: byte 0xe9 at offset 6"]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Running as root, chmod 000 does not stop a read: make the read fail instead.
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "secret.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    errors, _ = check_with_sentinel(tmp_path, "secret.md", "# Page\n")
    assert errors == ["secret.md:1: cannot read the file: Permission denied"]


def test_file_too_large(tmp_path: Path) -> None:
    errors, elapsed = check_with_sentinel(tmp_path, "huge.md", "a\n" * (MAX_FILE_BYTES // 2 + 1))
    assert elapsed < 1.0 and len(errors) == 1 and "file too large" in errors[0]


def test_control_character_in_yaml(tmp_path: Path) -> None:
    errors, _ = check_with_sentinel(tmp_path, "bell.yaml", "# config: x\na: 1\nb: \x07\n")
    assert len(errors) == 1 and errors[0].startswith("bell.yaml:3: YAML syntax error"), errors


@pytest.mark.parametrize("lang", ["yaml", "bash", "mermaid", "text"])
def test_unclosed_fence_is_an_error_at_the_fence(tmp_path: Path, lang: str) -> None:
    page = f"# Page\n\nIntro.\n\n```{lang}\nkubectl get pods\n\n## Next section\n\nProse.\n"
    errors, _ = check_with_sentinel(tmp_path, "open.md", page)
    assert len(errors) == 1 and errors[0].startswith("open.md:5: unclosed ``` fence"), errors


def test_unclosed_fence_after_good_blocks(tmp_path: Path) -> None:
    page = "# Page\n\n```yaml\n# config: x\na: 1\n```\n\n~~~~bash\nkubectl get pods\n"
    errors, _ = check_with_sentinel(tmp_path, "open.md", page)
    assert len(errors) == 1 and errors[0].startswith("open.md:8: unclosed ~~~~ fence"), errors


def test_unclosed_fence_marks_the_block() -> None:
    (block,) = extract_from_text(Path("x.md"), "```bash\nkubectl get pods\n")
    assert block.text == "kubectl get pods\n" and block.problem.startswith("unclosed")


def test_kubectl_single_quote_escape_is_valid_yaml() -> None:
    """go-yaml (kubectl) accepts \\' inside a double-quoted string; YAML 1.2 parsers do not."""
    docs, error = parse('# config: x\nmessage: "it\\\'s fine"\n')
    assert error is None and docs[0].data["message"] == "it's fine"


def test_unknown_escape_is_still_an_error() -> None:
    _, error = parse('message: "a \\q b"\n')
    assert error is not None and "escape" in error.message


def test_a_crashing_checker_fails_its_block_not_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scripts.snippets import manifests

    real = manifests.check

    def check(block, *args):
        if "boom" in block.text:
            raise RuntimeError("planted bug")
        return real(block, *args)

    monkeypatch.setattr(manifests, "check", check)
    errors, _ = check_with_sentinel(tmp_path, "boom.yaml", "# config: boom\na: 1\n")
    assert errors == [
        "boom.yaml:1: the yaml checker failed on this block: RuntimeError: planted bug"
    ]
