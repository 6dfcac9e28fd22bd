"""Verified snippets: every YAML manifest, kubectl/etcdctl command and mermaid diagram
in the docs is checked with the real schemas and tools.

Entry points: ``check_paths([...]) -> Report`` (used by the MkDocs hook) and
``python -m scripts.snippets [FILE_OR_DIR ...]``.
"""

from .report import Finding, Report
from .runner import check_paths

__all__ = ["Finding", "Report", "check_paths"]
