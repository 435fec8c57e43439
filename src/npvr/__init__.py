"""npvr: evidence for the Dutch Nationaal Programma Vitale Regio's.

The public entry point. Faces (CLI, report, web) import from here.
"""

from __future__ import annotations

__version__ = "0.1.0"
