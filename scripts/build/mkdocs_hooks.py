"""MkDocs hooks: the only glue between the build and the project's checks and generators.

Why a hook and not a plugin: these steps belong to this site only. Each step lives in its own
module (usable from the command line too); this file just calls them at the right moment:
checks and diagram rendering before anything is written (so a failed build leaves `site/`
untouched), vendor files
and generated downloads as build files, generated tables into their pages.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

# MkDocs loads this file by path, not as part of the package: put the repository on sys.path
# before importing the project's modules.
_REPO = str(Path(__file__).resolve().parents[2])
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

from scripts import project  # noqa: E402
from scripts.build import (  # noqa: E402
    build_info,
    diagrams,
    font_subset,
    incremental,
    page_facts,
    page_vars,
    print_site_ids,
    search_index,
    snippet_versions,
    stable_layout,
    stylesheets,
)
from scripts.build.vendor import MissingVendorFile, inline_fonts, vendor_sources  # noqa: E402
from scripts.common import atomic  # noqa: E402
from scripts.common.datafile import DataError  # noqa: E402
from scripts.common.gitinfo import git_revision  # noqa: E402
from scripts.content import (  # noqa: E402
    exam_guide,
    feature_gates,
    glossary,
    ports,
    questions,
    site_nav,
    version_facts,
    version_prose,
)
from scripts.snippets import check_paths  # noqa: E402

ROOT = project.ROOT

log = logging.getLogger("mkdocs.hooks.field_notes")

PORTS_FILE = ROOT / "data" / "ports.yaml"
GLOSSARY_DIR = ROOT / "data" / "glossary"
PORTS_MARKER = "<!-- ports-table -->"
GLOSSARY_MARKER = "<!-- glossary -->"
DIAGRAM_FONTS_CSS = "assets/stylesheets/diagram-fonts.css"
PRINT_CSS = "assets/stylesheets/print.css"

_state: dict[str, object] = {}
_QUESTIONS = questions.QuestionsExtension()
# `mkdocs serve --dirty` (make serve): render again only the pages whose inputs changed.
_INCREMENTAL = incremental.STATE


def on_startup(command: str, dirty: bool) -> None:
    """`make serve` runs `mkdocs serve --dirty`: incremental rebuilds (build/incremental.py)."""
    _INCREMENTAL.enabled = command == "serve" and dirty
    if _INCREMENTAL.enabled:
        logging.getLogger("mkdocs.commands.build").addFilter(incremental.DirtyWarningFilter())


def on_serve(server, config: MkDocsConfig, builder):
    """Rebuild on data and template edits too (MkDocs watches docs/ and mkdocs.yml only)."""
    for path in (ROOT / "data", ROOT / "overrides"):
        server.watch(str(path))
    return server


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Versions from data/versions.yaml (the one source), build date and revision."""
    versions = project.versions()
    config.extra["k8s_version"] = versions.latest
    config.extra["k8s_exam_version"] = versions.exam
    config.extra["k8s_supported"] = list(versions.supported)
    config.site_description = (
        f"Verified Kubernetes v{versions.latest} study notes, from Pods to HA control planes."
    )
    config.copyright = (
        f"Study notes verified against Kubernetes v{versions.latest}. Text CC BY 4.0."
    )
    config.extra["build_date"] = _dt.date.today().isoformat()
    config.extra["git_revision"] = git_revision()
    config.markdown_extensions.append(_QUESTIONS)  # anchors and self-test controls
    fences = config.mdx_configs.get("pymdownx.superfences", {}).get("custom_fences", [])
    mermaid = [f for f in fences if f.get("name") == "mermaid"]
    if not mermaid:
        raise Abort("mkdocs.yml: pymdownx.superfences has no custom fence named mermaid")
    for fence in mermaid:  # build-time SVG instead of Material's in-browser mermaid
        fence["format"] = diagrams.fence
    _state["updated"] = page_facts.last_updated()  # one git log for every page
    try:  # the screen stylesheets as one file (scripts/build/stylesheets.py)
        _state["joined_css"] = stylesheets.joined_sources(config.extra_css, {PRINT_CSS})
    except stylesheets.StylesheetError as exc:
        raise Abort(str(exc)) from exc
    config.extra_css = stylesheets.link_joined(config.extra_css, _state["joined_css"])
    print_site_ids.install()  # print-site's id rewrite, same output, 0.95 s -> 0.12 s a build
    if _INCREMENTAL.enabled:  # no print page under serve: the PDF is made by `make pdf`
        print_site = config.plugins.get("print-site")
        if print_site is not None:
            print_site.config["enabled"] = False
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    """Run every snippet check and load the data files before anything is written."""
    report = check_paths([Path(config.docs_dir)])
    for finding in report.warnings:
        log.info("check warning: %s", finding)
    for finding in report.errors:
        log.error("%s", finding)
    log.info(report.summary())
    if report.errors:
        raise Abort(f"snippet checks failed: {len(report.errors)} error(s)")
    try:
        count, rendered = diagrams.prepare(Path(config.docs_dir))
    except diagrams.DiagramError as exc:
        for line in str(exc).splitlines():
            log.error("%s", line)
        raise Abort("diagrams could not be rendered") from exc
    log.info(
        "diagrams: %d, rendered now: %d (others from %s)",
        count,
        rendered,
        diagrams.CACHE_DIR.relative_to(ROOT),
    )
    docs = Path(config.docs_dir)
    # Under `make serve`, what only data files (and the set of pages) feed is read once and
    # kept until one of them changes (incremental.cached; a plain build reads it all).
    data = incremental.tree_stamp(ROOT / "data") if _INCREMENTAL.enabled else None
    pages = sorted(docs.rglob("*.md")) if _INCREMENTAL.enabled else None
    keep = _INCREMENTAL.cached
    try:
        _state["ports"] = keep("ports", data, lambda: ports.load_ports(PORTS_FILE))
        _state["glossary"] = keep(
            "glossary", (data, pages), lambda: glossary.load_glossary(GLOSSARY_DIR, docs)
        )
        _state["exam_guide"] = curricula, site, _ = exam_guide.build(docs)
        _state["questions"] = questions.build(docs, config.nav, curricula, site)
        _state["gates"] = keep("gates", data, feature_gates.load)
        _state["search_aliases"] = keep("aliases", data, search_index.load_aliases)
        _state["gates_pending"] = keep("pending", data, feature_gates.load_pending)
        _state["prose_pending"] = keep("prose-pending", data, version_prose.load_pending)
        _state["deprecations"] = keep("deprecations", data, snippet_versions.load_deprecations)
        _state["facts"] = keep("facts", data, version_facts.load)
        _state["snippets"] = snippet_versions.results_by_page(report.placed, Path(config.docs_dir))
        _state["exam_to_latest"] = snippet_versions.render_exam_page(
            _state["gates"],
            Path(config.docs_dir),
            _state["snippets"],
            curricula.exams,
            facts=_state["facts"],
        )
    except (
        DataError,
        ports.PortsError,
        exam_guide.ExamGuideError,
        questions.QuestionsError,
    ) as exc:
        raise Abort(str(exc)) from exc
    _begin_incremental(config)


