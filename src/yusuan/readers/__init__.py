"""Readers: one per input format, each producing the shared `RawDocument` IR."""
