"""The web shell: navigation by permission, languages, error pages, escaping, the CSP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "portal/translations/zh_Hans_CN/LC_MESSAGES/messages.mo"
USERS_LINK = 'href="/admin/users"'


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.status_code
    return response.get_data(as_text=True)


def _switch_language(client, language: str, next_path: str = "/"):  # noqa: ANN202
    return client.post("/language", data={"language": language, "next": next_path})


@pytest.mark.parametrize(
    ("role", "sees_users"),
    [
        ("admin", True),
        ("vendor_manager", False),
        ("procurement", False),
        ("auditor", False),
        ("supplier", False),
    ],
)
def test_nav_shows_users_only_to_admin(client, make, role, sees_users):
    supplier = make.supplier() if role == "supplier" else None
    user = make.user(role, supplier=supplier)
    login(client, user.email)
    html = _page(client, "/")
    assert 'href="/account"' in html
    assert 'action="/logout"' in html
    assert (USERS_LINK in html) is sees_users


def test_supplier_user_sees_its_supplier_in_the_header_and_dashboard(client, make):
    supplier = make.supplier(name="华为技术有限公司")
    user = make.user("supplier", supplier=supplier)
    login(client, user.email)
    html = _page(client, "/")
    assert html.count("华为技术有限公司") >= 2  # user menu and dashboard greeting
    assert "Supplier" in html


def test_role_labels_are_words_not_codes(client, make):
    admin = make.user("admin")
    make.user("vendor_manager")
    login(client, admin.email)
    html = _page(client, "/admin/users")
    assert "Vendor manager" in html
    assert "Administrator" in html
    assert ">vendor_manager<" not in html


def test_language_switch_turns_the_dashboard_chinese_and_back(client, make):
    assert CATALOGUE.exists(), "compile the catalogue first: make translations"
    user = make.user("vendor_manager")
    login(client, user.email)
    assert "<h1>Dashboard</h1>" in _page(client, "/")

    response = _switch_language(client, "zh_Hans_CN", "/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")
    html = _page(client, "/")
    assert "<h1>仪表板</h1>" in html
    assert '<html lang="zh-Hans-CN">' in html
    assert "供应商经理" in html  # the role label is translated too
    make.session.refresh(user)
    assert user.language == "zh_Hans_CN"  # kept for the next login

    _switch_language(client, "en", "/")
    html = _page(client, "/")
    assert "<h1>Dashboard</h1>" in html
    assert '<html lang="en">' in html


def test_language_switch_works_before_login(client):
    assert CATALOGUE.exists(), "compile the catalogue first: make translations"
    html = _page(client, "/login")
    assert 'action="/language"' in html
    assert 'name="language" value="zh_Hans_CN"' in html
    response = _switch_language(client, "zh_Hans_CN", "/login")
    assert response.headers["Location"].endswith("/login")
    html = _page(client, "/login")
    assert "登录 Underpin" in html
    assert "电子邮件" in html


def test_language_switch_refuses_an_unknown_language(client):
    assert _switch_language(client, "xx").status_code == 400


def test_login_page_has_email_and_password_fields(client):
    html = _page(client, "/login")
    assert re.search(r'<input[^>]*name="email"[^>]*type="email"', html)
    assert re.search(r'<input[^>]*name="password"[^>]*type="password"', html)
    assert "Log in" in html


def test_login_error_is_shown_beside_the_password(client, make):
    user = make.user("auditor")
    response = login(client, user.email, "not the password")
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert 'id="password-errors"' in html
    assert 'aria-invalid="true"' in html
    assert "Wrong e-mail or password" in html


def test_404_renders_in_the_portal_look(client, make):
    user = make.user("procurement")
    login(client, user.email)
    html = _page(client, "/no-such-page", 404)
    assert 'class="topbar"' in html
    assert "/static/css/portal.css" in html
    assert "Not found" in html
    assert 'href="/"' in html and "Back to the dashboard" in html


def test_404_for_anonymous_links_to_login(client):
    html = _page(client, "/no-such-page", 404)
    assert 'class="topbar"' in html
    assert 'href="/login"' in html


def test_403_renders_in_the_portal_look(client, make):
    user = make.user("auditor")
    login(client, user.email)
    html = _page(client, "/admin/users", 403)
    assert "You may not open this page" in html
    assert 'class="topbar"' in html


def test_names_with_markup_quotes_and_ampersands_are_escaped(client, make):
    nasty = """<script>alert("x")</script> & 'Q'"""
    supplier = make.supplier(name=nasty)
    target = make.user("supplier", supplier=supplier)
    target.name = nasty
    admin = make.user("admin")
    make.session.flush()

    login(client, admin.email)
    for url in ("/admin/users", f"/admin/users/{target.id}"):
        html = _page(client, url)
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;Q&#39;" in html

    client.post("/logout")
    login(client, target.email)
    for url in ("/", "/account"):
        html = _page(client, url)
        assert "<script>alert" not in html
        assert "&lt;script&gt;" in html


@pytest.mark.parametrize("url", ["/login", "/no-such-page"])
def test_pages_have_no_inline_scripts_or_styles_anonymous(client, url):
    response = client.get(url)
    _assert_csp_clean(response.get_data(as_text=True))


def test_pages_have_no_inline_scripts_or_styles(client, make):
    admin = make.user("admin")
    other = make.user("vendor_manager")
    login(client, admin.email)
    for url in ("/", "/account", "/admin/users", "/admin/users/new", f"/admin/users/{other.id}"):
        _assert_csp_clean(_page(client, url))


def _assert_csp_clean(html: str) -> None:
    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"<[^>]*\son[a-z]+=", html), "inline event handler"
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag


def test_new_token_secret_is_shown_once(client, make):
    user = make.user("vendor_manager")
    login(client, user.email)
    html = client.post("/account/tokens", data={"name": "CI export"}).get_data(as_text=True)
    secret = re.search(r'value="(upn_[^"]+)"', html)
    assert secret, "the new token is shown"
    assert "shown only this once" in html
    assert secret.group(1) not in _page(client, "/account")
    assert "CI export" in _page(client, "/account")


def test_stylesheet_is_served_with_cjk_fonts(client):
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    css = response.get_data(as_text=True)
    for font in ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC"):
        assert font in css
    response.close()


def test_every_message_of_the_code_has_a_chinese_translation():
    """What `make extract-messages` would find, each translated in the catalogue (not fuzzy)."""
    root = ROOT
    with (root / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = dict(DEFAULT_KEYWORDS)
    keywords.update({"_l": None, "lazy_gettext": None, "_ln": (1, 2), "lazy_ngettext": (1, 2)})
    found = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            root, method_map, options_map, keywords=keywords
        )
    }
    po = root / "portal/translations/zh_Hans_CN/LC_MESSAGES/messages.po"
    with po.open("rb") as stream:
        catalogue = read_po(stream)
    translated = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalogue
        if message.id
        and "fuzzy" not in message.flags
        and (message.string if isinstance(message.string, str) else message.string[0])
    }
    assert sorted(found - translated) == []
