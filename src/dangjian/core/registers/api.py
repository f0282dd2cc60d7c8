"""The register kit's API: a read-only viewset with the page's scope, FilterSet, `?org=CODE`
subtree, `?search=` (or `?q=`) and the project's pagination. A detail out of scope is 404;
a confidential register answers 403 on the list to anyone without its action and writes an
audit row per read (INTERFACES 8)."""

from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dangjian.core.registers.base import Register
from dangjian.core.registers.views import audit_read


class RegisterViewSet(viewsets.ReadOnlyModelViewSet):
    """Subclass with `register = SomeRegister.instance` and a `serializer_class`."""

    register: Register
    filter_backends = ()  # the register filters, as its page does

    def get_queryset(self):
        reg = self.register
        qs = reg.list_queryset(self.request.user)
        if self.action == "list":
            params = self.request.query_params.copy()
            for key, value in reg.api_defaults.items():
                params.setdefault(key, value)
            qs, _filterset = reg.filter(qs, params, self.request)
        return reg.ordered(qs)

    def list(self, request, *args, **kwargs):
        if not self.register.may_read(request.user):
            raise PermissionDenied(_("您没有查阅%(what)s的权限") % {"what": self.register.label})
        response = super().list(request, *args, **kwargs)
        audit_read(self.register, request.user, count=response.data.get("count"))
        return response

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit_read(self.register, request.user, obj)
        return Response(self.get_serializer(obj).data)
