#!/bin/sh
# InfluxQL (Grafana's dashboards) reads database "riskstream" through this mapping onto the bucket.
set -e
bucket_id=$(influx bucket list --name riskstream --hide-headers | cut -f1)
influx v1 dbrp create --db riskstream --rp autogen --bucket-id "$bucket_id" --default