def _begin_incremental(config: MkDocsConfig) -> None:
    """Everything every page depends on; if any of it changed, render every page."""
    if not _INCREMENTAL.enabled:
        return  # a plain build renders every page
    docs = Path(config.docs_dir)
    shared = [
        incremental.tree_stamp(
            ROOT / "data", ROOT / "overrides", Path(config.config_file_path).resolve()
        ),
        sorted(str(p.relative_to(docs)) for p in docs.rglob("*.md")),
        sorted(_state["updated"].items()),
        config.extra["build_date"],
    ]
    if _INCREMENTAL.begin(shared):
        clean_directory(config.site_dir)  # a dirty build does not; a full one must


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add npm front-end files, the joined screen stylesheet and the generated pages and
    downloads to the build."""
    try:
        sources = vendor_sources()
    except MissingVendorFile as exc:
        raise Abort(str(exc)) from exc
    for dest, src in sources.items():
        files.append(File.generated(config, dest, abs_src_path=str(src)))
    fonts_css = files.get_file_from_path(DIAGRAM_FONTS_CSS)
    if fonts_css is not None:  # written by on_post_build, its faces cut to the labels' text
        files.remove(fonts_css)
    docs = Path(config.docs_dir)
    texts = [(name, (docs / name).read_text(encoding="utf-8")) for name in _state["joined_css"]]
    try:
        joined = stylesheets.join(texts)
    except stylesheets.StylesheetError as exc:
        raise Abort(str(exc)) from exc
    files.append(File.generated(config, stylesheets.SITE_CSS, content=joined))
    rows = _state["ports"]
    for key, render in (("ports-csv", ports.to_csv), ("ports-json", ports.to_json)):
        name = f"downloads/{project.download_name(key)}"
        files.append(File.generated(config, name, content=render(rows)))
    for path, text in _state["exam_guide"][2].items():  # exam-guide/*.md
        files.append(File.generated(config, path, content=text))
    files.append(File.generated(config, questions.INDEX_PAGE, content=_state["questions"][1]))
    files.append(
        File.generated(config, snippet_versions.EXAM_PAGE, content=_state["exam_to_latest"])
    )
    if _INCREMENTAL.enabled:
        _state["files"] = files
        curricula, site, _ = _state["exam_guide"]
        _INCREMENTAL.plan(
            files,
            {
                f.src_uri: incremental.page_inputs(
                    f,
                    (
                        questions.plan_for(_state["questions"][0], f.src_uri),
                        exam_guide.page_exams(curricula, site, f.src_uri),
                    ),
                )
                for f in files.documentation_pages()
            },
        )
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Insert generated tables and feature-gate states ([[gate:Name]]), check stated gate
    states against data/feature-gates.yaml and typed versions (scripts.content.version_prose),
    and append the glossary's abbreviations."""
    diagrams.begin_page(page.file.src_uri)  # diagram ids are numbered per page
    terms = _state["glossary"]
    # The page footer's facts (overrides/main.html): no date without full history, and no
    # edit link for a page the build generates (it has no file to edit).
    page.meta["last_updated"] = _state["updated"].get(page.file.src_uri)
    src = f"docs/{page.file.src_uri}"
    written = Path(config.docs_dir) / page.file.src_uri
    if not written.is_file():
        page.edit_url = None
    else:  # a written page: no version typed as prose (the file, for its line numbers)
        text = written.read_text(encoding="utf-8")
        findings = version_prose.check(text, src, _state["prose_pending"])
        for finding in findings:
            (log.info if finding.pending else log.error)("%s", finding)
        if any(not f.pending for f in findings):
            raise Abort(f"version-prose check failed in {src}")
    # First, while the Markdown still has the file's blocks as written: each checked block's
    # versions line and deprecation notes (scripts/build/snippet_versions.py).
    annotated = snippet_versions.annotate(
        markdown,
        page.file.src_uri,
        _state["snippets"].get(page.file.src_uri, []),
        _state["deprecations"],
    )
    markdown = annotated.markdown
    for line, note in annotated.deprecations:  # logged, never failing the build
        log.info(
            "deprecation warning: docs/%s: block at line %d (after front matter): %s",
            page.file.src_uri,
            line,
            note,
        )
    try:
        markdown = page_vars.expand(
            markdown, f"docs/{page.file.src_uri}", page.file.src_uri, _state["facts"]
        )
    except page_vars.PageVarError as exc:
        raise Abort(str(exc)) from exc
    curricula, site, _ = _state["exam_guide"]
    _QUESTIONS.plan = questions.plan_for(_state["questions"][0], page.file.src_uri)
    markdown = exam_guide.add_tag_row(curricula, site, page.file.src_uri, markdown)
    problems = feature_gates.check(markdown, src, _state["gates"], _state["gates_pending"])
    for problem in problems:
        (log.info if problem.pending else log.error)("%s", problem)
    if any(not p.pending for p in problems):
        raise Abort(f"feature-gate check failed in {src}")
    markdown = feature_gates.expand(markdown, src, _state["gates"])[0]
    if PORTS_MARKER in markdown:
        markdown = markdown.replace(PORTS_MARKER, ports.render_markdown(_state["ports"]))
    if GLOSSARY_MARKER in markdown:
        page_dir = str(Path(page.file.src_uri).parent).replace(".", "")
        markdown = markdown.replace(
            GLOSSARY_MARKER, glossary.render_glossary(terms, page_dir, _nav_titles(config.nav))
        )
    return markdown + "\n\n" + glossary.render_abbreviations(terms) + "\n"


