"""Review keyboard shortcuts and wording: each command's key (remappable, kept in the page's address), the button
labels that name them, the script that turns a key press into the click on the card it was pressed for, and the
toast that says what a decision recorded.

Number keys pick the suggestion a decision is about (1 = the top one); Shift with a number key picks the relabel
level (Shift+0: no level). The letter keys are the reviewer's own choice (:class:`KeyMap`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from evidence.domain import DecisionKind, Framework
from evidence.review import Action
from evidence.store import FLAG, SKIP, DecisionRecord

# the commands a letter key may trigger: the card's actions, and "competency" (focus the relabel competency box)
COMMANDS = ("accept", "reject", "relabel", "no_evidence", "skip", "flag", "undo", "competency")
DEFAULT_KEYS: dict[str, str] = {"accept": "a", "reject": "r", "relabel": "l", "no_evidence": "n", "skip": "s",
                                "flag": "f", "undo": "u", "competency": "c"}
NAMES: dict[str, str] = {"accept": "Accept", "reject": "Reject", "relabel": "Relabel", "no_evidence": "No evidence",
                         "skip": "Skip", "flag": "Flag", "undo": "Undo", "competency": "Choose the relabel competency"}
# keys a command may not take: numbers pick suggestions and levels, and these already mean something in a page
RESERVED = frozenset("0123456789 ") | {"/", "?"}
KEY_PARAM = "keys"  # the query parameter that keeps a reviewer's keys: ?keys=accept:a,reject:x,...
WAITING_MS = 1500  # a key waits at most this long for the run its previous key started to show; a run starts within
# about 0.1 s of a click on this machine, and one that has started is waited for to its end however long it takes

# kept for callers that name an action: the Action -> command mapping
SHORTCUTS: dict[Action, str] = {a: DEFAULT_KEYS[a.value] for a in Action}
LABELS: dict[Action, str] = {a: NAMES[a.value] for a in SHORTCUTS}


@dataclass(frozen=True)
class KeyMap:
    """A reviewer's letter keys, one per command in :data:`COMMANDS`."""

    keys: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_KEYS))

    def key(self, command: str) -> str:
        return self.keys[command]

    def to_param(self) -> str:
        """"accept:a,reject:r,...": the form kept in the page's address (only keys that differ from the default)."""
        return ",".join(f"{c}:{k}" for c, k in self.keys.items() if DEFAULT_KEYS.get(c) != k)

    @classmethod
    def from_param(cls, text: str | None) -> KeyMap:
        """The map an address's ``keys`` parameter names; a broken one gives the defaults (never an error page)."""
        chosen: dict[str, str] = {}
        for part in (text or "").split(","):
            command, _, key = part.partition(":")
            if command in DEFAULT_KEYS and key:
                chosen[command] = key
        keys, problems = checked_keys({**DEFAULT_KEYS, **chosen})
        return cls(keys) if not problems else cls()


def checked_keys(chosen: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The keys a reviewer typed (command -> key), lower-cased, and what is wrong with them (empty when usable):
    each command needs one letter or punctuation key of its own, and not a number key."""
    keys = {c: (chosen.get(c) or "").strip().lower() for c in COMMANDS}
    problems = []
    for command, key in keys.items():
        if len(key) != 1:
            problems.append(f"{NAMES[command]}: type one key, not {key!r}" if key else f"{NAMES[command]}: no key")
        elif key in RESERVED:
            problems.append(f"{NAMES[command]}: {key!r} is taken (number keys pick suggestions and levels)")
    seen: dict[str, str] = {}
    for command, key in keys.items():
        if key and key in seen:
            problems.append(f"{NAMES[command]} and {NAMES[seen[key]]} both use {key!r}: give each its own key")
        seen.setdefault(key, command)
    return keys, problems


def button_label(action: Action, keymap: KeyMap | None = None) -> str:
    """"Accept (a)": the button's label names its key."""
    return f"{LABELS[action]} ({(keymap or KeyMap()).key(action.value)})"


def keys_help(keymap: KeyMap | None = None, *, levels: int = 0) -> str:
    """The keys in one line of Markdown: "**1**-**9** pick the suggestion · **a** accept · …"."""
    keymap = keymap or KeyMap()
    parts = ["**1**–**9** pick the suggestion"]
    if levels:
        parts.append(f"**Shift+1**–**Shift+{min(levels, 9)}** pick the level (**Shift+0** none)")
    parts += [f"**{_shown(keymap.key(c))}** {NAMES[c].lower()}" for c in COMMANDS]
    return " · ".join(parts)


def _shown(key: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>:~$])", r"\\\1", key)  # a punctuation key shown as itself


