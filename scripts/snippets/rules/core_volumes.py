"""core/v1 volume rules: PersistentVolume, PersistentVolumeClaim, hostPath."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .common import CORE, Context, Path_, Violation, check_enum, required, rule, unsupported

ACCESS_MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")


def _access_modes(node: dict[str, Any], path: Path_) -> Iterator[Violation]:
    for i, mode in enumerate(node.get("accessModes") or []):
        if mode not in ACCESS_MODES:
            yield unsupported((*path, "accessModes", i), mode, ACCESS_MODES)


@rule(CORE + "PersistentVolumeSpec")
def persistent_volume_spec(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    yield from _access_modes(node, path)
    yield from check_enum(
        node, "persistentVolumeReclaimPolicy", ("Retain", "Delete", "Recycle"), path
    )
    yield from check_enum(node, "volumeMode", ("Filesystem", "Block"), path)


@rule(CORE + "PersistentVolumeClaimSpec")
def persistent_volume_claim_spec(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    if not isinstance(node, dict):
        return
    yield from _access_modes(node, path)
    yield from check_enum(node, "volumeMode", ("Filesystem", "Block"), path)
    if ctx.standalone and ctx.kind == "PersistentVolumeClaim" and not node.get("accessModes"):
        yield required((*path, "accessModes"), "at least 1 access mode is required")


@rule(CORE + "HostPathVolumeSource")
def host_path_type(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    kinds = (
        "",
        "DirectoryOrCreate",
        "Directory",
        "FileOrCreate",
        "File",
        "Socket",
        "CharDevice",
        "BlockDevice",
    )
    yield from check_enum(node, "type", kinds, path)
