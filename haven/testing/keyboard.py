"""Keyboard-only journeys in a real Chromium: Tab, Shift+Tab, Enter and Space, never a click.

`Keyboard.tab_to` walks the focus forward and checks, at every stop, that the focused element shows
where the focus is (an outline or a ring from :focus-visible, WCAG 2.4.7), so a journey test also
proves visible focus on every element it passes.
"""

from __future__ import annotations

FOCUS_SHOWN = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const ring = style.boxShadow && style.boxShadow !== "none";
  const label = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
    + (element.name ? "[name=" + element.name + "]" : "") + " " + (element.textContent || "").trim().slice(0, 30);
  return {shown: outline || ring, label: label};
}"""


class Keyboard:
    ALLOWED = {"Tab", "Shift+Tab", "Enter", "Space", "ArrowUp", "ArrowDown"}

    def __init__(self, page):
        self.page = page
        self.presses = []
        self.unseen_focus = []

    def press(self, key: str):
        assert key in self.ALLOWED, key
        self.presses.append(key)
        self.page.keyboard.press(key)

    def type(self, text: str):
        """Typing into the focused field: keys, not a fill."""
        self.page.keyboard.type(text)

    def focused_matches(self, selector: str) -> bool:
        return self.page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector)

    def tab_to(self, selector: str, limit: int = 120):
        for _ in range(limit):
            self.press("Tab")
            focus = self.page.evaluate(FOCUS_SHOWN)
            if focus is not None and not focus["shown"]:
                self.unseen_focus.append(focus["label"])
            if self.focused_matches(selector):
                return
        raise AssertionError(f"{selector} was not reached with Tab")
