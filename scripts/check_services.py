"""Before the test suite: are PostgreSQL and Redis answering? Stop at once, saying how to
start them, rather than letting 200 tests fail one by one."""

import os
import sys
from urllib.parse import urlparse

START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
START_REDIS = (
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no '
    "--dir /var/lib/redis --logfile /var/log/redis/ci.log"
)


def check_postgres(url: str) -> str | None:
    import psycopg

    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return f"DATABASE_URL must point to PostgreSQL for the tests, not {parsed.scheme!r}."
    try:
        # Connect to the maintenance database: the test database is created by pytest-django.
        psycopg.connect(
            host=parsed.hostname,
            port=parsed.port or 5432,
            user=parsed.username,
            password=parsed.password,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError as error:
        return f"PostgreSQL at {parsed.hostname}:{parsed.port or 5432} is not answering ({error}).\n  Start it with: {START_POSTGRES}"
    return None


def check_redis(url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        return f"Redis at {url} is not answering ({error}).\n  Start it with: {START_REDIS}"
    return None


def main() -> int:
    problems = [
        problem
        for problem in (check_postgres(os.environ["DATABASE_URL"]), check_redis(os.environ["REDIS_URL"]))
        if problem
    ]
    for problem in problems:
        print(f"make test: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
