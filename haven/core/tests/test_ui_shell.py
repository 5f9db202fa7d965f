"""The page shell keeps its promises: a strict CSP, nothing inline, nothing from another origin,
and a base template that works for screen readers and phones."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from haven.accounts import permissions
from haven.core.tests.test_templates_i18n import HAVEN, template_files, visible_markup
from haven.testing import personas

STATIC = HAVEN / "static" / "haven"
SAFE_SOURCES = {"'self'", "'none'", "data:"}
# XML namespace names look like URLs but are never fetched.
NAMESPACE = re.compile(r"https?://www\.w3\.org/\d{4}/")
URL = re.compile(r"https?://[^\s\"'<>)]*", re.IGNORECASE)


def csp_problems(header: str) -> list[str]:
    problems = []
    for directive in filter(None, (part.strip() for part in header.split(";"))):
        name, *sources = directive.split()
        for source in sources:
            lowered = source.lower()
            if lowered.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")):
                continue
            if lowered not in SAFE_SOURCES:
                problems.append(f"{name} allows {source}")
    return problems


def test_the_csp_checker_catches_loose_policies():
    assert csp_problems("default-src 'self'; img-src 'self' data:; frame-ancestors 'none'") == []
    assert csp_problems("script-src 'self' 'unsafe-inline'")
    assert csp_problems("style-src 'self' 'unsafe-eval'")
    assert csp_problems("script-src https://cdn.example.org")
    assert csp_problems("img-src *")
    assert csp_problems("connect-src https:")


def every_page_url() -> list[str]:
    """Every URL in the permission matrix that needs no argument (the matrix lists them all)."""
    urls = []
    for name in permissions.ACCESS:
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    return urls


def assert_strict_csp(response, url):
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{url} ({response.status_code}) has no Content-Security-Policy header"
    assert not csp_problems(header), f"{url}: {csp_problems(header)}"
    directives = {part.split()[0] for part in header.split(";") if part.strip()}
    assert {"default-src", "script-src", "style-src", "frame-ancestors", "object-src"} <= directives


@pytest.mark.parametrize("who", ["anonymous", "alice", "bob"])
def test_every_page_carries_a_strict_content_security_policy(everyone, places, who):
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        personas.sign_in(client, everyone[who])
    urls = every_page_url() + [
        reverse("site-edit", args=[places["van"].pk]),
        reverse("area-edit", args=[places["north"].pk]),
        "/no-such-page/",
    ]
    assert "/places/sites/" in urls
    for url in urls:
        assert_strict_csp(client.get(url), url)


def test_error_and_redirect_responses_carry_the_policy_too(carol, client_as, anonymous_client):
    assert_strict_csp(client_as(carol).get("/places/sites/new/"), "403 page")
    assert_strict_csp(anonymous_client.get("/places/sites/"), "redirect to sign in")
    assert_strict_csp(client_as(carol).get("/places/sites/9999/"), "403 before 404")


class _InlineCodeFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        names = {name.lower() for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.problems.append(f"line {line}: <script> without src")
        if tag == "style":
            self.problems.append(f"line {line}: <style> element")
        for name, value in attrs:
            name = name.lower()
            if name == "style":
                self.problems.append(f"line {line}: style= attribute")
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"line {line}: {name}= handler")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"line {line}: javascript: URL")


def inline_code(source: str) -> list[str]:
    finder = _InlineCodeFinder()
    finder.feed(visible_markup(source))
    finder.close()
    return finder.problems


def test_the_inline_code_checker_catches_what_the_csp_would_refuse():
    assert inline_code("<script>alert(1)</script>")
    assert inline_code('<p style="color: red">x</p>')
    assert inline_code('<button onclick="go()">x</button>')
    assert inline_code('<button hx-on:click="go()">x</button>')
    assert inline_code("<style>p { color: red }</style>")
    assert inline_code('<a href="javascript:go()">x</a>')
    assert inline_code('<script src="{% static \'haven/haven.js\' %}" defer></script><p class="once">x</p>') == []


def test_no_template_has_inline_scripts_styles_or_handlers():
    problems = [
        f"{path.relative_to(HAVEN)} {problem}"
        for path in template_files()
        for problem in inline_code(path.read_text(encoding="utf-8"))
    ]

    assert not problems, "\n".join(problems)


def own_static_files() -> list[Path]:
    return [
        path for path in sorted(STATIC.rglob("*"))
        if path.is_file() and "vendor" not in path.relative_to(STATIC).parts
        and path.suffix in {".css", ".js", ".svg", ".html", ".json", ".webmanifest"}
    ]


def test_no_template_or_own_static_file_loads_anything_from_another_origin():
    problems = []
    for path in template_files() + own_static_files():
        for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for url in URL.findall(line):
                if not NAMESPACE.match(url):
                    problems.append(f"{path.relative_to(HAVEN)}:{line_number}: {url}")

    assert own_static_files(), "haven.css and haven.js should be checked"
    assert not problems, "\n".join(problems)


def test_the_stylesheet_uses_no_web_fonts_or_imports():
    css = (STATIC / "haven.css").read_text(encoding="utf-8")

    assert "@import" not in css
    assert "@font-face" not in css


class _ShellFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_lang = None
        self.viewport = None
        self.skip_link_target = None
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if tag == "meta" and attributes.get("name") == "viewport":
            self.viewport = attributes.get("content")
        if tag == "a" and "skip-link" in (attributes.get("class") or "").split() and self.skip_link_target is None:
            self.skip_link_target = attributes.get("href")


def test_the_base_template_has_a_language_a_viewport_and_a_skip_link(bob, client_as):
    response = client_as(bob).get("/places/sites/")
    shell = _ShellFinder()
    shell.feed(response.content.decode())

    assert shell.html_lang == "en"
    assert "width=device-width" in shell.viewport
    assert shell.skip_link_target == "#main"
    assert "main" in shell.ids


def test_the_skip_link_comes_first(bob, client_as):
    content = client_as(bob).get("/places/sites/").content.decode()
    body = content[content.index("<body"):]

    assert body.index('class="skip-link"') < body.index("<header")


@pytest.mark.parametrize("name", ["haven/haven.css", "haven/haven.js", "haven/vendor/htmx-2.min.js"])
def test_the_files_the_base_template_links_to_are_found_by_collectstatic(name):
    from django.contrib.staticfiles import finders

    assert finders.find(name), f"{name} is not found: settings.STATICFILES_DIRS must list haven/static"
