"""Write the worked examples of framework files under data/frameworks-examples/, one per shape HR teams hold.

The framework is written here, for these examples only (the wording is ours, not any published framework's):
five competencies in two clusters, four levels, positive indicators at each level and negative indicators
of no particular level. It is written out in four shapes:

* ``long-bom.csv``: a long table, UTF-8 with a byte-order mark (Excel's "CSV UTF-8"), capitalised synonym
  headers (Capability, Cluster, Definition, Grade, Behaviour, Ineffective behaviour), level cells like
  ``Level 1 (AA/AO)``;
* ``grid-two-sheets.xlsx``: a grid (one competency a row, one column per level, bullets in the cells) on the
  second sheet of a workbook whose first sheet is a cover page, with a title row above the header;
* ``grid-semicolon-cp1252.csv``: a grid saved as Excel on Windows saves "CSV" in much of Europe:
  semicolon-separated, Windows-1252, levels named Foundation, Practitioner, Expert, Leading, numbered lists;
* ``case-rubric.json``: a 1EdTech CASE 1.1 package as another CASE tool would publish it: the competencies as
  CFItems and the levels as a CFRubric whose level descriptions list the indicators (no ``extensions``).

Run ``python -m scripts.make_framework_examples`` from the repository root; the files come out the same
time (the workbook's content; its zip carries the time it was written). ``tests/frameworks/test_examples.py`` imports each and checks it against :data:`FRAMEWORK`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd

from evidence.domain import Framework, slugify
from evidence.frameworks.case import to_case

OUT = Path(__file__).resolve().parents[1] / "data" / "frameworks-examples"
NAME = "Harbour Trust capability framework"
LEVELS = ["Level 1 (AA/AO)", "Level 2 (EO)", "Level 3 (HEO/SEO)", "Level 4 (G6/G7)"]
GRID_CSV_LEVELS = ["Foundation", "Practitioner", "Expert", "Leading"]  # the same scale, named as words

# cluster, competency, definition, indicators at each level (lowest first), negative indicators
FRAMEWORK: list[tuple[str, str, str, list[list[str]], list[str]]] = [
    ("Working with people", "Listening and responding",
     "Hears what people say and mean, and answers in a way that shows it.",
     [["Lets people finish before replying",
       "Checks they have understood a request by repeating the key points back"],
      ["Asks open questions to find out what a customer actually needs",
       "Notices when someone is unhappy and changes how they respond"],
      ["Summarises different views in a meeting fairly, including ones they disagree with",
       "Adapts the same message for colleagues, partners and the public"],
      ["Creates regular ways for staff and service users to raise concerns, and acts on what they hear",
       "Explains difficult decisions in person and stays to take questions"]],
     ["Talks over others or finishes their sentences", "Dismisses feedback without considering it"]),
    ("Working with people", "Working together",
     "Builds working relationships that get things done across teams.",
     [["Offers help to colleagues when their own work is done",
       "Shares information the team needs without being asked"],
      ["Agrees who does what when working with another team", "Resolves small disagreements directly and politely"],
      ["Brings people from different teams together to solve a shared problem",
       "Gives credit to others for joint achievements"],
      ["Sets up partnerships with other organisations and keeps them working when priorities change",
       "Removes obstacles that stop teams sharing resources"]],
     ["Keeps information to themselves to stay in control"]),
    ("Delivering results", "Planning and organising",
     "Turns goals into realistic plans and keeps them on track.",
     [["Keeps a simple list of tasks and deadlines and works through it in order",
       "Tells their manager early when a deadline is at risk"],
      ["Breaks a piece of work into steps with dates and owners", "Plans around known busy periods and leave"],
      ["Manages a project plan with milestones, risks and a budget",
       "Moves people and money between tasks when plans change"],
      ["Sets the yearly plan for a service and links it to the organisation’s priorities",
       "Stops work that no longer meets its purpose"]],
     ["Starts tasks without checking what is needed or by when"]),
    ("Delivering results", "Using evidence",
     "Uses facts and figures – not hunches – to make and explain decisions.",
     [["Records figures accurately and double-checks them", "Finds the right report or record when asked"],
      ["Spots a trend in monthly figures and reports it", "Checks where information comes from before using it"],
      ["Designs a simple survey to answer a question the team has",
       "Weighs up options on cost and impact before recommending one"],
      ["Commissions research to inform a change in policy", "Publishes the evidence behind major decisions"]],
     ["Relies on a single anecdote to make a decision"]),
    ("Delivering results", "Improving how we work",
     "Looks for better, simpler and cheaper ways to deliver the service.",
     [["Suggests small changes that would save time in their own tasks", "Tries a new system or tool when asked"],
      ["Tests an improvement on a small scale before asking to roll it out",
       "Writes down a new process so others can follow it"],
      ["Leads a review of a process with the people who use it",
       "Measures whether a change has worked and reports back"],
      ["Builds a culture where staff are expected to challenge how things are done",
       "Invests in changes that pay back over several years"]],
     ["Resists changes without giving reasons"]),
]


def framework() -> Framework:
    """:data:`FRAMEWORK` as a framework (for the CASE package)."""
    groups = list(dict.fromkeys(group for group, *_ in FRAMEWORK))
    competencies = []
    for group, name, definition, by_level, negative in FRAMEWORK:
        comp_id = slugify(name)
        indicators = [{"id": f"{comp_id}.{n}.{i:02d}", "text": text, "level": str(n)}
                      for n, texts in enumerate(by_level, start=1) for i, text in enumerate(texts, start=1)]
        indicators += [{"id": f"{comp_id}.x.{i:02d}", "text": text, "polarity": "negative"}
                       for i, text in enumerate(negative, start=1)]
        competencies.append({"id": comp_id, "name": name, "group": slugify(group), "description": definition,
                             "indicators": indicators})
    return Framework.model_validate({
        "id": "harbour-trust", "name": NAME,
        "levels": [{"id": str(n), "name": name} for n, name in enumerate(LEVELS, start=1)],
        "groups": [{"id": slugify(g), "name": g} for g in groups], "competencies": competencies})


def long_csv() -> bytes:
    rows = []
    for group, name, definition, by_level, negative in FRAMEWORK:
        for level, texts in zip(LEVELS, by_level, strict=True):
            rows += [{"Capability": name, "Cluster": group, "Definition": definition, "Grade": level,
                      "Behaviour": text, "Ineffective behaviour": ""} for text in texts]
        rows += [{"Capability": name, "Cluster": group, "Definition": definition, "Grade": "", "Behaviour": "",
                  "Ineffective behaviour": text} for text in negative]
    buffer = io.StringIO()
    pd.DataFrame(rows).to_csv(buffer, index=False, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")


def grid_xlsx(path: Path) -> None:
    cover = pd.DataFrame({NAME: ["Grid version: one row per capability, one column per level.",
                                 "The framework is on the next sheet.", "Owner: People team"]})
    rows = []
    for group, name, definition, by_level, negative in FRAMEWORK:
        cells = {}
        for level, texts in zip(LEVELS, by_level, strict=True):
            # the first bullet of each cell is broken over two lines, as Word wraps a pasted list
            first, *rest = texts
            head, _, tail = first.rpartition(" ")
            cells[level] = "\n".join([f"• {head}", f"  {tail}"] + [f"• {t}" for t in rest])
        rows.append({"Competency": name, "Cluster": group, "Description": definition, **cells,
                     "Negative indicators": "\n".join(f"• {t}" for t in negative)})
    grid = pd.DataFrame(rows)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        cover.to_excel(writer, sheet_name="About", index=False)
        pd.DataFrame([[f"{NAME} (grid)"]]).to_excel(writer, sheet_name="Framework", index=False, header=False)
        grid.to_excel(writer, sheet_name="Framework", index=False, startrow=2)


def grid_csv() -> bytes:
    header = ["Competency", "Description", *GRID_CSV_LEVELS, "Not effective"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for _, name, definition, by_level, negative in FRAMEWORK:
        cells = ["\n".join(f"{i}. {t}" for i, t in enumerate(texts, start=1)) for texts in by_level]
        writer.writerow([name, definition, *cells, "\n".join(f"- {t}" for t in negative)])
    return buffer.getvalue().encode("cp1252")


def case_package() -> dict:
    """Our CASE export as another tool would publish it: no extensions, competencies as items, levels as a rubric
    (which lists each level's indicators in its descriptions)."""
    package = to_case(framework())
    kept = {i["identifier"] for i in package["CFItems"] if i["CFItemType"] in ("Group", "Competency")}
    package["CFItems"] = [{k: v for k, v in i.items() if k != "extensions"} for i in package["CFItems"]
                          if i["identifier"] in kept]
    package["CFAssociations"] = [a for a in package["CFAssociations"] if a["originNodeURI"]["identifier"] in kept]
    package["CFDocument"] = {k: v for k, v in package["CFDocument"].items() if k != "extensions"}
    package["CFDocument"]["creator"] = "Harbour Trust people team"
    return package


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "long-bom.csv").write_bytes(long_csv())
    grid_xlsx(OUT / "grid-two-sheets.xlsx")
    (OUT / "grid-semicolon-cp1252.csv").write_bytes(grid_csv())
    (OUT / "case-rubric.json").write_text(json.dumps(case_package(), ensure_ascii=False, indent=1) + "\n",
                                          encoding="utf-8")
    for path in sorted(OUT.iterdir()):
        print(f"wrote {path.relative_to(OUT.parents[1])} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
