from faq.document import Caveat, Image, Link, ListBlock, Paragraph, Text, parse, plain_text


def test_images_are_lifted_out_of_paragraphs_in_place():
    document = parse("Step text\n\n![账号绑定](https://example.com/a.png)\n\nAfter")
    assert [type(b) for b in document.blocks] == [Paragraph, Image, Paragraph]
    assert document.images() == [Image(url="https://example.com/a.png", alt="账号绑定")]


def test_only_web_links_survive():
    document = parse("[ok](https://a.example/x) [bad](javascript:alert(1)) [file](file:///etc/passwd)")
    assert [link.url for link in document.links()] == ["https://a.example/x"]
    assert "javascript" in plain_text(document.blocks[0].inlines)  # shown as text, not as a link


def test_raw_html_is_text_not_markup():
    document = parse("<script>alert(1)</script> hi")
    text = plain_text(document.blocks[0].inlines)
    assert "<script>" in text
    assert not document.links()


def test_images_with_non_web_addresses_are_dropped():
    assert parse("![x](data:image/png;base64,AAAA)").images() == []


def test_block_quotes_become_caveats_inside_steps():
    document = parse("1. Do this\n\n   > careful\n2. Then that\n")
    steps = document.blocks[0]
    assert isinstance(steps, ListBlock)
    assert steps.ordered
    assert isinstance(steps.items[0][1], Caveat)
    assert len(steps.items) == 2


def test_links_inside_bold_are_found():
    document = parse("**[tools](https://console.cloud.tencent.com/lav2/dev)**")
    assert document.links() == [Link(url="https://console.cloud.tencent.com/lav2/dev", children=(Text("tools"),))]
