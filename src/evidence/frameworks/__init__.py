"""Frameworks: the built-in and imported catalogue, and import/export in the shapes HR teams keep.

- :mod:`~evidence.frameworks.catalogue`: list, load, validate and store frameworks;
- :mod:`~evidence.frameworks.interchange`: import from tables, ESCO skill lists and CASE JSON, export back;
- :mod:`~evidence.frameworks.case`: 1EdTech CASE JSON, read as the untrusted input it is, and written;
- :mod:`~evidence.frameworks.esco`: ESCO's own alternative labels and descriptions for imported skill lists.
"""

from evidence.frameworks.catalogue import get_framework, list_frameworks, load_framework_file

__all__ = ["get_framework", "list_frameworks", "load_framework_file"]
