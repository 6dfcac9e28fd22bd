"""storage.k8s.io/v1 rules: StorageClass enums (pkg/apis/storage/validation)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .common import Context, Path_, Violation, check_enum, rule


@rule("io.k8s.api.storage.v1.StorageClass")
def storage_class(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    yield from check_enum(node, "reclaimPolicy", ("Delete", "Retain"), path)
    yield from check_enum(node, "volumeBindingMode", ("Immediate", "WaitForFirstConsumer"), path)
