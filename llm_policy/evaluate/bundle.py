"""Pack a policy set as a standard OPA bundle: `.manifest`, the `.rego` modules, one `data.json`.

A bundle is how a security team hands the same policies to every OPA server in a fleet (served
from a bundle server, pinned in CI, or passed to `opa run --server --bundle`). The archive is
deterministic: sorted entries, fixed timestamps and owners, no gzip name or time. The same inputs
give byte-identical output, so a bundle can be pinned by its digest and rebuilt to audit it.
Test modules (`*_test.rego`) are left out: servers need only what decides.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import tarfile
from typing import Any, Optional

from llm_policy import __version__
from llm_policy.evaluate.policies import PolicySet

BUILTIN_ROOT = "llm_policy"
_BUILTIN_PREFIX = "builtin:"


def module_file(display_path: str) -> str:
    """Where a module goes inside the bundle: built-ins under llm_policy/, others under custom/."""
    if display_path.startswith(_BUILTIN_PREFIX):
        return f"{BUILTIN_ROOT}/{_safe(display_path[len(_BUILTIN_PREFIX):])}"
    return f"custom/{_safe(display_path)}"


def _safe(path: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._/-]", "_", path.replace("\\", "/"))
    return "/".join(s for s in cleaned.split("/") if s not in ("", ".", ".."))


def bundle_roots(policy_set: PolicySet) -> list[str]:
    """The paths the bundle owns: every package and every top-level data key, pruned to the
    shortest prefixes. OPA refuses a bundle whose modules or data fall outside its roots, and
    refuses two bundles with overlapping roots, so the roots are kept as narrow as that allows
    (built-in packages and tables share the one `llm_policy` root)."""
    paths = {BUILTIN_ROOT} if any(m.package.split(".")[0] == BUILTIN_ROOT for m in policy_set.modules) else set()
    paths.update(m.package.replace(".", "/") for m in policy_set.modules if not m.is_test)
    paths.update(str(key) for key in policy_set.data)
    ordered = sorted(paths, key=lambda p: (p.count("/"), p))
    roots: list[str] = []
    for path in ordered:
        if not any(path == r or path.startswith(r + "/") for r in roots):
            roots.append(path)
    return sorted(roots)


def bundle_files(policy_set: PolicySet, revision: Optional[str] = None) -> dict[str, bytes]:
    """The bundle's files by archive path, with the manifest last computed over the rest."""
    files: dict[str, bytes] = {}
    v0_files: dict[str, int] = {}
    for module in policy_set.modules:
        if module.is_test:
            continue
        name = module_file(module.path)
        if name in files:
            raise ValueError(f"two policy files map to {name} in the bundle; rename one of them")
        files[name] = module.text.encode("utf-8")
        if module.rego_version == 0:
            v0_files["/" + name] = 0  # OPA reads the bundle as v1 except these (paths from the bundle root)
    files["data.json"] = (json.dumps(policy_set.data, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + files[name] + b"\0")
    manifest: dict[str, Any] = {
        "revision": revision or f"llm-policy-{__version__}+{digest.hexdigest()[:12]}",
        "roots": bundle_roots(policy_set),
        "rego_version": 1,
        **({"file_rego_versions": v0_files} if v0_files else {}),
        "metadata": {
            "llm_policy": {
                "version": __version__,
                "rules": sorted(r for r, info in policy_set.rules.items() if info.source != "builtin"),
                "content_sha256": digest.hexdigest(),
            }
        },
    }
    files[".manifest"] = (json.dumps(manifest, sort_keys=True, indent=1) + "\n").encode("utf-8")
    return files


def write_bundle(files: dict[str, bytes]) -> bytes:
    """A reproducible .tar.gz of `files`."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):  # files only, like `opa build`: OPA needs no directory entries
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(files[name]), 0o644
            _normalise(info)
            tar.addfile(info, io.BytesIO(files[name]))
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return packed.getvalue()


def _normalise(info: tarfile.TarInfo) -> None:
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""


def read_bundle(data: bytes) -> dict[str, bytes]:
    """The files of a bundle archive (for tests and for checking a downloaded bundle)."""
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile():
                handle = tar.extractfile(member)
                assert handle is not None
                files[member.name.lstrip("/")] = handle.read()
    return files


def unpack_bundle(data: bytes) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
    """(modules by path, merged data, manifest) of a bundle, for checking with the embedded engine.

    Accepts what `opa build` and `bundle build` write: `.rego` files, `data.json` at any depth (a
    nested one is data under its directory's path, as OPA reads it), `.manifest`. Anything that
    would change the decision and that this cannot evaluate (Wasm, plans, YAML data) is refused
    rather than ignored; `.signatures.json` is not verified (pin the bundle's digest instead).
    """
    from llm_policy.evaluate.policies import deep_merge

    try:
        files = read_bundle(data)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ValueError(f"not a bundle (.tar.gz): {exc}") from None
    modules: dict[str, str] = {}
    merged: dict[str, Any] = {}
    manifest: dict[str, Any] = {}
    for name in sorted(files):
        parts = [p for p in name.split("/") if p not in ("", ".")]
        if ".." in parts:
            raise ValueError(f"unsafe path in bundle: {name}")
        clean = "/".join(parts)
        try:
            text = files[name].decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"{clean} in the bundle is not UTF-8 text") from None
        if clean == ".manifest":
            manifest = _json(clean, text)
        elif clean.endswith(".rego"):
            modules[clean] = text
        elif parts[-1] == "data.json":
            value: Any = _json(clean, text)
            for key in reversed(parts[:-1]):
                value = {key: value}
            if not isinstance(value, dict):
                raise ValueError(f"{clean}: data at the bundle root must be an object")
            merged = deep_merge(merged, value)
        elif parts[-1] in (".signatures.json",):
            continue
        else:
            raise ValueError(f"{clean}: this kind of bundle file is not supported (only .rego, data.json, .manifest)")
    return modules, merged, manifest


def _json(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{name} in the bundle is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
