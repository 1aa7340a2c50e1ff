"""The package version; kept import-free so `mxgw version` stays cheap."""

__version__ = "0.1.0"
