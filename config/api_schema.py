"""What every operation of the API may answer besides its success, written into the OpenAPI
schema once (drf-spectacular's POSTPROCESSING_HOOKS) rather than on each view, so an endpoint
added later is described the same way. The Schemathesis run (tests/test_fuzz_api.py) fails
on any status code the schema does not list.

- 400: bad input: a request body, a query filter or a page size it cannot read; also a NUL
  byte anywhere in the query (core.middleware.RejectNulInputMiddleware).
- 401: no or a wrong token or session (every operation but the token's own).
- 403: signed in, but the role does not allow it (accounts.api.RolePermission) or the
  object is not the caller's to change.
- 404: an id outside the caller's scope (scoping answers 404, never 403), or a page past the
  last one.
- 415: a body in a Content-Type the operation does not read.

It also gives the shared query parameters (q, year, page) their bounds.
"""

from __future__ import annotations

from core.bounds import SEARCH_CHARS
from core.filters import FIRST_YEAR, LAST_YEAR

ERROR_SCHEMA_NAME = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` with the message, or for a 400 the messages of each field by its name.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
DESCRIPTIONS = {
    "400": "Dữ liệu gửi lên không hợp lệ: thông báo theo từng trường.",
    "401": "Chưa đăng nhập hoặc token sai.",
    "403": "Vai trò không được làm việc này.",
    "404": "Không tìm thấy trong phạm vi của bạn, hoặc trang vượt quá số trang.",
    "415": "Kiểu nội dung gửi lên không được hỗ trợ (Content-Type).",
}
METHODS = {"get", "post", "put", "patch", "delete"}
# The query parameters every list shares, as the filters read them (django-filter's schema
# says only "string" and "number").
QUERY_PARAMETERS = {
    "q": {
        "description": "Tìm không cần dấu trong nội dung (không tìm theo danh tính người tố cáo); "
        f"tối đa {SEARCH_CHARS} ký tự.",
        "schema": {"type": "string", "maxLength": SEARCH_CHARS},
    },
    "year": {"schema": {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}},
    "page": {"schema": {"type": "integer", "minimum": 1}},
}
PUBLIC_OPERATIONS = {"/api/v1/auth/token/"}  # answers 400, never 401 or 403


def _codes_for(path: str, operation: dict) -> list[str]:
    codes = ["400"]  # every operation reads a query (a NUL byte is refused everywhere)
    if path not in PUBLIC_OPERATIONS:
        codes += ["401", "403", "404"]
    if "requestBody" in operation:
        codes.append("415")
    return codes


def document_error_responses(result: dict, generator, request, public) -> dict:
    """Add the error answers each operation can give (see the module's docstring)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(ERROR_SCHEMA_NAME, ERROR_SCHEMA)
    reference = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and parameter["name"] in QUERY_PARAMETERS:
                    parameter.update(QUERY_PARAMETERS[parameter["name"]])
            responses = operation.setdefault("responses", {})
            for code in _codes_for(path, operation):
                responses.setdefault(
                    code,
                    {
                        "description": DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
