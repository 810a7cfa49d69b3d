"""The one alias for JSON-shaped data: API bodies, profiles, verdicts and traces the engine builds.

Their values are of many types by design (the JSON Schema says which), so the checker reads them as
`Any`; where a record has a fixed shape, a dataclass or TypedDict says it instead.
"""

from typing import Any, TypeAlias

JSON: TypeAlias = dict[str, Any]
