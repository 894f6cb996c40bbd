"""``/api``: the REST API described for people, read from the OpenAPI document that
flask-smorest generates from the code, so the page never drifts from the endpoints."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

bp = Blueprint("api_docs", __name__)

# What flask-smorest writes for responses (HTTP reason phrases and its default error); the
# other texts of the document are found by portal.i18n_extract and translated with _().
RESPONSE_TEXTS = {
    "OK": _l("OK"),
    "Created": _l("Created"),
    "No Content": _l("No Content"),
    "Bad Request": _l("Bad Request"),
    "Unauthorized": _l("Unauthorized"),
    "Forbidden": _l("Forbidden"),
    "Not Found": _l("Not Found"),
    "Conflict": _l("Conflict"),
    "Unprocessable Content": _l("Unprocessable Entity"),
    "Unprocessable Entity": _l("Unprocessable Entity"),
    "Default error response": _l("Default error response"),
}


def translated(text: str) -> str:
    """A text of the OpenAPI document (written in English in the code) in the user's language."""
    return _(text) if text else text


METHODS = ("get", "post", "put", "patch", "delete")
# Example values for path parameters in the curl lines.
PATH_EXAMPLES = {"ref": "UC-HUAWEI-NET", "supplier_code": "HUAWEI", "measurement_id": "123"}


@dataclass(frozen=True)
class Property:
    name: str
    type: Segments
    required: bool
    description: str


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    type: Segments


@dataclass
class Endpoint:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Property] = field(default_factory=list)
    body_type: Segments = ()
    body_description: str = ""
    responses: list[Response] = field(default_factory=list)
    curl: str = ""

    @property
    def anchor(self) -> str:
        slug = self.path.strip("/").replace("/", "-").replace("{", "").replace("}", "")
        return f"{self.method}-{slug}"


def _ref_name(reference: str) -> str:
    return reference.rsplit("/", 1)[-1]


Segments = tuple[tuple[str, str | None], ...]  # (text, schema it names or None)


