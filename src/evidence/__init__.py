"""evidence: suggests which competencies, at which level, a piece of free text evidences."""

from evidence.domain import Competency, Framework, Indicator, Level, Role
from evidence.errors import (
    EvidenceError,
    FrameworkError,
    InputError,
    ModelMissingError,
    NotFoundError,
)
from evidence.frameworks.catalogue import (
    get_framework,
    list_frameworks,
    load_framework_file,
)

__version__ = "0.1.0"

__all__ = [
    "Competency", "EvidenceError", "Framework", "FrameworkError", "Indicator", "InputError", "Level",
    "ModelMissingError", "NotFoundError", "Role", "get_framework", "list_frameworks", "load_framework_file",
]
