"""Fixtures for the organisation tests on a real JupyterHub (see ``hub_harness``)."""

from hub_harness import browser, hub

collect_ignore_glob = ["workshop/*"]
__all__ = ["browser", "hub"]
