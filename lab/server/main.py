"""Serves tskernel's bundled JupyterLab 4.5 frontend (lab/app/static) with Debian's
jupyter_server 1.23 + jupyterlab_server 2.16. No `jupyterlab` Python package needed.

Run it through serve.sh, which sets the environment (data dirs, token, kernelspec path).
Environment:
  LAB_DATA       directory for settings, workspaces (required; serve.sh sets it)
  LAB_APP_DIR    the built app (default: ../app next to this file)
  LAB_LABEXTENSIONS  directory of prebuilt labextensions (default: LAB_APP_DIR/labextensions);
                 <dir>/labextensions of every JUPYTER_PATH entry comes first (that is where
                 `tskernel install --prefix P` puts @tskernel/labextension)
  LAB_APP_SETTINGS_DIR  app settings (overrides.json, page_config.json); default: the first
                 JUPYTER_PATH entry's lab/settings (where `tskernel install --prefix P` merges
                 its default variable filters), else LAB_DATA/app-settings
  LAB_API_STUBS  "0" turns off the /api/me and /api/events stubs (jupyter_server 2 APIs)
"""
import os
import sys

# Hermetic: ignore the user's and the system's Jupyter config files.
os.environ.setdefault("JUPYTER_NO_CONFIG", "1")

from jupyter_server.base.handlers import APIHandler, JupyterHandler  # noqa: E402
from jupyter_server.base.zmqhandlers import WebSocketMixin  # noqa: E402
from jupyterlab_server import LabServerApp  # noqa: E402
from tornado import web, websocket  # noqa: E402

# jupyter_server 2's MappingKernelManager.untracked_message_types default. JupyterLab >= 4 reads it
# from the page config and ignores iopub `status` messages whose parent is one of these (so a
# debug_request on the control channel does not flip the status bar to Idle while a cell is
# paused). jupyter_server 1.23 / jupyterlab_server 2.16 do not provide it.
UNTRACKED_MESSAGE_TYPES = [
    "comm_info_request", "comm_info_reply", "kernel_info_request", "kernel_info_reply",
    "shutdown_request", "shutdown_reply", "interrupt_request", "interrupt_reply",
    "debug_request", "debug_reply", "stream", "display_data", "update_display_data",
    "execute_input", "execute_result", "error", "status", "clear_output", "debug_event",
    "input_request", "input_reply",
]

HERE = os.path.dirname(os.path.abspath(__file__))
APP_DIR = os.path.abspath(os.environ.get("LAB_APP_DIR") or os.path.join(HERE, "..", "app"))
STATIC_DIR = os.path.join(APP_DIR, "static")
DATA_DIR = os.path.abspath(os.environ.get("LAB_DATA") or os.path.join(HERE, "..", "..", ".lab-data"))
JUPYTER_PATH = [os.path.abspath(p) for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
# Installed prefixes first (the first copy of an extension wins), then the app's own directory.
LABEXTENSIONS = [os.path.join(p, "labextensions") for p in JUPYTER_PATH] + [
    os.environ.get("LAB_LABEXTENSIONS") or os.path.join(APP_DIR, "labextensions")
]
# The settings overrides a JupyterLab installed in the first JUPYTER_PATH prefix would read.
APP_SETTINGS_DIR = os.environ.get("LAB_APP_SETTINGS_DIR") or (
    os.path.join(JUPYTER_PATH[0], "lab", "settings") if JUPYTER_PATH else os.path.join(DATA_DIR, "app-settings")
)


class MeHandler(APIHandler):
    """GET /api/me (jupyter_server 2's identity API): a fixed local identity."""

    @web.authenticated
    def get(self):
        user = self.current_user
        name = user if isinstance(user, str) and user else "user"
        self.finish(
            {
                "identity": {
                    "username": name,
                    "name": name,
                    "display_name": name,
                    "initials": name[:1].upper(),
                    "avatar_url": None,
                    "color": None,
                },
                "permissions": {},
            }
        )


class EventsStubHandler(WebSocketMixin, websocket.WebSocketHandler, JupyterHandler):
    """/api/events/subscribe (jupyter_server 2's event bus): an authenticated, silent socket."""

    async def get(self, *args, **kwargs):
        if self.current_user is None:
            raise web.HTTPError(403)
        return await super().get(*args, **kwargs)

    def on_message(self, message):
        pass


class TsKernelLabApp(LabServerApp):
    name = "lab"
    app_name = "JupyterLab"
    app_version = "4.5.11"
    extension_url = "/lab"
    default_url = "/lab"
    load_other_extensions = False
    file_url_prefix = "/lab/tree"

    static_dir = STATIC_DIR
    schemas_dir = os.path.join(STATIC_DIR, "schemas")
    themes_dir = os.path.join(STATIC_DIR, "themes")
    templates_dir = os.path.join(APP_DIR, "templates")
    app_settings_dir = APP_SETTINGS_DIR
    user_settings_dir = os.path.join(DATA_DIR, "user-settings")
    workspaces_dir = os.path.join(DATA_DIR, "workspaces")
    labextensions_path = LABEXTENSIONS

    def initialize_handlers(self):
        super().initialize_handlers()
        if os.environ.get("LAB_API_STUBS", "1") != "0":
            self.handlers.append((r"/api/me", MeHandler))
            self.handlers.append((r"/api/events/subscribe", EventsStubHandler))

    def initialize_settings(self):
        super().initialize_settings()
        self.settings["terminals_available"] = False
        page_config = self.settings.setdefault("page_config_data", {})
        page_config.setdefault("untracked_message_types", UNTRACKED_MESSAGE_TYPES)


def _jupyter_server_extension_points():
    return [{"module": __name__, "app": TsKernelLabApp}]


if __name__ == "__main__":
    if not os.path.isfile(os.path.join(STATIC_DIR, "bundle.js")):
        sys.exit(f"lab/server: {STATIC_DIR}/bundle.js is missing; build the app first (npm run build -w lab/app)")
    for d in (TsKernelLabApp.app_settings_dir, TsKernelLabApp.user_settings_dir, TsKernelLabApp.workspaces_dir):
        os.makedirs(d, exist_ok=True)
    TsKernelLabApp.launch_instance()
