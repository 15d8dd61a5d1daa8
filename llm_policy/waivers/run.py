"""The waivers step of a check run: locate the file, load it, apply it, or record why it could not.

Shared by `check` and `waivers` so both always agree on which file is used and what it does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from llm_policy.run.discovery import display_path
from llm_policy.findings import Fault, Report
from llm_policy.waivers.loader import WaiverFile, WaiverFileError, find_waivers_file, load_waivers

if TYPE_CHECKING:  # pragma: no cover
    from llm_policy.waivers.apply import WaiverUse


def locate(explicit: Optional[Path], config: Any, root: Path) -> Optional[Path]:
    """`--waivers`, else the config's `waivers` (relative to the config file), else a default file
    next to the config file or at the root."""
    configured = config.paths("waivers")[0] if config.get("waivers") else None
    search = [config.path.parent] if config.path is not None else []
    search.append(root)
    return find_waivers_file(explicit, configured, list(dict.fromkeys(search)))


def load(path: Optional[Path], root: Path) -> tuple[Optional[WaiverFile], list[Fault]]:
    if path is None:
        return None, []
    try:
        return load_waivers(path, display_path(path, root), root), []
    except WaiverFileError as exc:
        return None, exc.faults


def waive_report(
    report: Report, explicit: Optional[Path], config: Any, manifests: list[Path], root: Path, today: str
) -> tuple[Optional[WaiverFile], list[WaiverUse]]:
    """Apply the run's waivers to `report` in place. A waivers file that cannot be used becomes
    run-level faults (exit 2) and nothing is waived: fail closed, never "no waivers, so pass"."""
    waivers, faults = load(locate(explicit, config, root), root)
    report.faults.extend(faults)
    if waivers is None:
        return None, []
    from llm_policy.waivers.apply import apply_waivers  # only with a waivers file

    return waivers, apply_waivers(report, waivers, manifests, root, today)
