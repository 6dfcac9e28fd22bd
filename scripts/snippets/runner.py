"""Run every checker over files or directories: ``check_paths([...]) -> Report``.

The runner owns dispatch (fence language -> checker), the cache, and turning block-relative
issues into file:line findings. Checkers are imported lazily: a warm build served from
the cache never pays for jsonschema, the schemas, kubectl or Node.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from .blocks import YAML_SUFFIXES, Block, FileProblem, extract_blocks
from .cache import CACHE_FILE, ResultCache
from .report import BlockResult, Finding, PlacedBlock, Report

YAML_LANGS = frozenset({"yaml", "yml"})
SHELL_LANGS = frozenset({"bash", "sh", "shell", "console", "zsh", "shell-session"})
MERMAID_LANGS = frozenset({"mermaid"})
CHECKED_SUFFIXES = (".md", *YAML_SUFFIXES)


def _class_of(block: Block) -> str | None:
    if block.lang in YAML_LANGS:
        return "yaml"
    if block.lang in SHELL_LANGS:
        return "shell"
    if block.lang in MERMAID_LANGS:
        return "mermaid"
    return None


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Markdown and YAML files under ``paths`` (hidden files and folders skipped)."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                rel = found.relative_to(path).parts
                if (
                    found.is_file()
                    and found.suffix.lower() in CHECKED_SUFFIXES
                    and not any(p.startswith(".") for p in rel)
                ):
                    files.append(found)
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or directory")
    return files


CRD = re.compile(r"^kind:\s*['\"]?CustomResourceDefinition['\"]?\s*$", re.M)


def page_crds(blocks: Iterable[Block]) -> dict[Path, tuple[str, ...]]:
    """{file: the YAML blocks on it that define a CustomResourceDefinition}."""
    found: dict[Path, list[str]] = {}
    for block in blocks:
        if block.lang in YAML_LANGS and CRD.search(block.text):
            found.setdefault(block.path, []).append(block.text)
    return {path: tuple(texts) for path, texts in found.items()}


_PAGE_CRDS: dict[Path, tuple[str, ...]] = {}


def _yaml_checker(blocks: list[Block]) -> dict[Block, BlockResult]:
    from . import manifests

    results: dict[Block, BlockResult] = {}
    for block in blocks:  # one block's crash must not cost the others their results
        try:
            results[block] = manifests.check(block, _PAGE_CRDS.get(block.path, ()))
        except Exception as exc:
            results[block] = crashed("yaml", exc)
    return results


def _shell_checker(blocks: list[Block]) -> dict[Block, BlockResult]:
    from . import commands

    return commands.check_blocks(blocks, _PAGE_CRDS)


def _mermaid_checker(blocks: list[Block]) -> dict[Block, BlockResult]:
    from . import diagrams

    return diagrams.check_blocks(blocks)


CHECKERS: dict[str, Callable[[list[Block]], dict[Block, BlockResult]]] = {
    "yaml": _yaml_checker,
    "shell": _shell_checker,
    "mermaid": _mermaid_checker,
}


def _display(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def crashed(kind: str, exc: BaseException) -> BlockResult:
    """The result of a checker that raised (a bug, or input nobody foresaw): an error on
    the block instead of a traceback that aborts every other file; never cached."""
    result = BlockResult(transient=True)
    message = f"the {kind} checker failed on this block: {type(exc).__name__}: {exc}"
    result.add(0, kind, "", message[:500])
    return result


def _run_checker(kind: str, blocks: list[Block]) -> dict[Block, BlockResult]:
    try:
        return CHECKERS[kind](blocks)
    except Exception as exc:  # reported on each block, never swallowed
        return dict.fromkeys(blocks, crashed(kind, exc))


def _place(report: Report, block: Block, result: BlockResult, shown: Path) -> None:
    report.blocks += 1
    report.placed.append(PlacedBlock(block.path, block.line, block.lang, block.text, result))
    if result.versions:
        report.versioned.append((shown, block.line, result.versions))
    for name, n in result.counts.items():
        report.counts[name] = report.counts.get(name, 0) + n
    for issue in result.issues:
        report.add(
            Finding(
                shown,
                block.file_line(issue.offset),
                issue.obj,
                issue.field,
                issue.message,
                issue.severity,
            )
        )


def _read_blocks(files: list[Path], report: Report) -> list[Block]:
    """Every block of every readable file; unreadable files and unclosed fences are
    reported here, and the run goes on."""
    blocks: list[Block] = []
    for file in files:
        try:
            found = extract_blocks(file)
        except FileProblem as exc:
            report.add(Finding(_display(file), exc.line, "file", "", exc.message))
            continue
        for block in found:
            if block.problem:
                fence_line = block.line - 1
                report.add(Finding(_display(file), fence_line, "fence", "", block.problem))
            elif _class_of(block) is not None:
                blocks.append(block)
    return blocks


def check_paths(
    paths: list[Path], use_cache: bool = True, cache_file: Path | None = None
) -> Report:
    """Check every snippet in ``paths``. Writes nothing outside .cache/ (or ``cache_file``)."""
    cache = ResultCache(enabled=use_cache, path=cache_file or CACHE_FILE)
    report = Report()
    results: dict[Block, BlockResult] = {}
    pending: dict[str, list[Block]] = {}
    keys: dict[Block, str] = {}
    ordered = _read_blocks(collect_files(paths), report)
    _PAGE_CRDS.clear()
    _PAGE_CRDS.update(page_crds(ordered))
    for block in ordered:
        kind = _class_of(block)
        assert kind is not None
        # A YAML block's result depends on the CRDs shown on its page too, and so does a
        # shell block's heredoc manifest.
        reads_crds = kind == "yaml" or (kind == "shell" and "<<" in block.text)
        crds = "\0".join(_PAGE_CRDS.get(block.path, ())) if reads_crds else ""
        keys[block] = key = cache.key(kind, block.text + (f"\0crds\0{crds}" if crds else ""))
        cached = cache.get(key)
        if cached is not None:
            results[block] = cached
        else:
            pending.setdefault(kind, []).append(block)
    for kind, blocks in pending.items():
        for block, result in _run_checker(kind, blocks).items():
            results[block] = result
            if not result.transient:
                cache.put(keys[block], result)
    cache.save()
    shown_paths: dict[Path, Path] = {}
    for block in ordered:
        if block.path not in shown_paths:
            shown_paths[block.path] = _display(block.path)
        _place(report, block, results[block], shown_paths[block.path])
    report.errors.sort(key=lambda f: (str(f.path), f.line))
    report.warnings.sort(key=lambda f: (str(f.path), f.line))
    return report
