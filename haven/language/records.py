"""Small record classes for the checker's data (rules, matchers, findings).

The command line starts in well under a tenth of a second, and importing ``dataclasses`` (which pulls
in ``inspect``, ``ast`` and ``tokenize``) and building each class with it took about 10 ms of that.
A record here is a class with ``__slots__`` naming its fields in order and ``defaults`` giving the
values of the optional ones (a list or a dict default is copied for each record, as
``field(default_factory=...)`` would). It compares equal by fields, prints them, and ``replace`` makes
a changed copy, like ``dataclasses.replace``.
"""

from __future__ import annotations

from typing import Any


class Record:
    __slots__ = ()
    defaults: dict[str, Any] = {}
    frozen = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = self.__slots__
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__} takes at most {len(names)} values, got {len(args)}")
        for name in kwargs:
            if name not in names:
                raise TypeError(f"{type(self).__name__} has no field {name!r}")
        set_field = object.__setattr__
        for index, name in enumerate(names):
            if index < len(args):
                if name in kwargs:
                    raise TypeError(f"{type(self).__name__} got two values for {name!r}")
                value = args[index]
            elif name in kwargs:
                value = kwargs[name]
            elif name in self.defaults:
                value = self.defaults[name]
                if isinstance(value, (list, dict, set)):
                    value = type(value)(value)
            else:
                raise TypeError(f"{type(self).__name__} needs a value for {name!r}")
            set_field(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        if self.frozen:
            raise AttributeError(f"{type(self).__name__} cannot be changed")
        object.__setattr__(self, name, value)

    def fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def replace(self, **changes: Any):
        return type(self)(**{**self.fields(), **changes})

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    def __hash__(self) -> int:
        if not self.frozen:
            raise TypeError(f"unhashable type: {type(self).__name__!r}")
        return hash(tuple(getattr(self, name) for name in self.__slots__))

    def __repr__(self) -> str:
        inside = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({inside})"
