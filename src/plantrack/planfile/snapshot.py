"""A validated plan kept in the cache: the same bytes are neither parsed nor validated again.

A plan is stored as pickled models, each as its plain twin of core.domain and its field
values. It is read back without pydantic by an unpickler that can build nothing but those
twins, statuses and dates: an entry written by someone else can at worst be a miss, never
code that runs. Whatever goes wrong while reading an entry makes it a miss; the plan is
then read as usual.

The entry is keyed by the file's bytes and the code (see cache.code_stamp); a plan is stored
only after it passed every rule, so a hit needs only the rules that depend on the day.
"""

from __future__ import annotations

import datetime as dt
import io
import pickle
from typing import TYPE_CHECKING, Any, cast

from plantrack.planfile import cache

if TYPE_CHECKING:
    from plantrack.core.model import Plan

KIND = "plan"
# Each new version of a plan adds an entry; the oldest beyond these are removed.
KEPT = 16
_DOMAIN = "plantrack.core.domain"


def restore(data: bytes) -> Plan | None:
    """The validated plan stored for these bytes, or None: made of core.domain's twins."""
    stored = cache.get(KIND, data)
    if stored is None:
        return None
    from plantrack.core import domain

    try:
        plan = _Unpickler(io.BytesIO(stored)).load()
    except Exception:  # any damage at all is a miss, never fatal
        return None
    # The twins answer as the models do; commands see them as the models they stand for.
    return cast("Plan", plan) if type(plan) is domain.Plan else None


def store(data: bytes, plan: Plan) -> None:
    """Keep the validated plan for these bytes; skipped when the cache is off or unwritable."""
    if cache.folder() is None:
        return
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(plan)
    except Exception:  # a plan that cannot be kept is read again next time, never a failure
        return
    cache.put(KIND, data, buffer.getvalue(), keep=KEPT)


class _Pickler(pickle.Pickler):
    """Pickles each model as its plain twin: the class, then its fields as the twin's state."""

    def __init__(self, file: io.BytesIO, protocol: int) -> None:
        super().__init__(file, protocol)
        from plantrack.core import domain, model

        self._twins = {getattr(model, name): twin for name, twin in domain.TWINS.items()}
        self._plan = domain.Plan
        # Only the plan keeps more than its fields: the maps its cached properties built.
        self._plan_fields = frozenset(model.Plan.model_fields)

    def reducer_override(self, obj: Any) -> Any:
        """Reduce a model to its twin's class and fields; leave the rest to pickle."""
        twin = self._twins.get(type(obj))
        if twin is None:
            return NotImplemented
        fields = obj.__dict__
        if twin is self._plan:
            fields = {name: fields[name] for name in self._plan_fields}
        # Read back by pickle alone, no Python code run: the twin called with nothing (it
        # has no __init__), then its __dict__ filled with the fields.
        return twin, (), fields


class _Unpickler(pickle.Unpickler):
    """Finds only the twins, the statuses and dates: nothing else can be called."""

    def find_class(self, module: str, name: str) -> Any:
        """The allowed class; anything else refuses the whole entry."""
        if module == _DOMAIN:
            from plantrack.core import domain

            if name in domain.TWINS or name == "Status":
                return getattr(domain, name)
        if module == "datetime" and name == "date":
            return dt.date
        raise pickle.UnpicklingError(f"{module}.{name}")
