"""Section: the base of every config model; collects unknown keys and cross-key problems at once."""
from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ModelWrapValidatorHandler, ValidationError, model_validator
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]


def _as_custom(error: ErrorDetails) -> InitErrorDetails:
    """Turn a reported error back into one pydantic can raise again, keeping type and text."""
    custom = PydanticCustomError(error["type"], "{msg}", {"msg": error["msg"]})
    return {"type": custom, "loc": error["loc"], "input": error.get("input")}


class Section(BaseModel):
    """Base of every config section: reports unknown keys and cross-key problems all at once."""

    model_config = ConfigDict(extra="forbid")
    hidden_keys: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def yaml_keys(cls) -> list[str]:
        """The keys a config file may use in this section."""
        return [name for name in cls.model_fields if name not in cls.hidden_keys]

    @classmethod
    def unknown_key(cls, key: object) -> str:
        """The message for a key this section does not know."""
        return f"unknown key {str(key)!r} (allowed: {', '.join(cls.yaml_keys())})"

    @classmethod
    def cross_check(cls, data: dict[str, Any]) -> list[Problem]:
        """Problems between keys of the raw section; subclasses add theirs."""
        return []

    @model_validator(mode="wrap")
    @classmethod
    def _collect(cls, data: Any, handler: ModelWrapValidatorHandler[Section]) -> Section:
        if not isinstance(data, dict):
            return handler(data)
        problems = [((key,), cls.unknown_key(key)) for key in data if key not in cls.model_fields]
        problems += cls.cross_check(data)
        errors: list[InitErrorDetails] = []
        try:
            model = handler({k: v for k, v in data.items() if k in cls.model_fields})
        except ValidationError as exc:
            if not problems:
                raise
            errors = [_as_custom(error) for error in exc.errors()]
        else:
            if not problems:
                return model
        for loc, message in problems:
            custom = PydanticCustomError("rasid_config", "{msg}", {"msg": message})
            errors.append({"type": custom, "loc": loc, "input": data})
        raise ValidationError.from_exception_data(cls.__name__, errors)


