"""Run Lighthouse (npm, pinned in package.json) on one URL and keep what `make bench` reports.

Why Lighthouse 12.2.3 through its CLI: it is the tool the targets are stated in (text pages
100/100/100/100, diagram pages performance >= 90), its default mobile preset is what the
targets mean, and 12.2.x is the last line that runs on this machine's Node 20. It drives
Debian's Chromium through CHROME_PATH with its own throwaway profile. A score alone does not
say what to fix, so the failing audits that cost the most (weight times lost score) are kept
with it, from the same JSON report.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from scripts import project
from scripts.browser.locate import chromium_path

ROOT = project.ROOT
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
METRICS = (
    "cumulative-layout-shift",
    "total-blocking-time",
    "first-contentful-paint",
    "largest-contentful-paint",
    "speed-index",
)


@dataclass(frozen=True)
class FailingAudit:
    """An audit that lost points: its id, title, score (0-1) and what Lighthouse measured."""

    category: str
    id: str
    title: str
    score: float
    weight: float
    display: str

    def __str__(self) -> str:
        shown = f" ({self.display})" if self.display else ""
        return f"{self.category}: {self.id} score {self.score:.2f}{shown}: {self.title}"


@dataclass
class LighthouseResult:
    """Category scores (0-100, None when Lighthouse could not score one) and why points went."""

    url: str
    scores: dict[str, int | None] = field(default_factory=dict)
    failing: list[FailingAudit] = field(default_factory=list)
    error: str = ""
    # Lighthouse's own CPU benchmark of the machine during the run: a low figure (a busy
    # machine) explains a low performance score better than any audit does.
    benchmark_index: float | None = None
    # The measured figures behind the score (METRICS: CLS unitless, times in ms).
    metrics: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "url": self.url,
            "scores": self.scores,
            "error": self.error,
            "benchmark_index": self.benchmark_index,
            "metrics": self.metrics,
            "failing": [vars(a) for a in self.failing],
        }


def failing_audits(report: dict, limit: int = 8) -> list[FailingAudit]:
    """Scored audits below 1, costliest first (category weight x points lost)."""
    audits = report.get("audits", {})
    found: list[FailingAudit] = []
    for name in CATEGORIES:
        for ref in report.get("categories", {}).get(name, {}).get("auditRefs", []):
            audit = audits.get(ref["id"], {})
            score = audit.get("score")
            if (
                score is None
                or score >= 1
                or audit.get("scoreDisplayMode") in ("informative", "notApplicable", "manual")
            ):
                continue
            found.append(
                FailingAudit(
                    name,
                    ref["id"],
                    audit.get("title", ""),
                    float(score),
                    float(ref.get("weight", 0)),
                    str(audit.get("displayValue", "")),
                )
            )
    found.sort(key=lambda a: (-(a.weight or 0.01) * (1 - a.score), a.category, a.id))
    return found[:limit]


def parse(url: str, report: dict) -> LighthouseResult:
    result = LighthouseResult(url)
    for name in CATEGORIES:
        score = report.get("categories", {}).get(name, {}).get("score")
        result.scores[name] = None if score is None else round(score * 100)
    result.failing = failing_audits(report)
    result.benchmark_index = report.get("environment", {}).get("benchmarkIndex")
    for name in METRICS:
        value = report.get("audits", {}).get(name, {}).get("numericValue")
        if value is not None:
            result.metrics[name] = float(value)
    runtime = report.get("runtimeError") or {}
    result.error = str(runtime.get("message", ""))
    return result


def run(url: str, timeout: float = 240) -> LighthouseResult:
    """Audit `url` with the default mobile preset; never raises for a bad run, reports it."""
    if not LIGHTHOUSE.exists():
        return LighthouseResult(url, error=f"{LIGHTHOUSE} missing: run `npm ci`")
    env = {**os.environ, "CHROME_PATH": chromium_path()}
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        # The full-page screenshot is scored nowhere and costs seconds on this machine.
        cmd = [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            f"--chrome-flags={CHROME_FLAGS}",
            "--disable-full-page-screenshot",
        ]
        try:
            proc = subprocess.run(
                cmd, env=env, cwd=tmp, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            return LighthouseResult(url, error=f"lighthouse timed out after {timeout:.0f} s")
        if not out.is_file():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return LighthouseResult(url, error=f"exit {proc.returncode}: " + " | ".join(tail))
        return parse(url, json.loads(out.read_text()))
