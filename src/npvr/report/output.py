"""Deprecated alias: the atomic output folder lives in :mod:`npvr.output` (one writer for all)."""

from __future__ import annotations

from npvr.output import MARKER, atomic_dir, check_dir_target

atomic_output_dir = atomic_dir
check_target = check_dir_target

__all__ = ["MARKER", "atomic_output_dir", "check_target"]
