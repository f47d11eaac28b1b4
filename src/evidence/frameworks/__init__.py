"""Frameworks: the built-in and imported catalogue, and import/export in the shapes HR teams keep.

- :mod:`~evidence.frameworks.catalogue`: list, load, validate and store frameworks;
- :mod:`~evidence.frameworks.interchange`: the one import entry point (tables, ESCO skill lists, CASE JSON,
  framework files) and the exports;
- :mod:`~evidence.frameworks.tabular`: a table file (CSV/XLSX, any sheet) read as a framework, long or grid;
- :mod:`~evidence.frameworks.columns`: which column holds what, from headers and their synonyms;
- :mod:`~evidence.frameworks.tables` and :mod:`~evidence.frameworks.grids`: the long and grid layouts;
- :mod:`~evidence.frameworks.bullets`: a cell's list of indicators; :mod:`~evidence.frameworks.levels`: level
  names, ids and order; :mod:`~evidence.frameworks.builder`: a framework gathered row by row, stable ids;
- :mod:`~evidence.frameworks.options` and :mod:`~evidence.frameworks.problems`: what the importer may be told,
  and every problem reported at once in the words of the CLI or the app;
- :mod:`~evidence.frameworks.case` and :mod:`~evidence.frameworks.rubrics`: 1EdTech CASE JSON with its levels
  as rubrics, read as the untrusted input it is, and written;
- :mod:`~evidence.frameworks.esco`: ESCO's own alternative labels and descriptions for imported skill lists.
"""

from evidence.frameworks.catalogue import get_framework, list_frameworks, load_framework_file

__all__ = ["get_framework", "list_frameworks", "load_framework_file"]