def review_script(keymap: KeyMap | None = None) -> str:
    """The review page's shortcut script (render with ``st.html(..., unsafe_allow_javascript=True)``; it is our
    fixed text, and a key is one character from :func:`checked_keys`, written as JSON).

    A key press applies to the card on screen when it was pressed: the script reads the card's unit id from the
    card's element (``review-card-<unit>``) and clicks that card's own button (``review-accept-<unit>``). While
    the page is running (a spinner, the next card loading) keys wait, and when the run ends each is applied only
    if its card is still the one on screen, else dropped with a note; the page checks the card again when the
    click arrives (routes/review.py). Keys are ignored while typing in a field or with Ctrl, Alt or Cmd held;
    Esc leaves the field. The listener sits on the app window in the capture phase (replacing any earlier copy),
    so a shortcut such as "r" reaches the page's button instead of Streamlit's own "rerun" key.
    """
    keymap = keymap or KeyMap()
    mapping = json.dumps({key: command for command, key in keymap.keys.items()})
    return SCRIPT.replace("__KEYS__", mapping).replace("__WAITING_MS__", str(WAITING_MS))


SCRIPT = """<script>
(function () {
  const host = window.parent;
  const doc = host.document;
  const keys = __KEYS__;
  const scoped = ["accept", "reject", "relabel", "no_evidence", "skip", "flag"];
  if (host.__evidenceShortcuts) host.removeEventListener("keydown", host.__evidenceShortcuts, true);
  if (host.__evidenceTimer) host.clearInterval(host.__evidenceTimer);
  const state = {pending: [], awaiting: null, scrolled: null};
  const typing = (el) => el && !["radio", "checkbox", "button"].includes((el.type || "").toLowerCase()) && (
      el.isContentEditable || ["input", "textarea", "select"].includes((el.tagName || "").toLowerCase())
      || (el.getAttribute && el.getAttribute("role") === "combobox"));
  const running = () => doc.querySelector("[data-testid=stApp][data-test-script-state=running], " +
      "[data-testid=stApp][data-test-script-state=rerunRequested]") !== null;
  const cardId = () => {
    for (const el of doc.querySelectorAll("[class*='st-key-review-card-']")) {
      const found = el.className.match(/st-key-review-card-(\\d+)/);
      if (found) return found[1];
    }
    return null;
  };
  const note = (text) => {
    let box = doc.getElementById("ev-key-note");
    if (!box) {
      box = doc.createElement("div");
      box.id = "ev-key-note";
      box.setAttribute("role", "status");
      box.style.cssText = "position:fixed;bottom:1rem;right:1rem;z-index:99999;background:#333;color:#fff;" +
          "padding:0.5rem 0.8rem;border-radius:6px;font-size:0.9rem";
      doc.body.appendChild(box);
    }
    box.textContent = text;
    box.style.display = "block";
    host.clearTimeout(host.__evidenceNote);
    host.__evidenceNote = host.setTimeout(() => { box.style.display = "none"; }, 2500);
  };
  const command = (event) => {
    const digit = /^(Digit|Numpad)([0-9])$/.exec(event.code || "");
    if (digit) {
      const n = Number(digit[2]);
      return event.shiftKey ? {radio: "review-level", index: n} : (n ? {radio: "review-rank", index: n - 1} : null);
    }
    const name = keys[(event.key || "").toLowerCase()];
    return name ? {name: name} : null;
  };
  const perform = (cmd, card) => {
    if (cmd.radio) {
      const group = card && doc.querySelector(".st-key-" + cmd.radio + "-" + card);
      const options = group ? group.querySelectorAll("[role=radiogroup] label") : [];
      if (cmd.index >= options.length) return false;
      options[cmd.index].click();
      if (doc.activeElement && doc.activeElement.blur) doc.activeElement.blur();  // the keys stay with the page
      return true;
    }
    if (cmd.name === "flag") {  // a flag needs a comment: an empty comment box gets the keys first
      const comment = card && doc.querySelector(".st-key-review-comment-" + card + " input");
      if (comment && !comment.value.trim()) {
        comment.focus();
        note("Say in the comment why you flag it, press Enter, then Esc and the flag key again.");
        return false;
      }
    }
    if (cmd.name === "competency") {
      const box = card && doc.querySelector(".st-key-review-relabel-comp-" + card + " input");
      if (!box) return false;
      box.focus();
      box.click();
      return false;  // the field has the keys now; no run to wait for
    }
    const selector = scoped.includes(cmd.name) ? ".st-key-review-" + cmd.name + "-" + card + " button"
                                               : ".st-key-review-" + cmd.name + " button";
    if (scoped.includes(cmd.name) && !card) return false;
    const button = doc.querySelector(selector);
    if (!button || button.disabled) return false;
    button.click();
    return true;
  };
  if (host.__evidenceObserver) host.__evidenceObserver.disconnect();
  const app = doc.querySelector("[data-testid=stApp]");
  host.__evidenceObserver = new MutationObserver(() => {  // a run too short for the timer still counts as seen
    if (state.awaiting && running()) state.awaiting.seen = true;
  });
  if (app) host.__evidenceObserver.observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
  const apply = (cmd, card) => {
    if (perform(cmd, card)) state.awaiting = {seen: false, at: Date.now()};
  };
  const tick = () => {
    if (state.awaiting) {
      if (running()) state.awaiting.seen = true;
      else if (state.awaiting.seen || Date.now() - state.awaiting.at > __WAITING_MS__) state.awaiting = null;
    }
    const card = cardId();
    if (card && card !== state.scrolled && !running()) {  // the unit in view inside its statement box
      const box = doc.querySelector(".st-key-review-card-" + card + " .ev-card-statement");
      const mark = box && box.querySelector("mark");
      if (box && mark) box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - box.clientHeight / 3);
      state.scrolled = card;
    }
    if (!state.pending.length || state.awaiting || running()) return;
    const next = state.pending.shift();
    if (next.card !== card) {
      state.pending = state.pending.filter((p) => p.card === card);
      note("A key pressed for the previous card was not applied: this is a new card.");
      return;
    }
    apply(next.cmd, card);
  };
  const handler = (event) => {
    const active = doc.activeElement;
    if (event.key === "Escape" && typing(active) && active.getAttribute("aria-expanded") !== "true") {
      active.blur();  // Esc leaves a field (a select's first Esc closes its menu), so shortcuts work again
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (typing(event.target) || typing(doc.activeElement)) return;
    const cmd = command(event);
    if (!cmd) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    const card = cardId();
    if (state.awaiting || running() || state.pending.length) {
      state.pending.push({cmd: cmd, card: card});  // applied when the page is ready, if this card is still there
      return;
    }
    apply(cmd, card);
  };
  host.__evidenceShortcuts = handler;
  host.__evidenceTimer = host.setInterval(tick, 40);
  host.addEventListener("keydown", handler, true);
})();
</script>"""


