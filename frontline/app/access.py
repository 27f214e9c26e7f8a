"""The Curate page's gate: read-only unless curation is on, and then only for a known curator.

The rule lives in :mod:`frontline.serving`; this module reads the settings (environment,
``st.secrets``, ``server.address``), logs curators in with ``st.login`` and draws the notices.
"""

from __future__ import annotations

import os

import streamlit as st

from .. import serving
from ..safety import md_text


def _secrets() -> dict:
    """The app's secrets (``.streamlit/secrets.toml`` or ``secrets.files``), or nothing if there are none."""
    try:
        return st.secrets.to_dict() if st.secrets.load_if_toml_exists() else {}
    except Exception as err:  # a malformed secrets.toml: say so, and treat the server as having none
        st.error(md_text(f"The secrets file could not be read ({err}); curation stays off until it is fixed."))
        return {"frontline": {"curation": False}}


def curation_access() -> tuple[serving.Access, str | None]:
    """What this server allows (see :func:`frontline.serving.access`) and the address it listens on."""
    secrets = _secrets()
    address = st.get_option("server.address")
    on = serving.curation_on(os.environ, secrets)
    return serving.access(on, "auth" in secrets, address), address


def curator() -> serving.Curator | None:
    """The curator of this session, after drawing the gate; ``None`` (and a notice) if nobody may curate."""
    found, address = curation_access()
    if found is serving.Access.OFF:
        st.info(serving.off_message(), icon=":material/lock:")
        return None
    if found is serving.Access.REFUSED:
        st.error(serving.refused_message(address), icon=":material/gpp_bad:")
        return None
    if found is serving.Access.LOCAL:
        who = serving.local_curator()
        st.caption(md_text(f"Curating as {who.label()}: this server only listens on {address}, so only this "
                           "machine can reach it. Each row you add records your name."))
        return who
    if not st.user.is_logged_in:
        st.info("**Curators log in.** Reading the atlas needs no login; adding to the curated history does, so "
                "that every new row records who added it.", icon=":material/login:")
        st.button("Log in to curate", type="primary", on_click=st.login, key="curate_login")
        return None
    who = serving.curator_from_claims(st.user.to_dict())
    if who is None:
        st.error("The login provider did not say who you are (no e-mail, name or subject); curation is refused.")
        return None
    c1, c2 = st.columns([5, 1])
    c1.caption(md_text(f"Logged in as {who.label()}. Each row you add records your name."))
    c2.button("Log out", on_click=st.logout, key="curate_logout")
    return who
