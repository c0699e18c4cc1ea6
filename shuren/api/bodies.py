"""The API's request bodies: JSON, or the same fields form-encoded — the way a plain HTML form, an
Open311 client or the shared scope-matrix test posts. A field the schema declares as a list is
read from the repeated form field (parties=3&parties=4), as a form with checkboxes sends it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, get_origin

from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from ninja.errors import HttpError
from ninja.params.models import BodyModel
from ninja.params.models import Param as NinjaParam

if TYPE_CHECKING:
    from ninja import NinjaAPI

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _list_fields(model: Any) -> set[str]:
    return {
        name
        for name, field in getattr(model, "model_fields", {}).items()
        if get_origin(field.annotation) is list
    }


class _JsonOrFormModel(BodyModel):
    @classmethod
    def get_request_data(
        cls, request: HttpRequest, api: NinjaAPI, path_params: dict[str, Any]
    ) -> dict[str, Any] | None:
        if request.content_type not in FORM_TYPES:
            return super().get_request_data(request, api, path_params)
        try:
            data: dict[str, Any] = request.POST.dict()
        except MultiPartParserError as exc:  # a form body that does not match its header
            raise HttpError(400, "Cannot parse request body") from exc
        varname = getattr(cls, "__read_from_single_attr__", None)
        schema = cls.model_fields[varname].annotation if varname else cls
        for name in _list_fields(schema) & set(request.POST):
            data[name] = request.POST.getlist(name)
        return {varname: data} if varname else data


class JsonOrForm(NinjaParam):  # type: ignore[misc]
    _model = _JsonOrFormModel

    @classmethod
    def _param_source(cls) -> str:
        return "body"  # documented as the JSON body it also is
