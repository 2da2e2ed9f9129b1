"""The bare apps get the product's worker model and nothing else."""

workers = 3
worker_class = "gthread"
threads = 4
