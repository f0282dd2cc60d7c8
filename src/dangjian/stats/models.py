"""The counted tables' change counter, which lets computed figures be reused exactly
(stats.cache). Both tables are written by database triggers (stats.triggers), never by
the application, so no writer can forget them."""

from django.db import models


class DataVersion(models.Model):
    """One row. `base`: changes already folded in (SQLite's triggers add here directly);
    `epoch`: new whenever the row is created, so a flushed database never reuses an
    earlier epoch's numbers."""

    # Bookkeeping written by triggers, never by a service: no audit row names it.
    audited = False

    base = models.BigIntegerField(default=0)
    epoch = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.epoch}:{self.base}"


class DataChange(models.Model):
    """PostgreSQL: one row per transaction that wrote a counted table (inserted by a
    statement trigger, so concurrent writers never wait for each other). It becomes
    visible exactly when that transaction commits."""

    audited = False

    txid = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return str(self.txid)
