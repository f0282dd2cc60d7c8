from dangjian.core.context import reset_origin, set_origin


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_origin(client_ip(request), request.headers.get("X-Request-ID"))
        try:
            response = self.get_response(request)
        finally:
            reset_origin(token)
        return response
