"""The JSON API (django-ninja), with its OpenAPI schema at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(title="backcare API", version="1")
