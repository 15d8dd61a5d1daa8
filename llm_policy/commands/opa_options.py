"""Command-line options of the OPA server engine (`check --engine opa ...`).

Kept apart from `check` so the flags, their environment variables and their consistency rules are
in one place. The token is read from LLM_POLICY_OPA_TOKEN when not given, so it need not appear in
CI logs or `ps` output; it is never read from the configuration file, which is committed.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from llm_policy.run.config import Config

if TYPE_CHECKING:  # pragma: no cover - argparse is imported only where a parser is built
    import argparse

URL_ENV = "LLM_POLICY_OPA_URL"
TOKEN_ENV = "LLM_POLICY_OPA_TOKEN"


def add_opa_options(parser: argparse.ArgumentParser) -> None:
    from llm_policy.util import numbers

    group = parser.add_argument_group("OPA server engine (--engine opa)")
    group.add_argument("--opa-url", metavar="URL",
                       help=f"OPA server, e.g. http://127.0.0.1:8181 or https://opa.example.com/prefix (default: ${URL_ENV}, then opa_url in the configuration)")
    group.add_argument("--opa-token", metavar="TOKEN", help=f"bearer token for the server (default: ${TOKEN_ENV})")
    group.add_argument("--opa-ca-cert", metavar="FILE", help="CA bundle that signed the server's TLS certificate")
    group.add_argument("--opa-client-cert", metavar="FILE", help="client certificate for mutual TLS (PEM)")
    group.add_argument("--opa-client-key", metavar="FILE", help="key of --opa-client-cert, when not in the same file")
    group.add_argument("--opa-insecure", action="store_true", help="do not verify the server's TLS certificate (test servers only)")
    group.add_argument("--opa-timeout", type=numbers.flag("opa_timeout"), default=None, metavar="SECONDS",
                       help="give up on a request after this long (default: 10)")
    group.add_argument("--opa-retries", type=numbers.flag("opa_retries"), default=None, metavar="N",
                       help="retry a request that could not connect this many times (default: 2)")
    group.add_argument("--opa-push", action="store_true",
                       help="upload the policies and data to the server before querying (development servers); "
                       "without it the server must already hold them, e.g. from an llm-policy bundle")


def opa_engine_options(engine: str, args: argparse.Namespace, config: Config, data_files: list[Any]) -> dict[str, Any]:
    """Engine options for `create_engine`; ValueError for an inconsistent combination."""
    given = [name for name in ("opa_token", "opa_ca_cert", "opa_client_cert", "opa_client_key", "opa_timeout", "opa_retries")
             if getattr(args, name, None) is not None] + [name for name in ("opa_insecure", "opa_push") if getattr(args, name, False)]
    if getattr(args, "opa_url", None):
        given.insert(0, "opa_url")
    if engine != "opa":
        if given:
            flags = ", ".join("--" + name.replace("_", "-") for name in given)
            raise ValueError(f"{flags} only apply to --engine opa (the engine is {engine})")
        return {}
    url = args.opa_url or os.environ.get(URL_ENV) or config.get("opa_url")
    if not url:
        raise ValueError(f"--engine opa needs the server's address: --opa-url URL, ${URL_ENV} or opa_url in the configuration")
    if not args.opa_push:
        # In query mode the server's own data and clock decide: refuse what it cannot honour.
        if getattr(args, "date", None):
            raise ValueError("--date needs --opa-push: a server queried for its deployed policies evaluates with its own clock")
        if data_files:
            raise ValueError("--data needs --opa-push: a server queried for its deployed policies uses the data of its bundle")
    if args.opa_client_key and not args.opa_client_cert:
        raise ValueError("--opa-client-key needs --opa-client-cert")
    options: dict[str, Any] = {
        "url": url,
        "token": args.opa_token or os.environ.get(TOKEN_ENV) or None,
        "ca_cert": args.opa_ca_cert,
        "client_cert": args.opa_client_cert,
        "client_key": args.opa_client_key,
        "insecure": args.opa_insecure,
        "push": args.opa_push,
    }
    if args.opa_timeout is not None:
        options["timeout"] = args.opa_timeout
    if args.opa_retries is not None:
        options["retries"] = args.opa_retries
    return options
