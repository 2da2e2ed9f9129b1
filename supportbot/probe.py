"""``python -m supportbot.probe database URL``: exit 0 if that database answers.

Used by the Makefile to decide whether a test tier can run here.
"""

import sys


def database_answers(url: str) -> bool:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    try:
        with psycopg.connect(
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=3,
        ):
            return True
    except psycopg.Error:
        return False


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] != "database":
        print("usage: python -m supportbot.probe database URL", file=sys.stderr)
        return 2
    return 0 if database_answers(argv[2]) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
