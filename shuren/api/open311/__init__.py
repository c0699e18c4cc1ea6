"""Open311 GeoReport v2 at /open311/v2/: partner systems file matters and read their status."""
