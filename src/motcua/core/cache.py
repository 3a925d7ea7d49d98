"""The database cache with an atomic `incr`, so rate-limit counters shared by every worker process are
exact: Django's own DatabaseCache increments by get-then-set, which loses counts when two workers hit
the same key at once (and resets the entry's expiry).

The row is locked for the increment: SELECT ... FOR UPDATE on PostgreSQL, and on SQLite the transaction
itself takes the write lock at BEGIN (settings use transaction_mode IMMEDIATE)."""
import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now


class SharedDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        db_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        q = connection.ops.quote_name
        table = q(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(f"SELECT {q('value')}, {q('expires')} FROM {table} WHERE {q('cache_key')} = %s{lock}",
                           [db_key])
            row = cursor.fetchone()
            if row is not None:
                expires = row[1]
                expression = models.Expression(output_field=models.DateTimeField())
                for converter in (connection.ops.get_db_converters(expression)
                                  + expression.get_db_converters(connection)):
                    expires = converter(expires, expression, connection)
            if row is None or expires < tz_now():
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) + delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET {q('value')} = %s WHERE {q('cache_key')} = %s", [encoded, db_key])
        return value
