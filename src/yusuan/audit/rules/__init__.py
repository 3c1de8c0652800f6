"""Rule families; importing this package registers every rule."""

from yusuan.audit.rules import (  # noqa: F401
    arithmetic,
    codes,
    completeness,
    cross,
    execution,
    format,
    kinds,
    narrative,
    narrative_inferred,
    selfeval,
    sums,
    template,
    text_quality,
    years,
    yoy,
)
