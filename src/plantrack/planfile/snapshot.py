"""A validated plan kept in the cache: the same bytes are neither parsed nor validated again.

A plan is stored as pickled models, each reduced to its class and its field values. It is
read back by an unpickler that can build nothing but the plan's own models, statuses and
dates (a model is made by its class's __new__ and filled by pydantic's __setstate__): an entry written by someone else can at worst be a miss, never code that runs.
Whatever goes wrong while reading an entry makes it a miss; the plan is then read as usual.

The entry is keyed by the file's bytes and the code (see cache.code_stamp); a plan is stored
only after it passed every rule, so a hit needs only the rules that depend on the day.
"""

from __future__ import annotations

import copyreg
import datetime as dt
import io
import pickle
from typing import TYPE_CHECKING, Any

from plantrack.planfile import cache

if TYPE_CHECKING:
    from plantrack.core.model import Plan

KIND = "plan"
# Each new version of a plan adds an entry; the oldest beyond these are removed.
KEPT = 16
_MODEL_MODULE = "plantrack.core.model"
_MODELS = frozenset(
    {
        "Plan",
        "Unit",
        "Collective",
        "Section",
        "Task",
        "Clause",
        "Deadline",
        "Target",
        "Progress",
        "Reporting",
        "Status",
    }
)


def restore(data: bytes) -> Plan | None:
    """The validated plan stored for these bytes, or None."""
    stored = cache.get(KIND, data)
    if stored is None:
        return None
    from plantrack.core.model import Plan

    try:
        plan = _Unpickler(io.BytesIO(stored)).load()
    except Exception:  # any damage at all is a miss, never fatal
        return None
    return plan if type(plan) is Plan else None


def store(data: bytes, plan: Plan) -> None:
    """Keep the validated plan for these bytes; skipped when the cache is off or unwritable."""
    if cache.folder() is None:
        return
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(plan)
    cache.put(KIND, data, buffer.getvalue(), keep=KEPT)


class _Pickler(pickle.Pickler):
    """Pickles each model as its class and field values (not the plan's cached maps)."""

    def __init__(self, file: io.BytesIO, protocol: int) -> None:
        super().__init__(file, protocol)
        from plantrack.core import model

        self._models = {getattr(model, name) for name in _MODELS if name != "Status"}
        # Only the plan keeps more than its fields: the maps its cached properties built.
        self._plan_fields = frozenset(model.Plan.model_fields)

    def reducer_override(self, obj: Any) -> Any:
        """Reduce a model to its class and pydantic's own state; leave the rest to pickle."""
        cls = type(obj)
        if cls not in self._models:
            return NotImplemented
        fields = obj.__dict__
        if cls.__name__ == "Plan":
            fields = {name: fields[name] for name in self._plan_fields}
        # Read back as pickle reads any object: cls.__new__, then pydantic's __setstate__.
        state = {
            "__dict__": fields,
            "__pydantic_fields_set__": obj.__pydantic_fields_set__,
            "__pydantic_extra__": None,
            "__pydantic_private__": None,
        }
        return copyreg.__newobj__, (cls,), state  # type: ignore[attr-defined]  # not in typeshed


class _Unpickler(pickle.Unpickler):
    """Finds only the plan's models and dates: nothing else can be called."""

    def find_class(self, module: str, name: str) -> Any:
        """The allowed class or function; anything else refuses the whole entry."""
        if module == _MODEL_MODULE and name in _MODELS:
            from plantrack.core import model

            return getattr(model, name)
        if module == "datetime" and name == "date":
            return dt.date
        raise pickle.UnpicklingError(f"{module}.{name}")
