"""Base for API viewsets: every queryset through restrict(user, action)."""

from rest_framework import viewsets

from dangjian.core.roles import Action


class RestrictedViewSetMixin:
    def get_queryset(self):
        return self.base_queryset().restrict(self.request.user, Action.VIEW)

    def base_queryset(self):  # pragma: no cover - each viewset defines it
        raise NotImplementedError


class RestrictedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
