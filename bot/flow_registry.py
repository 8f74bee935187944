"""Which flows the service runs: the shipped definitions, overridden by an admin's FLOWS_DIR."""

from __future__ import annotations

from bot.settings import Settings
from flows.loader import DEFINITIONS_DIR, load_flows
from flows.model import Flow


def load_configured_flows(settings: Settings) -> dict[str, Flow]:
    """A flow file in FLOWS_DIR with the same id as a shipped one replaces it. Any problem in
    any file stops the service at start (FlowError names file, line and state)."""
    paths = [DEFINITIONS_DIR]
    flows = load_flows(paths)
    if settings.flows_dir is not None:
        flows.update(load_flows([settings.flows_dir]))
    return flows
