"""Review keyboard shortcuts and wording: each action's key and button label, the script that turns a key press
into a click on that button, and the toast that says what a decision recorded."""

from __future__ import annotations

import json

from evidence.domain import DecisionKind, Framework
from evidence.review import Action
from evidence.store import DecisionRecord

SHORTCUTS: dict[Action, str] = {Action.accept: "a", Action.reject: "r", Action.relabel: "l",
                                Action.no_evidence: "n", Action.undo: "u"}
LABELS: dict[Action, str] = {Action.accept: "Accept", Action.reject: "Reject", Action.relabel: "Relabel",
                             Action.no_evidence: "No evidence", Action.undo: "Undo"}


def button_label(action: Action) -> str:
    """"Accept (a)": the button's label names its key, and the shortcut script finds the button by it."""
    return f"{LABELS[action]} ({SHORTCUTS[action]})"


def keys_help() -> str:
    """The keys in one line of Markdown: "**a** accept · **r** reject · …"."""
    return " · ".join(f"**{SHORTCUTS[a]}** {LABELS[a].lower()}" for a in LABELS)


def review_script() -> str:
    """The review page's shortcut script: every action's key clicks its button."""
    return shortcut_script({SHORTCUTS[a]: button_label(a) for a in LABELS})


def shortcut_script(shortcuts: dict[str, str]) -> str:
    """A script that clicks the button whose label contains the text mapped to the key pressed.

    Render it with ``st.html(script, unsafe_allow_javascript=True)``: it is fixed text with no user
    content.

    Keys are ignored while typing in a field or with a modifier held; Esc leaves the field. The
    listener sits on the app window in the capture phase (replacing any earlier copy), so a shortcut
    such as "r" reaches the page's button instead of Streamlit's own "rerun" key.
    """
    mapping = json.dumps({k.lower(): v for k, v in shortcuts.items()})
    return f"""<script>
(function () {{
  const host = window.parent;
  const doc = host.document;
  const keys = {mapping};
  if (host.__evidenceShortcuts) host.removeEventListener("keydown", host.__evidenceShortcuts, true);
  const typing = (el) => el && (el.isContentEditable || ["input", "textarea", "select"].includes(
      (el.tagName || "").toLowerCase()) || el.getAttribute && el.getAttribute("role") === "combobox");
  const handler = (event) => {{
    const active = doc.activeElement;
    if (event.key === "Escape" && typing(active) && active.getAttribute("aria-expanded") !== "true") {{
      active.blur();  // Esc leaves a field (a select's first Esc closes its menu), so shortcuts work again
      return;
    }}
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (typing(event.target) || typing(doc.activeElement)) return;
    const label = keys[(event.key || "").toLowerCase()];
    if (!label) return;
    const button = Array.from(doc.querySelectorAll("button")).find(
        (b) => (b.innerText || "").includes(label) && !b.disabled);
    if (!button) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    button.click();
  }};
  host.__evidenceShortcuts = handler;
  host.addEventListener("keydown", handler, true);
}})();
</script>"""


def describe(record: DecisionRecord, framework: Framework | None = None) -> str:
    """One line for a toast: what was recorded."""
    def name(cid: str | None) -> str:
        if cid and framework is not None:
            try:
                return framework.competency(cid).name
            except KeyError:
                return cid
        return cid or "-"

    at_level = ""
    if record.level:
        at_level = f" at {framework.level_phrase(record.level)}" if framework else f" at level {record.level}"
    if record.kind == "undo":
        about = f" ({name(record.competency or record.suggested_competency)})" if (
            record.competency or record.suggested_competency) else ""
        return f"Undid your last decision{about}; that sentence is back in the queue"
    if record.kind == DecisionKind.accepted.value:
        return f"Accepted {name(record.competency)}{at_level}"
    if record.kind == DecisionKind.rejected.value:
        return f"Rejected {name(record.suggested_competency)}"
    if record.kind == DecisionKind.relabelled.value:
        return f"Relabelled as {name(record.competency)}{at_level}"
    return "Marked as no evidence"
