"""The cache is an optimisation: when its Redis is gone, pages compute and answer.

`FaultTolerantRedisCache` is Django's Redis cache whose reads miss and whose writes are
dropped while Redis does not answer (logged, at most once a minute per process). After a
failure it does not try Redis again for `RETRY_AFTER_SECONDS`, so a page does not wait for a
timeout on every cache call during an outage.

`add` and `incr` are different: callers count or lock with them (the public lookup limit, the
once-only Excel import), and a silent "miss" would mean "unlimited" or "already done". They
raise `CacheUnavailableError`, and each caller states its own policy.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0
_MISSING = object()


class CacheUnavailableError(Exception):
    """The cache's store did not answer a counting or locking call."""


class FaultTolerantRedisCache(RedisCache):
    # Per process: every cache object of the process shares what it learnt about the server.
    _down_until = 0.0
    _logged_at = 0.0

    def _failed(self, error: Exception) -> None:
        now = time.monotonic()
        FaultTolerantRedisCache._down_until = now + RETRY_AFTER_SECONDS
        if now - FaultTolerantRedisCache._logged_at >= LOG_EVERY_SECONDS:
            FaultTolerantRedisCache._logged_at = now
            logger.error("Cache Redis unavailable (%s): pages compute without it", error)

    def _usable(self) -> bool:
        return time.monotonic() >= FaultTolerantRedisCache._down_until

    def _tolerant(self, call, fallback):
        if not self._usable():
            return fallback
        try:
            return call()
        except RedisError as error:
            self._failed(error)
            return fallback

    def _strict(self, call):
        if not self._usable():
            raise CacheUnavailableError("cache Redis marked down")
        try:
            return call()
        except RedisError as error:
            self._failed(error)
            raise CacheUnavailableError(str(error)) from error

    # Reads miss, writes are dropped.
    def get(self, key, default=None, version=None):
        return self._tolerant(
            lambda: super(FaultTolerantRedisCache, self).get(key, default, version), default
        )

    def get_many(self, keys, version=None):
        return self._tolerant(lambda: super(FaultTolerantRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._tolerant(lambda: super(FaultTolerantRedisCache, self).has_key(key, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolerant(
            lambda: super(FaultTolerantRedisCache, self).set(key, value, timeout, version), None
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolerant(
            lambda: super(FaultTolerantRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolerant(
            lambda: super(FaultTolerantRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key, version=None):
        return self._tolerant(lambda: super(FaultTolerantRedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        return self._tolerant(lambda: super(FaultTolerantRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._tolerant(lambda: super(FaultTolerantRedisCache, self).clear(), False)

    def get_or_set(self, key, default, timeout=DEFAULT_TIMEOUT, version=None):
        """Computed when missing or when the cache is down; stored when it can be."""
        value = self.get(key, _MISSING, version=version)
        if value is _MISSING:
            value = default() if callable(default) else default
            self.set(key, value, timeout, version=version)
        return value

    # Counting and locking: the caller decides what an outage means.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._strict(lambda: super(FaultTolerantRedisCache, self).add(key, value, timeout, version))

    def incr(self, key, delta=1, version=None):
        return self._strict(lambda: super(FaultTolerantRedisCache, self).incr(key, delta, version))

    def decr(self, key, delta=1, version=None):
        return self._strict(lambda: super(FaultTolerantRedisCache, self).decr(key, delta, version))
