from faq.document import parse
from faq.languages import Language
from faq.renderers import render_html, render_text


def test_text_numbers_steps_and_shows_links_and_images():
    document = parse("1. Open [center](https://c.example/dev)\n\n   ![the button](https://i.example/b.png)\n2. Click\n")
    text = render_text(document, Language.EN)
    assert "1. Open center <https://c.example/dev>" in text
    assert "[Image: the button] https://i.example/b.png" in text
    assert "2. Click" in text


def test_text_sets_caveats_apart():
    text = render_text(parse("> **注意**：会保留绑定信息"), Language.ZH)
    assert text.startswith("⚠ 注意：会保留绑定信息")


def test_html_escapes_everything_from_the_author():
    html = render_html(parse('<img src=x onerror=alert(1)> [a](https://x.example/"onmouseover=1)'))
    assert "<img src=x" not in html
    assert "&lt;img" in html
    assert 'href="https://x.example/%22onmouseover=1"' in html


def test_html_marks_caveats_and_images():
    html = render_html(parse("> note\n\n![alt text](https://i.example/a.png)"))
    assert '<aside class="caveat"><p>note</p></aside>' in html
    assert 'src="https://i.example/a.png" alt="alt text"' in html
