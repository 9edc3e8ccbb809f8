"""The shared cache: which backend `CACHE_URL` names, and a database cache whose counters are atomic.

Django's `DatabaseCache.incr` is the generic get-then-set: two workers counting the same key at once
both read 4 and both write 5, and the `set` also restarts the key's expiry. Rate limits count with
`add` + `incr` (participation/limits.py), so the embedded default needs an `incr` that holds across
processes. This one locks the row first (a no-op UPDATE: a row lock on PostgreSQL, the write lock on
SQLite), then reads and writes it in the same transaction, and keeps the expiry. Redis's INCR is
atomic by itself.

For Redis the backend is Django's `RedisCache` with two changes that cost less per request: it keeps one
`redis.Redis` per connection pool (Django makes a new one for every command, and redis-py's constructor
fills a table of about 250 response callbacks each time), and `count_up_to` counts all the limits of a
request in ONE round trip (a small Lua script: INCR, EXPIRE when the key is new, stop at the first limit
that is over), where `add` + `incr` took three commands per limit.
"""

import base64
import pickle
from urllib.parse import urlsplit

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now

DEFAULT_TABLE = "django_cache"


def caches_from_url(url, key_prefix="meedoen"):
    """The CACHES setting for `CACHE_URL`: `redis://…`/`rediss://…` or `db://[table]` (also when unset)."""
    url = (url or "").strip()
    scheme = urlsplit(url).scheme if url else "db"
    if scheme in ("redis", "rediss"):
        default = {"BACKEND": "participation.cache.RedisCache", "LOCATION": url}
    elif scheme == "db":
        table = url[len("db://"):].strip("/") if url else ""
        default = {"BACKEND": "participation.cache.DatabaseCache", "LOCATION": table or DEFAULT_TABLE}
    else:
        raise ImproperlyConfigured(
            f"CACHE_URL must start with redis://, rediss:// or db:// (got {scheme}://). A per-process "
            "memory cache would let every worker count rate limits on its own."
        )
    default["KEY_PREFIX"] = key_prefix
    return {"default": default}


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, cache_key, value_column, expires = (quote(self._table), quote("cache_key"), quote("value"),
                                                   quote("expires"))
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0, tzinfo=None))
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {cache_key} = {cache_key} WHERE {cache_key} = %s AND {expires} > %s",
                [key, now],
            )
            if cursor.rowcount != 1:
                raise ValueError(f"Key '{key}' not found.")
            cursor.execute(f"SELECT {value_column} FROM {table} WHERE {cache_key} = %s", [key])
            value = cursor.fetchone()[0]
            new_value = pickle.loads(base64.b64decode(connection.ops.process_clob(value).encode())) + delta
            pickled = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET {value_column} = %s WHERE {cache_key} = %s", [pickled, key])
        return new_value


# KEYS: the counters, in order; ARGV: count, seconds for each. Counts each key in turn (a new key gets its
# window's expiry, as `add(key, 0, seconds)` + `incr` did) and stops at the first one over its count, so a
# request refused by an earlier limit is not counted by the later ones. Returns that key's position
# (1-based) or 0. Redis runs a script atomically: N workers together accept exactly `count`.
COUNT_UP_TO = """
for i, key in ipairs(KEYS) do
  local value = redis.call('INCR', key)
  if value == 1 then
    redis.call('EXPIRE', key, ARGV[2 * i])
  end
  if value > tonumber(ARGV[2 * i - 1]) then
    return i
  end
end
return 0
"""


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._count_script = None

    def get_client(self, key=None, *, write=False):
        # One redis.Redis per pool (a cache object belongs to one thread: Django's `caches` is per thread).
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client

    def count_up_to(self, counters):
        client = self.get_client(write=True)
        if self._count_script is None:
            self._count_script = client.register_script(COUNT_UP_TO)
        args = [number for _key, count, seconds in counters for number in (count, seconds)]
        position = self._count_script(keys=[key for key, _count, _seconds in counters], args=args, client=client)
        return int(position) - 1 if position else None


class RedisCache(DjangoRedisCache):
    """Django's RedisCache with a client that is made once, and `count_up_to` (see the module's text)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def count_up_to(self, counters, version=None):
        """`counters`: (key, count, seconds) in order. Counts one for each key until one is over its count
        (its window of `seconds` starts at its first count). Returns that one's position, or None."""
        return self._cache.count_up_to(
            [(self.make_and_validate_key(key, version=version), count, seconds) for key, count, seconds in counters])
