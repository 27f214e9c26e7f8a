"""Who may change the curated history on this server: read-only by default, curators log in.

The atlas is served to a team; reading is open, writing is not. Curation (the Curate page and
every path that writes ``data/`` or sends a geocoding request) is off unless the operator turns
it on, either with the environment variable ``FRONTLINE_CURATION=on`` or with

    [frontline]
    curation = true

in ``.streamlit/secrets.toml``. With curation on, who may curate depends on where the server
listens and whether a login provider is configured (an ``[auth]`` section, Streamlit's
``st.login`` with OpenID Connect):

================  ======================  =============================================
[auth] present    server address          curation
================  ======================  =============================================
yes               any                     after a login; the curator is recorded
no                loopback only           as the local user (only this machine can reach it)
no                other or unset (all)    refused, with how to fix it
================  ======================  =============================================

Nothing here imports Streamlit: the app layer (:mod:`frontline.app.access`) reads the settings
and draws the page.
"""

from __future__ import annotations

import enum
import getpass
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

#: Environment variable that turns curation on ("on", "true", "1" or "yes"; anything else is off).
CURATION_ENV = "FRONTLINE_CURATION"
_TRUE = {"on", "true", "1", "yes"}


class Access(enum.Enum):
    """What the Curate page may do for a visitor."""

    OFF = "off"  # curation is not turned on: read-only
    LOGIN = "login"  # curators must log in (an [auth] provider is configured)
    LOCAL = "local"  # no provider, but the server only listens on loopback: the local user curates
    REFUSED = "refused"  # reachable beyond this machine with no provider: nobody curates


def curation_on(env: Mapping[str, str], secrets: Mapping | None) -> bool:
    """Whether the operator turned curation on, by environment variable or in ``secrets.toml``.

    >>> curation_on({"FRONTLINE_CURATION": "on"}, None), curation_on({}, {"frontline": {"curation": True}})
    (True, True)
    >>> curation_on({}, None), curation_on({"FRONTLINE_CURATION": "off"}, {"frontline": {"curation": True}})
    (False, False)
    """
    if CURATION_ENV in env:
        return env[CURATION_ENV].strip().lower() in _TRUE
    section = (secrets or {}).get("frontline") or {}
    value = section.get("curation", False)
    return value is True or str(value).strip().lower() in _TRUE


def is_loopback(address: str | None) -> bool:
    """Whether a server bound to ``address`` can only be reached from this machine (unset binds every interface).

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("::1"), is_loopback(""), is_loopback("0.0.0.0")
    (True, True, True, False, False)
    """
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def access(curation: bool, auth_configured: bool, address: str | None) -> Access:
    """The rule of the module's table."""
    if not curation:
        return Access.OFF
    if auth_configured:
        return Access.LOGIN
    return Access.LOCAL if is_loopback(address) else Access.REFUSED


@dataclass(frozen=True)
class Curator:
    """Who adds a row: a logged-in user (name and e-mail from the provider) or this machine's user."""

    name: str
    email: str = ""
    local: bool = False

    def label(self) -> str:
        """``Alice <alice@example.com>``, ``Alice``, or ``ana (local user)``."""
        if self.local:
            return f"{self.name} (local user)"
        if self.email and self.name and self.name != self.email:
            return f"{self.name} <{self.email}>"
        return self.email or self.name

    def stamp(self, notes: str) -> str:
        """``notes`` with the curator appended: every added row says who added it."""
        who = f"Added by {self.label()}."
        notes = " ".join((notes or "").split())
        return f"{notes} {who}" if notes else who


def local_curator() -> Curator:
    """The user running the server, for a server that only listens on loopback."""
    try:
        name = getpass.getuser()
    except Exception:  # no user name in this environment (getpass raises several kinds)
        name = "unknown"
    return Curator(name=name, local=True)


def curator_from_claims(claims: Mapping) -> Curator | None:
    """The curator named by a provider's claims (``st.user``), or ``None`` if they name nobody."""
    email = str(claims.get("email") or "").strip()
    name = str(claims.get("name") or claims.get("preferred_username") or "").strip()
    subject = str(claims.get("sub") or "").strip()
    if not (email or name or subject):
        return None
    return Curator(name=name or subject or email, email=email)


def off_message() -> str:
    """What the Curate page says when curation is off (Markdown; no data in it)."""
    return ("**Curation is off on this server**: the atlas is read-only, and nothing here can change the curated "
            "history or send a geocoding request. An operator turns curation on with the environment variable "
            f"`{CURATION_ENV}=on` or with `curation = true` under `[frontline]` in `.streamlit/secrets.toml`; "
            "a server reachable beyond this machine also needs a login provider (`[auth]`, see the README).")


def refused_message(address: str | None) -> str:
    """What the Curate page says when curation is on but nobody could be identified (Markdown)."""
    where = f"`{address}`" if address else "every interface (server.address is unset)"
    return (f"**Curation is on, but this server listens on {where} and has no login configured**, so anyone who "
            "can reach it could rewrite the history. Configure a login provider (`[auth]` in "
            "`.streamlit/secrets.toml`, see the README), or serve on loopback only (`make run`, which binds "
            "127.0.0.1).")
