"""Keyboard access the page's widgets lack on their own.

Streamlit draws a popover's panel at the end of the page, so after Enter opens one, Tab leaves for the next
widget on the page and the panel's own widgets come 15-25 presses later. :func:`popover_focus` adds a small
script of the app's own (no data in it) that moves the focus into a popover's panel when it opens (on its
selected choice, else its first control), keeps it there when a choice made from the keyboard redraws the
panel, and puts it back on the popover's button when Escape closes it.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["POPOVER_FOCUS_JS", "popover_focus"]

#: Installed once per browser page (a rerun draws the element again but does not add a second listener).
POPOVER_FOCUS_JS = """
(() => {
  const w = window;
  if (w.__flPopoverFocus) return;
  w.__flPopoverFocus = true;
  const doc = document;
  const FOCUSABLE = 'input:not([type=hidden]), button, textarea, [tabindex]:not([tabindex="-1"])';
  let opener = null;
  function focusInside(tries) {
    const body = doc.querySelector('[data-testid="stPopoverBody"]');
    const target = body && (body.querySelector('input:checked') || body.querySelector(FOCUSABLE));
    if (target) { target.focus(); return; }
    if (tries > 0) setTimeout(() => focusInside(tries - 1), 30);
  }
  doc.addEventListener('click', (ev) => {
    const button = ev.target.closest && ev.target.closest('[data-testid="stPopoverButton"]');
    if (!button) return;
    opener = button;
    setTimeout(() => { if (button.getAttribute('aria-expanded') === 'true') focusInside(20); }, 0);
  }, true);
  // a choice made from the keyboard reruns the page, which may draw the panel again and drop the focus:
  // put it back on the panel's selected choice
  let typing = false;
  doc.addEventListener('keydown', (ev) => {
    typing = !!(ev.target.closest && ev.target.closest('[data-testid="stPopoverBody"]'));
    if (ev.key !== 'Escape' || !opener) return;
    typing = false;
    const back = opener;
    setTimeout(() => { if (back.isConnected && back.getAttribute('aria-expanded') !== 'true') back.focus(); }, 50);
  }, true);
  doc.addEventListener('mousedown', () => { typing = false; }, true);
  new MutationObserver(() => {
    if (typing && (doc.activeElement === doc.body || !doc.activeElement)
        && doc.querySelector('[data-testid="stPopoverBody"]')) focusInside(0);
  }).observe(doc.body, {childList: true, subtree: true});
})();
"""


def popover_focus() -> None:
    """Add the popover focus script to the page (in the sidebar, where its empty element takes no room)."""
    with st.sidebar:
        st.html(f"<script>{POPOVER_FOCUS_JS}</script>", unsafe_allow_javascript=True)
