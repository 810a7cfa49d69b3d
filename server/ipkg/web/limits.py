"""Flask's request, with the number of form fields and query-string parameters bounded (IPKG_MAX_FORM_FIELDS).

Flask's MAX_FORM_PARTS bounds only multipart forms: werkzeug parses an urlencoded body (what SPARQL clients
POST) and a query string in one `parse_qsl` call with no limit, and a form of two million empty fields cost
5.3 s of CPU. Counting the separators first costs a scan of bytes already in memory (the body's size is bounded
before: MAX_CONTENT_LENGTH, web.asgi).
"""

from __future__ import annotations

import io
from typing import IO

from flask import Request
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser
from werkzeug.utils import cached_property

# What werkzeug's parsers return: the stream, the form fields, the files (werkzeug's own `t_parse_result`,
# which exists only for type checkers).
_Parsed = tuple[IO[bytes], MultiDict[str, str], MultiDict[str, FileStorage]]


class _BoundedFormParser(FormDataParser):
    """werkzeug's form parser, applying `max_form_parts` to urlencoded bodies too."""

    def _parse_urlencoded(self, stream: IO[bytes], mimetype: str, content_length: int | None,
                          options: dict[str, str]) -> _Parsed:
        data = stream.read()
        if self.max_form_parts is not None and data.count(b"&") >= self.max_form_parts:
            raise RequestEntityTooLarge(f"the form has more than {self.max_form_parts} fields (IPKG_MAX_FORM_FIELDS)")
        return super()._parse_urlencoded(io.BytesIO(data), mimetype, content_length, options)


class BoundedRequest(Request):
    """The request class of the app (`create_app`)."""

    form_data_parser_class = _BoundedFormParser

    @cached_property
    def args(self) -> MultiDict[str, str]:
        limit = self.max_form_parts
        if limit is not None and self.query_string.count(b"&") >= limit:
            raise BadRequest(f"the query string has more than {limit} parameters (IPKG_MAX_FORM_FIELDS)")
        return super().args