def _nav_titles(nav: list | None) -> dict[str, str]:
    """docs path -> its title in mkdocs.yml's nav."""
    return {p.src: p.title for s in site_nav.sections(nav) for p in s.pages if p.title}


# Abbreviations (the glossary's `abbr: true` terms) show their definition in a tooltip
# (Material's content.tooltips) on hover and on focus; tabindex makes the first one of each
# term on a page reachable by keyboard (and a tap focuses it). Every one would add dozens of
# tab stops to a page.
ABBR = re.compile(r'<abbr title="([^"]*)">')


def _focusable_abbreviations(html: str) -> str:
    seen: set[str] = set()

    def first(match: re.Match[str]) -> str:
        if match[1] in seen:
            return match[0]
        seen.add(match[1])
        return f'<abbr tabindex="0" title="{match[1]}">'

    return ABBR.sub(first, html)


# Links that leave the site, marked at build time for print.css (which prints their address
# after them): in the browser, Material (instant navigation) rewrites every link of the page
# to an absolute http URL (measured), so `a[href^="http"]` alone would print the address of
# every cross-reference in the PDF.
EXTERNAL_LINK = re.compile(r'<a href="(https?://)')


def _mark_external_links(html: str) -> str:
    return EXTERNAL_LINK.sub(r'<a data-external href="\1', html)


# print-site adds its CSS and JS to every page, but only its print page (the PDF source) uses
# them: on normal pages they are three extra requests, two of them render-blocking. The tags
# are found by their literal start and the white space before each is cut with rstrip: a
# pattern starting with `\s*` was tried at every blank of every page (0.29 s a build; 0.02).
PRINT_SITE_ASSETS = re.compile(
    r'<link rel="stylesheet" href="[^"]*css/print-site(?:-material)?\.css">'
    r'|<script (?:defer )?src="[^"]*js/print-site\.js"></script>'
)


