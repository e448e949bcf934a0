# gunicorn under test: settings from the case (environment, set by lib.sh),
# a unix socket in the run's directory, and a log with millisecond
# timestamps that the load generator reads for restarts.
import os

run = os.environ["RUN"]
bind = "unix:" + run + "/gunicorn.sock"
backlog = int(os.environ["BACKLOG"])
workers = int(os.environ["WORKERS"])
worker_class = "sync"
timeout = int(os.environ["GUNICORN_TIMEOUT"])
graceful_timeout = int(os.environ["GUNICORN_GRACEFUL"])
max_requests = int(os.environ["MAX_REQUESTS"])
max_requests_jitter = 0
pidfile = run + "/gunicorn.pid"
daemon = True
chdir = os.environ["APP"]
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"ms": {"format": "%(created).6f [%(process)d] [%(levelname)s] %(message)s"}},
    "handlers": {"file": {"class": "logging.FileHandler", "filename": run + "/gunicorn.log", "formatter": "ms"}},
    "root": {"level": "INFO", "handlers": ["file"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["file"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}
