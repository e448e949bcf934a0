# gunicorn.conf.py for the trend API (written for poolsim's tests)
import multiprocessing

bind = "unix:/run/gunicorn/trend.sock"
workers = 4
threads = 2
backlog = 64
timeout = 120  # slow historian queries
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
preload_app = True
worker_class = "gthread"
accesslog = "-"
loglevel = "info"

def on_starting(server):
    server.log.info("starting")