def _drop_print_site_assets(html: str) -> str:
    parts, pos = [], 0
    for match in PRINT_SITE_ASSETS.finditer(html):
        parts.append(html[pos : match.start()].rstrip())
        pos = match.end()
    return "".join([*parts, html[pos:]]) if parts else html


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """One <figure> per diagram with its caption inside (diagrams.merge_captions); tables in
    the wrapper Material's bundle would add after the first paint (stable_layout); external
    links marked for print; the first abbreviation of each term reachable by keyboard."""
    html = stable_layout.wrap_tables(diagrams.merge_captions(html))
    html = _focusable_abbreviations(_mark_external_links(html))
    if _INCREMENTAL.enabled:
        _INCREMENTAL.snapshot(page, html)
    return html


def on_env(env, config: MkDocsConfig, files: Files):
    """Incremental serve: skipped pages get their last rendering back before pages are written
    and links checked; Material's kept search index forgets the pages written again."""
    if _INCREMENTAL.enabled:
        env.bytecode_cache = _INCREMENTAL.templates
        _INCREMENTAL.restore(files)
        log.info(
            "incremental: %d of %d pages rendered%s",
            len(_INCREMENTAL.rebuilt),
            len(files.documentation_pages()),
            " (full build)" if _INCREMENTAL.full else "",
        )
        pages = [f.page for f in files.documentation_pages() if f.page is not None]
        _INCREMENTAL.prune_search_index(config.plugins.get("material/search"), pages)
    return env


# print.css is all `@media print`, yet as an `extra_css` link it blocked every page's first
# paint. A link with `media="print"` is fetched without blocking the screen; it stays where
# `extra_css` put it, so the cascade order (after extra.css, before print-site's CSS) and the
# PDF are unchanged (print-site's page, the PDF source, keeps the plain link: not passed here).
PRINT_CSS_LINK = f'{PRINT_CSS}">'


def _print_css_for_paper(html: str, page: Page) -> str:
    if html.count(PRINT_CSS_LINK) != 1:
        raise Abort(f"{page.file.src_uri}: no single <link> to {PRINT_CSS} (mkdocs.yml extra_css)")
    return html.replace(PRINT_CSS_LINK, f'{PRINT_CSS}" media="print">')


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Drop print-site's CSS and JS from normal pages (its print page is written later);
    print.css for paper only."""
    return _print_css_for_paper(_drop_print_site_assets(output), page)


def _subset_fonts(config: MkDocsConfig) -> None:
    """diagram-fonts.css, written once the pages exist: its inlined faces cut to the characters
    the written diagrams use (font_subset; on_files took the source out of the copy list)."""
    site = Path(config.site_dir)
    source = Path(config.docs_dir) / DIAGRAM_FONTS_CSS
    if not source.is_file():
        return
    chars = font_subset.diagram_characters(site)
    try:
        css = inline_fonts(
            source.read_text(encoding="utf-8"),
            shape=lambda font: font_subset.subset_woff2(font, chars),
        )
    except MissingVendorFile as exc:
        raise Abort(f"docs/{DIAGRAM_FONTS_CSS}: {exc}") from exc
    atomic.write_text(site / DIAGRAM_FONTS_CSS, css)
    log.info("diagram-fonts.css: label faces subset to %d characters", len(chars))


# After Material's search plugin wrote search/search_index.json (priority 0) and before the
# offline plugin inlines it into search/search_index.js (priority -100).
@event_priority(-50)
def on_post_build(config: MkDocsConfig) -> None:
    """Prose-only search previews and aliases in the index; mark the external links of
    print-site's page too (it took the pages' HTML before this hook's on_page_content: hooks
    run after every plugin); record what this build is, for the offline zip and the PDF cover."""
    figures = search_index.rewrite(Path(config.site_dir), _state["search_aliases"])
    if figures:
        log.info(
            "search index: %(docs_before)d -> %(docs_after)d entries, "
            "%(bytes_before)d -> %(bytes_after)d bytes",
            figures,
        )
    print_page = Path(config.site_dir) / "print_page.html"
    if print_page.is_file():
        print_page.write_text(
            _mark_external_links(print_page.read_text(encoding="utf-8")), encoding="utf-8"
        )
    _subset_fonts(config)
    info = {
        "site_name": config.site_name,
        "k8s_version": config.extra["k8s_version"],
        "build_date": config.extra["build_date"],
        "git_revision": config.extra["git_revision"],
    }
    build_info.write(config.site_dir, info)
    if _INCREMENTAL.enabled:
        _INCREMENTAL.commit(_state["files"])
