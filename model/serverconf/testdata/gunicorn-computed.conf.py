import multiprocessing
import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = multiprocessing.cpu_count() * 2 + 1
threads = 1
timeout = 30
