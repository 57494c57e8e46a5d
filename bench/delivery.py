"""Delivery speed through our layer (notifications.sender) to real receivers on loopback.

    .venv/bin/python -m bench.delivery [--messages 1000] [--emails 200] [--concurrency 50]

1. A webhook that answers after 100 ms, as a remote service does: concurrent versus one-by-one, on the
   same messages in the same run. Goal: >= 10x.
2. A webhook that answers at once: messages per second through our layer, next to a bare loop of Apprise
   `notify` calls (the cost of Apprise alone), so we see what our layer adds.
3. Email to an SMTP server on loopback. Goal: >= 20 messages per second.
"""

from __future__ import annotations

import argparse
import asyncio

import apprise

from bench.common import timed
from notifications.masking import Masker
from notifications.sender import Prepared, send_all
from tests.receivers import http_receiver, smtp_server


def messages(count: int, url: str) -> list[Prepared]:
    return [
        Prepared(
            i,
            [url],
            f"[Nhắc việc] Phòng Tư pháp — tuphap-1 kỳ 2023-H1 ({i})",
            f"Kính gửi Đầu mối ({i})",
            f"<p>Kính gửi Đầu mối ({i})</p>",
            f"Nhắc việc ({i})",
        )
        for i in range(count)
    ]


def ours(batch: list[Prepared], concurrency: int) -> int:
    outcomes = asyncio.run(send_all(batch, concurrency=concurrency, masker=Masker.of([])))
    return sum(all(result.ok for result in o.attempts) for o in outcomes)


def bare_apprise(count: int, url: str) -> int:
    notifier = apprise.Apprise()
    notifier.add(url)
    return sum(
        bool(notifier.notify(title=f"t{i}", body=f"b{i}", body_format=apprise.NotifyFormat.TEXT)) for i in range(count)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--emails", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    n = args.messages

    with http_receiver(delay=0.1) as (port, _hook):
        url = f"json://127.0.0.1:{port}/hook"
        ok_c, concurrent = timed(lambda: ours(messages(n, url), args.concurrency))
        ok_s, sequential = timed(lambda: ours(messages(n, url), 1))
    print(
        f"webhook with 100 ms latency, {n} messages: concurrent ({args.concurrency}) {concurrent:6.2f} s "
        f"({n / concurrent:7.1f}/s, {ok_c} ok); one-by-one {sequential:6.2f} s ({n / sequential:6.1f}/s, {ok_s} ok); "
        f"speed-up {sequential / concurrent:.1f}x (goal >= 10x)",
        flush=True,
    )

    with http_receiver() as (port, _hook):
        url = f"json://127.0.0.1:{port}/hook"
        ok_b, bare = timed(lambda: bare_apprise(n, url))
        ok_o, layered = timed(lambda: ours(messages(n, url), args.concurrency))
        ok_1, layered_1 = timed(lambda: ours(messages(n, url), 1))
    print(
        f"webhook answering at once, {n} messages: bare Apprise loop {n / bare:7.1f}/s ({ok_b} ok); "
        f"our layer concurrent {n / layered:7.1f}/s ({ok_o} ok); our layer one-by-one {n / layered_1:7.1f}/s "
        f"({ok_1} ok); our one-by-one costs {layered_1 / bare:.2f}x the bare loop",
        flush=True,
    )

    with smtp_server() as (port, mailbox):
        url = f"mailto://127.0.0.1:{port}?from=dutyflow@tracu.local&to=tuphap@tracu.local"
        ok_e, email = timed(lambda: ours(messages(args.emails, url), args.concurrency))
    print(
        f"email to loopback SMTP, {args.emails} messages: {email:6.2f} s, {args.emails / email:6.1f}/s "
        f"({ok_e} ok, {len(mailbox.messages)} received; goal >= 20/s)",
        flush=True,
    )


if __name__ == "__main__":
    main()
