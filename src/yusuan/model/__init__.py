"""The typed model of a disclosure."""
