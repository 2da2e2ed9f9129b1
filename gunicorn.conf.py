"""Production server settings: `gunicorn supportbot.wsgi` reads this file from the project folder."""

import gc
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "0") == "1" else None
timeout = 30


def post_worker_init(worker) -> None:
    """Get a worker ready before its first request, then keep the collector off what start-up made."""
    from supportbot.warmup import warm_up

    warm_up()
    # Long-lived start-up objects (the segmentation dictionary, the index, Django
    # itself) would otherwise be rescanned by every full collection, in the
    # middle of someone's request.
    gc.freeze()
