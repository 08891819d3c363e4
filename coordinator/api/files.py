"""The OpenAPI declaration of an operation that answers with a file (an XLSX or CSV download)."""
from __future__ import annotations

from typing import Any

from spectree import Response
from spectree.utils import get_model_key

from coordinator.domain.downloads import CSV_MIMETYPE, XLSX_MIMETYPE

XLSX = XLSX_MIMETYPE
CSV = CSV_MIMETYPE.split(";")[0]  # the media type itself; the charset is a parameter of the header


class FileResponse(Response):
    """A 200 that is a file of the given media types; the other codes (422 and the problems) stay JSON."""

    def __init__(self, *media_types: str, description: str = "the file, as an attachment") -> None:
        super().__init__(HTTP_200=None)
        self.media_types = media_types
        self.file_description = description

    def generate_spec(self, naming_strategy: Any = get_model_key) -> dict[str, Any]:
        """The responses object, with the 200's content a binary string in each media type."""
        spec = super().generate_spec(naming_strategy)
        spec["200"] = {"description": self.file_description, "content": {
            media: {"schema": {"type": "string", "format": "binary"}} for media in self.media_types}}
        return spec
