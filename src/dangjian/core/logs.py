"""Log lines for operators (DANGJIAN_LOG_FORMAT): one per request from gunicorn and one per
warning or error from the app, as text or as one JSON object per line for a log collector.
Neither ever carries a full ID number: a search for one puts it in the query string."""

import json
import logging
import time

from gunicorn.glogging import Logger

from dangjian.core.validators import mask_id_numbers_in

# The atoms that repeat what a client sent: request line, path, query, referer, user agent.
CLIENT_ATOMS = ("r", "U", "q", "f", "a")
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def json_formatter() -> logging.Formatter:
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        JSON_FIELDS,
        datefmt=TIME_FORMAT,
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        json_ensure_ascii=False,
    )


class GunicornLogger(Logger):
    """gunicorn's logger with the client's text masked (text format)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in CLIENT_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = mask_id_numbers_in(atoms[key])
        return atoms


class JsonGunicornLogger(GunicornLogger):
    """One JSON object per request, and gunicorn's own messages as JSON too."""

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(json_formatter())
        for handler in self.access_log.handlers:
            handler.setFormatter(logging.Formatter("%(message)s"))

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        line = {
            "time": time.strftime(TIME_FORMAT),
            "level": "INFO",
            "logger": "gunicorn.access",
            "remote_addr": atoms["h"],
            "method": atoms["m"],
            "path": atoms["U"],
            "query": atoms["q"] or "",
            "status": int(atoms["s"]) if str(atoms["s"]).isdigit() else atoms["s"],
            "bytes": atoms["B"],
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "referer": atoms["f"],
            "user_agent": atoms["a"],
        }
        try:
            self.access_log.info(json.dumps(line, ensure_ascii=False))
        except Exception:  # pragma: no cover - gunicorn's own guard, kept
            self.exception("access log")
