"""easyread over HTTP: `easyread serve` (see docs/service.md).

`app` is the ASGI app and its routes, `workers` the processes that render, `edge` what may reach
the server and how slowly.
"""

from easyread.service.app import JsonLines, create_app, log_config, openapi_schema, serve
from easyread.service.edge import forbid_outbound
from easyread.service.workers import Settings

__all__ = ["JsonLines", "Settings", "create_app", "forbid_outbound", "log_config", "openapi_schema", "serve"]
