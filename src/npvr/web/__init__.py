"""The web face: ``npvr serve`` (FastAPI), server-rendered pages with a JSON twin each under /api.

Importing this package is cheap; the app is built by :func:`create_app` (``npvr.web.app``)::

    from npvr.web import create_app, WebSettings
    app = create_app(WebSettings(db_url="sqlite:///register.sqlite", secure_cookies=False))
"""

from __future__ import annotations

from typing import Any

__all__ = ["WebSettings", "create_app"]


def __getattr__(name: str) -> Any:  # lazy: `npvr.web.users` must not pull in FastAPI
    if name in __all__:
        from npvr.web import app

        return getattr(app, name)
    raise AttributeError(name)
