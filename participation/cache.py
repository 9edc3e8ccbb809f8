"""The shared cache: which backend `CACHE_URL` names, and a database cache whose counters are atomic.

Django's `DatabaseCache.incr` is the generic get-then-set: two workers counting the same key at once
both read 4 and both write 5, and the `set` also restarts the key's expiry. Rate limits count with
`add` + `incr` (participation/limits.py), so the embedded default needs an `incr` that holds across
processes. This one locks the row first (a no-op UPDATE: a row lock on PostgreSQL, the write lock on
SQLite), then reads and writes it in the same transaction, and keeps the expiry. Redis's INCR is
atomic by itself.
"""

import base64
import pickle
from urllib.parse import urlsplit

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now

DEFAULT_TABLE = "django_cache"


def caches_from_url(url, key_prefix="meedoen"):
    """The CACHES setting for `CACHE_URL`: `redis://…`/`rediss://…` or `db://[table]` (also when unset)."""
    url = (url or "").strip()
    scheme = urlsplit(url).scheme if url else "db"
    if scheme in ("redis", "rediss"):
        default = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
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
