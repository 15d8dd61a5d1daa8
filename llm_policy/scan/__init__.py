"""Drift detection: find LLM usage in a repository's code and tie it to the manifest that governs it.

`signatures` (what usage looks like, as data) -> detectors (`python_detector` with `ast`,
`clike_detector` for JS/TS, Go and Java over `tokens`, `dependency_detector` for dependency and
config files) -> `evidence.resolve` (one file's hits as evidence) -> `inventory` (walk, governance
by the nearest manifest) -> `drift` (the inventory as the document policies see, for `check --scan`).
"""
