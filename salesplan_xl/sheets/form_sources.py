"""Row sources of the customer-management sheets (see sources.py for the contract)."""

from __future__ import annotations

from .sources import source  # noqa: F401
