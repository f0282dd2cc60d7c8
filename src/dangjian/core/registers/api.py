"""The register kit's API: a read-only viewset with the page's scope, FilterSet, `?org=CODE`
subtree, `?search=` (or `?q=`) and the project's pagination. A detail out of scope is 404;
a confidential register answers 403 on the list to anyone without its action and writes an
audit row per read (INTERFACES 8)."""

import django_filters
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.filters import BaseFilterBackend
from rest_framework.response import Response

from dangjian.core.registers.base import Register
from dangjian.core.registers.views import audit_read, audit_refused


# A register's record as the API shows it. Named in Meta.fields, `<field>_display` is the
# label of the field's choice, and a relation to a record with a code (an org, a school) is
# that code; both read-only, so no serializer declares them one by one. (A comment, not a
# docstring: the schema would show it as every subclass's description.)
class RegisterSerializer(serializers.ModelSerializer):
    def build_field(self, field_name, info, model_class, nested_depth):
        choice = field_name.removesuffix("_display")
        if choice != field_name and hasattr(model_class, f"get_{choice}_display"):
            return serializers.CharField, {"source": f"get_{choice}_display", "read_only": True}
        return super().build_field(field_name, info, model_class, nested_depth)

    def build_relational_field(self, field_name, relation_info):
        fields = relation_info.related_model._meta.get_fields()
        if not relation_info.to_many and any(f.name == "code" for f in fields):
            # A link that may be empty says so in the schema (the schema test holds answers to it).
            nullable = bool(getattr(relation_info.model_field, "null", False))
            return serializers.SlugRelatedField, {
                "slug_field": "code",
                "read_only": True,
                "allow_null": nullable,
            }
        return super().build_relational_field(field_name, relation_info)


class RegisterFilterBackend(BaseFilterBackend):
    """The register's own filtering (the page's), documented in the OpenAPI schema. An
    invalid value is ignored as on the page, never a 500."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        reg = view.register
        params = request.query_params.copy()
        for key, value in reg.api_defaults.items():
            params.setdefault(key, value)
        queryset, _filterset = reg.filter(queryset, params, request)
        return queryset

    def get_schema_operation_parameters(self, view):
        reg = view.register
        parameters = []
        if reg.searchable:
            parameters.append(_parameter("search", str(reg.search_placeholder or reg.search_label)))
        for name, item in reg.filterset_class().base_filters.items():
            schema = {"type": "string"}
            choices = item.extra.get("choices")
            if isinstance(item, django_filters.ChoiceFilter) and choices and not callable(choices):
                schema["enum"] = [str(value) for value, _label in choices]
            if isinstance(item, django_filters.DateFilter):
                schema["format"] = "date"
            parameters.append(_parameter(name, str(item.label or name), schema))
        return parameters


def _parameter(name: str, description: str, schema=None) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


class RegisterViewSet(viewsets.ReadOnlyModelViewSet):
    """Subclass with `register = SomeRegister.instance` and a `serializer_class`."""

    register: Register
    filter_backends = (RegisterFilterBackend,)

    def get_queryset(self):
        return self.register.ordered(self.register.list_queryset(self.request.user))

    def list(self, request, *args, **kwargs):
        if not self.register.may_read(request.user):
            audit_refused(self.register, request.user)
            raise PermissionDenied(_("您没有查阅%(what)s的权限") % {"what": self.register.label})
        response = super().list(request, *args, **kwargs)
        audit_read(self.register, request.user, count=response.data.get("count"))
        return response

    def retrieve(self, request, *args, **kwargs):
        try:
            obj = self.get_object()
        except Http404:
            audit_refused(self.register, request.user, self.kwargs.get(self.lookup_field))
            raise
        audit_read(self.register, request.user, obj)
        return Response(self.get_serializer(obj).data)
