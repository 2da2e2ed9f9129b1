"""Shared by the benchmarks: a fresh PostgreSQL database for each run."""

from urllib.parse import urlsplit


def recreate_postgres_database(url: str) -> str:
    """Drop and create the database named in ``url``; return ``url``."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url
