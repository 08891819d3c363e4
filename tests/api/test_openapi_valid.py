"""The OpenAPI document served at /api/v1/openapi.json is valid OpenAPI (openapi-spec-validator), and every
operation says what it answers: JSON operations a schema, downloads their file's media type."""
from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from config import TestingConfig
from coordinator import create_app


@pytest.fixture(scope="module")
def document(tmp_path_factory) -> dict:
    """The document as a client fetches it (it needs no database: nothing is read to describe the API)."""
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path_factory.mktemp('openapi') / 'unused.sqlite3'}"
    response = create_app(config).test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_document_validates(document):
    validate(document)  # raises with the first problem, e.g. an operation without responses


def test_every_operation_declares_its_success_and_its_content(document):
    missing = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            success = {code: answer for code, answer in operation["responses"].items() if code.startswith("2")}
            if not success or not all(answer.get("content") or code == "204" for code, answer in success.items()):
                missing.append(f"{method.upper()} {path}")
    # A download declares its file with coordinator.api.files.FileResponse(media types).
    assert missing == [], "operations whose success has no content: " + ", ".join(missing)


def test_downloads_declare_their_media_types(document):
    paths = document["paths"]
    for path, media in (("/api/v1/campaigns/{campaign_id}/export.xlsx", "spreadsheetml.sheet"),
                        ("/api/v1/campaigns/{campaign_id}/export.csv", "text/csv"),
                        ("/api/v1/campaigns/{campaign_id}/report.xlsx", "spreadsheetml.sheet"),
                        ("/api/v1/campaigns/{campaign_id}/report.csv", "text/csv")):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert [key for key in content if key.endswith(media)], path
    report = paths["/api/v1/campaigns/{campaign_id}/report"]["get"]["responses"]["200"]["content"]
    assert "application/json" in report
