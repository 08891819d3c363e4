"""Pydantic schemas of inputs, shared by the API, the pages and the spreadsheet import."""