def describe(record: DecisionRecord, framework: Framework | None = None) -> str:
    """One line for a toast: what was recorded (and, for a card whose suggestion was hidden, what the model had
    suggested: shown once the reviewer has decided)."""
    if record.kind == "undo":
        return _undo_words(record, framework)
    revealed = ""
    if record.suggestion_hidden and record.kind not in (SKIP, FLAG):
        revealed = (f"; the model had suggested {_name(record.suggested_competency, framework)}"
                    if record.suggested_competency else "; the model had no suggestion")
    return decision_words(record, framework) + revealed


def _name(cid: str | None, framework: Framework | None) -> str:
    if cid and framework is not None:
        try:
            return framework.competency(cid).name
        except KeyError:
            return cid
    return cid or "-"


def _undo_words(record: DecisionRecord, framework: Framework | None) -> str:
    about = f" ({_name(record.competency or record.suggested_competency, framework)})" if (
        record.competency or record.suggested_competency) else ""
    return f"Undid your last decision{about}; that sentence is back in the queue"


def decision_words(record: DecisionRecord, framework: Framework | None = None) -> str:
    """What a decision says, in words: "Accepted Team working at Level 3", "Rejected …", "Marked as no evidence"."""
    at_level = ""
    if record.level:
        at_level = f" at {framework.level_phrase(record.level)}" if framework else f" at level {record.level}"
    if record.kind == "undo":
        return "Undone"
    if record.kind == DecisionKind.accepted.value:
        return f"Accepted {_name(record.competency, framework)}{at_level}"
    if record.kind == DecisionKind.rejected.value:
        return f"Rejected {_name(record.suggested_competency, framework)}"
    if record.kind == DecisionKind.relabelled.value:
        return f"Relabelled as {_name(record.competency, framework)}{at_level}"
    if record.kind == DecisionKind.no_evidence.value:
        return "Marked as no evidence"
    if record.kind == SKIP:
        return "Skipped for now: it comes back at the end of your queue"
    if record.kind == FLAG:
        return "Flagged for a moderator"
    return record.kind.replace("_", " ").capitalize()
