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
import unicodedata
import zlib
from dataclasses import dataclass
from typing import Any, Optional

from llm_policy import __version__
from llm_policy.policy.policy_set import PolicySet

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
        name = f"custom/{_safe(module.origin)}" if module.origin else module_file(module.path)
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


@dataclass(frozen=True)
class Limits:
    """What `bundle extract` will hold in memory: per member, in total (uncompressed), and members."""

    member_bytes: int = 32 * 1024 * 1024
    total_bytes: int = 128 * 1024 * 1024
    members: int = 10_000


class _Counted(io.RawIOBase):
    """A read-only stream that hashes what it passes on and refuses to pass on more than `limit`
    bytes. Under the gzip reader it bounds the compressed input; above it, the decompressed tar
    stream, which also bounds what tarfile itself reads into memory (PAX and long-name headers)."""

    def __init__(self, inner: Any, limit: Optional[int], what: str, digest: Any = None) -> None:
        self.inner, self.limit, self.what, self.digest, self.count = inner, limit, what, digest, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        self.count += len(data)
        if self.limit is not None and self.count > self.limit:
            raise BundleLimitError(f"the bundle holds more than {self.limit} bytes {self.what} (--max-total-size)")
        if self.digest is not None:
            self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


class BundleLimitError(ValueError):
    """The bundle is larger than the limits allow."""


def _kind(member: tarfile.TarInfo) -> str:
    if member.issym():
        return f"a symbolic link (to {member.linkname!r})"
    if member.islnk():
        return f"a hard link (to {member.linkname!r})"
    if member.ischr() or member.isblk():
        return "a device"
    if member.isfifo():
        return "a FIFO"
    return f"a special member (tar type {member.type!r})"


def _member_path(name: str) -> str:
    """The member's path inside the bundle, or ValueError for a name that could land elsewhere.

    One leading "/" is the bundle-root convention of `opa build` and is dropped; anything that
    would still not resolve under the target directory (`..`, a second leading slash, backslashes,
    a drive, control characters) is refused, never cleaned up into something else."""
    shown = name.encode("unicode_escape").decode("ascii")
    body = name[1:] if name.startswith("/") else name
    parts = [p for p in body.split("/") if p not in ("", ".")]
    if (not parts or body.startswith("/") or "\\" in name or ".." in parts
            or re.match(r"^[A-Za-z]:", body) or any(ord(c) < 32 or ord(c) == 127 for c in name)):
        raise ValueError(f"unsafe path in bundle: {shown!r}")
    return "/".join(parts)


def read_bundle_stream(stream: Any, limits: Limits = Limits()) -> dict[str, bytes]:
    """The files of a gzip'd tar bundle read from `stream`, member by member within `limits`.

    Nothing is read whole: a small archive announcing a 3 GiB member is refused when its header
    is read. Every member that would not be unpacked as a plain file inside the target directory
    (links, devices, unsafe or duplicate names) is refused with its name, never skipped."""
    import gzip

    files: dict[str, bytes] = {}
    try:
        unzipped = _Counted(gzip.GzipFile(fileobj=stream, mode="rb"), limits.total_bytes * 2 + 1024 * 1024, "once uncompressed")
        with tarfile.open(fileobj=io.BufferedReader(unzipped), mode="r|") as tar:
            total = 0
            seen: dict[str, str] = {}
            for count, member in enumerate(tar, start=1):
                shown = member.name.encode("unicode_escape").decode("ascii")
                if count > limits.members:
                    raise BundleLimitError(f"the bundle has more than {limits.members} members")
                if member.isdir():
                    _member_path(member.name)
                    continue
                if not member.isfile():
                    raise ValueError(f"{shown}: {_kind(member)}; bundle extract unpacks regular files only")
                name = _member_path(member.name)
                if name in files:
                    raise ValueError(f"{shown}: a second member named {name!r}; it would overwrite the first")
                # On case-insensitive or normalising file systems (macOS, Windows) these collide too.
                folded = unicodedata.normalize("NFC", name).casefold()
                if folded in seen:
                    raise ValueError(f"{shown}: differs from {seen[folded]!r} only in case or Unicode form; "
                                     "one would overwrite the other on some file systems")
                seen[folded] = name
                if member.size > limits.member_bytes:
                    raise BundleLimitError(f"{shown}: {member.size} bytes, more than the {limits.member_bytes}-byte limit per member (--max-member-size)")
                total += member.size
                if total > limits.total_bytes:
                    raise BundleLimitError(f"{shown}: the members add up to more than {limits.total_bytes} bytes (--max-total-size)")
                handle = tar.extractfile(member)
                assert handle is not None
                data = handle.read(member.size + 1)
                if len(data) != member.size:
                    raise ValueError(f"{shown}: truncated member")
                files[name] = data
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"not a bundle (.tar.gz): {exc}") from None
    return files


def read_bundle(data: bytes, limits: Limits = Limits()) -> dict[str, bytes]:
    """The files of a bundle archive held in memory (for tests and small bundles)."""
    return read_bundle_stream(io.BytesIO(data), limits)


def hashed_stream(handle: Any, digest: Any) -> Any:
    """`handle` read through `digest`: the digest covers exactly the bytes unpacked."""
    return io.BufferedReader(_Counted(handle, None, "", digest))


def unpack_bundle(data: Any, limits: Limits = Limits()) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
    """(modules by path, merged data, manifest) of a bundle, for checking with the embedded engine.

    `data` is the archive's bytes or a readable binary stream. Accepts what `opa build` and
    `bundle build` write: `.rego` files, `data.json` at any depth (a nested one is data under its
    directory's path, as OPA reads it), `.manifest`. Anything that would change the decision and
    that this cannot evaluate (Wasm, plans, YAML data) is refused rather than ignored;
    `.signatures.json` is not verified (pin the bundle's digest instead).
    """
    from llm_policy.policy.policy_set import deep_merge

    files = read_bundle(data, limits) if isinstance(data, (bytes, bytearray)) else read_bundle_stream(data, limits)
    modules: dict[str, str] = {}
    merged: dict[str, Any] = {}
    manifest: dict[str, Any] = {}
    for clean in sorted(files):
        parts = clean.split("/")
        try:
            text = files[clean].decode("utf-8")
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
