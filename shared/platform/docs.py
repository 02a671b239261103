"""The documentation pages, served with nothing from any other host.

Swagger UI (`/docs`) loads its JavaScript and CSS from `/docs/assets/…`: the
files the `fastapi-offline` package ships (MIT; Swagger UI's bundle, see its
`static/` directory), not from a CDN, so the page works on an office network
without internet. There is no ReDoc page: its bundle loads its logo from
cdn.redoc.ly whatever its options, and the browser test allows no other host.
The event catalog's page (`/asyncapi`) is plain HTML rendered on the server
(`shared.platform.messaging.catalog.catalog_html`), with no script at all.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

ASSETS = Path(fastapi_offline.__file__).parent / "static"
#: The files served under /docs/assets/, and their media types.
SERVED = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon.png": "image/png",
}
ASSET_PATH = "/docs/assets/{name}"


def install_offline_docs(app: FastAPI) -> None:
    """`/docs` and `/docs/oauth2-redirect` from local assets; build `app` with
    `docs_url=None, redoc_url=None` so FastAPI adds none of its own."""
    docs_url, redirect_url = "/docs", "/docs/oauth2-redirect"
    assets = "/docs/assets"

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return get_swagger_ui_html(
            openapi_url=root + str(app.openapi_url),
            title=f"{app.title}: Swagger UI",
            swagger_js_url=f"{root}{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{assets}/swagger-ui.css",
            swagger_favicon_url=f"{root}{assets}/favicon.png",
            oauth2_redirect_url=root + redirect_url,
            # No call to the public validator either.
            swagger_ui_parameters={"validatorUrl": None},
        )

    async def redirect(request: Request) -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in SERVED:
            raise HTTPException(404)  # answered as every other 404 (`http_error`)
        return FileResponse(
            ASSETS / name, media_type=SERVED[name], headers={"Cache-Control": "public, max-age=86400"}
        )

    app.add_route(docs_url, swagger_ui, include_in_schema=False)
    app.add_route(redirect_url, redirect, include_in_schema=False)
    app.add_route(ASSET_PATH, asset, include_in_schema=False)
    # What FastAPI would have set, for whoever reads them (the access-rule tests do).
    app.docs_url, app.swagger_ui_oauth2_redirect_url = docs_url, redirect_url
