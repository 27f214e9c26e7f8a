"""``assets``: copy the map's JS/CSS from web/node_modules into static/vendor."""

from __future__ import annotations

from . import add_command


def register(sub) -> None:
    p = add_command(
        sub, "assets", help="install the map's JS/CSS into static/vendor (run by make)",
        description="Copy Leaflet and its plugins from web/node_modules (npm install in web/) into static/vendor, "
                    "where the dashboard serves them so the map draws with no internet.",
        example="cd web && npm install && cd .. && python -m frontline assets",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from ..webmap import assets

    written = assets.install()
    print(f"installed {len(written)} asset files into {assets.config.VENDOR_DIR}")
    return 0