def type_of(schema: dict[str, Any]) -> Segments:
    """A short, readable type (``array of Measurement``) as text segments, each schema name
    marked so the page can link it to its description."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return ((name, name),)
    for keyword in ("oneOf", "anyOf"):
        if keyword in schema:
            segments: list[tuple[str, str | None]] = []
            for index, option in enumerate(schema[keyword]):
                if index:
                    segments.append((_(" or "), None))
                segments.extend(type_of(option))
            return tuple(segments)
    kind = schema.get("type", _("any"))
    if kind == "array":
        return ((_("array of "), None), *type_of(schema.get("items", {})))
    values = schema.get("additionalProperties")
    if kind == "object" and isinstance(values, dict) and values:
        return ((_("object of "), None), *type_of(values))
    text = kind + (f" ({schema['format']})" if "format" in schema else "")
    if schema.get("nullable"):
        text += " | null"
    return ((text, None),)


def code_spans(text: str) -> list[tuple[str, bool]]:
    """Docstring text split at ````code```` marks: (text, is_code) pieces."""
    return [(piece, index % 2 == 1) for index, piece in enumerate(text.split("``")) if piece]


def _constraints(schema: dict[str, Any]) -> list[str]:
    notes = []
    if "enum" in schema:
        notes.append(_("one of %(values)s", values=", ".join(map(str, schema["enum"]))))
    if "minimum" in schema and "maximum" in schema:
        notes.append(_("from %(low)s to %(high)s", low=schema["minimum"], high=schema["maximum"]))
    elif "minimum" in schema:
        notes.append(_("at least %(low)s", low=schema["minimum"]))
    elif "maximum" in schema:
        notes.append(_("at most %(high)s", high=schema["maximum"]))
    if "pattern" in schema:
        notes.append(_("pattern %(pattern)s", pattern=schema["pattern"]))
    if "default" in schema:
        notes.append(_("default %(value)s", value=schema["default"]))
    return notes


def _describe(schema: dict[str, Any], description: str = "") -> str:
    return " · ".join(part for part in (translated(description), *_constraints(schema)) if part)


def schema_properties(schema: dict[str, Any]) -> list[Property]:
    required = set(schema.get("required", ()))
    rows = []
    for name, spec in schema.get("properties", {}).items():
        rows.append(
            Property(
                name, type_of(spec), name in required, _describe(spec, spec.get("description", ""))
            )
        )
    return rows


def example_of(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    """A plausible JSON value for a schema, for the curl lines."""
    if depth > 4:
        return None
    if "$ref" in schema:
        return example_of(components.get(_ref_name(schema["$ref"]), {}), components, depth + 1)
    if "example" in schema:
        return schema["example"]
    if "oneOf" in schema:
        return example_of(schema["oneOf"][0], components, depth + 1)
    kind = schema.get("type")
    if kind == "array":
        return [example_of(schema.get("items", {}), components, depth + 1)]
    if kind == "object" or "properties" in schema:
        return {
            name: example_of(spec, components, depth + 1)
            for name, spec in schema.get("properties", {}).items()
            if name in schema.get("required", ())
        }
    if "enum" in schema:
        return schema["enum"][0]
    return {"integer": 1, "number": 99.95, "boolean": True}.get(kind or "", "text")


def _curl(method: str, path: str, operation: dict[str, Any], components: dict[str, Any]) -> str:
    base = request.host_url.rstrip("/")
    for name, value in PATH_EXAMPLES.items():
        path = path.replace("{" + name + "}", value)
    lines = [f"curl -sS -X {method.upper()} \\", '  -H "Authorization: Bearer $UNDERPIN_TOKEN" \\']
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body:
        payload = body.get("example") or example_of(body.get("schema", {}), components)
        text = json.dumps(payload, ensure_ascii=False, indent=2).replace("'", "'\\''")
        lines += ['  -H "Content-Type: application/json" \\', f"  -d '{text}' \\"]
    lines.append(f'  "{base}{path}"')
    return "\n".join(lines)


def endpoints(document: dict[str, Any]) -> list[Endpoint]:
    components = document.get("components", {})
    schemas = components.get("schemas", {})
    found = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            endpoint = Endpoint(
                method,
                path,
                translated(operation.get("summary", "")),
                translated(operation.get("description", "")),
            )
            for parameter in [*item.get("parameters", ()), *operation.get("parameters", ())]:
                spec = parameter.get("schema", {})
                where = _("in the path") if parameter["in"] == "path" else _("query")
                description = _describe(spec, parameter.get("description", ""))
                endpoint.parameters.append(
                    Property(
                        parameter["name"],
                        (*type_of(spec), (f", {where}", None)),
                        parameter.get("required", False),
                        description,
                    )
                )
            body = operation.get("requestBody")
            if body:
                schema = body.get("content", {}).get("application/json", {}).get("schema", {})
                endpoint.body_type = type_of(schema)
                endpoint.body_description = translated(body.get("description", ""))
            for status, response in sorted(operation.get("responses", {}).items()):
                if "$ref" in response:
                    response = components.get("responses", {}).get(_ref_name(response["$ref"]), {})
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                endpoint.responses.append(
                    Response(
                        str(status),
                        str(RESPONSE_TEXTS.get(response.get("description", ""), ""))
                        or translated(response.get("description", "")),
                        type_of(schema) if schema else (),
                    )
                )
            endpoint.curl = _curl(method, path, operation, schemas)
            found.append(endpoint)
    return found


@bp.route("/api")
@login_required
def index() -> str:
    from portal.api import api

    document = api.spec.to_dict()
    schemas = document.get("components", {}).get("schemas", {})
    return render_template(
        "api/index.html",
        document=document,
        endpoints=endpoints(document),
        schemas={name: schema_properties(schema) for name, schema in sorted(schemas.items())},
        base_url=request.host_url.rstrip("/"),
        code_spans=code_spans,
        error_example=json.dumps(
            {
                "error": {
                    "code": "unprocessable_entity",
                    "message": _("Some figures are not valid; nothing was stored."),
                    "details": {"[2].value": [_("must be a finite number")]},
                }
            },
            indent=2,
            ensure_ascii=False,
        ),
    )
