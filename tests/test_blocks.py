"""The shared fenced-block extractor: languages, attributes, indentation and, above all,
line numbers (every checker's file:line depends on them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.snippets.blocks import Block, extract_blocks, extract_from_text, parse_info

PAGE = """# Title

Intro with inline ```` ```yaml ```` text that is not a fence.

```yaml title="deployment.yaml"
apiVersion: apps/v1
kind: Deployment
```

!!! warning "Careful"
    Indented inside an admonition:

    ``` { .bash .copy }
    kubectl get pods
      --watch
    ```

???+ question "How does it work?"
    === "Tab one"

        ~~~~mermaid
        flowchart LR
          A --> B
        ~~~~

````markdown
```yaml
inner: not a block of its own
```
````

```
plain
```
"""


@pytest.fixture
def blocks() -> list[Block]:
    return extract_from_text(Path("page.md"), PAGE)


def test_languages_in_order(blocks: list[Block]) -> None:
    assert [b.lang for b in blocks] == ["yaml", "bash", "mermaid", "markdown", ""]


def test_first_content_line_numbers(blocks: list[Block]) -> None:
    lines = PAGE.splitlines()
    for block in blocks:
        first = block.text.splitlines()[0]
        assert lines[block.line - 1].strip() == first.strip()
    assert [b.line for b in blocks] == [6, 14, 22, 27, 33]


def test_indentation_is_stripped_but_relative_indent_kept(blocks: list[Block]) -> None:
    assert blocks[1].text == "kubectl get pods\n  --watch\n"
    assert blocks[2].text == "flowchart LR\n  A --> B\n"


def test_attributes(blocks: list[Block]) -> None:
    assert blocks[0].attrs == {"title": "deployment.yaml"}
    assert blocks[1].attrs == {"copy": ""}


def test_nested_fence_stays_inside_the_outer_block(blocks: list[Block]) -> None:
    assert blocks[3].text == "```yaml\ninner: not a block of its own\n```\n"


def test_file_line_maps_offsets(blocks: list[Block]) -> None:
    assert blocks[1].file_line(1) == 15
    assert blocks[1].file_line(99) == 15  # clamped into the block


@pytest.mark.parametrize(
    ("info", "lang", "attrs"),
    [
        ("yaml", "yaml", {}),
        ('yaml title="a b" linenums="1"', "yaml", {"title": "a b", "linenums": "1"}),
        ("{ .yaml }", "yaml", {}),
        ('{.console .copy title="x"}', "console", {"copy": "", "title": "x"}),
        ("YAML", "yaml", {}),
        ("", "", {}),
    ],
)
def test_parse_info(info: str, lang: str, attrs: dict[str, str]) -> None:
    assert parse_info(info) == (lang, attrs)


def test_unclosed_fence_runs_to_the_end() -> None:
    blocks = extract_from_text(Path("x.md"), "```bash\nkubectl get pods\n")
    assert blocks[0].text == "kubectl get pods\n"
    assert blocks[0].problem.startswith("unclosed ``` fence")  # reported, never checked


def test_tab_in_column_zero_fence_is_kept() -> None:
    blocks = extract_from_text(Path("x.md"), "```yaml\na:\n\tb: 1\n```\n")
    assert blocks[0].text == "a:\n\tb: 1\n"


def test_plain_yaml_file_is_one_block(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\n")
    (block,) = extract_blocks(path)
    assert (block.lang, block.line, block.text) == ("yaml", 1, "apiVersion: v1\nkind: Pod\n")


def test_markdown_file(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(PAGE)
    assert [b.line for b in extract_blocks(path)] == [6, 14, 22, 27, 33]
