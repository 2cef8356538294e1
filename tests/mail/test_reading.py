"""Reading real-shaped mail, threading it and writing replies, without a database."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email import policy as email_policy

import pytest
from mailkit import sample

from csdesk.mail.compose import reply_message
from csdesk.mail.html import html_to_text
from csdesk.mail.reading import MailTooLarge, decode_text, header_text, message_id_key, read_message
from csdesk.mail.relay import hide_addresses
from csdesk.mail.threads import new_message_id, references, reply_subject, same_address, ticket_token

LIMIT = 10 * 1024 * 1024


def test_a_gbk_message_labelled_gb2312_keeps_the_characters_gb2312_lacks():
    mail = read_message(sample("gbk_foxmail.eml"), LIMIT)
    assert mail.subject == "宽带无法上网，请尽快处理（王喆）"
    assert (mail.sender, mail.sender_name) == ("wangzhe@163.example", "王喆")
    assert mail.text.startswith("您好：\n\n我是王喆") and "朱镕基路 18 号" in mail.text
    assert mail.message_id == "202603091557491230147@163.example"
    assert mail.automatic is None and mail.attachments == ()


def test_a_gb18030_alternative_prefers_the_plain_part_and_keeps_four_byte_characters():
    mail = read_message(sample("gb18030_alternative.eml"), LIMIT)
    assert mail.subject == "团购券𠮷野家未到账" and mail.sender_name == "李小姐"
    assert mail.text == "请问𠮷野家的团购券为什么一直显示“未到账”？订单号 GB20260309001。"
    assert mail.attachments == ()  # the HTML twin is not an attachment


def test_big5_with_hong_kong_characters():
    mail = read_message(sample("big5_outlook.eml"), LIMIT)
    assert (mail.subject, mail.sender_name) == ("國際漫遊費用多收，請退款", "陳大文")
    assert "我上個月嘅帳單多收咗國際漫遊費用 NT$1,280" in mail.text


def test_html_only_mail_becomes_readable_text():
    text = read_message(sample("html_only.eml"), LIMIT).text
    assert text == (
        "Hello,\n\nI was charged twice for order #A-20931 on 7 March.\n\n"
        "- first charge: 199.00 CNY\n- second charge: 199.00 CNY\n\n"
        "Receipt: my order page (https://shop.example/orders/A-20931)\n\nThanks,\nMaria Lopez"
    )


def test_attachments_come_with_their_names_sizes_and_bytes():
    mail = read_message(sample("alternative_with_attachment.eml"), LIMIT)
    assert [(a.filename, a.content_type, a.size) for a in mail.attachments] == [
        ("发票.pdf", "application/pdf", 3131),
        ("screenshot.png", "image/png", 70),
    ]
    assert mail.attachments[0].content.startswith(b"%PDF-1.4")
    assert mail.text.splitlines()[0] == "附件是上个月的发票，金额与账单不一致，请核对。"


def test_a_line_of_twenty_thousand_characters_is_kept():
    mail = read_message(sample("long_lines.eml"), LIMIT)
    assert mail.text.count("连接超时") == 1200 and mail.text.endswith("end of log")


def test_machine_written_mail_says_what_gave_it_away():
    assert read_message(sample("auto_reply.eml", answers="a@b"), LIMIT).automatic == "Auto-Submitted: auto-replied"
    assert read_message(sample("list_mail.eml"), LIMIT).automatic == "Precedence: bulk"
    bounce = read_message(sample("bounce.eml", returned="csdesk.1.abc@centre.example"), LIMIT)
    assert bounce.returned == ("csdesk.1.abc@centre.example",)
    assert bounce.returned_reason == "smtp; 550 5.1.1 User unknown"
    envelope = b"From MAILER-DAEMON Mon Mar  9 08:00:00 2026\nFrom: postmaster@x.example\nSubject: x\n\nx\n"
    assert read_message(envelope, LIMIT).automatic == "null sender"


def test_answers_list_in_reply_to_first_then_references_newest_first():
    raw = (
        b"From: a@x.example\r\nMessage-ID: <own@x>\r\nIn-Reply-To: <c@x>\r\n"
        b"References: <a@x>\r\n <b@x> <c@x>\r\nSubject: s\r\n\r\nx\r\n"
    )
    assert read_message(raw, LIMIT).answers == ("c@x", "b@x", "a@x")


def test_the_size_limit_counts_bytes_exactly():
    raw = sample("html_only.eml")
    assert read_message(raw, len(raw)).subject
    with pytest.raises(MailTooLarge):
        read_message(raw, len(raw) - 1)


def test_charset_labels_that_lie_or_are_unknown_still_read():
    assert decode_text("喆".encode("gbk"), "gb2312") == "喆"
    assert decode_text("中文".encode(), "x-unknown") == "中文"
    assert decode_text("中文".encode("gb18030"), None) == "中文"
    assert decode_text(b"caf\xe9", "iso-8859-1") == "café"
    assert "\ufffd" in decode_text(b"\xff\xfe\xfa", "utf-8")  # really broken: replaced, never refused
    assert header_text("=?gb2312?B?" + __import__("base64").b64encode("王喆".encode("gbk")).decode() + "?=") == "王喆"
    assert header_text("=?utf-8?Q?broken") == "=?utf-8?Q?broken"


def test_an_overlong_message_id_is_stored_as_its_digest():
    key = message_id_key("<" + "x" * 300 + "@example.cn>")
    assert key.startswith("sha256:") and len(key) == 71
    assert message_id_key(" <abc@x> ") == "abc@x"


def test_the_subject_token_and_reply_subjects():
    assert ticket_token("Re: 宽带 [#123]") == 123 and ticket_token("order #123") is None
    assert reply_subject("宽带无法上网", 7) == "Re: 宽带无法上网 [#7]"
    assert reply_subject("回复: Re: RE: 宽带 [#7]", 7) == "Re: 宽带 [#7]"
    assert reply_subject("", 7) == "Re: [#7]"
    assert len(reply_subject("长" * 1000, 123456)) <= 400


def test_references_keep_the_first_message_and_the_latest():
    thread = [f"m{n}@x" for n in range(15)]
    assert references(thread) == ["m0@x", *[f"m{n}@x" for n in range(6, 15)]]
    assert references(thread[:3]) == thread[:3]


def test_addresses_compare_without_case_and_masked_for_logs():
    assert same_address("Zhang.San@Example.CN", "zhang.san@example.cn")
    assert not same_address("", "")
    assert hide_addresses("550 5.1.1 <wangzhe@163.example>: unknown") == "550 5.1.1 <w*****e@163.example>: unknown"


def test_a_reply_threads_and_decodes_as_written():
    message_id = new_message_id(12, "support@centre.example")
    assert message_id.startswith("csdesk.12.") and message_id.endswith("@centre.example")
    written = reply_message(
        from_address="support@centre.example",
        from_name="客服中心",
        to_address="a@b.example",
        subject="Re: 宽带 [#12]",
        body="您好，\n已处理。",
        message_id=message_id,
        in_reply_to="q@b.example",
        references=["q@b.example"],
        written_at=datetime(2026, 3, 9, 8, 0, tzinfo=UTC),
    )
    read = message_from_bytes(written.as_bytes(), policy=email_policy.default)
    assert str(read["Subject"]) == "Re: 宽带 [#12]" and str(read["From"]) == "客服中心 <support@centre.example>"
    assert (str(read["In-Reply-To"]), str(read["References"])) == ("<q@b.example>", "<q@b.example>")
    assert str(read["Date"]) == "Mon, 09 Mar 2026 08:00:00 +0000"
    assert read.get_content().splitlines() == ["您好，", "已处理。"]


def test_html_conversion_drops_scripts_and_keeps_links_and_lists():
    assert (
        html_to_text("<p>a<br>b</p><script>x()</script><ol><li>one</li></ol><a href='https://x.example/'>see</a>")
        == "a\nb\n\n- one\nsee (https://x.example/)"
    )
