"""`claimsearch serve`: a local web page and JSON API over an index (Starlette, Jinja2, htmx)."""
from .app import create_app

__all__ = ["create_app"]
