"""The API reference at /schema: one HTML page made on the server from the OpenAPI document.

Litestar's default page (ReDoc) and its Swagger/RapiDoc/Elements pages load their JavaScript
from a CDN, which would run on the office pages' origin. This page has no script at all, uses
the office stylesheet, and so lives under the same Content-Security-Policy as every other page.
The machine-readable document stays at /schema/openapi.json.
"""

from __future__ import annotations

from html import escape
from typing import Any

from litestar import Request
from litestar.openapi.plugins import JsonRenderPlugin, OpenAPIRenderPlugin

from server.core import problems

METHODS = ("get", "put", "post", "patch", "delete", "head", "options")


def _ref_name(schema: dict | None) -> str:
    """A schema as a short type: `ErrorBody`, `array of PushOp`, `string`."""
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "oneOf" in schema or "anyOf" in schema:
        return " | ".join(_ref_name(s) for s in schema.get("oneOf") or schema.get("anyOf"))
    if schema.get("type") == "array":
        return f"array of {_ref_name(schema.get('items'))}"
    kind = schema.get("type", "object")
    return " | ".join(kind) if isinstance(kind, list) else str(kind)


def _operation(path: str, method: str, op: dict) -> str:
    out = [f'<section class="box" id="{escape(op.get("operationId", method + path))}">',
           f"<h3><code>{method.upper()} {escape(path)}</code></h3>"]
    if op.get("summary"):
        out.append(f"<p><strong>{escape(op['summary'])}</strong></p>")
    if op.get("description"):
        out.append(f"<p>{escape(op['description'])}</p>")
    if op.get("security"):
        out.append("<p>要ログイン (Bearer token)</p>")
    params = op.get("parameters") or []
    if params:
        out.append("<table><caption>パラメーター</caption><tr><th>名前</th><th>場所</th><th>型</th><th>必須</th></tr>")
        out += [f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p.get('in', ''))}</td>"
                f"<td>{escape(_ref_name(p.get('schema')))}</td><td>{'はい' if p.get('required') else ''}</td></tr>"
                for p in params]
        out.append("</table>")
    for media, body in ((op.get("requestBody") or {}).get("content") or {}).items():
        out.append(f"<p>本文: <code>{escape(media)}</code> {escape(_ref_name(body.get('schema')))}</p>")
    responses = op.get("responses") or {}
    if responses:
        out.append("<table><caption>応答</caption><tr><th>状態</th><th>説明</th><th>内容</th></tr>")
        for status, response in responses.items():
            kinds = ", ".join(_ref_name(c.get("schema")) for c in (response.get("content") or {}).values())
            out.append(f"<tr><td>{escape(status)}</td><td>{escape(response.get('description', ''))}</td>"
                       f"<td>{escape(kinds)}</td></tr>")
        out.append("</table>")
    out.append("</section>")
    return "\n".join(out)


def _schema(name: str, schema: dict) -> str:
    required = set(schema.get("required") or [])
    rows = "".join(f"<tr><td><code>{escape(prop)}</code></td><td>{escape(_ref_name(spec))}</td>"
                   f"<td>{'はい' if prop in required else ''}</td><td>{escape(spec.get('description', ''))}</td></tr>"
                   for prop, spec in (schema.get("properties") or {}).items())
    table = f"<table><tr><th>項目</th><th>型</th><th>必須</th><th>説明</th></tr>{rows}</table>" if rows else ""
    return f'<section class="box" id="schema-{escape(name)}"><h3>{escape(name)}</h3>{table}</section>'


def _error_codes() -> str:
    """Every error code from the catalogue (server/core/problems.py): status, code, message, details."""
    rows = "".join(f"<tr><td>{p.status}</td><td><code>{escape(p.code)}</code></td>"
                   f"<td>{'<br>'.join(escape(m) for m in p.messages())}</td><td>{escape(p.details)}</td></tr>"
                   for s in problems.statuses() for p in problems.of_status(s))
    return ('<h2 id="errors">エラーコード</h2><section class="box"><p>エラーの本文は ErrorBody '
            "<code>{code, message, details}</code>。{…} は記録ごとの値が入るところです。</p>"
            f"<table><tr><th>状態</th><th>code</th><th>message</th><th>details</th></tr>{rows}</table></section>")


def render_reference(schema: dict[str, Any], json_url: str) -> str:
    info = schema.get("info") or {}
    operations = [(path, method, op) for path, item in (schema.get("paths") or {}).items()
                  for method, op in item.items() if method in METHODS]
    tags = sorted({(op.get("tags") or ["other"])[0] for _, _, op in operations})
    parts = [f"<h1>{escape(info.get('title', 'API'))} {escape(str(info.get('version', '')))}</h1>",
             f"<p>{escape(info.get('description', ''))}</p>",
             f'<p>OpenAPI 文書（機械可読）: <a href="{escape(json_url)}">{escape(json_url)}</a></p>',
             "<nav aria-label=\"目次\"><ul>" + "".join(f'<li><a href="#tag-{escape(t)}">{escape(t)}</a></li>' for t in tags)
             + '<li><a href="#errors">エラーコード</a></li><li><a href="#schemas">schemas</a></li></ul></nav>']
    for tag in tags:
        parts.append(f'<h2 id="tag-{escape(tag)}">{escape(tag)}</h2>')
        parts += [_operation(path, method, op) for path, method, op in operations
                  if (op.get("tags") or ["other"])[0] == tag]
    parts.append(_error_codes())
    parts.append('<h2 id="schemas">schemas</h2>')
    parts += [_schema(name, s) for name, s in sorted(((schema.get("components") or {}).get("schemas") or {}).items())]
    return ("<!doctype html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(info.get('title', 'API'))}</title>"
            '<link rel="stylesheet" href="/office/static/office.css"></head>'
            f'<body><main id="main">{"".join(parts)}</main></body></html>')


class ApiReferencePlugin(OpenAPIRenderPlugin):
    def __init__(self) -> None:
        super().__init__(path="/")

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        return render_reference(openapi_schema, self.get_openapi_json_route(request)).encode()


def render_plugins() -> list[OpenAPIRenderPlugin]:
    return [ApiReferencePlugin(), JsonRenderPlugin()]
