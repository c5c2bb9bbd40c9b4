"""Bulk extraction: reading and extraction as Ray Data over a cluster, results to the ledger or to Parquet
shards that `load_shards` brings into any ledger. Ray is imported only in `newsledger.bulk.ray_engine`."""

from newsledger.bulk.ray_engine import add_with_ray
from newsledger.bulk.records import load_shards

__all__ = ["add_with_ray", "load_shards"]
