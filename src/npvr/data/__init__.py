"""Data: the indicator catalogue, the shipped snapshot, its build from raw files and live refresh."""

from npvr.data.aggregate import aggregate
from npvr.data.catalogue import THEMES, Catalogue, Indicator
from npvr.data.snapshot import Snapshot, load_snapshot

__all__ = ["THEMES", "Catalogue", "Indicator", "Snapshot", "aggregate", "load_snapshot"]
